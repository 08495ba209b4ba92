//! A value for any schema of the spec, with every property set: for tests that must cover
//! every property the spec declares, whatever it declares (a property added to the spec is in
//! the sample at once).

use serde_json::{Map, Value, json};

use crate::facts;

/// A value that satisfies `schema` (of the document `doc`): every property of every object
/// set, optional ones included, and every string and integer distinct from the others, so a
/// test can tell where each one went. Strings read `"v<n>-<where>"` (padded to their
/// `minLength`); integers are milliseconds in 2019, valid as timestamps too.
pub fn sample(doc: &Value, schema: &Value) -> Value {
    let mut counter = 0;
    value(doc, schema, "", &mut counter)
}

fn value(doc: &Value, schema: &Value, at: &str, counter: &mut u32) -> Value {
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        return match doc.pointer(target.trim_start_matches('#')) {
            Some(resolved) => value(doc, resolved, at, counter),
            None => Value::Null,
        };
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(first) = schema
            .get(key)
            .and_then(Value::as_array)
            .and_then(|l| l.first())
        {
            return value(doc, first, at, counter);
        }
    }
    let mut next = || {
        *counter += 1;
        *counter
    };
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => {
            let n = next();
            let mut text = format!("v{n}-{}", at.trim_start_matches('/').replace('/', "-"));
            let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
            while text.chars().count() < min {
                text.push('x');
            }
            Value::String(text)
        }
        Some("integer") => json!(1_546_300_800_000_i64 + i64::from(next()) * 1000),
        Some("number") => json!(f64::from(next()) + 0.5),
        Some("boolean") => Value::Bool(next() % 2 == 0),
        Some("array") => match schema.get("items") {
            Some(items) => Value::Array(vec![value(doc, items, &format!("{at}/0"), counter)]),
            None => Value::Array(Vec::new()),
        },
        _ => {
            let props = facts::properties(doc, schema);
            let mut object = Map::new();
            for prop in props {
                let child = format!("{at}/{}", prop.name);
                object.insert(
                    prop.name.to_owned(),
                    value(doc, prop.schema, &child, counter),
                );
            }
            if object.is_empty() && schema.get("additionalProperties").is_some() {
                *counter += 1;
                let entry = format!("v{}-{}-entry", *counter, at.trim_start_matches('/'));
                object.insert("key".into(), Value::String(entry));
            }
            Value::Object(object)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_property_is_set_and_every_value_is_distinct() {
        let doc = json!({"components": {"schemas": {
            "Id": {"type": "string", "minLength": 12},
            "Thing": {"type": "object", "required": ["a"], "properties": {
                "a": {"type": "string"},
                "b": {"allOf": [{"$ref": "#/components/schemas/Id"}], "nullable": true},
                "c": {"type": "array", "items": {"type": "integer"}},
                "d": {"type": "object", "additionalProperties": true},
                "e": {"oneOf": [{"type": "string"}, {"type": "integer"}]}
            }}
        }}});
        let thing = sample(&doc, &doc["components"]["schemas"]["Thing"]);
        assert_eq!(thing["a"], "v1-a");
        assert_eq!(thing["b"], "v2-bxxxxxxxx", "padded to its minLength");
        assert_eq!(thing["c"], json!([1_546_300_803_000_i64]));
        assert_eq!(thing["e"], "v5-e");
        assert_eq!(thing["d"], json!({"key": "v4-d-entry"}));
        let violations = crate::schema::check(&doc, "/components/schemas/Thing", &thing);
        assert!(violations.is_empty(), "{violations:?}");
    }
}
