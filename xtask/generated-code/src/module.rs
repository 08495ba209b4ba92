//! The generated module's tree: `mod types` and the types in it.

use std::collections::BTreeSet;

use heck::{ToShoutySnakeCase, ToUpperCamelCase};
use syn::{Fields, Item, ItemStruct};

/// The name of the module the generator puts every schema's type in.
pub const TYPES: &str = "types";

/// The items of the generated `mod types`, if the file has one.
pub fn types(file: &syn::File) -> Option<&Vec<Item>> {
    file.items.iter().find_map(|item| match item {
        Item::Mod(m) if m.ident == TYPES => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })
}

/// The items of the generated `mod types`, to change; an error when there is none.
pub fn types_mut(file: &mut syn::File) -> Result<&mut Vec<Item>, String> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == TYPES => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        })
        .ok_or_else(|| "the generated code has no `mod types`".to_owned())
}

/// The names of the structs and enums in `mod types`.
pub fn type_names(file: &syn::File) -> BTreeSet<String> {
    types(file)
        .into_iter()
        .flatten()
        .filter_map(type_ident)
        .map(ToString::to_string)
        .collect()
}

/// How many structs and enums `mod types` holds.
pub fn type_count(file: &syn::File) -> usize {
    types(file)
        .into_iter()
        .flatten()
        .filter_map(type_ident)
        .count()
}

/// The name of a struct or an enum.
pub fn type_ident(item: &Item) -> Option<&syn::Ident> {
    match item {
        Item::Struct(s) => Some(&s.ident),
        Item::Enum(e) => Some(&e.ident),
        _ => None,
    }
}

/// The Rust name the generator gives a component schema.
pub fn type_name(schema_name: &str) -> String {
    schema_name.to_upper_camel_case()
}

/// The name of the associated constant a known value of a schema (`x-known-values`) becomes:
/// `AccessControl` → `ACCESS_CONTROL`.
pub fn constant_name(value_name: &str) -> String {
    value_name.to_shouty_snake_case()
}

/// The type a newtype (`struct Name(pub T);`) wraps; `None` for any other struct.
pub fn newtype_inner(item: &ItemStruct) -> Option<&syn::Type> {
    match &item.fields {
        Fields::Unnamed(fields) if fields.unnamed.len() == 1 => Some(&fields.unnamed[0].ty),
        _ => None,
    }
}

/// The struct named `name` among `items`.
pub fn find_struct<'a>(items: &'a [Item], name: &str) -> Option<&'a ItemStruct> {
    items.iter().find_map(|item| match item {
        Item::Struct(s) if s.ident == name => Some(s),
        _ => None,
    })
}

/// Where among `items` the struct named `name` stands: an item added right after it reads as
/// part of it.
pub fn struct_position(items: &[Item], name: &str) -> Option<usize> {
    items
        .iter()
        .position(|item| matches!(item, Item::Struct(s) if s.ident == name))
}

/// The struct named `name` among `items`, to change.
pub fn find_struct_mut<'a>(items: &'a mut [Item], name: &str) -> Option<&'a mut ItemStruct> {
    items.iter_mut().find_map(|item| match item {
        Item::Struct(s) if s.ident == name => Some(s),
        _ => None,
    })
}

/// The struct the generator made of a component schema, to change; an error naming both when
/// there is none.
pub fn schema_struct_mut<'a>(
    items: &'a mut [Item],
    schema_name: &str,
) -> Result<&'a mut ItemStruct, String> {
    let name = type_name(schema_name);
    find_struct_mut(items, &name)
        .ok_or_else(|| format!("schema `{schema_name}`: the generator emitted no struct `{name}`"))
}

/// The struct named `name` in the generated file's `mod types`.
pub fn types_struct<'a>(file: &'a syn::File, name: &str) -> Option<&'a ItemStruct> {
    find_struct(types(file)?, name)
}
