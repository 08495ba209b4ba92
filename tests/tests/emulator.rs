//! End to end: the generated client (`trustly-customers-api`) against the emulator
//! (`trustly-customers-mock`), every operation and every error status the spec documents.
//!
//! Every response body a test sees is held up to the response schema the spec gives its
//! operation and status: typed bodies after serializing them back (absent properties are
//! skipped and `null`s kept, so this is the JSON that arrived, minus properties the type does
//! not know), raw bodies as they came.

use serde::Serialize;
use serde_json::{Value, json};
use trustly_customers_api::types::{
    Address, Customer, CustomerId, ErrorCode, ExternalId, MerchantId, Vip,
};
use trustly_customers_api::{Client, Error, Nullable, RequestSettings, Timestamp, types};
use trustly_customers_mock::{Config, MockServer};

const INVALID_PARAMETER: &str =
    "com.trustly.merchantgateway.v1.exception.InvalidParameterException";
const ACCESS_CONTROL: &str =
    "com.paywithmybank.merchantgateway.v1.exception.AccessControlException";

/// `(path, method)` of each operation in the spec.
const LIST: (&str, &str) = ("/customers", "get");
const UPSERT: (&str, &str) = ("/customers", "post");
const GET: (&str, &str) = ("/customers/{customerId}", "get");
const REPLACE: (&str, &str) = ("/customers/{customerId}", "post");

/// Fails unless `body` satisfies the schema of `operation`'s `status` response in the spec.
fn assert_conforms(operation: (&str, &str), status: u16, body: &Value) {
    let doc = trustly_customers_spec::document();
    let (path, method) = operation;
    let escaped = trustly_customers_spec::escape_token(path);
    let mut response_ptr = format!("/paths/{escaped}/{method}/responses/{status}");
    // A response may be a `$ref` to `components/responses`; the checker follows schema refs only.
    if let Some(target) = doc.pointer(&response_ptr).and_then(|r| r.get("$ref")) {
        response_ptr = target.as_str().unwrap().trim_start_matches('#').to_owned();
    }
    let schema_ptr = format!("{response_ptr}/content/application~1json/schema");
    assert!(
        doc.pointer(&schema_ptr).is_some(),
        "the spec documents no {status} body for {method} {path}"
    );
    let violations = trustly_customers_spec::schema::check(doc, &schema_ptr, body);
    assert!(
        violations.is_empty(),
        "{method} {path} {status}: {violations:?}\n{body}"
    );
}

#[test]
fn the_conformance_check_refuses_bodies_the_spec_does_not_allow() {
    // Without this, a check that found no schema or followed no `$ref` would pass everything.
    let customer = json!({"name": "n", "address": {"country": "US"}, "phone": "p", "email": "e"});
    assert_conforms(GET, 200, &json!({ "customer": customer }));
    let wrong = [
        (GET, 200, json!({ "customers": [customer] })),
        (UPSERT, 200, json!({"customer": {"name": "n"}})),
        (
            REPLACE,
            200,
            json!({"customer": {"name": "n", "address": {"country": "US"},
                                          "phone": "p", "email": "e", "vip": true}}),
        ),
        (LIST, 200, json!({"customers": {}})),
        (
            GET,
            404,
            json!({"errors": [{"domain": "d", "code": "200", "message": "m"}]}),
        ),
        (LIST, 401, json!({"errors": [{"domain": "d", "code": 375}]})),
    ];
    for (operation, status, body) in wrong {
        let outcome = std::panic::catch_unwind(|| assert_conforms(operation, status, &body));
        assert!(outcome.is_err(), "{operation:?} {status} accepted {body}");
    }
}

/// Serializes a typed body and checks it.
fn conforms<T: Serialize>(operation: (&str, &str), status: u16, body: &T) {
    assert_conforms(operation, status, &serde_json::to_value(body).unwrap());
}

/// A generated client with HTTP Basic on every request.
fn client(server: &MockServer, id: &str, key: &str) -> Client {
    let settings = RequestSettings::new().basic_auth(id, key);
    Client::new_with_client(&server.base_url(), reqwest::Client::new(), settings)
}

async fn start() -> (MockServer, Client) {
    let server = MockServer::start(Config::default()).await.unwrap();
    let client = client(&server, server.access_id(), server.access_key());
    (server, client)
}

