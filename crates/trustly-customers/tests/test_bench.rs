//! The emulator as a test bench, seen from the client: each fault kind, `times`, the order of
//! faults, latency, reset, seed and the request journal, each with what the client does about
//! it (retried or not, which error kind, how long it waited). The journal says how many
//! attempts reached the emulator.

use std::time::{Duration, Instant};

use trustly_customers::test_util::{Config, Fault, FaultKind, LocalEmulator, RecordedRequest};
use trustly_customers::{Address, CustomerId, ErrorKind, ExternalId, NewCustomer, RetryPolicy};

const GET: &str = "getCustomer";
const CREATE: &str = "createOrUpdateCustomer";
const LIST: &str = "listCustomers";

/// 3 retries, 20 ms apart and doubling: quick, and long enough to measure.
fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(3)
        .base_delay(Duration::from_millis(20))
        .max_delay(Duration::from_secs(5))
}

async fn bench() -> LocalEmulator {
    LocalEmulator::start_with(|b| b.retry_policy(policy())).await
}

fn ada() -> NewCustomer {
    NewCustomer::new(
        "Ada Example",
        Address::new("US").state("NY"),
        "+12125550100",
        "ada@example.com",
    )
}

async fn a_customer(emulator: &LocalEmulator) -> CustomerId {
    let created = emulator
        .client()
        .create_or_update_customer(None, &ada())
        .await
        .unwrap();
    emulator.server().clear_requests();
    created.customer_id.unwrap()
}

/// (status, fault) of each request the emulator saw for `operation`.
fn seen(emulator: &LocalEmulator, operation: &str) -> Vec<(Option<u16>, Option<String>)> {
    emulator
        .server()
        .requests()
        .into_iter()
        .filter(|r| r.operation == operation)
        .map(|r| (r.status, r.fault))
        .collect()
}

fn fault(name: &str) -> Option<String> {
    Some(name.to_owned())
}

#[tokio::test]
async fn a_503_with_retry_after_is_retried_once_the_wait_is_over() {
    let emulator = bench().await;
    let id = a_customer(&emulator).await;
    emulator
        .server()
        .add_fault(
            Fault::new()
                .operation(GET)
                .times(1)
                .status(503)
                .retry_after(1),
        )
        .unwrap();
    let started = Instant::now();
    let customer = emulator.client().get_customer(&id).await.unwrap();
    let waited = started.elapsed();
    assert_eq!(customer.customer_id.as_ref(), Some(&id));
    assert_eq!(
        seen(&emulator, GET),
        [(Some(503), fault("status")), (Some(200), None)]
    );
    // Retry-After: 1 is honoured over the policy's 20 ms.
    assert!(waited >= Duration::from_secs(1), "{waited:?}");
}

#[tokio::test]
async fn a_status_fault_answers_trustlys_error_body_and_the_client_gives_up_after_its_retries() {
    let emulator = bench().await;
    let id = a_customer(&emulator).await;
    emulator
        .server()
        .add_fault(Fault::new().operation(GET).status(502))
        .unwrap();
    let started = Instant::now();
    let e = emulator.client().get_customer(&id).await.unwrap_err();
    let waited = started.elapsed();
    assert_eq!(e.kind(), ErrorKind::Server);
    assert_eq!(e.status(), Some(502));
    assert_eq!(e.attempts(), 4);
    // Trustly's error body, with the code of an internal error.
    assert_eq!(e.codes().map(|c| c.0).collect::<Vec<_>>(), [100]);
    assert_eq!(seen(&emulator, GET), vec![(Some(502), fault("status")); 4]);
    // Three pauses: 20 + 40 + 80 ms at least (with jitter, no less than half of each).
    assert!(waited >= Duration::from_millis(70), "{waited:?}");

    // 500 is an answer, not a passing failure: returned at once.
    emulator.server().clear_faults();
    emulator.server().clear_requests();
    emulator
        .server()
        .add_fault(Fault::new().operation(GET).times(1).status(500))
        .unwrap();
    let e = emulator.client().get_customer(&id).await.unwrap_err();
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::Server, 1));
    assert_eq!(seen(&emulator, GET), [(Some(500), fault("status"))]);

    // 429: Rejected, retryable, retried; 401: Unauthorized, not retried.
    emulator.server().clear_faults();
    emulator.server().clear_requests();
    emulator
        .server()
        .add_fault(Fault::new().operation(GET).times(2).status(429))
        .unwrap();
    emulator.client().get_customer(&id).await.unwrap();
    assert_eq!(
        seen(&emulator, GET),
        [
            (Some(429), fault("status")),
            (Some(429), fault("status")),
            (Some(200), None)
        ]
    );
    emulator.server().clear_requests();
    emulator
        .server()
        .add_fault(Fault::new().operation(GET).times(1).status(401))
        .unwrap();
    let e = emulator.client().get_customer(&id).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!(e.attempts(), 1);
    assert_eq!(e.codes().map(|c| c.0).collect::<Vec<_>>(), [375]);
}

