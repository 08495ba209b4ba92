//! Remove a property from a customer with a merge patch: `Patch::Clear` is sent as `null`.
//!
//! ```text
//! cargo run -p trustly-customers --example clear_a_field
//! ```

mod support;

use trustly_customers::{Address, Client, CustomerPatch, DriverLicense, Error, NewCustomer, Patch};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let (client, _emulator) = support::connect(|b| b).await?;
    run(&client).await
}

/// The example's flow, also run by the crate's tests against the emulator.
pub(crate) async fn run(client: &Client) -> Result<(), Error> {
    let new = NewCustomer::new(
        "Bo Example",
        Address::new("US"),
        "+14155550100",
        "bo@example.com",
    )
    .external_id(support::fresh_external_id("clear"))
    .date_of_birth("1990-01-31")
    .driver_license(DriverLicense::new("A1234567", "CA"));
    let customer = client.create_or_update_customer(&new).await?;
    let id = customer
        .customer_id
        .clone()
        .expect("the server assigns a customer id");

    // Clear two properties, set one, leave everything else as it is.
    let patch = CustomerPatch {
        date_of_birth: Patch::Clear,
        driver_license: Patch::Clear,
        phone: Some("+14155550199".into()),
        ..CustomerPatch::new()
    };
    println!(
        "sending {}",
        serde_json::to_string(&CustomerPatch {
            phone: None,
            ..patch.clone()
        })
        .unwrap()
    );
    let updated = client.update_customer(&id, &patch).await?;
    println!(
        "date of birth present: {} -> {}; driver licence present: {} -> {}; email kept: {}",
        customer.date_of_birth.is_some(),
        updated.date_of_birth.is_some(),
        customer.driver_license.is_some(),
        updated.driver_license.is_some(),
        updated.email == customer.email,
    );
    assert!(updated.date_of_birth.is_none() && updated.driver_license.is_none());
    assert_eq!(updated.email, customer.email);
    Ok(())
}
