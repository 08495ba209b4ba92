//! The registry of the spec's conventions (`trustly_customers_spec::conventions`) is the one
//! place they are written by hand:
//!
//! - `names_are_spelled_in_the_registry_alone`: no other hand-written, non-test Rust file of
//!   the workspace spells a convention's name in a string literal;
//! - `the_docs_list_the_registry`: every doc that lists the conventions holds the registry's
//!   rendering between `<!-- conventions -->` and `<!-- /conventions -->`;
//! - `every_carrier_is_in_the_xtask`: the passes and emitters a row names exist.

use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;
use trustly_customers_spec::conventions::{self, ALL, Kind, render};

/// The file that may spell the names.
const REGISTRY: &str = "crates/trustly-customers-spec/src/conventions.rs";

/// Where the hand-written Rust is: the crates, the code generator, the reader of its output,
/// and the spec diff.
const SCANNED: [&str; 4] = [
    "crates",
    "xtask/src",
    "xtask/generated-code/src",
    "xtask/spec-diff/src",
];

/// A doc that lists the conventions.
struct Doc {
    /// Its path from the workspace root.
    path: &'static str,
    /// The text each line of its list starts with (a comment's `# `).
    prefix: &'static str,
    /// The rendering of the registry it holds.
    rendering: fn() -> String,
}

/// The docs that list the conventions. A new doc that lists them is one line here.
#[rustfmt::skip]
const DOCS: &[Doc] = &[
    Doc { path: "README.md", prefix: "", rendering: render::markdown_table },
    Doc { path: "openapi/customers.yaml", prefix: "# ", rendering: || render::plain_list(98) },
    Doc { path: REGISTRY, prefix: "//! ", rendering: render::markdown_table },
];

#[test]
fn names_are_spelled_in_the_registry_alone() {
    let root = workspace_tests::root();
    let mut files = Vec::new();
    for dir in SCANNED {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "found only {} files", files.len());
    let test_modules = test_module_files(&files);
    let mut found = Vec::new();
    let mut registry_spells = Vec::new();
    for file in files.iter().filter(|f| !test_modules.contains(f)) {
        let relative = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(file).unwrap();
        let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{relative}: {e}"));
        let mut literals = Literals::default();
        literals.visit_file(&parsed);
        for literal in literals.0 {
            for c in ALL.iter().filter(|c| spells(&literal, c)) {
                if relative == REGISTRY {
                    registry_spells.push(c.name);
                } else {
                    let excerpt = excerpt(&literal, c.name);
                    found.push(format!("{relative}: {excerpt:?} spells `{}`", c.name));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "convention names are spelled outside the registry ({REGISTRY}); use its constants \
         (`conventions::PII.name`) instead:\n{}",
        found.join("\n")
    );
    // The scan sees string literals: the registry's own rows are the proof.
    for c in ALL {
        assert!(
            registry_spells.contains(&c.name),
            "the scan missed {}",
            c.name
        );
    }
}

/// Whether a string literal spells the convention: is its name, or (for an extension, whose
/// name cannot be a word of prose) holds it between characters that cannot be part of it, as
/// in a message.
fn spells(literal: &str, c: &conventions::Convention) -> bool {
    if literal == c.name {
        return true;
    }
    if c.kind() != Kind::Extension {
        return false;
    }
    let part = |ch: char| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_';
    literal.match_indices(c.name).any(|(at, _)| {
        let before = literal[..at].chars().next_back();
        let after = literal[at + c.name.len()..].chars().next();
        !before.is_some_and(part) && !after.is_some_and(part)
    })
}

/// The literal, or forty characters either side of the name in a long one.
fn excerpt(literal: &str, name: &str) -> String {
    let chars: Vec<char> = literal.chars().collect();
    if chars.len() <= 100 {
        return literal.to_owned();
    }
    let at = literal[..literal.find(name).unwrap_or(0)].chars().count();
    let from = at.saturating_sub(40);
    let to = (at + name.chars().count() + 40).min(chars.len());
    format!("…{}…", chars[from..to].iter().collect::<String>())
}

/// Every `.rs` file under `dir`, but generated code and tests.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "tests" || name == "target" {
            continue;
        }
        if path.is_dir() {
            rust_files(&path, out);
        } else if name.ends_with(".rs") && name != "generated.rs" {
            out.push(path);
        }
    }
}

