//! Deliberate deviations from the generator's defaults: each a named, commented function, each
//! with a test in `tests/tests/deviations.rs` that fails once the deviation no longer applies.

use progenitor_impl::GenerationSettings;
use schemars08::schema::{InstanceType, SchemaObject, SingleOrVec, StringValidation};
use serde_json::Value;
use trustly_customers_spec::conventions::{self, NULLABLE};

/// Applies every deviation to `settings`, for the spec `doc`.
pub fn apply(settings: &mut GenerationSettings, doc: &Value) {
    lenient_string_lengths(settings, doc);
    timestamps_as_points_in_time(settings, doc);
}

/// The spec's `Timestamp` schema (epoch milliseconds) generates as `crate::Timestamp`, a point
/// in time that reads and writes epoch milliseconds and prints as RFC 3339, rather than a bare
/// `i64`.
///
/// Left alone, the generator has no way to know an `int64` is a point in time: every
/// `createdAt` would be a number a caller must convert, and could mistake for seconds.
pub fn timestamps_as_points_in_time(settings: &mut GenerationSettings, doc: &Value) {
    if doc.pointer("/components/schemas/Timestamp").is_some() {
        settings.with_replacement(
            "Timestamp",
            "crate::Timestamp",
            [progenitor_impl::TypeImpl::Display].into_iter(),
        );
    }
}

/// Strings with `minLength`/`maxLength` generate as plain `String`.
///
/// By default the generator wraps each length-bounded string in a newtype that validates on
/// deserialization (`AddressZip`, `CustomerName`, ...). For responses that is wrong here: the
/// bounds come from one of Trustly's sources only, and a client must not refuse to read a
/// customer the API returned because its zip has four characters. The bounds stay in the spec,
/// where the lint checks the examples against them and request validators can use them.
///
/// The generator matches a conversion by the exact schema (its description aside, its
/// extensions such as `x-pii` included), so one is registered for each distinct (bounds,
/// nullable, extensions) combination that occurs in the spec.
pub fn lenient_string_lengths(settings: &mut GenerationSettings, doc: &Value) {
    let mut found: Vec<BoundedString> = Vec::new();
    collect_bounded_strings(doc, &mut found);
    found.sort_unstable_by_key(|b| format!("{b:?}"));
    found.dedup();
    for (min_length, max_length, nullable, extensions) in found {
        let instance_type: SingleOrVec<InstanceType> = if nullable {
            vec![InstanceType::String, InstanceType::Null].into()
        } else {
            InstanceType::String.into()
        };
        let schema = SchemaObject {
            instance_type: Some(instance_type),
            string: Some(Box::new(StringValidation {
                min_length,
                max_length,
                pattern: None,
            })),
            extensions: extensions.into_iter().collect(),
            ..SchemaObject::default()
        };
        settings.with_conversion(schema, "::std::string::String", std::iter::empty());
    }
}

/// A length-bounded string schema as the generator compares it: minLength, maxLength,
/// nullable, and its `x-` extensions.
type BoundedString = (Option<u32>, Option<u32>, bool, Vec<(String, Value)>);

/// Finds every `type: string` schema bounded only by length (no pattern, format or enum, which
/// keep their generated types).
fn collect_bounded_strings(node: &Value, found: &mut Vec<BoundedString>) {
    match node {
        Value::Object(map) => {
            let bound = |key: &str| {
                map.get(key)
                    .and_then(Value::as_u64)
                    .and_then(|n| u32::try_from(n).ok())
            };
            let (min, max) = (bound("minLength"), bound("maxLength"));
            let plain = ["pattern", "format", "enum"]
                .iter()
                .all(|k| !map.contains_key(*k));
            if map.get("type").and_then(Value::as_str) == Some("string")
                && plain
                && (min.is_some() || max.is_some())
            {
                let nullable = map.get(NULLABLE.name) == Some(&Value::Bool(true));
                let extensions = map
                    .iter()
                    .filter(|(k, _)| conventions::is_extension(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                found.push((min, max, nullable, extensions));
            }
            map.values().for_each(|v| collect_bounded_strings(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_bounded_strings(v, found)),
        _ => {}
    }
}
