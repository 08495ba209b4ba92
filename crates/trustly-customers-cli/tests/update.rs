//! `update` against the emulator, where a change is refused or is no change: a required
//! property cannot be removed, said in those words; a body that changes nothing writes nothing,
//! and says so.

mod common;

use common::*;
use serde_json::json;

/// The emulator and a customer in it: its base URL and the customer's id.
async fn one_customer() -> (trustly_customers::test_util::LocalEmulator, String, String) {
    let server = emulator().await;
    let url = server.base_url();
    let id = create_customer(&url).await;
    (server, url, id)
}

#[tokio::test]
async fn a_required_property_cannot_be_removed_in_those_words() {
    let (_server, url, id) = one_customer().await;
    for (patch, line) in [
        (
            json!({"email": null}),
            "stdin: not valid changes to a Customer: /email: email is required and cannot be \
             removed",
        ),
        (
            json!({"name": null, "phone": "+16505550000"}),
            "stdin: not valid changes to a Customer: /name: name is required and cannot be \
             removed",
        ),
        (
            json!({"address": {"country": null, "city": "Reno"}}),
            "stdin: not valid changes to a Customer: /address/country: country is required \
             and cannot be removed",
        ),
    ] {
        let run = run_with(
            &["--base-url", &url, "update", &id, "-"],
            Some((ID, KEY)),
            Some(patch.to_string()),
        )
        .await;
        run.fails(2, "is required and cannot be removed");
        assert_eq!(run.stderr, format!("trustly-customers: {line}\n"));
    }
    // A property that may be removed still can be.
    let cleared = run_with(
        &["--base-url", &url, "update", &id, "-"],
        Some((ID, KEY)),
        Some(json!({"taxId": null}).to_string()),
    )
    .await;
    assert_eq!(cleared.code, 0, "{}", cleared.stderr);
    assert!(cleared.json().get("taxId").is_none());
}

#[tokio::test]
async fn an_update_that_changes_nothing_writes_nothing_and_says_so() {
    let (_server, url, id) = one_customer().await;
    let before = run(&["--base-url", &url, "get", &id]).await.json();
    // A write now would give the record a later `updatedAt` (epoch milliseconds).
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let run = run_with(
        &["--base-url", &url, "update", &id, "-"],
        Some((ID, KEY)),
        Some("{}".into()),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "trustly-customers: update: the body changes nothing, so the customer was read and \
         not written\n"
    );
    // The record as it stands on stdout, and as it stands in the emulator: not written, so
    // its updatedAt has not moved.
    assert_eq!(run.json(), before);
    let after = run_with(&["--base-url", &url, "get", &id], Some((ID, KEY)), None).await;
    assert_eq!(after.json(), before);
    assert_eq!(after.json()["updatedAt"], before["updatedAt"]);
}
