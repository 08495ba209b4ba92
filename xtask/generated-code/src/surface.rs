//! A readable listing of the generated crate's public surface, read from its source with `syn`.
//!
//! One line per field, parameter, variant and associated constant (a known value), so a change
//! to the spec shows up in review as the few lines it changes. Types are listed by name; operations in the order of the source.

use std::fmt::Write as _;

use quote::ToTokens;
use syn::{Attribute, Fields, FnArg, ImplItem, Item, Lit, Pat, ReturnType, Type, visit::Visit};

use crate::attrs::{derived, has_serde_word};
use crate::docs::{doc_text, string_literal};
use crate::fields::wire_name;
use crate::methods::client_impls;
use crate::module::{type_ident, types};

/// The listing for the generated source `code`.
pub fn listing(code: &str) -> String {
    let file = syn::parse_file(code).expect("the generated module parses");
    let mut out = String::new();
    out.push_str("# Public surface of trustly-customers-api, from src/generated.rs\n");
    out.push_str("# (regenerate with `cargo xtask codegen`; review with `cargo insta review`)\n\n");

    out.push_str("## Re-exports\n");
    for item in &file.items {
        if let Item::Use(u) = item
            && matches!(u.vis, syn::Visibility::Public(_))
        {
            let _ = writeln!(
                out,
                "pub use {}",
                listing_text(&u.tree.to_token_stream().to_string())
            );
        }
    }

    out.push_str("\n## Operations (methods of Client)\n");
    for imp in client_impls(&file) {
        for item in &imp.items {
            if let ImplItem::Fn(f) = item
                && matches!(f.vis, syn::Visibility::Public(_))
            {
                operation(&mut out, f);
            }
        }
    }

    out.push_str("\n## Types (module types)\n");
    let items: &[Item] = types(&file).map(Vec::as_slice).unwrap_or_default();
    let mut entries: Vec<(String, String)> = Vec::new();
    for item in items {
        let mut text = String::new();
        match item {
            Item::Struct(s) => {
                let derives = derives(&s.attrs);
                let name = s.ident.to_string();
                let redacted = redacted_fields(items, &name);
                match &s.fields {
                    Fields::Named(named) => {
                        let _ = writeln!(text, "struct {} {derives}", s.ident);
                        for field in &named.named {
                            let name = field
                                .ident
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default();
                            let wire = wire_name(field);
                            let personal = if redacted.contains(&name) {
                                ", personal: Debug hides it"
                            } else {
                                ""
                            };
                            let _ = writeln!(
                                text,
                                "  {name}: {}  (json \"{wire}\"{personal})",
                                listing_type(&field.ty)
                            );
                        }
                        if let Some(new) = constructor(items, &name) {
                            let _ = writeln!(text, "  {new}");
                        }
                    }
                    Fields::Unnamed(unnamed) => {
                        let inner: Vec<String> = unnamed
                            .unnamed
                            .iter()
                            .map(|f| listing_type(&f.ty))
                            .collect();
                        let personal = if redacted.is_empty() {
                            ""
                        } else {
                            " (personal: Debug hides it)"
                        };
                        let _ = writeln!(
                            text,
                            "struct {}({}) {derives}{personal}",
                            s.ident,
                            inner.join(", ")
                        );
                    }
                    Fields::Unit => {
                        let _ = writeln!(text, "struct {} {derives}", s.ident);
                    }
                }
                for constant in constants(items, &name) {
                    let _ = writeln!(text, "  {constant}");
                }
            }
            Item::Enum(e) => {
                let untagged = has_serde_word(&e.attrs, "untagged");
                let tag = if untagged { " (json: untagged)" } else { "" };
                let _ = writeln!(text, "enum {}{tag} {}", e.ident, derives(&e.attrs));
                for v in &e.variants {
                    let fields: Vec<String> =
                        v.fields.iter().map(|f| listing_type(&f.ty)).collect();
                    let payload = if fields.is_empty() {
                        String::new()
                    } else {
                        format!("({})", fields.join(", "))
                    };
                    let _ = writeln!(text, "  {}{payload}", v.ident);
                }
            }
            _ => continue,
        }
        let name = type_ident(item)
            .map(ToString::to_string)
            .unwrap_or_default();
        entries.push((name, text));
    }
    entries.sort();
    for (_, text) in entries {
        out.push_str(&text);
    }
    out
}

