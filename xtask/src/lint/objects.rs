//! The objects of an OpenAPI 3.0 document, each with its JSON pointer and the places of the
//! conventions' registry it is at: where the lint looks for extensions and conventions.
//!
//! The walk follows the structure OpenAPI gives each object ([`FIELDS`]), so that a key that is
//! a name (a path, a property, a media type, a response header, an example) is never taken for
//! an extension, and data (examples, defaults, enums, the values of extensions) is not walked.
//! A field the table does not list is not walked either: the lint judges what it can place.

use serde_json::{Map, Value};
use trustly_customers_spec::conventions::{self, Place};
use trustly_customers_spec::escape_token;

/// An object of the document that may carry extensions.
#[derive(Debug)]
pub(super) struct Object<'a> {
    /// Its JSON pointer.
    pub(super) pointer: String,
    /// Its keys and values.
    pub(super) map: &'a Map<String, Value>,
    /// The places of the registry it is at (none for most objects: an `info`, a response).
    pub(super) places: &'static [Place],
}

/// Every object of `doc` that may carry extensions, the document first, parents before their
/// children.
pub(super) fn objects(doc: &Value) -> Vec<Object<'_>> {
    let mut out = Vec::new();
    walk(doc, String::new(), ObjectType::Document, &[], &mut out);
    out
}

fn walk<'a>(
    value: &'a Value,
    pointer: String,
    ty: ObjectType,
    places: &'static [Place],
    out: &mut Vec<Object<'a>>,
) {
    // Anything else where an object belongs is for OpenAPI's parser to refuse.
    let Some(map) = value.as_object() else {
        return;
    };
    out.push(Object {
        pointer: pointer.clone(),
        map,
        places,
    });
    for (key, child) in map {
        // An extension's value is data, whatever it looks like.
        if conventions::is_extension(key) {
            continue;
        }
        let Some(field) = FIELDS
            .iter()
            .find(|f| f.parent == ty && (f.key == key || f.key == ANY_NAME))
        else {
            continue;
        };
        // The properties of a component schema are the fields of a generated type.
        let places = if field.key == "properties" && places.contains(&Place::ComponentSchema) {
            PROPERTY
        } else {
            field.places
        };
        let at = format!("{pointer}/{}", escape_token(key));
        match field.shape {
            Shape::One => walk(child, at, field.child, places, out),
            Shape::List => {
                for (i, item) in child.as_array().into_iter().flatten().enumerate() {
                    walk(item, format!("{at}/{i}"), field.child, places, out);
                }
            }
            Shape::Map => {
                for (name, item) in child.as_object().into_iter().flatten() {
                    let item_at = format!("{at}/{}", escape_token(name));
                    walk(item, item_at, field.child, places, out);
                }
            }
        }
    }
}

/// The OpenAPI 3.0 objects the walk knows. A `$ref` in their stead is walked as what it stands
/// for (its siblings are read by some tools, so they are held to the same rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ObjectType {
    Document,
    Info,
    Server,
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    MediaType,
    Encoding,
    Responses,
    Response,
    Callback,
    Header,
    Example,
    Link,
    Components,
    Schema,
    SecurityScheme,
    OAuthFlows,
    Tag,
    /// An object with extensions and nothing the walk goes into: contact, license, external
    /// docs, a server variable, `xml`, an OAuth flow.
    Leaf,
}

/// How a field holds its children.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// The value is the child.
    One,
    /// A list of children.
    List,
    /// A map from names (never extensions) to children.
    Map,
}

/// A field of an object that holds objects.
#[derive(Debug)]
struct Field {
    parent: ObjectType,
    /// The key, or [`ANY_NAME`]: every key of the parent that is not an extension is a name
    /// whose value is a child (the paths of `paths`, the statuses of `responses`).
    key: &'static str,
    shape: Shape,
    child: ObjectType,
    /// The places of the registry the children are at.
    places: &'static [Place],
}

const ANY_NAME: &str = "";

const NOWHERE: &[Place] = &[];
const SCHEMA: &[Place] = &[Place::Schema];
const COMPONENT_SCHEMA: &[Place] = &[Place::ComponentSchema, Place::Schema];
const PROPERTY: &[Place] = &[Place::Property, Place::Schema];
const OPERATION: &[Place] = &[Place::Operation];
const SERVER: &[Place] = &[Place::Server];

const fn field(
    parent: ObjectType,
    key: &'static str,
    shape: Shape,
    child: ObjectType,
    places: &'static [Place],
) -> Field {
    Field {
        parent,
        key,
        shape,
        child,
        places,
    }
}

use ObjectType::*;
use Shape::{List, Map as Named, One};

