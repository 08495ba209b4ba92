//! `x-pii: true`: `Debug` shows whether a personal value is there, never the value.

use generated_code::attrs::derive_paths;
use generated_code::fields::{Holder, holder, wire_name};
use generated_code::module::{find_struct_mut, type_name};
use generated_code::paths::last_ident;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;
use syn::punctuated::Punctuated;
use syn::{Fields, Item, ItemStruct, Token, parse_quote};
use trustly_customers_spec::conventions::PII;
use trustly_customers_spec::facts;

use super::component_schemas;

/// Every generated struct with an `x-pii` property (or whose schema is `x-pii` itself) loses
/// its derived `Debug` for one that prints each personal field as its presence:
/// `<redacted>`, `Some(<redacted>)` / `None`, or `Value(<redacted>)` / `Null` / `Absent`.
/// Other fields print as before.
///
/// The generator derives `Debug` on every type and cannot be told to leave it out (its type
/// patches only add derives), so the derive is removed here.
pub fn pii_debug(items: &mut Vec<Item>, doc: &Value) -> Result<(), String> {
    let mut impls = Vec::new();
    for (schema_name, schema) in component_schemas(doc) {
        let whole = facts::is_pii(schema);
        let personal: Vec<&str> = facts::properties(doc, schema)
            .into_iter()
            .filter(|p| p.pii)
            .map(|p| p.name)
            .collect();
        if !whole && personal.is_empty() {
            continue;
        }
        let name = type_name(schema_name);
        let Some(item) = find_struct_mut(items, &name) else {
            return Err(format!(
                "schema `{schema_name}` has personal data, but the generator emitted no struct \
                 `{name}` whose Debug could hide it"
            ));
        };
        remove_debug_derive(item, schema_name)?;
        impls.push(debug_impl(item, whole, &personal, schema_name)?);
    }
    items.extend(impls);
    Ok(())
}

fn remove_debug_derive(item: &mut ItemStruct, schema_name: &str) -> Result<(), String> {
    let mut found = false;
    for attr in &mut item.attrs {
        let Some(list) = derive_paths(attr) else {
            continue;
        };
        let kept: Punctuated<syn::Path, Token![,]> = list
            .into_iter()
            .filter(|p| {
                let debug = last_ident(p) == "Debug";
                found |= debug;
                !debug
            })
            .collect();
        *attr = parse_quote!(#[derive(#kept)]);
    }
    if found {
        Ok(())
    } else {
        Err(format!(
            "schema `{schema_name}`: the generated type no longer derives Debug; passes::redact \
             needs revisiting"
        ))
    }
}

fn debug_impl(
    item: &ItemStruct,
    whole: bool,
    personal: &[&str],
    schema_name: &str,
) -> Result<Item, String> {
    let ident = &item.ident;
    let name = ident.to_string();
    let body: TokenStream = match &item.fields {
        Fields::Named(fields) => {
            let entries = fields.named.iter().map(|field| {
                let f = field.ident.as_ref().expect("named fields have names");
                let label = f.to_string().trim_start_matches("r#").to_owned();
                let shown = if whole || personal.contains(&wire_name(field).as_str()) {
                    match holder(&field.ty) {
                        Holder::Option(_) => quote!(&crate::redact::option(&self.#f)),
                        Holder::Nullable(_) => quote!(&crate::redact::nullable(&self.#f)),
                        Holder::Plain => quote!(&crate::redact::Redacted),
                    }
                } else {
                    quote!(&self.#f)
                };
                quote!(.field(#label, #shown))
            });
            quote!(f.debug_struct(#name) #(#entries)* .finish())
        }
        Fields::Unnamed(fields) if whole => {
            let entries = fields
                .unnamed
                .iter()
                .map(|_| quote!(.field(&crate::redact::Redacted)));
            quote!(f.debug_tuple(#name) #(#entries)* .finish())
        }
        _ => {
            return Err(format!(
                "schema `{schema_name}`: {} on the properties of a type the generator did not \
                 make a struct with named fields",
                PII.name
            ));
        }
    };
    Ok(parse_quote! {
        impl ::std::fmt::Debug for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #body
            }
        }
    })
}
