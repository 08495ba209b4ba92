//! `required` and `readOnly`: a constructor that takes what a record cannot be without, and a
//! setter for each property a request may carry.

use generated_code::docs::first_line;
use generated_code::fields::{Holder, carrying, holder, wire_name};
use generated_code::module::{find_struct, type_name};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;
use syn::{Fields, Item, parse_quote};
use trustly_customers_spec::facts;

use super::object_schemas;

/// For every generated struct of an object schema:
///
/// - `new(…)` taking the `required` properties, in the order the spec lists them, so leaving
///   one out is a compile error rather than a 400; the others start absent;
/// - a setter per optional property that is not `readOnly`, named after its field (`tax_id`),
///   taking anything that converts into its type;
/// - for a `Nullable` field also `clear_<field>()`, which sends `null` (remove it).
///
/// The generator builds structs only through struct literals (or builder types, in its builder
/// mode, that check required fields at run time).
pub fn constructors(items: &mut Vec<Item>, doc: &Value) -> Result<(), String> {
    let mut impls = Vec::new();
    for (schema_name, schema) in object_schemas(doc) {
        let name = type_name(schema_name);
        let Some(item) = find_struct(items, &name) else {
            return Err(format!(
                "schema `{schema_name}`: the generator emitted no struct `{name}`"
            ));
        };
        let Fields::Named(fields) = &item.fields else {
            return Err(format!(
                "schema `{schema_name}`: not a struct with named fields"
            ));
        };
        let props = facts::properties(doc, schema);
        let mut params = Vec::new();
        let mut inits = Vec::new();
        for required in facts::required(doc, schema) {
            let field = carrying(&fields.named, required).ok_or_else(|| {
                format!("schema `{schema_name}`: required `{required}` has no field")
            })?;
            let (f, ty) = (field.ident.clone().expect("named"), &field.ty);
            params.push(quote!(#f: impl ::std::convert::Into<#ty>));
            inits.push(quote!(#f: #f.into()));
        }
        let mut setters = Vec::new();
        for field in &fields.named {
            let f = field.ident.clone().expect("named");
            let json = wire_name(field);
            let Some(prop) = props.iter().find(|p| p.name == json) else {
                return Err(format!(
                    "schema `{schema_name}`: field `{f}` carries `{json}`, which the spec does \
                     not declare"
                ));
            };
            if !prop.required {
                inits.push(quote!(#f: ::std::default::Default::default()));
                if !prop.read_only {
                    setters.push(setter(&f, &field.ty, &json, prop.description()));
                }
            }
        }
        let doc_new = format!(
            "With the properties every `{name}` has; the others start absent (set them with \
             the methods below)."
        );
        let ident = &item.ident;
        impls.push(parse_quote! {
            impl #ident {
                #[doc = #doc_new]
                pub fn new(#(#params),*) -> Self {
                    Self { #(#inits),* }
                }
                #(#setters)*
            }
        });
    }
    items.extend(impls);
    Ok(())
}

fn setter(f: &Ident, ty: &syn::Type, json: &str, description: Option<&str>) -> TokenStream {
    let summary = first_line(description);
    let doc_set = if summary.is_empty() {
        format!("Sets `{json}`.")
    } else {
        format!("Sets `{json}`: {summary}")
    };
    match holder(ty) {
        Holder::Option(inner) => quote! {
            #[doc = #doc_set]
            pub fn #f(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
                self.#f = ::std::option::Option::Some(value.into());
                self
            }
        },
        Holder::Nullable(inner) => {
            let clear = format_ident!("clear_{}", f.to_string().trim_start_matches("r#"));
            let doc_clear = format!("Sets `{json}` to `null`, which removes it.");
            quote! {
                #[doc = #doc_set]
                pub fn #f(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
                    self.#f = crate::Nullable::Value(value.into());
                    self
                }
                #[doc = #doc_clear]
                pub fn #clear(mut self) -> Self {
                    self.#f = crate::Nullable::Null;
                    self
                }
            }
        }
        Holder::Plain => quote! {
            #[doc = #doc_set]
            pub fn #f(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                self.#f = value.into();
                self
            }
        },
    }
}