/// The files of modules declared `#[cfg(test)] mod name;`.
fn test_module_files(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for file in files {
        let parsed = syn::parse_file(&std::fs::read_to_string(file).unwrap()).unwrap();
        let dir = file.parent().unwrap();
        let stem = file.file_stem().unwrap().to_string_lossy();
        // A `mod.rs`, `lib.rs` or `main.rs` holds its children beside it, any other file in a
        // directory named after it.
        let children = if ["mod", "lib", "main"].contains(&stem.as_ref()) {
            dir.to_owned()
        } else {
            dir.join(stem.as_ref())
        };
        for item in parsed.items {
            let syn::Item::Mod(module) = item else {
                continue;
            };
            if module.content.is_some() || !is_test_only(&module.attrs) {
                continue;
            }
            let name = module.ident.to_string();
            out.push(children.join(format!("{name}.rs")));
            out.push(children.join(&name).join("mod.rs"));
        }
    }
    out
}

/// `#[cfg(test)]`.
fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .meta
                .require_list()
                .is_ok_and(|list| list.tokens.to_string() == "test")
    })
}

/// The string literals of a file, but those of attributes (doc comments among them) and of
/// items compiled for tests only. Literals inside macro calls (`format!`, `json!`) included.
#[derive(Default)]
struct Literals(Vec<String>);

impl<'ast> Visit<'ast> for Literals {
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}

    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Const(c) => &c.attrs,
            syn::Item::Static(s) => &s.attrs,
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if !is_test_only(attrs) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_lit_str(&mut self, lit: &'ast syn::LitStr) {
        self.0.push(lit.value());
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.tokens(mac.tokens.clone());
    }
}

impl Literals {
    fn tokens(&mut self, tokens: TokenStream) {
        for tree in tokens {
            match tree {
                TokenTree::Group(group) => self.tokens(group.stream()),
                TokenTree::Literal(literal) => {
                    if let Ok(text) = syn::parse_str::<syn::LitStr>(&literal.to_string()) {
                        self.0.push(text.value());
                    }
                }
                TokenTree::Ident(_) | TokenTree::Punct(_) => {}
            }
        }
    }
}

#[test]
fn the_docs_list_the_registry() {
    let root = workspace_tests::root();
    let mut wrong = Vec::new();
    for Doc {
        path,
        prefix,
        rendering,
    } in DOCS
    {
        let text = std::fs::read_to_string(root.join(path)).unwrap();
        let start = format!("{prefix}<!-- conventions -->");
        let end = format!("{prefix}<!-- /conventions -->");
        let lines: Vec<&str> = text.lines().collect();
        let at = |marker: &str| {
            let found: Vec<usize> = (0..lines.len()).filter(|i| lines[*i] == marker).collect();
            assert_eq!(
                found.len(),
                1,
                "{path}: one line `{marker}`, found {}",
                found.len()
            );
            found[0]
        };
        let (first, last) = (at(&start), at(&end));
        let held = lines[first + 1..last].join("\n");
        let expected: Vec<String> = rendering()
            .lines()
            .map(|line| format!("{prefix}{line}").trim_end().to_owned())
            .collect();
        let expected = expected.join("\n");
        if held != expected {
            wrong.push(format!(
                "{path}: the conventions between its markers are not the registry's; they \
                 should read:\n{start}\n{expected}\n{end}\n"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_carrier_is_in_the_xtask() {
    let src = workspace_tests::root().join("xtask/src");
    for c in ALL {
        for carrier in c.carried_by {
            // `passes::redact::pii_debug`: a function of `passes/redact.rs`; `emit::cli`: a
            // module.
            let parts: Vec<&str> = carrier.split("::").collect();
            let module = |parts: &[&str]| {
                let file = src.join(format!("{}.rs", parts.join("/")));
                let dir = src.join(parts.join("/")).join("mod.rs");
                std::fs::read_to_string(file).or_else(|_| std::fs::read_to_string(dir))
            };
            if module(&parts).is_ok() {
                continue;
            }
            let (function, parent) = parts.split_last().unwrap();
            let text = module(parent)
                .unwrap_or_else(|_| panic!("{}: `{carrier}` is not in the xtask", c.name));
            assert!(
                text.contains(&format!("pub fn {function}(")),
                "{}: `{carrier}`: no `pub fn {function}` in its module",
                c.name
            );
        }
    }
}