#[tokio::test]
async fn a_status_fault_on_a_keyless_create_is_not_retried_and_nothing_is_created() {
    let emulator = bench().await;
    emulator
        .server()
        .add_fault(Fault::new().operation(CREATE).times(1).status(503))
        .unwrap();
    let e = emulator
        .client()
        .create_or_update_customer(None, &ada())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
    assert_eq!(e.attempts(), 1);
    assert_eq!(seen(&emulator, CREATE), [(Some(503), fault("status"))]);
    // A status fault does not act on the request.
    assert!(
        emulator
            .client()
            .list_customers(None, None)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn drop_closes_without_acting_a_read_is_retried_a_keyless_create_is_not() {
    let emulator = bench().await;
    let id = a_customer(&emulator).await;
    emulator
        .server()
        .add_fault(Fault::new().operation(GET).times(2).kind(FaultKind::Drop))
        .unwrap();
    let customer = emulator.client().get_customer(&id).await.unwrap();
    assert_eq!(customer.customer_id.as_ref(), Some(&id));
    assert_eq!(
        seen(&emulator, GET),
        [
            (None, fault("drop")),
            (None, fault("drop")),
            (Some(200), None)
        ]
    );

    emulator
        .server()
        .add_fault(
            Fault::new()
                .operation(CREATE)
                .times(1)
                .kind(FaultKind::Drop),
        )
        .unwrap();
    let e = emulator
        .client()
        .create_or_update_customer(None, &ada())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert_eq!(e.attempts(), 1);
    // Read, not acted on: still one customer; the journal has the body that was sent.
    assert_eq!(
        emulator
            .client()
            .list_customers(None, None)
            .await
            .unwrap()
            .len(),
        1
    );
    let creates: Vec<RecordedRequest> = emulator
        .server()
        .requests()
        .into_iter()
        .filter(|r| r.operation == CREATE)
        .collect();
    assert_eq!(creates.len(), 1);
    assert_eq!(creates[0].status, None);
    assert_eq!(creates[0].body.as_ref().unwrap()["name"], "Ada Example");
}

#[tokio::test]
async fn drop_after_commit_an_upsert_by_external_id_is_retried_and_makes_one_customer() {
    let emulator = bench().await;
    let external_id = ExternalId::from("ada-1");
    emulator
        .server()
        .add_fault(
            Fault::new()
                .operation(CREATE)
                .times(2)
                .kind(FaultKind::DropAfterCommit),
        )
        .unwrap();
    let customer = emulator
        .client()
        .upsert_customer_by_external_id(&external_id, &ada())
        .await
        .unwrap();
    assert_eq!(
        seen(&emulator, CREATE),
        [
            (None, fault("drop-after-commit")),
            (None, fault("drop-after-commit")),
            (Some(200), None)
        ]
    );
    let all = emulator.client().list_customers(None, None).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].customer_id, customer.customer_id);
}

