//! Every error kind, and every malformed response, comes back as a clean `Error`.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use trustly_customers::{CustomerId, ErrorCode, ErrorKind, ExternalId, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answering(response: ResponseTemplate) -> (MockServer, trustly_customers::Client) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    let client = builder_for(&server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    (server, client)
}

async fn get_error(response: ResponseTemplate) -> trustly_customers::Error {
    let (_server, client) = answering(response).await;
    let error = client
        .get_customer(&CustomerId::from("c1"))
        .await
        .unwrap_err();
    assert_no_personal_data(&error.to_string());
    assert_no_personal_data(&format!("{error:?}"));
    assert!(
        !error.to_string().contains('\n'),
        "Display is one line: {error}"
    );
    error
}

#[tokio::test]
async fn status_404_is_not_found_with_trustly_errors() {
    let e = get_error(
        ResponseTemplate::new(404)
            .set_body_json(error_body(200, "No customer jane.secret@example.com")),
    )
    .await;
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.status(), Some(404));
    assert_eq!(e.api_errors().len(), 1);
    assert_eq!(e.api_errors()[0].code, ErrorCode::INVALID_PARAMETER);
    assert_eq!(
        e.codes().collect::<Vec<_>>(),
        [ErrorCode::INVALID_PARAMETER]
    );
    assert_eq!(
        trustly_customers::short_domain(&e.api_errors()[0].domain),
        "InvalidParameterException"
    );
    // The server's message is reachable, but not in Display or Debug.
    assert!(e.api_errors()[0].message.contains("No customer"));
    assert_eq!(e.operation(), Some("get_customer"));
    assert!(!e.is_retryable());
    let url = e.url().expect("a call's error has its URL").to_owned();
    assert!(url.ends_with("/api/v1/customers/{customerId}"), "{url}");
    assert_eq!(e.method(), Some("GET"));
    // Status, then Trustly's code and domain, each once; then where the request went.
    assert_eq!(
        e.to_string(),
        format!(
            "get_customer: not found: HTTP 404, Trustly error code 200 \
             (InvalidParameterException); GET {url}"
        )
    );
    // Trustly's message, for a person who made the request, under the name they know.
    assert_eq!(
        e.report(Some("get")).to_string(),
        format!(
            "get: not found: HTTP 404, Trustly error code 200 (InvalidParameterException): \
             No customer jane.secret@example.com; GET {url}"
        )
    );
}

