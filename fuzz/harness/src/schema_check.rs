//! `schema_check`: the spec crate's schema checker on arbitrary JSON, against every component
//! of the embedded spec, in its three forms (`check_component`, `check_component_strict`,
//! `check_component_patch`).
//!
//! The input is a JSON document (anything else is skipped: the checker takes parsed JSON).
//!
//! Asserted: no panic; every violation points at a value the instance has; no personal value
//! of the instance is in a violation's `Display` or `Debug` (the whole instance is personal for
//! a component the spec marks `x-pii`, such as `ExternalId`).

use serde_json::Value;
use trustly_customers_spec::facts;

use crate::pii::Personal;

/// Runs one input, asserting everything the module docs list.
pub fn run(data: &[u8]) {
    let Ok(instance) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let doc = trustly_customers_spec::document();
    let Some(components) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        panic!("the spec has no components")
    };
    let mut within = Personal::new();
    within.json(data, 0..data.len(), false);
    let mut whole = Personal::new();
    whole.json(data, 0..data.len(), true);
    for (name, schema) in components {
        let shown = texts(name, &instance);
        let personal = if facts::is_pii(schema) {
            &whole
        } else {
            &within
        };
        personal.assert_not_shown(data, &shown, |disguised| {
            serde_json::from_slice::<Value>(disguised)
                .map(|v| texts(name, &v))
                .unwrap_or_default()
        });
    }
}

/// Every violation of `instance` against component `name`, in the three forms, as text.
fn texts(name: &str, instance: &Value) -> Vec<String> {
    let mut texts = Vec::new();
    for violations in [
        trustly_customers_spec::check_component(name, instance),
        trustly_customers_spec::check_component_strict(name, instance),
        trustly_customers_spec::check_component_patch(name, instance),
    ] {
        for v in violations {
            assert!(
                instance.pointer(&v.instance).is_some(),
                "{name}: a violation points at no value of the instance: {v:?}"
            );
            texts.push(v.to_string());
            texts.push(format!("{v:?}"));
        }
    }
    texts
}
