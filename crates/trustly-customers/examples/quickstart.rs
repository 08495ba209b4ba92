//! Create a customer, read it back, clear a field, and list.
//!
//! ```text
//! cargo run -p trustly-customers --example quickstart
//! ```
//!
//! With no `TRUSTLY_ACCESS_ID`/`TRUSTLY_ACCESS_KEY` set it starts the local emulator in this
//! process; with them set it talks to `TRUSTLY_BASE_URL` or `TRUSTLY_ENVIRONMENT` (sandbox by
//! default).

use trustly_customers::test_util::{connect, fresh_external_id};
use trustly_customers::{Address, Client, CustomerPatch, Error, NewCustomer};

#[tokio::main]
async fn main() -> Result<(), Error> {
    // The environment `TRUSTLY_*` names, or a local emulator (kept alive until the end).
    let connection = connect(|b| b).await?;
    println!("talking to {connection}");
    run(connection.client()).await
}

/// The example's flow, also run by the crate's tests against the emulator.
pub(crate) async fn run(client: &Client) -> Result<(), Error> {
    let external_id = fresh_external_id("quickstart");
    let new = NewCustomer::new(
        "Joe User",
        Address::new("US")
            .address1("2000 Broadway St")
            .city("Redwood City")
            .state("CA")
            .zip("94063"),
        "+16505551212",
        "joe.user@mail.com",
    )
    .external_id(external_id.clone())
    .tax_id("012345678");

    let created = client.create_or_update_customer(None, &new).await?;
    let id = created
        .customer_id
        .clone()
        .expect("the server assigns a customer id");
    // An external id is personal data (the spec says so): it displays as `<redacted>`, and
    // its text is `as_ref()` when a program means to show it.
    println!(
        "1. created customer {id} (external id {})",
        external_id.as_ref() as &str
    );

    let fetched = client.get_customer(&id).await?;
    println!("2. fetched it; Debug keeps personal data out:\n{fetched:#?}");

    let patch = CustomerPatch::new().clear_tax_id(); // sent as `"taxId": null`
    let updated = client.update_customer(&id, &patch).await?;
    assert!(updated.tax_id.value().is_none(), "the tax id was removed");
    println!(
        "3. updated: tax id cleared (present before: {}, after: {})",
        fetched.tax_id.value().is_some(),
        updated.tax_id.value().is_some()
    );

    let listed = client.list_customers(None, Some(&external_id)).await?;
    println!("4. listed by external id: {} customer(s)", listed.len());
    assert_eq!(listed.len(), 1);
    Ok(())
}
