//! The spec-spine drill, stated literally. `.ci/drill.sh` adds `loyaltyTier`, `secondaryEmail`
//! (personal) and the operation `getCustomerNotes` to a scratch copy of the spec, regenerates,
//! and runs these there with `--ignored`; on the project's own spec they have nothing to test.
//!
//! The tests in `every_operation.rs` and the crate's redaction test cover the same ground for
//! whatever the spec declares, and run everywhere.

mod common;

use base64::Engine as _;
use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer as ScriptedServer, ResponseTemplate};

#[tokio::test]
#[ignore = "run by .ci/drill.sh on a copy of the spec with the drill's additions"]
async fn upsert_and_get_round_trip_both_new_properties_through_the_emulator() {
    let server = emulator().await;
    let url = server.base_url();
    let mut body = customer();
    body["loyaltyTier"] = json!("Platinum");
    body["secondaryEmail"] = json!("joe.second@mail.com");
    let file = write_temp("drill.json", &body);
    let created = run(&["--base-url", &url, "upsert", "--file", file.as_str()]).await;
    assert_eq!(created.code, 0, "{}", created.stderr);
    let id = created.json()["customerId"].as_str().unwrap().to_owned();
    let fetched = run(&["--base-url", &url, "get", &id]).await;
    assert_eq!(fetched.code, 0, "{}", fetched.stderr);
    assert_eq!(fetched.json()["loyaltyTier"], "Platinum");
    assert_eq!(fetched.json()["secondaryEmail"], "joe.second@mail.com");
}

#[test]
#[ignore = "run by .ci/drill.sh on a copy of the spec with the drill's additions"]
fn debug_shows_the_loyalty_tier_and_hides_the_secondary_email() {
    let mut record = customer();
    record["loyaltyTier"] = json!("Platinum");
    record["secondaryEmail"] = json!("joe.second@mail.com");
    let customer: trustly_customers::Customer = serde_json::from_value(record).unwrap();
    let text = format!("{customer:?}");
    assert!(text.contains("Platinum"), "{text}");
    assert!(!text.contains("joe.second@mail.com"), "{text}");
    assert!(text.contains("secondary_email"), "{text}");
}

#[tokio::test]
#[ignore = "run by .ci/drill.sh on a copy of the spec with the drill's additions"]
async fn get_customer_notes_sends_an_authenticated_get_and_prints_the_answer() {
    let server = ScriptedServer::start().await;
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{ID}:{KEY}"))
    );
    let mut answer = customer();
    answer["customerId"] = json!("42");
    Mock::given(method("GET"))
        .and(path("/api/v1/customers/42/notes"))
        .and(header("authorization", basic.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "customer": answer })))
        .expect(1)
        .mount(&server)
        .await;
    let url = format!("{}/api/v1", server.uri());
    let run = run(&["--base-url", &url, "get-customer-notes", "42"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let printed: Value = run.json();
    assert_eq!(printed["customerId"], "42");
    assert_eq!(printed["name"], "Joe User");
}

#[tokio::test]
#[ignore = "run by .ci/drill.sh on a copy of the spec with the drill's additions"]
async fn the_help_of_the_commands_that_send_a_record_lists_both_new_properties() {
    for command in ["upsert", "replace", "update"] {
        let help = run_with(&[command, "--help"], None, None).await;
        assert_eq!(help.code, 0, "{}", help.stderr);
        let line = |name: &str| {
            help.stdout
                .lines()
                .find(|l| l.starts_with(&format!("  {name} ")))
                .unwrap_or_else(|| panic!("{command} --help does not list {name}: {}", help.stdout))
                .to_owned()
        };
        let tier = line("loyaltyTier");
        assert!(
            tier.contains("string") && tier.contains("clearable"),
            "{tier}"
        );
        assert!(!tier.contains("personal"), "{tier}");
        assert!(tier.ends_with("The customer's loyalty tier."), "{tier}");
        let email = line("secondaryEmail");
        assert!(email.contains("personal, clearable"), "{email}");
        assert!(
            email.ends_with("Another email address of the customer."),
            "{email}"
        );
    }
}
