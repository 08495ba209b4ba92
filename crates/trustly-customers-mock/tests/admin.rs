//! The admin API under `/__admin`, over HTTP: faults (add, list, remove), the request journal,
//! reset; its credentials and its refusals. What a client does about each fault is shown in
//! the client crate's `tests/test_bench.rs`, and through the binaries in the CLI crate's; a
//! reset with a data file, in `reset.rs`.

mod common;

use common::{ACCESS_CONTROL, INVALID_PARAMETER, answer, assert_errors, call, joe};
use reqwest::{Client, Method, Response};
use serde_json::{Value, json};
use trustly_customers_mock::{Config, MockServer};

/// A request to the admin API with the server's credentials.
async fn admin(server: &MockServer, method: Method, path: &str, body: Option<Value>) -> Response {
    let url = format!("http://{}/__admin{path}", server.local_addr());
    let mut request = Client::new()
        .request(method, url)
        .basic_auth(server.access_id(), Some(server.access_key()));
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("the emulator answers")
}

async fn start() -> MockServer {
    MockServer::start(Config::default()).await.unwrap()
}

#[tokio::test]
async fn faults_are_added_listed_and_removed_over_http() {
    let server = start().await;
    let (status, body) = answer(
        admin(
            &server,
            Method::POST,
            "/faults",
            Some(json!({"operation": "getCustomer", "times": 2, "status": 503, "retryAfter": 3})),
        )
        .await,
    )
    .await;
    assert_eq!((status, &body), (201, &json!({"id": 1})));
    let (status, _) = answer(
        admin(
            &server,
            Method::POST,
            "/faults",
            Some(json!({"fault": "drop", "delayMs": 5})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201);
    let (status, body) = answer(admin(&server, Method::GET, "/faults", None).await).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"faults": [
            {"id": 1, "operation": "getCustomer", "times": 2, "status": 503, "retryAfter": 3},
            {"id": 2, "delayMs": 5, "fault": "drop"},
        ]})
    );
    // The first applies to a get: 503, Trustly's error body with code 100, Retry-After.
    let response = call(&server, Method::GET, "/customers/1000000001", None).await;
    assert_eq!(response.headers()["retry-after"], "3");
    let (status, body) = answer(response).await;
    assert_eq!(status, 503);
    assert_errors(
        &body,
        "com.trustly.merchantgateway.v1.exception.InternalException",
        100,
    );
    let removed = admin(&server, Method::DELETE, "/faults/1", None).await;
    assert_eq!(removed.status(), 204);
    let (status, body) = answer(admin(&server, Method::DELETE, "/faults/1", None).await).await;
    assert_eq!(status, 404);
    assert_errors(&body, INVALID_PARAMETER, 200);
    let (status, _) = answer(admin(&server, Method::DELETE, "/faults/x", None).await).await;
    assert_eq!(status, 404);
    assert_eq!(
        admin(&server, Method::DELETE, "/faults", None)
            .await
            .status(),
        204
    );
    let (_, body) = answer(admin(&server, Method::GET, "/faults", None).await).await;
    assert_eq!(body, json!({"faults": []}));
}

#[tokio::test]
async fn an_unknown_operation_or_fault_kind_is_a_400_that_names_it() {
    let server = start().await;
    for (fault, named) in [
        (json!({"operation": "deleteCustomer"}), "\"deleteCustomer\""),
        (json!({"fault": "explode"}), "explode"),
        (json!({"status": 200}), "status"),
        (json!({"times": 0}), "times"),
        (json!({"retryAfter": 1}), "retryAfter"),
        (json!({"status": 500, "fault": "drop"}), "fault"),
        (json!({"colour": "red"}), "colour"),
        (json!({"times": -1}), "-1"),
        (json!([]), "(root)"),
    ] {
        let (status, body) =
            answer(admin(&server, Method::POST, "/faults", Some(fault.clone())).await).await;
        assert_eq!(status, 400, "{fault}");
        let messages = assert_errors(&body, INVALID_PARAMETER, 200);
        assert!(messages[0].contains(named), "{fault}: {messages:?}");
    }
    // The operations named are the spec's: each is accepted.
    for op in [
        "listCustomers",
        "createOrUpdateCustomer",
        "getCustomer",
        "replaceCustomer",
    ] {
        let (status, _) = answer(
            admin(
                &server,
                Method::POST,
                "/faults",
                Some(json!({"operation": op})),
            )
            .await,
        )
        .await;
        assert_eq!(status, 201, "{op}");
    }
    let text = Client::new()
        .post(format!("http://{}/__admin/faults", server.local_addr()))
        .basic_auth(server.access_id(), Some(server.access_key()))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(text.status(), 415);
}

