//! The `trustly-customers` binary end to end: against the local emulator for the API's behaviour,
//! and against a scripted server for failures the emulator never produces (5xx, slow or broken
//! answers). Every server listens on 127.0.0.1 and stops when its test ends.

mod common;

use std::time::Duration;

use base64::Engine as _;
use common::*;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer as ScriptedServer, Request, ResponseTemplate};

#[tokio::test]
async fn upsert_get_update_list_against_the_emulator() {
    let server = emulator().await;
    let url = server.base_url();
    let body = write_temp("upsert.json", &customer());

    let created = run(&["--base-url", &url, "upsert", "--file", body.as_str()]).await;
    assert_eq!(created.code, 0, "stderr: {}", created.stderr);
    let created = created.json();
    let id = created["customerId"]
        .as_str()
        .expect("a customerId")
        .to_owned();
    assert_eq!(created["taxId"], "012345678");
    assert_eq!(created["address"]["zip"], "94063");

    let fetched = run(&["--base-url", &url, "get", &id]).await;
    assert_eq!(fetched.code, 0, "stderr: {}", fetched.stderr);
    assert_eq!(fetched.json(), created);

    // A merge patch from stdin: `null` clears the tax id, the phone changes, the rest stays.
    let patch = json!({ "taxId": null, "phone": "+16505550000" }).to_string();
    let updated = run_with(
        &["--base-url", &url, "update", &id, "-"],
        Some((ID, KEY)),
        Some(patch),
    )
    .await;
    assert_eq!(updated.code, 0, "stderr: {}", updated.stderr);
    let updated = updated.json();
    assert!(updated.get("taxId").is_none(), "{updated}");
    assert_eq!(updated["phone"], "+16505550000");
    assert_eq!(updated["email"], "joe.user@mail.com");

    let listed = run(&["--base-url", &url, "list", "--external-id", "4567890"]).await;
    assert_eq!(listed.code, 0, "stderr: {}", listed.stderr);
    assert_eq!(listed.json(), json!({ "customers": [updated] }));

    let none = run(&["--base-url", &url, "list", "--customer-id", "no-such-id"]).await;
    assert_eq!(none.json(), json!({ "customers": [] }));

    // The same body again, named by --external-id: the same record, not a second one.
    let again = run(&[
        "--base-url",
        &url,
        "upsert",
        "--external-id",
        "4567890",
        "--file",
        body.as_str(),
    ])
    .await;
    assert_eq!(again.code, 0, "stderr: {}", again.stderr);
    assert_eq!(again.json()["customerId"], id.as_str());
    let all = run(&["--base-url", &url, "list"]).await;
    assert_eq!(all.json()["customers"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn the_base_url_can_come_from_the_environment() {
    let server = emulator().await;
    let url = server.base_url();
    let env = [
        ("TRUSTLY_ACCESS_ID", ID),
        ("TRUSTLY_ACCESS_KEY", KEY),
        ("TRUSTLY_BASE_URL", url.as_str()),
    ];
    let run = run_env(&["list"], &env, None).await;
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(run.json(), json!({ "customers": [] }));
}

#[tokio::test]
async fn plain_http_to_loopback_never_goes_through_a_proxy() {
    // A proxy from the environment would see the credentials and the customer data in clear
    // text, and the request would never reach the local server.
    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let proxy_url = format!("http://{}", proxy.local_addr().expect("its address"));
    let proxied = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = proxied.clone();
    let accepting = tokio::spawn(async move {
        while let Ok((connection, _)) = proxy.accept().await {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(connection);
        }
    });
    let server = emulator().await;
    let url = server.base_url();
    let mut env = vec![
        ("TRUSTLY_ACCESS_ID", ID),
        ("TRUSTLY_ACCESS_KEY", KEY),
        ("TRUSTLY_BASE_URL", url.as_str()),
    ];
    for name in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        env.push((name, proxy_url.as_str()));
    }
    let run = run_env(&["--retries", "0", "list"], &env, None).await;
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(run.json(), json!({ "customers": [] }));
    assert_eq!(proxied.load(std::sync::atomic::Ordering::SeqCst), 0);
    accepting.abort();
}

#[tokio::test]
async fn not_found_is_exit_3() {
    let server = emulator().await;
    run(&["--base-url", &server.base_url(), "get", "404404"])
        .await
        .fails(3, "404");
}

#[tokio::test]
async fn refused_credentials_are_exit_4() {
    let server = emulator().await;
    let run = run_with(
        &["--base-url", &server.base_url(), "list"],
        Some((ID, "wrong-key")),
        None,
    )
    .await;
    run.fails(4, "401");
    assert!(
        run.stderr.contains("375"),
        "the API's error code is shown: {}",
        run.stderr
    );
}

#[tokio::test]
async fn a_rejected_request_is_exit_5_with_the_apis_code_and_message() {
    let server = ScriptedServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/customers/c1"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "errors": [{
                "domain": "com.trustly.merchantgateway.v1.exception.InvalidParameterException",
                "code": 200,
                "message": "Invalid parameter customerId"
            }]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let url = format!("{}/api/v1", server.uri());
    let run = run(&["--base-url", &url, "get", "c1"]).await;
    run.fails(5, "400");
    assert!(run.stderr.contains("200"), "{}", run.stderr);
    assert!(
        run.stderr.contains("Invalid parameter customerId"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn a_server_that_keeps_failing_is_exit_6_after_the_retries() {
    let server = ScriptedServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&server)
        .await;
    let url = format!("{}/api/v1", server.uri());
    run(&["--base-url", &url, "--retries", "2", "get", "c1"])
        .await
        .fails(6, "503");
}

#[tokio::test]
async fn an_undecodable_answer_is_exit_6() {
    let server = ScriptedServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_string(
                    r#"{"customer": {"name": "Joe User", "email": "joe.user@mail.com""#,
                ),
        )
        .mount(&server)
        .await;
    let url = format!("{}/api/v1", server.uri());
    run(&["--base-url", &url, "get", "c1"])
        .await
        .fails(6, "undecodable response");
}

#[tokio::test]
async fn a_slow_server_is_a_timeout_exit_7() {
    let server = ScriptedServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let url = format!("{}/api/v1", server.uri());
    run(&[
        "--base-url",
        &url,
        "--timeout",
        "0.3",
        "--retries",
        "0",
        "get",
        "c1",
    ])
    .await
    .fails(7, "timed out");
}

#[tokio::test]
async fn connection_refused_is_exit_7() {
    // A socket bound to the port that never listens: connecting is refused for as long as it
    // lives, and no other test's server can take the port meanwhile.
    let refusing = tokio::net::TcpSocket::new_v4().expect("a socket");
    refusing
        .bind("127.0.0.1:0".parse().expect("an address"))
        .expect("a loopback port");
    let port = refusing.local_addr().expect("its address").port();
    let url = format!("http://127.0.0.1:{port}/api/v1");
    run(&["--base-url", &url, "--retries", "0", "get", "c1"])
        .await
        .fails(7, "could not connect");
}

#[tokio::test]
async fn invalid_input_is_exit_2_and_nothing_is_sent() {
    let server = ScriptedServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let url = format!("{}/api/v1", server.uri());

    let mut short_zip = customer();
    short_zip["address"]["zip"] = json!("940");
    let file = write_temp("short-zip.json", &short_zip);
    run(&["--base-url", &url, "upsert", "--file", file.as_str()])
        .await
        .fails(2, "/address/zip");

    let mut missing = customer();
    missing.as_object_mut().expect("an object").remove("email");
    let file = write_temp("missing-email.json", &missing);
    run(&["--base-url", &url, "upsert", "--file", file.as_str()])
        .await
        .fails(2, "`email`");

    let run_stdin = run_with(
        &["--base-url", &url, "update", "c1", "-"],
        Some((ID, KEY)),
        Some(r#"{"name": null}"#.into()),
    )
    .await;
    run_stdin.fails(2, "/name");

    let broken = run_with(
        &["--base-url", &url, "upsert", "-"],
        Some((ID, KEY)),
        Some(r#"{"name": "Joe User", "#.into()),
    )
    .await;
    broken.fails(2, "not valid JSON");

    let typo = run_with(
        &["--base-url", &url, "update", "c1", "-"],
        Some((ID, KEY)),
        Some(r#"{"emial": "joe.user@mail.com"}"#.into()),
    )
    .await;
    typo.fails(2, "emial");

    run(&["--base-url", &url, "upsert", "--file", "/no/such/file.json"])
        .await
        .fails(2, "/no/such/file.json");

    // An id that cannot be one path segment never reaches the server: an update by it must
    // not read or write anything (`\t` alone was once `/customers/`, the create path).
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    run_with(
        &["--base-url", &url, "update", "\t", "-"],
        Some((ID, KEY)),
        Some(r#"{"name": "Joe User"}"#.into()),
    )
    .await
    .fails(2, "control character");
    run(&["--base-url", &url, "get", "x\\..\\.."])
        .await
        .fails(2, "backslash");
}

#[tokio::test]
async fn usage_errors_are_exit_2() {
    run_with(&["list"], None, None)
        .await
        .fails(2, "TRUSTLY_ACCESS_KEY");
    run(&["frobnicate"])
        .await
        .fails(2, "unrecognized subcommand 'frobnicate'");
    // Credentials never go to a non-loopback server over plain http; refused before connecting.
    run(&["--base-url", "http://192.0.2.1/api/v1", "list"])
        .await
        .fails(2, "http");
}

#[tokio::test]
async fn verbose_logs_each_attempt_without_secrets_or_personal_data() {
    let server = ScriptedServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let mut saved = customer();
    saved["customerId"] = json!("1002580963");
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "customer": saved })))
        .mount(&server)
        .await;
    let url = format!("{}/api/v1", server.uri());
    let file = write_temp("verbose.json", &customer());
    let run = run(&[
        "-v",
        "--base-url",
        &url,
        "upsert",
        "--external-id",
        "4567890",
        "--file",
        file.as_str(),
    ])
    .await;
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains("503"),
        "the failed attempt is logged: {}",
        run.stderr
    );
    assert!(
        run.stderr.lines().count() >= 2,
        "one line per attempt at least: {}",
        run.stderr
    );
    run.leaks_nothing();
    assert!(!run.stderr.contains("Joe User"));
}

