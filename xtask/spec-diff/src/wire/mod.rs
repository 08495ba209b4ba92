//! The wire-level half of `cargo xtask diff`: every change between two specs that a client or a
//! server can see on the wire, each with its class and a one-line reason.
//!
//! A schema is compared once per place it is used, with the direction of that place: a change
//! that narrows what is valid (a new required property, a lower `maxLength`, a removed enum value)
//! breaks clients where they send the schema and the server side where it sends it; a change
//! that widens it breaks the other side. A component used both ways (`Customer` is a request and
//! a response body) gets both classes. Anything this module does not recognise is reported as
//! breaking both sides, never passed over as documentation.

mod operations;
mod schema;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Map, Value};

/// What a wire change means for whom.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Clients written against the old spec can fail against a server of the new one.
    BreakingClient,
    /// The server side (the emulator, and Trustly itself) must change to honour the new spec.
    BreakingServer,
    /// New capability; nothing written against the old spec stops working.
    Additive,
    /// Text only: descriptions, examples, summaries, tags.
    Documentation,
}

impl Class {
    /// Its name in reports.
    pub fn label(self) -> &'static str {
        match self {
            Class::BreakingClient => "breaking for clients",
            Class::BreakingServer => "breaking for the server side",
            Class::Additive => "additive",
            Class::Documentation => "documentation only",
        }
    }

    /// Whether it breaks anyone.
    pub fn is_breaking(self) -> bool {
        matches!(self, Class::BreakingClient | Class::BreakingServer)
    }
}

/// Which way a schema travels where it is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Sent by clients: a parameter or a request body.
    Request,
    /// Sent by the server: a response body or header.
    Response,
}

/// How a change moves the set of valid messages; its class follows from that and the direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Effect {
    /// Fewer messages are valid.
    Narrower,
    /// More messages are valid.
    Wider,
    /// Some valid before are not now, and the reverse.
    Incompatible,
    /// Breaks clients whatever the direction; the reason is given with the change.
    BreaksClients,
    /// Breaks the server side whatever the direction.
    BreaksServer,
    /// Breaks clients where the schema is sent by them, and nothing where it is received.
    NarrowerInRequests,
    /// The reverse of [`Effect::NarrowerInRequests`].
    WiderInRequests,
    /// A new capability.
    Added,
    /// Text only.
    Docs,
}

/// One change on the wire.
#[derive(Clone, Debug, Serialize)]
pub struct WireChange {
    /// Its classes, most severe first; never empty.
    pub classes: Vec<Class>,
    /// What kind of change: `property-required`, `status-removed`, ...
    pub kind: String,
    /// Where, readably: `Customer.phone`, `getCustomer: response 404`, `server https://...`.
    pub location: String,
    /// The JSON pointer of the place in the new spec (the old one for a removal).
    pub pointer: String,
    /// Which way the schema travels where it changed (empty when that does not apply).
    pub directions: Vec<Direction>,
    /// The operations (by operationId) it affects, when it is inside one.
    pub operations: Vec<String>,
    /// Old and new value, readably: `optional → required`.
    pub change: String,
    /// Why it has its classes, in one line.
    pub why: String,
}

impl WireChange {
    /// Whether it breaks clients or the server side.
    pub fn is_breaking(&self) -> bool {
        self.classes.iter().any(|c| c.is_breaking())
    }
}

/// Every wire change from `before` to `after`, in the order of the spec.
pub fn diff(before: &Value, after: &Value) -> Vec<WireChange> {
    let mut walker = Walker {
        before,
        after,
        changes: BTreeMap::new(),
        order: Vec::new(),
        stack: Vec::new(),
    };
    walker.document();
    walker.finish()
}

struct Pending {
    effect: Effect,
    kind: String,
    location: String,
    pointer: String,
    change: String,
    reason: Option<String>,
    directions: BTreeSet<Direction>,
    operations: BTreeSet<String>,
}

/// Where the walk is: the operation and the direction of the schema being compared.
#[derive(Clone)]
struct Context {
    operation: Option<String>,
    direction: Option<Direction>,
}

struct Walker<'a> {
    before: &'a Value,
    after: &'a Value,
    changes: BTreeMap<(String, String, String), Pending>,
    order: Vec<(String, String, String)>,
    /// Component schemas being compared, to stop at a cycle.
    stack: Vec<(String, String)>,
}

const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Schema keywords compared as text only.
const DOC_KEYWORDS: [&str; 6] = [
    "description",
    "title",
    "example",
    "externalDocs",
    "deprecated",
    "xml",
];

