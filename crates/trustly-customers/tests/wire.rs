//! The exact request each operation puts on the wire: method, path, query, credentials, body.

mod common;

use common::*;
use jiff::Timestamp;
use serde_json::{Value, json};
use trustly_customers::{
    Address, CustomerId, CustomerPatch, ErrorKind, ExternalId, ListFilter, NewCustomer, Patch, Vip,
};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Starts a server that answers everything with `body`, returns it and a client for it.
async fn serve(body: Value) -> (MockServer, trustly_customers::Client) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let client = client_for(&server);
    (server, client)
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request expected");
    requests.remove(0)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

fn assert_common(request: &Request, method: &str, path: &str, query: Option<&str>) {
    assert_eq!(request.method.as_str(), method);
    assert_eq!(request.url.path(), path);
    assert_eq!(request.url.query(), query);
    assert_eq!(
        header(request, "authorization"),
        Some(EXPECTED_AUTHORIZATION)
    );
    assert_eq!(header(request, "accept"), Some("application/json"));
    assert_eq!(
        header(request, "user-agent"),
        Some(concat!(
            "trustly-customers-rust/",
            env!("CARGO_PKG_VERSION")
        ))
    );
}

fn body_json(request: &Request) -> Value {
    assert_eq!(header(request, "content-type"), Some("application/json"));
    serde_json::from_slice(&request.body).expect("the body is JSON")
}

#[tokio::test]
async fn create_or_update_posts_the_customer_without_a_query() {
    let (server, client) = serve(customer_response()).await;
    let created = client
        .create_or_update_customer(&full_new_customer())
        .await
        .unwrap();
    assert_eq!(created.customer_id, Some(CustomerId::new("1002580963")));
    let request = only_request(&server).await;
    assert_common(&request, "POST", "/api/v1/customers", None);
    assert_eq!(
        body_json(&request),
        json!({
            "name": "Jane Q Secret",
            "address": {"country": "US", "address1": "1 Hidden Lane", "address2": "Apt 42b",
                        "city": "Beverly Hills", "state": "CA", "zip": "90210"},
            "phone": "+15550001111",
            "email": "jane.secret@example.com",
            "externalId": "ext-42",
            "taxId": "123-45-6789",
            "dateOfBirth": "1984-02-29",
            "vip": 2,
            "personId": "PERSON-5551234",
            "customData": {"loyalty": "loyalty-secret-value"},
            "driverLicense": {"number": "DL-X9Y8Z7", "state": "CA"},
            "nationalId": "NAT-777888999"
        })
    );
}

#[tokio::test]
async fn create_sends_only_what_is_set_and_timestamps_as_epoch_millis() {
    let (server, client) = serve(customer_response()).await;
    let enrolled = Timestamp::from_millisecond(1_555_696_836_548).unwrap();
    let new = NewCustomer::new("N", Address::new("CA"), "1", "e@x")
        .customer_id(CustomerId::new("c-1"))
        .enroll_date(enrolled)
        .vip(Vip::Named("gold".into()));
    client.create_or_update_customer(&new).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        request.body,
        br#"{"name":"N","address":{"country":"CA"},"phone":"1","email":"e@x","customerId":"c-1","enrollDate":1555696836548,"vip":"gold"}"#
    );
}

#[tokio::test]
async fn upsert_by_external_id_puts_it_in_the_query_encoded() {
    let (server, client) = serve(customer_response()).await;
    client
        .upsert_customer_by_external_id(&ExternalId::new("ext 42/&?"), &anonymous_new_customer())
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_common(
        &request,
        "POST",
        "/api/v1/customers",
        Some("externalId=ext+42%2F%26%3F"),
    );
    assert_eq!(
        body_json(&request),
        json!({"name": "Jane Q Secret", "address": {"country": "US"},
               "phone": "+15550001111", "email": "jane.secret@example.com"})
    );
}

#[tokio::test]
async fn get_customer_encodes_the_id_as_one_path_segment() {
    let (server, client) = serve(customer_response()).await;
    let customer = client
        .get_customer(&CustomerId::new("a/b c"))
        .await
        .unwrap();
    assert_eq!(customer.external_id, Some(ExternalId::new("ext-42")));
    let request = only_request(&server).await;
    assert_common(&request, "GET", "/api/v1/customers/a%2Fb%20c", None);
    assert!(request.body.is_empty());
    assert!(request.headers.get("content-type").is_none());
}

#[tokio::test]
async fn an_id_that_cannot_be_a_path_segment_is_refused_before_sending() {
    // `..`, `.` and an empty segment would address `/customers` itself: a get would read the
    // list, and an update would create a customer from the patch.
    let (server, client) = serve(customer_response()).await;
    let patch = CustomerPatch {
        name: Some("Jane Q Secret".into()),
        ..CustomerPatch::new()
    };
    for id in ["", ".", ".."] {
        let id = CustomerId::new(id);
        let e = client.get_customer(&id).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config, "{id:?}: {e}");
        let e = client.update_customer(&id, &patch).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config, "{id:?}: {e}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
    // Dots inside an id are ordinary characters.
    client.get_customer(&CustomerId::new("..a")).await.unwrap();
    assert_common(
        &only_request(&server).await,
        "GET",
        "/api/v1/customers/..a",
        None,
    );
}

