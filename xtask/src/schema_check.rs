//! Checks a JSON value against an OpenAPI 3.0 schema object, for the lint's example check.
//!
//! Hand-written rather than a JSON Schema crate: OpenAPI 3.0 schemas are not JSON Schema
//! (`nullable`, boolean `exclusiveMinimum`), the subset the spec uses is small, and the xtask's
//! build time is part of every cold `cargo xtask codegen`. A keyword this checker does not know
//! is reported as a problem rather than skipped, so a silent pass cannot happen.

use serde_json::{Map, Value};

use crate::spec::escape_token;

/// One way an instance fails its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer into the instance (`""` is the instance itself).
    pub instance: String,
    /// JSON pointer of the schema that was not met, from the document root.
    pub schema: String,
    /// What is wrong.
    pub message: String,
}

/// Keywords that say nothing about validity.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "example",
    "default",
    "readOnly",
    "writeOnly",
    "deprecated",
    "externalDocs",
    "xml",
    "discriminator",
];

/// Keywords this checker enforces.
const ENFORCED: &[&str] = &[
    "$ref",
    "type",
    "nullable",
    "format",
    "enum",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "allOf",
    "oneOf",
    "anyOf",
];

/// Checks `instance` against the schema at `schema_pointer` in `root`, returning every violation.
pub fn check(root: &Value, schema_pointer: &str, instance: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    Checker { root }.check(schema_pointer, instance, "", &mut out);
    out
}

struct Checker<'a> {
    root: &'a Value,
}

