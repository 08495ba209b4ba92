//! The spec lint: what must hold before the generator is allowed to see the spec.
//!
//! Each check exists because breaking it makes the generator panic, produce names nobody chose,
//! or produce a client that disagrees with the documented behaviour. Every problem names the JSON
//! pointer of the offending value; the caller turns it into `file:line:column`.

mod conventions;
mod known_values;
mod objects;

use std::collections::{BTreeSet, HashMap};

use heck::ToSnakeCase;
use serde_json::{Map, Value};

use trustly_customers_spec::escape_token;
use trustly_customers_spec::schema;

/// One thing wrong with the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// JSON pointer of the value the problem is about.
    pub pointer: String,
    /// What is wrong, and where it matters.
    pub message: String,
}

/// The keys of a path item that are operations.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// How many operations the spec declares, for the codegen summary.
pub fn operation_count(doc: &Value) -> usize {
    let paths = doc.get("paths").and_then(Value::as_object);
    paths
        .into_iter()
        .flat_map(|p| p.values())
        .map(|item| METHODS.iter().filter(|m| item.get(**m).is_some()).count())
        .sum()
}

/// Runs every check; an empty result means the spec may be generated from.
pub fn lint(doc: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_version(doc, &mut problems);
    if !problems.is_empty() {
        // Nothing else can be judged against rules of a version this lint does not know.
        return problems;
    }
    check_refs(doc, doc, "", &mut problems);
    check_required_lists(doc, "", &mut problems);
    // An example cannot be checked against a schema that is not there; the dangling `$ref` is
    // the problem to report.
    let refs_ok = problems.is_empty();
    check_operations(doc, &mut problems);
    if refs_ok {
        check_examples(doc, &mut problems);
        conventions::check(doc, &mut problems);
    }
    problems
}

/// A schema's `required` is a list with at least one name (OpenAPI 3.0 takes it from JSON
/// Schema, which says so); an empty one is refused by other tools reading the spec. (A
/// parameter's or a body's `required` is a boolean, and is not looked at here.)
fn check_required_lists(node: &Value, at: &str, problems: &mut Vec<Problem>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                let child = format!("{at}/{}", escape_token(key));
                if key == "required" && value.as_array().is_some_and(Vec::is_empty) {
                    problem(
                        problems,
                        child,
                        "an empty `required` list is not valid OpenAPI 3.0: leave `required` out",
                    );
                } else if key != "example" && key != "examples" {
                    check_required_lists(value, &child, problems);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_required_lists(item, &format!("{at}/{i}"), problems);
            }
        }
        _ => {}
    }
}

fn problem(problems: &mut Vec<Problem>, pointer: impl Into<String>, message: impl Into<String>) {
    problems.push(Problem {
        pointer: pointer.into(),
        message: message.into(),
    });
}

fn check_version(doc: &Value, problems: &mut Vec<Problem>) {
    match doc.get("openapi").and_then(Value::as_str) {
        Some(v) if is_openapi_30(v) => {}
        Some(v) => problem(
            problems,
            "/openapi",
            format!("OpenAPI version {v} is not supported: the generator reads 3.0.x only"),
        ),
        None => problem(
            problems,
            "",
            "no `openapi: 3.0.x` version field: is this an OpenAPI document?",
        ),
    }
}

fn is_openapi_30(version: &str) -> bool {
    version
        .strip_prefix("3.0.")
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

/// Every `$ref` must be local (`#/...`) and point at something.
fn check_refs(doc: &Value, node: &Value, at: &str, problems: &mut Vec<Problem>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                let child = format!("{at}/{}", escape_token(key));
                if key == "$ref" {
                    match value.as_str() {
                        Some(target) if resolve(doc, target).is_some() => {}
                        Some(target) if target.starts_with("#/") || target == "#" => problem(
                            problems,
                            child,
                            format!("`$ref` points at nothing: {target}"),
                        ),
                        Some(target) => problem(
                            problems,
                            child,
                            format!(
                                "`$ref` {target} is not a reference within this file (`#/...`)"
                            ),
                        ),
                        None => problem(problems, child, "`$ref` must be a string"),
                    }
                } else {
                    check_refs(doc, value, &child, problems);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_refs(doc, item, &format!("{at}/{i}"), problems);
            }
        }
        _ => {}
    }
}

/// The value a local `$ref` names.
fn resolve<'a>(doc: &'a Value, target: &str) -> Option<&'a Value> {
    doc.pointer(target.strip_prefix('#')?)
}

