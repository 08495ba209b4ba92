//! "The write happened, the answer was lost": what an integrator does about it, provoked on the
//! local emulator with the fault `drop-after-commit` (the emulator commits the write, then
//! closes the connection without answering).
//!
//! ```text
//! cargo run -p trustly-customers --example lost_answer
//! ```
//!
//! - An upsert that names its customer by `externalId` is safe to repeat: the client retries it,
//!   the retry finds the customer the lost write created, and there is one customer.
//! - A create that names no customer is not retried (a repeat would create a second one): the
//!   call fails with a transport error after one attempt, and `list` says whether it landed
//!   (here by counting; an application looks for the customer by what it knows of it).

use std::time::Duration;

use trustly_customers::test_util::{Fault, FaultKind, LocalEmulator, fresh_external_id};
use trustly_customers::{Address, Error, ErrorKind, NewCustomer, RetryPolicy};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let emulator = LocalEmulator::start_with(|b| {
        b.retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(50)))
    })
    .await;
    run(&emulator).await
}

/// The example's flow, also run by the crate's tests.
pub(crate) async fn run(emulator: &LocalEmulator) -> Result<(), Error> {
    let client = emulator.client();
    let server = emulator.server();
    let create = "createOrUpdateCustomer";
    let new = NewCustomer::new(
        "Ada Example",
        Address::new("US").state("NY"),
        "+12125550100",
        "ada@example.com",
    );

    // 1. Upsert by externalId: the answer to the first attempt is lost, the retry is answered.
    let external_id = fresh_external_id("lost-answer");
    server
        .add_fault(
            Fault::new()
                .operation(create)
                .times(1)
                .kind(FaultKind::DropAfterCommit),
        )
        .expect("a valid fault");
    let customer = client
        .upsert_customer_by_external_id(&external_id, &new)
        .await?;
    let found = client.list_customers(None, Some(&external_id)).await?;
    println!(
        "upsert: answered after a retry, {} customer with that externalId",
        found.len()
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].customer_id, customer.customer_id);

    // 2. A keyless create: not retried, so the caller is told it may or may not have landed.
    let before = client.list_customers(None, None).await?.len();
    server
        .add_fault(
            Fault::new()
                .operation(create)
                .times(1)
                .kind(FaultKind::DropAfterCommit),
        )
        .expect("a valid fault");
    let lost = client
        .create_or_update_customer(None, &new)
        .await
        .expect_err("the answer is lost");
    println!(
        "keyless create: {:?} error after {} attempt(s), not retried",
        lost.kind(),
        lost.attempts()
    );
    assert_eq!(lost.kind(), ErrorKind::Transport);
    assert_eq!(lost.attempts(), 1);
    // Did it land? Look before creating again.
    let after = client.list_customers(None, None).await?;
    let landed = after.len() > before;
    println!(
        "list: the create {}",
        if landed { "landed" } else { "did not land" }
    );
    assert!(landed, "drop-after-commit commits the write");
    Ok(())
}
