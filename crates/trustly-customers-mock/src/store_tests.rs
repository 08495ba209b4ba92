//! Tests of the store's rules: merges, lookups, uniqueness, server-owned properties, listing.

use serde_json::{Map, Value, json};

use crate::generated::operations;
use crate::generated::schemas::customer::{
    CREATED_AT, CUSTOMER_ID, EXTERNAL_ID, MERCHANT_ID, UPDATED_AT,
};
use crate::load::{self, Check};
use crate::record::stored_form;
use crate::store::{FIRST_CUSTOMER_ID, MAX_LOADED_ID, Refusal, Store};

const MERCHANT: &str = "1002463580";

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn parse(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("the store keeps valid JSON")
}

fn joe(external_id: Option<&str>) -> Map<String, Value> {
    let mut body = object(json!({
        "name": "Joe User",
        "address": {"country": "US", "zip": "94063", "city": "Redwood City"},
        "phone": "+16505551212",
        "email": "joe.user@mail.com",
        "taxId": "012345678",
    }));
    if let Some(e) = external_id {
        body.insert(EXTERNAL_ID.into(), json!(e));
    }
    body
}

/// Creates a customer with `external_id` at time `now`; the record as stored.
fn created(store: &mut Store, external_id: &str, now: i64) -> Value {
    parse(
        &store
            .create_or_update(None, joe(Some(external_id)), MERCHANT, now)
            .unwrap(),
    )
}