#[tokio::test]
async fn drop_after_commit_a_keyless_create_is_not_retried_and_list_finds_it() {
    let emulator = bench().await;
    emulator
        .server()
        .add_fault(
            Fault::new()
                .operation(CREATE)
                .times(1)
                .kind(FaultKind::DropAfterCommit),
        )
        .unwrap();
    let started = Instant::now();
    let e = emulator
        .client()
        .create_or_update_customer(None, &ada())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert_eq!(e.attempts(), 1);
    // No pause: it was never retried.
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(
        seen(&emulator, CREATE),
        [(None, fault("drop-after-commit"))]
    );
    let landed = emulator.client().list_customers(None, None).await.unwrap();
    assert_eq!(landed.len(), 1, "the write was committed");
}

#[tokio::test]
async fn a_delay_longer_than_the_timeout_times_out_each_attempt() {
    let emulator = LocalEmulator::start_with(|b| {
        b.retry_policy(policy().max_retries(1))
            .timeout(Duration::from_millis(200))
    })
    .await;
    let id = a_customer(&emulator).await;
    emulator
        .server()
        .add_fault(Fault::new().operation(GET).delay_ms(1_000))
        .unwrap();
    let started = Instant::now();
    let e = emulator.client().get_customer(&id).await.unwrap_err();
    let waited = started.elapsed();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert_eq!(e.attempts(), 2);
    assert!(waited >= Duration::from_millis(400), "{waited:?}");
    assert!(waited < Duration::from_millis(1_000), "{waited:?}");
    // A delay shorter than the timeout: answered, late.
    emulator.server().clear_faults();
    emulator
        .server()
        .add_fault(Fault::new().operation(GET).times(1).delay_ms(100))
        .unwrap();
    let started = Instant::now();
    emulator.client().get_customer(&id).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(100));
    let last = emulator.server().requests().pop().unwrap();
    assert_eq!(
        (last.status, last.fault.as_deref()),
        (Some(200), Some("delay"))
    );
    assert!(last.latency_ms >= 100, "{last:?}");
}

#[tokio::test]
async fn faults_apply_in_the_order_they_were_added_each_for_its_times() {
    let emulator = bench().await;
    let id = a_customer(&emulator).await;
    let server = emulator.server();
    // The first matches lists only; then get twice; then anything once.
    server
        .add_fault(Fault::new().operation(LIST).status(500))
        .unwrap();
    let second = server
        .add_fault(Fault::new().operation(GET).times(2).status(502))
        .unwrap();
    server.add_fault(Fault::new().times(1).status(503)).unwrap();
    assert_eq!(server.faults().len(), 3);
    let started = Instant::now();
    emulator.client().get_customer(&id).await.unwrap();
    let waited = started.elapsed();
    assert_eq!(
        seen(&emulator, GET),
        [
            (Some(502), fault("status")),
            (Some(502), fault("status")),
            (Some(503), fault("status")),
            (Some(200), None)
        ]
    );
    assert!(waited >= Duration::from_millis(70), "{waited:?}");
    // Used up faults are gone; the list fault stays until removed.
    let left = server.faults();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].fault.operation.as_deref(), Some(LIST));
    assert!(!server.remove_fault(second));
    assert!(server.remove_fault(left[0].id));
    emulator.client().list_customers(None, None).await.unwrap();
}

#[tokio::test]
async fn latency_delays_every_request() {
    let config = Config {
        latency: Some(Duration::from_millis(60)..=Duration::from_millis(80)),
        ..Config::default()
    };
    let emulator = LocalEmulator::start_with_config(config, |b| b.retry_policy(policy())).await;
    let started = Instant::now();
    emulator.client().list_customers(None, None).await.unwrap();
    emulator.client().list_customers(None, None).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(120));
    for request in emulator.server().requests() {
        assert!((60..200).contains(&request.latency_ms), "{request:?}");
        assert_eq!(request.fault, None, "latency is not a fault");
    }
}

