//! The routes follow the spec they are given: an operation the emulator does not model is
//! answered 501 with Trustly's error body, never a panic or a 404 that reads as "no customer".

use std::sync::{Arc, RwLock};

use serde_json::{Value, json};

use crate::app::App;
use crate::auth::BasicAuth;
use crate::generated::schemas::{error_body, error_detail};
use crate::routes::{BASE_PATH, router};
use crate::store::Store;

/// The embedded spec with one more operation: a copy of "Get a customer by id" under `/notes`.
fn spec_with_an_operation_the_emulator_lacks() -> &'static Value {
    let mut doc = trustly_customers_spec::document().clone();
    let mut notes = doc["paths"]["/customers/{customerId}"].clone();
    notes.as_object_mut().unwrap().remove("post");
    notes["get"]["operationId"] = json!("getCustomerNotes");
    doc["paths"]
        .as_object_mut()
        .unwrap()
        .insert("/customers/{customerId}/notes".into(), notes);
    Box::leak(Box::new(doc))
}

async fn serve(doc: &'static Value) -> String {
    let app = Arc::new(App {
        store: Arc::new(RwLock::new(Store::new())),
        auth: BasicAuth::new("id", "key"),
        merchant_id: "m".into(),
        persister: None,
        max_body_bytes: 1024,
        bench: crate::admin::TestBench::new(&crate::Config::default()),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}{BASE_PATH}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router(app, doc)).await });
    base
}

#[tokio::test]
async fn an_operation_it_does_not_model_is_501_with_trustlys_error_body() {
    let base = serve(spec_with_an_operation_the_emulator_lacks()).await;
    let http = reqwest::Client::new();
    let answer = http
        .get(format!("{base}/customers/42/notes"))
        .basic_auth("id", Some("key"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 501);
    let body: Value = answer.json().await.unwrap();
    let error = &body[error_body::ERRORS][0];
    assert_eq!(error[error_detail::CODE], 200);
    assert_eq!(
        error[error_detail::MESSAGE],
        "the emulator does not implement operation getCustomerNotes of the spec"
    );
    let violations = trustly_customers_spec::check_component("ErrorBody", &body);
    assert!(violations.is_empty(), "{violations:?}");

    // Credentials are still checked first; a method the spec does not give the path is a 405,
    // and the operations it models answer as before.
    let anonymous = http
        .get(format!("{base}/customers/42/notes"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    let wrong_method = http
        .delete(format!("{base}/customers/42/notes"))
        .basic_auth("id", Some("key"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), 405);
    let list = http
        .get(format!("{base}/customers"))
        .basic_auth("id", Some("key"))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
}
