//! `--data`: state survives a restart, writes are atomic, bad files stop the start.

mod common;

use std::fs;
use std::path::PathBuf;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};
use trustly_customers_mock::{Config, MockServer, StartError};

/// A fresh directory for one test under cargo's scratch space for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("mock-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn with_data(path: &std::path::Path) -> Config {
    Config {
        data: Some(path.to_owned()),
        ..Config::default()
    }
}

#[tokio::test]
async fn a_restart_keeps_customers_ids_and_changes() {
    let path = scratch("restart").join("customers.json");
    let server = MockServer::start(with_data(&path)).await.unwrap();
    assert!(path.exists(), "the file is created at start");
    let (_, a) =
        answer(call(&server, Method::POST, "/customers", Some(&joe(Some("a")))).await).await;
    let (_, b) =
        answer(call(&server, Method::POST, "/customers", Some(&joe(Some("b")))).await).await;
    let a_id = a["customer"]["customerId"].as_str().unwrap().to_owned();
    let (_, a) = answer(
        call(
            &server,
            Method::POST,
            &format!("/customers/{a_id}"),
            Some(&joe_with(json!({"taxId": null}))),
        )
        .await,
    )
    .await;
    // An answered change is already on disk, before any shutdown.
    let on_disk: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(on_disk["customers"][0], a["customer"]);
    let (_, before) = answer(call(&server, Method::GET, "/customers", None).await).await;
    server.shutdown().await.expect("every change is saved");

    let server = MockServer::start(with_data(&path)).await.unwrap();
    let (_, after) = answer(call(&server, Method::GET, "/customers", None).await).await;
    assert_eq!(after, before);
    assert_eq!(after["customers"][1], b["customer"]);
    // Ids keep counting after a restart, and the externalId index is back.
    let (_, c) = answer(call(&server, Method::POST, "/customers", Some(&joe(None))).await).await;
    let c_id: u64 = c["customer"]["customerId"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(c_id, a_id.parse::<u64>().unwrap() + 2);
    let (_, again) =
        answer(call(&server, Method::POST, "/customers", Some(&joe(Some("b")))).await).await;
    assert_eq!(again["customer"]["customerId"], b["customer"]["customerId"]);
    server.shutdown().await.expect("every change is saved");
}

#[tokio::test]
async fn a_leftover_temp_file_from_a_crash_mid_write_is_ignored() {
    let dir = scratch("crash");
    let path = dir.join("customers.json");
    let server = MockServer::start(with_data(&path)).await.unwrap();
    call(
        &server,
        Method::POST,
        "/customers",
        Some(&joe(Some("kept"))),
    )
    .await;
    server.shutdown().await.expect("every change is saved");
    let good = fs::read(&path).unwrap();
    // What a crash during the next write leaves: a half-written temp file beside the old one.
    let temp = dir.join("customers.json.tmp");
    fs::write(&temp, &good[..good.len() / 2]).unwrap();

    let server = MockServer::start(with_data(&path)).await.unwrap();
    let (_, list) =
        answer(call(&server, Method::GET, "/customers?externalId=kept", None).await).await;
    assert_eq!(list["customers"].as_array().unwrap().len(), 1);
    // The next write replaces the temp file and the data file whole.
    call(&server, Method::POST, "/customers", Some(&joe(Some("new")))).await;
    server.shutdown().await.expect("every change is saved");
    let on_disk: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(on_disk["customers"].as_array().unwrap().len(), 2);
    assert!(!temp.exists(), "the rename consumed the temp file");
}

/// Posts a customer whose `customData` nests `levels` objects deep, as raw text (the body
/// itself is one more level).
async fn post_nested(server: &MockServer, levels: usize) -> (u16, Value) {
    let mut body = joe(None).to_string();
    body.pop();
    body.push_str(&format!(
        ",\"customData\":{}1{}}}",
        "{\"a\":".repeat(levels),
        "}".repeat(levels)
    ));
    let response = reqwest::Client::new()
        .post(format!("{}/customers", server.base_url()))
        .basic_auth(server.access_id(), Some(server.access_key()))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    answer(response).await
}

#[tokio::test]
async fn a_customer_nested_too_deep_to_load_again_is_refused() {
    // serde_json reads at most 127 levels, and the data file keeps a customer two levels down:
    // a body of 126 or 127 levels would be stored, then stop the next start.
    let path = scratch("deep").join("customers.json");
    let server = MockServer::start(with_data(&path)).await.unwrap();
    for levels in [125, 126] {
        let (status, body) = post_nested(&server, levels).await;
        assert_eq!(status, 400, "{levels} levels of customData: {body}");
        let messages = assert_errors(&body, INVALID_PARAMETER, 200);
        assert_eq!(
            messages,
            ["/customData: nested deeper than 125 levels (objects and arrays, the body included)"]
        );
    }
    let (status, deepest) = post_nested(&server, 124).await;
    assert_eq!(status, 200, "{deepest}");
    let (_, listed) = answer(call(&server, Method::GET, "/customers", None).await).await;
    assert_eq!(listed["customers"][0], deepest["customer"]);
    server.shutdown().await.expect("every change is saved");

    let server = MockServer::start(with_data(&path)).await.unwrap();
    let (_, after) = answer(call(&server, Method::GET, "/customers", None).await).await;
    assert_eq!(after, listed);
    server.shutdown().await.expect("every change is saved");
}

async fn start_error(path: &std::path::Path) -> String {
    match MockServer::start(with_data(path)).await {
        Err(e @ StartError::DataFile { .. }) => e.to_string(),
        Err(other) => panic!("expected a data file error, got {other}"),
        Ok(_) => panic!("started over a bad data file"),
    }
}

#[tokio::test]
async fn a_corrupt_or_foreign_file_stops_the_start_and_is_left_as_it_was() {
    let dir = scratch("corrupt");
    let cases: [(&str, &str, &str); 5] = [
        (
            "truncated.json",
            "{\"format\":\"trustly-customers-mock/1\",\"nextCustomerId\":1,\"cust",
            "not valid JSON",
        ),
        (
            "foreign.json",
            "{\"hello\": \"world\"}",
            "not a data file of this emulator",
        ),
        ("empty.json", "", "not valid JSON"),
        (
            "bad-record.json",
            "{\"format\":\"trustly-customers-mock/1\",\"nextCustomerId\":1,\"customers\":[{\"name\":\"n\"}]}",
            "customer #0 does not satisfy the Customer schema",
        ),
        (
            "no-list.json",
            "{\"format\":\"trustly-customers-mock/1\",\"nextCustomerId\":1}",
            "`customers` is missing",
        ),
    ];
    for (name, contents, expected) in cases {
        let path = dir.join(name);
        fs::write(&path, contents).unwrap();
        let message = start_error(&path).await;
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains(expected), "{name}: {message}");
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            contents,
            "{name} untouched"
        );
    }
}