/// Follows `$ref`s from `pointer` to the object that holds the content, returning its pointer.
fn deref(doc: &Value, pointer: &str) -> Option<String> {
    let mut pointer = pointer.to_owned();
    for _ in 0..32 {
        let target = doc.pointer(&pointer)?.get("$ref").and_then(Value::as_str);
        match target {
            Some(target) => pointer = target.strip_prefix('#')?.to_owned(),
            None => return Some(pointer),
        }
    }
    None // a cycle of references; reported as dangling nowhere, so stop quietly
}

fn check_operations(doc: &Value, problems: &mut Vec<Problem>) {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return match doc.get("paths") {
            None => problem(problems, "", "the spec has no `paths`"),
            Some(_) => problem(
                problems,
                "/paths",
                "`paths` must map each path to its operations",
            ),
        };
    };
    // operationId (as the generator will name it) → pointer of its first use.
    let mut seen: HashMap<String, String> = HashMap::new();
    for (path, item) in paths {
        let item_ptr = format!("/paths/{}", escape_token(path));
        for method in METHODS {
            let Some(op) = item.get(*method).and_then(Value::as_object) else {
                continue;
            };
            let op_ptr = format!("{item_ptr}/{method}");
            let name = format!("{} {path}", method.to_uppercase());
            check_operation_id(op, &op_ptr, &name, &mut seen, problems);
            if op
                .get("tags")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty)
            {
                problem(
                    problems,
                    op_ptr.clone(),
                    format!("operation {name} has no tag"),
                );
            }
            check_path_parameters(doc, path, &item_ptr, &op_ptr, &name, problems);
            check_response_types(doc, &op_ptr, &name, problems);
        }
    }
}

fn check_operation_id(
    op: &Map<String, Value>,
    op_ptr: &str,
    name: &str,
    seen: &mut HashMap<String, String>,
    problems: &mut Vec<Problem>,
) {
    let id_ptr = format!("{op_ptr}/operationId");
    match op.get("operationId").and_then(Value::as_str) {
        None => problem(
            problems,
            op_ptr,
            format!("operation {name} has no operationId: it names the generated method"),
        ),
        Some(id) if id.trim().is_empty() => problem(
            problems,
            id_ptr,
            format!("operation {name} has an empty operationId"),
        ),
        Some(id) => {
            let method = id.to_snake_case();
            if let Some(first) = seen.get(&method) {
                let message = format!(
                    "operationId `{id}` of {name} gives the method name `{method}`, already taken at {first}"
                );
                problem(problems, id_ptr, message);
            } else {
                seen.insert(method, id_ptr);
            }
        }
    }
}

/// Every `{name}` in the path must be declared as a required path parameter, and vice versa.
fn check_path_parameters(
    doc: &Value,
    path: &str,
    item_ptr: &str,
    op_ptr: &str,
    name: &str,
    problems: &mut Vec<Problem>,
) {
    let in_template: BTreeSet<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(param, _)| param))
        .collect();
    let mut declared: HashMap<String, String> = HashMap::new();
    for list_ptr in [
        format!("{item_ptr}/parameters"),
        format!("{op_ptr}/parameters"),
    ] {
        let count = doc
            .pointer(&list_ptr)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        for i in 0..count {
            let Some(param_ptr) = deref(doc, &format!("{list_ptr}/{i}")) else {
                continue;
            };
            let param = &doc.pointer(&param_ptr).cloned().unwrap_or_default();
            if param.get("in").and_then(Value::as_str) != Some("path") {
                continue;
            }
            let Some(param_name) = param.get("name").and_then(Value::as_str) else {
                continue;
            };
            if param.get("required") != Some(&Value::Bool(true)) {
                let message =
                    format!("path parameter `{param_name}` of {name} must be `required: true`");
                problem(problems, param_ptr.clone(), message);
            }
            declared.insert(param_name.to_owned(), param_ptr);
        }
    }
    for param in &in_template {
        if !declared.contains_key(*param) {
            let message =
                format!("path parameter `{{{param}}}` of {name} is not declared in `parameters`");
            problem(problems, op_ptr, message);
        }
    }
    for (param, ptr) in &declared {
        if !in_template.contains(param.as_str()) {
            let message = format!("path parameter `{param}` of {name} does not appear in the path");
            problem(problems, ptr.clone(), message);
        }
    }
}

