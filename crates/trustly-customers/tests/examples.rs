//! Each example's flow, run against the local emulator, so the examples keep working.
// Each example declares its own `mod support;`, so including several examples loads that file
// once per example: intended, as each example must stay a standalone program.
#![allow(clippy::duplicate_mod)]

mod common;

use common::emulator_client as emulator;

#[allow(dead_code)]
#[path = "../examples/clear_a_field.rs"]
mod clear_a_field;
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
    let (_server, client) = emulator().await;
    quickstart::run(&client).await.unwrap();
}

#[tokio::test]
async fn upsert_by_external_id_runs() {
    let (_server, client) = emulator().await;
    upsert_by_external_id::run(&client).await.unwrap();
}

#[tokio::test]
async fn clear_a_field_runs() {
    let (_server, client) = emulator().await;
    clear_a_field::run(&client).await.unwrap();
}

#[tokio::test]
async fn not_found_runs() {
    let (_server, client) = emulator().await;
    not_found::run(&client).await.unwrap();
}

#[tokio::test]
async fn retries_runs_then_gives_up_once_the_emulator_stops() {
    let (server, client) = emulator().await;
    retries::run(&client).await.unwrap();
    // The example's policy, against the emulator's address once nothing listens there.
    let client = trustly_customers::Client::builder(trustly_customers::Credentials::new(
        server.access_id(),
        server.access_key(),
    ))
    .base_url(&server.base_url())
    .retry_policy(retries::policy())
    .build()
    .unwrap();
    server.shutdown().await.expect("every change is saved");
    let e = retries::give_up(&client).await;
    assert_eq!(e.attempts(), 3, "{e}");
}