#[tokio::test]
async fn an_unreadable_or_unwritable_place_stops_the_start() {
    let dir = scratch("unreadable");
    // A directory where the file should be: it cannot be read as a file.
    let path = dir.join("is-a-directory");
    fs::create_dir(&path).unwrap();
    let message = start_error(&path).await;
    assert!(message.contains("cannot read it"), "{message}");
    // A parent that does not exist: neither the file nor its lock can be created.
    let path = dir.join("missing-dir").join("customers.json");
    let message = start_error(&path).await;
    assert!(message.contains("cannot open its lock file"), "{message}");
}

#[tokio::test]
async fn dropping_the_server_stops_it() {
    let server = MockServer::start(Config::default()).await.unwrap();
    let addr = server.local_addr();
    drop(server);
    // The listener closes once the server task sees the stop; allow it a generous moment.
    let mut refused = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(refused, "still accepting connections on {addr}");
}

#[tokio::test]
async fn a_taken_port_is_a_bind_error_naming_the_address() {
    let first = MockServer::start(Config::default()).await.unwrap();
    let config = Config {
        listen: first.local_addr(),
        ..Config::default()
    };
    let error = MockServer::start(config).await.unwrap_err();
    assert!(matches!(error, StartError::Bind { .. }), "{error}");
    assert!(
        error.to_string().contains(&first.local_addr().to_string()),
        "{error}"
    );
}

