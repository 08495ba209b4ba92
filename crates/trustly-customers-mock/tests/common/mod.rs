//! Helpers shared by the emulator's HTTP tests.
#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};

use reqwest::{Client, Method, Response};
use serde_json::{Value, json};
use trustly_customers_mock::{Config, MockServer};

pub const INVALID_PARAMETER: &str =
    "com.trustly.merchantgateway.v1.exception.InvalidParameterException";
pub const ACCESS_CONTROL: &str =
    "com.paywithmybank.merchantgateway.v1.exception.AccessControlException";
pub const INTERNAL: &str = "com.trustly.merchantgateway.v1.exception.InternalException";

/// A customer body that satisfies the spec's `Customer` schema.
pub fn joe(external_id: Option<&str>) -> Value {
    let mut body = json!({
        "name": "Joe User",
        "address": {"country": "US", "address1": "2000 Broadway St", "zip": "94063"},
        "phone": "+16505551212",
        "email": "joe.user@mail.com",
        "taxId": "012345678",
    });
    if let Some(e) = external_id {
        body["externalId"] = json!(e);
    }
    body
}

/// [`joe`] with `changes` made: a whole record, as "Update a customer by id" takes.
pub fn joe_with(changes: Value) -> Value {
    let mut body = joe(None);
    for (name, value) in changes.as_object().expect("changes are an object") {
        body[name] = value.clone();
    }
    body
}

/// Sends a request with the server's credentials.
pub async fn call(
    server: &MockServer,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> Response {
    let mut request = Client::new()
        .request(method, format!("{}{path}", server.base_url()))
        .basic_auth(server.access_id(), Some(server.access_key()));
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.expect("the emulator answers")
}

/// Status and JSON body.
pub async fn answer(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    let text = response.text().await.unwrap();
    assert_eq!(content_type.as_deref(), Some("application/json"), "{text}");
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, body)
}

/// Asserts `body` is Trustly's error body with one entry per expected message, with the domain
/// and code given.
pub fn assert_errors(body: &Value, domain: &str, code: i64) -> Vec<String> {
    let errors = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"));
    assert!(!errors.is_empty(), "{body}");
    let violations = trustly_customers_spec::check_component("ErrorBody", body);
    assert!(violations.is_empty(), "{violations:?}");
    errors
        .iter()
        .map(|e| {
            assert_eq!(e["domain"], json!(domain), "{body}");
            assert_eq!(e["code"], json!(code), "{body}");
            e["message"].as_str().unwrap().to_owned()
        })
        .collect()
}

/// A fresh directory for one test under cargo's scratch space for integration tests.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("mock-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The default configuration, with the data file at `path`.
pub fn with_data(path: &Path) -> Config {
    Config {
        data: Some(path.to_owned()),
        ..Config::default()
    }
}

/// The customers in the data file, as another process reading it sees them.
pub fn saved(path: &Path) -> Vec<Value> {
    let db =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut rows = db
        .prepare("SELECT record FROM customers ORDER BY customer_id")
        .unwrap();
    rows.query_map([], |row| row.get::<_, String>(0))
        .unwrap()
        .map(|record| serde_json::from_str(&record.unwrap()).unwrap())
        .collect()
}