#[tokio::test]
async fn find_by_external_id_lists_with_the_filter() {
    let (server, client) = serve(json!({"customers": [full_customer_json()]})).await;
    let found = client
        .find_customer_by_external_id(&ExternalId::new("ext-42"))
        .await
        .unwrap();
    assert_eq!(
        found.unwrap().customer_id,
        Some(CustomerId::new("1002580963"))
    );
    let request = only_request(&server).await;
    assert_common(
        &request,
        "GET",
        "/api/v1/customers",
        Some("externalId=ext-42"),
    );
}

#[tokio::test]
async fn find_by_external_id_never_returns_another_customer() {
    // A server that ignored the filter: neither customer has the external id asked for.
    let mut other = full_customer_json();
    other["externalId"] = json!("someone-else");
    let mut unnamed = full_customer_json();
    unnamed.as_object_mut().unwrap().remove("externalId");
    let (_server, client) = serve(json!({"customers": [unnamed, other]})).await;
    assert!(
        client
            .find_customer_by_external_id(&ExternalId::new("ext-42"))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn find_by_external_id_returns_none_for_an_empty_list() {
    let (_server, client) = serve(json!({"customers": []})).await;
    assert!(
        client
            .find_customer_by_external_id(&ExternalId::new("nobody"))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn list_sends_no_query_for_all_and_both_filters_when_set() {
    let (server, client) =
        serve(json!({"customers": [full_customer_json(), full_customer_json()]})).await;
    assert_eq!(
        client
            .list_customers(&ListFilter::all())
            .await
            .unwrap()
            .len(),
        2
    );
    let filter = ListFilter::all()
        .external_id(ExternalId::new("e1"))
        .customer_id(CustomerId::new("c1"));
    client.list_customers(&filter).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_common(&requests[0], "GET", "/api/v1/customers", None);
    assert_common(
        &requests[1],
        "GET",
        "/api/v1/customers",
        Some("externalId=e1&customerId=c1"),
    );
}

#[tokio::test]
async fn update_posts_the_patch_to_the_customer() {
    let (server, client) = serve(customer_response()).await;
    let patch = CustomerPatch {
        phone: Some("+15550002222".into()),
        ..CustomerPatch::new()
    };
    client
        .update_customer(&CustomerId::new("1002580963"), &patch)
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_common(&request, "POST", "/api/v1/customers/1002580963", None);
    assert_eq!(request.body, br#"{"phone":"+15550002222"}"#);
}

/// Each tri-state property, in each state, as the exact bytes sent.
#[tokio::test]
async fn every_patch_state_is_exact_on_the_wire() {
    let (server, client) = serve(customer_response()).await;
    let id = CustomerId::new("c1");
    let cases: Vec<(CustomerPatch, &[u8])> = vec![
        (CustomerPatch::new(), b"{}"),
        (CustomerPatch { tax_id: Patch::Clear, ..CustomerPatch::new() }, br#"{"taxId":null}"#),
        (
            CustomerPatch { tax_id: Patch::Set("999".into()), ..CustomerPatch::new() },
            br#"{"taxId":"999"}"#,
        ),
        (
            CustomerPatch {
                enroll_date: Patch::Set(Timestamp::from_millisecond(1_000).unwrap()),
                driver_license: Patch::Clear,
                custom_data: Patch::Clear,
                vip: Patch::Set(Vip::Tier(1)),
                ..CustomerPatch::new()
            },
            br#"{"enrollDate":1000,"vip":1,"customData":null,"driverLicense":null}"#,
        ),
        (
            CustomerPatch {
                name: Some("New Name".into()),
                address: Some(Address::new("US").city("Reno")),
                email: Some("n@x".into()),
                date_of_birth: Patch::Clear,
                external_id: Patch::Set(ExternalId::new("e9")),
                merchant_id: Patch::Clear,
                currency: Patch::Clear,
                balance: Patch::Clear,
                organization_number: Patch::Clear,
                external_tier: Patch::Clear,
                person_id: Patch::Clear,
                national_id: Patch::Clear,
                enroll_date: Patch::Clear,
                ..CustomerPatch::new()
            },
            br#"{"name":"New Name","address":{"city":"Reno","country":"US"},"email":"n@x","dateOfBirth":null,"externalId":"e9","merchantId":null,"enrollDate":null,"currency":null,"balance":null,"organizationNumber":null,"externalTier":null,"personId":null,"nationalId":null}"#,
        ),
    ];
    for (patch, _) in &cases {
        client.update_customer(&id, patch).await.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    for ((patch, expected), request) in cases.iter().zip(&requests) {
        assert_eq!(
            String::from_utf8_lossy(&request.body),
            String::from_utf8_lossy(expected),
            "{patch:?}"
        );
        // And the wire form reads back as the same patch.
        let back: CustomerPatch = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(&back, patch);
    }
}

#[test]
fn patch_deserialize_reads_absent_null_and_value() {
    let p: CustomerPatch = serde_json::from_str(r#"{"taxId":null,"phone":"1","vip":"2"}"#).unwrap();
    assert_eq!(p.tax_id, Patch::Clear);
    assert_eq!(p.phone.as_deref(), Some("1"));
    assert_eq!(p.vip, Patch::Set(Vip::Named("2".into())));
    assert_eq!(p.national_id, Patch::Unchanged);
}

#[test]
fn patch_deserialize_refuses_unknown_fields_and_null_required_ones_naming_them() {
    let e = serde_json::from_str::<CustomerPatch>(r#"{"nickname":"x"}"#).unwrap_err();
    assert!(e.to_string().contains("unknown field `nickname`"), "{e}");
    for field in ["name", "address", "phone", "email"] {
        let e =
            serde_json::from_str::<CustomerPatch>(&format!(r#"{{"{field}":null}}"#)).unwrap_err();
        assert!(
            e.to_string().contains(&format!("`{field}` cannot be null")),
            "{e}"
        );
    }
    let e = serde_json::from_str::<CustomerPatch>(r#"{"customerId":"c"}"#).unwrap_err();
    assert!(e.to_string().contains("customerId"), "{e}");
}

#[test]
fn new_customer_deserialize_is_strict_but_accepts_read_only_timestamps() {
    let e = serde_json::from_str::<NewCustomer>(
        r#"{"name":"n","address":{"country":"US"},"phone":"1","email":"e","nick":1}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("unknown field `nick`"), "{e}");
    let e = serde_json::from_str::<NewCustomer>(
        r#"{"name":"n","address":{"country":"US"},"phone":"1"}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("missing field `email`"), "{e}");
    let read_back: NewCustomer = serde_json::from_value(full_customer_json()).unwrap();
    let sent = serde_json::to_value(&read_back).unwrap();
    assert!(sent.get("createdAt").is_none() && sent.get("updatedAt").is_none());
    assert_eq!(sent["customerId"], "1002580963");
}

#[test]
fn customer_decoding_is_lenient() {
    let c: trustly_customers::Customer = serde_json::from_value(json!({
        "name": "n", "address": {"country": "US", "zip": null}, "phone": "1", "email": "e",
        "vip": "3", "taxId": null, "somethingNew": {"a": 1}, "createdAt": 1555696836548i64
    }))
    .unwrap();
    assert_eq!(c.vip, Some(Vip::Named("3".into())));
    assert_eq!(c.tax_id, None);
    assert_eq!(c.created_at.unwrap().as_millisecond(), 1555696836548);
}

#[test]
fn ids_parse_display_and_serialize_as_plain_strings() {
    let id: CustomerId = "c-1".parse().unwrap();
    assert_eq!(id.to_string(), "c-1");
    assert_eq!(id.as_str(), "c-1");
    assert_eq!(serde_json::to_string(&id).unwrap(), r#""c-1""#);
    let m: trustly_customers::MerchantId = serde_json::from_str(r#""m""#).unwrap();
    assert_eq!(m, trustly_customers::MerchantId::new("m"));
}

/// A caller-supplied reqwest client gets the credentials, user agent and timeout per request;
/// the raw generated client on it sends only what that client sends.
#[tokio::test]
async fn a_caller_supplied_http_client_still_authenticates_every_request() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_response()))
        .mount(&server)
        .await;
    let client = builder_for(&server.uri())
        .http_client(reqwest::Client::new())
        .user_agent("checkout-service/2")
        .build()
        .unwrap();
    client.get_customer(&CustomerId::new("c1")).await.unwrap();
    client.raw().get_customer("c2").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        header(&requests[0], "authorization"),
        Some(EXPECTED_AUTHORIZATION)
    );
    assert_eq!(
        header(&requests[0], "user-agent"),
        Some("checkout-service/2")
    );
    assert_eq!(header(&requests[0], "accept"), Some("application/json"));
    assert_eq!(requests[1].url.path(), "/api/v1/customers/c2");
    assert_eq!(
        header(&requests[1], "authorization"),
        None,
        "as documented on Client::raw"
    );
}

/// With the builder's own HTTP client, the raw client is authenticated too.
#[tokio::test]
async fn the_raw_client_is_authenticated_with_the_builders_http_client() {
    let (server, client) = serve(customer_response()).await;
    client.raw().get_customer("c2").await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/api/v1/customers/c2");
    assert_eq!(
        header(&request, "authorization"),
        Some(EXPECTED_AUTHORIZATION)
    );
}
