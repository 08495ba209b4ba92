//! Fields: the JSON name serde reads and writes them under, and how they hold their value.

use syn::{Attribute, Field, ItemStruct, Type};

use crate::paths::generic_argument;

/// The `rename = "…"` of `#[serde(...)]` attributes, if any. Other settings, with a value
/// (`skip_serializing_if = "…"`), a list (`rename(serialize = …)`) or none (`default`), are
/// read past.
pub fn serde_rename(attrs: &[Attribute]) -> Option<String> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                found = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            } else if meta.input.peek(syn::token::Paren) {
                let _ = meta.parse_nested_meta(|_| Ok(()));
            }
            Ok(())
        });
    }
    found
}

/// A field's Rust name, without the `r#` of a raw identifier (empty for a tuple field).
pub fn rust_name(field: &Field) -> String {
    field
        .ident
        .as_ref()
        .map(|i| i.to_string().trim_start_matches("r#").to_owned())
        .unwrap_or_default()
}

/// The JSON name of a generated field: its `#[serde(rename = "…")]`, else its Rust name.
pub fn wire_name(field: &Field) -> String {
    serde_rename(&field.attrs).unwrap_or_else(|| rust_name(field))
}

/// The field among `fields` that carries the JSON property `property`.
pub fn carrying<'f>(
    fields: impl IntoIterator<Item = &'f Field>,
    property: &str,
) -> Option<&'f Field> {
    fields.into_iter().find(|f| wire_name(f) == property)
}

/// The field of `item` that carries the JSON property `property`, to change; an error naming
/// both when there is none.
pub fn carrying_mut<'a>(
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
    match generic_argument(ty) {
        Some((wrapper, inner)) if wrapper == "Option" => Holder::Option(inner.clone()),
        Some((wrapper, inner)) if wrapper == "Nullable" => Holder::Nullable(inner.clone()),
        _ => Holder::Plain,
    }
}

/// `T` of `Option<T>` or `Nullable<T>`, else the type itself: what a setter takes.
pub fn held(ty: &Type) -> Type {
    match holder(ty) {
        Holder::Option(t) | Holder::Nullable(t) => t,
        Holder::Plain => ty.clone(),
    }
}

/// `T` of a field typed `Box<T>` (as the envelopes pass writes it).
pub fn boxed(ty: &Type) -> Option<&Type> {
    generic_argument(ty).and_then(|(wrapper, inner)| (wrapper == "Box").then_some(inner))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(code: &str) -> Field {
        let item: syn::ItemStruct = syn::parse_str(&format!("struct S {{ {code} }}")).unwrap();
        item.fields.into_iter().next().unwrap()
    }

    #[test]
    fn the_json_name_is_the_rename_among_any_other_serde_settings() {
        let renamed = field(
            r#"#[serde(default, rename = "taxId", skip_serializing_if = "Option::is_none")] pub tax_id: Option<String>"#,
        );
        assert_eq!(wire_name(&renamed), "taxId");
        let nested =
            field(r#"#[serde(with = "x", alias(a = "b"))] #[serde(rename = "k")] pub key: String"#);
        assert_eq!(wire_name(&nested), "k");
        assert_eq!(wire_name(&field("pub r#type: String")), "type");
        assert_eq!(serde_rename(&field("pub name: String").attrs), None);
    }

    #[test]
    fn holders_and_boxes_are_read_from_the_last_segment() {
        let ty = |t: &str| -> Type { syn::parse_str(t).unwrap() };
        assert!(matches!(
            holder(&ty("::std::option::Option<u8>")),
            Holder::Option(_)
        ));
        assert!(matches!(
            holder(&ty("crate::Nullable<u8>")),
            Holder::Nullable(_)
        ));
        assert!(matches!(holder(&ty("Vec<u8>")), Holder::Plain));
        assert!(boxed(&ty("::std::boxed::Box<Customer>")).is_some());
        assert!(boxed(&ty("Customer")).is_none());
        let inner = held(&ty("Option<u8>"));
        assert_eq!(quote::quote!(#inner).to_string(), "u8");
    }
}
