//! The spec's operations under `/api/v1`, and the error answers for everything else.
//!
//! The routes are the embedded spec's paths and methods. Each operation is dispatched by the
//! `operationId` its generated module holds (`generated::operations::*::OPERATION_ID`), so no
//! id is written here by hand: an operation this emulator models is answered by its handler;
//! one it does not (added to the spec, not yet here) gets 501 with Trustly's error body, never
//! a 404 that would read as "no such customer".

use std::sync::Arc;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::routing::{MethodFilter, MethodRouter};
use serde_json::Value;
use trustly_customers_spec::facts::{self, Operation};

use crate::admin;
use crate::admin::intercept::intercepted;
use crate::app::App;
use crate::error_body::ApiError;
use crate::generated::operations;
use crate::handlers;
use crate::request::OperationSpec;

/// The path every operation lives under, as in the spec's server URLs.
pub(crate) const BASE_PATH: &str = "/api/v1";

/// The router for one emulator: a route per path of the spec `doc` (the embedded one outside
/// tests), a handler per operation.
pub(crate) fn router(app: Arc<App>, doc: &'static Value) -> Router {
    let mut router = Router::new();
    let operations = facts::operations(doc);
    let mut paths: Vec<&str> = operations.iter().map(|op| op.path).collect();
    paths.dedup();
    for path in paths {
        let mut methods = MethodRouter::new();
        for op in operations.iter().filter(|op| op.path == path) {
            methods = methods.merge(handler(doc, op));
        }
        methods = methods.fallback(method_not_allowed);
        router = router.route(&format!("{BASE_PATH}{path}"), methods);
    }
    router
        .merge(admin::routes::router())
        .fallback(not_found)
        .with_state(app)
}

/// The route of one operation: the handler this emulator models for its id, or 501; with the
/// test bench (faults, latency, the journal and the log) around it.
fn handler(doc: &'static Value, op: &Operation<'static>) -> MethodRouter<Arc<App>> {
    let filter = match op.method {
        "get" => MethodFilter::GET,
        "put" => MethodFilter::PUT,
        "post" => MethodFilter::POST,
        "delete" => MethodFilter::DELETE,
        "options" => MethodFilter::OPTIONS,
        "head" => MethodFilter::HEAD,
        "patch" => MethodFilter::PATCH,
        _ => MethodFilter::TRACE,
    };
    let spec = OperationSpec::of(doc, op);
    let id = op.id;
    match id {
        operations::list_customers::OPERATION_ID => intercepted(filter, id, move |s, a, q| {
            handlers::list_customers(s, a, q, spec.clone())
        }),
        operations::get_customer::OPERATION_ID => intercepted(filter, id, handlers::get_customer),
        operations::create_or_update_customer::OPERATION_ID => {
            intercepted(filter, id, move |s, a, h, q, b| {
                handlers::create_or_update_customer(s, a, h, q, b, spec.clone())
            })
        }
        operations::replace_customer::OPERATION_ID => {
            intercepted(filter, id, move |s, a, h, p, b| {
                handlers::replace_customer(s, a, h, p, b, spec.clone())
            })
        }
        _ => intercepted(filter, id, move |a| handlers::not_implemented(a, id)),
    }
}

async fn method_not_allowed() -> ApiError {
    ApiError::invalid(
        StatusCode::METHOD_NOT_ALLOWED,
        "this method is not allowed on this path",
    )
}

/// A path the API does not serve: a plain 404, not Trustly's error body, which a client
/// reads as "no such record". A web server in front of Trustly answers a path Trustly does not
/// serve the same way; the body's absence is what tells a wrong base URL from a missing
/// customer.
async fn not_found() -> (StatusCode, [(header::HeaderName, &'static str); 1], String) {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("no such endpoint; the API is under {BASE_PATH}\n"),
    )
}
