//! The emulator as a test bench, through the binaries: the emulator's binary started as a
//! child process, each fault injected over HTTP (`POST /__admin/faults`), the CLI's binary run
//! against it, and what the client did, as an integrator sees it: the exit code and the one
//! line on stderr, the attempts that reached the emulator (its journal, `GET /__admin/requests`,
//! and their `fault`), and how long it took. The client crate's `tests/test_bench.rs` shows the
//! same in process.
//!
//! What to expect is the client's retry policy (`trustly_customers::RetryPolicy`): a transport
//! failure, a timeout, 429, 502, 503 or 504 is retried when the request is safe to repeat (a
//! GET; a create-or-update naming its customer by `externalId`), up to `--retries` times (3 by
//! default), 100 to 200 ms before the first retry and doubling, or after the `Retry-After` the
//! server asked for when it is at most 5 s (a longer one ends the retries). A create naming no
//! customer is never sent twice once it may have reached the server.

mod common;

use std::time::{Duration, Instant};

use common::emulator_binary::EmulatorBinary;
use common::*;
use serde_json::{Value, json};

const GET: &str = "getCustomer";
const LIST: &str = "listCustomers";
const CREATE: &str = "createOrUpdateCustomer";

/// The emulator's binary with one customer in it, and an empty journal: the emulator, its base
/// URL, and the customer's id.
async fn bench_with_a_customer() -> (EmulatorBinary, String, String) {
    let bench = EmulatorBinary::start().await;
    let url = bench.base_url().to_owned();
    let id = create_customer(&url).await;
    bench.clear_requests().await;
    (bench, url, id)
}

/// A customer that names no customer to update: no `externalId` (nor `customerId`).
fn keyless() -> Value {
    let mut body = customer();
    body.as_object_mut().unwrap().remove("externalId");
    body
}

/// The (status, fault) of each request the emulator saw for `operation`, in arrival order;
/// `null` where nothing was answered, or no fault applied.
async fn attempts(bench: &EmulatorBinary, operation: &str) -> Vec<(Value, Value)> {
    bench
        .requests()
        .await
        .into_iter()
        .filter(|r| r["operation"] == operation)
        .map(|r| (r["status"].clone(), r["fault"].clone()))
        .collect()
}

/// An attempt answered `status` by a fault.
fn faulted(status: u16) -> (Value, Value) {
    (json!(status), json!("status"))
}

/// An attempt answered `status` with no fault.
fn answered(status: u16) -> (Value, Value) {
    (json!(status), Value::Null)
}

/// An attempt closed without an answer by the fault `kind`.
fn closed(kind: &str) -> (Value, Value) {
    (Value::Null, json!(kind))
}

/// Runs the CLI with `args` and `stdin` against `url`; the run and how long it took.
async fn timed(url: &str, args: &[&str], stdin: Option<Value>) -> (Run, Duration) {
    let args: Vec<&str> = ["--base-url", url]
        .into_iter()
        .chain(args.iter().copied())
        .collect();
    let started = Instant::now();
    let run = run_with(&args, Some((ID, KEY)), stdin.map(|v| v.to_string())).await;
    (run, started.elapsed())
}