/// Every struct of the generated `types` with named fields: its fields as (JSON name, type).
pub fn structs(code: &str) -> std::collections::BTreeMap<String, Vec<(String, Type)>> {
    let file = syn::parse_file(code).expect("the generated module parses");
    types(&file)
        .into_iter()
        .flatten()
        .filter_map(|item| match item {
            Item::Struct(s) => match &s.fields {
                Fields::Named(named) => Some((
                    s.ident.to_string(),
                    named
                        .named
                        .iter()
                        .map(|f| (wire_name(f), f.ty.clone()))
                        .collect(),
                )),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The fields a type's hand-made `Debug` prints through the redaction helpers (or `(0)`, the
/// whole value, for a newtype).
fn redacted_fields(items: &[Item], name: &str) -> Vec<String> {
    #[derive(Default)]
    struct Fields(Vec<String>);
    impl<'ast> Visit<'ast> for Fields {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            if call.method == "field" {
                let args: Vec<String> = call
                    .args
                    .iter()
                    .map(|a| a.to_token_stream().to_string())
                    .collect();
                if args.last().is_some_and(|a| a.contains("redact")) {
                    let label = if args.len() == 2 {
                        args[0].trim_matches('"').to_owned()
                    } else {
                        "(0)".to_owned()
                    };
                    self.0.push(label);
                }
            }
            syn::visit::visit_expr_method_call(self, call);
        }
    }
    let mut fields = Fields::default();
    for item in items {
        if let Item::Impl(imp) = item
            && imp
                .trait_
                .as_ref()
                .is_some_and(|(p, _)| p.segments.last().is_some_and(|s| s.ident == "Debug"))
            && listing_text(&imp.self_ty.to_token_stream().to_string()) == name
        {
            fields.visit_item_impl(imp);
        }
    }
    fields.0
}

/// `const NAME = Self(1)`: the public associated constants a type's inherent impls offer (its
/// known values), in the order of the source.
fn constants(items: &[Item], name: &str) -> Vec<String> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Impl(imp)
                if imp.trait_.is_none()
                    && listing_text(&imp.self_ty.to_token_stream().to_string()) == name =>
            {
                Some(imp)
            }
            _ => None,
        })
        .flat_map(|imp| &imp.items)
        .filter_map(|item| match item {
            ImplItem::Const(c) if matches!(c.vis, syn::Visibility::Public(_)) => Some(format!(
                "const {} = {}",
                c.ident,
                listing_text(&c.expr.to_token_stream().to_string())
            )),
            _ => None,
        })
        .collect()
}

/// `new(a, b)`: the constructor a type's inherent impl offers, by its parameters' names.
fn constructor(items: &[Item], name: &str) -> Option<String> {
    items.iter().find_map(|item| {
        let Item::Impl(imp) = item else { return None };
        if imp.trait_.is_some() || listing_text(&imp.self_ty.to_token_stream().to_string()) != name
        {
            return None;
        }
        imp.items.iter().find_map(|i| match i {
            ImplItem::Fn(f) if f.sig.ident == "new" => {
                let params: Vec<String> = f
                    .sig
                    .inputs
                    .iter()
                    .filter_map(|input| match input {
                        FnArg::Typed(arg) => Some(arg.pat.to_token_stream().to_string()),
                        FnArg::Receiver(_) => None,
                    })
                    .collect();
                Some(format!("new({})", params.join(", ")))
            }
            _ => None,
        })
    })
}