/// Schema keywords this module compares by meaning. Any other keyword that differs is reported
/// as unrecognised (breaking both sides).
const SCHEMA_KEYWORDS: [&str; 27] = [
    "type",
    "format",
    "nullable",
    "enum",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "maxLength",
    "minLength",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "multipleOf",
    "pattern",
    "readOnly",
    "writeOnly",
];

impl<'a> Walker<'a> {
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        effect: Effect,
        kind: &str,
        location: &str,
        pointer: &str,
        change: String,
        reason: Option<&str>,
        ctx: &Context,
    ) {
        let key = (pointer.to_owned(), kind.to_owned(), change.clone());
        let entry = self.changes.entry(key.clone()).or_insert_with(|| {
            self.order.push(key);
            Pending {
                effect,
                kind: kind.to_owned(),
                location: location.to_owned(),
                pointer: pointer.to_owned(),
                change,
                reason: reason.map(str::to_owned),
                directions: BTreeSet::new(),
                operations: BTreeSet::new(),
            }
        });
        if let Some(d) = ctx.direction {
            entry.directions.insert(d);
        }
        if let Some(op) = &ctx.operation {
            entry.operations.insert(op.clone());
        }
    }

    fn finish(self) -> Vec<WireChange> {
        let mut changes = self.changes;
        self.order
            .into_iter()
            .filter_map(|key| changes.remove(&key))
            .map(|p| {
                let (classes, why) = classify(p.effect, &p.directions, p.reason.as_deref());
                WireChange {
                    classes,
                    kind: p.kind,
                    location: p.location,
                    pointer: p.pointer,
                    directions: p.directions.into_iter().collect(),
                    operations: p.operations.into_iter().collect(),
                    change: p.change,
                    why,
                }
            })
            .collect()
    }

    fn document(&mut self) {
        let (b, a) = (self.before, self.after);
        let none = Context {
            operation: None,
            direction: None,
        };
        if b.get("openapi") != a.get("openapi") {
            self.record(
                Effect::Incompatible,
                "openapi-version",
                "openapi",
                "/openapi",
                from_to(b.get("openapi"), a.get("openapi")),
                Some("another OpenAPI version can change what every keyword means"),
                &none,
            );
        }
        for key in ["info", "tags", "externalDocs"] {
            if b.get(key) != a.get(key) {
                self.record(
                    Effect::Docs,
                    key,
                    key,
                    &format!("/{key}"),
                    "changed".to_owned(),
                    None,
                    &none,
                );
            }
        }
        // Examples are text. Other shared components are compared where an operation uses them.
        if b.pointer("/components/examples") != a.pointer("/components/examples") {
            self.record(
                Effect::Docs,
                "examples",
                "components.examples",
                "/components/examples",
                "changed".to_owned(),
                None,
                &none,
            );
        }
        self.servers(b.get("servers"), a.get("servers"), "/servers", &none);
        self.security_schemes();
        self.operations();
        self.unused_components();
    }
}

/// The classes of a change and its one-line reason, from its effect and where it travels.
fn classify(
    effect: Effect,
    directions: &BTreeSet<Direction>,
    reason: Option<&str>,
) -> (Vec<Class>, String) {
    let mut classes = BTreeSet::new();
    let mut whys: Vec<&str> = Vec::new();
    let ways: Vec<Option<Direction>> = if directions.is_empty() {
        vec![None]
    } else {
        directions.iter().copied().map(Some).collect()
    };
    for d in ways {
        let (class, why): (&[Class], &str) = match (effect, d) {
            (Effect::Narrower, Some(Direction::Request) | None) => (
                &[Class::BreakingClient],
                "in requests: what clients sent before may now be refused",
            ),
            (Effect::Narrower, Some(Direction::Response)) => (
                &[Class::BreakingServer],
                "in responses: the server must now answer within the narrower schema",
            ),
            (Effect::Wider, Some(Direction::Request) | None) => (
                &[Class::BreakingServer],
                "in requests: the server must now accept what it could refuse before",
            ),
            (Effect::Wider, Some(Direction::Response)) => (
                &[Class::BreakingClient],
                "in responses: clients may now receive what they were not written for",
            ),
            (Effect::Incompatible, _) => (
                &[Class::BreakingClient, Class::BreakingServer],
                "values valid before are not now, and the reverse",
            ),
            (Effect::BreaksClients, _) => (&[Class::BreakingClient], ""),
            (Effect::BreaksServer, _) => (&[Class::BreakingServer], ""),
            (Effect::NarrowerInRequests, Some(Direction::Request) | None) => {
                (&[Class::BreakingClient], "")
            }
            (Effect::WiderInRequests, Some(Direction::Request) | None) => {
                (&[Class::BreakingServer], "")
            }
            (Effect::NarrowerInRequests | Effect::WiderInRequests, Some(Direction::Response)) => {
                (&[Class::Documentation], "")
            }
            (Effect::Added, _) => (&[Class::Additive], ""),
            (Effect::Docs, _) => (&[Class::Documentation], "text only; the wire is the same"),
        };
        classes.extend(class.iter().copied());
        if !why.is_empty() && !whys.contains(&why) {
            whys.push(why);
        }
    }
    // A documentation part next to a breaking one says nothing more.
    if classes.iter().any(|c| c.is_breaking()) {
        classes.remove(&Class::Documentation);
    }
    let why = match reason {
        Some(r) => r.to_owned(),
        None => whys.join("; "),
    };
    (classes.into_iter().collect(), why)
}

