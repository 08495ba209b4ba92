//! Passes over the generator's output: what the spec says that the generator does not carry
//! into the code by itself.
//!
//! Each pass is a named function over the parsed module, driven by the spec's conventions, and
//! fails loudly (naming the schema and property) when the generated code is no longer shaped as
//! it expects, rather than passing something through unchanged.
//!
//! | pass | spec fact | effect |
//! |---|---|---|
//! | [`nullable::tri_state`] | `nullable: true` on an optional property | the field is a `Nullable<T>`: absent, `null` or a value |
//! | [`redact::pii_debug`] | `x-pii: true` | `Debug` shows whether the value is there, never the value |
//! | [`builders::constructors`] | `required`, `readOnly` | `new(required…)` and a setter per writable optional property |
//! | [`newtypes::string_ids`] | a string component schema | the newtype compares, hashes, displays and parses like a string |
//! | [`known_values::named_constants`] | `x-known-values` on an integer component schema | a constant per known value (`ErrorCode::ACCESS_CONTROL`) to `match` on, its `name()` and `description()`; any other value still decodes |
//! | [`headers::no_api_version_header`] | the headers the spec documents | no `api-version` header on requests |
//! | [`per_call::path_segments_encoded_in_place`] | a path parameter | the value checked as one path segment (else `Error::InvalidRequest`, and nothing is sent), then percent-encoded straight into the URL, not through two strings |
//! | [`per_call::response_headers_moved`] | (none: the cost of a call) | an answer's header map moved into its `ResponseValue`, not cloned |
//! | [`envelopes::boxed_records`] | a 2xx body whose only property is a required record | the envelope holds the record in a `Box`, so an answer moves as a pointer |

pub mod builders;
pub mod envelopes;
pub mod headers;
pub mod known_values;
pub mod newtypes;
pub mod nullable;
pub mod per_call;
pub mod redact;

use generated_code::module;
use serde_json::Value;
use syn::Item;

/// Runs every pass over the generated module.
pub fn apply(file: &mut syn::File, doc: &Value) -> Result<(), String> {
    headers::no_api_version_header(file)?;
    per_call::path_segments_encoded_in_place(file)?;
    per_call::response_headers_moved(file)?;
    apply_to_types(module::types_mut(file)?, doc)
}

/// Runs the passes over the types, in order (the later ones read the field types the earlier
/// ones set).
pub fn apply_to_types(items: &mut Vec<Item>, doc: &Value) -> Result<(), String> {
    envelopes::boxed_records(items, doc)?;
    nullable::tri_state(items, doc)?;
    redact::pii_debug(items, doc)?;
    builders::constructors(items, doc)?;
    newtypes::string_ids(items, doc)?;
    known_values::named_constants(items, doc)?;
    Ok(())
}

/// Every component schema: (name, schema), in the spec's order.
pub fn component_schemas(doc: &Value) -> impl Iterator<Item = (&str, &Value)> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, schema)| (name.as_str(), schema))
}

/// Every component schema with `properties`: (name, schema).
pub fn object_schemas(doc: &Value) -> Vec<(&str, &Value)> {
    component_schemas(doc)
        .filter(|(_, s)| s.get("properties").is_some_and(Value::is_object))
        .collect()
}
