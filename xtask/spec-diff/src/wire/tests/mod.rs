//! The classification rules on small documents, each rule both ways.

mod references;

use super::*;
use serde_json::{Value, json};

/// One operation: `request` is its body's schema, `response` its 200 answer's.
fn doc(request: Value, response: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"post": {
            "operationId": "op",
            "requestBody": {"required": true, "content": {"application/json": {"schema": request}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": response}}}}
        }}},
        "components": {"schemas": {
            "Node": {"type": "object", "properties": {"child": {"$ref": "#/components/schemas/Node"}}}
        }}
    })
}

fn verdicts(before: &Value, after: &Value) -> Vec<(String, Vec<Class>)> {
    diff(before, after)
        .into_iter()
        .map(|c| (c.kind, c.classes))
        .collect()
}

fn one(before: &Value, after: &Value) -> (String, Vec<Class>) {
    let all = verdicts(before, after);
    assert_eq!(all.len(), 1, "{all:?}");
    all.into_iter().next().unwrap()
}

const ANY: fn() -> Value = || json!({"type": "string"});

#[test]
fn an_enum_value_added_breaks_whoever_receives_it() {
    let two = json!({"type": "string", "enum": ["a", "b"]});
    let three = json!({"type": "string", "enum": ["a", "b", "c"]});
    let request = one(&doc(two.clone(), ANY()), &doc(three.clone(), ANY()));
    assert_eq!(
        request,
        ("enum-value-added".into(), vec![Class::BreakingServer])
    );
    let response = one(&doc(ANY(), two.clone()), &doc(ANY(), three.clone()));
    assert_eq!(
        response,
        ("enum-value-added".into(), vec![Class::BreakingClient])
    );
    let removed = one(&doc(three, ANY()), &doc(two, ANY()));
    assert_eq!(
        removed,
        ("enum-value-removed".into(), vec![Class::BreakingClient])
    );
}

#[test]
fn a_longer_maximum_length_breaks_whoever_receives_it() {
    let short = json!({"type": "string", "maxLength": 5});
    let long = json!({"type": "string", "maxLength": 9});
    assert_eq!(
        one(&doc(short.clone(), ANY()), &doc(long.clone(), ANY())).1,
        [Class::BreakingServer]
    );
    assert_eq!(
        one(&doc(ANY(), short.clone()), &doc(ANY(), long.clone())).1,
        [Class::BreakingClient]
    );
    assert_eq!(
        one(&doc(ANY(), long), &doc(ANY(), short)).1,
        [Class::BreakingServer]
    );
}

#[test]
fn closing_an_object_to_other_properties_breaks_its_senders() {
    let open = json!({"type": "object"});
    let closed = json!({"type": "object", "additionalProperties": false});
    assert_eq!(
        one(&doc(open.clone(), ANY()), &doc(closed.clone(), ANY())).1,
        [Class::BreakingClient]
    );
    assert_eq!(
        one(&doc(closed, ANY()), &doc(open, ANY())).1,
        [Class::BreakingServer]
    );
}

#[test]
fn a_recursive_schema_is_compared_once_and_ends() {
    let node = json!({"$ref": "#/components/schemas/Node"});
    let before = doc(node.clone(), node.clone());
    let mut after = before.clone();
    after["components"]["schemas"]["Node"]["properties"]["name"] = json!({"type": "string"});
    let changes = diff(&before, &after);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].location, "Node.name");
    assert_eq!(
        changes[0].directions,
        [Direction::Request, Direction::Response]
    );
}

#[test]
fn a_keyword_it_does_not_know_is_breaking_not_documentation() {
    let before = json!({"type": "object", "discriminator": {"propertyName": "kind"}});
    let after = json!({"type": "object", "discriminator": {"propertyName": "type"}});
    let (kind, classes) = one(&doc(before, ANY()), &doc(after, ANY()));
    assert_eq!(kind, "unrecognised");
    assert_eq!(classes, [Class::BreakingClient, Class::BreakingServer]);
}