#[tokio::test]
async fn a_404_without_trustly_error_body_is_no_such_endpoint_not_a_missing_record() {
    // A wrong base URL (no `/api/v1`): the server, or a web server in front of it, serves no
    // such path, and answers without Trustly's error body. Trustly answers a missing customer
    // with its error body (the test above).
    for response in [
        ResponseTemplate::new(404),
        ResponseTemplate::new(404).set_body_raw("<html>Not Found</html>", "text/html"),
        ResponseTemplate::new(404).set_body_raw("no such endpoint", "text/plain"),
        ResponseTemplate::new(404).set_body_json(json!({"status": 404, "error": "Not Found"})),
    ] {
        let e = get_error(response).await;
        assert_eq!(e.kind(), ErrorKind::NoSuchEndpoint);
        assert_eq!(e.status(), Some(404));
        assert!(
            e.to_string()
                .starts_with("get_customer: no such endpoint: HTTP 404"),
            "{e}"
        );
    }
    // The same for an operation whose spec declares no 404 (list).
    let (_server, client) = answering(ResponseTemplate::new(404)).await;
    let e = client.list_customers(None, None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NoSuchEndpoint, "{e}");
    let (_server, client) =
        answering(ResponseTemplate::new(404).set_body_json(error_body(200, "no customer"))).await;
    let e = client.list_customers(None, None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
}

#[tokio::test]
async fn a_code_the_spec_does_not_name_comes_as_itself() {
    let mut body = error_body(4242, "A code from a later Trustly");
    body["errors"]
        .as_array_mut()
        .unwrap()
        .push(error_body(375, "Access not authorized")["errors"][0].clone());
    let e = get_error(ResponseTemplate::new(400).set_body_json(body)).await;
    assert_eq!(e.kind(), ErrorKind::Rejected);
    let codes: Vec<ErrorCode> = e.codes().collect();
    assert_eq!(
        codes,
        [ErrorCode(4242), ErrorCode::ACCESS_CONTROL],
        "in order"
    );
    assert_eq!(codes[0].name(), None);
    assert_eq!(codes[0].description(), None);
    assert_eq!(codes[1].name(), Some("AccessControl"));
    // Display keeps the numbers.
    assert!(
        e.to_string().starts_with(
            "get_customer: request rejected: HTTP 400, Trustly error code 4242 \
             (InvalidParameterException); Trustly error code 375 (InvalidParameterException); \
             GET http://"
        ),
        "{e}"
    );
}

#[tokio::test]
async fn no_error_body_means_no_codes() {
    let e = get_error(ResponseTemplate::new(404)).await;
    assert_eq!(e.kind(), ErrorKind::NoSuchEndpoint);
    assert_eq!(e.codes().count(), 0);
}

#[tokio::test]
async fn status_401_and_403_are_unauthorized() {
    for status in [401, 403] {
        let e = get_error(
            ResponseTemplate::new(status).set_body_json(error_body(375, "Access not authorized")),
        )
        .await;
        assert_eq!(e.kind(), ErrorKind::Unauthorized, "{status}");
        assert_eq!(e.status(), Some(status));
    }
}

#[tokio::test]
async fn other_4xx_are_rejected() {
    for status in [400, 409, 413, 422, 429] {
        let e =
            get_error(ResponseTemplate::new(status).set_body_json(error_body(200, "bad"))).await;
        assert_eq!(e.kind(), ErrorKind::Rejected, "{status}");
        assert_eq!(e.is_retryable(), status == 429);
    }
}

#[tokio::test]
async fn status_5xx_are_server_errors() {
    for status in [500, 502, 503, 504] {
        let e = get_error(ResponseTemplate::new(status).set_body_json(error_body(100, "internal")))
            .await;
        assert_eq!(e.kind(), ErrorKind::Server, "{status}");
        assert_eq!(e.is_retryable(), status != 500);
    }
}

#[tokio::test]
async fn an_html_error_page_is_a_server_error_described_not_quoted() {
    let page = "<html><head><title>502 Bad Gateway</title></head><body>upstream jane.secret@example.com</body></html>";
    let e = get_error(ResponseTemplate::new(502).set_body_raw(page, "text/html")).await;
    assert_eq!(e.kind(), ErrorKind::Server);
    assert!(e.api_errors().is_empty());
    let excerpt = e.body_excerpt().expect("an excerpt of the page");
    assert_eq!(excerpt.content_type(), Some("text/html"));
    assert_eq!(excerpt.len(), page.len());
}

#[tokio::test]
async fn an_html_page_with_status_200_is_a_decode_error() {
    let e = get_error(
        ResponseTemplate::new(200).set_body_raw("<html>hello Jane Q Secret</html>", "text/html"),
    )
    .await;
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("not JSON: markup"), "{e}");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_a_masked_excerpt() {
    let e = get_error(ResponseTemplate::new(200).set_body_raw(
        r#"{"customer": {"name": "Jane Q Secret",, }}"#,
        "application/json",
    ))
    .await;
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(
        e.body_excerpt().unwrap().shape(),
        r#"{"customer": {"name": "…",, }}"#
    );
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let full = customer_response().to_string();
    let cut = &full[..full.len() / 2];
    let e = get_error(ResponseTemplate::new(200).set_body_raw(cut, "application/json")).await;
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("EOF while parsing"), "{e}");
    assert!(
        e.body_excerpt()
            .unwrap()
            .shape()
            .starts_with(r#"{"customer":{"#)
    );
}

#[tokio::test]
async fn a_wrongly_typed_value_is_a_decode_error_that_does_not_quote_it() {
    let mut body = customer_response();
    body["customer"]["createdAt"] = json!("jane.secret@example.com");
    let e = get_error(ResponseTemplate::new(200).set_body_json(body)).await;
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("invalid type, expected i64"), "{e}");
    assert!(e.to_string().contains("(at /customer/createdAt)"), "{e}");
}

#[tokio::test]
async fn a_missing_required_property_is_a_decode_error_naming_it() {
    let mut body = customer_response();
    body["customer"].as_object_mut().unwrap().remove("email");
    let e = get_error(ResponseTemplate::new(200).set_body_json(body)).await;
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("missing field `email`"), "{e}");
    assert!(e.to_string().contains("(at /customer)"), "{e}");
}

#[tokio::test]
async fn an_empty_success_body_is_a_decode_error() {
    let e = get_error(ResponseTemplate::new(200)).await;
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.body_excerpt().unwrap().is_empty());
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let e = get_error(ResponseTemplate::new(302).insert_header("location", "https://example.com/"))
        .await;
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.status(), Some(302));
}

