//! A reference to a component, however a document writes it. Three spellings say the same:
//!
//! - `$ref` alone;
//! - `$ref` with keys beside it (OpenAPI 3.1): the component, and what this place says of it,
//!   its own description or a constraint on it (`maxLength`);
//! - a one-branch `allOf` of a reference with only text and the spec's conventions beside it:
//!   how a 3.0 document, where keys beside `$ref` are ignored, gives a reference its own
//!   description (or, by this spec's convention, `nullable: true`).
//!
//! [`read`] reads each as a [`Reference`]: its target, and the keys beside it. An `allOf` with
//! a second branch, or with a keyword beside it that is neither text nor a convention (`type`,
//! `maxLength`), is a composition and is not read here.

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use trustly_customers_spec::conventions::NULLABLE;

use super::facts::{DOC_KEYWORDS, is_nullable};
use crate::conventions::{self, Place};

/// The keyword of a reference.
pub const REF: &str = "$ref";

/// The keyword of the composition a 3.0 document wraps a reference in.
pub const ALL_OF: &str = "allOf";

/// A component referred to, with what the place that refers to it says beside the reference.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference<'v> {
    /// The `$ref`: `#/components/schemas/Timestamp`.
    pub target: &'v str,
    /// The keys written beside it, a wrapper's over those of the reference it wraps.
    pub beside: Map<String, Value>,
}

/// `schema` read as a reference, in any of its spellings; `None` for any other schema.
pub fn read(schema: &Value) -> Option<Reference<'_>> {
    let object = schema.as_object()?;
    if let Some(target) = object.get(REF) {
        return Some(Reference {
            target: target.as_str()?,
            beside: without(object, REF),
        });
    }
    let [branch] = object.get(ALL_OF)?.as_array()?.as_slice() else {
        return None;
    };
    let beside = without(object, ALL_OF);
    if !beside.keys().all(|k| says_of_it(k)) {
        return None;
    }
    let mut reference = read(branch)?;
    reference.beside.extend(beside);
    Some(reference)
}

/// Whether a key beside a wrapped reference only says something of it: text, or one of the
/// spec's conventions. Anything else makes the `allOf` a composition.
fn says_of_it(key: &str) -> bool {
    DOC_KEYWORDS.contains(&key) || conventions::known(Place::Schema, key)
}

/// The keys of `object` but `key`.
fn without(object: &Map<String, Value>, key: &str) -> Map<String, Value> {
    object
        .iter()
        .filter(|(k, _)| k.as_str() != key)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

impl Reference<'_> {
    /// The reference written as a one-branch `allOf` with the keys beside it: how it is compared
    /// with a composition.
    pub fn as_all_of(&self) -> Value {
        let mut object = Map::new();
        object.insert(
            ALL_OF.to_owned(),
            Value::Array(vec![serde_json::json!({ REF: self.target })]),
        );
        object.extend(self.beside.clone());
        Value::Object(object)
    }

    /// The schema this place describes: what the reference points at (`target`), with the keys
    /// beside the reference over its own. Compared with a schema written inline.
    pub fn over(&self, target: &Value) -> Value {
        let mut object = target.as_object().cloned().unwrap_or_default();
        object.extend(self.beside.clone());
        Value::Object(object)
    }
}

/// The keys beside two references, as two schemas to compare at the place that refers. Where
/// one side writes a key the other does not, the other side's is what its target says of it:
/// `{$ref: X}` and `{allOf: [{$ref: X}], nullable: true}` differ in `nullable` only when `X`
/// itself is not nullable, and a description written beside a reference differs from none only
/// when the component's own says otherwise.
pub fn beside_both(
    (b, b_target): (&Reference<'_>, &Value),
    (a, a_target): (&Reference<'_>, &Value),
) -> (Value, Value) {
    let mut before = b.beside.clone();
    let mut after = a.beside.clone();
    let written: BTreeSet<&String> = b.beside.keys().chain(a.beside.keys()).collect();
    for key in written {
        for (side, target) in [(&mut before, b_target), (&mut after, a_target)] {
            if side.contains_key(key) {
                continue;
            }
            if let Some(value) = said_by(target, key) {
                side.insert(key.clone(), value);
            }
        }
    }
    (Value::Object(before), Value::Object(after))
}

/// What a schema says of `key`: its value, or for `nullable` also 3.1's `"null"` among its
/// types.
fn said_by(schema: &Value, key: &str) -> Option<Value> {
    if let Some(value) = schema.get(key) {
        return Some(value.clone());
    }
    (key == NULLABLE.name && is_nullable(schema)).then_some(Value::Bool(true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn beside(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn the_three_spellings_read_as_one_reference() {
        let x = "#/components/schemas/X";
        let plain = json!({"$ref": x});
        let plain = read(&plain).unwrap();
        assert_eq!(plain.target, x);
        assert!(plain.beside.is_empty());
        let with_siblings = json!({"$ref": x, "description": "d", "maxLength": 5});
        let with_siblings = read(&with_siblings).unwrap();
        assert_eq!(with_siblings.target, x);
        assert_eq!(
            with_siblings.beside,
            beside(json!({"description": "d", "maxLength": 5}))
        );
        let wrapped = json!({
            "allOf": [{"$ref": x, "description": "inner", "title": "T"}],
            "description": "outer",
            "nullable": true,
            "x-pii": true
        });
        let wrapped = read(&wrapped).unwrap();
        assert_eq!(wrapped.target, x);
        assert_eq!(
            wrapped.beside,
            beside(json!({"description": "outer", "title": "T", "nullable": true, "x-pii": true})),
            "the wrapper's keys over the wrapped reference's"
        );
        let nested = json!({"allOf": [{"allOf": [{"$ref": x}]}], "readOnly": true});
        assert_eq!(read(&nested).unwrap().target, x);
    }

    #[test]
    fn an_all_of_that_constrains_or_composes_is_no_reference() {
        let r = json!({"$ref": "#/components/schemas/X"});
        for composition in [
            json!({"allOf": [r, {"$ref": "#/components/schemas/Y"}]}),
            json!({"allOf": [r], "maxLength": 5}),
            json!({"allOf": [r], "type": "string"}),
            json!({"allOf": [r], "x-unknown": true}),
            json!({"allOf": [{"type": "string"}], "description": "d"}),
            json!({"allOf": []}),
            json!({"oneOf": [r]}),
            json!({"$ref": 5}),
            json!({"type": "string"}),
        ] {
            assert_eq!(read(&composition), None, "{composition}");
        }
    }

    #[test]
    fn a_key_only_one_side_writes_is_compared_with_what_the_other_sides_component_says() {
        let x = "#/components/schemas/X";
        let (plain, described) = (
            json!({"$ref": x}),
            json!({"$ref": x, "description": "d", "nullable": true}),
        );
        let (plain, described) = (read(&plain).unwrap(), read(&described).unwrap());
        let component = json!({"type": ["string", "null"], "description": "c", "maxLength": 3});
        let (b, a) = beside_both((&plain, &component), (&described, &component));
        assert_eq!(b, json!({"description": "c", "nullable": true}));
        assert_eq!(a, json!({"description": "d", "nullable": true}));
        let as_all_of = described.as_all_of();
        assert_eq!(read(&as_all_of), Some(described.clone()));
        assert_eq!(
            described.over(&component),
            json!({"type": ["string", "null"], "description": "d", "maxLength": 3, "nullable": true})
        );
    }
}