/// `old → new`, each in one short line (`absent` for a missing value).
fn from_to(before: Option<&Value>, after: Option<&Value>) -> String {
    format!("{} → {}", short(before), short(after))
}

/// The object at `key` of `v`, or an empty one when there is none.
fn object<'v>(v: &'v Value, key: &str) -> &'v Map<String, Value> {
    v.get(key).and_then(Value::as_object).unwrap_or(empty_map())
}

/// An empty object, for a missing map.
fn empty_map() -> &'static Map<String, Value> {
    static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
    &EMPTY
}

fn opposite(effect: Effect) -> Effect {
    match effect {
        Effect::Narrower => Effect::Wider,
        Effect::Wider => Effect::Narrower,
        other => other,
    }
}

/// Follows a local `$ref` (also a chain of them); returns the target and its pointer, or the
/// value itself and `pointer` when it is no reference or one that does not resolve.
fn resolve<'v>(doc: &'v Value, value: &'v Value, pointer: String) -> (&'v Value, String) {
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

/// Whether anything in `doc` refers to `target` (`#/components/schemas/X`).
fn used(doc: &Value, target: &str) -> bool {
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

fn op_id(op: &Value, method: &str, path: &str) -> String {
    op.get("operationId")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{} {path}", method.to_uppercase()))
}

/// `/customers/{customerId}` and `/customers/{id}` are the same URL.
fn normalise_template(path: &str) -> String {
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

/// The JSON types a schema admits, or `None` for any. `integer` is a part of `number`, so
/// `number` is both `integer` and `fraction`.
fn type_set(v: &Value) -> Option<BTreeSet<&'static str>> {
    fn atoms(t: &str) -> &'static [&'static str] {
        match t {
            "number" => &["integer", "fraction"],
            "integer" => &["integer"],
            "string" => &["string"],
            "boolean" => &["boolean"],
            "array" => &["array"],
            "object" => &["object"],
            _ => &["unknown"],
        }
    }
    if let Some(t) = v.get("type").and_then(Value::as_str) {
        return Some(atoms(t).iter().copied().collect());
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = v.get(key).and_then(Value::as_array) {
            let mut out = BTreeSet::new();
            for branch in branches {
                let t = branch.get("type").and_then(Value::as_str)?;
                out.extend(atoms(t).iter().copied());
            }
            return Some(out);
        }
    }
    None
}

fn type_text(v: &Value) -> String {
    if let Some(t) = v.get("type").and_then(Value::as_str) {
        return t.to_owned();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = v.get(key).and_then(Value::as_array) {
            let types: Option<Vec<&str>> = branches
                .iter()
                .map(|b| b.get("type").and_then(Value::as_str))
                .collect();
            if let Some(types) = types {
                return types.join(" or ");
            }
        }
    }
    "any".to_owned()
}

fn is_true(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn keys(b: &Value, a: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for v in [b, a] {
        if let Some(m) = v.as_object() {
            out.extend(m.keys().cloned());
        }
    }
    out
}

fn without_docs(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| k.as_str() != "description" && !k.starts_with("x-"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn parent(pointer: &str) -> &str {
    pointer.rsplit_once('/').map(|(p, _)| p).unwrap_or(pointer)
}

/// A JSON pointer token.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A value in one short line.
fn short(v: Option<&Value>) -> String {
    match v {
        None => "absent".to_owned(),
        Some(v) => {
            let text = compact(v);
            if text.chars().count() > 60 {
                let cut: String = text.chars().take(57).collect();
                format!("{cut}...")
            } else {
                text
            }
        }
    }
}

fn compact(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}
