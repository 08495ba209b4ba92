//! A reset with a data file (`--data`): every customer is deleted from the file before the
//! reset is answered, ids start again after a restart too, a reset the file refuses deletes
//! nothing and says so, and a write under way lands on one side of the reset, in memory and in
//! the file alike. (A `kill -9` in the middle of a reset: `kill.rs`.)

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use reqwest::{Method, Response};
use serde_json::{Value, json};
use trustly_customers_mock::{Fault, MockServer};

const FIRST_ID: u64 = 1_000_000_001;

/// `POST /__admin/reset` with the server's credentials.
async fn reset_over_http(server: &MockServer) -> Response {
    reqwest::Client::new()
        .post(format!("http://{}/__admin/reset", server.local_addr()))
        .basic_auth(server.access_id(), Some(server.access_key()))
        .send()
        .await
        .expect("the emulator answers")
}

/// The `next_customer_id` the data file holds, as another process reading it sees it.
fn next_id_in(path: &std::path::Path) -> i64 {
    rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap()
        .query_row(
            "SELECT value FROM meta WHERE key = 'next_customer_id'",
            [],
            |row| row.get(0),
        )
        .unwrap()
}

/// Every customer the emulator serves.
async fn listed(server: &MockServer) -> Value {
    let (status, body) = answer(call(server, Method::GET, "/customers", None).await).await;
    assert_eq!(status, 200, "{body}");
    body["customers"].clone()
}

/// Creates a customer with `external_id`; its record.
async fn create(server: &MockServer, external_id: &str) -> Value {
    let body = joe(Some(external_id));
    let (status, body) = answer(call(server, Method::POST, "/customers", Some(&body)).await).await;
    assert_eq!(status, 200, "{body}");
    body["customer"].clone()
}

