//! The spec-spine drill's change to a spec, in place: two properties on every schema that has
//! `taxId` (`loyaltyTier`, and `secondaryEmail`, personal), and a copy of "Get a customer by id"
//! at `/customers/{customerId}/notes`. `.ci/drill.sh` runs it on a scratch copy of the project;
//! after `cargo xtask codegen`, nothing else should need an edit.
//!
//! Trustly's published document has none of the three, so each carries the decision that
//! records the difference (`x-trustly`), as a maintainer's change would: without it
//! `cargo xtask drift` (and its workspace test) reports them as new.
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
            json!({"type": "string", "nullable": true, "description": "The customer's loyalty tier.",
                   "x-trustly": [not_in_trustlys_document("property-added")]}),
        );
        properties.insert(
            "secondaryEmail".into(),
            json!({"type": "string", "nullable": true, "x-pii": true,
                   "description": "Another email address of the customer.",
                   "x-trustly": [not_in_trustlys_document("property-added")]}),
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
    // The copy's own decisions (statuses Trustly's document leaves out) are about an operation
    // that document has; for one it lacks, the one difference is the operation itself.
    item["get"]["x-trustly"] = json!([not_in_trustlys_document("operation-added")]);
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

/// A recorded decision for something the drill adds and Trustly's document lacks.
fn not_in_trustlys_document(differs: &str) -> Value {
    json!({"differs": differs, "trustly": "absent", "why": "the spec-spine drill's addition."})
}