/// The generator gives each operation one success type and one error type, and panics when the
/// responses imply more (a `default` counts as both). So: at most one body schema among the 2xx
/// and `default` responses, and at most one among the 4xx, 5xx and `default` responses.
fn check_response_types(doc: &Value, op_ptr: &str, name: &str, problems: &mut Vec<Problem>) {
    let responses_ptr = format!("{op_ptr}/responses");
    let Some(responses) = doc.pointer(&responses_ptr).and_then(Value::as_object) else {
        return problem(
            problems,
            op_ptr,
            format!("operation {name} has no responses"),
        );
    };
    let mut success: Vec<(String, String)> = Vec::new();
    let mut failure: Vec<(String, String)> = Vec::new();
    for code in responses.keys() {
        let ptr = format!("{responses_ptr}/{}", escape_token(code));
        let body = response_body_type(doc, &ptr);
        let is_default = code == "default";
        if is_default || code.starts_with('2') {
            success.push((code.clone(), body.clone()));
        }
        if is_default || code.starts_with('4') || code.starts_with('5') {
            failure.push((code.clone(), body));
        }
    }
    for (kind, group) in [("success", &success), ("error", &failure)] {
        let distinct: BTreeSet<&str> = group.iter().map(|(_, body)| body.as_str()).collect();
        if distinct.len() > 1 {
            let codes: Vec<&str> = group.iter().map(|(code, _)| code.as_str()).collect();
            let hint = if group.iter().any(|(code, _)| code == "default") {
                " (`default` counts as both a success and an error: use explicit codes or 4XX/5XX)"
            } else {
                ""
            };
            let message = format!(
                "operation {name} has {kind} responses ({}) with different body types; \
                 the generated method can return only one{hint}",
                codes.join(", ")
            );
            problem(problems, responses_ptr.clone(), message);
        }
    }
}

/// A comparable description of a response's JSON body schema ("none" when it has no body).
fn response_body_type(doc: &Value, response_ptr: &str) -> String {
    let Some(ptr) = deref(doc, response_ptr) else {
        return "unresolved".into();
    };
    match doc.pointer(&format!("{ptr}/content/application~1json/schema")) {
        Some(schema) => schema.to_string(),
        None => "none".into(),
    }
}

/// Every example must validate against the schema it illustrates.
fn check_examples(doc: &Value, problems: &mut Vec<Problem>) {
    let mut holders: Vec<String> = Vec::new(); // pointers of objects with `schema` + example(s)
    collect_example_holders(doc, "", &mut holders);
    for holder in holders {
        let schema_ptr = format!("{holder}/schema");
        let mut examples: Vec<(String, Value)> = Vec::new();
        if let Some(value) = doc.pointer(&format!("{holder}/example")) {
            examples.push((format!("{holder}/example"), value.clone()));
        }
        let named = doc
            .pointer(&format!("{holder}/examples"))
            .and_then(Value::as_object);
        for key in named.into_iter().flat_map(Map::keys) {
            let example_ptr = format!("{holder}/examples/{}", escape_token(key));
            // A dangling reference is reported by check_refs.
            let Some(resolved) = deref(doc, &example_ptr) else {
                continue;
            };
            if let Some(value) = doc.pointer(&format!("{resolved}/value")) {
                examples.push((format!("{example_ptr}/value"), value.clone()));
            }
        }
        for (example_ptr, value) in examples {
            for v in schema::check(doc, &schema_ptr, &value) {
                let at = if v.instance.is_empty() {
                    "the example".into()
                } else {
                    format!("`{}`", v.instance)
                };
                let message = format!(
                    "example does not match its schema: at {at}: {} (schema #{})",
                    v.message, v.schema
                );
                // Point at the offending value inside the example when it has a position.
                problem(problems, format!("{example_ptr}{}", v.instance), message);
            }
        }
    }
}

/// Media type objects and parameters: every object that has a `schema` and an `example(s)`.
fn collect_example_holders(node: &Value, at: &str, out: &mut Vec<String>) {
    let Value::Object(map) = node else {
        if let Value::Array(items) = node {
            for (i, item) in items.iter().enumerate() {
                collect_example_holders(item, &format!("{at}/{i}"), out);
            }
        }
        return;
    };
    if map.contains_key("schema") && (map.contains_key("example") || map.contains_key("examples")) {
        out.push(at.to_owned());
    }
    for (key, value) in map {
        // Examples are data, not spec structure: nothing inside them is a holder. Nor is
        // anything inside a schema (a schema's `properties` may well be named `schema` and
        // `example`), whether inline or among `components/schemas`.
        if key == "example" || key == "examples" || key == "schema" || key == "schemas" {
            continue;
        }
        collect_example_holders(value, &format!("{at}/{}", escape_token(key)), out);
    }
}
