//! A reference is one schema however it is written: `$ref`, `$ref` with keys beside it (3.1), or
//! a one-branch `allOf` of one with text and conventions beside it (3.0).

use super::*;

/// `In.p` is sent by clients (a request body), `Out.p` by the server (a response body).
fn doc(request_p: Value, response_p: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"post": {
            "operationId": "op",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/In"}}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Out"}}}}}
        }}},
        "components": {"schemas": {
            "In": {"type": "object", "properties": {"p": request_p}},
            "Out": {"type": "object", "properties": {"p": response_p}},
            "Code": {"type": "integer", "format": "int32", "description": "A code."},
            "Name": {"type": "string", "maxLength": 9},
            "Maybe": {"type": ["string", "null"]},
            "Other": {"type": "string"},
            "Node": {"type": "object", "properties": {"child": {"$ref": "#/components/schemas/Node"}}}
        }}
    })
}

fn to(name: &str) -> String {
    format!("#/components/schemas/{name}")
}

/// Every change of `p` changed from `before` to `after`, in a request and in a response.
fn both_ways(before: Value, after: Value) -> [Vec<WireChange>; 2] {
    [
        diff(&doc(before.clone(), ANY()), &doc(after.clone(), ANY())),
        diff(&doc(ANY(), before), &doc(ANY(), after)),
    ]
}

fn kinds_and_classes(changes: &[WireChange]) -> Vec<(&str, &[Class])> {
    changes
        .iter()
        .map(|c| (c.kind.as_str(), c.classes.as_slice()))
        .collect()
}

#[test]
fn a_reference_wrapped_in_an_all_of_with_a_description_is_documentation_only() {
    let reference = json!({"$ref": to("Code")});
    let wrapped = json!({"allOf": [{"$ref": to("Code")}], "description": "Trustly's code."});
    for (before, after) in [(reference.clone(), wrapped.clone()), (wrapped, reference)] {
        for changes in both_ways(before.clone(), after.clone()) {
            assert_eq!(
                kinds_and_classes(&changes),
                [("schema-text", &[Class::Documentation][..])],
                "{before} → {after}"
            );
            assert_eq!(changes[0].change, "description changed");
            assert!(
                changes[0].location.ends_with(".p"),
                "{}",
                changes[0].location
            );
            assert!(
                changes[0].pointer.ends_with("/properties/p"),
                "{}",
                changes[0].pointer
            );
        }
    }
}

#[test]
fn a_3_1_reference_with_keys_beside_it_is_the_wrapped_reference() {
    let beside = json!({"$ref": to("Code"), "description": "Trustly's code.", "readOnly": true});
    let wrapped = json!({"allOf": [{"$ref": to("Code")}], "description": "Trustly's code.", "readOnly": true});
    for changes in both_ways(beside.clone(), wrapped.clone()) {
        assert!(changes.is_empty(), "{changes:?}");
    }
    for changes in both_ways(wrapped, beside.clone()) {
        assert!(changes.is_empty(), "{changes:?}");
    }
    // Only the words beside it gone: text; the component is the same.
    let [request, _] = both_ways(
        json!({"$ref": to("Code"), "description": "Trustly's code."}),
        json!({"$ref": to("Code")}),
    );
    assert_eq!(
        kinds_and_classes(&request),
        [("schema-text", &[Class::Documentation][..])]
    );
    // A description beside the reference that says what the component says is no change.
    let [request, response] = both_ways(
        json!({"$ref": to("Code"), "description": "A code."}),
        json!({"$ref": to("Code")}),
    );
    assert!(request.is_empty() && response.is_empty(), "{request:?}");
}

