//! What the spec says about its schemas and operations, read one way for everyone: the code
//! generator, the emulator and the command line.
//!
//! This module is the one reader of the spec's conventions; what each means, where it may
//! stand and what carries it are rows of their registry,
//! [`conventions`](crate::conventions).
//!
//! Functions here take the document as JSON and never fail: what is missing or malformed reads
//! as absent. The codegen lint is where malformed conventions are reported.

pub mod decisions;

use serde_json::{Map, Value};

use crate::conventions::{
    CLI_NAME, ENVIRONMENT, IDEMPOTENT, IDEMPOTENT_WHEN_GIVEN, KNOWN_VALUES, NULLABLE, PII,
    READ_ONLY,
};

/// The keys of a path item that are operations, in the order operations are listed.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One property of an object schema, with the conventions that apply to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Property<'a> {
    /// The property's name in JSON.
    pub name: &'a str,
    /// Its schema, as written (possibly an `allOf` around a `$ref`).
    pub schema: &'a Value,
    /// In the object's `required` list.
    pub required: bool,
    /// `nullable: true`: `null` is valid and removes it.
    pub nullable: bool,
    /// `readOnly: true`: owned by the server.
    pub read_only: bool,
    /// `x-pii: true`: personal data.
    pub pii: bool,
}

impl Property<'_> {
    /// Its `description`, if any.
    pub fn description(&self) -> Option<&str> {
        self.schema.get("description").and_then(Value::as_str)
    }

    /// The component schema it refers to (directly, or through a one-element `allOf`), if any.
    pub fn component(&self) -> Option<&str> {
        component_ref(self.schema)
    }
}

/// `#/components/schemas/{name}` as JSON, if the spec has it.
pub fn component<'a>(doc: &'a Value, name: &str) -> Option<&'a Value> {
    doc.get("components")?.get("schemas")?.get(name)
}

/// The name of the component a schema refers to: `$ref` itself, or a one-element `allOf` of one.
pub fn component_ref(schema: &Value) -> Option<&str> {
    let target = match schema.get("$ref") {
        Some(target) => target,
        None => match schema.get("allOf").and_then(Value::as_array)?.as_slice() {
            [single] => single.get("$ref")?,
            _ => return None,
        },
    };
    target.as_str()?.strip_prefix("#/components/schemas/")
}

/// Follows a `$ref` to a component schema (once; components do not alias each other here).
pub fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|t| t.strip_prefix("#/components/schemas/"))
        .and_then(|name| component(doc, name))
    {
        Some(target) => target,
        None => schema,
    }
}

/// The properties of an object schema, in the order the spec lists them.
pub fn properties<'a>(doc: &'a Value, schema: &'a Value) -> Vec<Property<'a>> {
    let schema = resolve(doc, schema);
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    props
        .iter()
        .map(|(name, schema)| Property {
            name,
            schema,
            required: required.contains(&name.as_str()),
            nullable: flag(schema, NULLABLE.name),
            read_only: flag(schema, READ_ONLY.name),
            // Marked on the property, or on the component it refers to (`ExternalId` is
            // personal wherever it is used).
            pii: flag(schema, PII.name)
                || component_ref(schema)
                    .and_then(|name| component(doc, name))
                    .is_some_and(is_pii),
        })
        .collect()
}

/// The `required` list of an object schema, in the spec's order.
pub fn required<'a>(doc: &'a Value, schema: &'a Value) -> Vec<&'a str> {
    resolve(doc, schema)
        .get("required")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The names of an object schema's `readOnly` properties.
pub fn read_only<'a>(doc: &'a Value, schema: &'a Value) -> Vec<&'a str> {
    properties(doc, schema)
        .into_iter()
        .filter(|p| p.read_only)
        .map(|p| p.name)
        .collect()
}

/// `x-pii: true` on the schema itself: every value of it is personal.
pub fn is_pii(schema: &Value) -> bool {
    flag(schema, PII.name)
}

/// A value a schema's `x-known-values` names: one the API is known to use.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownValue<'a> {
    /// The value, as the spec writes it.
    pub value: &'a Value,
    /// Its name, in UpperCamelCase (`AccessControl`).
    pub name: &'a str,
    /// What it means.
    pub description: &'a str,
}