#[tokio::test]
async fn reset_clears_customers_faults_and_journal_and_ids_start_again() {
    let emulator = bench().await;
    let first = a_customer(&emulator).await;
    a_customer(&emulator).await;
    emulator
        .server()
        .add_fault(Fault::new().operation(LIST).status(500))
        .unwrap();
    emulator.server().reset().await.unwrap();
    assert!(emulator.server().faults().is_empty());
    assert!(emulator.server().requests().is_empty());
    assert!(
        emulator
            .client()
            .list_customers(None, None)
            .await
            .unwrap()
            .is_empty()
    );
    let again = a_customer(&emulator).await;
    assert_eq!(again, first);
    assert_eq!(emulator.server().add_fault(Fault::new()).unwrap(), 1);
}

#[tokio::test]
async fn a_seed_file_is_served_and_a_bad_one_stops_the_start_naming_the_entry() {
    let dir = std::env::temp_dir().join(format!("trustly-customers-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.json");
    std::fs::write(
        &good,
        r#"{"customers": [
            {"customerId": "1000000042", "externalId": "ada-1", "name": "Ada Example",
             "address": {"country": "US", "state": "NY"}, "phone": "+12125550100",
             "email": "ada@example.com", "driverLicense": {"number": "A1234567", "state": "NY"}},
            {"name": "Bob Example", "address": {"country": "CA"}, "phone": "+14165550100",
             "email": "bob@example.com"}
        ]}"#,
    )
    .unwrap();
    let config = Config {
        seed: Some(good),
        ..Config::default()
    };
    let emulator = LocalEmulator::start_with_config(config, |b| b.retry_policy(policy())).await;
    let client = emulator.client();
    let ada = client
        .get_customer(&CustomerId::from("1000000042"))
        .await
        .unwrap();
    assert_eq!(ada.external_id.value(), Some(&ExternalId::from("ada-1")));
    assert_eq!(client.list_customers(None, None).await.unwrap().len(), 2);

    // The third entry's nested property is wrong: the error names the index and the pointer.
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"customers": [
            {"name": "Ada Example", "address": {"country": "US"}, "phone": "+1", "email": "a@b.c"},
            {"name": "Bob Example", "address": {"country": "US"}, "phone": "+1", "email": "b@b.c"},
            {"name": "Eve Secret", "address": {"country": ["Secret Street"]}, "phone": "+1",
             "email": "eve.secret@mail.com"}
        ]}"#,
    )
    .unwrap();
    let config = Config {
        seed: Some(bad),
        ..Config::default()
    };
    let e = trustly_customers::test_util::MockServer::start(config)
        .await
        .unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("customer 2 (/customers/2/address/country)"),
        "{text}"
    );
    for value in ["Secret Street", "Eve Secret", "eve.secret@mail.com"] {
        assert!(!text.contains(value), "{text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_journal_has_each_request_in_arrival_order_with_its_body_and_query() {
    let emulator = bench().await;
    let client = emulator.client();
    let created = client
        .upsert_customer_by_external_id(&ExternalId::from("ada-1"), &ada())
        .await
        .unwrap();
    let id = created.customer_id.unwrap();
    client.get_customer(&id).await.unwrap();
    let e = client
        .get_customer(&CustomerId::from("999"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let journal = emulator.server().requests();
    let summary: Vec<_> = journal
        .iter()
        .map(|r| {
            (
                r.operation.as_str(),
                r.method.as_str(),
                r.path.as_str(),
                r.status,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (CREATE, "POST", "/api/v1/customers", Some(200)),
            (GET, "GET", &*format!("/api/v1/customers/{id}"), Some(200)),
            (GET, "GET", "/api/v1/customers/999", Some(404)),
        ]
    );
    assert_eq!(journal[0].query.as_deref(), Some("externalId=ada-1"));
    assert_eq!(
        journal[0].body.as_ref().unwrap()["email"],
        "ada@example.com"
    );
    assert_eq!(journal[1].query, None);
    assert_eq!(journal[1].body, None);
    emulator.server().clear_requests();
    assert!(emulator.server().requests().is_empty());
}
