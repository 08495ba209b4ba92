//! The exact request each operation puts on the wire: method, path, query, credentials, body.

mod common;

use common::*;
use serde_json::{Value, json};
use trustly_customers::{
    Address, CustomerId, CustomerPatch, ErrorKind, ExternalId, NewCustomer, Nullable, Timestamp,
    Vip,
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
        .create_or_update_customer(None, &full_new_customer())
        .await
        .unwrap();
    assert_eq!(created.customer_id, Some(CustomerId::from("1002580963")));
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
async fn a_body_sends_only_what_is_set_nulls_what_is_cleared_and_timestamps_as_epoch_millis() {
    let (server, client) = serve(customer_response()).await;
    let enrolled = Timestamp::from_millisecond(1_555_696_836_548).unwrap();
    let new = NewCustomer::new("N", Address::new("CA"), "1", "e@x")
        .customer_id("c-1")
        .enroll_date(enrolled)
        .vip(Vip::String("gold".into()))
        .clear_tax_id();
    client.create_or_update_customer(None, &new).await.unwrap();
    let request = only_request(&server).await;
    let sent: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        sent,
        json!({"name": "N", "address": {"country": "CA"}, "phone": "1", "email": "e@x",
               "customerId": "c-1", "enrollDate": 1555696836548i64, "vip": "gold", "taxId": null})
    );
}

#[tokio::test]
async fn upsert_by_external_id_puts_it_in_the_query_encoded() {
    let (server, client) = serve(customer_response()).await;
    client
        .upsert_customer_by_external_id(&ExternalId::from("ext 42/&?"), &anonymous_new_customer())
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
        .get_customer(&CustomerId::from("a/b c"))
        .await
        .unwrap();
    assert_eq!(
        customer.external_id,
        Nullable::Value(ExternalId::from("ext-42"))
    );
    let request = only_request(&server).await;
    assert_common(&request, "GET", "/api/v1/customers/a%2Fb%20c", None);
    assert!(request.body.is_empty());
    assert!(request.headers.get("content-type").is_none());
}

#[tokio::test]
async fn an_id_that_cannot_be_a_path_segment_is_refused_before_sending() {
    // `..`, `.` and an empty segment would address `/customers` itself: a get would read the
    // list, and an update would create a customer from the patch. A backslash is a path
    // separator to the URL parser, so `x\..\..` would climb out of `/customers/`; a control
    // character is no part of an id (`10000\r00001` once asked for customer 1000000001).
    let (server, client) = serve(customer_response()).await;
    let patch = CustomerPatch::new().name("Jane Q Secret");
    let record = full_new_customer();
    for id in [
        "",
        ".",
        "..",
        "\\",
        "x\\..\\..",
        "10000\r00001",
        "..\r",
        "\t",
        "\n",
        "1\u{0}",
    ] {
        let id = CustomerId::from(id);
        let e = client.get_customer(&id).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config, "{id:?}: {e}");
        // What the generated client said: the parameter, and what is wrong with it.
        assert!(
            e.to_string().starts_with(
                "get_customer: configuration error: the path parameter customerId cannot "
            ),
            "{id:?}: {e}"
        );
        let e = client.update_customer(&id, &patch).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config, "{id:?}: {e}");
        let e = client.replace_customer(&id, &record).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config, "{id:?}: {e}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
    // Dots inside an id are ordinary characters.
    client.get_customer(&CustomerId::from("..a")).await.unwrap();
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
        .find_customer_by_external_id(&ExternalId::from("ext-42"))
        .await
        .unwrap();
    assert_eq!(
        found.unwrap().customer_id,
        Some(CustomerId::from("1002580963"))
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
            .find_customer_by_external_id(&ExternalId::from("ext-42"))
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
            .find_customer_by_external_id(&ExternalId::from("nobody"))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn list_sends_no_query_for_all_and_both_filters_when_set() {
    let (server, client) =
        serve(json!({"customers": [full_customer_json(), full_customer_json()]})).await;
    assert_eq!(client.list_customers(None, None).await.unwrap().len(), 2);
    let (customer_id, external_id) = (CustomerId::from("c1"), ExternalId::from("e1"));
    client
        .list_customers(Some(&customer_id), Some(&external_id))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_common(&requests[0], "GET", "/api/v1/customers", None);
    assert_common(
        &requests[1],
        "GET",
        "/api/v1/customers",
        Some("customerId=c1&externalId=e1"),
    );
}

/// The record a client sends back after reading [`full_customer_json`]: without the server's
/// own properties.
fn sent_back() -> Value {
    let mut record = full_customer_json();
    for server_owned in ["createdAt", "updatedAt"] {
        record.as_object_mut().unwrap().remove(server_owned);
    }
    record
}

#[tokio::test]
async fn update_reads_the_customer_then_sends_it_back_whole_with_the_changes() {
    let (server, client) = serve(customer_response()).await;
    let patch = CustomerPatch::new().phone("+15550002222").clear_tax_id();
    client
        .update_customer(&CustomerId::from("1002580963"), &patch)
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2, "a read, then a write");
    assert_common(&requests[0], "GET", "/api/v1/customers/1002580963", None);
    assert!(requests[0].body.is_empty());
    assert_common(&requests[1], "POST", "/api/v1/customers/1002580963", None);
    let sent: Value = serde_json::from_slice(&requests[1].body).unwrap();
    let mut expected = sent_back();
    expected["phone"] = json!("+15550002222");
    expected["taxId"] = Value::Null;
    assert_eq!(sent, expected);
}

