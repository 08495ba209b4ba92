//! Text: the doc comments generated code carries, and the short lines made for them from the
//! spec's descriptions.

use syn::{Attribute, Expr, Lit, Meta};

/// The first paragraph of a description, on one line, for a short doc comment or help text.
pub fn first_line(description: Option<&str>) -> String {
    let text = description.unwrap_or_default().trim_start();
    one_line(text.split("\n\n").next().unwrap_or_default())
}

/// A text on one line: each run of spaces and line breaks one space, none at either end.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of an item's doc comments, one line per `#[doc]`.
pub fn doc_text(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            Meta::NameValue(nv) => string_literal(&nv.value),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The value of a string literal expression.
pub fn string_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        _ => None,
    }
}
