//! `--data`: state survives a restart, an answered change is on disk, bad files stop the start
//! and are left as they were, a `trustly-customers-mock/1` JSON file is migrated.

mod common;

use std::fs;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};
use trustly_customers_mock::{Config, MockServer, StartError};

#[tokio::test]
async fn a_restart_keeps_customers_ids_and_changes() {
    let path = scratch("restart").join("customers.db");
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
    assert_eq!(saved(&path)[0], a["customer"]);
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
async fn a_leftover_temp_file_from_a_crash_while_creating_the_file_is_ignored() {
    let dir = scratch("crash");
    let path = dir.join("customers.db");
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
    // What a crash while building a new data file leaves: a half-written one beside it, and
    // its logs.
    let temp = dir.join("customers.db.tmp");
    fs::write(&temp, &good[..good.len() / 2]).unwrap();
    let logs = [
        dir.join("customers.db.tmp-journal"),
        dir.join("customers.db.tmp-wal"),
    ];
    for log in &logs {
        fs::write(log, "left by a crash").unwrap();
    }

    let server = MockServer::start(with_data(&path)).await.unwrap();
    let (_, list) =
        answer(call(&server, Method::GET, "/customers?externalId=kept", None).await).await;
    assert_eq!(list["customers"].as_array().unwrap().len(), 1);
    call(&server, Method::POST, "/customers", Some(&joe(Some("new")))).await;
    // The log of the open database, as a kill would leave it.
    let wal = dir.join("customers.db-wal");
    let log = fs::read(&wal).unwrap();
    assert!(!log.is_empty());
    server.shutdown().await.expect("every change is saved");
    assert!(!wal.exists(), "a stop folds the log into the file");
    assert_eq!(saved(&path).len(), 2);

    // Deleted to start empty, its log left behind: the next new file is built in the same
    // place, the leftover build goes first, and the old log is not applied to the new file.
    fs::remove_file(&path).unwrap();
    let _ = fs::remove_file(dir.join("customers.db-shm"));
    fs::write(&wal, &log).unwrap();
    let server = MockServer::start(with_data(&path)).await.unwrap();
    server.shutdown().await.expect("every change is saved");
    assert_eq!(saved(&path).len(), 0);
    assert!(!temp.exists(), "the leftover became the new file");
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
    // serde_json reads at most 127 levels, and a `trustly-customers-mock/1` file kept a
    // customer two levels down: a body of 126 or 127 levels would have been stored, then
    // stopped the next start (or migration) of such a file.
    let path = scratch("deep").join("customers.db");
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
    let cases: [(&str, &str, &str); 6] = [
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
        ("empty.json", "", "it is empty"),
        (
            "binary.db",
            "\u{0}\u{1}garbage",
            "neither a SQLite database of this emulator nor a trustly-customers-mock/1 JSON file",
        ),
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
    let path = dir.join("missing-dir").join("customers.db");
    let message = start_error(&path).await;
    assert!(message.contains("cannot open its lock file"), "{message}");
}

/// The names of the files in `dir`, sorted.
fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// A start that fails leaves the directory as it found it: no lock file, no new data file.
#[tokio::test]
async fn a_failed_start_leaves_nothing_behind() {
    let dir = scratch("failed-start");
    // A data file refused (each of the ways `open` refuses one), and one whose migration
    // fails half-way (the backup's name is taken): nothing is added beside them.
    let cases = [
        ("text.txt", "plain text\n"),
        ("empty.json", ""),
        ("foreign.json", "{\"hello\": \"world\"}"),
        ("migrated.json", V1_FILE),
    ];
    fs::write(dir.join("migrated.json.v1.bak"), "another file").unwrap();
    let mut expected: Vec<String> = vec!["migrated.json.v1.bak".into()];
    for (name, contents) in cases {
        fs::write(dir.join(name), contents).unwrap();
        expected.push(name.into());
        start_error(&dir.join(name)).await;
        expected.sort();
        assert_eq!(files_in(&dir), expected, "{name}");
    }
    // A port that is taken: the data file is neither created nor locked.
    let taken = MockServer::start(Config::default()).await.unwrap();
    let config = Config {
        listen: taken.local_addr(),
        ..with_data(&dir.join("new.db"))
    };
    let error = MockServer::start(config).await.unwrap_err();
    assert!(matches!(error, StartError::Bind { .. }), "{error}");
    assert_eq!(files_in(&dir), expected, "a taken port");
    // And a start that works leaves the file alone once it stops.
    let server = MockServer::start(with_data(&dir.join("new.db")))
        .await
        .unwrap();
    server.shutdown().await.unwrap();
    expected.push("new.db".into());
    expected.sort();
    assert_eq!(files_in(&dir), expected, "a stop");
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
    let path = dir.join("customers.db");
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
    // Another process holds the data file's write lock: the next save fails.
    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
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

    // Once the file takes writes again, the next change is saved with everything before it.
    drop(blocker);
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
    assert_eq!(Value::from(saved(&path)), served["customers"]);
}

#[tokio::test]
async fn a_second_emulator_on_the_same_file_does_not_start() {
    let path = scratch("locked").join("customers.db");
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
    let path = scratch("mode").join("customers.db");
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

/// A `trustly-customers-mock/1` file, as the emulator wrote it before its data file became a
/// database: two customers, the second renamed since it was created.
const V1_FILE: &str = r#"{"format":"trustly-customers-mock/1","nextCustomerId":1000000005,"customers":[
{"name":"Joe User","address":{"country":"US"},"phone":"+16505551212","email":"joe.user@mail.com","externalId":"a","customerId":"1000000001","createdAt":1,"merchantId":"1002463580","updatedAt":1},
{"name":"Ann User","address":{"country":"US"},"phone":"+16505551213","email":"ann.user@mail.com","externalId":"b2","customerId":"1000000003","createdAt":2,"merchantId":"1002463580","updatedAt":3}
]}
"#;

#[tokio::test]
async fn a_version_1_json_file_is_migrated_and_kept() {
    let dir = scratch("migrate");
    let path = dir.join("customers.json");
    fs::write(&path, V1_FILE).unwrap();
    let v1: Value = serde_json::from_str(V1_FILE).unwrap();

    let server = MockServer::start(with_data(&path)).await.unwrap();
    let (_, list) = answer(call(&server, Method::GET, "/customers", None).await).await;
    assert_eq!(list["customers"], v1["customers"], "served as they were");
    // The index by externalId and the next id came along.
    let (_, b) = answer(call(&server, Method::GET, "/customers?externalId=b2", None).await).await;
    assert_eq!(b["customers"][0]["customerId"], "1000000003");
    let (_, c) =
        answer(call(&server, Method::POST, "/customers", Some(&joe(Some("c")))).await).await;
    assert_eq!(c["customer"]["customerId"], "1000000005");
    server.shutdown().await.expect("every change is saved");

    // The old file is kept byte for byte; the data file is a database now.
    assert_eq!(
        fs::read_to_string(dir.join("customers.json.v1.bak")).unwrap(),
        V1_FILE
    );
    assert!(fs::read(&path).unwrap().starts_with(b"SQLite format 3\0"));
    assert_eq!(saved(&path).len(), 3);
    // The next start opens the database; the kept file is not read again.
    fs::write(dir.join("customers.json.v1.bak"), "not read").unwrap();
    let server = MockServer::start(with_data(&path)).await.unwrap();
    let (_, again) = answer(call(&server, Method::GET, "/customers", None).await).await;
    assert_eq!(again["customers"].as_array().unwrap().len(), 3);
    server.shutdown().await.expect("every change is saved");
}

/// A migration stopped after the old file was kept and before the database took its place
/// (a crash) starts again; a different file under the kept file's name is never replaced.
#[tokio::test]
async fn a_migration_starts_again_after_a_crash_and_never_replaces_another_file() {
    let dir = scratch("migrate-again");
    let path = dir.join("customers.json");
    let backup = dir.join("customers.json.v1.bak");
    fs::write(&path, V1_FILE).unwrap();
    fs::hard_link(&path, &backup).unwrap();
    fs::write(dir.join("customers.json.tmp"), "half a database").unwrap();
    let server = MockServer::start(with_data(&path)).await.unwrap();
    server.shutdown().await.expect("every change is saved");
    assert_eq!(saved(&path).len(), 2);
    assert_eq!(fs::read_to_string(&backup).unwrap(), V1_FILE);

    let dir = scratch("migrate-taken");
    let path = dir.join("customers.json");
    let backup = dir.join("customers.json.v1.bak");
    fs::write(&path, V1_FILE).unwrap();
    fs::write(&backup, "someone else's").unwrap();
    let message = start_error(&path).await;
    assert!(
        message.contains("a different file of that name exists"),
        "{message}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), V1_FILE);
    assert_eq!(fs::read_to_string(&backup).unwrap(), "someone else's");
}

/// Another program's SQLite database, one of a later format, and a damaged one are refused
/// with a message naming the file, and left byte for byte as they were.
#[tokio::test]
async fn a_foreign_later_or_damaged_database_is_refused_and_left_as_it_was() {
    let dir = scratch("foreign-db");
    let foreign = dir.join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();

    let later = dir.join("later.db");
    let server = MockServer::start(with_data(&later)).await.unwrap();
    server.shutdown().await.expect("every change is saved");
    rusqlite::Connection::open(&later)
        .unwrap()
        .execute_batch("UPDATE meta SET value = 'trustly-customers-mock/3' WHERE key = 'format'")
        .unwrap();

    // A database of this emulator with its pages past the header overwritten.
    let damaged = dir.join("damaged.db");
    let server = MockServer::start(with_data(&damaged)).await.unwrap();
    for i in 0..50 {
        call(
            &server,
            Method::POST,
            "/customers",
            Some(&joe(Some(&format!("c{i}")))),
        )
        .await;
    }
    server.shutdown().await.expect("every change is saved");
    let mut bytes = fs::read(&damaged).unwrap();
    for byte in &mut bytes[100..] {
        *byte = 0x5a;
    }
    fs::write(&damaged, &bytes).unwrap();

    for (path, expected) in [
        (&foreign, "not one of this emulator"),
        (&later, "holds format \"trustly-customers-mock/3\""),
        (&damaged, "damaged"),
    ] {
        let before = fs::read(path).unwrap();
        let message = start_error(path).await;
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains(expected), "{message}");
        assert_eq!(
            fs::read(path).unwrap(),
            before,
            "{} untouched",
            path.display()
        );
    }
}

/// Records are checked against the spec when they are written, and again at a start only when
/// the spec they were checked against is not this build's: a record the spec refuses then
/// stops the start, naming its row; a valid file is marked as checked and starts.
#[tokio::test]
async fn records_are_checked_again_when_the_spec_is_not_the_one_they_were_checked_against() {
    let path = scratch("recheck").join("customers.db");
    let server = MockServer::start(with_data(&path)).await.unwrap();
    call(&server, Method::POST, "/customers", Some(&joe(Some("a")))).await;
    server.shutdown().await.expect("every change is saved");
    let db = rusqlite::Connection::open(&path).unwrap();
    let marker = || -> String {
        rusqlite::Connection::open(&path)
            .unwrap()
            .query_row(
                "SELECT value FROM meta WHERE key = 'checked_against'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let spec = marker();
    assert!(spec.contains("\"openapi\""), "the spec, as JSON");

    // Checked against this build's spec already: a start reads the records as they are (here
    // one edited by hand behind the emulator's back, which a start does not look at again).
    db.execute_batch("UPDATE customers SET record = json_remove(record, '$.phone')")
        .unwrap();
    let server = MockServer::start(with_data(&path)).await.unwrap();
    let (_, list) = answer(call(&server, Method::GET, "/customers", None).await).await;
    assert_eq!(list["customers"][0].get("phone"), None);
    server.shutdown().await.expect("every change is saved");
    db.execute_batch("UPDATE customers SET record = json_set(record, '$.phone', '+16505551212')")
        .unwrap();

    // Checked against another spec: checked again, and marked.
    db.execute(
        "UPDATE meta SET value = 'an earlier spec' WHERE key = 'checked_against'",
        [],
    )
    .unwrap();
    let server = MockServer::start(with_data(&path)).await.unwrap();
    server.shutdown().await.expect("every change is saved");
    assert_eq!(marker(), spec);

    // A record without its required `email`, under another spec: refused, and still marked
    // as before.
    db.execute_batch(
        "UPDATE customers SET record = json_remove(record, '$.email');
         UPDATE meta SET value = 'an earlier spec' WHERE key = 'checked_against';",
    )
    .unwrap();
    let message = start_error(&path).await;
    assert!(
        message.contains("row 1000000001 does not satisfy the Customer schema"),
        "{message}"
    );
    assert_eq!(marker(), "an earlier spec");
}
