//! The generated Rust types agree with the spec they came from: same properties, required lists
//! and types (compared through each type's JSON Schema), and every example in the spec survives a
//! trip through them.

use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Value, json};
use trustly_customers_api::types;

type RoundTrip = fn(&Value) -> Result<Value, String>;

fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

/// Every component schema of the spec, with the generated type that stands for it. A component
/// missing here fails `every_component_has_a_generated_type`.
fn generated_types() -> Vec<(&'static str, Value, RoundTrip)> {
    macro_rules! entry {
        ($name:literal, $ty:ty) => {
            (
                $name,
                schemars::schema_for!($ty).to_value(),
                round_trip::<$ty> as RoundTrip,
            )
        };
    }
    vec![
        entry!("Address", types::Address),
        entry!("CustomData", types::CustomData),
        entry!("Customer", types::Customer),
        entry!("CustomerList", types::CustomerList),
        entry!("CustomerResponse", types::CustomerResponse),
        entry!("CustomerUpdate", types::CustomerUpdate),
        entry!("DriverLicense", types::DriverLicense),
        entry!("ErrorBody", types::ErrorBody),
        entry!("ErrorDetail", types::ErrorDetail),
        entry!("Vip", types::Vip),
    ]
}

fn components(spec: &Value) -> &serde_json::Map<String, Value> {
    spec["components"]["schemas"]
        .as_object()
        .expect("the spec has component schemas")
}

#[test]
fn every_component_has_a_generated_type() {
    let spec = workspace_tests::spec_json();
    let mut in_spec: Vec<&str> = components(&spec).keys().map(String::as_str).collect();
    let mut here: Vec<&str> = generated_types().iter().map(|(name, _, _)| *name).collect();
    in_spec.sort();
    here.sort();
    assert_eq!(
        in_spec, here,
        "add new component schemas to generated_types()"
    );
}

/// A schema reduced to what both sides must agree on: its kind and whether null is allowed.
#[derive(Debug, PartialEq, Eq)]
struct Shape {
    kind: String,
    nullable: bool,
}

/// The shape of an OpenAPI 3.0 schema from the spec.
fn spec_shape(schema: &Value) -> Shape {
    let nullable = schema.get("nullable") == Some(&Value::Bool(true));
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        return Shape {
            kind: format!("ref:{}", target.rsplit('/').next().unwrap()),
            nullable: false,
        };
    }
    if let Some([single]) = schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        return Shape {
            nullable,
            ..spec_shape(single)
        };
    }
    if let Some(members) = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
    {
        let mut kinds: Vec<String> = members.iter().map(|m| spec_shape(m).kind).collect();
        kinds.sort();
        return Shape {
            kind: format!("union[{}]", kinds.join(",")),
            nullable,
        };
    }
    let kind = match schema["type"].as_str() {
        Some("array") => format!("array<{}>", spec_shape(&schema["items"]).kind),
        Some(other) => other.to_owned(),
        None => "any".into(),
    };
    Shape { kind, nullable }
}

/// The shape of a JSON Schema that schemars derived from a generated type.
fn rust_shape(schema: &Value) -> Shape {
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        return Shape {
            kind: format!("ref:{}", target.rsplit('/').next().unwrap()),
            nullable: false,
        };
    }
    if let Some(members) = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array)
    {
        let is_null = |m: &Value| m.get("type") == Some(&json!("null"));
        let rest: Vec<&Value> = members.iter().filter(|m| !is_null(m)).collect();
        let nullable = rest.len() < members.len();
        if let [single] = rest.as_slice() {
            return Shape {
                nullable,
                ..rust_shape(single)
            };
        }
        let mut kinds: Vec<String> = rest.iter().map(|m| rust_shape(m).kind).collect();
        kinds.sort();
        return Shape {
            kind: format!("union[{}]", kinds.join(",")),
            nullable,
        };
    }
    let (ty, nullable) = match &schema["type"] {
        Value::String(t) => (t.clone(), false),
        Value::Array(types) => {
            let rest: Vec<&str> = types
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect();
            (rest.join(","), rest.len() < types.len())
        }
        _ => ("any".into(), false),
    };
    let kind = if ty == "array" {
        format!("array<{}>", rust_shape(&schema["items"]).kind)
    } else {
        ty
    };
    Shape { kind, nullable }
}

fn sorted_strings(value: Option<&Value>) -> Vec<String> {
    let mut out: Vec<String> = value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    out.sort();
    out
}

