//! `x-known-values`, held to what its carriers need: every entry names a value the schema
//! allows, once, with a name that can become a constant of the generated type, and the schema
//! stays open (an integer schema with no `enum`).

use std::collections::HashMap;

use generated_code::module::constant_name;
use heck::ToUpperCamelCase;
use serde_json::Value;
use trustly_customers_spec::conventions::KNOWN_VALUES;
use trustly_customers_spec::facts::KNOWN_VALUE_KEYS;
use trustly_customers_spec::{escape_token, schema};

use super::{Problem, problem};

/// The list itself, as the row's value: a non-empty list of well-formed entries. Reports each
/// malformed entry; returns whether the value is a non-empty list at all.
pub(super) fn check_list(value: &Value, at: &str, problems: &mut Vec<Problem>) -> bool {
    let Some(entries) = value.as_array().filter(|list| !list.is_empty()) else {
        return false;
    };
    // Constant → the entry that named it first.
    let mut constants: HashMap<String, usize> = HashMap::new();
    for (i, entry) in entries.iter().enumerate() {
        let entry_at = format!("{at}/{i}");
        let Some(map) = entry.as_object() else {
            problem(problems, entry_at, entry_shape());
            continue;
        };
        for key in KNOWN_VALUE_KEYS {
            if !map.contains_key(key) {
                let message = format!("{}: the entry has no `{key}`", entry_shape());
                problem(problems, entry_at.clone(), message);
            }
        }
        for key in map
            .keys()
            .filter(|k| !KNOWN_VALUE_KEYS.contains(&k.as_str()))
        {
            let message = format!("{}, not `{key}`", entry_shape());
            problem(
                problems,
                format!("{entry_at}/{}", escape_token(key)),
                message,
            );
        }
        let [_, name_key, description_key] = KNOWN_VALUE_KEYS;
        if let Some(name) = map.get(name_key) {
            let name_at = format!("{entry_at}/{name_key}");
            match name.as_str().filter(|n| is_upper_camel_case(n)) {
                None => problem(
                    problems,
                    name_at,
                    format!(
                        "the `{name_key}` of a known value is a name in UpperCamelCase, such as \
                         `AccessControl`: it names the value's constant in the generated code"
                    ),
                ),
                Some(name) => match constants.get(&constant_name(name)) {
                    Some(first) => problem(
                        problems,
                        name_at,
                        format!(
                            "`{name}` gives the constant `{}`, already given by entry {first}",
                            constant_name(name)
                        ),
                    ),
                    None => {
                        constants.insert(constant_name(name), i);
                    }
                },
            }
        }
        if let Some(description) = map.get(description_key)
            && description.as_str().is_none_or(|d| d.trim().is_empty())
        {
            let message = format!(
                "the `{description_key}` of a known value is a text saying what it means: it \
                 documents the value's constant"
            );
            problem(problems, format!("{entry_at}/{description_key}"), message);
        }
    }
    true
}

fn entry_shape() -> String {
    let [value, name, description] = KNOWN_VALUE_KEYS;
    format!(
        "each entry of `{}` is a map of `{value}`, `{name}` and `{description}`",
        KNOWN_VALUES.name
    )
}

/// `AccessControl`: ASCII letters and digits, starting with a capital, as heck would write it
/// (so `ACCESS`, `Access_control` and `accessControl` are not).
fn is_upper_camel_case(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.bytes().all(|b| b.is_ascii_alphanumeric())
        && name.to_upper_camel_case() == name
}

/// The schemas that carry the list: integer schemas with no `enum`, whose every known value is
/// one they allow, and named once.
pub(super) fn check_schemas(doc: &Value, problems: &mut Vec<Problem>) {
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (name, schema) in schemas.into_iter().flatten() {
        let Some(entries) = schema.get(KNOWN_VALUES.name).and_then(Value::as_array) else {
            continue;
        };
        let schema_at = format!("/components/schemas/{}", escape_token(name));
        let list_at = format!("{schema_at}/{}", KNOWN_VALUES.name);
        let ty = schema.get("type").and_then(Value::as_str);
        if ty != Some("integer") {
            let this = ty.map_or("has no `type`".to_owned(), |ty| format!("is a {ty}"));
            let message = format!(
                "`{}` stands on an integer schema, and `{name}` {this}: its values become \
                 constants of the generated type, and a Rust constant cannot hold a `String`",
                KNOWN_VALUES.name
            );
            problem(problems, list_at.clone(), message);
        }
        if schema.get("enum").is_some() {
            let message = format!(
                "`enum` beside `{}` closes the schema: a value the API adds would no longer \
                 decode. Known values keep it open; leave `enum` out",
                KNOWN_VALUES.name
            );
            problem(problems, format!("{schema_at}/enum"), message);
        }
        let value_key = KNOWN_VALUE_KEYS[0];
        // Value → the entry that named it first.
        let mut seen: Vec<(&Value, usize)> = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let Some(value) = entry.get(value_key) else {
                continue; // reported by `check_list`
            };
            let value_at = format!("{list_at}/{i}/{value_key}");
            if let Some(violation) = schema::check(doc, &schema_at, value).into_iter().next() {
                let message = format!(
                    "a known value must be one the schema allows: {}",
                    violation.message
                );
                problem(problems, value_at, message);
            } else if let Some((_, first)) = seen.iter().find(|(v, _)| *v == value) {
                let message = format!("the value {value} is named already, by entry {first}");
                problem(problems, value_at, message);
            } else {
                seen.push((value, i));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_upper_camel_case() {
        for good in ["AccessControl", "A", "Http2", "NotEnoughBalance"] {
            assert!(is_upper_camel_case(good), "{good}");
        }
        for bad in [
            "",
            "accessControl",
            "ACCESS",
            "Access_control",
            "Access control",
            "HTTPError",
            "2Fa",
            "Élan",
        ] {
            assert!(!is_upper_camel_case(bad), "{bad}");
        }
    }
}