/// The customers `list` prints.
async fn listed(url: &str) -> Vec<Value> {
    let run = run(&["--base-url", url, "list"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()["customers"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_503_with_retry_after_is_retried_once_the_wait_is_over() {
    let (bench, url, id) = bench_with_a_customer().await;
    bench
        .add_fault(json!({"operation": GET, "times": 1, "status": 503, "retryAfter": 1}))
        .await;
    let (run, took) = timed(&url, &["get", &id], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["customerId"], json!(id));
    assert_eq!(attempts(&bench, GET).await, [faulted(503), answered(200)]);
    // Retry-After: 1 is honoured over the policy's 100 to 200 ms, and waited once.
    assert!(took >= Duration::from_secs(1), "{took:?}");
    assert!(took < Duration::from_secs(3), "{took:?}");

    // A Retry-After longer than the policy waits (5 s) ends the retries at once: the server
    // is neither kept waiting on nor asked again sooner than it said.
    bench.clear_requests().await;
    bench
        .add_fault(json!({"operation": GET, "times": 1, "status": 503, "retryAfter": 60}))
        .await;
    let (run, took) = timed(&url, &["get", &id], None).await;
    run.fails(6, "server error: HTTP 503");
    assert!(!run.stderr.contains("attempts"), "{}", run.stderr);
    assert_eq!(attempts(&bench, GET).await, [faulted(503)]);
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[tokio::test]
async fn a_429_is_retried_and_rejected_once_the_retries_are_spent() {
    let (bench, url, id) = bench_with_a_customer().await;
    bench
        .add_fault(json!({"operation": GET, "times": 2, "status": 429}))
        .await;
    let (run, took) = timed(&url, &["--retries", "2", "get", &id], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        attempts(&bench, GET).await,
        [faulted(429), faulted(429), answered(200)]
    );
    // Two pauses of the policy's: at least half of 200 ms, then of 400 ms.
    assert!(took >= Duration::from_millis(300), "{took:?}");

    bench.clear_requests().await;
    bench
        .add_fault(json!({"operation": GET, "status": 429}))
        .await;
    let (run, took) = timed(&url, &["--retries", "1", "get", &id], None).await;
    run.fails(5, "request rejected: HTTP 429");
    assert_eq!(
        run.stderr,
        format!(
            "trustly-customers: get: request rejected: HTTP 429, Trustly error code 200 \
             (InvalidParameterException): a fault injected through /__admin/faults: status 429 \
             Too Many Requests; GET {url}/customers/{{customerId}} (after 2 attempts)\n"
        )
    );
    assert_eq!(attempts(&bench, GET).await, [faulted(429), faulted(429)]);
    assert!(took >= Duration::from_millis(100), "{took:?}");
}

#[tokio::test]
async fn a_4xx_or_a_500_is_an_answer_returned_at_once_with_the_exit_code_of_its_kind() {
    let (bench, url, id) = bench_with_a_customer().await;
    for (status, code, kind) in [
        (400, 5, "request rejected"),
        (401, 4, "unauthorized"),
        (404, 3, "not found"),
        (500, 6, "server error"),
    ] {
        bench.clear_requests().await;
        bench
            .add_fault(json!({"operation": GET, "times": 1, "status": status}))
            .await;
        // Retries allowed, none made.
        let (run, _) = timed(&url, &["--retries", "3", "get", &id], None).await;
        run.fails(
            code,
            &format!("trustly-customers: get: {kind}: HTTP {status}, "),
        );
        assert!(!run.stderr.contains("attempts"), "{}", run.stderr);
        assert_eq!(attempts(&bench, GET).await, [faulted(status)], "{status}");
    }
}

#[tokio::test]
async fn drop_closes_without_acting_a_read_is_retried_a_keyless_create_is_not() {
    let (bench, url, id) = bench_with_a_customer().await;
    bench
        .add_fault(json!({"operation": GET, "times": 2, "fault": "drop"}))
        .await;
    let (run, _) = timed(&url, &["get", &id], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["customerId"], json!(id));
    assert_eq!(
        attempts(&bench, GET).await,
        [closed("drop"), closed("drop"), answered(200)]
    );

    bench
        .add_fault(json!({"operation": LIST, "times": 1, "fault": "drop"}))
        .await;
    let (run, _) = timed(&url, &["list"], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        attempts(&bench, LIST).await,
        [closed("drop"), answered(200)]
    );

    bench
        .add_fault(json!({"operation": CREATE, "times": 1, "fault": "drop"}))
        .await;
    let (run, _) = timed(&url, &["--retries", "3", "upsert", "-"], Some(keyless())).await;
    run.fails(7, "trustly-customers: upsert: transport failure: ");
    assert!(!run.stderr.contains("attempts"), "{}", run.stderr);
    assert_eq!(attempts(&bench, CREATE).await, [closed("drop")]);
    // Read, not acted on: still the one customer.
    assert_eq!(listed(&url).await.len(), 1);
}

#[tokio::test]
async fn drop_after_commit_a_keyless_create_is_attempted_once_and_list_shows_it_landed() {
    let bench = EmulatorBinary::start().await;
    let url = bench.base_url().to_owned();
    bench
        .add_fault(json!({"operation": CREATE, "times": 1, "fault": "drop-after-commit"}))
        .await;
    let (run, _) = timed(&url, &["--retries", "3", "upsert", "-"], Some(keyless())).await;
    run.fails(7, "transport failure");
    assert_eq!(
        run.stderr,
        format!(
            "trustly-customers: upsert: transport failure: the request could not be completed; \
             POST {url}/customers; the server's URL is from --base-url\n"
        )
    );
    // Once: a second attempt would have been answered, and made a second customer.
    assert_eq!(
        attempts(&bench, CREATE).await,
        [closed("drop-after-commit")]
    );
    assert_eq!(bench.requests().await[0]["body"], keyless());
    let landed = listed(&url).await;
    assert_eq!(landed.len(), 1, "the write was committed: {landed:?}");
    assert_eq!(landed[0]["name"], "Joe User");
    assert!(landed[0].get("externalId").is_none(), "{}", landed[0]);
}

#[tokio::test]
async fn drop_after_commit_an_upsert_by_external_id_is_retried_and_makes_one_customer() {
    let bench = EmulatorBinary::start().await;
    let url = bench.base_url().to_owned();
    bench
        .add_fault(json!({"operation": CREATE, "times": 2, "fault": "drop-after-commit"}))
        .await;
    let (run, _) = timed(
        &url,
        &["upsert", "--external-id", "ext-1", "-"],
        Some(keyless()),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        attempts(&bench, CREATE).await,
        [
            closed("drop-after-commit"),
            closed("drop-after-commit"),
            answered(200)
        ]
    );
    let customers = listed(&url).await;
    assert_eq!(customers.len(), 1, "{customers:?}");
    assert_eq!(customers[0]["externalId"], "ext-1");
    assert_eq!(customers[0]["customerId"], run.json()["customerId"]);
}

#[tokio::test]
async fn a_delay_longer_than_the_timeout_times_out_each_attempt() {
    let (bench, url, id) = bench_with_a_customer().await;
    bench
        .add_fault(json!({"operation": GET, "times": 5, "delayMs": 1_500}))
        .await;
    let (run, took) = timed(
        &url,
        &["--timeout", "0.2", "--retries", "1", "get", &id],
        None,
    )
    .await;
    run.fails(7, "trustly-customers: get: timed out: ");
    assert!(run.stderr.contains("(after 2 attempts)"), "{}", run.stderr);
    // Each attempt reached the emulator and used the fault once.
    let left = bench.faults().await;
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0]["times"], 3, "{left:?}");
    // And each is in the journal, unanswered: the emulator journals a request when it sees the
    // client hang up, a moment after the client gave up.
    let mut seen = attempts(&bench, GET).await;
    for _ in 0..200 {
        if seen.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        seen = attempts(&bench, GET).await;
    }
    assert_eq!(seen, [closed("delay"), closed("delay")]);
    // Two timeouts and a pause of 100 to 200 ms, never the delay itself.
    assert!(took >= Duration::from_millis(500), "{took:?}");
    assert!(took < Duration::from_millis(1_500), "{took:?}");
}

#[tokio::test]
async fn a_delay_shorter_than_the_timeout_is_waited_out() {
    let (bench, url, id) = bench_with_a_customer().await;
    bench
        .add_fault(json!({"operation": GET, "times": 1, "delayMs": 150}))
        .await;
    let (run, took) = timed(&url, &["--timeout", "5", "get", &id], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["customerId"], json!(id));
    assert!(took >= Duration::from_millis(150), "{took:?}");
    let journal = bench.requests().await;
    assert_eq!(journal.len(), 1, "{journal:?}");
    assert_eq!(
        (&journal[0]["status"], &journal[0]["fault"]),
        (&json!(200), &json!("delay"))
    );
    assert!(
        journal[0]["latencyMs"].as_u64().unwrap() >= 150,
        "{journal:?}"
    );
}

#[tokio::test]
async fn a_fault_applies_its_times_then_is_gone() {
    let (bench, url, id) = bench_with_a_customer().await;
    bench
        .add_fault(json!({"operation": GET, "times": 2, "status": 503}))
        .await;
    let (run, _) = timed(&url, &["--retries", "1", "get", &id], None).await;
    run.fails(6, "trustly-customers: get: server error: HTTP 503, ");
    assert!(run.stderr.contains("(after 2 attempts)"), "{}", run.stderr);
    assert_eq!(attempts(&bench, GET).await, [faulted(503), faulted(503)]);
    assert_eq!(bench.faults().await, Vec::<Value>::new());
    // Used up: the next get is answered at its first attempt.
    bench.clear_requests().await;
    let (run, _) = timed(&url, &["get", &id], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(attempts(&bench, GET).await, [answered(200)]);
}

#[tokio::test]
async fn faults_apply_in_the_order_they_were_added_the_first_that_matches() {
    let (bench, url, id) = bench_with_a_customer().await;
    // Lists only, until removed; then a get once; then any operation once.
    bench
        .add_fault(json!({"operation": LIST, "status": 500}))
        .await;
    bench
        .add_fault(json!({"operation": GET, "times": 1, "status": 502}))
        .await;
    bench.add_fault(json!({"times": 1, "fault": "drop"})).await;
    let (run, took) = timed(&url, &["get", &id], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        attempts(&bench, GET).await,
        [faulted(502), closed("drop"), answered(200)]
    );
    // Two pauses of the policy's: at least half of 200 ms, then of 400 ms.
    assert!(took >= Duration::from_millis(300), "{took:?}");
    // The list fault is left, and applies: a 500 is an answer, not retried.
    let left = bench.faults().await;
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0]["operation"], LIST);
    let (run, _) = timed(&url, &["list"], None).await;
    run.fails(6, "trustly-customers: list: server error: HTTP 500, ");
    assert_eq!(attempts(&bench, LIST).await, [faulted(500)]);
    bench.clear_faults().await;
    assert_eq!(listed(&url).await.len(), 1);
}
