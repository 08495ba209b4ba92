//! The command line's surface, read from its generated module: every command, and every option
//! and positional argument of each, with whether it is required. For a binary this is the API
//! that semver speaks of; the entries are those of [`crate::api`], compared the same way.

use std::collections::BTreeMap;

use syn::visit::Visit;
use syn::{Expr, ExprCall, ExprMethodCall, Lit};

use crate::api::Entry;
use crate::docs::string_literal;
use crate::paths::path_segments;

/// Every command-line entry of the generated CLI module, by path (`upsert --external-id`).
pub fn entries(code: &str) -> Result<BTreeMap<String, Entry>, String> {
    let file = crate::parse(code, "the generated command-line module")?;
    let mut finder = Commands {
        out: BTreeMap::new(),
    };
    finder.visit_file(&file);
    Ok(finder.out)
}

struct Commands {
    out: BTreeMap<String, Entry>,
}

impl<'ast> Visit<'ast> for Commands {
    fn visit_expr(&mut self, expr: &'ast Expr) {
        if let Some((name, calls)) = chain(expr, "Command")
            && let Some(name) = name
        {
            self.command(&name, &calls, false);
            return;
        }
        if let Expr::Call(call) = expr
            && callee(call).as_deref() == Some("with_body")
            && let Some(inner) = call.args.first()
            && let Some((Some(name), calls)) = chain(inner, "Command")
        {
            self.command(&name, &calls, true);
            return;
        }
        syn::visit::visit_expr(self, expr);
    }
}

impl Commands {
    fn command(&mut self, name: &str, calls: &[&ExprMethodCall], body: bool) {
        let entry = |signature: String, kind| Entry {
            kind,
            signature,
            exhaustive: false,
        };
        self.out
            .insert(name.to_owned(), entry(format!("command {name}"), "command"));
        if body {
            self.out.insert(
                format!("{name} --file"),
                entry(
                    "required: the request body (a JSON file, or - for stdin)".to_owned(),
                    "option",
                ),
            );
        }
        for call in calls.iter().filter(|c| c.method == "arg") {
            let Some(arg) = call.args.first() else {
                continue;
            };
            let Some((Some(id), arg_calls)) = chain(arg, "Arg") else {
                continue;
            };
            let mut long = None;
            let mut required = false;
            let mut value = None;
            for c in &arg_calls {
                let text = c.args.first().and_then(literal);
                match c.method.to_string().as_str() {
                    "long" => long = text,
                    "value_name" => value = text,
                    "required" => required = text.as_deref() == Some("true"),
                    _ => {}
                }
            }
            let need = if required { "required" } else { "optional" };
            let value = value.unwrap_or_else(|| id.clone());
            match long {
                Some(long) => self.out.insert(
                    format!("{name} --{long}"),
                    entry(format!("{need}: --{long} {value}"), "option"),
                ),
                None => self.out.insert(
                    format!("{name} <{value}>"),
                    entry(format!("{need}: <{value}>"), "positional"),
                ),
            };
        }
    }
}

/// A method chain rooted at `Root::new("name")`: the name and the calls after it, in order.
fn chain<'e>(expr: &'e Expr, root: &str) -> Option<(Option<String>, Vec<&'e ExprMethodCall>)> {
    let mut calls = Vec::new();
    let mut current = expr;
    while let Expr::MethodCall(m) = current {
        calls.push(m);
        current = &m.receiver;
    }
    let Expr::Call(call) = current else {
        return None;
    };
    let Expr::Path(p) = &*call.func else {
        return None;
    };
    if path_segments(&p.path) != [root, "new"] {
        return None;
    }
    calls.reverse();
    Some((call.args.first().and_then(literal), calls))
}

/// The name a plain function call calls: `with_body` in `with_body(x)`.
fn callee(call: &ExprCall) -> Option<String> {
    let Expr::Path(p) = &*call.func else {
        return None;
    };
    p.path.segments.last().map(|s| s.ident.to_string())
}

/// A string or boolean literal, as text.
fn literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Bool(b), ..
        }) => Some(b.value.to_string()),
        other => string_literal(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLI: &str = r#"
        fn commands() -> Vec<Command> {
            Vec::from([
                Command::new("list").arg(Arg::new("externalId").long("external-id").required(false)),
                with_body(Command::new("replace").arg(Arg::new("customerId").value_name("CUSTOMER_ID").required(true))),
            ])
        }
    "#;

    #[test]
    fn commands_options_positionals_and_bodies_are_listed() {
        let found: Vec<(String, String)> = entries(CLI)
            .unwrap()
            .into_iter()
            .map(|(k, e)| (k, e.signature))
            .collect();
        assert_eq!(
            found,
            [
                ("list".to_owned(), "command list".to_owned()),
                (
                    "list --external-id".to_owned(),
                    "optional: --external-id externalId".to_owned()
                ),
                ("replace".to_owned(), "command replace".to_owned()),
                (
                    "replace --file".to_owned(),
                    "required: the request body (a JSON file, or - for stdin)".to_owned()
                ),
                (
                    "replace <CUSTOMER_ID>".to_owned(),
                    "required: <CUSTOMER_ID>".to_owned()
                ),
            ]
        );
    }
}
