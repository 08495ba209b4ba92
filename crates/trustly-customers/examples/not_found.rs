//! Handle a customer that does not exist: an error kind to match on for get-by-id, an
//! `Option` for find-by-external-id.
//!
//! ```text
//! cargo run -p trustly-customers --example not_found
//! ```

use trustly_customers::test_util::{connect, fresh_external_id};
use trustly_customers::{Client, CustomerId, Error, ErrorKind};

#[tokio::main]
async fn main() -> Result<(), Error> {
    // The environment `TRUSTLY_*` names, or a local emulator (kept alive until the end).
    let connection = connect(|b| b).await?;
    println!("talking to {connection}");
    run(connection.client()).await
}

/// The example's flow, also run by the crate's tests against the emulator.
pub(crate) async fn run(client: &Client) -> Result<(), Error> {
    match client
        .get_customer(&CustomerId::from("0000000000-no-such-customer"))
        .await
    {
        Ok(customer) => panic!("customer {:?} should not exist", customer.customer_id),
        Err(e) if e.kind() == ErrorKind::NotFound => {
            println!("not found, as expected: {e}");
            for detail in e.api_errors() {
                println!(
                    "  Trustly error {} ({})",
                    detail.code,
                    trustly_customers::short_domain(&detail.domain)
                );
            }
        }
        Err(e) => return Err(e),
    }

    let missing = fresh_external_id("nobody");
    let found = client.find_customer_by_external_id(&missing).await?;
    println!("find by an external id nobody has: {found:?}");
    assert!(found.is_none());
    Ok(())
}
