//! `impl` blocks: what the generator implemented for a type by hand rather than derived.

use std::collections::BTreeSet;

use syn::Item;

use crate::paths::last_ident;

/// The traits (by their last path segment) that `impl … for name` blocks among `items`
/// implement.
pub fn implemented_traits(items: &[Item], name: &str) -> BTreeSet<String> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Impl(imp) => {
                let (trait_path, _) = imp.trait_.as_ref()?;
                let syn::Type::Path(self_ty) = &*imp.self_ty else {
                    return None;
                };
                (last_ident(&self_ty.path) == name).then(|| last_ident(trait_path))
            }
            _ => None,
        })
        .collect()
}
