//! `nullable: true` on an optional property: the field can be left out, `null`, or a value.

use generated_code::fields::{Holder, carrying_mut, holder, serde_rename};
use generated_code::module::schema_struct_mut;
use quote::quote;
use serde_json::Value;
use syn::punctuated::Punctuated;
use syn::{Item, Token, parse_quote};
use trustly_customers_spec::facts;

use super::object_schemas;

/// Every optional, `nullable` property becomes a `crate::Nullable<T>` field, skipped when
/// absent and sent as `null` when null.
///
/// The generator makes such a property an `Option<T>` that skips `None`: "leave it" and "set
/// it" can be said, "remove it" (which Trustly reads from `null`) cannot. Required nullable
/// properties keep the generator's type, which always sends the key.
pub fn tri_state(items: &mut [Item], doc: &Value) -> Result<(), String> {
    for (schema_name, schema) in object_schemas(doc) {
        let props: Vec<_> = facts::properties(doc, schema)
            .into_iter()
            .filter(|p| p.nullable && !p.required)
            .collect();
        if props.is_empty() {
            continue;
        }
        let item = schema_struct_mut(items, schema_name)?;
        for prop in props {
            let field = carrying_mut(item, schema_name, prop.name)?;
            let Holder::Option(inner) = holder(&field.ty) else {
                return Err(format!(
                    "schema `{schema_name}`, property `{}`: expected the generator to emit an \
                     `Option` for an optional nullable property; passes::nullable needs revisiting",
                    prop.name
                ));
            };
            check_serde_keys(field, schema_name, prop.name)?;
            field.ty = parse_quote!(crate::Nullable<#inner>);
            let rename = serde_rename(&field.attrs).is_some().then_some(prop.name);
            field.attrs.retain(|a| !a.path().is_ident("serde"));
            let rename = rename.map(|name| quote!(rename = #name,));
            field.attrs.push(parse_quote!(
                #[serde(default, #rename skip_serializing_if = "crate::Nullable::is_absent")]
            ));
        }
    }
    Ok(())
}

/// The serde settings this pass replaces are the only ones the field has: anything else would be
/// lost by rewriting them.
fn check_serde_keys(field: &syn::Field, schema_name: &str, property: &str) -> Result<(), String> {
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let list = attr
            .parse_args_with(Punctuated::<syn::Meta, Token![,]>::parse_terminated)
            .map_err(|e| format!("schema `{schema_name}`, property `{property}`: {e}"))?;
        for meta in list {
            let key = meta.path().get_ident().map(ToString::to_string);
            if !matches!(
                key.as_deref(),
                Some("rename" | "default" | "skip_serializing_if")
            ) {
                return Err(format!(
                    "schema `{schema_name}`, property `{property}`: the generator now sets                      `{}` on the field; passes::nullable would drop it",
                    quote!(#meta)
                ));
            }
        }
    }
    Ok(())
}
