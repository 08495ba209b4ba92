//! Checks a JSON value against an OpenAPI 3.0 schema object.
//!
//! One checker for everyone who holds JSON up to the spec: the codegen lint (documented
//! examples), the emulator (request bodies), the CLI (input files) and the tests (responses).
//!
//! Hand-written rather than a JSON Schema crate: OpenAPI 3.0 schemas are not JSON Schema
//! (`nullable`, boolean `exclusiveMinimum`), the subset the spec uses is small, and the xtask's
//! build time is part of every cold `cargo xtask codegen`. A keyword this checker does not know
//! is reported as a problem rather than skipped, so a silent pass cannot happen.
//!
//! Messages name the value's kind and length, never the value itself: the instance may be
//! personal data (a tax id, an email), and messages reach error bodies, terminals and logs.

use std::fmt;

use serde_json::{Map, Value};

use crate::conventions::{self, NULLABLE, READ_ONLY};
use crate::escape_token;

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

impl fmt::Display for Violation {
    /// `/address/zip: "940" is shorter than minLength 5`; the instance itself is `(root)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.instance.is_empty() {
            "(root)"
        } else {
            &self.instance
        };
        write!(f, "{at}: {}", self.message)
    }
}

/// Keywords that say nothing about validity.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "example",
    "default",
    READ_ONLY.name,
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
    NULLABLE.name,
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
    Checker {
        root,
        strict: false,
    }
    .check(schema_pointer, instance, "", &mut out);
    out
}

/// Like [`check`], and an object schema that declares `properties` but says nothing of
/// `additionalProperties` refuses any other property. For what a person wrote (an input file),
/// where an unknown property is far more likely a typo than an intent: a misspelt property
/// would otherwise be dropped without a word.
pub fn check_strict(root: &Value, schema_pointer: &str, instance: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    Checker { root, strict: true }.check(schema_pointer, instance, "", &mut out);
    out
}

/// Checks `instance` as a patch of the object schema at `schema_pointer`: an object whose
/// properties are each checked strictly ([`check_strict`]) against the schema's, none of them
/// required, and none that the schema does not declare. A `null` passes only where the property
/// is `nullable`: removing it must be allowed.
pub fn check_patch(root: &Value, schema_pointer: &str, instance: &Value) -> Vec<Violation> {
    let mut pointer = schema_pointer.to_owned();
    // Follow `$ref`s to the object schema itself.
    while let Some(target) = root
        .pointer(&pointer)
        .and_then(|s| s.get("$ref"))
        .and_then(Value::as_str)
        .and_then(|t| t.strip_prefix('#'))
    {
        pointer = target.to_owned();
    }
    let checker = Checker { root, strict: true };
    let mut out = Vec::new();
    let Value::Object(map) = instance else {
        out.push(Violation {
            instance: String::new(),
            schema: format!("{pointer}/type"),
            message: format!("expected object, found {}", describe(instance)),
        });
        return out;
    };
    let properties = root
        .pointer(&pointer)
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object);
    let required = root
        .pointer(&pointer)
        .and_then(|s| s.get("required"))
        .and_then(Value::as_array);
    for (name, value) in map {
        let at = format!("/{}", escape_token(name));
        if properties.is_some_and(|p| p.contains_key(name)) {
            let sub = format!("{pointer}/properties/{}", escape_token(name));
            // A patch need not give a required property, but cannot remove one.
            let removing = required
                .is_some_and(|r| r.iter().any(|n| n == name))
                .then(|| checker.removing_required(&sub, value, name, &at))
                .flatten();
            match removing {
                Some(v) => out.push(Violation {
                    schema: format!("{pointer}/required"),
                    ..v
                }),
                None => checker.check(&sub, value, &at, &mut out),
            }
        } else {
            out.push(Violation {
                instance: at,
                schema: format!("{pointer}/properties"),
                message: format!("the property `{name}` is not declared"),
            });
        }
    }
    out
}

struct Checker<'a> {
    root: &'a Value,
    strict: bool,
}

/// Where a check stands: the schema (and its pointer) and the instance's pointer.
struct Site<'s> {
    schema_ptr: &'s str,
    schema: &'s Map<String, Value>,
    at: &'s str,
}

impl Site<'_> {
    /// Records that the instance fails the schema's `keyword`.
    fn fail(&self, out: &mut Vec<Violation>, keyword: &str, message: String) {
        out.push(Violation {
            instance: self.at.to_owned(),
            schema: format!("{}/{keyword}", self.schema_ptr),
            message,
        });
    }

    fn get(&self, keyword: &str) -> Option<&Value> {
        self.schema.get(keyword)
    }

    fn count(&self, keyword: &str) -> Option<u64> {
        self.get(keyword).and_then(Value::as_u64)
    }
}