/// The values `x-known-values` names on the schema itself, in the spec's order (an entry
/// without a value, a name or a description reads as absent).
pub fn known_values(schema: &Value) -> Vec<KnownValue<'_>> {
    let [value, name, description] = KNOWN_VALUE_KEYS;
    schema
        .get(KNOWN_VALUES.name)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            Some(KnownValue {
                value: entry.get(value)?,
                name: entry.get(name)?.as_str()?,
                description: entry.get(description)?.as_str()?,
            })
        })
        .collect()
}

/// The keys of an entry of `x-known-values`: each is required, and no other is read.
pub const KNOWN_VALUE_KEYS: [&str; 3] = ["value", "name", "description"];

/// Every component schema with known values: (name, schema, its known values), in the spec's
/// order.
pub fn schemas_with_known_values(doc: &Value) -> Vec<(&str, &Value, Vec<KnownValue<'_>>)> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, schema)| (name.as_str(), schema, known_values(schema)))
        .filter(|(_, _, values)| !values.is_empty())
        .collect()
}

fn flag(schema: &Value, key: &str) -> bool {
    schema.get(key) == Some(&Value::Bool(true))
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A `{name}` segment of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A property of the JSON body (only in `x-idempotent-when-given`).
    Body,
}

impl Location {
    /// The location as the spec spells it (`in: query`, or a key of `x-idempotent-when-given`).
    pub fn parse(text: &str) -> Option<Location> {
        [
            Location::Path,
            Location::Query,
            Location::Header,
            Location::Body,
        ]
        .into_iter()
        .find(|location| location.as_str() == text)
    }

    /// How the spec spells it: `query`.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Body => "body",
        }
    }
}

/// One parameter of an operation (path-level ones included, `$ref`s resolved).
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter<'a> {
    /// Its name.
    pub name: &'a str,
    /// Where it goes.
    pub location: Location,
    /// `required: true`.
    pub required: bool,
    /// Its schema.
    pub schema: &'a Value,
    /// Its description.
    pub description: Option<&'a str>,
}

/// When repeating a request has the same effect as sending it once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Idempotency<'a> {
    /// Always: a GET, or `x-idempotent: true`.
    Always,
    /// Never: a POST or PATCH that says nothing.
    Never,
    /// When the request gives one of these (non-empty): `x-idempotent-when-given`.
    WhenGiven(Vec<(Location, &'a str)>),
}

/// One operation of the spec.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    /// Its `operationId`.
    pub id: &'a str,
    /// The HTTP method, lowercase as in the spec.
    pub method: &'static str,
    /// The path template, such as `/customers/{customerId}`.
    pub path: &'a str,
    /// The operation object itself.
    pub object: &'a Value,
    /// Its parameters: the path item's, then the operation's own.
    pub parameters: Vec<Parameter<'a>>,
}

impl<'a> Operation<'a> {
    /// `summary`.
    pub fn summary(&self) -> Option<&'a str> {
        self.object.get("summary").and_then(Value::as_str)
    }

    /// `description`.
    pub fn description(&self) -> Option<&'a str> {
        self.object.get("description").and_then(Value::as_str)
    }

    /// The component schema of the JSON request body, if it has one.
    pub fn body_component(&self) -> Option<&'a str> {
        component_ref(
            self.object
                .get("requestBody")?
                .get("content")?
                .get("application/json")?
                .get("schema")?,
        )
    }

    /// The component schema of the JSON body of its 2xx response, if it has one.
    pub fn success_component(&self) -> Option<&'a str> {
        let responses = self.object.get("responses")?.as_object()?;
        responses
            .iter()
            .filter(|(code, _)| code.starts_with('2'))
            .find_map(|(_, r)| {
                component_ref(r.get("content")?.get("application/json")?.get("schema")?)
            })
    }

    /// The statuses it declares, such as `200` and `404` (ranges and `default` left out).
    pub fn declared_statuses(&self) -> Vec<u16> {
        self.object
            .get("responses")
            .and_then(Value::as_object)
            .map(|r| r.keys().filter_map(|code| code.parse().ok()).collect())
            .unwrap_or_default()
    }

    /// The command-line name: `x-cli-name`, else the operationId in kebab-case.
    pub fn cli_name(&self) -> String {
        match self.object.get(CLI_NAME.name).and_then(Value::as_str) {
            Some(name) => name.to_owned(),
            None => kebab_case(self.id),
        }
    }

    /// When repeating the request is safe.
    pub fn idempotency(&self) -> Idempotency<'a> {
        if matches!(
            self.method,
            "get" | "head" | "options" | "put" | "delete" | "trace"
        ) || flag(self.object, IDEMPOTENT.name)
        {
            return Idempotency::Always;
        }
        match self
            .object
            .get(IDEMPOTENT_WHEN_GIVEN.name)
            .and_then(Value::as_array)
        {
            Some(list) => Idempotency::WhenGiven(
                list.iter()
                    .filter_map(|entry| {
                        let (location, name) = entry.as_object()?.iter().next()?;
                        Some((Location::parse(location)?, name.as_str()?))
                    })
                    .collect(),
            ),
            None => Idempotency::Never,
        }
    }
}