/// A 400 whose body quotes the request's credentials back: the key and id in the message,
/// domain and location, and the `Authorization` header the request carried.
fn quoting_the_credentials(request: &Request) -> ResponseTemplate {
    let sent = request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("none");
    ResponseTemplate::new(400).set_body_json(json!({"errors": [{
        "domain": format!("com.trustly.{KEY}"),
        "code": 200,
        "message": format!("bad key {} for {ID}, Authorization: {sent}", KEY.to_uppercase()),
        "location": KEY,
    }]}))
}

#[tokio::test]
async fn a_server_quoting_the_credentials_never_gets_them_printed() {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{ID}:{KEY}"));
    let server = ScriptedServer::start().await;
    Mock::given(method("GET"))
        .respond_with(quoting_the_credentials)
        .mount(&server)
        .await;
    let url = format!("{}/api/v1", server.uri());
    let quiet = run(&["--base-url", &url, "get", "1002580963"]).await;
    let verbose = run(&["-v", "--base-url", &url, "get", "1002580963"]).await;
    // The API's words are printed, each credential replaced where it stood.
    quiet.fails(
        5,
        "Trustly error code 200 (<redacted>): bad key <redacted> for <redacted>, \
         Authorization: Basic <redacted>==; GET ",
    );
    assert_eq!(verbose.code, 5, "stderr: {}", verbose.stderr);
    assert!(
        verbose.stderr.lines().count() >= 2 && verbose.stderr.contains("attempt failed"),
        "the attempt is logged: {}",
        verbose.stderr
    );
    assert!(
        verbose.stderr.ends_with(quiet.stderr.as_str()),
        "the same failure line: {}",
        verbose.stderr
    );
    for stderr in [&quiet.stderr, &verbose.stderr] {
        let lower = stderr.to_ascii_lowercase();
        for secret in [KEY, ID, token.trim_end_matches('=')] {
            assert!(
                !lower.contains(&secret.to_ascii_lowercase()),
                "{secret:?} printed: {stderr}"
            );
        }
    }
}

