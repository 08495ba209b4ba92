//! Every public entry of a generated file, with its signature: what the semver comparison of
//! the spec diff compares.
//!
//! Every public type, field, variant, function, method, constant and trait implementation
//! (derives included) is one entry, keyed by its path (`types::Customer.phone`,
//! `Client::get_customer`, `impl Clone for types::Vip`).

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::{Attribute, Fields, ImplItem, Item, UseTree, Visibility};

use crate::attrs::{derived, is_non_exhaustive};
use crate::fields::serde_rename;

/// One public entry of a crate's API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// What it is: `struct`, `field`, `variant`, `fn`, `method`, `impl`, `use`, `const`, ...
    pub kind: &'static str,
    /// Its signature, as compared.
    pub signature: String,
    /// For a struct: whether code outside the crate can write a literal of it. For an enum:
    /// whether a `match` outside the crate must name every variant.
    pub exhaustive: bool,
}

/// Every public entry of a generated file, by path.
pub fn entries(code: &str) -> Result<BTreeMap<String, Entry>, String> {
    let file = crate::parse(code, "generated code")?;
    let mut out = BTreeMap::new();
    collect(&file.items, "", &mut out);
    Ok(out)
}

fn collect(items: &[Item], prefix: &str, out: &mut BTreeMap<String, Entry>) {
    let path = |name: &str| format!("{prefix}{name}");
    for item in items {
        match item {
            Item::Use(u) if public(&u.vis) => {
                let mut leaves = Vec::new();
                use_leaves(&u.tree, String::new(), &mut leaves);
                for leaf in leaves {
                    insert(out, format!("use {leaf}"), "use", leaf.clone(), false);
                }
            }
            Item::Struct(s) if public(&s.vis) => {
                let name = path(&s.ident.to_string());
                let all_pub = s.fields.iter().all(|f| public(&f.vis));
                let exhaustive = all_pub && !is_non_exhaustive(&s.attrs);
                let generics = s.generics.to_token_stream().to_string();
                insert(
                    out,
                    name.clone(),
                    "struct",
                    signature_text(&format!("struct {}{generics}", s.ident)),
                    exhaustive,
                );
                non_exhaustive_entry(&s.attrs, &name, out);
                for (i, f) in s.fields.iter().enumerate() {
                    if !public(&f.vis) {
                        continue;
                    }
                    let field = f
                        .ident
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_else(|| i.to_string());
                    insert(
                        out,
                        format!("{name}.{field}"),
                        "field",
                        signature_type(&f.ty),
                        false,
                    );
                    if let Some(rename) = serde_rename(&f.attrs) {
                        insert(
                            out,
                            format!("{name}.{field} (serde name)"),
                            "serde",
                            rename,
                            false,
                        );
                    }
                }
                derive_entries(&s.attrs, &name, out);
            }
            Item::Enum(e) if public(&e.vis) => {
                let name = path(&e.ident.to_string());
                insert(
                    out,
                    name.clone(),
                    "enum",
                    signature_text(&format!("enum {}", e.ident)),
                    !is_non_exhaustive(&e.attrs),
                );
                non_exhaustive_entry(&e.attrs, &name, out);
                for v in &e.variants {
                    let payload = match &v.fields {
                        Fields::Unit => String::new(),
                        Fields::Unnamed(f) => format!(
                            "({})",
                            f.unnamed
                                .iter()
                                .map(|f| signature_type(&f.ty))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        Fields::Named(f) => format!(
                            "{{ {} }}",
                            f.named
                                .iter()
                                .map(|f| format!(
                                    "{}: {}",
                                    f.ident
                                        .as_ref()
                                        .map(ToString::to_string)
                                        .unwrap_or_default(),
                                    signature_type(&f.ty)
                                ))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    insert(
                        out,
                        format!("{name}::{}", v.ident),
                        "variant",
                        format!("{}{payload}", v.ident),
                        false,
                    );
                }
                derive_entries(&e.attrs, &name, out);
            }
            Item::Fn(f) if public(&f.vis) => {
                insert(
                    out,
                    path(&f.sig.ident.to_string()),
                    "fn",
                    signature(&f.sig),
                    false,
                );
            }
            Item::Const(c) if public(&c.vis) => {
                insert(
                    out,
                    path(&c.ident.to_string()),
                    "const",
                    signature_type(&c.ty),
                    false,
                );
            }
            Item::Static(s) if public(&s.vis) => {
                insert(
                    out,
                    path(&s.ident.to_string()),
                    "static",
                    signature_type(&s.ty),
                    false,
                );
            }
            Item::Type(t) if public(&t.vis) => {
                insert(
                    out,
                    path(&t.ident.to_string()),
                    "type",
                    signature_type(&t.ty),
                    false,
                );
            }
            Item::Trait(t) if public(&t.vis) => {
                insert(
                    out,
                    path(&t.ident.to_string()),
                    "trait",
                    signature_text(&t.to_token_stream().to_string()),
                    false,
                );
            }
            Item::Mod(m) if public(&m.vis) => {
                let name = path(&m.ident.to_string());
                insert(out, name.clone(), "mod", format!("mod {}", m.ident), false);
                if let Some((_, inner)) = &m.content {
                    collect(inner, &format!("{name}::"), out);
                }
            }
            Item::Impl(imp) => {
                let self_ty = format!("{prefix}{}", signature_type(&imp.self_ty));
                let self_ty = self_ty.replace(&format!("{prefix}{prefix}"), prefix);
                if let Some((trait_path, _)) = &imp.trait_ {
                    let neg = "";
                    let generics = signature_text(&imp.generics.to_token_stream().to_string());
                    let trait_ty: syn::Type = syn::parse_quote!(#trait_path);
                    let key = format!(
                        "impl{generics} {neg}{} for {self_ty}",
                        signature_type(&trait_ty)
                    );
                    insert(out, key.clone(), "impl", key, false);
                    continue;
                }
                for i in &imp.items {
                    match i {
                        ImplItem::Fn(f) if public(&f.vis) => {
                            insert(
                                out,
                                format!("{self_ty}::{}", f.sig.ident),
                                "method",
                                signature(&f.sig),
                                false,
                            );
                        }
                        ImplItem::Const(c) if public(&c.vis) => {
                            insert(
                                out,
                                format!("{self_ty}::{}", c.ident),
                                "const",
                                signature_type(&c.ty),
                                false,
                            );
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

fn insert(
    out: &mut BTreeMap<String, Entry>,
    key: String,
    kind: &'static str,
    signature: String,
    exhaustive: bool,
) {
    out.insert(
        key,
        Entry {
            kind,
            signature,
            exhaustive,
        },
    );
}

/// `#[derive(Clone, Serialize)]` is `impl Clone for T` and `impl Serialize for T`.
fn derive_entries(attrs: &[Attribute], name: &str, out: &mut BTreeMap<String, Entry>) {
    for tr in derived(attrs) {
        let key = format!("impl {tr} for {name}");
        insert(out, key.clone(), "impl", key, false);
    }
}

/// `#[non_exhaustive]` is an entry of its own: adding it breaks code outside the crate.
fn non_exhaustive_entry(attrs: &[Attribute], name: &str, out: &mut BTreeMap<String, Entry>) {
    if is_non_exhaustive(attrs) {
        insert(
            out,
            format!("{name} #[non_exhaustive]"),
            "attribute",
            "#[non_exhaustive]".into(),
            false,
        );
    }
}

fn use_leaves(tree: &UseTree, prefix: String, out: &mut Vec<String>) {
    match tree {
        UseTree::Path(p) => use_leaves(&p.tree, format!("{prefix}{}::", p.ident), out),
        UseTree::Name(n) => out.push(format!("{prefix}{}", n.ident)),
        UseTree::Rename(r) => out.push(format!("{prefix}{} as {}", r.ident, r.rename)),
        UseTree::Glob(_) => out.push(format!("{prefix}*")),
        UseTree::Group(g) => {
            for t in &g.items {
                use_leaves(t, prefix.clone(), out);
            }
        }
    }
}

fn public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// A type as prettyplease writes it, with the prelude's paths shortened.
fn signature_type(t: &syn::Type) -> String {
    let item: syn::Item = syn::parse_quote!(type T = #t;);
    let text = unparse(item);
    let text = text
        .trim()
        .trim_start_matches("type T =")
        .trim_end_matches(';');
    shorten(&one_line(text))
}

/// A function's signature as prettyplease writes it, on one line.
fn signature(sig: &syn::Signature) -> String {
    let item: syn::Item = syn::parse_quote!(#sig {});
    let text = unparse(item);
    let text = text.trim().trim_end_matches("{}");
    shorten(&one_line(text))
}

fn unparse(item: syn::Item) -> String {
    let file: syn::File = syn::parse_quote!(#item);
    prettyplease::unparse(&file)
}

/// Joins a multi-line rendering: `fn f(\n    a: A,\n) -> B` is `fn f(a: A) -> B`.
fn one_line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    joined
        .replace("( ", "(")
        .replace(", )", ")")
        .replace(",)", ")")
        .replace("< ", "<")
        .replace(" >", ">")
        .trim()
        .to_owned()
}

/// The prelude's and `std`'s paths as code usually writes them.
fn shorten(text: &str) -> String {
    let mut s = text.replace("::std::", "std::");
    for (long, short) in [
        ("std::string::String", "String"),
        ("std::option::Option", "Option"),
        ("std::vec::Vec", "Vec"),
        ("std::result::Result", "Result"),
        ("std::boxed::Box", "Box"),
        ("std::convert::Into", "Into"),
        ("std::convert::From", "From"),
        ("std::convert::AsRef", "AsRef"),
        ("std::convert::TryFrom", "TryFrom"),
    ] {
        s = s.replace(long, short);
    }
    s
}

/// Token text as people write it: `:: std :: string :: String` → `::std::string::String`.
fn signature_text(tokens: &str) -> String {
    let mut s = tokens.to_owned();
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" < ", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ,", ","),
        ("& ", "&"),
        (" (", "("),
        ("( ", "("),
        (" )", ")"),
        ("' ", "'"),
    ] {
        s = s.replace(from, to);
    }
    if s.starts_with(" ::") {
        s = s.trim_start().to_owned();
    }
    s.replace("::std::", "std::")
        .replace("std::string::String", "String")
        .replace("std::option::Option", "Option")
        .replace("std::vec::Vec", "Vec")
        .replace("std::result::Result", "Result")
}