/// Every operation, in the order of the spec's paths, then of [`METHODS`].
pub fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (path, item) in paths {
        for method in METHODS {
            let Some(object) = item.get(method).filter(|o| o.is_object()) else {
                continue;
            };
            let Some(id) = object.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let mut parameters: Vec<Parameter<'_>> = Vec::new();
            for list in [item.get("parameters"), object.get("parameters")]
                .into_iter()
                .flatten()
                .filter_map(Value::as_array)
            {
                for raw in list {
                    let Some(p) = parameter(doc, raw) else {
                        continue;
                    };
                    // An operation's parameter overrides the path item's of the same name and place.
                    parameters.retain(|q| (q.name, q.location) != (p.name, p.location));
                    parameters.push(p);
                }
            }
            out.push(Operation {
                id,
                method,
                path,
                object,
                parameters,
            });
        }
    }
    out
}

fn parameter<'a>(doc: &'a Value, raw: &'a Value) -> Option<Parameter<'a>> {
    let param = match raw.get("$ref").and_then(Value::as_str) {
        Some(target) => doc.pointer(target.strip_prefix('#')?)?,
        None => raw,
    };
    Some(Parameter {
        name: param.get("name")?.as_str()?,
        location: Location::parse(param.get("in")?.as_str()?)?,
        required: flag(param, "required"),
        schema: param.get("schema")?,
        description: param.get("description").and_then(Value::as_str),
    })
}

/// A server of the spec that clients choose by name (`x-environment`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment<'a> {
    /// Its `x-environment` name, such as `sandbox`.
    pub name: &'a str,
    /// Its URL.
    pub url: &'a str,
    /// Its description.
    pub description: Option<&'a str>,
}

/// The spec's servers that have an `x-environment` name, in the spec's order (the first is the
/// default).
pub fn environments(doc: &Value) -> Vec<Environment<'_>> {
    doc.get("servers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|server| {
            Some(Environment {
                name: server.get(ENVIRONMENT.name)?.as_str()?,
                url: server.get("url")?.as_str()?,
                description: server.get("description").and_then(Value::as_str),
            })
        })
        .collect()
}