impl Checker<'_> {
    fn check(&self, schema_ptr: &str, instance: &Value, at: &str, out: &mut Vec<Violation>) {
        let fail = |out: &mut Vec<Violation>, schema: &str, message: String| {
            push(out, at, schema.to_owned(), message)
        };
        let Some(schema) = self.root.pointer(schema_ptr).and_then(Value::as_object) else {
            return fail(
                out,
                schema_ptr,
                "the schema is missing or not an object".into(),
            );
        };
        if let Some(target) = schema.get("$ref") {
            // In OpenAPI 3.0 a `$ref` replaces its object: siblings are ignored.
            match target.as_str().and_then(|t| t.strip_prefix('#')) {
                Some(target) => return self.check(target, instance, at, out),
                None => return fail(out, schema_ptr, format!("cannot follow `$ref` {target}")),
            }
        }
        for key in schema.keys() {
            if !ENFORCED.contains(&key.as_str())
                && !ANNOTATIONS.contains(&key.as_str())
                && !key.starts_with("x-")
            {
                let message = format!("the example check does not support the keyword `{key}`");
                fail(out, &format!("{schema_ptr}/{}", escape_token(key)), message);
            }
        }

        if instance.is_null() && schema.get("nullable") == Some(&Value::Bool(true)) {
            return;
        }
        let before = out.len();
        if let Some(ty) = schema.get("type").and_then(Value::as_str) {
            if !has_type(instance, ty) {
                let message = format!("expected {ty}, found {}", describe(instance));
                return fail(out, &format!("{schema_ptr}/type"), message);
            }
        } else if instance.is_null() && !has_subschemas(schema) {
            // An untyped schema admits null only when it says `nullable`.
            return fail(
                out,
                schema_ptr,
                "null is not allowed (the schema is not nullable)".into(),
            );
        }
        self.check_format(schema_ptr, schema, instance, at, out);
        self.check_enum(schema_ptr, schema, instance, at, out);
        match instance {
            Value::String(s) => self.check_string(schema_ptr, schema, s, at, out),
            Value::Number(_) => self.check_number(schema_ptr, schema, instance, at, out),
            Value::Array(items) => self.check_array(schema_ptr, schema, items, at, out),
            Value::Object(map) => self.check_object(schema_ptr, schema, map, at, out),
            Value::Null | Value::Bool(_) => {}
        }
        if out.len() == before {
            self.check_combinators(schema_ptr, schema, instance, at, out);
        }
    }

    fn check_format(
        &self,
        ptr: &str,
        schema: &Map<String, Value>,
        v: &Value,
        at: &str,
        out: &mut Vec<Violation>,
    ) {
        let range = match schema.get("format").and_then(Value::as_str) {
            Some("int32") => i64::from(i32::MIN)..=i64::from(i32::MAX),
            Some("int64") => i64::MIN..=i64::MAX,
            // String formats are annotations in OpenAPI 3.0; the round-trip tests cover the ones
            // that change the Rust type.
            _ => return,
        };
        if let Value::Number(n) = v
            && !n.as_i64().is_some_and(|n| range.contains(&n))
        {
            push(
                out,
                at,
                format!("{ptr}/format"),
                format!("{n} is out of range for its format"),
            );
        }
    }

    fn check_enum(
        &self,
        ptr: &str,
        schema: &Map<String, Value>,
        v: &Value,
        at: &str,
        out: &mut Vec<Violation>,
    ) {
        if let Some(Value::Array(allowed)) = schema.get("enum")
            && !allowed.contains(v)
        {
            push(
                out,
                at,
                format!("{ptr}/enum"),
                format!("{v} is not one of {}", Value::Array(allowed.clone())),
            );
        }
    }

    fn check_string(
        &self,
        ptr: &str,
        schema: &Map<String, Value>,
        s: &str,
        at: &str,
        out: &mut Vec<Violation>,
    ) {
        let len = s.chars().count() as u64;
        if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
            && len < min
        {
            push(
                out,
                at,
                format!("{ptr}/minLength"),
                format!("{s:?} is shorter than minLength {min}"),
            );
        }
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
            && len > max
        {
            push(
                out,
                at,
                format!("{ptr}/maxLength"),
                format!("{s:?} is longer than maxLength {max}"),
            );
        }
    }

    fn check_number(
        &self,
        ptr: &str,
        schema: &Map<String, Value>,
        v: &Value,
        at: &str,
        out: &mut Vec<Violation>,
    ) {
        let x = v.as_f64().unwrap_or(f64::NAN);
        let exclusive = |key| schema.get(key) == Some(&Value::Bool(true));
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
            && (x < min || (exclusive("exclusiveMinimum") && x == min))
        {
            push(
                out,
                at,
                format!("{ptr}/minimum"),
                format!("{v} is below the minimum {min}"),
            );
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
            && (x > max || (exclusive("exclusiveMaximum") && x == max))
        {
            push(
                out,
                at,
                format!("{ptr}/maximum"),
                format!("{v} is above the maximum {max}"),
            );
        }
    }

    fn check_array(
        &self,
        ptr: &str,
        schema: &Map<String, Value>,
        items: &[Value],
        at: &str,
        out: &mut Vec<Violation>,
    ) {
        let n = items.len() as u64;
        if schema
            .get("minItems")
            .and_then(Value::as_u64)
            .is_some_and(|min| n < min)
        {
            push(
                out,
                at,
                format!("{ptr}/minItems"),
                format!("{n} items are fewer than minItems"),
            );
        }
        if schema
            .get("maxItems")
            .and_then(Value::as_u64)
            .is_some_and(|max| n > max)
        {
            push(
                out,
                at,
                format!("{ptr}/maxItems"),
                format!("{n} items are more than maxItems"),
            );
        }
        if schema.contains_key("items") {
            for (i, item) in items.iter().enumerate() {
                self.check(&format!("{ptr}/items"), item, &format!("{at}/{i}"), out);
            }
        }
    }

    fn check_object(
        &self,
        ptr: &str,
        schema: &Map<String, Value>,
        map: &Map<String, Value>,
        at: &str,
        out: &mut Vec<Violation>,
    ) {
        let properties = schema.get("properties").and_then(Value::as_object);
        if let Some(Value::Array(required)) = schema.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if !map.contains_key(name) {
                    push(
                        out,
                        at,
                        format!("{ptr}/required"),
                        format!("the required property `{name}` is missing"),
                    );
                }
            }
        }
        for (name, value) in map {
            let child = format!("{at}/{}", escape_token(name));
            if properties.is_some_and(|p| p.contains_key(name)) {
                let sub = format!("{ptr}/properties/{}", escape_token(name));
                self.check(&sub, value, &child, out);
                continue;
            }
            match schema.get("additionalProperties") {
                Some(Value::Bool(false)) => push(
                    out,
                    &child,
                    format!("{ptr}/additionalProperties"),
                    format!("the property `{name}` is not declared"),
                ),
                Some(Value::Object(_)) => {
                    self.check(&format!("{ptr}/additionalProperties"), value, &child, out)
                }
                // Absent or `true`: any extra property is allowed, as in JSON Schema.
                _ => {}
            }
        }
    }

    fn check_combinators(
        &self,
        ptr: &str,
        schema: &Map<String, Value>,
        v: &Value,
        at: &str,
        out: &mut Vec<Violation>,
    ) {
        let subschemas = |key: &str| -> Vec<String> {
            let n = schema
                .get(key)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            (0..n).map(|i| format!("{ptr}/{key}/{i}")).collect()
        };
        for sub in subschemas("allOf") {
            self.check(&sub, v, at, out);
        }
        for (key, exactly_one) in [("oneOf", true), ("anyOf", false)] {
            let subs = subschemas(key);
            if subs.is_empty() {
                continue;
            }
            let matching = subs.iter().filter(|sub| self.matches(sub, v)).count();
            let ok = if exactly_one {
                matching == 1
            } else {
                matching >= 1
            };
            if !ok {
                push(
                    out,
                    at,
                    format!("{ptr}/{key}"),
                    format!(
                        "{v} matches {matching} of the {} `{key}` schemas",
                        subs.len()
                    ),
                );
            }
        }
    }

    fn matches(&self, schema_ptr: &str, v: &Value) -> bool {
        let mut out = Vec::new();
        self.check(schema_ptr, v, "", &mut out);
        out.is_empty()
    }
}

fn push(out: &mut Vec<Violation>, at: &str, schema: String, message: String) {
    out.push(Violation {
        instance: at.to_owned(),
        schema,
        message,
    });
}

fn has_subschemas(schema: &Map<String, Value>) -> bool {
    ["allOf", "oneOf", "anyOf"]
        .iter()
        .any(|k| schema.contains_key(*k))
}

fn has_type(v: &Value, ty: &str) -> bool {
    match ty {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}