#[tokio::test]
async fn a_slow_response_times_out_within_a_bound() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(customer_response())
                .set_delay(Duration::from_secs(10)),
        )
        .mount(&server)
        .await;
    let client = builder_for(&server.uri())
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let e = client
        .get_customer(&CustomerId::from("c1"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.is_retryable());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "bounded by the timeout"
    );
}

#[tokio::test]
async fn retried_timeouts_stay_bounded() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let client = builder_for(&server.uri())
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let started = Instant::now();
    let e = client
        .get_customer(&CustomerId::from("c1"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert_eq!(e.attempts(), 4, "the first attempt and three retries");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let refusing = Refusing::new();
    let client = builder_for(&refusing.uri()).build().unwrap();
    let e = client
        .find_customer_by_external_id(&ExternalId::from("ext-42"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert!(e.is_retryable());
    assert_eq!(e.attempts(), 4);
    assert!(!e.to_string().contains("ext-42"), "no URL in errors: {e}");
    assert!(
        !format!("{e:?}").contains("ext-42"),
        "no URL in errors: {e:?}"
    );
}

#[tokio::test]
async fn configuration_errors_are_config() {
    let e = builder_for("http://192.0.2.1").build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(e.to_string().contains("plain http"), "{e}");
    let e = builder_for("https://exa mple.com").build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    let e = builder_for("http://127.0.0.1:1")
        .user_agent("bad\nagent")
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
}

#[tokio::test]
async fn the_timeout_applies_to_a_caller_supplied_http_client_too() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let client = builder_for(&server.uri())
        .http_client(reqwest::Client::new())
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let e = client
        .get_customer(&CustomerId::from("c1"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_bad_value_deep_in_a_list_is_named_by_json_pointer() {
    let mut bad = full_customer_json();
    bad["vip"] = json!({"tier": "jane.secret@example.com"});
    let body = json!({"customers": [full_customer_json(), bad]});
    let (_server, client) = answering(ResponseTemplate::new(200).set_body_json(body)).await;
    let e = client.list_customers(None, None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("(at /customers/1/vip)"), "{e}");
    assert_no_personal_data(&e.to_string());
    assert_no_personal_data(&format!("{e:?}"));
}

#[tokio::test]
async fn a_response_body_over_the_limit_is_refused_not_read_whole() {
    // Valid JSON of 5 MiB: an empty list after 5 MiB of whitespace.
    let mut body = " ".repeat(5 * 1024 * 1024).into_bytes();
    body.extend_from_slice(br#"{"customers": []}"#);
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;

    // The default limit is 4 MiB; nothing about it is worth a retry.
    let client = builder_for(&server.uri()).build().unwrap();
    let e = client.list_customers(None, None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
    assert!(e.to_string().contains("larger than"), "{e}");
    assert_eq!(e.attempts(), 1, "{e}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    // A limit can be raised, or lifted.
    for limit in [Some(6 * 1024 * 1024), None] {
        let client = builder_for(&server.uri())
            .max_response_bytes(limit)
            .build()
            .unwrap();
        assert!(
            client.list_customers(None, None).await.unwrap().is_empty(),
            "{limit:?}"
        );
    }
    // And lowered: a single customer's answer is a few hundred bytes.
    let (_small, client) =
        answering(ResponseTemplate::new(200).set_body_json(customer_response())).await;
    let client_small = builder_for(&_small.uri())
        .max_response_bytes(Some(64))
        .build()
        .unwrap();
    let e = client_small
        .get_customer(&CustomerId::from("c1"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
    client.get_customer(&CustomerId::from("c1")).await.unwrap();
}

/// A loopback server answering every request with `body` in HTTP/1.1 chunks of 1000 bytes:
/// a body whose length no header declares, so the client cannot know it before reading.
async fn chunked_server(body: Vec<u8>) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let mut answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                       Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        .to_vec();
    for chunk in body.chunks(1000) {
        answer.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        answer.extend_from_slice(chunk);
        answer.extend_from_slice(b"\r\n");
    }
    answer.extend_from_slice(b"0\r\n\r\n");
    tokio::spawn(async move {
        while let Ok((mut connection, _)) = listener.accept().await {
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut head = [0u8; 4096];
                let _ = connection.read(&mut head).await;
                let _ = connection.write_all(&answer).await;
            });
        }
    });
    uri
}

#[tokio::test]
async fn the_limit_holds_for_a_body_of_undeclared_length() {
    // The same 5 MiB of valid JSON as above, chunked: the limit is found while reading.
    let mut body = " ".repeat(5 * 1024 * 1024).into_bytes();
    body.extend_from_slice(br#"{"customers": []}"#);
    let uri = chunked_server(body).await;
    let client = builder_for(&uri).build().unwrap();
    let e = client.list_customers(None, None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
    assert!(e.to_string().contains("larger than"), "{e}");
    assert_eq!(e.attempts(), 1, "{e}");
    let client = builder_for(&uri)
        .max_response_bytes(Some(6 * 1024 * 1024))
        .build()
        .unwrap();
    assert!(client.list_customers(None, None).await.unwrap().is_empty());

    // A small chunked answer within the limit reads as a declared one does.
    let answer = serde_json::to_vec(&customer_response()).unwrap();
    let uri = chunked_server(answer.clone()).await;
    for (limit, fits) in [(answer.len(), true), (answer.len() - 1, false)] {
        let client = builder_for(&uri)
            .max_response_bytes(Some(limit))
            .build()
            .unwrap();
        let result = client.get_customer(&CustomerId::from("c1")).await;
        assert_eq!(result.is_ok(), fits, "limit {limit}: {result:?}");
        if !fits {
            // The generated client's own error names the request's URL, as reqwest's errors
            // do: the limiting layer keeps the response's URL.
            match client.api().get_customer(&CustomerId::from("c1")).await {
                Err(trustly_customers::api::Error::ResponseBodyError(e)) => {
                    let url = e.url().map(|u| u.as_str().to_owned());
                    assert_eq!(url, Some(format!("{uri}/api/v1/customers/c1")));
                }
                other => panic!("{:?}", other.map(|_| ())),
            }
        }
    }
}

#[tokio::test]
async fn a_declared_length_is_held_to_the_limit_to_the_byte() {
    // A body whose length is declared and within the limit is read as it is; one byte over
    // and it is refused before it is read.
    let answer = serde_json::to_vec(&customer_response()).unwrap();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(answer.clone(), "application/json"))
        .mount(&server)
        .await;
    for (limit, fits) in [(answer.len(), true), (answer.len() - 1, false)] {
        let client = builder_for(&server.uri())
            .max_response_bytes(Some(limit))
            .build()
            .unwrap();
        match client.get_customer(&CustomerId::from("c1")).await {
            Ok(customer) => assert!(fits, "limit {limit}: read {customer:?}"),
            Err(e) => {
                assert!(!fits, "limit {limit}: {e}");
                assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
                assert!(e.to_string().contains("larger than"), "{e}");
            }
        }
    }
}

#[tokio::test]
async fn debug_of_an_error_shows_what_failed_without_personal_data() {
    let e = get_error(
        ResponseTemplate::new(404).set_body_json(error_body(200, "no jane.secret@example.com")),
    )
    .await;
    let debug = format!("{e:?}");
    for shown in ["NotFound", "404", "get_customer", "attempts: 1"] {
        assert!(debug.contains(shown), "{shown:?} missing: {debug}");
    }
    assert_no_personal_data(&debug);
}

#[tokio::test]
async fn an_undeclared_status_keeps_what_its_body_says_and_nothing_else() {
    // 429 is not declared by the spec: Trustly's error body is still read...
    let e = get_error(ResponseTemplate::new(429).set_body_json(error_body(100, "slow down"))).await;
    assert_eq!(e.api_errors().len(), 1);
    assert!(e.body_excerpt().is_none());
    // ...an empty body leaves nothing to show...
    let e = get_error(ResponseTemplate::new(429)).await;
    assert!(
        e.api_errors().is_empty() && e.body_excerpt().is_none(),
        "{e:?}"
    );
    // ...and a page is described.
    let e =
        get_error(ResponseTemplate::new(429).set_body_raw("<html>busy</html>", "text/html")).await;
    assert!(e.body_excerpt().is_some());
    // A redirect's body is no answer of this API: not read as one, not even described.
    let e = get_error(
        ResponseTemplate::new(302)
            .insert_header("location", "https://example.com/")
            .set_body_raw("<html>moved</html>", "text/html"),
    )
    .await;
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.body_excerpt().is_none(), "{e:?}");
}

#[tokio::test]
async fn a_body_cut_off_by_the_connection_is_a_transport_failure_saying_so() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // Announces 100 bytes, sends 12, hangs up.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut connection, _)) = listener.accept().await {
            let mut head = [0u8; 4096];
            let _ = connection.read(&mut head).await;
            let _ = connection
                .write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                      Content-Length: 100\r\n\r\n{\"customer\":",
                )
                .await;
        }
    });
    let client = builder_for(&uri)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let e = client
        .get_customer(&CustomerId::from("c1"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert!(
        e.to_string()
            .contains("the response body could not be read"),
        "{e}"
    );
    // The cause stays reachable (without its URL).
    assert!(std::error::Error::source(&e).is_some());
}