fn joe(external_id: Option<&str>) -> Customer {
    let joe = Customer::new(
        "Joe User",
        Address::new("US")
            .address1("2000 Broadway St")
            .city("Redwood City")
            .state("CA")
            .zip("94063"),
        "+16505551212",
        "joe.user@mail.com",
    )
    .tax_id("012345678");
    match external_id {
        Some(id) => joe.external_id(id),
        None => joe,
    }
}

/// An id as text, for comparisons.
fn text<T: AsRef<str>>(id: Option<&T>) -> Option<&str> {
    id.map(AsRef::as_ref)
}

/// The error body of an `Error::ErrorResponse` with this status, checked against the spec.
fn error_body<T: std::fmt::Debug>(
    outcome: Result<T, Error<types::ErrorBody>>,
    operation: (&str, &str),
    status: u16,
) -> types::ErrorBody {
    match outcome {
        Err(Error::ErrorResponse(response)) => {
            assert_eq!(response.status().as_u16(), status);
            let body = response.into_inner();
            conforms(operation, status, &body);
            // The emulator answers with codes the spec names, and no other.
            for error in &body.errors {
                assert!(error.code.name().is_some(), "{error:?}");
            }
            body
        }
        other => panic!("expected a {status} error response, got {other:?}"),
    }
}

fn single_error(body: &types::ErrorBody, domain: &str, code: ErrorCode) -> String {
    assert_eq!(body.errors.len(), 1, "{body:?}");
    assert_eq!(body.errors[0].domain, domain);
    assert_eq!(body.errors[0].code, code);
    body.errors[0].message.clone()
}

