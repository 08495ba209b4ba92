//! Each example's flow, run against the local emulator, so the examples keep working.

use trustly_customers::test_util::LocalEmulator;

#[allow(dead_code)]
#[path = "../examples/clear_a_field.rs"]
mod clear_a_field;
#[allow(dead_code)]
#[path = "../examples/lost_answer.rs"]
mod lost_answer;
#[allow(dead_code)]
#[path = "../examples/not_found.rs"]
mod not_found;
#[allow(dead_code)]
#[path = "../examples/quickstart.rs"]
mod quickstart;
#[allow(dead_code)]
#[path = "../examples/retries.rs"]
mod retries;
#[allow(dead_code)]
#[path = "../examples/upsert_by_external_id.rs"]
mod upsert_by_external_id;

#[tokio::test]
async fn quickstart_runs() {
    let emulator = LocalEmulator::start().await;
    let client = emulator.client();
    quickstart::run(client).await.unwrap();
}

#[tokio::test]
async fn upsert_by_external_id_runs() {
    let emulator = LocalEmulator::start().await;
    let client = emulator.client();
    upsert_by_external_id::run(client).await.unwrap();
}

#[tokio::test]
async fn clear_a_field_runs() {
    let emulator = LocalEmulator::start().await;
    let client = emulator.client();
    clear_a_field::run(client).await.unwrap();
}

#[tokio::test]
async fn not_found_runs() {
    let emulator = LocalEmulator::start().await;
    let client = emulator.client();
    not_found::run(client).await.unwrap();
}

#[tokio::test]
async fn retries_runs_then_gives_up_once_the_emulator_stops() {
    let emulator = LocalEmulator::start().await;
    retries::run(emulator.client()).await.unwrap();
    // The example's policy, against the emulator's address once nothing listens there.
    let client = emulator
        .builder()
        .retry_policy(retries::policy())
        .build()
        .unwrap();
    emulator.shutdown().await.expect("every change is saved");
    let e = retries::give_up(&client).await;
    assert_eq!(e.attempts(), 3, "{e}");
}

#[tokio::test]
async fn lost_answer_runs() {
    let emulator = LocalEmulator::start_with(|b| {
        b.retry_policy(
            trustly_customers::RetryPolicy::default()
                .base_delay(std::time::Duration::from_millis(10)),
        )
    })
    .await;
    lost_answer::run(&emulator).await.unwrap();
    // What the emulator saw: the upsert twice (the first unanswered), the keyless create once.
    let creates: Vec<_> = emulator
        .server()
        .requests()
        .into_iter()
        .filter(|r| r.operation == "createOrUpdateCustomer")
        .map(|r| (r.query.is_some(), r.status, r.fault))
        .collect();
    assert_eq!(
        creates,
        [
            (true, None, Some("drop-after-commit".to_owned())),
            (true, Some(200), None),
            (false, None, Some("drop-after-commit".to_owned())),
        ]
    );
}
