//! Every failure says what was asked and where, as a user meets it: the command as typed, the
//! request's method and URL (its ids as placeholders), where the server's URL came from, and
//! for a refusal which variables held the credentials. Exit 3 means only "no such customer":
//! a base URL the API is not under is a configuration failure with the fix.

mod common;

use common::*;
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer as ScriptedServer, ResponseTemplate};

/// The path of one customer, as a failure shows it: the id never, its placeholder instead.
const ONE_CUSTOMER: &str = "/customers/{customerId}";

/// A base URL where no server listens, as after the emulator stopped: its port is held by a
/// socket bound and never listening, so connecting is refused. The port is taken by that socket
/// from the start: a stopped server's port, bound again afterwards, could meanwhile go to
/// another test's server (seen once as `AddrInUse` on a loaded machine).
fn stopped_emulator() -> (String, tokio::net::TcpSocket) {
    let holder = tokio::net::TcpSocket::new_v4().expect("a socket");
    holder
        .bind("127.0.0.1:0".parse().expect("an address"))
        .expect("a free port on 127.0.0.1");
    let address = holder.local_addr().expect("the bound address");
    (format!("http://{address}/api/v1"), holder)
}

#[tokio::test]
async fn a_stopped_emulator_is_named_with_the_source_of_its_url() {
    let (url, _held) = stopped_emulator();
    let by_flag = run(&["--base-url", &url, "--retries", "0", "get", "1000000001"]).await;
    by_flag.fails(7, "could not connect");
    assert_eq!(
        by_flag.stderr,
        format!(
            "trustly-customers: get: transport failure: could not connect; \
             GET {url}{ONE_CUSTOMER}; the server's URL is from --base-url\n"
        )
    );
    let by_variable = run_env(
        &["--retries", "1", "update", "1000000001", "-"],
        &[
            ("TRUSTLY_ACCESS_ID", ID),
            ("TRUSTLY_ACCESS_KEY", KEY),
            ("TRUSTLY_BASE_URL", &url),
        ],
        Some(r#"{"phone": "+16505550000"}"#.into()),
    )
    .await;
    by_variable.fails(7, "could not connect");
    assert_eq!(
        by_variable.stderr,
        format!(
            "trustly-customers: update: transport failure: could not connect; \
             GET {url}{ONE_CUSTOMER} (after 2 attempts); the server's URL is from \
             TRUSTLY_BASE_URL\n"
        )
    );
    assert!(!by_variable.stderr.contains("1000000001"));
}

#[tokio::test]
async fn a_base_url_without_the_api_path_is_a_configuration_failure_not_a_missing_customer() {
    let server = emulator().await;
    let url = server.base_url();
    let origin = url
        .strip_suffix("/api/v1")
        .expect("the emulator serves /api/v1");
    let id = create_customer(&url).await;

    // Even a customer that exists: the path is wrong, not the customer missing.
    for (args, request) in [
        (
            vec!["--base-url", origin, "get", id.as_str()],
            format!("GET {origin}{ONE_CUSTOMER}"),
        ),
        (
            vec!["--base-url", origin, "list"],
            format!("GET {origin}/customers"),
        ),
    ] {
        let run = run(&args).await;
        run.fails(2, "no such endpoint");
        assert_eq!(
            run.stderr,
            format!(
                "trustly-customers: {}: no such endpoint: HTTP 404; body: 43 bytes of \
                 text/plain; charset=utf-8, not JSON: text; {request}; the answer is not \
                 Trustly's error body, so the server serves no such path: its URL {origin} \
                 (from --base-url) is wrong; the API is under /api/v1: try {origin}/api/v1\n",
                args[2]
            )
        );
    }
    // A script's `get || upsert` must not read that as "create it": only a missing customer
    // is 3.
    let missing = run(&["--base-url", &url, "get", "404404"]).await;
    missing.fails(3, "not found");
    assert_eq!(
        missing.stderr,
        format!(
            "trustly-customers: get: not found: HTTP 404, Trustly error code 200 \
             (InvalidParameterException): customerId: no customer has this customerId; \
             GET {url}{ONE_CUSTOMER}\n"
        )
    );
}

#[tokio::test]
async fn refused_credentials_name_the_variables_and_the_server() {
    let server = emulator().await;
    let url = server.base_url();
    let run = run_env(
        &["get", "1000000001"],
        &[
            ("TRUSTLY_ACCESS_ID", ID),
            ("TRUSTLY_ACCESS_KEY", "a-wrong-access-key"),
            ("TRUSTLY_BASE_URL", &url),
        ],
        None,
    )
    .await;
    run.fails(4, "unauthorized");
    assert_eq!(
        run.stderr,
        format!(
            "trustly-customers: get: unauthorized: HTTP 401, Trustly error code 375 \
             (AccessControlException): Access not authorized; GET {url}{ONE_CUSTOMER}; the \
             server (its URL from TRUSTLY_BASE_URL) refused the credentials read from \
             TRUSTLY_ACCESS_ID and TRUSTLY_ACCESS_KEY\n"
        )
    );
    assert!(!run.stderr.contains("a-wrong-access-key"));
}

#[tokio::test]
async fn one_line_gives_status_code_domain_and_message_each_once() {
    let server = ScriptedServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"errors": [
            {"domain": "com.trustly.merchantgateway.v1.exception.InvalidParameterException",
             "code": 200, "message": "Invalid parameter\n  phone"},
            {"domain": "com.paywithmybank.merchantgateway.v1.exception.AccessControlException",
             "code": 375, "message": "Access not authorized"},
        ]})))
        .mount(&server)
        .await;
    let url = format!("{}/api/v1", server.uri());
    let run = run_with(
        &["--base-url", &url, "upsert", "--external-id", "e-1", "-"],
        Some((ID, KEY)),
        Some(customer().to_string()),
    )
    .await;
    run.fails(5, "request rejected");
    assert_eq!(
        run.stderr,
        format!(
            "trustly-customers: upsert: request rejected: HTTP 400, Trustly error code 200 \
             (InvalidParameterException): Invalid parameter phone; Trustly error code 375 \
             (AccessControlException): Access not authorized; POST {url}/customers\n"
        )
    );
    assert!(!run.stderr.contains("e-1"), "no query: {}", run.stderr);
}

#[tokio::test]
async fn verbose_shows_each_attempts_method_and_url_without_the_id() {
    let server = ScriptedServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let url = format!("{}/api/v1", server.uri());
    let run = run(&["-v", "--retries", "1", "--base-url", &url, "get", "4567890"]).await;
    assert_eq!(run.code, 6, "{}", run.stderr);
    let attempts: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("attempt failed"))
        .collect();
    assert_eq!(attempts.len(), 2, "{}", run.stderr);
    for line in attempts {
        assert!(
            line.contains(&format!("method=\"GET\" url=\"{url}{ONE_CUSTOMER}\"")),
            "{line}"
        );
    }
    assert!(!run.stderr.contains("4567890"), "{}", run.stderr);
    run.leaks_nothing();
}
