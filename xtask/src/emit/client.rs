//! `crates/trustly-customers/src/generated.rs`: the ergonomic client's operations, and the
//! request types the spec implies.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use syn::{Fields, Type};
use trustly_customers_spec::conventions::IDEMPOTENT_WHEN_GIVEN;
use trustly_customers_spec::facts::{self, Idempotency, Location};

use generated_code::docs::first_line;
use generated_code::fields::{Holder, boxed, carrying, held, holder};
use generated_code::methods::{Method, methods};
use generated_code::module::{type_name, type_names, types_struct};
use generated_code::paths::{qualify, types_name};

use super::operation_doc;

/// The module's code.
///
/// - The generated client's types, re-exported: they are this client's types.
/// - For each component schema that is a request body and has `required` properties, a
///   `New<Schema>`: the record as a request carries it, with no `readOnly` property, built with
///   `new(required…)` and a setter per optional property; and a `<Schema>Patch`: changes to such
///   a record (set, clear, or leave each property), applied to one read from the server before
///   it is sent back whole.
/// - For each operation, a method on `trustly_customers::Client` with the generated method's
///   parameters (a `New<Schema>` for such a body), sent through the generated method inside
///   the client's retry and tracing (`Client::call`), retried as the operation's idempotency
///   allows. A success body that only wraps one required property returns that property.
pub fn emit(api: &syn::File, doc: &Value) -> Result<syn::File, String> {
    let names = type_names(api);
    let methods = methods(api, doc)?;
    let mut new_forms: BTreeSet<&str> = BTreeSet::new();
    for m in &methods {
        if let Some(body) = m.op.body_component()
            && facts::component(doc, body).is_some_and(|s| !facts::required(doc, s).is_empty())
        {
            new_forms.insert(body);
        }
    }
    let mut items: Vec<TokenStream> = Vec::new();
    for schema in &new_forms {
        let record = Record::of(api, doc, schema)?;
        items.push(new_form(doc, &record, &names)?);
        items.push(patch_form(doc, &record, &names)?);
    }
    let mut ops = Vec::new();
    for m in &methods {
        ops.push(operation(api, doc, m, &new_forms, &names)?);
    }
    let reexports = names.iter().map(|n| format_ident!("{n}"));
    let environment = environment(doc);
    let file = quote! {
        /// Every type of the generated client's `types`: the client's own types.
        pub use trustly_customers_api::types::{#(#reexports),*};
        use trustly_customers_api::types;

        use crate::call::{Repeatable, given};
        use crate::{Client, Error};

        #environment

        #(#items)*

        impl Client {
            #(#ops)*
        }
    };
    syn::parse2(file).map_err(|e| format!("the client module does not parse: {e}"))
}

/// `Environment`: the spec's servers by their `x-environment` names, and any other URL.
fn environment(doc: &Value) -> TokenStream {
    let environments = facts::environments(doc);
    let variants: Vec<_> = environments
        .iter()
        .map(|e| format_ident!("{}", heck::ToUpperCamelCase::to_upper_camel_case(e.name)))
        .collect();
    let docs: Vec<String> = environments
        .iter()
        .map(|e| {
            let summary = first_line(e.description);
            format!("`{}`: `{}`. {summary}", e.name, e.url)
        })
        .collect();
    let names: Vec<&str> = environments.iter().map(|e| e.name).collect();
    let urls: Vec<&str> = environments.iter().map(|e| e.url).collect();
    let default = variants.first().map(|v| quote!(#[default] #v,));
    let others = variants
        .iter()
        .zip(&docs)
        .skip(1)
        .map(|(v, d)| quote!(#[doc = #d] #v,));
    let default_doc = docs.first().map(|d| format!("{d} The default."));
    quote! {
        /// Which server to talk to: one of the spec's `servers`, by name, or any other URL.
        #[derive(Clone, Debug, PartialEq, Eq, Default)]
        pub enum Environment {
            #[doc = #default_doc]
            #default
            #(#others)*
            /// Any other server URL, such as a local emulator (`http://127.0.0.1:8080/api/v1`).
            Custom(String),
        }

        impl Environment {
            /// The names [`Environment::from_name`] knows, as the spec's servers give them.
            pub const NAMES: &'static [&'static str] = &[#(#names),*];

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                match self {
                    #(Environment::#variants => #urls,)*
                    Environment::Custom(url) => url,
                }
            }

            /// The environment with this name (any case), if the spec has it.
            pub fn from_name(name: &str) -> Option<Environment> {
                match name.trim().to_ascii_lowercase().as_str() {
                    #(#names => Some(Environment::#variants),)*
                    _ => None,
                }
            }
        }
    }
}

/// A body schema and the generated struct of it, which `New<Schema>` and `<Schema>Patch` are
/// both built from.
struct Record<'a> {
    schema_name: &'a str,
    /// The generated type's name.
    type_name: String,
    schema: &'a Value,
    fields: &'a syn::FieldsNamed,
}

impl<'a> Record<'a> {
    fn of(api: &'a syn::File, doc: &'a Value, schema_name: &'a str) -> Result<Record<'a>, String> {
        let type_name = type_name(schema_name);
        let item = types_struct(api, &type_name)
            .ok_or_else(|| format!("schema `{schema_name}`: no generated struct `{type_name}`"))?;
        let Fields::Named(fields) = &item.fields else {
            return Err(format!(
                "schema `{schema_name}`: not a struct with named fields"
            ));
        };
        let schema = facts::component(doc, schema_name).expect("a body component");
        Ok(Record {
            schema_name,
            type_name,
            schema,
            fields,
        })
    }

    /// The generated field of the property named `json` on the wire.
    fn field(&self, json: &str) -> Result<&'a syn::Field, String> {
        carrying(&self.fields.named, json).ok_or_else(|| {
            format!(
                "schema `{}`: `{json}` has no generated field",
                self.schema_name
            )
        })
    }
}

/// `New<Schema>`: the record as a request carries it.
fn new_form(
    doc: &Value,
    record: &Record<'_>,
    names: &BTreeSet<String>,
) -> Result<TokenStream, String> {
    let type_name = &record.type_name;
    let api_type = format_ident!("{type_name}");
    let ident = format_ident!("New{type_name}");
    let schema = record.schema;
    let props = facts::properties(doc, schema);
    let field_of = |json: &str| record.field(json);

    let mut params = Vec::new();
    let mut args = Vec::new();
    for required in facts::required(doc, schema) {
        let field = field_of(required)?;
        let f = field.ident.clone().expect("named");
        let ty = qualify(&field.ty, names);
        params.push(quote!(#f: impl ::std::convert::Into<#ty>));
        args.push(quote!(#f));
    }
    let mut setters = Vec::new();
    let mut strip = Vec::new();
    for prop in &props {
        let field = field_of(prop.name)?;
        let f = field.ident.clone().expect("named");
        if prop.read_only {
            strip.push(quote!(record.#f = ::std::default::Default::default();));
            continue;
        }
        if prop.required {
            continue;
        }
        let summary = first_line(prop.description());
        let json = prop.name;
        let doc_set = if summary.is_empty() {
            format!("Sets `{json}`.")
        } else {
            format!("Sets `{json}`: {summary}")
        };
        let inner = qualify(&held(&field.ty), names);
        setters.push(quote! {
            #[doc = #doc_set]
            pub fn #f(self, value: impl ::std::convert::Into<#inner>) -> Self {
                Self(self.0.#f(value))
            }
        });
        if matches!(holder(&field.ty), Holder::Nullable(_)) {
            let clear = format_ident!("clear_{f}");
            let doc_clear = format!(
                "Sends `{json}` as `null`, which removes it from a customer this request updates."
            );
            setters.push(quote! {
                #[doc = #doc_clear]
                pub fn #clear(self) -> Self {
                    Self(self.0.#clear())
                }
            });
        }
    }
    let read_only: Vec<&str> = props
        .iter()
        .filter(|p| p.read_only)
        .map(|p| p.name)
        .collect();
    let doc_type = format!(
        "A `{type_name}` as a request carries it: every property but the server's own{}.\n\n\
         Build one with `new` (the properties every `{type_name}` has) and a setter per \
         optional property. It serializes as the `{type_name}` it holds; reading one (`Deserialize`, \
         or `From<{type_name}>`) leaves out the server's properties, so a record read with a GET \
         can be changed and sent back.",
        if read_only.is_empty() {
            String::new()
        } else {
            format!(
                " (not {})",
                read_only
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    let doc_new = format!("A `New{type_name}` with the properties every `{type_name}` has.");
    let name_text = ident.to_string();
    Ok(quote! {
        #[doc = #doc_type]
        #[derive(Clone, PartialEq, ::serde::Serialize)]
        #[serde(transparent)]
        pub struct #ident(types::#api_type);

        impl #ident {
            #[doc = #doc_new]
            pub fn new(#(#params),*) -> Self {
                Self(types::#api_type::new(#(#args),*))
            }

            #(#setters)*

            /// The record as the generated client sends it.
            pub fn as_api(&self) -> &types::#api_type {
                &self.0
            }

            /// The record as the generated client sends it, owned.
            pub fn into_api(self) -> types::#api_type {
                self.0
            }
        }

        impl ::std::convert::From<types::#api_type> for #ident {
            /// Keeps every property a request may carry; the server's own are left out.
            fn from(mut record: types::#api_type) -> Self {
                #(#strip)*
                Self(record)
            }
        }

        impl ::std::convert::From<#ident> for types::#api_type {
            fn from(value: #ident) -> Self {
                value.0
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <types::#api_type as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }

        impl ::std::fmt::Debug for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_tuple(#name_text).field(&self.0).finish()
            }
        }
    })
}

/// `<Schema>Patch`: changes to a record, one optional change per property a request may carry.
///
/// Each field says what happens to its property: nothing (absent), a new value, or, for a
/// `nullable` one, removal (`null`). `apply_to` makes the changes on a `New<Schema>`, so a
/// record read from the server can be changed and sent back whole.
fn patch_form(
    doc: &Value,
    record: &Record<'_>,
    names: &BTreeSet<String>,
) -> Result<TokenStream, String> {
    let type_name = &record.type_name;
    let ident = format_ident!("{type_name}Patch");
    let new_ident = format_ident!("New{type_name}");
    let schema = record.schema;
    let nullable = quote!(trustly_customers_api::Nullable);
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let mut applies = Vec::new();
    let mut empties = Vec::new();
    let mut debugs = Vec::new();
    for prop in facts::properties(doc, schema) {
        if prop.read_only {
            continue;
        }
        let field = record.field(prop.name)?;
        let f = field.ident.clone().expect("named");
        let json = prop.name;
        let name_text = f.to_string();
        let summary = first_line(prop.description());
        let doc_set = if summary.is_empty() {
            format!("Sets `{json}`.")
        } else {
            format!("Sets `{json}`: {summary}")
        };
        let holder = holder(&field.ty);
        let inner = qualify(&held(&field.ty), names);
        if let Holder::Nullable(_) = holder {
            fields.push(quote! {
                #[serde(rename = #json, default, skip_serializing_if = "trustly_customers_api::Nullable::is_absent")]
                #f: #nullable<#inner>,
            });
            let clear = format_ident!("clear_{f}");
            let doc_clear = format!("Removes `{json}` (sent as `null`).");
            setters.push(quote! {
                #[doc = #doc_set]
                pub fn #f(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
                    self.#f = #nullable::Value(value.into());
                    self
                }

                #[doc = #doc_clear]
                pub fn #clear(mut self) -> Self {
                    self.#f = #nullable::Null;
                    self
                }
            });
            applies.push(quote! {
                if !self.#f.is_absent() {
                    record.0.#f = self.#f.clone();
                }
            });
            empties.push(quote!(self.#f.is_absent()));
            debugs.push(if prop.pii {
                quote!(.field(#name_text, &trustly_customers_api::redact::nullable(&self.#f)))
            } else {
                quote!(.field(#name_text, &self.#f))
            });
        } else {
            fields.push(quote! {
                #[serde(rename = #json, default, skip_serializing_if = "::std::option::Option::is_none")]
                #f: ::std::option::Option<#inner>,
            });
            setters.push(quote! {
                #[doc = #doc_set]
                pub fn #f(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
                    self.#f = ::std::option::Option::Some(value.into());
                    self
                }
            });
            let assign = match holder {
                Holder::Option(_) => {
                    quote!(record.0.#f = ::std::option::Option::Some(value.clone());)
                }
                _ => quote!(record.0.#f = value.clone();),
            };
            applies.push(quote! {
                if let ::std::option::Option::Some(value) = &self.#f {
                    #assign
                }
            });
            empties.push(quote!(self.#f.is_none()));
            debugs.push(if prop.pii {
                quote!(.field(#name_text, &trustly_customers_api::redact::option(&self.#f)))
            } else {
                quote!(.field(#name_text, &self.#f))
            });
        }
    }
    let doc_type = format!(
        "Changes to a `{type_name}`: for each property a request may carry, leave it (the \
         default), set it, or (where the spec allows `null`) remove it.\n\n\
         Build one with `new` and a setter (or `clear_`) per change. [`{ident}::apply_to`] \
         makes the changes on a `New{type_name}`, such as one read from the server, so that the \
         whole record can be sent back. A property that is set replaces the stored one whole: \
         an object is not merged. It reads and writes JSON as a merge patch: a property \
         left out is unchanged, `null` removes it."
    );
    let name_text = ident.to_string();
    Ok(quote! {
        #[doc = #doc_type]
        #[derive(Clone, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        pub struct #ident {
            #(#fields)*
        }

        impl #ident {
            /// No changes.
            pub fn new() -> Self {
                ::std::default::Default::default()
            }

            #(#setters)*

            /// Whether it changes nothing.
            pub fn is_empty(&self) -> bool {
                #(#empties)&&*
            }

            /// Makes the changes on `record`: each property set replaces the record's, each
            /// one removed is set to `null` (so that sending the record removes it), the others
            /// stay as they are.
            pub fn apply_to(&self, mut record: #new_ident) -> #new_ident {
                #(#applies)*
                record
            }
        }

        impl ::std::fmt::Debug for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name_text)
                    #(#debugs)*
                    .finish()
            }
        }
    })
}

/// One operation's method on the ergonomic client.
fn operation(
    api: &syn::File,
    doc: &Value,
    m: &Method<'_>,
    new_forms: &BTreeSet<&str>,
    names: &BTreeSet<String>,
) -> Result<TokenStream, String> {
    let op = &m.op;
    let name = &m.name;
    let body_component = op.body_component();
    let mut params = Vec::new();
    let mut args = Vec::new();
    for (ident, ty) in &m.params {
        if ident == "body" && body_component.is_some_and(|b| new_forms.contains(b)) {
            let new = format_ident!("New{}", type_name(body_component.expect("checked")));
            params.push(quote!(body: &'a #new));
            args.push(quote!(body.as_api()));
            continue;
        }
        params.push(quote!(#ident: #ty));
        args.push(quote!(#ident));
    }

    let repeatable = match op.idempotency() {
        Idempotency::Always => quote!(Repeatable::Always),
        Idempotency::Never => quote!(Repeatable::OnlyIfUnsent),
        Idempotency::WhenGiven(list) => {
            let mut tests = Vec::new();
            for (location, given_name) in list {
                tests.push(given_test(api, doc, m, location, given_name, new_forms)?);
            }
            quote!(Repeatable::when(#(#tests)||*))
        }
    };

    let (returns, unwrap) = unwrap_envelope(api, doc, &m.success, names)?;
    // The answer itself, or its envelope's record moved out (of its box, when the envelope
    // holds it in one: `passes::envelopes`).
    let answer = if unwrap.is_empty() {
        quote!(response)
    } else {
        quote!(#unwrap)
    };
    let id = name.to_string();
    let method = op.method.to_uppercase();
    let path = op.path;
    let retry_doc = match op.idempotency() {
        Idempotency::Always => "Retried, as the client's policy allows, after a failure that may be temporary: repeating it is safe.".to_owned(),
        Idempotency::Never => "Never retried once it may have reached the server: a repeat could act twice.".to_owned(),
        Idempotency::WhenGiven(list) => format!(
            "Retried, as the client's policy allows, only when it gives {}: then a repeat acts on the same record. Otherwise it is never retried once it may have reached the server.",
            list.iter().map(|(l, n)| format!("`{n}` ({})", match l { Location::Body => "body", Location::Query => "query", Location::Path => "path", Location::Header => "header" })).collect::<Vec<_>>().join(" or ")
        ),
    };
    let doc_text = format!("{}\n\n{retry_doc}", operation_doc(op));
    Ok(quote! {
        #[doc = #doc_text]
        pub async fn #name<'a>(&'a self, #(#params),*) -> ::std::result::Result<#returns, Error> {
            let api = self.api();
            let response = self
                .call(
                    (#id, #method, #path),
                    #repeatable,
                    move || api.#name(#(#args),*),
                )
                .await?;
            Ok(#answer)
        }
    })
}

/// The test that a request gives `name` (non-empty), for `x-idempotent-when-given`.
fn given_test(
    api: &syn::File,
    doc: &Value,
    m: &Method<'_>,
    location: Location,
    name: &str,
    new_forms: &BTreeSet<&str>,
) -> Result<TokenStream, String> {
    let op_id = m.op.id;
    match location {
        Location::Query | Location::Path | Location::Header => {
            let ident = format_ident!("{}", heck::ToSnakeCase::to_snake_case(name));
            if !m.params.iter().any(|(p, _)| *p == ident) {
                return Err(format!(
                    "operation `{op_id}`: {} names parameter `{name}`, which the generated \
                     method does not take",
                    IDEMPOTENT_WHEN_GIVEN.name
                ));
            }
            match m
                .params
                .iter()
                .find(|(p, _)| *p == ident)
                .map(|(_, t)| holder(t))
            {
                Some(Holder::Option(_)) => Ok(quote!(given(#ident))),
                _ => Ok(quote!(given(Some(#ident)))),
            }
        }
        Location::Body => {
            let body = m.op.body_component().ok_or_else(|| {
                format!(
                    "operation `{op_id}`: {} names body property `{name}`, but it has no body",
                    IDEMPOTENT_WHEN_GIVEN.name
                )
            })?;
            let type_name = type_name(body);
            let item = types_struct(api, &type_name)
                .ok_or_else(|| format!("schema `{body}`: no generated struct"))?;
            let field = carrying(&item.fields, name).ok_or_else(|| {
                format!(
                    "operation `{op_id}`: {} names `{name}`, which `{body}` does not have",
                    IDEMPOTENT_WHEN_GIVEN.name
                )
            })?;
            let f = field.ident.clone().expect("named");
            let record = if new_forms.contains(body) {
                quote!(body.as_api())
            } else {
                quote!(body)
            };
            let _ = doc;
            Ok(match holder(&field.ty) {
                Holder::Option(_) => quote!(given(#record.#f.as_ref())),
                Holder::Nullable(_) => quote!(given(#record.#f.value())),
                Holder::Plain => quote!(given(Some(&#record.#f))),
            })
        }
    }
}

/// The return type and the expression that unwraps `response` to it: a body schema whose only
/// property is required (`{"customer": …}`) returns that property, out of its box if the
/// envelope holds it in one.
fn unwrap_envelope(
    api: &syn::File,
    doc: &Value,
    success: &Type,
    names: &BTreeSet<String>,
) -> Result<(TokenStream, TokenStream), String> {
    let whole = qualify(success, names);
    let Some(type_name) = types_name(&whole) else {
        return Ok((quote!(#whole), quote!()));
    };
    let Some(schema) = facts::component(doc, &type_name) else {
        return Ok((quote!(#whole), quote!()));
    };
    let props = facts::properties(doc, schema);
    match props.as_slice() {
        [only] if only.required => {
            let item = types_struct(api, &type_name)
                .ok_or_else(|| format!("schema `{type_name}`: no generated struct"))?;
            let field = carrying(&item.fields, only.name)
                .ok_or_else(|| format!("schema `{type_name}`: `{}` has no field", only.name))?;
            let f = field.ident.clone().expect("named");
            Ok(match boxed(&field.ty) {
                Some(inner) => {
                    let ty = qualify(inner, names);
                    (quote!(#ty), quote!(*response.#f))
                }
                None => {
                    let ty = qualify(&field.ty, names);
                    (quote!(#ty), quote!(response.#f))
                }
            })
        }
        _ => Ok((quote!(#whole), quote!())),
    }
}
