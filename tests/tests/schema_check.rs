//! The schema checker (crates/trustly-customers-spec/src/schema.rs), rule by rule.

use serde_json::{Value, json};
use trustly_customers_spec::schema::check;

/// Violations of `instance` against `schema`, as "instance pointer: message".
fn violations(schema: Value, instance: Value) -> Vec<String> {
    let doc = json!({ "components": { "schemas": { "S": schema, "Ref": { "type": "string" } } } });
    check(&doc, "/components/schemas/S", &instance)
        .into_iter()
        .map(|v| format!("{}: {}", v.instance, v.message))
        .collect()
}

#[test]
fn types_nullability_and_formats() {
    assert!(violations(json!({"type": "string"}), json!("x")).is_empty());
    assert_eq!(
        violations(json!({"type": "string"}), json!(1)),
        [": expected string, found a number"]
    );
    assert_eq!(
        violations(json!({"type": "integer"}), json!(1.5)),
        [": expected integer, found a number"]
    );
    assert!(violations(json!({"type": "string", "nullable": true}), json!(null)).is_empty());
    assert_eq!(
        violations(json!({"type": "string"}), json!(null)),
        [": expected string, found null"]
    );
    assert_eq!(
        violations(
            json!({"type": "integer", "format": "int32"}),
            json!(3_000_000_000_i64)
        ),
        [": the number is out of range for its format"]
    );
    assert!(
        violations(
            json!({"type": "integer", "format": "int64"}),
            json!(1555696836548_i64)
        )
        .is_empty()
    );
}

#[test]
fn objects_required_and_additional_properties() {
    let schema = json!({
        "type": "object", "required": ["a"], "additionalProperties": false,
        "properties": { "a": { "type": "string", "minLength": 2 } }
    });
    assert!(violations(schema.clone(), json!({"a": "ok"})).is_empty());
    assert_eq!(
        violations(schema, json!({"a": "x", "b": 1})),
        [
            "/a: length 1 is below minLength 2",
            "/b: the property `b` is not declared"
        ]
    );
    let open = json!({"type": "object", "required": ["a", "c"], "properties": {}});
    assert_eq!(
        violations(open, json!({"extra": true})),
        [
            ": the required property `a` is missing",
            ": the required property `c` is missing"
        ]
    );
}

#[test]
fn references_and_combinators() {
    assert_eq!(
        violations(json!({"$ref": "#/components/schemas/Ref"}), json!(5)),
        [": expected string, found a number"]
    );
    let nullable_ref = json!({"allOf": [{"$ref": "#/components/schemas/Ref"}], "nullable": true});
    assert!(violations(nullable_ref.clone(), json!(null)).is_empty());
    assert!(violations(nullable_ref, json!("x")).is_empty());
    let strict_ref = json!({"allOf": [{"$ref": "#/components/schemas/Ref"}]});
    assert_eq!(
        violations(strict_ref, json!(null)),
        [": expected string, found null"]
    );
    let one_of = json!({"oneOf": [{"type": "string"}, {"type": "integer"}]});
    assert!(violations(one_of.clone(), json!(2)).is_empty());
    assert_eq!(
        violations(one_of, json!(true)),
        [": a boolean matches 0 of the 2 `oneOf` schemas"]
    );
    let ambiguous = json!({"oneOf": [{"type": "number"}, {"type": "integer"}]});
    assert_eq!(
        violations(ambiguous, json!(2)),
        [": a number matches 2 of the 2 `oneOf` schemas"]
    );
}

#[test]
fn arrays_enums_and_bounds() {
    let list =
        json!({"type": "array", "minItems": 1, "items": {"type": "string", "enum": ["a", "b"]}});
    assert!(violations(list.clone(), json!(["a", "b"])).is_empty());
    assert_eq!(
        violations(list.clone(), json!([])),
        [": 0 items are fewer than minItems"]
    );
    assert_eq!(
        violations(list, json!(["a", "z"])),
        ["/1: a string is not one of [\"a\",\"b\"]"]
    );
    let bounded = json!({"type": "number", "minimum": 0, "maximum": 10, "exclusiveMaximum": true});
    assert_eq!(
        violations(bounded, json!(10)),
        [": the number is above the maximum 10"]
    );
}

#[test]
fn an_unknown_keyword_is_a_violation_not_a_silent_pass() {
    let schema =
        json!({"type": "string", "pattern": "^[0-9]+$", "x-note": "vendor extensions are fine"});
    assert_eq!(
        violations(schema, json!("abc")),
        [": the schema checker does not support the keyword `pattern`"]
    );
}

#[test]
fn the_embedded_spec_is_the_file_on_disk() {
    // The emulator and the CLI check against the spec compiled into them; a build from before an
    // edit of openapi/customers.yaml would hold bodies up to stale rules.
    assert_eq!(
        trustly_customers_spec::document(),
        &workspace_tests::spec_json()
    );
}

#[test]
fn violations_name_where_and_what_but_never_the_value() {
    let customer = json!({
        "name": "Joe User",
        "phone": "+16505551212",
        "email": 42,
        "address": { "country": "US", "zip": "940" },
        "taxId": "012345678"
    });
    let found: Vec<String> = trustly_customers_spec::check_component("Customer", &customer)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        found,
        [
            "/email: expected string, found a number",
            "/address/zip: length 3 is below minLength 5",
        ]
    );
    assert!(!found.iter().any(|m| m.contains("940") || m.contains("42")));
}

#[test]
fn an_unknown_component_is_a_violation() {
    let found = trustly_customers_spec::check_component("Nope", &json!({}));
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn a_null_for_a_required_property_says_it_cannot_be_removed() {
    let schema = json!({
        "type": "object", "required": ["a", "r", "n"],
        "properties": {
            "a": { "type": "string" },
            "r": { "$ref": "#/components/schemas/Ref" },
            "n": { "type": "string", "nullable": true },
            "o": { "type": "string" }
        }
    });
    assert_eq!(
        violations(
            schema.clone(),
            json!({"a": null, "r": null, "n": null, "o": null})
        ),
        [
            "/a: a is required and cannot be removed",
            "/r: r is required and cannot be removed",
            "/o: expected string, found null"
        ]
    );
    // As a patch: none of them need be given, none required can be removed, and a nested
    // record (replaced whole) says the same of its own required properties.
    let doc = json!({ "components": { "schemas": {
        "S": {
            "type": "object", "required": ["a"],
            "properties": {
                "a": { "type": "string" },
                "in": { "$ref": "#/components/schemas/In" }
            }
        },
        "In": { "type": "object", "required": ["c"], "properties": { "c": { "type": "string" } } }
    } } });
    let patch = |instance: Value| -> Vec<String> {
        trustly_customers_spec::schema::check_patch(&doc, "/components/schemas/S", &instance)
            .into_iter()
            .map(|v| format!("{} ({}): {}", v.instance, v.schema, v.message))
            .collect()
    };
    assert!(patch(json!({})).is_empty());
    assert_eq!(
        patch(json!({"a": null, "in": {"c": null}})),
        [
            "/a (/components/schemas/S/required): a is required and cannot be removed",
            "/in/c (/components/schemas/In/required): c is required and cannot be removed"
        ]
    );
}