impl Checker<'_> {
    fn check(&self, schema_ptr: &str, instance: &Value, at: &str, out: &mut Vec<Violation>) {
        let Some(schema) = self.root.pointer(schema_ptr).and_then(Value::as_object) else {
            out.push(Violation {
                instance: at.to_owned(),
                schema: schema_ptr.to_owned(),
                message: "the schema is missing or not an object".into(),
            });
            return;
        };
        let site = Site {
            schema_ptr,
            schema,
            at,
        };
        if let Some(target) = schema.get("$ref") {
            // In OpenAPI 3.0 a `$ref` replaces its object: siblings are ignored.
            match target.as_str().and_then(|t| t.strip_prefix('#')) {
                Some(target) => return self.check(target, instance, at, out),
                None => return site.fail(out, "$ref", format!("cannot follow `$ref` {target}")),
            }
        }
        for key in schema.keys() {
            let key = key.as_str();
            if !ENFORCED.contains(&key)
                && !ANNOTATIONS.contains(&key)
                && !conventions::is_extension(key)
            {
                let message = format!("the schema checker does not support the keyword `{key}`");
                site.fail(out, &escape_token(key), message);
            }
        }

        if instance.is_null() && site.get(NULLABLE.name) == Some(&Value::Bool(true)) {
            return;
        }
        let before = out.len();
        if let Some(ty) = site.get("type").and_then(Value::as_str) {
            if !has_type(instance, ty) {
                let message = format!("expected {ty}, found {}", describe(instance));
                return site.fail(out, "type", message);
            }
        } else if instance.is_null() && !has_subschemas(schema) {
            // An untyped schema admits null only when it says `nullable`.
            let message = format!("null is not allowed (the schema is not {})", NULLABLE.name);
            return site.fail(out, NULLABLE.name, message);
        }
        check_format(&site, instance, out);
        check_enum(&site, instance, out);
        match instance {
            Value::String(s) => check_string(&site, s, out),
            Value::Number(_) => check_number(&site, instance, out),
            Value::Array(items) => self.check_array(&site, items, out),
            Value::Object(map) => self.check_object(&site, map, out),
            Value::Null | Value::Bool(_) => {}
        }
        if out.len() == before {
            self.check_combinators(&site, instance, out);
        }
    }

    fn check_array(&self, site: &Site<'_>, items: &[Value], out: &mut Vec<Violation>) {
        let n = items.len() as u64;
        if site.count("minItems").is_some_and(|min| n < min) {
            site.fail(
                out,
                "minItems",
                format!("{n} items are fewer than minItems"),
            );
        }
        if site.count("maxItems").is_some_and(|max| n > max) {
            site.fail(out, "maxItems", format!("{n} items are more than maxItems"));
        }
        if site.get("items").is_some() {
            let items_ptr = format!("{}/items", site.schema_ptr);
            for (i, item) in items.iter().enumerate() {
                self.check(&items_ptr, item, &format!("{}/{i}", site.at), out);
            }
        }
    }

    fn check_object(&self, site: &Site<'_>, map: &Map<String, Value>, out: &mut Vec<Violation>) {
        if let Some(Value::Array(required)) = site.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if !map.contains_key(name) {
                    site.fail(
                        out,
                        "required",
                        format!("the required property `{name}` is missing"),
                    );
                }
            }
        }
        let properties = site.get("properties").and_then(Value::as_object);
        let required = site.get("required").and_then(Value::as_array);
        for (name, value) in map {
            let child = format!("{}/{}", site.at, escape_token(name));
            if properties.is_some_and(|p| p.contains_key(name)) {
                let sub = format!("{}/properties/{}", site.schema_ptr, escape_token(name));
                let removing = required
                    .is_some_and(|r| r.iter().any(|n| n == name))
                    .then(|| self.removing_required(&sub, value, name, &child))
                    .flatten();
                if let Some(v) = removing {
                    out.push(Violation {
                        schema: format!("{}/required", site.schema_ptr),
                        ..v
                    });
                    continue;
                }
                self.check(&sub, value, &child, out);
                continue;
            }
            match site.get("additionalProperties") {
                Some(Value::Bool(false)) => out.push(Violation {
                    instance: child,
                    schema: format!("{}/additionalProperties", site.schema_ptr),
                    message: format!("the property `{name}` is not declared"),
                }),
                Some(Value::Object(_)) => {
                    let sub = format!("{}/additionalProperties", site.schema_ptr);
                    self.check(&sub, value, &child, out)
                }
                None if self.strict && properties.is_some() => out.push(Violation {
                    instance: child,
                    schema: format!("{}/properties", site.schema_ptr),
                    message: format!("the property `{name}` is not declared"),
                }),
                // Absent or `true`: any extra property is allowed, as in JSON Schema.
                _ => {}
            }
        }
    }

    /// A `null` for the required property `name` (schema at `schema_ptr`) that is not
    /// `nullable`: removing it is what the `null` asks, and the schema's `required` forbids, in
    /// those words rather than as a type error. The violation's `schema` is left to the caller.
    fn removing_required(
        &self,
        schema_ptr: &str,
        value: &Value,
        name: &str,
        at: &str,
    ) -> Option<Violation> {
        let schema = self.root.pointer(schema_ptr)?;
        let schema = match schema.get("$ref").and_then(Value::as_str) {
            Some(target) => self.root.pointer(target.strip_prefix('#')?)?,
            None => schema,
        };
        let nullable = schema.get(NULLABLE.name) == Some(&Value::Bool(true));
        (value.is_null() && !nullable).then(|| Violation {
            instance: at.to_owned(),
            schema: String::new(),
            message: format!("{name} is required and cannot be removed"),
        })
    }

    fn check_combinators(&self, site: &Site<'_>, v: &Value, out: &mut Vec<Violation>) {
        let subschemas = |key: &str| -> Vec<String> {
            let n = site.get(key).and_then(Value::as_array).map_or(0, Vec::len);
            (0..n)
                .map(|i| format!("{}/{key}/{i}", site.schema_ptr))
                .collect()
        };
        for sub in subschemas("allOf") {
            self.check(&sub, v, site.at, out);
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
                let message = format!(
                    "{} matches {matching} of the {} `{key}` schemas",
                    describe(v),
                    subs.len()
                );
                site.fail(out, key, message);
            }
        }
    }

    fn matches(&self, schema_ptr: &str, v: &Value) -> bool {
        let mut out = Vec::new();
        self.check(schema_ptr, v, "", &mut out);
        out.is_empty()
    }
}

