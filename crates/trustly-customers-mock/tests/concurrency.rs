//! Parallel changes: no lost and no duplicated records.

mod common;

use std::sync::Arc;

use common::*;
use reqwest::Method;
use serde_json::json;
use trustly_customers_mock::{Config, MockServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_upserts_of_one_external_id_make_exactly_one_customer() {
    let server = Arc::new(MockServer::start(Config::default()).await.unwrap());
    let mut tasks = Vec::new();
    for i in 0..64 {
        let server = server.clone();
        tasks.push(tokio::spawn(async move {
            // Half name the customer in the body, half in the query.
            let mut body = joe(None);
            body["phone"] = json!(format!("+1555{i:04}"));
            let path = if i % 2 == 0 {
                body["externalId"] = json!("same");
                "/customers".to_owned()
            } else {
                "/customers?externalId=same".to_owned()
            };
            let (status, body) =
                answer(call(&server, Method::POST, &path, Some(&body)).await).await;
            assert_eq!(status, 200, "{body}");
            body["customer"]["customerId"].as_str().unwrap().to_owned()
        }));
    }
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.unwrap());
    }
    ids.dedup();
    assert_eq!(
        ids.len(),
        1,
        "every upsert names the same customer: {ids:?}"
    );
    let (_, list) = answer(call(&server, Method::GET, "/customers", None).await).await;
    assert_eq!(list["customers"].as_array().unwrap().len(), 1, "{list}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_creates_and_updates_lose_nothing() {
    let server = Arc::new(MockServer::start(Config::default()).await.unwrap());
    let mut tasks = Vec::new();
    for i in 0..50 {
        let server = server.clone();
        tasks.push(tokio::spawn(async move {
            let body = joe(Some(&format!("ext-{i}")));
            let (status, created) =
                answer(call(&server, Method::POST, "/customers", Some(&body)).await).await;
            assert_eq!(status, 200);
            let id = created["customer"]["customerId"]
                .as_str()
                .unwrap()
                .to_owned();
            let patch = joe_with(json!({"externalTier": format!("tier-{i}")}));
            let (status, _) = answer(
                call(
                    &server,
                    Method::POST,
                    &format!("/customers/{id}"),
                    Some(&patch),
                )
                .await,
            )
            .await;
            assert_eq!(status, 200);
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let (_, list) = answer(call(&server, Method::GET, "/customers", None).await).await;
    let customers = list["customers"].as_array().unwrap();
    assert_eq!(customers.len(), 50);
    for c in customers {
        let ext = c["externalId"].as_str().unwrap();
        let n = ext.strip_prefix("ext-").unwrap();
        assert_eq!(c["externalTier"], json!(format!("tier-{n}")), "{c}");
    }
}