#[tokio::test]
async fn create_get_update_list_through_the_generated_client() {
    let (server, api) = start().await;

    // Create: server-assigned id, timestamps and merchant id; client values for them ignored.
    let mut body = joe(Some("4567890"));
    body.created_at = Some(Timestamp::from_millisecond(1).unwrap());
    body.customer_id = None;
    body.merchant_id = Nullable::Value(MerchantId::from("not-mine"));
    body.vip = Nullable::Value(Vip::Int64(2));
    let created = api
        .create_or_update_customer(None, &body)
        .await
        .unwrap()
        .into_inner();
    conforms(UPSERT, 200, &created);
    let created = created.customer;
    let id = created.customer_id.clone().unwrap();
    assert!(id.chars().all(|c| c.is_ascii_digit()), "{id}");
    assert_eq!(text(created.merchant_id.value()), Some("1002463580"));
    assert!(created.created_at.unwrap().as_millisecond() > 1_600_000_000_000);
    assert_eq!(created.created_at, created.updated_at);
    assert_eq!(created.vip, Nullable::Value(Vip::Int64(2)));
    assert_eq!(created.tax_id.as_deref(), Some("012345678"));

    // Get.
    let got = api.get_customer(&id).await.unwrap().into_inner();
    conforms(GET, 200, &got);
    assert_eq!(got.customer, created);

    // Update by id: the whole record, read and sent back with changes.
    let mut record = got.customer.clone();
    record.phone = "+16505550000".into();
    record.external_tier = Nullable::Value("Gold".into());
    let updated = api
        .replace_customer(&id, &record)
        .await
        .unwrap()
        .into_inner();
    conforms(REPLACE, 200, &updated);
    let updated = updated.customer;
    assert_eq!(updated.phone, "+16505550000");
    assert_eq!(updated.external_tier.as_deref(), Some("Gold"));
    assert_eq!(updated.name, created.name);
    assert_eq!(updated.tax_id, created.tax_id);
    assert_eq!(updated.created_at, created.created_at);
    assert!(updated.updated_at >= created.updated_at);

    // Create-or-update by the body's externalId updates the same customer.
    let mut again = joe(Some("4567890"));
    again.name = "Joe Q. User".into();
    let upserted = api
        .create_or_update_customer(None, &again)
        .await
        .unwrap()
        .into_inner();
    conforms(UPSERT, 200, &upserted);
    assert_eq!(upserted.customer.customer_id.as_ref(), Some(&id));
    assert_eq!(upserted.customer.name, "Joe Q. User");
    // Properties left out stay (the tier set above); properties sent overwrite.
    assert_eq!(upserted.customer.external_tier.as_deref(), Some("Gold"));

    // Create-or-update by the query's externalId creates once, then updates.
    let q1 = ExternalId::from("q-1");
    let by_query = api
        .create_or_update_customer(Some(&q1), &joe(None))
        .await
        .unwrap()
        .into_inner();
    conforms(UPSERT, 200, &by_query);
    let second_id = by_query.customer.customer_id.clone().unwrap();
    assert_ne!(second_id, id);
    assert_eq!(text(by_query.customer.external_id.value()), Some("q-1"));
    let repeat = api
        .create_or_update_customer(Some(&q1), &joe(None))
        .await
        .unwrap()
        .into_inner();
    conforms(UPSERT, 200, &repeat);
    assert_eq!(repeat.customer.customer_id.as_ref(), Some(&second_id));

    // Create-or-update by the body's customerId.
    let mut by_id = joe(None);
    by_id.customer_id = Some(second_id.clone());
    by_id.email = "second@mail.com".into();
    let by_id = api
        .create_or_update_customer(None, &by_id)
        .await
        .unwrap()
        .into_inner();
    conforms(UPSERT, 200, &by_id);
    assert_eq!(by_id.customer.customer_id.as_ref(), Some(&second_id));
    assert_eq!(by_id.customer.email, "second@mail.com");

    // List: creation order; each filter; both filters; no match.
    let all = api.list_customers(None, None).await.unwrap().into_inner();
    conforms(LIST, 200, &all);
    let ids: Vec<_> = all
        .customers
        .iter()
        .map(|c| c.customer_id.clone().unwrap())
        .collect();
    assert_eq!(ids, [id.clone(), second_id.clone()]);
    let one = api
        .list_customers(None, Some(&q1))
        .await
        .unwrap()
        .into_inner();
    conforms(LIST, 200, &one);
    assert_eq!(one.customers.len(), 1);
    assert_eq!(one.customers[0].customer_id.as_ref(), Some(&second_id));
    let one = api
        .list_customers(Some(&id), None)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(text(one.customers[0].external_id.value()), Some("4567890"));
    let both = api
        .list_customers(Some(&id), Some(&ExternalId::from("4567890")))
        .await
        .unwrap()
        .into_inner();
    conforms(LIST, 200, &both);
    assert_eq!(both.customers.len(), 1);
    let mismatch = api
        .list_customers(Some(&id), Some(&q1))
        .await
        .unwrap()
        .into_inner();
    conforms(LIST, 200, &mismatch);
    assert!(mismatch.customers.is_empty());
    let none = api
        .list_customers(None, Some(&ExternalId::from("nobody")))
        .await
        .unwrap()
        .into_inner();
    conforms(LIST, 200, &none);
    assert!(none.customers.is_empty());

    server.shutdown().await.expect("every change is saved");
}

#[tokio::test]
async fn null_removes_a_property() {
    // Sent by the generated client: a cleared nullable property goes out as `null`.
    let (_server, api) = start().await;
    let created = api
        .create_or_update_customer(None, &joe(None))
        .await
        .unwrap()
        .into_inner();
    conforms(UPSERT, 200, &created);
    let id = created.customer.customer_id.clone().unwrap();
    let mut record = created.customer.clone();
    record.tax_id = Nullable::Null;
    record.phone = "+16505550000".into();
    let updated = api
        .replace_customer(&id, &record)
        .await
        .unwrap()
        .into_inner();
    conforms(REPLACE, 200, &updated);
    assert_eq!(
        updated.customer.tax_id,
        Nullable::Absent,
        "removed, not stored as null"
    );
    let got = api.get_customer(&id).await.unwrap().into_inner();
    conforms(GET, 200, &got);
    let got = got.customer;
    assert_eq!(got.tax_id, Nullable::Absent);
    assert_eq!(got.phone, "+16505550000");
    assert_eq!(got.name, "Joe User");
}

