//! Remove a property from a customer with a merge patch: a cleared property is sent as `null`.
//!
//! ```text
//! cargo run -p trustly-customers --example clear_a_field
//! ```

use trustly_customers::test_util::{connect, fresh_external_id};
use trustly_customers::{Address, Client, CustomerPatch, DriverLicense, Error, NewCustomer};

#[tokio::main]
async fn main() -> Result<(), Error> {
    // The environment `TRUSTLY_*` names, or a local emulator (kept alive until the end).
    let connection = connect(|b| b).await?;
    println!("talking to {connection}");
    run(connection.client()).await
}

/// The example's flow, also run by the crate's tests against the emulator.
pub(crate) async fn run(client: &Client) -> Result<(), Error> {
    let new = NewCustomer::new(
        "Bo Example",
        Address::new("US"),
        "+14155550100",
        "bo@example.com",
    )
    .external_id(fresh_external_id("clear"))
    .date_of_birth("1990-01-31")
    .driver_license(DriverLicense::new("A1234567", "CA"));
    let customer = client.create_or_update_customer(None, &new).await?;
    let id = customer
        .customer_id
        .clone()
        .expect("the server assigns a customer id");

    // Clear two properties, set one, leave everything else as it is.
    let patch = CustomerPatch::new()
        .clear_date_of_birth()
        .clear_driver_license()
        .phone("+14155550199");
    // The wire form; its `Debug` would hide the values (the phone number is personal).
    let mut shown = serde_json::to_value(&patch).unwrap();
    shown["phone"] = "…".into();
    println!("sending {shown}");
    let updated = client.update_customer(&id, &patch).await?;
    println!(
        "date of birth present: {} -> {}; driver licence present: {} -> {}; email kept: {}",
        customer.date_of_birth.value().is_some(),
        updated.date_of_birth.value().is_some(),
        customer.driver_license.value().is_some(),
        updated.driver_license.value().is_some(),
        updated.email == customer.email,
    );
    assert!(updated.date_of_birth.value().is_none() && updated.driver_license.value().is_none());
    assert_eq!(updated.email, customer.email);
    Ok(())
}
