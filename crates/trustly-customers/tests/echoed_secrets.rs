//! A server that quotes the client's credentials back (the access key, the access id, the
//! `Authorization` value) never gets them shown: not in an error's `Display`, `Debug`, causes,
//! Trustly's `errors[]` or body excerpt, nor in the client's log. One test per place an
//! answer's text reaches an error.
//!
//! The credentials here are letters only, so that a name made of them passes for a property
//! name in an excerpt (where digits are masked, which would hide part of one by chance).

mod common;

use common::Captured;
use serde_json::{Value, json};
use trustly_customers::{Client, Credentials, CustomerId, Error, ErrorKind, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const ACCESS_ID: &str = "echoAccessId";
const ACCESS_KEY: &str = "echoAccessKeyQwerty";
/// base64("echoAccessId:echoAccessKeyQwerty"), padded with one `=`.
const TOKEN: &str = "ZWNob0FjY2Vzc0lkOmVjaG9BY2Nlc3NLZXlRd2VydHk=";
/// The token as a server may quote it, without its padding.
const TOKEN_UNPADDED: &str = "ZWNob0FjY2Vzc0lkOmVjaG9BY2Nlc3NLZXlRd2VydHk";

/// Fails if `text` holds a credential, in any case of its letters.
fn assert_no_credential(text: &str) {
    let lower = text.to_ascii_lowercase();
    for secret in [ACCESS_KEY, ACCESS_ID, TOKEN_UNPADDED] {
        assert!(
            !lower.contains(&secret.to_ascii_lowercase()),
            "{secret:?} shown in: {text}"
        );
    }
}

/// Every text a program can get from `error`: `Display`, `Debug`, each cause's, Trustly's
/// `errors[]` (their `Debug` and each field), the body excerpt's.
fn texts(error: &Error) -> Vec<String> {
    let mut texts = vec![
        error.to_string(),
        format!("{error:?}"),
        format!("{:?}", error.api_errors()),
    ];
    for detail in error.api_errors() {
        texts.push(detail.domain.clone());
        texts.push(detail.message.clone());
        texts.extend(detail.location.clone());
    }
    if let Some(excerpt) = error.body_excerpt() {
        texts.push(excerpt.to_string());
        texts.push(format!("{excerpt:?}"));
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        texts.push(cause.to_string());
        texts.push(format!("{cause:?}"));
        source = cause.source();
    }
    texts
}

/// The error of a `get_customer` answered by `respond` (each attempt of it logged at every
/// level), after checking that none of its texts nor its log holds a credential.
async fn error_of(respond: impl Respond + 'static) -> Error {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(respond)
        .mount(&server)
        .await;
    let client = Client::builder(Credentials::new(ACCESS_ID, ACCESS_KEY))
        .base_url(&format!("{}/api/v1", server.uri()))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let error = {
        let _guard = tracing::subscriber::set_default(subscriber);
        client
            .get_customer(&CustomerId::from("1002580963"))
            .await
            .unwrap_err()
    };
    for text in texts(&error) {
        assert_no_credential(&text);
    }
    let log = captured.text();
    assert!(log.contains("attempt failed"), "{log}");
    assert_no_credential(&log);
    error
}

fn trustly_error(status: u16, detail: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({ "errors": [detail] }))
}

#[tokio::test]
async fn an_error_message_quoting_the_credentials_shows_none_of_them() {
    let message = format!(
        "invalid credentials {ACCESS_ID}:{ACCESS_KEY} ({}), sent as Authorization: Basic {TOKEN}",
        ACCESS_KEY.to_ascii_uppercase()
    );
    let error = error_of(trustly_error(
        400,
        json!({"domain": "com.trustly.InvalidParameterException", "code": 200, "message": message}),
    ))
    .await;
    assert_eq!(error.kind(), ErrorKind::Rejected);
    // The message is kept, with each credential replaced where it stood.
    assert_eq!(
        error.api_errors()[0].message,
        "invalid credentials <redacted>:<redacted> (<redacted>), sent as Authorization: Basic \
         <redacted>="
    );
}