fn invalid_messages(outcome: Result<axum::body::Bytes, Refusal>) -> Vec<String> {
    match outcome {
        Err(Refusal::Invalid(messages)) => messages,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn create_assigns_server_owned_properties_and_ignores_clients_values() {
    let mut store = Store::new();
    let mut body = joe(Some("ext-1"));
    body.insert(CREATED_AT.into(), json!(1));
    body.insert(UPDATED_AT.into(), json!(2));
    body.insert(MERCHANT_ID.into(), json!("someone-else"));
    let created = parse(&store.create_or_update(None, body, MERCHANT, 1000).unwrap());
    assert_eq!(created[CUSTOMER_ID], json!(FIRST_CUSTOMER_ID.to_string()));
    assert_eq!(created[CREATED_AT], json!(1000));
    assert_eq!(created[UPDATED_AT], json!(1000));
    assert_eq!(created[MERCHANT_ID], json!(MERCHANT));
    assert_eq!(created[EXTERNAL_ID], json!("ext-1"));
    let second = parse(
        &store
            .create_or_update(None, joe(None), MERCHANT, 1001)
            .unwrap(),
    );
    assert_eq!(
        second[CUSTOMER_ID],
        json!((FIRST_CUSTOMER_ID + 1).to_string())
    );
    assert_eq!(store.len(), 2);
}

#[test]
fn create_or_update_by_body_external_id_merges_and_null_removes() {
    let mut store = Store::new();
    let first = created(&mut store, "e", 1);
    let mut again = joe(Some("e"));
    again.insert("taxId".into(), Value::Null);
    again.insert("phone".into(), json!("+1 555"));
    again.insert("address".into(), json!({"country": "CA"}));
    let updated = parse(&store.create_or_update(None, again, MERCHANT, 5).unwrap());
    assert_eq!(store.len(), 1);
    assert_eq!(updated[CUSTOMER_ID], first[CUSTOMER_ID]);
    assert_eq!(updated[CREATED_AT], json!(1));
    assert_eq!(updated[UPDATED_AT], json!(5));
    assert_eq!(updated["phone"], json!("+1 555"));
    assert!(updated.get("taxId").is_none(), "null removes: {updated}");
    // The whole address is replaced, not merged field by field.
    assert_eq!(updated["address"], json!({"country": "CA"}));
}

#[test]
fn create_or_update_by_query_external_id_creates_with_it_then_updates() {
    let mut store = Store::new();
    let created = parse(
        &store
            .create_or_update(Some("q"), joe(None), MERCHANT, 1)
            .unwrap(),
    );
    assert_eq!(created[EXTERNAL_ID], json!("q"));
    let updated = parse(
        &store
            .create_or_update(Some("q"), joe(None), MERCHANT, 2)
            .unwrap(),
    );
    assert_eq!(updated[CUSTOMER_ID], created[CUSTOMER_ID]);
    assert_eq!(store.len(), 1);
    // Found by the query, the body may rename it.
    let renamed = parse(
        &store
            .create_or_update(Some("q"), joe(Some("r")), MERCHANT, 3)
            .unwrap(),
    );
    assert_eq!(renamed[EXTERNAL_ID], json!("r"));
    assert_eq!(store.list(None, Some("q")).len(), 0);
    assert_eq!(store.list(None, Some("r")).len(), 1);
}

#[test]
fn query_and_body_external_ids_that_differ_create_once_then_update() {
    // The body's externalId is a property sent, so the new customer has it; a repeat of the
    // same request finds the customer by it, rather than creating a second one.
    let mut store = Store::new();
    let first = parse(
        &store
            .create_or_update(Some("q"), joe(Some("b")), MERCHANT, 1)
            .unwrap(),
    );
    assert_eq!(first[EXTERNAL_ID], "b");
    let again = parse(
        &store
            .create_or_update(Some("q"), joe(Some("b")), MERCHANT, 2)
            .unwrap(),
    );
    assert_eq!(again[CUSTOMER_ID], first[CUSTOMER_ID]);
    assert_eq!(store.len(), 1);
}

#[test]
fn a_null_body_external_id_beside_a_query_one_is_refused_new_or_existing() {
    // On an existing customer the null would remove the externalId the query found it by, and
    // every repeat of the request would create another customer. Refused for a new one too,
    // so that a request and its repeat are answered alike.
    let mut store = Store::new();
    let mut body = joe(None);
    body.insert(EXTERNAL_ID.into(), Value::Null);
    let messages = invalid_messages(store.create_or_update(Some("q"), body.clone(), MERCHANT, 1));
    assert!(
        messages[0].starts_with(&format!("/{EXTERNAL_ID}")),
        "{messages:?}"
    );
    assert_eq!(store.len(), 0);
    store
        .create_or_update(Some("q"), joe(None), MERCHANT, 2)
        .unwrap();
    let messages = invalid_messages(store.create_or_update(Some("q"), body, MERCHANT, 3));
    assert!(
        messages[0].starts_with(&format!("/{EXTERNAL_ID}")),
        "{messages:?}"
    );
    assert_eq!(
        store.list(None, Some("q")).len(),
        1,
        "q still names the customer"
    );
}

#[test]
fn create_or_update_by_customer_id_updates_or_is_not_found() {
    let mut store = Store::new();
    let created = parse(
        &store
            .create_or_update(None, joe(None), MERCHANT, 1)
            .unwrap(),
    );
    let mut body = joe(None);
    body.insert(CUSTOMER_ID.into(), created[CUSTOMER_ID].clone());
    body.insert("name".into(), json!("Joe Renamed"));
    let updated = parse(&store.create_or_update(None, body, MERCHANT, 2).unwrap());
    assert_eq!(updated["name"], json!("Joe Renamed"));
    assert_eq!(store.len(), 1);

    // An id this server could not have handed out names no customer.
    let existing = created[CUSTOMER_ID].as_str().unwrap();
    let padded = format!("0{existing}");
    let signed = format!("+{existing}");
    for unknown in ["0999", &padded, &signed, "abc", "", "99999999999999999999"] {
        let mut body = joe(None);
        body.insert(CUSTOMER_ID.into(), json!(unknown));
        assert_eq!(
            store.create_or_update(None, body, MERCHANT, 3),
            Err(Refusal::NotFound(format!("/{CUSTOMER_ID}"))),
            "{unknown}"
        );
    }
    assert_eq!(store.len(), 1);

    // One it could have: the customer is created with it, and a repeat updates it.
    for (name, at) in [("First", 4), ("Second", 5)] {
        let mut body = joe(None);
        body.insert(CUSTOMER_ID.into(), json!("1002580963"));
        body.insert("name".into(), json!(name));
        let saved = parse(&store.create_or_update(None, body, MERCHANT, at).unwrap());
        assert_eq!(saved[CUSTOMER_ID], json!("1002580963"));
        assert_eq!(saved["name"], json!(name));
        assert_eq!(saved[CREATED_AT], json!(4));
    }
    assert_eq!(store.len(), 2);
    // Ids handed out later do not collide with it.
    let next = parse(
        &store
            .create_or_update(None, joe(None), MERCHANT, 6)
            .unwrap(),
    );
    assert_eq!(next[CUSTOMER_ID], json!("1002580964"));
}

#[test]
fn customer_id_in_the_body_names_the_customer_an_external_id_would_not() {
    let mut store = Store::new();
    let a = created(&mut store, "a", 1);
    store
        .create_or_update(None, joe(Some("b")), MERCHANT, 1)
        .unwrap();
    // Named by customerId, renamed to an externalId nobody has: `a` is updated, and `b` (which
    // a query for `b` would have named, and is refused beside it) is untouched.
    let mut body = joe(Some("a2"));
    body.insert(CUSTOMER_ID.into(), a[CUSTOMER_ID].clone());
    body.insert("phone".into(), json!("changed"));
    store.create_or_update(None, body, MERCHANT, 2).unwrap();
    let a_now = parse(&store.list(None, Some("a2"))[0]);
    assert_eq!(a_now[CUSTOMER_ID], a[CUSTOMER_ID]);
    let b_now = parse(&store.list(None, Some("b"))[0]);
    assert_eq!(a_now["phone"], json!("changed"));
    assert_eq!(b_now["phone"], json!("+16505551212"));
}

#[test]
fn update_merges_top_level_properties_only() {
    let mut store = Store::new();
    let created = created(&mut store, "e", 1);
    let id = created[CUSTOMER_ID].as_str().unwrap();
    let patch = object(json!({"taxId": null, "address": {"country": "US"}, "vip": 2}));
    let updated = parse(&store.replace(id, patch, MERCHANT, 9).unwrap());
    assert!(updated.get("taxId").is_none());
    assert_eq!(updated["address"], json!({"country": "US"}));
    assert_eq!(updated["vip"], json!(2));
    assert_eq!(updated["name"], created["name"]);
    assert_eq!(updated[EXTERNAL_ID], json!("e"));
    assert_eq!(updated[CREATED_AT], json!(1));
    assert_eq!(updated[UPDATED_AT], json!(9));
    // An empty patch changes nothing but the update time.
    let same = parse(&store.replace(id, Map::new(), MERCHANT, 10).unwrap());
    assert_eq!(same["vip"], json!(2));
}

#[test]
fn a_null_at_any_depth_removes_its_property_and_is_never_stored() {
    let mut store = Store::new();
    let mut body = joe(Some("e"));
    body.insert(
        "address".into(),
        json!({"country": "US", "address1": null, "city": "Redwood City"}),
    );
    body.insert(
        "customData".into(),
        json!({"a": null, "b": {"c": null, "d": 1}, "list": [null, {"e": null}]}),
    );
    let created = parse(&store.create_or_update(None, body, MERCHANT, 1).unwrap());
    assert_eq!(
        created["address"],
        json!({"country": "US", "city": "Redwood City"})
    );
    // Array elements are not properties: a null one stays, so the others keep their places.
    assert_eq!(
        created["customData"],
        json!({"b": {"d": 1}, "list": [null, {}]})
    );
    let id = created[CUSTOMER_ID].as_str().unwrap().to_owned();
    let replaced = parse(
        &store
            .replace(
                &id,
                object(json!({"driverLicense": {"number": "A1", "state": "CA"}, "address": {"country": "US", "zip": null}})),
                MERCHANT,
                2,
            )
            .unwrap(),
    );
    assert_eq!(replaced["address"], json!({"country": "US"}));
    assert_eq!(
        replaced["driverLicense"],
        json!({"number": "A1", "state": "CA"})
    );
    let stored = parse(&store.get(&id).unwrap());
    assert_eq!(stored, replaced);
}

#[test]
fn update_that_removes_a_required_property_is_refused_and_nothing_changes() {
    let mut store = Store::new();
    let created = parse(
        &store
            .create_or_update(None, joe(None), MERCHANT, 1)
            .unwrap(),
    );
    let id = created[CUSTOMER_ID].as_str().unwrap();
    let messages = invalid_messages(store.replace(
        id,
        object(json!({"email": null, "phone": "x"})),
        MERCHANT,
        2,
    ));
    assert!(
        messages.iter().any(|m| m.contains("`email`")),
        "{messages:?}"
    );
    assert_eq!(parse(&store.get(id).unwrap()), created);
    assert_eq!(store.version(), 1);
}

#[test]
fn update_of_an_unknown_id_is_not_found() {
    let mut store = Store::new();
    assert_eq!(
        store.replace("1000000001", Map::new(), MERCHANT, 1),
        Err(Refusal::NotFound(
            operations::replace_customer::CUSTOMER_ID.into()
        ))
    );
}

#[test]
fn external_id_stays_unique() {
    let mut store = Store::new();
    store
        .create_or_update(None, joe(Some("a")), MERCHANT, 1)
        .unwrap();
    let b = created(&mut store, "b", 1);
    let b_id = b[CUSTOMER_ID].as_str().unwrap();
    let messages =
        invalid_messages(store.replace(b_id, object(json!({(EXTERNAL_ID): "a"})), MERCHANT, 2));
    assert_eq!(
        messages,
        [format!(
            "/{EXTERNAL_ID}: another customer already has this {EXTERNAL_ID}"
        )]
    );
    assert_eq!(store.list(None, Some("a")).len(), 1);
    assert_eq!(parse(&store.get(b_id).unwrap())[EXTERNAL_ID], json!("b"));
    // Removing it frees the value for another customer.
    store
        .replace(b_id, object(json!({(EXTERNAL_ID): null})), MERCHANT, 3)
        .unwrap();
    assert!(store.list(None, Some("b")).is_empty());
    store
        .create_or_update(None, joe(Some("b")), MERCHANT, 4)
        .unwrap();
    assert_eq!(store.len(), 3);
}

#[test]
fn list_keeps_creation_order_and_applies_both_filters() {
    let mut store = Store::new();
    let ids: Vec<String> = ["x", "y", "z"]
        .iter()
        .map(|e| {
            let c = parse(
                &store
                    .create_or_update(None, joe(Some(e)), MERCHANT, 1)
                    .unwrap(),
            );
            c[CUSTOMER_ID].as_str().unwrap().to_owned()
        })
        .collect();
    // Updating the first one does not move it.
    store
        .replace(&ids[0], object(json!({"phone": "0"})), MERCHANT, 2)
        .unwrap();
    let listed: Vec<Value> = store.list(None, None).iter().map(|b| parse(b)).collect();
    let listed_ids: Vec<&str> = listed
        .iter()
        .map(|c| c[CUSTOMER_ID].as_str().unwrap())
        .collect();
    assert_eq!(listed_ids, ids);
    assert_eq!(store.list(Some(&ids[1]), None).len(), 1);
    assert_eq!(store.list(None, Some("z")).len(), 1);
    assert_eq!(store.list(Some(&ids[2]), Some("z")).len(), 1);
    assert!(store.list(Some(&ids[1]), Some("z")).is_empty());
    assert!(store.list(Some("nope"), None).is_empty());
    assert!(store.list(None, Some("nope")).is_empty());
    assert!(store.list(Some("nope"), Some("nope")).is_empty());
}

#[test]
fn every_stored_record_satisfies_the_customer_schema() {
    let mut store = Store::new();
    // An empty externalId from the query would break `minLength: 1`: it names no customer
    // and is not stored.
    let created = parse(
        &store
            .create_or_update(Some(""), joe(None), MERCHANT, 1)
            .unwrap(),
    );
    assert!(created.get(EXTERNAL_ID).is_none(), "{created}");
    store
        .create_or_update(None, joe(Some("e")), MERCHANT, 1)
        .unwrap();
    for record in store.list(None, None) {
        let violations = trustly_customers_spec::check_component("Customer", &parse(&record));
        assert!(violations.is_empty(), "{violations:?}");
    }
}

#[test]
fn records_rebuilt_from_saved_rows_keep_ids_order_and_the_index() {
    let mut store = Store::new();
    created(&mut store, "a", 1);
    created(&mut store, "b", 1);
    let rows = rows_of(&store);
    let mut again = load::from_rows(store.next_id(), rows.clone(), Check::Schema).unwrap();
    assert_eq!(again.list(None, None), store.list(None, None));
    assert_eq!(again.list(None, Some("b")).len(), 1);
    let c = parse(
        &again
            .create_or_update(None, joe(None), MERCHANT, 2)
            .unwrap(),
    );
    assert_eq!(c[CUSTOMER_ID], json!((FIRST_CUSTOMER_ID + 2).to_string()));

    // A row whose id is not its record's, or whose text is not JSON, is refused by row.
    let mut moved = rows.clone();
    moved[1].0 = 7;
    let e = load::from_rows(1, moved, Check::Identity).unwrap_err();
    assert!(
        e.contains("row 7") && e.contains(&format!("has {CUSTOMER_ID}")),
        "{e}"
    );
    let mut garbled = rows;
    garbled[0].1.truncate(10);
    let e = load::from_rows(1, garbled, Check::Identity).unwrap_err();
    assert!(e.contains("row 1000000001 is not valid JSON"), "{e}");

    // A record the spec refuses is refused when checked against it, and only then.
    let mut no_email = rows_of(&store);
    let mut record = parse(&no_email[0].1);
    record.as_object_mut().unwrap().remove("email");
    no_email[0].1 = serde_json::to_vec(&record).unwrap();
    let e = load::from_rows(1, no_email.clone(), Check::Schema).unwrap_err();
    assert!(e.contains("does not satisfy the Customer schema"), "{e}");
    assert!(load::from_rows(1, no_email, Check::Identity).is_ok());
}

/// `Check::Identity` reads a row's two identifying properties, and only those, at the top level.
#[test]
fn a_rows_identity_is_read_by_name_whatever_else_it_holds() {
    let row = |text: String| vec![(1_000_000_001_i64, text.into_bytes())];
    // The key `customerId` spelled with an escape names it all the same.
    let mut chars = CUSTOMER_ID.chars();
    let first = chars.next().unwrap();
    let escaped = format!("\\u{:04x}{}", u32::from(first), chars.as_str());
    let text = format!(
        r#"{{"a":{{"{CUSTOMER_ID}":"9","{EXTERNAL_ID}":"x"}},"{escaped}":"1000000001","b":[1,{{"c":null}}],"{EXTERNAL_ID}":"e"}}"#
    );
    let store = load::from_rows(1, row(text), Check::Identity).unwrap();
    assert_eq!(store.len(), 1);
    assert_eq!(store.list(None, Some("e")).len(), 1);
    assert!(
        store.list(None, Some("x")).is_empty(),
        "nested ones are not read"
    );

    // A `null` is no value.
    let text = format!(r#"{{"{CUSTOMER_ID}":"1000000001","{EXTERNAL_ID}":null}}"#);
    let store = load::from_rows(1, row(text), Check::Identity).unwrap();
    assert_eq!(store.len(), 1);

    // Either one twice, or of another type than text, is refused, by position: the value is
    // not quoted.
    for text in [
        format!(r#"{{"{CUSTOMER_ID}":"1000000001","{CUSTOMER_ID}":"1000000001"}}"#),
        format!(r#"{{"{CUSTOMER_ID}":"1000000001","{EXTERNAL_ID}":"e","{EXTERNAL_ID}":"f"}}"#),
        format!(r#"{{"{CUSTOMER_ID}":1000000001}}"#),
        format!(r#"[{{"{CUSTOMER_ID}":"1000000001"}}]"#),
    ] {
        let e = load::from_rows(1, row(text.clone()), Check::Identity)
            .err()
            .unwrap_or_else(|| panic!("{text} loaded"));
        assert!(
            e.starts_with("the customer in row 1000000001 is not a customer (")
                && e.contains("column"),
            "{text}: {e}"
        );
        assert!(!e.contains("1000000001,") && !e.contains("\"f\""), "{e}");
    }
}

fn rows_of(store: &Store) -> Vec<(i64, Vec<u8>)> {
    store
        .records()
        .map(|(id, r)| (id as i64, r.to_vec()))
        .collect()
}

/// Each save takes the customers changed since the previous one, as they are now; a failed
/// save puts back what the data file holds, for those and for every change made since.
#[test]
fn a_save_takes_the_changes_since_the_last_and_a_failed_one_is_undone() {
    let mut store = Store::new();
    store.keep_unsaved();
    let a = created(&mut store, "a", 1);
    let saved = store.take_unsaved();
    assert_eq!(saved.records.len(), 1);
    assert!(!saved.is_empty());
    assert!(store.take_unsaved().is_empty(), "nothing changed since");
    // An update alone (no new id handed out) is something to save too.
    let a_id = a[CUSTOMER_ID].as_str().unwrap().to_owned();
    store.replace(&a_id, joe(Some("a")), MERCHANT, 1).unwrap();
    let update = store.take_unsaved();
    assert_eq!(update.next_id, saved.next_id);
    assert!(!update.is_empty());

    // Renamed, and a new customer: the save of both fails.
    store.replace(&a_id, joe(Some("a2")), MERCHANT, 2).unwrap();
    created(&mut store, "b", 2);
    let failed = store.take_unsaved();
    let ids: Vec<u64> = failed.records.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, [FIRST_CUSTOMER_ID, FIRST_CUSTOMER_ID + 1]);
    assert_eq!(failed.version, store.version());
    // Changed again while the failed save was under way.
    created(&mut store, "b", 3);
    created(&mut store, "c", 3);
    let version = store.version();

    store.undo(&failed);
    assert!(store.version() > version, "an undo is a change too");
    assert_eq!(store.list(None, None).len(), 1);
    assert_eq!(parse(&store.get(&a_id).unwrap()), a);
    assert_eq!(store.list(None, Some("a")).len(), 1);
    for gone in ["a2", "b", "c"] {
        assert!(store.list(None, Some(gone)).is_empty(), "{gone}");
    }
    assert!(
        store.take_unsaved().is_empty(),
        "the store is the saved state again"
    );
    // The ids given out since the save are given out again.
    let b = created(&mut store, "b", 4);
    assert_eq!(b[CUSTOMER_ID], json!((FIRST_CUSTOMER_ID + 1).to_string()));
}

/// Without a data file, nothing is kept for a save.
#[test]
fn a_store_without_a_data_file_keeps_no_changes() {
    let mut store = Store::new();
    created(&mut store, "a", 1);
    let unsaved = store.take_unsaved();
    assert!(unsaved.records.is_empty());
    store.clear();
    assert!(store.take_unsaved().deleted.is_empty());
}

/// A reset removes every customer and its `externalId`, and ids start again; the next save
/// deletes the customers the data file holds, and writes those created since over their rows.
#[test]
fn a_reset_is_saved_as_the_deletion_of_every_customer_and_ids_start_again() {
    let mut store = Store::new();
    store.keep_unsaved();
    created(&mut store, "a", 1);
    created(&mut store, "b", 1);
    store.take_unsaved();
    let version = store.version();

    store.clear();
    assert!(store.version() > version, "a reset is a change to save");
    assert!(store.list(None, None).is_empty());
    assert!(
        store.list(None, Some("a")).is_empty(),
        "the index is empty too"
    );
    // The first id again, and an `externalId` that was another customer's is free.
    let c = created(&mut store, "b", 2);
    assert_eq!(c[CUSTOMER_ID], json!(FIRST_CUSTOMER_ID.to_string()));

    let reset = store.take_unsaved();
    assert_eq!(reset.version, store.version());
    let written: Vec<u64> = reset.records.iter().map(|(id, _)| *id).collect();
    assert_eq!(written, [FIRST_CUSTOMER_ID]);
    assert_eq!(parse(&reset.records[0].1), c);
    assert_eq!(reset.deleted, [FIRST_CUSTOMER_ID + 1]);
    assert_eq!(reset.next_id, FIRST_CUSTOMER_ID + 1);
    assert!(
        store.take_unsaved().is_empty(),
        "nothing changed since the reset's save"
    );
}

/// A reset whose save fails is undone like any change: every customer is back as the data
/// file holds it (not as changed since), with its `externalId`, and so is the next id.
#[test]
fn a_reset_whose_save_failed_is_undone() {
    let mut store = Store::new();
    store.keep_unsaved();
    let a = created(&mut store, "a", 1);
    let b = created(&mut store, "b", 1);
    store.take_unsaved();
    let a_id = a[CUSTOMER_ID].as_str().unwrap().to_owned();
    store.replace(&a_id, joe(Some("a2")), MERCHANT, 2).unwrap();
    store.clear();
    created(&mut store, "c", 3);
    let failed = store.take_unsaved();

    store.undo(&failed);
    let listed: Vec<Value> = store.list(None, None).iter().map(|r| parse(r)).collect();
    assert_eq!(listed, [a, b]);
    for (external_id, count) in [("a", 1), ("b", 1), ("a2", 0), ("c", 0)] {
        assert_eq!(
            store.list(None, Some(external_id)).len(),
            count,
            "{external_id}"
        );
    }
    assert!(store.take_unsaved().is_empty(), "the saved state again");
    let d = created(&mut store, "d", 4);
    assert_eq!(d[CUSTOMER_ID], json!((FIRST_CUSTOMER_ID + 2).to_string()));
}

/// Customers created with ids of their own below the first one leave the next id where a
/// reset puts it: their deletion alone is still something to save (at a stop, say).
#[test]
fn a_reset_that_leaves_the_next_id_as_it_was_is_still_saved() {
    let mut store = Store::new();
    store.keep_unsaved();
    let mut body = joe(None);
    body.insert(CUSTOMER_ID.into(), json!("5"));
    store.create_or_update(None, body, MERCHANT, 1).unwrap();
    assert_eq!(store.take_unsaved().next_id, FIRST_CUSTOMER_ID);

    store.clear();
    let reset = store.take_unsaved();
    assert_eq!(reset.next_id, FIRST_CUSTOMER_ID);
    assert_eq!(reset.deleted, [5]);
    assert!(!reset.is_empty());
}

#[test]
fn rebuilding_refuses_invalid_records_and_repeated_ids() {
    let valid = json!({"name": "n", "address": {"country": "US"}, "phone": "p", "email": "e",
                       (CUSTOMER_ID): "1000000001", (EXTERNAL_ID): "x"});
    let no_email = json!({"name": "n", "address": {"country": "US"}, "phone": "p",
                          (CUSTOMER_ID): "1000000002"});
    assert!(
        load::from_json_records(1, vec![no_email])
            .unwrap_err()
            .contains("`email`")
    );
    let repeated = load::from_json_records(1, vec![valid.clone(), valid.clone()]).unwrap_err();
    assert!(
        repeated.contains(&format!("repeats {CUSTOMER_ID}")),
        "{repeated}"
    );
    let mut other = valid.clone();
    other[CUSTOMER_ID] = json!("1000000005");
    let ext = load::from_json_records(1, vec![valid, other]).unwrap_err();
    assert!(ext.contains(EXTERNAL_ID), "{ext}");
}

#[test]
fn rebuilding_refuses_ids_that_leave_no_room_to_count_on() {
    // Ids are handed out by adding one: near `u64::MAX` that overflows, and a second customer
    // would get the first one's id and replace it.
    let near_the_end = load::from_json_records(u64::MAX, Vec::new()).unwrap_err();
    assert!(near_the_end.contains("nextCustomerId"), "{near_the_end}");
    let record = json!({"name": "n", "address": {"country": "US"}, "phone": "p", "email": "e",
                        (CUSTOMER_ID): u64::MAX.to_string()});
    let too_big = load::from_json_records(FIRST_CUSTOMER_ID, vec![record]).unwrap_err();
    assert!(too_big.contains("customer #0"), "{too_big}");
}

#[test]
fn a_new_query_external_id_may_name_a_customer_that_has_none() {
    // The query's `externalId` is nobody's, and the customer the body names has none: the two
    // do not disagree, so the request goes ahead.
    let mut store = Store::new();
    let anonymous = parse(
        &store
            .create_or_update(None, joe(None), MERCHANT, 1)
            .unwrap(),
    );
    let id = anonymous[CUSTOMER_ID].as_str().unwrap();
    let body = object(json!({(CUSTOMER_ID): id, "phone": "5"}));
    let updated = parse(
        &store
            .create_or_update(Some("new-q"), body, MERCHANT, 2)
            .unwrap(),
    );
    assert_eq!(updated[CUSTOMER_ID], json!(id));
    assert_eq!(updated["phone"], json!("5"));

    // One that has another `externalId` does disagree.
    let named = created(&mut store, "taken", 3);
    let body = object(json!({(CUSTOMER_ID): named[CUSTOMER_ID], "phone": "6"}));
    let refused = store.create_or_update(Some("new-q"), body, MERCHANT, 4);
    assert!(
        invalid_messages(refused)[0].contains("different customer"),
        "the customer already has an externalId"
    );
}

#[test]
fn rebuilding_accepts_ids_up_to_the_limit() {
    assert!(load::from_json_records(MAX_LOADED_ID, Vec::new()).is_ok());
    let record = json!({"name": "n", "address": {"country": "US"}, "phone": "p", "email": "e",
                        (CUSTOMER_ID): MAX_LOADED_ID.to_string()});
    let store = load::from_json_records(FIRST_CUSTOMER_ID, vec![record]).unwrap();
    assert_eq!(store.len(), 1);
}

#[test]
fn rebuilding_counts_on_past_the_highest_id_whatever_the_file_says() {
    // A file whose `nextCustomerId` lags behind its records (edited by hand, say): the next
    // customer must get a new id, not one of theirs.
    let highest = FIRST_CUSTOMER_ID + 5;
    let record = json!({"name": "n", "address": {"country": "US"}, "phone": "p", "email": "e",
                        (CUSTOMER_ID): highest.to_string()});
    let mut store = load::from_json_records(FIRST_CUSTOMER_ID, vec![record.clone()]).unwrap();
    let new = created(&mut store, "new", 1);
    assert_eq!(new[CUSTOMER_ID], json!((highest + 1).to_string()));
    assert_eq!(parse(&store.get(&highest.to_string()).unwrap()), record);
    assert_eq!(store.len(), 2);
}

#[test]
fn update_by_id_goes_by_the_path_whatever_customer_id_the_body_names() {
    let mut store = Store::new();
    let a = created(&mut store, "a", 1);
    let b = created(&mut store, "b", 1);
    let a_id = a[CUSTOMER_ID].as_str().unwrap();
    let b_id = b[CUSTOMER_ID].as_str().unwrap();
    let body = object(json!({(CUSTOMER_ID): b_id, "phone": "5", "name": "A"}));
    let replaced = parse(&store.replace(a_id, body, MERCHANT, 2).unwrap());
    assert_eq!(replaced[CUSTOMER_ID], json!(a_id));
    assert_eq!(replaced["phone"], json!("5"));
    assert_eq!(
        parse(&store.get(b_id).unwrap()),
        b,
        "the other customer is untouched"
    );
}

#[test]
fn a_query_external_id_and_a_body_naming_another_customer_are_refused() {
    let mut store = Store::new();
    let a = created(&mut store, "a", 1);
    let b = created(&mut store, "b", 2);
    let with = |mut body: Map<String, Value>, name: &str, value: Value| {
        body.insert(name.into(), value);
        body
    };
    // Refused, and nothing changes.
    for (query, body, property) in [
        (
            "a",
            with(joe(None), CUSTOMER_ID, b[CUSTOMER_ID].clone()),
            CUSTOMER_ID,
        ),
        (
            "new",
            with(joe(None), CUSTOMER_ID, b[CUSTOMER_ID].clone()),
            CUSTOMER_ID,
        ),
        ("a", with(joe(None), EXTERNAL_ID, Value::Null), EXTERNAL_ID),
    ] {
        let version = store.version();
        let messages = invalid_messages(store.create_or_update(Some(query), body, MERCHANT, 3));
        assert!(
            messages[0].starts_with(&format!("/{property}")),
            "{query}: {messages:?}"
        );
        assert_eq!(store.version(), version);
    }
    assert_eq!(store.len(), 2);
    // What agrees goes through: the same customer named both ways, or the query's id repeated.
    for body in [
        with(joe(None), CUSTOMER_ID, a[CUSTOMER_ID].clone()),
        with(joe(None), EXTERNAL_ID, json!("a")),
        joe(None),
    ] {
        let updated = parse(
            &store
                .create_or_update(Some("a"), body, MERCHANT, 4)
                .unwrap(),
        );
        assert_eq!(updated[CUSTOMER_ID], a[CUSTOMER_ID]);
        assert_eq!(updated[EXTERNAL_ID], json!("a"));
    }
    assert_eq!(store.len(), 2, "no duplicate was created");
}

#[test]
fn a_record_is_kept_in_an_allocation_of_its_own_length() {
    // As serializing leaves it: the record in a buffer that grew past its length.
    let mut json = Vec::with_capacity(512);
    json.extend_from_slice(&serde_json::to_vec(&joe(Some("e1"))).unwrap());
    let length = json.len();
    assert!(json.capacity() > length);
    let stored = stored_form(json);
    assert_eq!(stored.len(), length);
    let allocation = stored
        .try_into_mut()
        .expect("the store's copy is the only one")
        .capacity();
    assert_eq!(allocation, length, "bytes kept beyond the record's own");
}
