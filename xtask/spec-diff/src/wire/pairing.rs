//! What in one document stands for what in the other: operations, parameters, and the
//! references between the parts of a document. Nothing here says what a change means.

use std::collections::BTreeMap;

use serde_json::Value;

/// The methods an OpenAPI path item may hold.
pub const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// An operation of a document, where it is.
#[derive(Clone, Copy, Debug)]
pub struct OperationAt<'a> {
    /// Its path template, as the document writes it.
    pub path: &'a str,
    /// Its method, lowercase.
    pub method: &'static str,
    /// The path item it is in (which may hold parameters for all its operations).
    pub item: &'a Value,
    /// The operation object.
    pub op: &'a Value,
}

impl OperationAt<'_> {
    /// Its operationId, or `METHOD /path` when it has none.
    pub fn id(&self) -> String {
        self.op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{} {}", self.method.to_uppercase(), self.path))
    }
}

/// The key two documents' operations are matched by: the path relative to the document's
/// server, with its parameters' names left out, and the method.
pub type OperationKey = (String, &'static str);

/// Every operation of a document, by [`OperationKey`].
pub fn operations(doc: &Value) -> BTreeMap<OperationKey, OperationAt<'_>> {
    let mut out = BTreeMap::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    let base = base_path(doc);
    for (path, item) in paths {
        for method in HTTP_METHODS {
            if let Some(op) = item.get(method) {
                let relative = path
                    .strip_prefix(base.as_str())
                    .filter(|rest| !base.is_empty() && (rest.is_empty() || rest.starts_with('/')))
                    .map(|rest| if rest.is_empty() { "/" } else { rest })
                    .unwrap_or(path);
                out.insert(
                    (normalise_template(relative), method),
                    OperationAt {
                        path,
                        method,
                        item,
                        op,
                    },
                );
            }
        }
    }
    out
}

/// The path of the document's first server URL (`/api/v1` of `https://host/api/v1`), without a
/// trailing `/`; empty when it has none.
pub fn base_path(doc: &Value) -> String {
    let url = doc
        .pointer("/servers/0/url")
        .and_then(Value::as_str)
        .unwrap_or("");
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map(|i| &rest[i..]).unwrap_or(""),
        None => url,
    };
    path.trim_end_matches('/').to_owned()
}

/// `/customers/{customerId}` and `/customers/{id}` are the same URL: `/customers/{}`.
pub fn normalise_template(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

/// A parameter's key: its name and location (`in`).
pub type ParameterKey = (String, String);

/// An operation's parameters by name and location, each with its pointer: relative to the
/// operation (`parameters/0`), to its path item (`../parameters/0`), or absolute when it is a
/// shared component. An operation's own parameter overrides the path item's of the same key.
pub fn parameters<'a>(
    doc: &'a Value,
    at: &OperationAt<'a>,
) -> BTreeMap<ParameterKey, (&'a Value, String)> {
    let mut out = BTreeMap::new();
    for (owner, base) in [(at.item, "../parameters"), (at.op, "parameters")] {
        let Some(list) = owner.get("parameters").and_then(Value::as_array) else {
            continue;
        };
        for (i, p) in list.iter().enumerate() {
            let (p, ptr) = resolve(doc, p, format!("{base}/{i}"));
            let text = |key: &str| p.get(key).and_then(Value::as_str).unwrap_or("").to_owned();
            out.insert((text("name"), text("in")), (p, ptr));
        }
    }
    out
}

/// Follows a local `$ref` (also a chain of them); returns the target and its pointer, or the
/// value itself and `pointer` when it is no reference or one that does not resolve.
pub fn resolve<'v>(doc: &'v Value, value: &'v Value, pointer: String) -> (&'v Value, String) {
    let mut current = (value, pointer);
    for _ in 0..16 {
        let Some(target) = current.0.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(p) = target.strip_prefix('#') else {
            break;
        };
        match doc.pointer(p) {
            Some(v) => current = (v, p.to_owned()),
            None => break,
        }
    }
    current
}

/// What a local reference (`#/components/schemas/X`) points at, after a chain of references,
/// and its pointer; `None` when it is not local or points at nothing.
pub fn target<'v>(doc: &'v Value, reference: &str) -> Option<(&'v Value, String)> {
    let pointer = reference.strip_prefix('#')?;
    let value = doc.pointer(pointer)?;
    Some(resolve(doc, value, pointer.to_owned()))
}

/// Whether anything in `doc` refers to `target` (`#/components/schemas/X`).
pub fn used(doc: &Value, target: &str) -> bool {
    match doc {
        Value::Object(m) => m.iter().any(|(k, v)| {
            (k == "$ref" && v.as_str() == Some(target))
                || (k != "components" && used(v, target))
                || (k == "components" && used_in_components(v, target))
        }),
        Value::Array(l) => l.iter().any(|v| used(v, target)),
        _ => false,
    }
}

/// Inside `components`, a reference counts only from somewhere other than the schema itself.
fn used_in_components(components: &Value, target: &str) -> bool {
    let Some(m) = components.as_object() else {
        return false;
    };
    m.iter().any(|(section, entries)| {
        entries.as_object().is_some_and(|e| {
            e.iter().any(|(name, v)| {
                let own = format!("#/components/{section}/{}", escape(name));
                own != target && used(v, target)
            })
        })
    })
}

/// A JSON pointer token.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The pointer one level up.
pub fn parent(pointer: &str) -> &str {
    pointer.rsplit_once('/').map(|(p, _)| p).unwrap_or(pointer)
}
