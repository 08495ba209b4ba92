//! The spec-spine drill's change to a spec, in place: two properties on every schema that has
//! `taxId` (`loyaltyTier`, and `secondaryEmail`, personal), and a copy of "Get a customer by id"
//! at `/customers/{customerId}/notes`. `.ci/drill.sh` runs it on a scratch copy of the project;
//! after `cargo xtask codegen`, nothing else should need an edit.
//!
//! ```text
//! cargo run -p workspace-tests --bin drill_spec -- openapi/customers.yaml
//! ```
//!
//! The spec is written back as JSON (which is YAML), so its comments do not survive (it is a
//! scratch copy), but those of its header: they hold the list of the spec's conventions, which
//! a workspace test holds to their registry.

use serde_json::{Value, json};

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: drill_spec SPEC_FILE");
    let text = std::fs::read_to_string(&path).expect("the spec is readable");
    let mut spec: Value = serde_saphyr::from_str(&text).expect("the spec is valid YAML");

    let schemas = spec["components"]["schemas"]
        .as_object_mut()
        .expect("the spec has component schemas");
    let mut changed = Vec::new();
    for (name, schema) in schemas.iter_mut() {
        let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
            continue;
        };
        if !properties.contains_key("taxId") {
            continue;
        }
        properties.insert(
            "loyaltyTier".into(),
            json!({"type": "string", "nullable": true, "description": "The customer's loyalty tier."}),
        );
        properties.insert(
            "secondaryEmail".into(),
            json!({"type": "string", "nullable": true, "x-pii": true,
                   "description": "Another email address of the customer."}),
        );
        changed.push(name.clone());
    }
    assert!(!changed.is_empty(), "no schema has taxId");

    let paths = spec["paths"].as_object_mut().expect("the spec has paths");
    let mut notes = paths["/customers/{customerId}"].clone();
    let item = notes.as_object_mut().expect("a path item");
    item.retain(|key, _| key == "get" || key == "parameters");
    item["get"]["operationId"] = json!("getCustomerNotes");
    item["get"]["summary"] = json!("Get a customer's notes");
    item["get"]
        .as_object_mut()
        .expect("an operation")
        .remove("x-cli-name");
    paths.insert("/customers/{customerId}/notes".into(), notes);

    let header: String = text
        .lines()
        .take_while(|line| !line.starts_with("info:"))
        .filter(|line| line.starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect();
    let json = serde_json::to_string_pretty(&spec).expect("JSON");
    std::fs::write(&path, format!("{header}{json}\n")).expect("the spec is writable");
    println!(
        "drill: loyaltyTier and secondaryEmail added to {}; getCustomerNotes added at /customers/{{customerId}}/notes",
        changed.join(", ")
    );
}
