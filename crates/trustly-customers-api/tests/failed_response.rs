//! What the generated client tells of a response beyond its decoded body: the head of one
//! whose body could not be read or decoded, taken from the error
//! (`FailedResponseHead::take_response_head`), and every response shown to the observer
//! (`RequestSettings::observe_responses`).

use std::sync::Mutex;

use trustly_customers_api::types::CustomerId;
use trustly_customers_api::{
    Client, Error, FailedResponseHead as _, OperationInfo, RequestSettings, is_response_too_large,
};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

/// A server that answers every request with `answer`.
async fn answering(answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(answer).mount(&server).await;
    server
}

fn client(server: &MockServer, settings: RequestSettings) -> Client {
    Client::new(&format!("{}/api/v1", server.uri()), settings)
}

fn id() -> CustomerId {
    CustomerId::from("1002580963")
}

#[tokio::test]
async fn the_head_of_an_answer_that_does_not_decode_is_taken_from_its_error() {
    // A status the operation declares (its body is Trustly's error body), and a proxy's page.
    let server = answering(
        ResponseTemplate::new(404)
            .set_body_raw("<html>Not Found</html>", "text/html")
            .insert_header("x-request-id", "r-1"),
    )
    .await;
    let error = client(&server, RequestSettings::new())
        .get_customer(&id())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::InvalidResponsePayload(..)),
        "{error:?}"
    );
    let head = error.take_response_head().expect("the head of the answer");
    assert_eq!(head.status(), 404);
    assert_eq!(head.headers()["content-type"], "text/html");
    assert_eq!(head.headers()["x-request-id"], "r-1");
    // Taken once.
    assert!(error.take_response_head().is_none());
}

#[tokio::test]
async fn the_head_of_an_answer_whose_body_cannot_be_read_is_taken_from_its_error() {
    // A body over the limit the settings set fails to read.
    let server = answering(
        ResponseTemplate::new(503)
            .set_body_raw(
                format!("{{\"errors\":[{}]}}", " ".repeat(100)),
                "application/json",
            )
            .insert_header("retry-after", "7"),
    )
    .await;
    let settings = RequestSettings::new().max_response_bytes(Some(16));
    let error = client(&server, settings)
        .get_customer(&id())
        .await
        .unwrap_err();
    match &error {
        Error::ResponseBodyError(e) => assert!(is_response_too_large(e), "{e:?}"),
        other => panic!("not a body that could not be read: {other:?}"),
    }
    let head = error.take_response_head().expect("the head of the answer");
    assert_eq!(head.status(), 503);
    assert_eq!(head.headers()["retry-after"], "7");
}

#[tokio::test]
async fn an_error_that_carries_its_response_gives_no_head() {
    let undecodable = answering(ResponseTemplate::new(200).set_body_raw("<html>", "text/html"));
    let undeclared = answering(ResponseTemplate::new(502));
    let (undecodable, undeclared) = (undecodable.await, undeclared.await);
    // A head kept on this thread and not taken...
    let kept = client(&undecodable, RequestSettings::new())
        .get_customer(&id())
        .await
        .unwrap_err();
    assert!(
        matches!(kept, Error::InvalidResponsePayload(..)),
        "{kept:?}"
    );
    // ...is not given for an error that carries its own response.
    let error = client(&undeclared, RequestSettings::new())
        .get_customer(&id())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::UnexpectedResponse(_)), "{error:?}");
    assert!(error.take_response_head().is_none());
    assert_eq!(
        kept.take_response_head().map(|h| h.status().as_u16()),
        Some(200)
    );
}

/// What the observer saw: each response's status, content type and operation.
static OBSERVED: Mutex<Vec<(u16, Option<String>, &'static str)>> = Mutex::new(Vec::new());

fn observe(response: &reqwest::Response, info: &OperationInfo) {
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    OBSERVED
        .lock()
        .unwrap()
        .push((response.status().as_u16(), content_type, info.operation_id));
}

#[tokio::test]
async fn every_response_is_shown_to_the_observer_before_its_body_is_read() {
    // A body the client then fails to read: the observer saw its response all the same.
    let server = answering(
        ResponseTemplate::new(200).set_body_raw(format!("{{{}}}", " ".repeat(100)), "text/plain"),
    )
    .await;
    let settings = RequestSettings::new()
        .observe_responses(observe)
        .max_response_bytes(Some(16));
    let error = client(&server, settings)
        .get_customer(&id())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::ResponseBodyError(_)), "{error:?}");
    assert_eq!(
        *OBSERVED.lock().unwrap(),
        [(200, Some("text/plain".to_owned()), "get_customer")]
    );
}