#[test]
fn write_only_and_read_only_each_break_one_side() {
    let plain = json!({"type": "string"});
    let write_only = json!({"type": "string", "writeOnly": true});
    let read_only = json!({"type": "string", "readOnly": true});
    assert_eq!(
        one(&doc(ANY(), plain.clone()), &doc(ANY(), write_only)).1,
        [Class::BreakingClient]
    );
    assert_eq!(
        one(&doc(plain.clone(), ANY()), &doc(read_only.clone(), ANY())).1,
        [Class::BreakingClient]
    );
    assert_eq!(
        one(&doc(read_only.clone(), ANY()), &doc(plain.clone(), ANY())).1,
        [Class::BreakingServer]
    );
    // In a response, read-only says nothing new.
    assert_eq!(
        one(&doc(ANY(), plain), &doc(ANY(), read_only)).1,
        [Class::Documentation]
    );
}

/// A change of a convention is the row of its registry class, named after the convention and
/// where it stands, with the registry's reason.
#[test]
fn a_convention_is_classed_and_explained_by_its_registry_row() {
    use trustly_customers_spec::conventions::{DiffClass, ENVIRONMENT, IDEMPOTENT, PII, READ_ONLY};
    let with = |key: &str, value: Value| {
        let mut schema = ANY();
        schema[key] = value;
        schema
    };
    let only = |before: &Value, after: &Value| {
        let mut all = diff(before, after);
        assert_eq!(all.len(), 1, "{all:?}");
        let c = all.remove(0);
        (c.kind, c.classes, c.why)
    };

    let DiffClass::Documentation { reason } = PII.diff else {
        panic!("{:?}", PII.diff)
    };
    assert_eq!(
        only(&doc(ANY(), ANY()), &doc(with(PII.name, json!(true)), ANY())),
        (
            PII.name.to_owned(),
            vec![Class::Documentation],
            reason.to_owned()
        )
    );

    let DiffClass::ServerOwnedWhenSet { set, .. } = READ_ONLY.diff else {
        panic!("{:?}", READ_ONLY.diff)
    };
    assert_eq!(
        only(
            &doc(ANY(), ANY()),
            &doc(with(READ_ONLY.name, json!(true)), ANY())
        ),
        (
            READ_ONLY.name.to_owned(),
            vec![Class::BreakingClient],
            set.to_owned()
        )
    );

    let DiffClass::ChosenByClients { reason } = ENVIRONMENT.diff else {
        panic!("{:?}", ENVIRONMENT.diff)
    };
    let server = |name: &str| {
        let mut d = doc(ANY(), ANY());
        d["servers"] = json!([{"url": "https://example.com"}]);
        d["servers"][0][ENVIRONMENT.name] = json!(name);
        d
    };
    assert_eq!(
        only(&server("sandbox"), &server("test")),
        (
            format!("server-{}", ENVIRONMENT.name),
            vec![Class::BreakingClient],
            reason.to_owned()
        )
    );

    // A promise not made either way (`false`, or absent) is no change.
    let DiffClass::ServerPromise { made, .. } = IDEMPOTENT.diff else {
        panic!("{:?}", IDEMPOTENT.diff)
    };
    let promise = |value: Option<Value>| {
        let mut d = doc(ANY(), ANY());
        if let Some(v) = value {
            d["paths"]["/x"]["post"][IDEMPOTENT.name] = v;
        }
        d
    };
    assert!(verdicts(&promise(Some(json!(false))), &promise(None)).is_empty());
    assert_eq!(
        only(&promise(Some(json!(false))), &promise(Some(json!(true)))),
        (
            format!("operation-{}", IDEMPOTENT.name),
            vec![Class::BreakingServer],
            made.to_owned()
        )
    );
}

#[test]
fn a_response_media_type_removed_or_added_breaks_clients() {
    let before = doc(ANY(), ANY());
    let mut after = before.clone();
    let content = after
        .pointer_mut("/paths/~1x/post/responses/200/content")
        .unwrap();
    let schema = content["application/json"].take();
    content.as_object_mut().unwrap().remove("application/json");
    content["application/xml"] = schema;
    let all = verdicts(&before, &after);
    assert_eq!(
        all,
        [
            ("media-type-removed".to_owned(), vec![Class::BreakingClient]),
            ("media-type-added".to_owned(), vec![Class::BreakingClient]),
        ]
    );
}

