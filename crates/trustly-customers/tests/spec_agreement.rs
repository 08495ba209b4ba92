//! The hand-written types against `openapi/customers.yaml`: every property the spec declares is
//! a field here, survives a round trip, and what these types send is what the spec accepts.
//!
//! The generated crate follows the spec by construction; these types are written by hand. When
//! the spec gains, loses or renames a property, these tests fail and name it, instead of the
//! client silently dropping a field.

use serde_json::{Map, Value, json};
use trustly_customers::{Customer, CustomerPatch, NewCustomer};

/// A customer with every property of the spec's `Customer` set.
fn every_property() -> Value {
    json!({
        "name": "Joe User",
        "address": {
            "address1": "2000 Broadway St",
            "address2": "Suite 4",
            "city": "Redwood City",
            "state": "CA",
            "zip": "94063",
            "country": "US"
        },
        "phone": "+16505551212",
        "email": "joe.user@mail.com",
        "taxId": "012345678",
        "dateOfBirth": "1980-02-29",
        "createdAt": 1555696836548_i64,
        "updatedAt": 1555696836549_i64,
        "customerId": "1002580963",
        "externalId": "4567890",
        "merchantId": "1002463580",
        "enrollDate": 1555696836000_i64,
        "vip": 2,
        "currency": "USD",
        "balance": "100.00",
        "organizationNumber": "556677-8899",
        "externalTier": "gold",
        "personId": "P-1",
        "customData": { "segment": "retail", "score": 7 },
        "driverLicense": { "number": "A1234567", "state": "CA" },
        "nationalId": "N-1"
    })
}

fn schema(name: &str) -> &'static Map<String, Value> {
    trustly_customers_spec::document()
        .pointer(&format!("/components/schemas/{name}"))
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("the spec has a {name} schema"))
}

fn property_names(schema_name: &str) -> Vec<String> {
    let mut names: Vec<String> = schema(schema_name)["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .cloned()
        .collect();
    names.sort();
    names
}

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

fn read_only(schema_name: &str) -> Vec<String> {
    let properties = schema(schema_name)["properties"]
        .as_object()
        .expect("properties");
    properties
        .iter()
        .filter(|(_, p)| p.get("readOnly") == Some(&Value::Bool(true)))
        .map(|(name, _)| name.clone())
        .collect()
}

#[test]
fn the_fixture_sets_every_property_the_spec_declares() {
    // If this fails, the spec changed: update the fixture, then the types the tests below name.
    assert_eq!(keys(&every_property()), property_names("Customer"));
    assert_eq!(
        keys(&every_property()["address"]),
        property_names("Address")
    );
    assert!(
        trustly_customers_spec::check_component("Customer", &every_property()).is_empty(),
        "the fixture is a valid Customer"
    );
}

#[test]
fn customer_reads_and_writes_every_property() {
    let customer: Customer = serde_json::from_value(every_property()).expect("decodes");
    assert_eq!(
        serde_json::to_value(&customer).expect("encodes"),
        every_property()
    );
}

#[test]
fn new_customer_writes_every_writable_property_and_the_spec_accepts_it() {
    let mut writable = every_property();
    for name in read_only("Customer") {
        // customerId is read-only in the record, but a create-or-update body may carry it to
        // name the customer to update.
        if name != "customerId" {
            writable.as_object_mut().expect("an object").remove(&name);
        }
    }
    let new: NewCustomer = serde_json::from_value(writable.clone()).expect("decodes");
    let sent = serde_json::to_value(&new).expect("encodes");
    assert_eq!(sent, writable);
    assert!(trustly_customers_spec::check_component("Customer", &sent).is_empty());
}

#[test]
fn customer_patch_can_set_or_clear_every_writable_property() {
    let required: Vec<String> = schema("Customer")["required"]
        .as_array()
        .expect("required")
        .iter()
        .map(|v| v.as_str().expect("a name").to_owned())
        .collect();
    let read_only = read_only("CustomerUpdate");

    // Every writable property set.
    let mut set = every_property();
    set.as_object_mut()
        .expect("an object")
        .retain(|name, _| !read_only.contains(name));
    let patch: CustomerPatch = serde_json::from_value(set.clone()).expect("decodes");
    let sent = serde_json::to_value(&patch).expect("encodes");
    assert_eq!(sent, set);
    assert!(trustly_customers_spec::check_component("CustomerUpdate", &sent).is_empty());

    // Every property that may be removed, cleared: sent as null, which the spec accepts.
    let cleared: Map<String, Value> = set
        .as_object()
        .expect("an object")
        .keys()
        .filter(|name| !required.contains(name))
        .map(|name| (name.clone(), Value::Null))
        .collect();
    let cleared = Value::Object(cleared);
    let patch: CustomerPatch = serde_json::from_value(cleared.clone()).expect("decodes");
    let sent = serde_json::to_value(&patch).expect("encodes");
    assert_eq!(sent, cleared);
    assert!(trustly_customers_spec::check_component("CustomerUpdate", &sent).is_empty());

    // Nothing changed: an empty object.
    let sent = serde_json::to_value(CustomerPatch::default()).expect("encodes");
    assert_eq!(sent, json!({}));
}
