//! The files the xtask writes beside the generated client, from the same spec and the parsed
//! generated code: the ergonomic client's operations and request types
//! (`crates/trustly-customers/src/generated.rs`), the command line's commands
//! (`crates/trustly-customers-cli/src/generated.rs`), and the emulator's names of the API's
//! properties and parameters (`crates/trustly-customers-mock/src/generated.rs`).
//!
//! They read the generated module rather than re-deriving its names: a method, field or type
//! is used exactly as the generator named it. (The emulator's names are the spec's own, read
//! from the spec alone.)

pub mod cli;
pub mod client;
pub mod mock;

use std::collections::BTreeSet;

use heck::ToSnakeCase;
use serde_json::Value;
use syn::visit_mut::VisitMut;
use syn::{FnArg, ImplItem, ImplItemFn, Item, Pat, ReturnType, Type};
use trustly_customers_spec::facts::{self, Operation};

/// One generated operation method: the spec's operation and the method's parameters.
pub struct Method<'a> {
    /// The spec's operation.
    pub op: Operation<'a>,
    /// The method's name (`get_customer`).
    pub name: syn::Ident,
    /// Its parameters after `&self`: (name, type as generated).
    pub params: Vec<(syn::Ident, Type)>,
    /// The success type `T` of its `Result<ResponseValue<T>, _>`.
    pub success: Type,
}

impl std::fmt::Debug for Method<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Method")
            .field("operation", &self.op.id)
            .field("name", &self.name.to_string())
            .finish_non_exhaustive()
    }
}

/// Pairs each operation of the spec with its generated method.
pub fn methods<'a>(api: &syn::File, doc: &'a Value) -> Result<Vec<Method<'a>>, String> {
    let mut out = Vec::new();
    for op in facts::operations(doc) {
        let name = op.id.to_snake_case();
        let f = client_method(api, &name).ok_or_else(|| {
            format!(
                "operation `{}`: the generator emitted no method `{name}`",
                op.id
            )
        })?;
        let mut params = Vec::new();
        for input in f.sig.inputs.iter().skip(1) {
            let FnArg::Typed(pat) = input else { continue };
            let Pat::Ident(ident) = &*pat.pat else {
                return Err(format!("method `{name}`: a parameter is not a plain name"));
            };
            params.push((ident.ident.clone(), (*pat.ty).clone()));
        }
        let success = success_type(&f.sig.output)
            .ok_or_else(|| format!("method `{name}`: not a `Result<ResponseValue<T>, _>`"))?;
        out.push(Method {
            op,
            name: f.sig.ident.clone(),
            params,
            success,
        });
    }
    Ok(out)
}

fn client_method<'f>(api: &'f syn::File, name: &str) -> Option<&'f ImplItemFn> {
    api.items.iter().find_map(|item| {
        let Item::Impl(imp) = item else { return None };
        if imp.trait_.is_some() {
            return None;
        }
        let Type::Path(p) = &*imp.self_ty else {
            return None;
        };
        if !p.path.is_ident("Client") {
            return None;
        }
        imp.items.iter().find_map(|i| match i {
            ImplItem::Fn(f) if f.sig.ident == name && f.sig.asyncness.is_some() => Some(f),
            _ => None,
        })
    })
}

/// `T` in `Result<ResponseValue<T>, Error<E>>`.
fn success_type(output: &ReturnType) -> Option<Type> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let result = first_generic(ty)?;
    first_generic(result).cloned()
}

fn first_generic(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let syn::PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// The names of the types in the generated `mod types`.
pub fn type_names(api: &syn::File) -> BTreeSet<String> {
    api.items
        .iter()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
            _ => None,
        })
        .into_iter()
        .flatten()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            Item::Enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect()
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

/// The type `types::X` names, if it is one: `X`.
pub fn types_name(ty: &Type) -> Option<String> {
    let ty = match ty {
        Type::Reference(r) => &*r.elem,
        other => other,
    };
    let Type::Path(p) = ty else { return None };
    match path_segments(&p.path).as_slice() {
        [module, name] if module == "types" => Some(name.clone()),
        _ => None,
    }
}

/// Doc text for an operation: summary, description, and the request it sends.
pub fn operation_doc(op: &Operation<'_>) -> String {
    let mut text = String::new();
    if let Some(summary) = op.summary() {
        text.push_str(summary);
        text.push_str("\n\n");
    }
    if let Some(description) = op.description() {
        text.push_str(description.trim_end());
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "Sends `{} {}` (operation `{}`).",
        op.method.to_uppercase(),
        op.path,
        op.id
    ));
    text
}

/// The names of a path's segments: `types::Customer` is `["types", "Customer"]`.
pub fn path_segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}