#[tokio::test]
async fn every_operation_answers_401_to_wrong_credentials() {
    let (server, _) = start().await;
    let api = client(&server, server.access_id(), "wrong-key");
    let update = joe(None);
    let some_id = CustomerId::from("1000000001");
    for (operation, outcome) in [
        (LIST, api.list_customers(None, None).await.map(|_| ())),
        (
            UPSERT,
            api.create_or_update_customer(None, &joe(None))
                .await
                .map(|_| ()),
        ),
        (GET, api.get_customer(&some_id).await.map(|_| ())),
        (
            REPLACE,
            api.replace_customer(&some_id, &update).await.map(|_| ()),
        ),
    ] {
        let body = error_body(outcome, operation, 401);
        assert_eq!(
            single_error(&body, ACCESS_CONTROL, ErrorCode::ACCESS_CONTROL),
            "Access not authorized"
        );
    }
}

#[tokio::test]
async fn unknown_customers_answer_404() {
    let (server, api) = start().await;
    let body = error_body(
        api.get_customer(&CustomerId::from("1000000001")).await,
        GET,
        404,
    );
    assert!(
        single_error(&body, INVALID_PARAMETER, ErrorCode::INVALID_PARAMETER)
            .starts_with("customerId:")
    );
    let body = error_body(
        api.replace_customer(&CustomerId::from("42"), &joe(None))
            .await,
        REPLACE,
        404,
    );
    assert!(
        single_error(&body, INVALID_PARAMETER, ErrorCode::INVALID_PARAMETER)
            .starts_with("customerId:")
    );
    let mut upsert = joe(None);
    upsert.customer_id = Some("not-a-number".into());
    let body = error_body(
        api.create_or_update_customer(None, &upsert).await,
        UPSERT,
        404,
    );
    assert!(
        single_error(&body, INVALID_PARAMETER, ErrorCode::INVALID_PARAMETER)
            .starts_with("/customerId:")
    );
    drop(server);
}

#[tokio::test]
async fn invalid_input_answers_400_naming_the_field() {
    let (server, api) = start().await;

    // Create: the spec's constraints (minLength here), one error per violation.
    let mut short = joe(None);
    short.address.zip = Nullable::Value("940".into());
    short.name = String::new();
    let body = error_body(
        api.create_or_update_customer(None, &short).await,
        UPSERT,
        400,
    );
    let messages: Vec<_> = body.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "/address/zip: length 3 is below minLength 5",
            "/name: length 0 is below minLength 1"
        ]
    );
    assert!(
        body.errors
            .iter()
            .all(|e| e.code == ErrorCode::INVALID_PARAMETER && e.domain == INVALID_PARAMETER)
    );

    // Update by id: the same constraints.
    let created = api
        .create_or_update_customer(None, &joe(Some("a")))
        .await
        .unwrap()
        .into_inner();
    conforms(UPSERT, 200, &created);
    let created = created.customer;
    let id = created.customer_id.clone().unwrap();
    let mut record = created.clone();
    record.email = String::new();
    let body = error_body(api.replace_customer(&id, &record).await, REPLACE, 400);
    assert_eq!(
        single_error(&body, INVALID_PARAMETER, ErrorCode::INVALID_PARAMETER),
        "/email: length 0 is below minLength 1"
    );

    // A second customer may not take an externalId another one has.
    let other = api
        .create_or_update_customer(None, &joe(Some("b")))
        .await
        .unwrap();
    let other = other.into_inner();
    conforms(UPSERT, 200, &other);
    let other = other.customer;
    let other_id = other.customer_id.clone().unwrap();
    let mut record = other.clone();
    record.external_id = Nullable::Value("a".into());
    let body = error_body(api.replace_customer(&other_id, &record).await, REPLACE, 400);
    assert!(
        single_error(&body, INVALID_PARAMETER, ErrorCode::INVALID_PARAMETER)
            .starts_with("/externalId:")
    );

    // Removing a required property by update (raw: the spec gives a client no way to).
    let (status, body) = raw(
        &server,
        reqwest::Method::POST,
        &format!("/customers/{id}"),
        Some(json!({"name": "A", "phone": "1", "email": "a@b", "address": null})),
    )
    .await;
    assert_eq!(status, 400);
    assert_conforms(REPLACE, 400, &body);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("/address:")
    );

    // A repeated query parameter.
    let (status, body) = raw(
        &server,
        reqwest::Method::GET,
        "/customers?customerId=1&customerId=2",
        None,
    )
    .await;
    assert_eq!(status, 400);
    assert_conforms(LIST, 400, &body);
}

