//! Configure retries and watch them in the logs.
//!
//! ```text
//! cargo run -p trustly-customers --example retries
//! ```
//!
//! A call that succeeds is made once. Then, against the emulator, the emulator is stopped and
//! a lookup is retried until the policy gives up: every attempt and delay is logged (without
//! any personal data), and the error says how many attempts were made.

use std::time::Duration;

use trustly_customers::test_util::{Connection, connect, fresh_external_id};
use trustly_customers::{Client, Error, ErrorKind, ExternalId, RetryPolicy};

pub(crate) fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(2)
        .base_delay(Duration::from_millis(100))
        .max_delay(Duration::from_secs(2))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_target(true)
        .init();
    let connection = connect(|b| {
        b.retry_policy(policy())
            .timeout(Duration::from_secs(5))
            .connect_timeout(Duration::from_secs(2))
    })
    .await?;
    println!("talking to {connection}");
    run(connection.client()).await?;
    if let Connection::Emulator(emulator) = connection {
        let client = emulator.client().clone();
        println!("stopping the emulator, then looking a customer up again");
        if let Err(e) = emulator.shutdown().await {
            eprintln!("the emulator did not stop cleanly: {e}");
        }
        let e = give_up(&client).await;
        println!("gave up: {e}");
    }
    Ok(())
}

/// With nothing listening, a lookup is retried until the policy gives up: the first attempt
/// and `policy().retries()` more, each logged. Also run by the crate's tests.
pub(crate) async fn give_up(client: &Client) -> Error {
    let e = client
        .find_customer_by_external_id(&ExternalId::from("anyone"))
        .await
        .expect_err("nothing is listening any more");
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert_eq!(e.attempts(), policy().retries() + 1);
    e
}

/// The example's flow, also run by the crate's tests against the emulator.
pub(crate) async fn run(client: &Client) -> Result<(), Error> {
    let found = client
        .find_customer_by_external_id(&fresh_external_id("retries"))
        .await?;
    println!("lookup with {:?}: found {}", policy(), found.is_some());
    Ok(())
}