#[tokio::test]
async fn help_lists_commands_and_exit_codes() {
    let run = run_with(&["--help"], None, None).await;
    assert_eq!(run.code, 0);
    for needle in [
        "get ",
        "Get a customer by id",
        "upsert ",
        "update ",
        "replace ",
        "list ",
        "completions ",
        "TRUSTLY_ACCESS_KEY",
        "7  timeout",
        "[default: 30]",
        "[default: 3]",
    ] {
        assert!(run.stdout.contains(needle), "help lacks {needle:?}");
    }
    // Every command has its own help, from the spec's operation.
    let get = run_with(&["get", "--help"], None, None).await;
    assert_eq!(get.code, 0);
    assert!(get.stdout.contains("<CUSTOMER_ID>"), "{}", get.stdout);
    assert!(
        get.stdout.contains("GET /customers/{customerId}"),
        "{}",
        get.stdout
    );
    let upsert = run_with(&["upsert", "--help"], None, None).await;
    assert!(
        upsert.stdout.contains("--external-id <EXTERNAL_ID>"),
        "{}",
        upsert.stdout
    );
    assert!(upsert.stdout.contains("--file <PATH>"), "{}", upsert.stdout);
    // `update` takes the arguments of the operation it is built on.
    let update = run_with(&["update", "--help"], None, None).await;
    assert!(update.stdout.contains("<CUSTOMER_ID>"), "{}", update.stdout);
    assert!(update.stdout.contains("--file <PATH>"), "{}", update.stdout);
    assert!(
        update.stdout.contains("sent back whole"),
        "{}",
        update.stdout
    );
}