#[test]
fn config_debug_hides_the_access_key() {
    let config = Config {
        access_key: "very-secret".into(),
        ..Config::default()
    };
    let text = format!("{config:?}");
    assert!(!text.contains("very-secret"), "{text}");
    assert!(text.contains("local-access-id"), "{text}");
}

#[tokio::test]
async fn a_failed_save_is_undone_so_nothing_answered_500_is_ever_seen() {
    let dir = scratch("failed-save");
    let path = dir.join("customers.json");
    let server = MockServer::start(with_data(&path)).await.unwrap();
    let (status, _) = answer(
        call(
            &server,
            Method::POST,
            "/customers",
            Some(&joe(Some("kept"))),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    // A directory where the next write's temporary file goes: the write fails.
    let blocker = dir.join("customers.json.tmp");
    fs::create_dir(&blocker).unwrap();
    let (status, _) = answer(
        call(
            &server,
            Method::POST,
            "/customers",
            Some(&joe(Some("lost"))),
        )
        .await,
    )
    .await;
    assert_eq!(status, 500);
    // Undone: not served, and its id not used up.
    let (_, list) = answer(call(&server, Method::GET, "/customers", None).await).await;
    let external_ids: Vec<&Value> = list["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["externalId"])
        .collect();
    assert_eq!(external_ids, [&json!("kept")]);
    let (status, _) =
        answer(call(&server, Method::GET, "/customers?externalId=lost", None).await).await;
    assert_eq!(status, 200);

    // Once the disk takes writes again, the next change is saved with everything before it.
    fs::remove_dir(&blocker).unwrap();
    let (status, next) = answer(
        call(
            &server,
            Method::POST,
            "/customers",
            Some(&joe(Some("next"))),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(next["customer"]["customerId"], json!("1000000002"));
    let (_, served) = answer(call(&server, Method::GET, "/customers", None).await).await;
    server.shutdown().await.expect("every change is saved");
    let on_disk: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(on_disk["customers"], served["customers"]);
}

#[tokio::test]
async fn a_second_emulator_on_the_same_file_does_not_start() {
    let path = scratch("locked").join("customers.json");
    let first = MockServer::start(with_data(&path)).await.unwrap();
    let e = MockServer::start(with_data(&path)).await.unwrap_err();
    assert!(
        matches!(&e, StartError::DataFile { problem, .. } if problem.contains("another emulator")),
        "{e}"
    );
    first.shutdown().await.expect("every change is saved");
    // Free again once the first has stopped.
    let again = MockServer::start(with_data(&path)).await.unwrap();
    again.shutdown().await.expect("every change is saved");
}

#[cfg(unix)]
#[tokio::test]
async fn saves_keep_the_files_permissions_and_a_new_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let path = scratch("mode").join("customers.json");
    let mode = |path: &std::path::Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let server = MockServer::start(with_data(&path)).await.unwrap();
    assert_eq!(mode(&path), 0o600, "created readable by its owner only");
    for chosen in [0o640, 0o600, 0o644] {
        fs::set_permissions(&path, fs::Permissions::from_mode(chosen)).unwrap();
        let (status, _) =
            answer(call(&server, Method::POST, "/customers", Some(&joe(None))).await).await;
        assert_eq!(status, 200);
        assert_eq!(mode(&path), chosen, "a save kept {chosen:o}");
    }
    server.shutdown().await.expect("every change is saved");
}
