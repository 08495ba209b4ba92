//! What every call does: nothing the generator's code does only to throw away.
//!
//! Two steps of an operation method build values that are used once and dropped: a path
//! parameter is formatted into a string, percent-encoded into a second string and copied into
//! the URL; and the answer's header map is cloned into the returned `ResponseValue` while the
//! response that holds it is dropped. Each pass below puts a hand-written item of the
//! generated crate in their place (`path_segment.rs`, `response.rs`), which gives the same
//! result without the copy; the path parameter's also refuses a value that cannot be one path
//! segment, before anything is sent. Each fails, naming the method, when a method needs the
//! step but its code is not shaped as the pass expects: the generator changed, and the pass
//! must be revisited.

use generated_code::docs::doc_text;
use generated_code::methods::operation_methods_mut as operations;
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{Expr, Token};

/// `ResponseValue::from_response(response)` → `crate::response::from_response(response)`: the
/// header map moved into the `ResponseValue`, not cloned.
///
/// A method whose answer is a generated type (`ResponseValue<types::…>`) must read it so.
pub fn response_headers_moved(file: &mut syn::File) -> Result<(), String> {
    for f in operations(file)? {
        let mut visitor = FromResponse(0);
        visitor.visit_block_mut(&mut f.block);
        let answers_a_type = f
            .sig
            .output
            .to_token_stream()
            .to_string()
            .contains("ResponseValue < types ::");
        if answers_a_type && visitor.0 == 0 {
            return Err(format!(
                "method `{}`: its answer is not read with `ResponseValue::from_response`; \
                 passes::per_call::response_headers_moved needs revisiting",
                f.sig.ident
            ));
        }
    }
    Ok(())
}

/// `encode_path(&value.to_string())` → `crate::path_segment::PathSegment::checked("name",
/// value)?`: the value written, percent-encoded the same way, straight into the URL being
/// formatted, once it is known to be one path segment; otherwise the method returns
/// `Error::InvalidRequest` naming the parameter before it builds the request. `name` is the
/// parameter's name in the spec, read from the path the generator's doc comment gives the
/// method (``Sends a `GET` request to `/customers/{customerId}` ``), whose `{…}` are in the
/// order of the URL's arguments. `PathSegment` takes text (`AsRef<str>`), as every path
/// parameter of the spec is: a parameter of another type fails to compile there rather than
/// being encoded otherwise.
///
/// Every argument of a method's URL after the base URL (one per path parameter) must be shaped
/// so, and named by the doc comment's path; another shape is an error, not left as it is.
pub fn path_segments_encoded_in_place(file: &mut syn::File) -> Result<(), String> {
    for f in operations(file)? {
        let names = path_parameters(&f.attrs);
        let mut visitor = EncodePath {
            names: names.clone().unwrap_or_default(),
            ..EncodePath::default()
        };
        visitor.visit_block_mut(&mut f.block);
        let problem = match (visitor.urls, visitor.other, names) {
            (_, Some(other), _) => format!("a path parameter not encoded as expected: `{other}`"),
            (1, None, Some(names)) if names.len() == visitor.encoded => continue,
            (1, None, Some(names)) => format!(
                "its doc comment's path names {} path parameters, its URL has {}",
                names.len(),
                visitor.encoded
            ),
            (1, None, None) => {
                "its doc comment gives no path (`Sends a `…` request to `…``)".to_owned()
            }
            (urls, None, _) => format!("{urls} URLs built with `format!`, where one was expected"),
        };
        return Err(format!(
            "method `{}`: {problem}; passes::per_call::path_segments_encoded_in_place needs \
             revisiting",
            f.sig.ident
        ));
    }
    Ok(())
}

/// The names of the path parameters, in order, in the path the generator's doc comment gives
/// a method (``Sends a `GET` request to `/things/{thingId}` ``); `None` without such a line.
fn path_parameters(attrs: &[syn::Attribute]) -> Option<Vec<String>> {
    let doc = doc_text(attrs);
    let line = doc
        .lines()
        .find_map(|l| l.trim().strip_prefix("Sends a `"))?;
    let (_method, rest) = line.split_once("` request to `")?;
    let path = rest.strip_suffix('`')?;
    Some(
        path.split('{')
            .skip(1)
            .filter_map(|piece| piece.split_once('}').map(|(name, _)| name.to_owned()))
            .collect(),
    )
}

/// Rewrites the calls of `ResponseValue::from_response`, counting them.
struct FromResponse(usize);

impl VisitMut for FromResponse {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Call(call) = expr
            && let Expr::Path(path) = &mut *call.func
            && path.qself.is_none()
            && path.path.to_token_stream().to_string() == "ResponseValue :: from_response"
        {
            path.path = syn::parse_quote!(crate::response::from_response);
            self.0 += 1;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

/// Rewrites the path parameters of the URL (`let url = format!("…", self.baseurl, …)`), the
/// `n`th named by `names[n]`, counting the URLs and the parameters encoded; remembers an
/// argument of another shape.
#[derive(Default)]
struct EncodePath {
    names: Vec<String>,
    urls: usize,
    encoded: usize,
    other: Option<String>,
}

impl VisitMut for EncodePath {
    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        // `format!`'s arguments are tokens to syn: parsed, rewritten and put back.
        if local.pat.to_token_stream().to_string() == "url"
            && let Some(init) = &mut local.init
            && let Expr::Macro(mac) = &mut *init.expr
            && mac.mac.path.is_ident("format")
            && let Ok(mut args) = mac
                .mac
                .parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
        {
            self.urls += 1;
            // The format string and the base URL, then one argument per path parameter.
            if args.len() > 2 {
                for arg in args.iter_mut().skip(2) {
                    match (encoded_value(arg), self.names.get(self.encoded)) {
                        (Some(value), Some(name)) => {
                            *arg = syn::parse_quote!(
                                crate::path_segment::PathSegment::checked(#name, #value)?
                            );
                            self.encoded += 1;
                        }
                        // More arguments than the doc comment names: counted, and refused.
                        (Some(_), None) => self.encoded += 1,
                        (None, _) => self.other = Some(arg.to_token_stream().to_string()),
                    }
                }
                mac.mac.tokens = args.into_token_stream();
            }
            return;
        }
        syn::visit_mut::visit_local_mut(self, local);
    }
}

/// `value` of `encode_path(&value.to_string())`.
fn encoded_value(arg: &Expr) -> Option<Expr> {
    let Expr::Call(call) = arg else { return None };
    let Expr::Path(path) = &*call.func else {
        return None;
    };
    let [Expr::Reference(reference)] = call.args.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let Expr::MethodCall(method) = &*reference.expr else {
        return None;
    };
    (path.path.is_ident("encode_path")
        && method.method == "to_string"
        && method.args.is_empty()
        && reference.mutability.is_none())
    .then(|| (*method.receiver).clone())
}
