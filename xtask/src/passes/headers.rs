//! Requests carry only the headers the spec documents.

use generated_code::methods::operation_methods_mut;
use quote::ToTokens;
use syn::visit_mut::VisitMut;
use syn::{Expr, Stmt};

/// Leaves out the `api-version` header the generator adds to every request.
///
/// The generator sends the spec's `info.version` as `api-version` on every request. That
/// version is this document's, not one Trustly's API reads, and Trustly documents no such
/// header: a request should carry only what the API documents. (Without it each request also
/// builds one header map less.)
///
/// Every operation method must have the header; one without it means the generator changed,
/// and this pass must be revisited.
pub fn no_api_version_header(file: &mut syn::File) -> Result<(), String> {
    for f in operation_methods_mut(file)? {
        let name = f.sig.ident.to_string();
        let before = f.block.stmts.len();
        f.block.stmts.retain(|stmt| !appends_api_version(stmt));
        if f.block.stmts.len() == before {
            return Err(format!(
                "method `{name}`: the generator no longer adds an `api-version` header; \
                 passes::headers needs revisiting"
            ));
        }
        let others = f
            .block
            .stmts
            .iter()
            .filter(|s| {
                s.to_token_stream()
                    .to_string()
                    .contains("header_map . append")
            })
            .count();
        if others == 0 {
            f.block.stmts.retain(|stmt| !declares_header_map(stmt));
            RemoveHeaders.visit_block_mut(&mut f.block);
        }
    }
    Ok(())
}

fn appends_api_version(stmt: &Stmt) -> bool {
    let text = stmt.to_token_stream().to_string();
    text.starts_with("header_map . append") && text.contains("\"api-version\"")
}

fn declares_header_map(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::Local(local) if local.pat.to_token_stream().to_string() == "mut header_map")
}

/// `builder.headers(header_map)` → `builder`.
struct RemoveHeaders;

impl VisitMut for RemoveHeaders {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::MethodCall(call) = expr
            && call.method == "headers"
            && call.args.len() == 1
            && call.args[0].to_token_stream().to_string() == "header_map"
        {
            *expr = (*call.receiver).clone();
            self.visit_expr_mut(expr);
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}