#[tokio::test]
async fn raw_bodies_conform_as_sent_for_every_status() {
    // The same checks on the bytes as they came, for each operation's success and errors.
    let (server, _) = start().await;
    let (status, created) = raw(
        &server,
        reqwest::Method::POST,
        "/customers",
        Some(json!({
            "name": "Ann", "address": {"country": "CA"}, "phone": "1", "email": "a@b",
            "customData": {"any": [1, "two", {"three": null}]}, "vip": "gold",
            "driverLicense": {"number": "A1", "state": "CA"}, "enrollDate": 1555696836548_i64
        })),
    )
    .await;
    assert_eq!(status, 200);
    assert_conforms(UPSERT, 200, &created);
    // A `null` removes its property at any depth; array elements stay where they are.
    assert_eq!(
        created["customer"]["customData"],
        json!({"any": [1, "two", {}]})
    );
    let id = created["customer"]["customerId"]
        .as_str()
        .unwrap()
        .to_owned();
    let whole = |vip: Value| json!({"name": "Ann", "address": {"country": "CA"}, "phone": "1", "email": "a@b", "vip": vip});
    let cases = [
        (
            GET,
            reqwest::Method::GET,
            format!("/customers/{id}"),
            None,
            200,
        ),
        (
            GET,
            reqwest::Method::GET,
            "/customers/7".to_owned(),
            None,
            404,
        ),
        (
            LIST,
            reqwest::Method::GET,
            "/customers".to_owned(),
            None,
            200,
        ),
        (
            LIST,
            reqwest::Method::GET,
            "/customers?externalId=none".to_owned(),
            None,
            200,
        ),
        (
            REPLACE,
            reqwest::Method::POST,
            format!("/customers/{id}"),
            Some(whole(json!(3))),
            200,
        ),
        (
            REPLACE,
            reqwest::Method::POST,
            format!("/customers/{id}"),
            Some(whole(json!(true))),
            400,
        ),
        (
            REPLACE,
            reqwest::Method::POST,
            "/customers/7".to_owned(),
            Some(whole(json!("1"))),
            404,
        ),
        (
            UPSERT,
            reqwest::Method::POST,
            "/customers".to_owned(),
            Some(json!({"name": "x"})),
            400,
        ),
        (
            UPSERT,
            reqwest::Method::POST,
            "/customers".to_owned(),
            Some(json!(["not", "an", "object"])),
            400,
        ),
    ];
    for (operation, method, path, body, expected) in cases {
        let (status, answer) = raw(&server, method, &path, body).await;
        assert_eq!(status, expected, "{path}: {answer}");
        assert_conforms(operation, status, &answer);
    }
}

/// One request with the server's credentials, outside the generated client: (status, JSON).
async fn raw(
    server: &MockServer,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", server.base_url()))
        .basic_auth(server.access_id(), Some(server.access_key()));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn oversized_and_non_json_bodies_get_declared_answers_a_client_reads() {
    // An 8 MiB body is far above the emulator's limit: it is drained, and the 413 reaches the
    // client instead of a connection reset. Both answers are declared by the spec.
    let (server, _) = start().await;
    let http = reqwest::Client::new();
    let big = format!("{{\"name\":\"{}\"}}", "a".repeat(8 * 1024 * 1024));
    for (operation, path) in [
        (UPSERT, "/customers".to_owned()),
        (REPLACE, "/customers/1000000001".to_owned()),
    ] {
        let url = format!("{}{path}", server.base_url());
        let response = http
            .post(&url)
            .basic_auth(server.access_id(), Some(server.access_key()))
            .header("content-type", "application/json")
            .body(big.clone())
            .send()
            .await
            .expect("the answer to an oversized body is read, not reset");
        assert_eq!(response.status(), 413, "{path}");
        assert_eq!(
            response.headers().get("connection").unwrap(),
            "close",
            "{path}"
        );
        let body: Value = response.json().await.unwrap();
        assert_conforms(operation, 413, &body);

        let response = http
            .post(&url)
            .basic_auth(server.access_id(), Some(server.access_key()))
            .header("content-type", "text/plain")
            .body("name=Joe")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 415, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_conforms(operation, 415, &body);
    }
}