#[test]
fn generated_types_match_the_spec_schemas() {
    let spec = workspace_tests::spec_json();
    let mut drift = Vec::new();
    for (name, rust, _) in generated_types() {
        let declared = &components(&spec)[name];
        let Some(spec_props) = declared.get("properties").and_then(Value::as_object) else {
            // Not an object with properties: compare the schema as a whole.
            let (want, got) = (spec_shape(declared), rust_shape(&rust));
            if want.kind != got.kind {
                drift.push(format!(
                    "{name}: spec says {want:?}, the Rust type says {got:?}"
                ));
            }
            continue;
        };
        let rust_props = rust["properties"].as_object().cloned().unwrap_or_default();
        let mut spec_names: Vec<&String> = spec_props.keys().collect();
        let mut rust_names: Vec<&String> = rust_props.keys().collect();
        spec_names.sort();
        rust_names.sort();
        if spec_names != rust_names {
            drift.push(format!(
                "{name}: properties differ: spec {spec_names:?}, Rust {rust_names:?}"
            ));
        }
        let required = sorted_strings(declared.get("required"));
        if required != sorted_strings(rust.get("required")) {
            drift.push(format!(
                "{name}: required differs: spec {required:?}, Rust {:?}",
                sorted_strings(rust.get("required"))
            ));
        }
        for (prop, spec_schema) in spec_props {
            let Some(rust_schema) = rust_props.get(prop) else {
                continue;
            };
            let want = spec_shape(spec_schema);
            let got = rust_shape(rust_schema);
            // The Rust type admits null (is an Option) exactly when the spec lets the property be
            // absent or null.
            let may_be_absent_or_null = want.nullable || !required.contains(prop);
            if want.kind != got.kind || may_be_absent_or_null != got.nullable {
                drift.push(format!(
                    "{name}.{prop}: spec {} (absent or null allowed: {may_be_absent_or_null}), Rust {} (Option: {})",
                    want.kind, got.kind, got.nullable
                ));
            }
        }
    }
    assert!(
        drift.is_empty(),
        "the generated types drifted from the spec:\n{}",
        drift.join("\n")
    );
}

/// Properties whose value is `null`, removed at any depth. The generated types read `null` and
/// absent alike (an `Option`), so they write such a property back as absent.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

#[test]
fn every_spec_example_round_trips_through_the_generated_types() {
    let spec = workspace_tests::spec_json();
    let examples = workspace_tests::spec_examples(&spec);
    assert!(
        examples.len() >= 8,
        "expected the documented examples, found {}",
        examples.len()
    );
    let table = generated_types();
    let mut failures = Vec::new();
    for (pointer, component, example) in &examples {
        let (_, _, trip) = table
            .iter()
            .find(|(name, _, _)| name == component)
            .expect("every component is listed");
        match trip(example) {
            Ok(back) if back == without_nulls(example) => {}
            Ok(back) => failures.push(format!("{pointer} ({component}): came back as {back}")),
            Err(e) => failures.push(format!(
                "{pointer} ({component}): does not deserialize: {e}"
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "examples that do not round-trip:\n{}",
        failures.join("\n")
    );
}

/// The gap the hand-written crate exists to close, pinned so a generator change that closes it
/// is noticed: an explicit `null` ("remove this property") cannot survive the generated types.
#[test]
fn generated_types_cannot_send_an_explicit_null() {
    let patch = json!({ "taxId": null, "phone": "+16505550000" });
    let typed: types::CustomerUpdate = serde_json::from_value(patch).unwrap();
    assert_eq!(typed.tax_id, None);
    assert_eq!(
        serde_json::to_value(&typed).unwrap(),
        json!({ "phone": "+16505550000" })
    );
}

#[test]
fn responses_stay_lenient_where_the_api_is_loosely_specified() {
    let customer = json!({
        "name": "A", "phone": "1", "email": "a@b.c",
        "address": { "country": "CA", "zip": "K1A" },      // shorter than the spec's minLength 5
        "dateOfBirth": "19/04/1990",                         // no format is documented
        "vip": 2,                                            // documented as a string, sent as a number
        "futureField": { "added": "later" },                 // unknown properties are ignored
        "taxId": null,                                       // null reads as absent
    });
    let parsed: types::Customer =
        serde_json::from_value(customer).expect("a loose but real response parses");
    assert_eq!(parsed.address.zip.as_deref(), Some("K1A"));
    assert_eq!(parsed.date_of_birth.as_deref(), Some("19/04/1990"));
    assert_eq!(parsed.vip, Some(types::Vip::Int64(2)));
    assert_eq!(parsed.tax_id, None);
    let vip: types::Vip = serde_json::from_value(json!("2")).unwrap();
    assert_eq!(vip, types::Vip::String("2".into()));
}
