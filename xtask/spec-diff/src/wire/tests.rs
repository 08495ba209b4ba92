//! The classification rules on small documents, each rule both ways.

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
