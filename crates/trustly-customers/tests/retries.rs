//! Which failures are retried, how often, and how long the client waits.

mod common;

use std::time::{Duration, Instant};

use common::*;
use trustly_customers::{
    Address, CustomerId, CustomerPatch, ErrorKind, ExternalId, NewCustomer, RetryPolicy,
};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `first` answered `times` times, then 200 with a customer.
async fn flaky(first: ResponseTemplate, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(times)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_response()))
        .mount(&server)
        .await;
    server
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn a_503_then_200_succeeds_for_every_repeatable_operation() {
    let unavailable = || ResponseTemplate::new(503).set_body_json(error_body(100, "busy"));
    let server = flaky(unavailable(), 1).await;
    let client = client_for(&server);
    client.get_customer(&CustomerId::from("c1")).await.unwrap();
    assert_eq!(request_count(&server).await, 2);

    // List, plain and filtered, and find (a filtered list): reads, so always repeatable.
    let listing = || async {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(unavailable())
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({"customers": [full_customer_json()]})),
            )
            .mount(&server)
            .await;
        server
    };
    let server = listing().await;
    let all = client_for(&server)
        .list_customers(None, None)
        .await
        .unwrap();
    assert_eq!((all.len(), request_count(&server).await), (1, 2));
    let server = listing().await;
    client_for(&server)
        .list_customers(Some(&CustomerId::from("1002580963")), None)
        .await
        .unwrap();
    assert_eq!(request_count(&server).await, 2);
    let server = listing().await;
    let found = client_for(&server)
        .find_customer_by_external_id(&ExternalId::from("ext-42"))
        .await
        .unwrap();
    assert!(found.is_some());
    assert_eq!(request_count(&server).await, 2);

    let server = flaky(unavailable(), 2).await;
    client_for(&server)
        .replace_customer(&CustomerId::from("c1"), &full_new_customer())
        .await
        .unwrap();
    assert_eq!(request_count(&server).await, 3);

    // An update is a read and a write: the read, answered 503 first, is repeated.
    let server = flaky(unavailable(), 1).await;
    client_for(&server)
        .update_customer(&CustomerId::from("c1"), &CustomerPatch::new().phone("1"))
        .await
        .unwrap();
    let methods: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(methods, ["GET", "GET", "POST"]);

    let server = flaky(unavailable(), 1).await;
    client_for(&server)
        .upsert_customer_by_external_id(&ExternalId::from("e1"), &anonymous_new_customer())
        .await
        .unwrap();
    assert_eq!(request_count(&server).await, 2);

    // A create-or-update that names its customer in the body.
    let server = flaky(unavailable(), 1).await;
    client_for(&server)
        .create_or_update_customer(None, &full_new_customer())
        .await
        .unwrap();
    assert_eq!(request_count(&server).await, 2);
    let named_by_id =
        NewCustomer::new("n", Address::new("US"), "1", "e").customer_id(CustomerId::from("c1"));
    let server = flaky(unavailable(), 1).await;
    client_for(&server)
        .create_or_update_customer(None, &named_by_id)
        .await
        .unwrap();
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn statuses_429_502_504_and_timeouts_are_retried() {
    for status in [429, 502, 504] {
        let server = flaky(ResponseTemplate::new(status), 1).await;
        client_for(&server)
            .get_customer(&CustomerId::from("c1"))
            .await
            .unwrap();
        assert_eq!(request_count(&server).await, 2, "{status}");
    }
    let slow = ResponseTemplate::new(200).set_delay(Duration::from_secs(10));
    let server = flaky(slow, 1).await;
    let client = builder_for(&server.uri())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    client.get_customer(&CustomerId::from("c1")).await.unwrap();
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn a_400_500_401_or_404_is_not_retried() {
    for status in [400, 401, 404, 500] {
        let server = flaky(
            ResponseTemplate::new(status).set_body_json(error_body(200, "no")),
            1,
        )
        .await;
        let e = client_for(&server)
            .get_customer(&CustomerId::from("c1"))
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(status));
        assert_eq!(e.attempts(), 1);
        assert_eq!(request_count(&server).await, 1, "{status}");
    }
}

#[tokio::test]
async fn a_create_without_ids_is_not_retried_once_sent() {
    for first in [
        ResponseTemplate::new(503),
        ResponseTemplate::new(502),
        ResponseTemplate::new(200).set_delay(Duration::from_secs(10)),
    ] {
        let server = flaky(first, 1).await;
        let client = builder_for(&server.uri())
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let e = client
            .create_or_update_customer(None, &anonymous_new_customer())
            .await
            .unwrap_err();
        assert!(
            e.is_retryable(),
            "retryable in kind, but not safe to repeat: {e}"
        );
        assert_eq!(e.attempts(), 1);
        assert_eq!(request_count(&server).await, 1);
    }
}