#[test]
fn a_constraint_beside_a_reference_constrains_the_component() {
    // A new bound beside a reference: narrower, so it breaks whoever sends it.
    let [request, response] = both_ways(
        json!({"$ref": to("Code")}),
        json!({"$ref": to("Code"), "maximum": 999}),
    );
    assert_eq!(
        kinds_and_classes(&request),
        [("constraint", &[Class::BreakingClient][..])]
    );
    assert_eq!(request[0].rule, rules::CONSTRAINT_ADDED.id);
    assert!(request[0].pointer.ends_with("/properties/p/maximum"));
    assert_eq!(
        kinds_and_classes(&response),
        [("constraint", &[Class::BreakingServer][..])]
    );
    // Beside a component with its own bound, the bound beside it is compared with the
    // component's: 9 → 5 is tighter, and repeating the component's 9 says nothing new.
    let [request, _] = both_ways(
        json!({"$ref": to("Name")}),
        json!({"$ref": to("Name"), "maxLength": 5}),
    );
    assert_eq!(request.len(), 1, "{request:?}");
    assert_eq!(request[0].rule, rules::CONSTRAINT_TIGHTENED.id);
    assert_eq!(request[0].change, "maxLength 9 → 5");
    let [request, response] = both_ways(
        json!({"$ref": to("Name")}),
        json!({"$ref": to("Name"), "maxLength": 9}),
    );
    assert!(request.is_empty() && response.is_empty(), "{request:?}");
    // A keyword beside a reference that the walker does not know is still not passed over.
    let [request, _] = both_ways(
        json!({"$ref": to("Name")}),
        json!({"$ref": to("Name"), "x-unknown": 1}),
    );
    assert_eq!(
        kinds_and_classes(&request),
        [(
            "unrecognised-extension",
            &[Class::BreakingClient, Class::BreakingServer][..]
        )]
    );
}

#[test]
fn nullable_beside_a_reference_is_compared_with_the_components_own() {
    // `null` made valid beside a component that did not allow it: wider, as `nullable: true`
    // added to an inline schema is, in either spelling.
    let [inline_request, inline_response] = both_ways(
        json!({"type": "string"}),
        json!({"type": "string", "nullable": true}),
    );
    for nullable in [
        json!({"$ref": to("Other"), "nullable": true}),
        json!({"allOf": [{"$ref": to("Other")}], "nullable": true}),
    ] {
        let [request, response] = both_ways(json!({"$ref": to("Other")}), nullable.clone());
        assert_eq!(
            kinds_and_classes(&request),
            [("nullable", &[Class::BreakingServer][..])],
            "{nullable}"
        );
        assert_eq!(
            kinds_and_classes(&response),
            [("nullable", &[Class::BreakingClient][..])],
            "{nullable}"
        );
        assert_eq!(request[0].rule, inline_request[0].rule);
        assert_eq!(response[0].rule, inline_response[0].rule);
        assert!(request[0].pointer.ends_with("/properties/p/nullable"));
    }
    // Beside a component that allows it already (3.1's `"null"` among its types), nothing,
    // whichever spelling the reference had before.
    let wrapped = json!({"allOf": [{"$ref": to("Maybe")}], "nullable": true});
    for before in [
        json!({"$ref": to("Maybe")}),
        json!({"allOf": [{"$ref": to("Maybe")}], "description": "d"}),
    ] {
        for after in [
            wrapped.clone(),
            json!({"$ref": to("Maybe"), "nullable": true}),
        ] {
            for changes in both_ways(before.clone(), after.clone()) {
                assert!(
                    changes.iter().all(|c| c.classes == [Class::Documentation]),
                    "{before} → {after}: {changes:?}"
                );
                assert!(changes.iter().all(|c| c.kind != "nullable"), "{changes:?}");
            }
        }
    }
}

#[test]
fn a_reference_that_gains_a_second_all_of_branch_is_narrower() {
    let second = json!({"allOf": [{"$ref": to("Name")}, {"$ref": to("Other")}]});
    for reference in [
        json!({"$ref": to("Name")}),
        json!({"$ref": to("Name"), "description": "d"}),
        json!({"allOf": [{"$ref": to("Name")}], "description": "d"}),
    ] {
        let [request, response] = both_ways(reference.clone(), second.clone());
        let rows = |c: &[WireChange]| c.iter().map(|c| c.rule).collect::<Vec<_>>();
        assert!(
            rows(&request).contains(&rules::ALL_OF_BRANCH_ADDED.id),
            "{reference}: {request:?}"
        );
        assert!(
            request
                .iter()
                .all(|c| c.rule == rules::ALL_OF_BRANCH_ADDED.id
                    || c.classes == [Class::Documentation]),
            "{reference}: {request:?}"
        );
        let added: Vec<&WireChange> = request
            .iter()
            .filter(|c| c.rule == rules::ALL_OF_BRANCH_ADDED.id)
            .collect();
        assert_eq!(added[0].classes, [Class::BreakingClient]);
        assert!(added[0].pointer.ends_with("/properties/p/allOf/1"));
        let added = response
            .iter()
            .find(|c| c.rule == rules::ALL_OF_BRANCH_ADDED.id)
            .unwrap();
        assert_eq!(added.classes, [Class::BreakingServer]);
        // And back: one schema fewer to match.
        let [request, _] = both_ways(second.clone(), reference.clone());
        assert!(
            request
                .iter()
                .any(|c| c.rule == rules::ALL_OF_BRANCH_REMOVED.id
                    && c.classes == [Class::BreakingServer]),
            "{reference}: {request:?}"
        );
    }
}

