//! Create-or-update by the merchant's own id: sending twice updates one customer, and the
//! request is safe to retry.
//!
//! ```text
//! cargo run -p trustly-customers --example upsert_by_external_id
//! ```

use trustly_customers::test_util::{connect, fresh_external_id};
use trustly_customers::{Address, Client, Error, NewCustomer};

#[tokio::main]
async fn main() -> Result<(), Error> {
    // The environment `TRUSTLY_*` names, or a local emulator (kept alive until the end).
    let connection = connect(|b| b).await?;
    println!("talking to {connection}");
    run(connection.client()).await
}

/// The example's flow, also run by the crate's tests against the emulator.
pub(crate) async fn run(client: &Client) -> Result<(), Error> {
    let external_id = fresh_external_id("upsert");
    let first = NewCustomer::new(
        "Ada Example",
        Address::new("US").state("NY"),
        "+12125550100",
        "ada@example.com",
    );
    let created = client
        .upsert_customer_by_external_id(&external_id, &first)
        .await?;
    println!("first upsert:  customer {:?}", created.customer_id);

    let second = NewCustomer::new(
        "Ada Example",
        Address::new("US").state("NJ"),
        "+12125550199",
        "ada@example.com",
    );
    let updated = client
        .upsert_customer_by_external_id(&external_id, &second)
        .await?;
    println!(
        "second upsert: customer {:?} (same record, state now {:?})",
        updated.customer_id, updated.address.state
    );
    assert_eq!(created.customer_id, updated.customer_id);

    let found = client.find_customer_by_external_id(&external_id).await?;
    println!("found by external id: {}", found.is_some());
    assert!(found.is_some());
    Ok(())
}