#[tokio::test]
async fn version_and_completions_need_no_credentials() {
    let version = run_with(&["--version"], None, None).await;
    assert_eq!(version.code, 0);
    assert_eq!(
        version.stdout.trim(),
        concat!("trustly-customers ", env!("CARGO_PKG_VERSION"))
    );
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = run_with(&["completions", shell], None, None).await;
        assert_eq!(script.code, 0, "{shell}: {}", script.stderr);
        // What each shell then completes: tests/completions.rs, which runs them.
        assert!(
            script.stdout.contains("trustly-customers"),
            "{shell} registers the command: {}",
            script.stdout
        );
    }
    run_with(&["completions", "tcsh"], None, None)
        .await
        .fails(2, "invalid value 'tcsh'");
}

#[tokio::test]
async fn a_record_printed_by_get_can_be_edited_and_sent_back_as_a_patch() {
    let server = emulator().await;
    let url = server.base_url();
    let body = write_temp("get-edit-update.json", &customer());
    let created = run(&["--base-url", &url, "upsert", "--file", body.as_str()])
        .await
        .json();
    let id = created["customerId"]
        .as_str()
        .expect("a customerId")
        .to_owned();

    // The whole record, customerId and server timestamps included, with one field changed.
    let mut edited = run(&["--base-url", &url, "get", &id]).await.json();
    edited["phone"] = json!("+16505550000");
    let updated = run_with(
        &["--base-url", &url, "update", &id, "-"],
        Some((ID, KEY)),
        Some(edited.to_string()),
    )
    .await;
    assert_eq!(updated.code, 0, "stderr: {}", updated.stderr);
    assert_eq!(updated.json()["phone"], "+16505550000");

    // `replace` sends a whole record as it is: the same edited record works there too.
    edited["email"] = json!("new@mail.com");
    let replaced = run_with(
        &["--base-url", &url, "replace", &id, "-"],
        Some((ID, KEY)),
        Some(edited.to_string()),
    )
    .await;
    assert_eq!(replaced.code, 0, "stderr: {}", replaced.stderr);
    let replaced = replaced.json();
    assert_eq!(replaced["email"], "new@mail.com");
    assert_eq!(replaced["phone"], "+16505550000");

    // Only some properties are not a record: `replace` says where they belong.
    run_with(
        &["--base-url", &url, "replace", &id, "-"],
        Some((ID, KEY)),
        Some(json!({"phone": "1"}).to_string()),
    )
    .await
    .fails(2, "`update` changes only the properties it is given");

    // A body naming another customer than the path is refused before sending.
    edited["customerId"] = json!("1");
    run_with(
        &["--base-url", &url, "update", &id, "-"],
        Some((ID, KEY)),
        Some(edited.to_string()),
    )
    .await
    .fails(2, "/customerId");
}

#[tokio::test]
async fn a_file_saved_with_a_byte_order_mark_is_read() {
    let server = emulator().await;
    let url = server.base_url();
    let body = tempfile_path::TempPath::write("bom.json", &format!("\u{feff}{}", customer()));
    let created = run(&["--base-url", &url, "upsert", "--file", body.as_str()]).await;
    assert_eq!(created.code, 0, "stderr: {}", created.stderr);
    assert_eq!(created.json()["externalId"], "4567890");
}
