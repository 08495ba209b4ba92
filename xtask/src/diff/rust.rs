//! The Rust half of `cargo xtask diff`: what a spec change does to the public API of each crate,
//! and the version bump it needs under Cargo's semver rules.
//!
//! The generated files of both specs are compared item by item: every public type, field,
//! variant, function, method, constant and trait implementation (derives included) is one entry
//! with its signature. A removed or changed entry is breaking; a field added to a struct that
//! code outside the crate can build with a struct literal (all fields public, no
//! `#[non_exhaustive]`) is breaking, as is a variant added to an exhaustive enum; anything else
//! added is additive. A change only in bodies, documentation or formatting is a patch.

use std::collections::BTreeMap;

use quote::ToTokens;
use serde::Serialize;
use syn::{Attribute, Fields, ImplItem, Item, UseTree, Visibility};

/// How much a change to a crate's public API asks of its version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Nothing changed.
    None,
    /// Behaviour, documentation or bodies only.
    Patch,
    /// New public items; nothing that compiled stops compiling.
    Additive,
    /// Code that compiled against the old version can fail to compile against the new one.
    Breaking,
}

impl Level {
    /// Its name in reports.
    pub fn label(self) -> &'static str {
        match self {
            Level::None => "no change",
            Level::Patch => "patch",
            Level::Additive => "additive",
            Level::Breaking => "breaking",
        }
    }

    /// The next version from `current` under Cargo's rules: before 1.0 a breaking change bumps
    /// the minor number and everything else the patch number.
    pub fn next_version(self, current: &str) -> String {
        let mut parts = current
            .split(['.', '-', '+'])
            .take(3)
            .map(|p| p.parse::<u64>().unwrap_or(0));
        let (major, minor, patch) = (
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
        );
        match (self, major) {
            (Level::None, _) => current.to_owned(),
            (Level::Breaking, 0) => format!("0.{}.0", minor + 1),
            (Level::Breaking, _) => format!("{}.0.0", major + 1),
            (Level::Additive, 0) | (Level::Patch, _) => format!("{major}.{minor}.{}", patch + 1),
            (Level::Additive, _) => format!("{major}.{}.0", minor + 1),
        }
    }
}

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

/// One change to a crate's API.
#[derive(Clone, Debug, Serialize)]
pub struct ApiChange {
    /// Its level.
    pub level: Level,
    /// The entry's path: `types::Customer.phone`, `Client::get_customer`, `impl Clone for types::Vip`.
    pub item: String,
    /// `added`, `removed` or `changed`, with the signatures.
    pub change: String,
    /// Why it has its level.
    pub why: String,
}

