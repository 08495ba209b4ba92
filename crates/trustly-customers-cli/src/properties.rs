//! The properties of a request body's record, as a table after a command's `--help`: each
//! one's name, type, what the spec says of it (required, personal, server-owned, clearable),
//! and the first sentence of its description; a property whose value is itself a record (the
//! address) lists that record's properties under it.
//!
//! Read from the spec the binary embeds (as the bodies are checked against it), for every
//! command whose operation sends a body: a property added to the spec is listed with no other
//! edit. (Written into `generated.rs` at codegen instead, each description's edit would be a
//! change of the generated command line.)

use clap::Command;
use serde_json::Value;
use trustly_customers_spec::facts::{self, Property};

/// How deep records inside records are listed (a cycle, which the spec has none of, stops
/// there).
const MAX_DEPTH: usize = 3;

/// `command` with the properties of the record its operation sends (if it sends one) listed
/// after its long help.
pub(crate) fn listed(command: Command) -> Command {
    let doc = trustly_customers_spec::document();
    let component = facts::operations(doc)
        .into_iter()
        .find(|op| op.cli_name() == command.get_name())
        .and_then(|op| op.body_component());
    match component.and_then(|c| table(doc, c).ok()) {
        Some(table) => command.after_long_help(table),
        None => command,
    }
}

/// The `--help` text listing the properties of the component schema `component`.
fn table(doc: &Value, component: &str) -> Result<String, String> {
    let schema = facts::component(doc, component)
        .ok_or_else(|| format!("no component schema `{component}` to list the properties of"))?;
    let mut rows = Vec::new();
    rows_of(doc, schema, 0, &mut rows);
    let name_width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let type_width = rows.iter().map(|r| r.kind.len()).max().unwrap_or(0);
    let flags_width = rows.iter().map(|r| r.flags.len()).max().unwrap_or(0);
    let mut text = format!(
        "Properties of a {component} (from the API's spec; personal: never shown in logs or \
         errors; server-owned: set by the server, ignored if sent; clearable: `null` removes \
         it):\n"
    );
    for row in rows {
        let line = format!(
            "  {:name_width$}  {:type_width$}  {:flags_width$}  {}",
            row.name, row.kind, row.flags, row.sentence
        );
        text.push_str(line.trim_end());
        text.push('\n');
    }
    Ok(text.trim_end().to_owned())
}

/// One property's row.
struct Row {
    name: String,
    kind: String,
    flags: String,
    sentence: String,
}

fn rows_of(doc: &Value, schema: &Value, depth: usize, rows: &mut Vec<Row>) {
    for property in facts::properties(doc, schema) {
        let record = record_of(doc, &property);
        rows.push(Row {
            name: format!("{}{}", "  ".repeat(depth), property.name),
            kind: type_of(doc, property.schema),
            flags: flags(&property),
            // Its own description, else its component's (`Vip`, `CustomData`).
            sentence: first_sentence(property.description().or_else(|| {
                let component = facts::component(doc, property.component()?)?;
                component.get("description").and_then(Value::as_str)
            })),
        });
        if let Some(record) = record.filter(|_| depth + 1 < MAX_DEPTH) {
            rows_of(doc, record, depth + 1, rows);
        }
    }
}

/// The object schema a property's value is, if it is one with properties of its own.
fn record_of<'a>(doc: &'a Value, property: &Property<'a>) -> Option<&'a Value> {
    let schema = facts::component(doc, property.component()?)?;
    schema.get("properties").map(|_| schema)
}

/// What the spec says of a property, in words, comma-separated.
fn flags(property: &Property<'_>) -> String {
    let mut flags = Vec::new();
    if property.required {
        flags.push("required");
    }
    if property.pii {
        flags.push("personal");
    }
    if property.read_only {
        flags.push("server-owned");
    }
    if property.nullable {
        flags.push("clearable");
    }
    flags.join(", ")
}

/// The type of a schema in a word or two: a record by its component's name, a value by its
/// type and format (`integer (int64)`), a list by what it holds.
fn type_of(doc: &Value, schema: &Value) -> String {
    let component = facts::component_ref(schema);
    let resolved = component
        .and_then(|name| facts::component(doc, name))
        .unwrap_or(schema);
    let ty = resolved.get("type").and_then(Value::as_str);
    match (ty, component) {
        (Some("object"), Some(name)) => name.to_owned(),
        (Some("array"), _) => match resolved.get("items") {
            Some(items) => format!("array of {}", type_of(doc, items)),
            None => "array".to_owned(),
        },
        (Some(ty), _) => match resolved.get("format").and_then(Value::as_str) {
            Some(format) => format!("{ty} ({format})"),
            None => ty.to_owned(),
        },
        (None, Some(name)) => name.to_owned(),
        (None, None) => "any".to_owned(),
    }
}

/// The first sentence of a description (up to the first `. ` of its first paragraph), on one
/// line.
fn first_sentence(description: Option<&str>) -> String {
    let paragraph = description.unwrap_or_default().trim_start();
    let paragraph = paragraph.split("\n\n").next().unwrap_or_default();
    let line = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.find(". ") {
        Some(end) => line[..=end].to_owned(),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_lists_each_property_with_what_the_spec_says_of_it() {
        let doc = serde_json::json!({"components": {"schemas": {
            "Rec": {
                "type": "object", "required": ["a", "in"],
                "properties": {
                    "a": {"type": "string", "description": "The a. More on it."},
                    "n": {"type": "integer", "format": "int64", "nullable": true, "x-pii": true},
                    "at": {"type": "integer", "readOnly": true, "description": "Set by it."},
                    "in": {"$ref": "#/components/schemas/In"},
                    "list": {"type": "array", "items": {"type": "string"}}
                }
            },
            "In": {"type": "object", "properties": {"c": {"type": "string", "description": "C."}}}
        }}});
        let expected = [
            "Properties of a Rec (from the API's spec; personal: never shown in logs or errors; \
             server-owned: set by the server, ignored if sent; clearable: `null` removes it):",
            "  a     string           required             The a.",
            "  n     integer (int64)  personal, clearable",
            "  at    integer          server-owned         Set by it.",
            "  in    In               required",
            "    c   string                                C.",
            "  list  array of string",
        ];
        assert_eq!(table(&doc, "Rec").unwrap(), expected.join("\n"));
        assert!(table(&doc, "Nope").is_err());
    }
}
