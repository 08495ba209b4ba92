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
//! | [`headers::no_api_version_header`] | the headers the spec documents | no `api-version` header on requests |
//! | [`per_call::path_segments_encoded_in_place`] | (none: the cost of a call) | a path parameter percent-encoded straight into the URL, not through two strings |
//! | [`per_call::response_headers_moved`] | (none: the cost of a call) | an answer's header map moved into its `ResponseValue`, not cloned |
//! | [`envelopes::boxed_records`] | a 2xx body whose only property is a required record | the envelope holds the record in a `Box`, so an answer moves as a pointer |

pub mod builders;
pub mod envelopes;
pub mod headers;
pub mod newtypes;
pub mod nullable;
pub mod per_call;
pub mod redact;

use heck::ToUpperCamelCase;
use serde_json::Value;
use syn::punctuated::Punctuated;
use syn::{Attribute, Field, GenericArgument, Item, ItemStruct, PathArguments, Token, Type};

/// Runs every pass over the generated module.
pub fn apply(file: &mut syn::File, doc: &Value) -> Result<(), String> {
    headers::no_api_version_header(file)?;
    per_call::path_segments_encoded_in_place(file)?;
    per_call::response_headers_moved(file)?;
    apply_to_types(types_module(file)?, doc)
}

/// Runs the passes over the types, in order (the later ones read the field types the earlier
/// ones set).
pub fn apply_to_types(items: &mut Vec<Item>, doc: &Value) -> Result<(), String> {
    envelopes::boxed_records(items, doc)?;
    nullable::tri_state(items, doc)?;
    redact::pii_debug(items, doc)?;
    builders::constructors(items, doc)?;
    newtypes::string_ids(items, doc)?;
    Ok(())
}

/// The items of the generated `mod types`.
pub fn types_module(file: &mut syn::File) -> Result<&mut Vec<Item>, String> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        })
        .ok_or_else(|| "the generated code has no `mod types`".to_owned())
}

/// The Rust name the generator gives a component schema.
pub fn type_name(schema_name: &str) -> String {
    schema_name.to_upper_camel_case()
}

/// Every component schema with `properties`: (name, schema).
pub fn object_schemas(doc: &Value) -> Vec<(&str, &Value)> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, s)| s.get("properties").is_some_and(Value::is_object))
        .map(|(name, schema)| (name.as_str(), schema))
        .collect()
}

/// The generated struct for a component, or an error naming it.
pub fn struct_for<'a>(
    items: &'a mut [Item],
    schema_name: &str,
) -> Result<&'a mut ItemStruct, String> {
    let name = type_name(schema_name);
    items
        .iter_mut()
        .find_map(|item| match item {
            Item::Struct(s) if s.ident == name => Some(s),
            _ => None,
        })
        .ok_or_else(|| format!("schema `{schema_name}`: the generator emitted no struct `{name}`"))
}

/// The JSON name of a generated field: its `#[serde(rename = "…")]`, else its Rust name.
pub fn wire_name(field: &Field) -> String {
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        if let Ok(list) = attr.parse_args_with(Punctuated::<syn::Meta, Token![,]>::parse_terminated)
        {
            for meta in list {
                if let syn::Meta::NameValue(nv) = meta
                    && nv.path.is_ident("rename")
                    && let syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) = nv.value
                {
                    return s.value();
                }
            }
        }
    }
    field
        .ident
        .as_ref()
        .map(|i| i.to_string().trim_start_matches("r#").to_owned())
        .unwrap_or_default()
}

/// The field of `item` that carries the JSON property `property`, or an error naming both.
pub fn field_for<'a>(
    item: &'a mut ItemStruct,
    schema_name: &str,
    property: &str,
) -> Result<&'a mut Field, String> {
    item.fields
        .iter_mut()
        .find(|f| wire_name(f) == property)
        .ok_or_else(|| {
            format!("schema `{schema_name}`, property `{property}`: no generated field carries it")
        })
}

/// How a generated field holds its value.
#[derive(Clone)]
pub enum Holder {
    /// `Option<T>`.
    Option(Type),
    /// `crate::Nullable<T>` (after the nullable pass).
    Nullable(Type),
    /// `T` itself.
    Plain,
}

impl std::fmt::Debug for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Holder::Option(_) => "Option",
            Holder::Nullable(_) => "Nullable",
            Holder::Plain => "Plain",
        })
    }
}

/// Whether `ty` is an `Option<T>`, a `Nullable<T>` or neither.
pub fn holder(ty: &Type) -> Holder {
    let Type::Path(path) = ty else {
        return Holder::Plain;
    };
    let Some(last) = path.path.segments.last() else {
        return Holder::Plain;
    };
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return Holder::Plain;
    };
    let Some(GenericArgument::Type(inner)) = args.args.first() else {
        return Holder::Plain;
    };
    match last.ident.to_string().as_str() {
        "Option" => Holder::Option(inner.clone()),
        "Nullable" => Holder::Nullable(inner.clone()),
        _ => Holder::Plain,
    }
}

/// The paths in a `#[derive(...)]` attribute.
pub fn derives(attr: &Attribute) -> Option<Punctuated<syn::Path, Token![,]>> {
    if !attr.path().is_ident("derive") {
        return None;
    }
    attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
        .ok()
}

/// The last segment of a path, as text (`::serde::Serialize` → `Serialize`).
pub fn last_ident(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// The first paragraph of a description, on one line, for a short doc comment or help text.
pub fn first_line(description: Option<&str>) -> String {
    let text = description.unwrap_or_default().trim_start();
    let paragraph = text.split("\n\n").next().unwrap_or_default();
    paragraph.split_whitespace().collect::<Vec<_>>().join(" ")
}