/// Where objects stand in an OpenAPI 3.0 document, as its specification lays them out.
#[rustfmt::skip]
const FIELDS: &[Field] = &[
    field(Document, "info", One, Info, NOWHERE),
    field(Document, "servers", List, Server, SERVER),
    field(Document, "paths", One, Paths, NOWHERE),
    field(Document, "components", One, Components, NOWHERE),
    field(Document, "tags", List, Tag, NOWHERE),
    field(Document, "externalDocs", One, Leaf, NOWHERE),
    field(Info, "contact", One, Leaf, NOWHERE),
    field(Info, "license", One, Leaf, NOWHERE),
    field(Server, "variables", Named, Leaf, NOWHERE),
    field(Paths, ANY_NAME, One, PathItem, NOWHERE),
    field(PathItem, "get", One, Operation, OPERATION),
    field(PathItem, "put", One, Operation, OPERATION),
    field(PathItem, "post", One, Operation, OPERATION),
    field(PathItem, "delete", One, Operation, OPERATION),
    field(PathItem, "options", One, Operation, OPERATION),
    field(PathItem, "head", One, Operation, OPERATION),
    field(PathItem, "patch", One, Operation, OPERATION),
    field(PathItem, "trace", One, Operation, OPERATION),
    field(PathItem, "servers", List, Server, NOWHERE),
    field(PathItem, "parameters", List, Parameter, NOWHERE),
    field(Operation, "externalDocs", One, Leaf, NOWHERE),
    field(Operation, "parameters", List, Parameter, NOWHERE),
    field(Operation, "requestBody", One, RequestBody, NOWHERE),
    field(Operation, "responses", One, Responses, NOWHERE),
    field(Operation, "callbacks", Named, Callback, NOWHERE),
    field(Operation, "servers", List, Server, NOWHERE),
    field(Parameter, "schema", One, Schema, SCHEMA),
    field(Parameter, "examples", Named, Example, NOWHERE),
    field(Parameter, "content", Named, MediaType, NOWHERE),
    field(RequestBody, "content", Named, MediaType, NOWHERE),
    field(MediaType, "schema", One, Schema, SCHEMA),
    field(MediaType, "examples", Named, Example, NOWHERE),
    field(MediaType, "encoding", Named, Encoding, NOWHERE),
    field(Encoding, "headers", Named, Header, NOWHERE),
    field(Responses, ANY_NAME, One, Response, NOWHERE),
    field(Response, "headers", Named, Header, NOWHERE),
    field(Response, "content", Named, MediaType, NOWHERE),
    field(Response, "links", Named, Link, NOWHERE),
    field(Callback, ANY_NAME, One, PathItem, NOWHERE),
    field(Header, "schema", One, Schema, SCHEMA),
    field(Header, "examples", Named, Example, NOWHERE),
    field(Header, "content", Named, MediaType, NOWHERE),
    field(Link, "server", One, Server, NOWHERE),
    field(Components, "schemas", Named, Schema, COMPONENT_SCHEMA),
    field(Components, "responses", Named, Response, NOWHERE),
    field(Components, "parameters", Named, Parameter, NOWHERE),
    field(Components, "examples", Named, Example, NOWHERE),
    field(Components, "requestBodies", Named, RequestBody, NOWHERE),
    field(Components, "headers", Named, Header, NOWHERE),
    field(Components, "securitySchemes", Named, SecurityScheme, NOWHERE),
    field(Components, "links", Named, Link, NOWHERE),
    field(Components, "callbacks", Named, Callback, NOWHERE),
    field(Schema, "properties", Named, Schema, SCHEMA),
    field(Schema, "additionalProperties", One, Schema, SCHEMA),
    field(Schema, "items", One, Schema, SCHEMA),
    field(Schema, "allOf", List, Schema, SCHEMA),
    field(Schema, "oneOf", List, Schema, SCHEMA),
    field(Schema, "anyOf", List, Schema, SCHEMA),
    field(Schema, "not", One, Schema, SCHEMA),
    field(Schema, "xml", One, Leaf, NOWHERE),
    field(Schema, "externalDocs", One, Leaf, NOWHERE),
    field(SecurityScheme, "flows", One, OAuthFlows, NOWHERE),
    field(OAuthFlows, "implicit", One, Leaf, NOWHERE),
    field(OAuthFlows, "password", One, Leaf, NOWHERE),
    field(OAuthFlows, "clientCredentials", One, Leaf, NOWHERE),
    field(OAuthFlows, "authorizationCode", One, Leaf, NOWHERE),
    field(Tag, "externalDocs", One, Leaf, NOWHERE),
];
