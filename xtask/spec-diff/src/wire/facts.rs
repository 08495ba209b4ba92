//! What a schema (or any object of the document) says, read the same way for both documents.
//!
//! Each reader takes OpenAPI 3.0's form and 3.1's where they differ: `type` may be a list, and
//! `"null"` in it is 3.0's `nullable: true`; `const` is a list of one value.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use trustly_customers_spec::conventions::{NULLABLE, is_extension};

/// Schema keywords that are text only: a change of one is documentation. `examples` (a list)
/// and `$comment` are 3.1's.
pub const DOC_KEYWORDS: [&str; 8] = [
    "description",
    "title",
    "example",
    "examples",
    "$comment",
    "externalDocs",
    "deprecated",
    "xml",
];

/// The JSON types a schema admits besides `null`, or `None` for any. `integer` is a part of
/// `number`, so `number` is both `integer` and `fraction`. From `type` (a name or a list), else
/// from the typed branches of a `oneOf` or `anyOf`.
pub fn type_set(v: &Value) -> Option<BTreeSet<&'static str>> {
    if let Some(names) = type_names(v) {
        return Some(names.iter().flat_map(|t| atoms(t)).copied().collect());
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = v.get(key).and_then(Value::as_array) {
            let mut out = BTreeSet::new();
            for branch in branches {
                let names = type_names(branch)?;
                out.extend(names.iter().flat_map(|t| atoms(t)).copied());
            }
            return Some(out);
        }
    }
    None
}

/// The JSON types a schema admits, as written: `string or integer`, `any`.
pub fn type_text(v: &Value) -> String {
    if let Some(names) = type_names(v) {
        return names.join(" or ");
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = v.get(key).and_then(Value::as_array) {
            let names: Option<Vec<String>> = branches
                .iter()
                .map(|b| type_names(b).map(|n| n.join(" or ")))
                .collect();
            if let Some(names) = names {
                return names.join(" or ");
            }
        }
    }
    "any".to_owned()
}

/// Whether a schema says its types itself (`type`) rather than through branches.
pub fn has_type(v: &Value) -> bool {
    v.get("type").is_some()
}

/// The names in `type` other than `"null"`: `type: string` or `type: [string, "null"]`.
fn type_names(v: &Value) -> Option<Vec<&str>> {
    match v.get("type")? {
        Value::String(t) => Some(vec![t.as_str()]),
        Value::Array(list) => Some(
            list.iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect(),
        ),
        _ => None,
    }
}

fn atoms(t: &str) -> &'static [&'static str] {
    match t {
        "number" => &["integer", "fraction"],
        "integer" => &["integer"],
        "string" => &["string"],
        "boolean" => &["boolean"],
        "array" => &["array"],
        "object" => &["object"],
        _ => &["unknown"],
    }
}

/// Whether `null` is valid: `nullable: true` (3.0), or `"null"` in a `type` list (3.1).
pub fn is_nullable(v: &Value) -> bool {
    is_true(v, NULLABLE.name)
        || v.get("type")
            .and_then(Value::as_array)
            .is_some_and(|l| l.iter().any(|t| t == "null"))
}

/// The keyword that says a schema's nullability: `nullable`, or `type` for a 3.1 list.
pub fn nullable_keyword(b: &Value, a: &Value) -> &'static str {
    if b.get(NULLABLE.name).is_some() || a.get(NULLABLE.name).is_some() {
        NULLABLE.name
    } else {
        "type"
    }
}

/// The values a schema is limited to (`enum`, or `const` as one value), with the keyword.
pub fn values(v: &Value) -> Option<(Vec<Value>, &'static str)> {
    if let Some(list) = v.get("enum").and_then(Value::as_array) {
        return Some((list.clone(), "enum"));
    }
    v.get("const").map(|c| (vec![c.clone()], "const"))
}

/// Whether `key` of `v` is `true`.
pub fn is_true(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// The names an object schema's `required` lists.
pub fn required_names(v: &Value) -> BTreeSet<String> {
    v.get("required")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether an object schema's `required` lists `name`.
pub fn is_required(v: &Value, name: &str) -> bool {
    v.get("required")
        .and_then(Value::as_array)
        .is_some_and(|l| l.iter().any(|x| x.as_str() == Some(name)))
}

/// The object at `key` of `v`, or an empty one when there is none.
pub fn object<'v>(v: &'v Value, key: &str) -> &'v Map<String, Value> {
    v.get(key).and_then(Value::as_object).unwrap_or(empty_map())
}

/// An empty object, for a missing map.
pub fn empty_map() -> &'static Map<String, Value> {
    static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
    &EMPTY
}

/// The keys of either object.
pub fn keys(b: &Value, a: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for v in [b, a] {
        if let Some(m) = v.as_object() {
            out.extend(m.keys().cloned());
        }
    }
    out
}

/// An object without its description and `x-` keys: what a security scheme means.
pub fn without_docs(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| k.as_str() != "description" && !is_extension(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `old → new`, each in one short line (`absent` for a missing value).
pub fn from_to(before: Option<&Value>, after: Option<&Value>) -> String {
    format!("{} → {}", short(before), short(after))
}

/// A value in one short line.
pub fn short(v: Option<&Value>) -> String {
    match v {
        None => "absent".to_owned(),
        Some(v) => {
            let text = compact(v);
            if text.chars().count() > 60 {
                let cut: String = text.chars().take(57).collect();
                format!("{cut}...")
            } else {
                text
            }
        }
    }
}

/// A value as JSON on one line; a string quoted.
pub fn compact(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}
