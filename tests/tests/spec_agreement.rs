//! The generated types agree with the spec they came from: every property of every object
//! schema is a field with its JSON name, held as the spec's conventions say (required: the
//! value itself; optional and nullable: a `Nullable`; optional: an `Option`), and every
//! documented example survives a trip through them.

use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Value, json};
use trustly_customers_api::{Nullable, types};
use trustly_customers_spec::facts;

/// How the generated source holds one field: "plain", "Option" or "Nullable".
fn holder(ty: &syn::Type) -> &'static str {
    let syn::Type::Path(p) = ty else {
        return "plain";
    };
    match p
        .path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .as_deref()
    {
        Some("Option") => "Option",
        Some("Nullable") => "Nullable",
        _ => "plain",
    }
}

#[test]
fn every_property_of_every_object_schema_is_a_field_held_as_the_spec_says() {
    let spec = workspace_tests::spec_json();
    let code = std::fs::read_to_string(workspace_tests::generated_path()).unwrap();
    let structs = workspace_tests::surface::structs(&code);
    let mut drift = Vec::new();
    let mut checked = 0;
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        let props = facts::properties(&spec, schema);
        if props.is_empty() {
            continue;
        }
        let Some(fields) = structs.get(name.as_str()) else {
            drift.push(format!("{name}: no generated struct"));
            continue;
        };
        let mut want: Vec<(String, &str)> = props
            .iter()
            .map(|p| {
                let held = match (p.required, p.nullable) {
                    (true, _) => "plain",
                    (false, true) => "Nullable",
                    (false, false) => "Option",
                };
                (p.name.to_owned(), held)
            })
            .collect();
        let mut got: Vec<(String, &str)> = fields
            .iter()
            .map(|(wire, ty)| (wire.clone(), holder(ty)))
            .collect();
        want.sort();
        got.sort();
        if want != got {
            drift.push(format!("{name}: spec {want:?}, generated {got:?}"));
        }
        checked += props.len();
    }
    assert!(checked > 30, "only {checked} properties checked");
    assert!(drift.is_empty(), "drift:\n{}", drift.join("\n"));
}

type RoundTrip = fn(&Value) -> Result<Value, String>;

fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
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
    let table: [(&str, RoundTrip); 4] = [
        ("Customer", round_trip::<types::Customer>),
        ("CustomerResponse", round_trip::<types::CustomerResponse>),
        ("CustomerList", round_trip::<types::CustomerList>),
        ("ErrorBody", round_trip::<types::ErrorBody>),
    ];
    let mut failures = Vec::new();
    for (pointer, component, example) in &examples {
        let Some((_, trip)) = table.iter().find(|(name, _)| name == component) else {
            failures.push(format!("{pointer}: add {component} to the table"));
            continue;
        };
        match trip(example) {
            Ok(back) if back == *example => {}
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

/// What the nullable pass is for: an explicit `null` ("remove this property") survives the
/// generated types, and a property left out stays out.
#[test]
fn generated_types_send_an_explicit_null_and_leave_absent_out() {
    let record = json!({
        "name": "A", "phone": "1", "email": "a@b.c", "address": { "country": "US" },
        "taxId": null,
    });
    let typed: types::Customer = serde_json::from_value(record.clone()).unwrap();
    assert_eq!(typed.tax_id, Nullable::Null);
    assert_eq!(typed.national_id, Nullable::Absent);
    assert_eq!(serde_json::to_value(&typed).unwrap(), record);
}

#[test]
fn responses_stay_lenient_where_the_api_is_loosely_specified() {
    let customer = json!({
        "name": "A", "phone": "1", "email": "a@b.c",
        "address": { "country": "CA", "zip": "K1A" },      // shorter than the spec's minLength 5
        "dateOfBirth": "19/04/1990",                         // no format is documented
        "vip": 2,                                            // documented as a string, sent as a number
        "futureField": { "added": "later" },                 // unknown properties are ignored
        "taxId": null,                                       // null reads as no value
        "externalId": "",                                    // shorter than minLength 1
    });
    let parsed: types::Customer =
        serde_json::from_value(customer).expect("a loose but real response parses");
    assert_eq!(parsed.address.zip.as_deref(), Some("K1A"));
    assert_eq!(parsed.date_of_birth.as_deref(), Some("19/04/1990"));
    assert_eq!(parsed.vip, Nullable::Value(types::Vip::Int64(2)));
    assert_eq!(parsed.tax_id.value(), None);
    assert_eq!(parsed.external_id.as_deref().map(|s| s.as_str()), Some(""));
    let vip: types::Vip = serde_json::from_value(json!("2")).unwrap();
    assert_eq!(vip, types::Vip::String("2".into()));
}