fn operation(out: &mut String, f: &syn::ImplItemFn) {
    let doc = doc_text(&f.attrs);
    // The generator documents each method with "Sends a `METHOD` request to `/path`".
    let request = doc
        .split("Sends a `")
        .nth(1)
        .and_then(|rest| {
            let (method, rest) = rest.split_once('`')?;
            let path = rest.split('`').nth(1)?;
            Some(format!("{method} {path}"))
        })
        .unwrap_or_default();
    let is_request = !request.is_empty();
    // Path parameters are the template's `{names}`; any other non-query argument is a header.
    let in_path: Vec<String> = request
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}'))
        .map(|(name, _)| heck::ToSnakeCase::to_snake_case(name))
        .collect();
    let label = if is_request {
        request
    } else {
        "constructor".into()
    };
    let _ = writeln!(out, "{}: {label}", f.sig.ident);

    let mut queries = QueryNames::default();
    queries.visit_block(&f.block);
    for input in &f.sig.inputs {
        let FnArg::Typed(arg) = input else { continue };
        let Pat::Ident(name) = &*arg.pat else {
            continue;
        };
        let name = name.ident.to_string();
        let place = match queries.0.iter().find(|(rust, _)| *rust == name) {
            Some((_, wire)) => format!("  (query \"{wire}\")"),
            None if !is_request => String::new(),
            None if name == "body" => "  (json body)".into(),
            None if in_path.contains(&name) => "  (path)".into(),
            None => "  (header)".into(),
        };
        let _ = writeln!(out, "  {name}: {}{place}", listing_type(&arg.ty));
    }
    if let ReturnType::Type(_, ret) = &f.sig.output {
        let ret = listing_type(ret);
        let _ = writeln!(out, "  -> {ret}");
    }
    let mut statuses = Statuses::default();
    statuses.visit_block(&f.block);
    if !statuses.ok.is_empty() || !statuses.err.is_empty() {
        let _ = writeln!(
            out,
            "  statuses: ok {:?}, error body {:?}",
            statuses.ok, statuses.err
        );
    }
}

/// `(rust argument, wire name)` of every `QueryParam::new("wire", &arg)` in a method body.
#[derive(Default)]
struct QueryNames(Vec<(String, String)>);

impl<'ast> Visit<'ast> for QueryNames {
    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        let callee = listing_text(&call.func.to_token_stream().to_string());
        if callee.ends_with("QueryParam::new") && call.args.len() == 2 {
            let wire = string_literal(&call.args[0]).unwrap_or_default();
            let rust = listing_text(&call.args[1].to_token_stream().to_string())
                .trim_start_matches('&')
                .to_owned();
            self.0.push((rust, wire));
        }
        syn::visit::visit_expr_call(self, call);
    }
}

/// The status codes of a method's `match response.status()` arms: success, and error-body ones.
#[derive(Default)]
struct Statuses {
    ok: Vec<u16>,
    err: Vec<u16>,
}

impl<'ast> Visit<'ast> for Statuses {
    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        if let Pat::Lit(lit) = &arm.pat
            && let Lit::Int(code) = &lit.lit
            && let Ok(code) = code.base10_parse::<u16>()
        {
            let body = arm.body.to_token_stream().to_string();
            if body.contains("ErrorResponse") {
                self.err.push(code)
            } else {
                self.ok.push(code)
            }
        }
        syn::visit::visit_arm(self, arm);
    }
}

/// `[Clone, Debug]`: the traits an item derives, sorted.
fn derives(attrs: &[Attribute]) -> String {
    let mut names = derived(attrs);
    names.sort();
    format!("[{}]", names.join(", "))
}

/// A type as the listing shows it (its own compact style, which the snapshot locks; the semver
/// entries of [`crate::api`] render types as prettyplease does instead).
fn listing_type(t: &Type) -> String {
    listing_text(&t.to_token_stream().to_string())
}

/// Token text without the spaces `quote` puts everywhere and the fully qualified std paths the
/// generator writes, so types read as a person would write them.
fn listing_text(tokens: &str) -> String {
    let mut s = tokens.replace(' ', "");
    for prefix in [
        "crate::",
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::serde_json::",
        "::std::collections::",
    ] {
        s = s.replace(prefix, "");
    }
    s.replace("&'a", "&")
        .replace("<'a>", "")
        .replace(',', ", ")
        .replace("&mut", "&mut ")
}