#[tokio::test]
async fn the_admin_api_wants_the_emulators_credentials() {
    let server = start().await;
    for (method, path) in [
        (Method::GET, "/faults"),
        (Method::POST, "/faults"),
        (Method::DELETE, "/faults"),
        (Method::DELETE, "/faults/1"),
        (Method::GET, "/requests"),
        (Method::DELETE, "/requests"),
        (Method::POST, "/reset"),
    ] {
        let url = format!("http://{}/__admin{path}", server.local_addr());
        let response = Client::new()
            .request(method.clone(), url)
            .basic_auth("local-access-id", Some("wrong"))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        let (status, body) = answer(response).await;
        assert_eq!(status, 401, "{method} {path}");
        assert_errors(&body, ACCESS_CONTROL, 375);
    }
    let (status, _) = answer(admin(&server, Method::PUT, "/reset", None).await).await;
    assert_eq!(status, 405);
}

#[tokio::test]
async fn the_journal_over_http_and_reset() {
    let server = start().await;
    let created = call(
        &server,
        Method::POST,
        "/customers?externalId=j-1",
        Some(&joe(None)),
    )
    .await;
    assert_eq!(created.status(), 200);
    admin(
        &server,
        Method::POST,
        "/faults",
        Some(json!({"operation": "listCustomers", "times": 1, "fault": "drop"})),
    )
    .await;
    let dropped = Client::new()
        .get(format!("{}/customers?externalId=j-1", server.base_url()))
        .basic_auth(server.access_id(), Some(server.access_key()))
        .send()
        .await;
    assert!(dropped.is_err(), "closed without an answer: {dropped:?}");
    let (status, body) = answer(admin(&server, Method::GET, "/requests", None).await).await;
    assert_eq!(status, 200);
    let requests = body["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 2);
    let first = &requests[0];
    assert_eq!(first["operation"], "createOrUpdateCustomer");
    assert_eq!(first["method"], "POST");
    assert_eq!(first["path"], "/api/v1/customers");
    assert_eq!(first["query"], "externalId=j-1");
    assert_eq!(first["status"], 200);
    assert_eq!(first["fault"], Value::Null);
    assert_eq!(first["body"], joe(None));
    assert!(first["latencyMs"].is_u64());
    let second = &requests[1];
    assert_eq!(
        (
            &second["operation"],
            &second["status"],
            &second["fault"],
            &second["body"]
        ),
        (
            &json!("listCustomers"),
            &Value::Null,
            &json!("drop"),
            &Value::Null
        )
    );
    assert_eq!(
        admin(&server, Method::DELETE, "/requests", None)
            .await
            .status(),
        204
    );
    let (_, body) = answer(admin(&server, Method::GET, "/requests", None).await).await;
    assert_eq!(body, json!({"requests": []}));

    // Reset: customers, faults, journal; ids start again.
    admin(
        &server,
        Method::POST,
        "/faults",
        Some(json!({"operation": "getCustomer", "status": 500})),
    )
    .await;
    call(&server, Method::POST, "/customers", Some(&joe(None))).await;
    assert_eq!(
        admin(&server, Method::POST, "/reset", None).await.status(),
        204
    );
    let (_, body) = answer(admin(&server, Method::GET, "/faults", None).await).await;
    assert_eq!(body, json!({"faults": []}));
    let (_, body) = answer(admin(&server, Method::GET, "/requests", None).await).await;
    assert_eq!(body, json!({"requests": []}));
    let (_, body) = answer(call(&server, Method::GET, "/customers", None).await).await;
    assert_eq!(body, json!({"customers": []}));
    let (_, body) = answer(call(&server, Method::POST, "/customers", Some(&joe(None))).await).await;
    assert_eq!(body["customer"]["customerId"], "1000000001");
    let (_, body) = answer(admin(&server, Method::POST, "/faults", Some(json!({}))).await).await;
    assert_eq!(body, json!({"id": 1}));
}

#[tokio::test]
async fn drop_after_commit_is_durable_with_a_data_file() {
    let dir = std::env::temp_dir().join(format!("mock-admin-data-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("customers.db");
    let config = Config {
        data: Some(data.clone()),
        ..Config::default()
    };
    let server = MockServer::start(config.clone()).await.unwrap();
    admin(
        &server,
        Method::POST,
        "/faults",
        Some(json!({"operation": "createOrUpdateCustomer", "fault": "drop-after-commit"})),
    )
    .await;
    let lost = Client::new()
        .post(format!("{}/customers", server.base_url()))
        .basic_auth(server.access_id(), Some(server.access_key()))
        .json(&joe(Some("durable-1")))
        .send()
        .await;
    assert!(lost.is_err(), "{lost:?}");
    // Killed without a shutdown: what the file holds is what was committed.
    std::mem::forget(server);
    let reopened = {
        // A second emulator on the same file would wait for the lock: read the file directly.
        let connection = rusqlite::Connection::open(&data).unwrap();
        let count: i64 = connection
            .query_row(
                "SELECT count(*) FROM customers WHERE record ->> '$.externalId' = 'durable-1'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        count
    };
    assert_eq!(reopened, 1, "the write whose answer was lost is on disk");
}

/// The journal's entries, once it holds `count` of them (a request the client abandoned is
/// journaled when the emulator sees the connection close, a moment after the client gave up).
async fn journal_of(server: &MockServer, count: usize) -> Vec<Value> {
    for _ in 0..300 {
        let (_, mut body) = answer(admin(server, Method::GET, "/requests", None).await).await;
        if let Value::Array(requests) = body["requests"].take()
            && requests.len() >= count
        {
            return requests;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the journal never held {count} requests");
}

#[tokio::test]
async fn a_request_the_client_gave_up_on_is_journaled_unanswered() {
    let server = start().await;
    let impatient = Client::builder()
        .timeout(std::time::Duration::from_millis(100))
        .build()
        .unwrap();
    let send = |method: Method, target: &str, body: Option<Value>| {
        let mut request = impatient
            .request(method, format!("{}{target}", server.base_url()))
            .basic_auth(server.access_id(), Some(server.access_key()));
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send()
    };

    // A delay after the handler: the write is done, the client is gone before the answer.
    admin(
        &server,
        Method::POST,
        "/faults",
        Some(json!({"operation": "createOrUpdateCustomer", "times": 1, "delayMs": 2000})),
    )
    .await;
    let gave_up = send(Method::POST, "/customers?externalId=late", Some(joe(None))).await;
    assert!(gave_up.is_err(), "timed out: {gave_up:?}");
    // A status fault's delay comes before it: nothing is done, the client is gone.
    admin(
        &server,
        Method::POST,
        "/faults",
        Some(json!({"operation": "getCustomer", "times": 1, "status": 503, "delayMs": 2000})),
    )
    .await;
    let gave_up = send(Method::GET, "/customers/1000000001", None).await;
    assert!(gave_up.is_err(), "timed out: {gave_up:?}");

    let requests = journal_of(&server, 2).await;
    let seen: Vec<_> = requests
        .iter()
        .map(|r| {
            (
                r["operation"].clone(),
                r["status"].clone(),
                r["fault"].clone(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (json!("createOrUpdateCustomer"), Value::Null, json!("delay")),
            (json!("getCustomer"), Value::Null, json!("status")),
        ]
    );
    assert_eq!(requests[0]["body"], joe(None), "the body it was sent");
    assert_eq!(requests[0]["query"], "externalId=late");
    let latency = requests[0]["latencyMs"].as_u64().unwrap();
    assert!(
        (100..2000).contains(&latency),
        "from arrival to the client's hang-up: {latency} ms"
    );
    // The write was done before the answer was lost.
    let (_, body) =
        answer(call(&server, Method::GET, "/customers?externalId=late", None).await).await;
    assert_eq!(
        body["customers"].as_array().map(Vec::len),
        Some(1),
        "{body}"
    );
}