#[tokio::test]
async fn an_update_that_changes_nothing_reads_and_sends_no_write() {
    let (server, client) = serve(customer_response()).await;
    let read = client
        .update_customer(&CustomerId::from("1002580963"), &CustomerPatch::new())
        .await
        .unwrap();
    assert_common(
        &only_request(&server).await,
        "GET",
        "/api/v1/customers/1002580963",
        None,
    );
    assert_eq!(read.customer_id, Some(CustomerId::from("1002580963")));
}

#[tokio::test]
async fn update_sends_nothing_when_the_read_fails() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"errors": []})))
        .mount(&server)
        .await;
    let e = client_for(&server)
        .update_customer(&CustomerId::from("1"), &CustomerPatch::new().phone("1"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_common(
        &only_request(&server).await,
        "GET",
        "/api/v1/customers/1",
        None,
    );
}

#[tokio::test]
async fn replace_sends_the_record_as_it_is() {
    let (server, client) = serve(customer_response()).await;
    let record: NewCustomer = serde_json::from_value(full_customer_json()).unwrap();
    client
        .replace_customer(&CustomerId::from("1002580963"), &record)
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_common(&request, "POST", "/api/v1/customers/1002580963", None);
    let sent: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(sent, sent_back());
}

/// Each change a patch can make, in each state: its JSON form (which reads back as the same
/// patch), and the record an update sends after applying it to the customer it read.
#[tokio::test]
async fn every_patch_state_is_exact_on_the_wire() {
    let (server, client) = serve(customer_response()).await;
    let id = CustomerId::from("c1");
    let cases: Vec<(CustomerPatch, Value)> = vec![
        (CustomerPatch::new(), json!({})),
        (CustomerPatch::new().clear_tax_id(), json!({"taxId": null})),
        (CustomerPatch::new().tax_id("999"), json!({"taxId": "999"})),
        (
            CustomerPatch::new()
                .enroll_date(Timestamp::from_millisecond(1_000).unwrap())
                .clear_driver_license()
                .clear_custom_data()
                .vip(1),
            json!({"enrollDate": 1000, "vip": 1, "customData": null, "driverLicense": null}),
        ),
        (
            CustomerPatch::new()
                .name("New Name")
                .address(Address::new("US").city("Reno"))
                .phone("2")
                .email("n@x")
                .customer_id("c1")
                .clear_date_of_birth()
                .external_id("e9")
                .clear_merchant_id()
                .clear_currency()
                .clear_balance()
                .clear_organization_number()
                .clear_external_tier()
                .clear_person_id()
                .clear_national_id()
                .clear_enroll_date(),
            json!({"name": "New Name", "address": {"city": "Reno", "country": "US"},
                   "phone": "2", "email": "n@x", "customerId": "c1", "dateOfBirth": null,
                   "externalId": "e9", "merchantId": null, "enrollDate": null,
                   "currency": null, "balance": null, "organizationNumber": null,
                   "externalTier": null, "personId": null, "nationalId": null}),
        ),
    ];
    for (patch, expected) in &cases {
        assert_eq!(&serde_json::to_value(patch).unwrap(), expected, "{patch:?}");
        let back: CustomerPatch = serde_json::from_value(expected.clone()).unwrap();
        assert_eq!(&back, patch);
        assert_eq!(patch.is_empty(), expected == &json!({}));
        client.update_customer(&id, patch).await.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    let writes: Vec<_> = requests
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .collect();
    // The empty patch sends no write (`an_update_that_changes_nothing_reads_and_sends_no_write`).
    let changing: Vec<_> = cases
        .iter()
        .filter(|(patch, _)| !patch.is_empty())
        .collect();
    assert_eq!(writes.len(), changing.len());
    assert_eq!(changing.len(), cases.len() - 1);
    for ((patch, changes), request) in changing.into_iter().zip(writes) {
        let sent: Value = serde_json::from_slice(&request.body).unwrap();
        // Each property set replaces the one read, whole; each one removed is sent as null.
        let mut expected = sent_back();
        for (name, value) in changes.as_object().unwrap() {
            expected[name] = value.clone();
        }
        assert_eq!(sent, expected, "{patch:?}");
    }
}

#[test]
fn nullable_properties_read_absent_null_and_value_apart() {
    let p: CustomerPatch = serde_json::from_str(r#"{"taxId":null,"phone":"1","vip":"2"}"#).unwrap();
    assert_eq!(
        p,
        CustomerPatch::new()
            .clear_tax_id()
            .phone("1")
            .vip(Vip::String("2".into()))
    );
}

#[test]
fn a_new_customer_read_from_a_record_leaves_out_the_servers_properties() {
    let read_back: NewCustomer = serde_json::from_value(full_customer_json()).unwrap();
    let sent = serde_json::to_value(&read_back).unwrap();
    let mut expected = full_customer_json();
    for server_owned in ["createdAt", "updatedAt"] {
        expected.as_object_mut().unwrap().remove(server_owned);
    }
    assert_eq!(sent, expected, "everything else is kept");
}

#[test]
fn customer_decoding_is_lenient() {
    let c: trustly_customers::Customer = serde_json::from_value(json!({
        "name": "n", "address": {"country": "US", "zip": null}, "phone": "1", "email": "e",
        "vip": "3", "taxId": null, "somethingNew": {"a": 1}, "createdAt": 1555696836548i64
    }))
    .unwrap();
    assert_eq!(c.vip.value(), Some(&Vip::String("3".into())));
    assert_eq!(c.tax_id.value(), None);
    assert_eq!(c.created_at.unwrap().as_millisecond(), 1555696836548);
}

#[test]
fn ids_parse_display_and_serialize_as_plain_strings() {
    let id: CustomerId = "c-1".parse().unwrap();
    assert_eq!(id.to_string(), "c-1");
    assert_eq!(id.as_ref() as &str, "c-1");
    assert_eq!(serde_json::to_string(&id).unwrap(), r#""c-1""#);
    let m: trustly_customers::MerchantId = serde_json::from_str(r#""m""#).unwrap();
    assert_eq!(m, trustly_customers::MerchantId::from("m"));
}

/// A caller-supplied reqwest client gets the credentials, user agent and timeout on every
/// request, through the generated client's hooks: the generated client itself included.
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
    client.get_customer(&CustomerId::from("c1")).await.unwrap();
    client.api().get_customer(&"c2".into()).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    for request in &requests {
        assert_eq!(
            header(request, "authorization"),
            Some(EXPECTED_AUTHORIZATION)
        );
        assert_eq!(header(request, "user-agent"), Some("checkout-service/2"));
        assert_eq!(header(request, "accept"), Some("application/json"));
    }
    assert_eq!(requests[1].url.path(), "/api/v1/customers/c2");
}
