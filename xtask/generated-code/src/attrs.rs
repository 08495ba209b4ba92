//! Attributes: derives, serde's words, `#[non_exhaustive]`.

use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::{Attribute, Token};

use crate::paths::last_ident;

/// The paths in a `#[derive(...)]` attribute; `None` for another attribute.
pub fn derive_paths(attr: &Attribute) -> Option<Punctuated<syn::Path, Token![,]>> {
    if !attr.path().is_ident("derive") {
        return None;
    }
    attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
        .ok()
}

/// Adds the traits of `wanted` (by name: `Eq`, `Hash`) that no `#[derive(...)]` of the item
/// names yet to each of its derives.
pub fn add_derives(attrs: &mut [Attribute], wanted: &[&str]) {
    for attr in attrs {
        let Some(mut list) = derive_paths(attr) else {
            continue;
        };
        let present: Vec<String> = list.iter().map(last_ident).collect();
        for trait_name in wanted {
            if !present.iter().any(|p| p == trait_name) {
                list.push(syn::Path::from(syn::Ident::new(
                    trait_name,
                    proc_macro2::Span::call_site(),
                )));
            }
        }
        *attr = syn::parse_quote!(#[derive(#list)]);
    }
}

/// The traits every `#[derive(...)]` of an item names, by their last segment, in order.
pub fn derived(attrs: &[Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter_map(derive_paths)
        .flatten()
        .map(|p| last_ident(&p))
        .collect()
}

/// Whether a `#[serde(...)]` of an item says `word` (`untagged`, `transparent`).
pub fn has_serde_word(attrs: &[Attribute], word: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .any(|a| a.to_token_stream().to_string().contains(word))
}

/// Whether an item is `#[non_exhaustive]`.
pub fn is_non_exhaustive(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}