fn check_format(site: &Site<'_>, v: &Value, out: &mut Vec<Violation>) {
    let range = match site.get("format").and_then(Value::as_str) {
        Some("int32") => i64::from(i32::MIN)..=i64::from(i32::MAX),
        Some("int64") => i64::MIN..=i64::MAX,
        // String formats are annotations in OpenAPI 3.0; the round-trip tests cover the ones
        // that change the Rust type.
        _ => return,
    };
    if let Value::Number(n) = v
        && !n.as_i64().is_some_and(|n| range.contains(&n))
    {
        site.fail(
            out,
            "format",
            "the number is out of range for its format".into(),
        );
    }
}

fn check_enum(site: &Site<'_>, v: &Value, out: &mut Vec<Violation>) {
    if let Some(Value::Array(allowed)) = site.get("enum")
        && !allowed.contains(v)
    {
        let message = format!(
            "{} is not one of {}",
            describe(v),
            Value::Array(allowed.clone())
        );
        site.fail(out, "enum", message);
    }
}

fn check_string(site: &Site<'_>, s: &str, out: &mut Vec<Violation>) {
    let len = s.chars().count() as u64;
    if let Some(min) = site.count("minLength")
        && len < min
    {
        site.fail(
            out,
            "minLength",
            format!("length {len} is below minLength {min}"),
        );
    }
    if let Some(max) = site.count("maxLength")
        && len > max
    {
        site.fail(
            out,
            "maxLength",
            format!("length {len} is above maxLength {max}"),
        );
    }
}

fn check_number(site: &Site<'_>, v: &Value, out: &mut Vec<Violation>) {
    let x = v.as_f64().unwrap_or(f64::NAN);
    let exclusive = |key| site.get(key) == Some(&Value::Bool(true));
    if let Some(min) = site.get("minimum").and_then(Value::as_f64)
        && (x < min || (exclusive("exclusiveMinimum") && x == min))
    {
        site.fail(
            out,
            "minimum",
            format!("the number is below the minimum {min}"),
        );
    }
    if let Some(max) = site.get("maximum").and_then(Value::as_f64)
        && (x > max || (exclusive("exclusiveMaximum") && x == max))
    {
        site.fail(
            out,
            "maximum",
            format!("the number is above the maximum {max}"),
        );
    }
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

/// The kind of a value, never the value: a violation can be about a tax id or an email, and
/// messages end up in error bodies, terminals and logs.
fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