#[test]
fn a_reference_with_keys_beside_it_against_an_inline_copy_is_a_reference_change_only() {
    let inline = json!({"type": "string", "maxLength": 5, "description": "d"});
    let reference = json!({"$ref": to("Other"), "maxLength": 5, "description": "d"});
    for (before, after) in [
        (inline.clone(), reference.clone()),
        (reference.clone(), inline.clone()),
    ] {
        for changes in both_ways(before.clone(), after.clone()) {
            assert_eq!(
                kinds_and_classes(&changes),
                [("schema-reference", &[Class::Documentation][..])],
                "{before} → {after}"
            );
        }
    }
    // What differs from the copy is reported where the reference stands.
    let [request, _] = both_ways(
        json!({"type": "string", "maxLength": 5}),
        json!({"$ref": to("Other"), "maxLength": 4}),
    );
    let tightened = request
        .iter()
        .find(|c| c.rule == rules::CONSTRAINT_TIGHTENED.id)
        .unwrap();
    assert!(tightened.pointer.ends_with("/properties/p/maxLength"));
    assert_eq!(tightened.classes, [Class::BreakingClient]);
}

#[test]
fn a_reference_outside_the_document_is_compared_by_its_text_and_the_keys_beside_it() {
    let outside = |beside: Value| {
        let mut r = json!({"$ref": "other.yaml#/components/schemas/X"});
        r.as_object_mut()
            .unwrap()
            .extend(beside.as_object().unwrap().clone());
        r
    };
    let [request, _] = both_ways(
        outside(json!({"description": "a"})),
        outside(json!({"description": "b"})),
    );
    assert_eq!(
        kinds_and_classes(&request),
        [("schema-text", &[Class::Documentation][..])]
    );
    // Pointed elsewhere, it is followed on one side only: what the other file's schema allows
    // is compared with nothing, so the change is breaking both ways, never documentation.
    let [request, _] = both_ways(outside(json!({})), json!({"$ref": to("Other")}));
    assert_eq!(
        kinds_and_classes(&request),
        [(
            "reference-unfollowed",
            &[Class::BreakingClient, Class::BreakingServer][..]
        )]
    );
    let [request, _] = both_ways(outside(json!({})), json!({"type": "string"}));
    assert_eq!(
        kinds_and_classes(&request),
        [(
            "reference-unfollowed",
            &[Class::BreakingClient, Class::BreakingServer][..]
        )]
    );
}

#[test]
fn a_recursive_component_behind_a_wrapped_reference_ends() {
    let before = doc(json!({"$ref": to("Node")}), ANY());
    let mut after = before.clone();
    after["components"]["schemas"]["Node"]["properties"]["child"] =
        json!({"allOf": [{"$ref": to("Node")}], "description": "The next one."});
    let changes = diff(&before, &after);
    assert_eq!(
        kinds_and_classes(&changes),
        [("schema-text", &[Class::Documentation][..])]
    );
    assert_eq!(changes[0].location, "Node.child");
}

#[test]
fn an_all_of_with_a_constraint_beside_its_reference_is_a_composition() {
    // `maxLength` beside the wrapped reference constrains the value: not a change of spelling.
    let [request, response] = both_ways(
        json!({"$ref": to("Other")}),
        json!({"allOf": [{"$ref": to("Other")}], "maxLength": 5}),
    );
    assert_eq!(
        kinds_and_classes(&request),
        [("constraint", &[Class::BreakingClient][..])]
    );
    assert_eq!(request[0].rule, rules::CONSTRAINT_ADDED.id);
    assert!(request[0].pointer.ends_with("/properties/p/maxLength"));
    assert_eq!(
        kinds_and_classes(&response),
        [("constraint", &[Class::BreakingServer][..])]
    );
    // And `type` beside it is compared as a type: any → string is narrower.
    let [request, _] = both_ways(
        json!({"$ref": to("Code")}),
        json!({"allOf": [{"$ref": to("Code")}], "type": "string"}),
    );
    assert!(
        request.iter().any(|c| c.rule == rules::TYPE_NARROWED.id),
        "{request:?}"
    );
}