/// `getCustomerNotes` → `get-customer-notes`.
pub fn kebab_case(name: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c == '_' || c == ' ' || c == '-' {
            if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() {
            if previous_lower && !out.ends_with('-') {
                out.push('-');
            }
            out.extend(c.to_lowercase());
            previous_lower = false;
        } else {
            out.push(c);
            previous_lower = c.is_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

/// A property's or parameter's values as the server owns them: `readOnly` ones of `schema`
/// removed from the object `value`. Returns what was removed.
pub fn strip_read_only(doc: &Value, schema: &Value, value: &mut Map<String, Value>) -> Vec<String> {
    read_only(doc, schema)
        .into_iter()
        .filter_map(|name| value.shift_remove(name).map(|_| name.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn locations_read_as_the_spec_spells_them() {
        let all = [
            Location::Path,
            Location::Query,
            Location::Header,
            Location::Body,
        ];
        for location in all {
            assert_eq!(Location::parse(location.as_str()), Some(location));
        }
        assert_eq!(Location::Query.as_str(), "query");
        assert_eq!(
            Location::parse("cookie"),
            None,
            "not a place the spec's conventions name"
        );
    }

    #[test]
    fn kebab_case_splits_words() {
        assert_eq!(kebab_case("getCustomerNotes"), "get-customer-notes");
        assert_eq!(
            kebab_case("createOrUpdateCustomer"),
            "create-or-update-customer"
        );
        assert_eq!(kebab_case("list_customers"), "list-customers");
        assert_eq!(kebab_case("getV2Customer"), "get-v2-customer");
    }

    #[test]
    fn conventions_are_read_from_properties() {
        let doc = json!({"components": {"schemas": {
            "Id": {"type": "string"},
            "Secret": {"type": "string", "x-pii": true},
            "Thing": {
                "type": "object",
                "required": ["b"],
                "properties": {
                    "b": {"type": "string", "x-pii": true},
                    "a": {"allOf": [{"$ref": "#/components/schemas/Id"}], "nullable": true},
                    "c": {"type": "integer", "readOnly": true},
                    "d": {"allOf": [{"$ref": "#/components/schemas/Secret"}], "nullable": true},
                    "e": {"$ref": "#/components/schemas/Secret"}
                }
            }
        }}});
        let thing = component(&doc, "Thing").unwrap();
        let props = properties(&doc, thing);
        let names: Vec<_> = props.iter().map(|p| p.name).collect();
        assert_eq!(names, ["b", "a", "c", "d", "e"], "the spec's order");
        assert!(props[0].required && props[0].pii && !props[0].nullable);
        // Personal through the component it refers to, directly or in an `allOf`.
        assert!(!props[1].pii && props[3].pii && props[4].pii);
        assert!(props[1].nullable && !props[1].required && props[1].component() == Some("Id"));
        assert!(props[2].read_only);
        assert_eq!(read_only(&doc, thing), ["c"]);
        let mut value = json!({"a": "x", "c": 1}).as_object().unwrap().clone();
        assert_eq!(strip_read_only(&doc, thing, &mut value), ["c"]);
        assert_eq!(value, *json!({"a": "x"}).as_object().unwrap());
    }

    #[test]
    fn known_values_are_read_in_order_and_malformed_entries_as_absent() {
        let doc = json!({"components": {"schemas": {
            "Code": {"type": "integer", "x-known-values": [
                {"value": 2, "name": "Two", "description": "The second."},
                {"value": 1, "name": "One"},
                {"value": 1, "name": "One", "description": "The first."}
            ]},
            "Plain": {"type": "integer"},
            "Empty": {"type": "integer", "x-known-values": []}
        }}});
        let code = component(&doc, "Code").unwrap();
        let values = known_values(code);
        let read: Vec<_> = values
            .iter()
            .map(|v| (v.value.as_i64().unwrap(), v.name, v.description))
            .collect();
        assert_eq!(read, [(2, "Two", "The second."), (1, "One", "The first.")]);
        let schemas: Vec<_> = schemas_with_known_values(&doc)
            .into_iter()
            .map(|(name, _, values)| (name, values.len()))
            .collect();
        assert_eq!(schemas, [("Code", 2)], "none for a schema without them");
    }

    #[test]
    fn idempotency_by_method_and_extension() {
        let doc = json!({"paths": {"/x/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "get": {"operationId": "getX"},
            "post": {"operationId": "postX", "x-idempotent-when-given": [{"query": "q"}, {"body": "k"}]},
            "patch": {"operationId": "patchX", "x-idempotent": true},
            "delete": {"operationId": "deleteX"}
        }, "/y": {"post": {"operationId": "postY", "x-cli-name": "make"}}}});
        let ops = operations(&doc);
        let ids: Vec<_> = ops.iter().map(|o| (o.id, o.method)).collect();
        assert_eq!(
            ids,
            [
                ("getX", "get"),
                ("postX", "post"),
                ("deleteX", "delete"),
                ("patchX", "patch"),
                ("postY", "post")
            ]
        );
        assert_eq!(ops[0].idempotency(), Idempotency::Always);
        assert_eq!(
            ops[1].idempotency(),
            Idempotency::WhenGiven(vec![(Location::Query, "q"), (Location::Body, "k")])
        );
        assert_eq!(ops[2].idempotency(), Idempotency::Always);
        assert_eq!(ops[3].idempotency(), Idempotency::Always);
        assert_eq!(ops[4].idempotency(), Idempotency::Never);
        assert_eq!(ops[0].parameters.len(), 1, "path-level parameters apply");
        assert_eq!(ops[0].cli_name(), "get-x");
        assert_eq!(ops[4].cli_name(), "make");
    }
}