fn id_of(customer: &Value) -> u64 {
    customer["customerId"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_reset_deletes_every_customer_from_the_data_file_and_ids_start_again() {
    let path = scratch("reset-http").join("customers.db");
    let server = MockServer::start(with_data(&path)).await.unwrap();
    create(&server, "a").await;
    create(&server, "b").await;
    assert_eq!(saved(&path).len(), 2);

    assert_eq!(reset_over_http(&server).await.status(), 204);
    // Answered once the deletion is on disk: the file is empty before any stop.
    assert_eq!(saved(&path), Vec::<Value>::new());
    assert_eq!(next_id_in(&path), FIRST_ID as i64);
    assert_eq!(listed(&server).await, json!([]));
    let (_, by_a) = answer(call(&server, Method::GET, "/customers?externalId=a", None).await).await;
    assert_eq!(by_a, json!({"customers": []}));
    // The first id again, and an `externalId` that was another customer's is free.
    let c = create(&server, "b").await;
    assert_eq!(id_of(&c), FIRST_ID);
    server.shutdown().await.expect("every change is saved");

    // After a restart over the same file: what was created after the reset, and nothing else.
    let server = MockServer::start(with_data(&path)).await.unwrap();
    assert_eq!(listed(&server).await, json!([c]));
    assert_eq!(id_of(&create(&server, "d").await), FIRST_ID + 1);
    server.shutdown().await.expect("every change is saved");
}

/// Customers read from the file at start are deleted from it like those created since; a
/// second reset, of no customer, changes nothing.
#[tokio::test]
async fn customers_loaded_from_the_file_are_deleted_by_a_reset_too() {
    let path = scratch("reset-loaded").join("customers.db");
    let server = MockServer::start(with_data(&path)).await.unwrap();
    create(&server, "a").await;
    create(&server, "b").await;
    server.shutdown().await.expect("every change is saved");

    let server = MockServer::start(with_data(&path)).await.unwrap();
    assert_eq!(listed(&server).await.as_array().unwrap().len(), 2);
    assert_eq!(reset_over_http(&server).await.status(), 204);
    assert_eq!(saved(&path), Vec::<Value>::new());
    assert_eq!(reset_over_http(&server).await.status(), 204, "twice");
    server.shutdown().await.expect("every change is saved");
    let server = MockServer::start(with_data(&path)).await.unwrap();
    assert_eq!(listed(&server).await, json!([]));
    assert_eq!(id_of(&create(&server, "c").await), FIRST_ID);
    server.shutdown().await.expect("every change is saved");
}

/// `MockServer::reset` waits for the data file too. When the file cannot be written (another
/// process holds its write lock), it deletes nothing, in memory or in the file, and says so;
/// over HTTP that is a 500 with the emulator's error body. The faults and the journal are
/// cleared all the same.
#[tokio::test]
async fn a_reset_in_process_waits_for_the_data_file_and_one_it_refuses_deletes_nothing() {
    let path = scratch("reset-in-process").join("customers.db");
    let server = MockServer::start(with_data(&path)).await.unwrap();
    let kept = create(&server, "kept").await;
    server
        .add_fault(Fault::new().operation("getCustomer").status(503))
        .unwrap();

    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let error = server.reset().await.unwrap_err();
    assert!(
        error.to_string().contains("no customer was deleted"),
        "{error}"
    );
    assert_eq!(listed(&server).await, json!([kept]));
    assert_eq!(Value::from(saved(&path)), json!([kept]));
    assert!(server.faults().is_empty(), "the faults are cleared");
    let (status, body) = answer(reset_over_http(&server).await).await;
    assert_eq!(status, 500, "{body}");
    let messages = assert_errors(&body, INTERNAL, 100);
    assert!(messages[0].contains("data file"), "{messages:?}");
    assert_eq!(listed(&server).await, json!([kept]));

    // Once the file takes writes again: the ids were not started again either.
    drop(blocker);
    assert_eq!(id_of(&create(&server, "next").await), id_of(&kept) + 1);
    server.reset().await.expect("the file takes writes");
    assert_eq!(saved(&path), Vec::<Value>::new());
    let c = create(&server, "c").await;
    assert_eq!(id_of(&c), FIRST_ID);
    server.shutdown().await.expect("every change is saved");
    let server = MockServer::start(with_data(&path)).await.unwrap();
    assert_eq!(listed(&server).await, json!([c]));
    server.shutdown().await.expect("every change is saved");
}

/// Where ids stand before the reset: from here on, far from where they start again after it,
/// so a create's answer says on which side of the reset its write landed.
const BEFORE: u64 = 1_000_000_500;

/// Creates answered while a reset is under way: those that landed before it are gone, those
/// after it stay, with ids counted from the first one; the file holds what is served, before a
/// stop and after a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writes_under_way_land_before_the_reset_and_go_or_after_it_and_stay() {
    let path = scratch("reset-race").join("customers.db");
    let server = Arc::new(MockServer::start(with_data(&path)).await.unwrap());
    let mut first = joe(Some("first"));
    first["customerId"] = json!(BEFORE.to_string());
    let (status, _) = answer(call(&server, Method::POST, "/customers", Some(&first)).await).await;
    assert_eq!(status, 200);

    let answered = Arc::new(AtomicUsize::new(0));
    let mut writers = Vec::new();
    for writer in 0..4 {
        let (server, answered) = (server.clone(), answered.clone());
        writers.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for n in 0..15 {
                let customer = create(&server, &format!("w{writer}-{n}")).await;
                answered.fetch_add(1, Ordering::SeqCst);
                ids.push((customer["externalId"].clone(), id_of(&customer)));
            }
            ids
        }));
    }
    // Some creates are answered before the reset is sent; the rest run on while it is made.
    while answered.load(Ordering::SeqCst) < 8 {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    assert_eq!(reset_over_http(&server).await.status(), 204);
    let last = create(&server, "last").await;
    let mut created = vec![(last["externalId"].clone(), id_of(&last))];
    for writer in writers {
        created.extend(writer.await.unwrap());
    }

    let (before, mut after): (Vec<_>, Vec<_>) =
        created.into_iter().partition(|(_, id)| *id > BEFORE);
    assert!(before.len() >= 8, "{before:?}");
    after.sort_by_key(|(_, id)| *id);
    let ids: Vec<u64> = after.iter().map(|(_, id)| *id).collect();
    let counted: Vec<u64> = (FIRST_ID..).take(after.len()).collect();
    assert_eq!(ids, counted, "after the reset, ids count from the first");
    let served = listed(&server).await;
    let served_pairs: Vec<(Value, u64)> = served
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["externalId"].clone(), id_of(c)))
        .collect();
    assert_eq!(
        served_pairs, after,
        "what landed after stays; nothing before"
    );
    assert_eq!(
        Value::from(saved(&path)),
        served,
        "the file holds what is served"
    );

    Arc::into_inner(server)
        .unwrap()
        .shutdown()
        .await
        .expect("every change is saved");
    let server = MockServer::start(with_data(&path)).await.unwrap();
    assert_eq!(listed(&server).await, served);
    server.shutdown().await.expect("every change is saved");
}
