//! The generated client's operation methods: the async methods of `impl Client`.

use heck::ToSnakeCase;
use serde_json::Value;
use syn::{FnArg, ImplItem, ImplItemFn, Item, ItemImpl, Pat, ReturnType, Type};
use trustly_customers_spec::facts::{self, Operation};

use crate::paths::generic_argument;

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

/// Whether `imp` is the client's own `impl Client { … }` (not a trait's).
pub fn is_client_impl(imp: &ItemImpl) -> bool {
    imp.trait_.is_none() && matches!(&*imp.self_ty, Type::Path(p) if p.path.is_ident("Client"))
}

/// The client's inherent impls in a generated file.
pub fn client_impls(file: &syn::File) -> impl Iterator<Item = &ItemImpl> {
    file.items.iter().filter_map(|item| match item {
        Item::Impl(imp) if is_client_impl(imp) => Some(imp),
        _ => None,
    })
}

/// The operation method `name` of the client.
pub fn client_method<'f>(api: &'f syn::File, name: &str) -> Option<&'f ImplItemFn> {
    client_impls(api).find_map(|imp| {
        imp.items.iter().find_map(|i| match i {
            ImplItem::Fn(f) if f.sig.ident == name && f.sig.asyncness.is_some() => Some(f),
            _ => None,
        })
    })
}

/// Every operation method, to change: the async methods of the file's inherent impls. An
/// error when there is none (the generator changed).
pub fn operation_methods_mut(file: &mut syn::File) -> Result<Vec<&mut ImplItemFn>, String> {
    let methods: Vec<&mut ImplItemFn> = file
        .items
        .iter_mut()
        .filter_map(|item| match item {
            Item::Impl(imp) if imp.trait_.is_none() => Some(&mut imp.items),
            _ => None,
        })
        .flatten()
        .filter_map(|item| match item {
            ImplItem::Fn(f) if f.sig.asyncness.is_some() => Some(f),
            _ => None,
        })
        .collect();
    if methods.is_empty() {
        return Err("the generator emitted no operation methods".into());
    }
    Ok(methods)
}

/// `T` in `Result<ResponseValue<T>, Error<E>>`.
pub fn success_type(output: &ReturnType) -> Option<Type> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let (_, response) = generic_argument(ty)?;
    generic_argument(response).map(|(_, t)| t.clone())
}