/// Every public entry of a generated file, by path.
pub fn entries(code: &str) -> Result<BTreeMap<String, Entry>, String> {
    let file = syn::parse_file(code).map_err(|e| format!("generated code does not parse: {e}"))?;
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
                let exhaustive = all_pub && !non_exhaustive(&s.attrs);
                let generics = s.generics.to_token_stream().to_string();
                insert(
                    out,
                    name.clone(),
                    "struct",
                    tidy(&format!("struct {}{generics}", s.ident)),
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
                    insert(out, format!("{name}.{field}"), "field", ty(&f.ty), false);
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
                derives(&s.attrs, &name, out);
            }
            Item::Enum(e) if public(&e.vis) => {
                let name = path(&e.ident.to_string());
                insert(
                    out,
                    name.clone(),
                    "enum",
                    tidy(&format!("enum {}", e.ident)),
                    !non_exhaustive(&e.attrs),
                );
                non_exhaustive_entry(&e.attrs, &name, out);
                for v in &e.variants {
                    let payload = match &v.fields {
                        Fields::Unit => String::new(),
                        Fields::Unnamed(f) => format!(
                            "({})",
                            f.unnamed
                                .iter()
                                .map(|f| ty(&f.ty))
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
                                    ty(&f.ty)
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
                derives(&e.attrs, &name, out);
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
                insert(out, path(&c.ident.to_string()), "const", ty(&c.ty), false);
            }
            Item::Static(s) if public(&s.vis) => {
                insert(out, path(&s.ident.to_string()), "static", ty(&s.ty), false);
            }
            Item::Type(t) if public(&t.vis) => {
                insert(out, path(&t.ident.to_string()), "type", ty(&t.ty), false);
            }
            Item::Trait(t) if public(&t.vis) => {
                insert(
                    out,
                    path(&t.ident.to_string()),
                    "trait",
                    tidy(&t.to_token_stream().to_string()),
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
                let self_ty = format!("{prefix}{}", ty(&imp.self_ty));
                let self_ty = self_ty.replace(&format!("{prefix}{prefix}"), prefix);
                if let Some((trait_path, _)) = &imp.trait_ {
                    let neg = "";
                    let generics = tidy(&imp.generics.to_token_stream().to_string());
                    let trait_ty: syn::Type = syn::parse_quote!(#trait_path);
                    let key = format!("impl{generics} {neg}{} for {self_ty}", ty(&trait_ty));
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
                                ty(&c.ty),
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
fn derives(attrs: &[Attribute], name: &str, out: &mut BTreeMap<String, Entry>) {
    for attr in attrs {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let _ = attr.parse_nested_meta(|meta| {
            let tr = meta
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            let key = format!("impl {tr} for {name}");
            insert(out, key.clone(), "impl", key, false);
            Ok(())
        });
    }
}

/// `#[non_exhaustive]` is an entry of its own: adding it breaks code outside the crate.
fn non_exhaustive_entry(attrs: &[Attribute], name: &str, out: &mut BTreeMap<String, Entry>) {
    if non_exhaustive(attrs) {
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

fn non_exhaustive(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

fn serde_rename(attrs: &[Attribute]) -> Option<String> {
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

/// A type as prettyplease writes it, with the prelude's paths shortened.
fn ty(t: &syn::Type) -> String {
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
fn tidy(tokens: &str) -> String {
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

/// The changes from the entries `before` to `after`, and the level they add up to. `changed_text`
/// says whether the files differ at all (a patch when no entry changed).
pub fn compare(
    before: &BTreeMap<String, Entry>,
    after: &BTreeMap<String, Entry>,
    changed_text: bool,
) -> (Level, Vec<ApiChange>) {
    let mut changes = Vec::new();
    for (key, b) in before {
        match after.get(key) {
            None => {
                // A struct losing #[non_exhaustive] lets more code compile.
                let (level, why) = if b.kind == "attribute" {
                    (
                        Level::Additive,
                        "code outside the crate may now build or match it exhaustively",
                    )
                } else if matches!(b.kind, "command" | "option" | "positional") {
                    (Level::Breaking, "invocations that use it are refused")
                } else {
                    (Level::Breaking, "code that uses it no longer compiles")
                };
                changes.push(ApiChange {
                    level,
                    item: key.clone(),
                    change: format!("removed: {}", b.signature),
                    why: why.to_owned(),
                });
            }
            Some(a) if a.signature != b.signature => {
                let (level, why) = match a.kind {
                    "serde" => (
                        Level::Patch,
                        "the same field is read and written under another JSON name",
                    ),
                    "option" | "positional" if a.signature.starts_with("optional") => {
                        (Level::Additive, "invocations written before still work")
                    }
                    "option" | "positional" => (
                        Level::Breaking,
                        "invocations written before may now be refused",
                    ),
                    _ => (
                        Level::Breaking,
                        "code written for the old signature no longer compiles",
                    ),
                };
                changes.push(ApiChange {
                    level,
                    item: key.clone(),
                    change: format!("{} → {}", b.signature, a.signature),
                    why: why.to_owned(),
                });
            }
            Some(_) => {}
        }
    }
    for (key, a) in after {
        if before.contains_key(key) {
            continue;
        }
        let owner = owner_of(key, a.kind);
        let (level, why) = match (a.kind, owner.and_then(|o| before.get(o).zip(after.get(o)))) {
            ("field", Some((bo, ao))) if bo.kind == "struct" && bo.exhaustive && ao.kind == "struct" => (
                Level::Breaking,
                format!(
                    "struct literals of {} outside the crate no longer compile: its fields are public and it is not #[non_exhaustive]",
                    owner.unwrap_or_default()
                ),
            ),
            ("variant", Some((bo, _))) if bo.kind == "enum" && bo.exhaustive => (
                Level::Breaking,
                format!(
                    "a `match` on {} outside the crate no longer covers every variant",
                    owner.unwrap_or_default()
                ),
            ),
            ("attribute", _) => (
                Level::Breaking,
                "code outside the crate can no longer build it with a literal or match it exhaustively".to_owned(),
            ),
            ("serde", _) => (Level::Patch, "the JSON name is written out; the Rust API is the same".to_owned()),
            ("option" | "positional", _)
                if !before.contains_key(key.split(' ').next().unwrap_or_default()) =>
            {
                (Level::Additive, "part of a new command".to_owned())
            }
            ("option" | "positional", _) if a.signature.starts_with("required") => (
                Level::Breaking,
                "invocations written before lack it, and are refused".to_owned(),
            ),
            ("option" | "positional" | "command", _) => (
                Level::Additive,
                "new; invocations written before still work".to_owned(),
            ),
            _ => (Level::Additive, "new; nothing that compiled stops compiling".to_owned()),
        };
        changes.push(ApiChange {
            level,
            item: key.clone(),
            change: format!("added: {}", a.signature),
            why,
        });
    }
    // A field's JSON name appearing or going with the field itself says nothing more.
    changes.retain(|c| {
        !(c.item.ends_with(" (serde name)") && {
            let field = c.item.trim_end_matches(" (serde name)");
            before.contains_key(field) != after.contains_key(field)
        })
    });
    // The most severe first: a reviewer reads what breaks before what is added.
    changes.sort_by(|a, b| b.level.cmp(&a.level).then_with(|| a.item.cmp(&b.item)));
    let level = changes
        .iter()
        .map(|c| c.level)
        .max()
        .unwrap_or(if changed_text {
            Level::Patch
        } else {
            Level::None
        });
    let level = if changed_text {
        level.max(Level::Patch)
    } else {
        level
    };
    (level, changes)
}

/// The struct of a field or the enum of a variant.
fn owner_of<'k>(key: &'k str, kind: &str) -> Option<&'k str> {
    match kind {
        "field" => key.rsplit_once('.').map(|(o, _)| o),
        "variant" => key.rsplit_once("::").map(|(o, _)| o),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(before: &str, after: &str) -> (Level, Vec<String>) {
        let (level, changes) = compare(
            &entries(before).unwrap(),
            &entries(after).unwrap(),
            before != after,
        );
        (
            level,
            changes
                .into_iter()
                .map(|c| format!("{:?} {}", c.level, c.item))
                .collect(),
        )
    }

    #[test]
    fn a_field_breaks_an_exhaustive_struct_and_not_a_non_exhaustive_one() {
        let (l, c) = level(
            "pub struct A { pub x: u8 }",
            "pub struct A { pub x: u8, pub y: u8 }",
        );
        assert_eq!((l, c), (Level::Breaking, vec!["Breaking A.y".to_owned()]));
        let (l, _) = level(
            "#[non_exhaustive] pub struct A { pub x: u8 }",
            "#[non_exhaustive] pub struct A { pub x: u8, pub y: u8 }",
        );
        assert_eq!(l, Level::Additive);
        // A private field already keeps literals out.
        let (l, _) = level(
            "pub struct A { pub x: u8, y: u8 }",
            "pub struct A { pub x: u8, y: u8, pub z: u8 }",
        );
        assert_eq!(l, Level::Additive);
    }

    #[test]
    fn a_variant_breaks_an_exhaustive_enum() {
        assert_eq!(
            level("pub enum E { A }", "pub enum E { A, B }").0,
            Level::Breaking
        );
        assert_eq!(
            level(
                "#[non_exhaustive] pub enum E { A }",
                "#[non_exhaustive] pub enum E { A, B }"
            )
            .0,
            Level::Additive
        );
        assert_eq!(
            level("pub enum E { A }", "#[non_exhaustive] pub enum E { A }").0,
            Level::Breaking
        );
    }

    #[test]
    fn a_lost_derive_or_a_changed_signature_breaks_and_a_new_method_adds() {
        assert_eq!(
            level(
                "#[derive(Clone, Debug)] pub struct A;",
                "#[derive(Debug)] pub struct A;"
            )
            .1,
            ["Breaking impl Clone for A"]
        );
        assert_eq!(
            level(
                "pub struct A; impl A { pub fn f(&self) {} }",
                "pub struct A; impl A { pub fn f(&self, x: u8) {} }"
            )
            .0,
            Level::Breaking
        );
        assert_eq!(
            level(
                "pub struct A;",
                "pub struct A; impl A { pub fn f(&self) {} }"
            )
            .0,
            Level::Additive
        );
    }

    #[test]
    fn bodies_docs_and_private_items_are_a_patch() {
        let (l, c) = level(
            "pub fn f() -> u8 { 1 } fn g() {}",
            "/// Docs.\npub fn f() -> u8 { 2 } fn h() {}",
        );
        assert_eq!((l, c), (Level::Patch, vec![]));
        assert_eq!(level("pub fn f() {}", "pub fn f() {}").0, Level::None);
    }

    #[test]
    fn versions_follow_cargos_rules() {
        assert_eq!(Level::Breaking.next_version("0.1.0"), "0.2.0");
        assert_eq!(Level::Additive.next_version("0.1.0"), "0.1.1");
        assert_eq!(Level::Patch.next_version("0.1.3"), "0.1.4");
        assert_eq!(Level::Breaking.next_version("1.4.2"), "2.0.0");
        assert_eq!(Level::Additive.next_version("1.4.2"), "1.5.0");
        assert_eq!(Level::None.next_version("1.4.2"), "1.4.2");
    }
}
