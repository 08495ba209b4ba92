//! The generated client alone, with no layer on it, sends a path parameter as one path segment
//! or not at all: a value that would make the URL address something else (`replace_customer`
//! with an empty id would post to `/customers/`, the create endpoint) is refused with
//! `Error::InvalidRequest` before anything is sent, and every other value is sent
//! percent-encoded.

use serde_json::json;
use trustly_customers_api::types::{Address, Customer, CustomerId};
use trustly_customers_api::{Client, Error, RequestSettings};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

/// A server that answers every request with a customer.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    let customer = json!({"name": "Joe User", "address": {"country": "US"}, "phone": "+16505551212",
               "email": "joe.user@mail.com"});
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "customer": customer })))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::new(&format!("{}/api/v1", server.uri()), RequestSettings::new())
}

fn record() -> Customer {
    Customer::new(
        "Joe User",
        Address::new("US"),
        "+16505551212",
        "joe.user@mail.com",
    )
}

/// The message of an `InvalidRequest`, or a failure naming what came instead.
fn refusal<T: std::fmt::Debug>(
    result: Result<T, Error<trustly_customers_api::types::ErrorBody>>,
) -> String {
    match result {
        Err(Error::InvalidRequest(message)) => message,
        other => panic!("not refused as an invalid request: {other:?}"),
    }
}

#[tokio::test]
async fn a_path_parameter_that_is_not_one_segment_is_refused_before_anything_is_sent() {
    let server = server().await;
    let client = client(&server);
    let empty = "cannot be empty, `.` or `..`";
    for (id, problem) in [
        ("", empty),
        (".", empty),
        ("..", empty),
        ("\\", "cannot contain a backslash (found at byte 0)"),
        ("x\\..\\..", "cannot contain a backslash (found at byte 1)"),
        // ASCII controls: `10000\r00001` once asked for customer 1000000001.
        (
            "10000\r00001",
            "cannot contain a control character (U+000D) (found at byte 5)",
        ),
        (
            "\u{0}",
            "cannot contain a control character (U+0000) (found at byte 0)",
        ),
        (
            "\u{7f}",
            "cannot contain a control character (U+007F) (found at byte 0)",
        ),
        // C1 controls, two bytes each in UTF-8.
        (
            "a\u{85}b",
            "cannot contain a control character (U+0085) (found at byte 1)",
        ),
        (
            "\u{9f}",
            "cannot contain a control character (U+009F) (found at byte 0)",
        ),
    ] {
        let expected = format!("the path parameter customerId {problem}");
        let customer_id = CustomerId::from(id);
        let read = refusal(client.get_customer(&customer_id).await);
        assert_eq!(read, expected, "get {id:?}");
        let replaced = refusal(client.replace_customer(&customer_id, &record()).await);
        assert_eq!(replaced, expected, "replace {id:?}");
    }
    let sent = server.received_requests().await.unwrap();
    assert!(sent.is_empty(), "sent: {sent:?}");
}

#[tokio::test]
async fn an_odd_id_that_is_one_segment_is_sent_percent_encoded() {
    let server = server().await;
    let client = client(&server);
    for (id, segment) in [
        ("a/b", "a%2Fb"),
        ("...", "..."),
        ("..a", "..a"),
        ("é", "%C3%A9"),
        (" ", "%20"),
        ("a%2F", "a%252F"),
        ("a\u{a0}b", "a%C2%A0b"),
        ("1002580963", "1002580963"),
    ] {
        let customer_id = CustomerId::from(id);
        client.get_customer(&customer_id).await.unwrap();
        client
            .replace_customer(&customer_id, &record())
            .await
            .unwrap();
        let sent = server.received_requests().await.unwrap();
        let paths: Vec<(String, &str)> = sent[sent.len() - 2..]
            .iter()
            .map(|r| (r.method.to_string(), r.url.path()))
            .collect();
        let path = format!("/api/v1/customers/{segment}");
        assert_eq!(
            paths,
            [
                ("GET".to_owned(), path.as_str()),
                ("POST".to_owned(), path.as_str())
            ],
            "{id:?}"
        );
    }
}
