//! Paths and types as the generated code writes them.

use std::collections::BTreeSet;

use syn::visit_mut::VisitMut;
use syn::{GenericArgument, PathArguments, Type};

use crate::module::TYPES;

/// The last segment of a path, as text (`::serde::Serialize` → `Serialize`).
pub fn last_ident(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// The names of a path's segments: `types::Customer` is `["types", "Customer"]`.
pub fn path_segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// For a type `Wrapper<T, …>` (any path before it): the wrapper's name and `T`, its first type
/// argument.
pub fn generic_argument(ty: &Type) -> Option<(String, &Type)> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let inner = args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    })?;
    Some((last.ident.to_string(), inner))
}

/// A type as written inside the generated crate, made to mean the same from another crate:
/// `Address` (inside `mod types`) becomes `types::Address`, `crate::X` becomes
/// `trustly_customers_api::X`.
pub fn qualify(ty: &Type, type_names: &BTreeSet<String>) -> Type {
    struct Qualify<'a>(&'a BTreeSet<String>);
    impl VisitMut for Qualify<'_> {
        fn visit_path_mut(&mut self, path: &mut syn::Path) {
            if path.leading_colon.is_none() {
                let first = path.segments.first().map(|s| s.ident.to_string());
                match first.as_deref() {
                    Some("crate") => {
                        path.segments[0].ident =
                            syn::Ident::new("trustly_customers_api", path.segments[0].ident.span());
                    }
                    Some(name) if path.segments.len() == 1 && self.0.contains(name) => {
                        path.segments.insert(0, syn::parse_quote!(types));
                    }
                    _ => {}
                }
            }
            syn::visit_mut::visit_path_mut(self, path);
        }
    }
    let mut ty = ty.clone();
    Qualify(type_names).visit_type_mut(&mut ty);
    ty
}

/// The type `types::X` (or `&types::X`) names, if it is one: `X`.
pub fn types_name(ty: &Type) -> Option<String> {
    let ty = match ty {
        Type::Reference(r) => &*r.elem,
        other => other,
    };
    let Type::Path(p) = ty else { return None };
    match path_segments(&p.path).as_slice() {
        [module, name] if module == TYPES => Some(name.clone()),
        _ => None,
    }
}

/// A type or path without the leading `&` of a reference.
pub fn dereferenced(ty: &Type) -> Type {
    match ty {
        Type::Reference(r) => (*r.elem).clone(),
        other => other.clone(),
    }
}