#[tokio::test]
async fn an_empty_id_names_no_customer_so_is_not_retried_once_sent() {
    // A server may read an empty id as none, and create a customer on each attempt.
    let named_by_empty = |field: &str| -> NewCustomer {
        let mut body = serde_json::to_value(anonymous_new_customer()).unwrap();
        body[field] = "".into();
        serde_json::from_value(body).unwrap()
    };
    for (in_query, body) in [
        (false, named_by_empty("externalId")),
        (false, named_by_empty("customerId")),
        (true, anonymous_new_customer()),
    ] {
        let server = flaky(ResponseTemplate::new(503), 1).await;
        let client = client_for(&server);
        let e = if in_query {
            client
                .upsert_customer_by_external_id(&ExternalId::from(""), &body)
                .await
        } else {
            client.create_or_update_customer(None, &body).await
        }
        .unwrap_err();
        assert_eq!(e.attempts(), 1, "{e}");
        assert_eq!(request_count(&server).await, 1);
    }
}

#[tokio::test]
async fn a_create_without_ids_is_retried_when_nothing_was_sent() {
    // Nothing listens: every attempt fails to connect, so each retry is safe.
    let refusing = Refusing::new();
    let client = builder_for(&refusing.uri()).build().unwrap();
    let e = client
        .create_or_update_customer(None, &anonymous_new_customer())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert_eq!(e.attempts(), 4);
}

/// A server that reads each request whole, then closes the connection without answering,
/// and counts the requests it read.
async fn reads_then_hangs_up() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let read = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = read.clone();
    tokio::spawn(async move {
        while let Ok((connection, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut reader = BufReader::new(connection);
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = value.trim().parse().unwrap();
                    }
                    if line == "\r\n" {
                        break;
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).await.is_ok() {
                    counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
                // Dropped here: the request was read, and no answer comes.
            });
        }
    });
    (uri, read)
}

#[tokio::test]
async fn a_create_without_ids_is_not_retried_when_the_connection_drops_after_sending() {
    // The server may have created the customer before the connection went: a second attempt
    // could create a second one. Only a failed connection proves nothing was sent.
    let (uri, read) = reads_then_hangs_up().await;
    let client = builder_for(&uri).build().unwrap();
    let e = client
        .create_or_update_customer(None, &anonymous_new_customer())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert!(
        e.to_string().contains("the request could not be completed"),
        "{e}"
    );
    assert_eq!(e.attempts(), 1, "{e}");
    assert_eq!(read.load(std::sync::atomic::Ordering::SeqCst), 1);

    // A read is safe to repeat, and is.
    let (uri, read) = reads_then_hangs_up().await;
    let client = builder_for(&uri).build().unwrap();
    let e = client
        .get_customer(&CustomerId::from("1002580963"))
        .await
        .unwrap_err();
    assert_eq!(e.attempts(), 4, "{e}");
    assert_eq!(read.load(std::sync::atomic::Ordering::SeqCst), 4);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = flaky(
        ResponseTemplate::new(503).insert_header("retry-after", "1"),
        1,
    )
    .await;
    // Base delay 5 ms, so only Retry-After can explain a wait of a second.
    let client = builder_for(&server.uri())
        .retry_policy(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_secs(2)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    client.get_customer(&CustomerId::from("c1")).await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(950), "waited {waited:?}");
    assert!(waited < Duration::from_secs(10));
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn a_retry_after_beyond_max_delay_stops_retrying() {
    let server = flaky(
        ResponseTemplate::new(503).insert_header("retry-after", "120"),
        1,
    )
    .await;
    let started = Instant::now();
    let e = client_for(&server)
        .get_customer(&CustomerId::from("c1"))
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(503));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(120)));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn retries_are_bounded_and_can_be_switched_off() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let e = client_for(&server)
        .get_customer(&CustomerId::from("c1"))
        .await
        .unwrap_err();
    assert_eq!(e.attempts(), 4);
    assert_eq!(request_count(&server).await, 4);
    assert!(e.to_string().ends_with("(after 4 attempts)"), "{e}");

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = builder_for(&server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    client
        .get_customer(&CustomerId::from("c1"))
        .await
        .unwrap_err();
    assert_eq!(request_count(&server).await, 1);
}
