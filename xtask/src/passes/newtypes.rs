//! A string component schema (an id): a newtype that behaves like the string it wraps.

use serde_json::Value;
use syn::{Item, parse_quote};

use generated_code::attrs::add_derives;
use generated_code::impls::implemented_traits;
use generated_code::module::{find_struct_mut, newtype_inner, type_name};
use trustly_customers_spec::facts;

use super::component_schemas;

/// Every component schema of `type: string` is a newtype (`CustomerId(String)`), so an id of
/// one kind cannot be passed where another is expected. This makes each of them compare, hash
/// and order like its string, print and parse as it (`Display`, `FromStr`), and convert from
/// `&str` and `String`.
///
/// A newtype of a schema marked `x-pii` (`ExternalId`) displays as `<redacted>`, like its
/// `Debug`: `Display` is where a value goes into messages and logs. Its text is still one call
/// away (`as_ref()`, `as_str()` through `Deref`, or `String::from`).
///
/// The generator already does most of this for an unconstrained string, and less for one
/// whose length bounds were lifted (see `deviations::lenient_string_lengths`); what is missing
/// is added, so every id type offers the same.
pub fn string_ids(items: &mut Vec<Item>, doc: &Value) -> Result<(), String> {
    let mut added = Vec::new();
    for (schema_name, schema) in component_schemas(doc) {
        if schema.get("type").and_then(Value::as_str) != Some("string")
            || schema.get("enum").is_some()
        {
            continue;
        }
        let name = type_name(schema_name);
        let implemented = implemented_traits(items, &name);
        let Some(item) = find_struct_mut(items, &name) else {
            return Err(format!(
                "schema `{schema_name}` is a string, but the generator emitted no newtype `{name}`"
            ));
        };
        if newtype_inner(item).is_none() {
            return Err(format!("schema `{schema_name}`: `{name}` is not a newtype"));
        }
        add_derives(&mut item.attrs, &["Eq", "Hash", "PartialOrd", "Ord"]);
        if implemented.contains("TryFrom") {
            return Err(format!(
                "schema `{schema_name}`: `{name}` validates its contents (the generator made it \
                 fallible); passes::newtypes expects plain newtypes"
            ));
        }
        let ident = item.ident.clone();
        if facts::is_pii(schema) {
            if implemented.contains("Display") {
                return Err(format!(
                    "schema `{schema_name}` is personal, but the generator gave `{name}` a \
                     `Display` that prints it; passes::newtypes expects to add its own"
                ));
            }
            added.push(parse_quote! {
                impl ::std::fmt::Display for #ident {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(crate::redact::REDACTED)
                    }
                }
            });
        } else if !implemented.contains("Display") {
            added.push(parse_quote! {
                impl ::std::fmt::Display for #ident {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        self.0.fmt(f)
                    }
                }
            });
        }
        if !implemented.contains("FromStr") {
            added.push(parse_quote! {
                impl ::std::str::FromStr for #ident {
                    type Err = ::std::convert::Infallible;
                    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                        Ok(Self(value.to_string()))
                    }
                }
            });
        }
        added.push(parse_quote! {
            impl ::std::convert::From<&str> for #ident {
                fn from(value: &str) -> Self {
                    Self(value.to_string())
                }
            }
        });
        added.push(parse_quote! {
            impl ::std::convert::AsRef<str> for #ident {
                fn as_ref(&self) -> &str {
                    &self.0
                }
            }
        });
    }
    items.extend(added);
    Ok(())
}