#[test]
fn an_integer_widened_to_a_number_in_a_request_breaks_the_server_side() {
    let int = json!({"type": "integer"});
    let num = json!({"type": "number"});
    assert_eq!(
        one(&doc(int.clone(), ANY()), &doc(num.clone(), ANY())),
        ("type".into(), vec![Class::BreakingServer])
    );
    assert_eq!(
        one(&doc(num, ANY()), &doc(int, ANY())).1,
        [Class::BreakingClient]
    );
    let string = json!({"type": "string"});
    let boolean = json!({"type": "boolean"});
    assert_eq!(
        one(&doc(string, ANY()), &doc(boolean, ANY())).1,
        [Class::BreakingClient, Class::BreakingServer]
    );
}

#[test]
fn openapi_3_1_type_lists_and_const_read_as_3_0_nullable_and_enum() {
    // `type: [string, "null"]` is `nullable: true`: the same schema, no change.
    let nullable_3_0 = json!({"type": "string", "nullable": true});
    let nullable_3_1 = json!({"type": ["string", "null"]});
    assert_eq!(
        verdicts(&doc(nullable_3_0, ANY()), &doc(nullable_3_1.clone(), ANY())),
        []
    );
    // Dropping "null" from the list makes null invalid: narrower, in a request.
    let (kind, classes) = one(&doc(nullable_3_1, ANY()), &doc(ANY(), ANY()));
    assert_eq!(
        (kind.as_str(), classes),
        ("nullable", vec![Class::BreakingClient])
    );
    // `const` is a list of one value.
    let a = json!({"type": "string", "const": "a"});
    let ab = json!({"type": "string", "enum": ["a", "b"]});
    assert_eq!(
        one(&doc(a, ANY()), &doc(ab, ANY())),
        ("enum-value-added".into(), vec![Class::BreakingServer])
    );
}

#[test]
fn operations_pair_by_path_relative_to_each_documents_server() {
    let mut ours = doc(ANY(), ANY());
    ours["servers"] = json!([{"url": "https://example.com/api/v1"}]);
    // The same operation, its path written with the server's base path in it.
    let mut theirs = ours.clone();
    theirs["paths"] = json!({"/api/v1/x": ours["paths"]["/x"].clone()});
    let kinds: Vec<String> = verdicts(&ours, &theirs)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert!(
        kinds.is_empty(),
        "the same operation, not one removed and one added: {kinds:?}"
    );
    assert_eq!(
        pairing::base_path(&json!({"servers": [{"url": "/api/v1/"}]})),
        "/api/v1"
    );
}

#[test]
fn every_row_has_a_unique_id_and_its_kinds_name_its_keywords() {
    let mut ids = std::collections::BTreeSet::new();
    for row in rules::RULES {
        assert!(ids.insert(row.id), "two rows are {}", row.id);
        assert_eq!(
            row.kind.contains("{keyword}"),
            !row.keywords.is_empty(),
            "{}",
            row.id
        );
        assert_eq!(
            row.kind == "{convention}",
            row.convention.is_some(),
            "{}: a row of the conventions, and only one, takes its kind from them",
            row.id
        );
        assert!(!row.what.is_empty(), "{}", row.id);
    }
}

#[test]
fn every_outcome_of_a_convention_has_one_row_and_it_names_the_conventions() {
    use crate::conventions::Outcome;
    for outcome in Outcome::ALL {
        let rows: Vec<&str> = rules::RULES
            .iter()
            .filter(|r| r.convention == Some(outcome))
            .map(|r| r.id)
            .collect();
        assert_eq!(rows.len(), 1, "{outcome:?}: rows {rows:?}");
        let row = rules::convention_row(outcome);
        assert_eq!(row.id, rows[0]);
        assert!(
            row.kinds().iter().all(|k| !k.contains('{')),
            "{}: {:?}",
            row.id,
            row.kinds()
        );
    }
}