#[tokio::test]
async fn a_domain_or_location_quoting_the_key_shows_none_of_it() {
    // `Display` shows the domain's last segment: here, the key itself.
    let error = error_of(trustly_error(
        401,
        json!({
            "domain": format!("com.trustly.{ACCESS_KEY}"),
            "code": 375,
            "message": "refused",
            "location": format!("header Authorization (Basic {TOKEN_UNPADDED}) of {ACCESS_ID}"),
        }),
    ))
    .await;
    assert_eq!(error.kind(), ErrorKind::Unauthorized);
    let detail = &error.api_errors()[0];
    assert_eq!(detail.domain, "com.trustly.<redacted>");
    assert_eq!(
        detail.location.as_deref(),
        Some("header Authorization (Basic <redacted>) of <redacted>")
    );
    assert!(
        error.to_string().contains("code 375 (<redacted>)"),
        "{error}"
    );
}

#[tokio::test]
async fn a_credential_as_a_property_name_of_an_undecodable_body_is_not_shown() {
    // A success whose body does not decode (`name` is no string): its excerpt shows property
    // names, and these two are credentials.
    let body = json!({"customer": {ACCESS_KEY: 1, TOKEN_UNPADDED: 2, "name": 5}});
    let error = error_of(ResponseTemplate::new(200).set_body_json(body)).await;
    assert_eq!(error.kind(), ErrorKind::Decode);
    let shape = error.body_excerpt().expect("an excerpt").shape().to_owned();
    assert_eq!(shape, r#"{"customer":{"…":#,"…":#,"name":#}}"#);
}

#[tokio::test]
async fn a_credential_in_a_body_cut_off_or_not_json_is_not_shown() {
    // An error status whose body is JSON but not Trustly's, cut off after a credential.
    let body = format!(r#"{{"error":{{"{ACCESS_ID}":true,"{ACCESS_KEY}""#);
    let error = error_of(ResponseTemplate::new(502).set_body_raw(body, "application/json")).await;
    assert_eq!(error.kind(), ErrorKind::Server);
    let shape = error.body_excerpt().expect("an excerpt").shape().to_owned();
    assert_eq!(shape, r#"{"error":{"…":true,"…""#);
    // The content type is shown: a credential in it is not.
    let error = error_of(
        ResponseTemplate::new(503)
            .set_body_raw("<html>busy</html>", &format!("text/html; by={ACCESS_KEY}")),
    )
    .await;
    let excerpt = error.body_excerpt().expect("an excerpt");
    assert_eq!(excerpt.content_type(), Some("text/html; by=<redacted>"));
}

/// Answers with the request's own `Authorization` header quoted back in the error body:
/// in the message, the location, and as the name of a property of a body that is not
/// Trustly's.
struct EchoAuthorization {
    as_trustly_error: bool,
}

impl Respond for EchoAuthorization {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let sent = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("none")
            .to_owned();
        assert_eq!(sent, format!("Basic {TOKEN}"), "the request's own header");
        if self.as_trustly_error {
            trustly_error(
                401,
                json!({
                    "domain": "com.trustly.AccessControlException",
                    "code": 375,
                    "message": format!("Authorization: {sent} is not valid"),
                    "location": sent,
                }),
            )
        } else {
            let token = sent.trim_start_matches("Basic ").trim_end_matches('=');
            ResponseTemplate::new(400).set_body_json(json!({ token: sent }))
        }
    }
}

#[tokio::test]
async fn the_authorization_header_echoed_into_a_body_is_not_shown() {
    let error = error_of(EchoAuthorization {
        as_trustly_error: true,
    })
    .await;
    assert_eq!(
        error.api_errors()[0].message,
        "Authorization: Basic <redacted>= is not valid"
    );
    let error = error_of(EchoAuthorization {
        as_trustly_error: false,
    })
    .await;
    assert_eq!(
        error.body_excerpt().expect("an excerpt").shape(),
        r#"{"…":"…"}"#
    );
}

#[tokio::test]
async fn a_text_without_credentials_is_shown_as_it_came() {
    // The redactor replaces credentials only: everything else of the answer is kept.
    let error = error_of(trustly_error(
        400,
        json!({"domain": "com.trustly.InvalidParameterException", "code": 200,
               "message": "echo Access Id is missing", "location": "body"}),
    ))
    .await;
    let detail = &error.api_errors()[0];
    assert_eq!(detail.message, "echo Access Id is missing");
    assert_eq!(detail.location.as_deref(), Some("body"));
    assert!(
        error
            .to_string()
            .contains("Trustly error code 200 (InvalidParameterException); GET "),
        "{error}"
    );
    assert!(
        error
            .report(None)
            .to_string()
            .contains("(InvalidParameterException): echo Access Id is missing; GET "),
        "{error}"
    );
}
