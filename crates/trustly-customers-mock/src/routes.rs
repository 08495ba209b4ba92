//! The spec's operations under `/api/v1`, and the error answers for everything else.
//!
//! The routes are the embedded spec's paths and methods: an operation this emulator models is
//! answered by its handler; one it does not (added to the spec, not yet here) gets 501 with
//! Trustly's error body, never a 404 that would read as "no such customer".
//!
//! Every handler checks, in this order: credentials (401), content type (415), body size (413),
//! JSON syntax (400), the query parameters and the body against the spec (400, one error per
//! violation), then the store's rules (404 for an unknown customer, 400 for a taken
//! `externalId` or an incomplete result).

use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use http_body_util::BodyExt;
use serde_json::{Map, Value};
use trustly_customers_spec::facts::{self, Location, Operation};

use crate::auth::BasicAuth;
use crate::clock::now_millis;
use crate::error_body::ApiError;
use crate::generated::operations::{
    create_or_update_customer, get_customer, list_customers, replace_customer,
};
use crate::generated::schemas;
use crate::persist::Persister;
use crate::store::{Refusal, Store};

/// The path every operation lives under, as in the spec's server URLs.
pub(crate) const BASE_PATH: &str = "/api/v1";

/// What the handlers share.
#[derive(Debug)]
pub(crate) struct App {
    /// A blocking lock is enough: it is never held across an `.await`, and every section under
    /// it is a short in-memory step (a map lookup, or one record's merge and check). Reads
    /// share it; a change takes it alone, so the lookup and the insert of an upsert are one
    /// step and parallel upserts of one `externalId` cannot both create.
    pub(crate) store: Arc<RwLock<Store>>,
    pub(crate) auth: BasicAuth,
    pub(crate) merchant_id: String,
    pub(crate) persister: Option<Persister>,
    pub(crate) max_body_bytes: usize,
}

impl App {
    /// The state the routes share, for `config`: what a server and the fuzz targets' emulator
    /// without a socket both build.
    pub(crate) fn new(
        config: &crate::config::Config,
        store: Arc<RwLock<Store>>,
        persister: Option<Persister>,
    ) -> App {
        App {
            store,
            auth: BasicAuth::new(&config.access_id, &config.access_key),
            merchant_id: config.merchant_id.clone(),
            persister,
            max_body_bytes: config.max_body_bytes,
        }
    }

    fn read(&self) -> RwLockReadGuard<'_, Store> {
        // A panic under the lock cannot leave a half-made change: the store checks everything
        // before it changes anything. So a poisoned lock is still consistent.
        self.store.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(|e| e.into_inner())
    }
}

type Shared = State<Arc<App>>;

/// What a handler knows of its operation from the spec.
#[derive(Debug, Clone)]
struct Spec {
    /// The whole spec.
    doc: &'static Value,
    /// The query parameters: (name, schema).
    query: Vec<(&'static str, &'static Value)>,
    /// The component schema of the JSON body, if it has one.
    body: Option<&'static str>,
}

impl Spec {
    fn of(doc: &'static Value, op: &Operation<'static>) -> Spec {
        Spec {
            doc,
            query: op
                .parameters
                .iter()
                .filter(|p| p.location == Location::Query)
                .map(|p| (p.name, p.schema))
                .collect(),
            body: op.body_component(),
        }
    }
}

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
    router.fallback(not_found).with_state(app)
}

/// The handler of one operation: the one this emulator models under its operationId, or 501.
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
    let spec = Spec::of(doc, op);
    match op.id {
        "listCustomers" => on(filter, move |s, h, q| list_customers(s, h, q, spec.clone())),
        "getCustomer" => on(filter, get_customer),
        "createOrUpdateCustomer" => on(filter, move |s, h, q, b| {
            create_or_update_customer(s, h, q, b, spec.clone())
        }),
        "replaceCustomer" => on(filter, move |s, h, p, b| {
            replace_customer(s, h, p, b, spec.clone())
        }),
        _ => {
            let id = op.id;
            on(filter, move |s, h| not_implemented(s, h, id))
        }
    }
}

/// The query string's parameters the operation declares, each given at most once and valid
/// against its schema. Others are ignored.
fn query_params(spec: &Spec, raw: Option<&str>) -> Result<Map<String, Value>, ApiError> {
    let mut params = Map::new();
    let pairs = form_urlencoded::parse(raw.unwrap_or_default().as_bytes());
    for (name, value) in pairs {
        let Some((name, schema)) = spec.query.iter().find(|(n, _)| *n == name) else {
            continue;
        };
        if params.contains_key(*name) {
            return Err(ApiError::invalid(
                StatusCode::BAD_REQUEST,
                format!("query: {name} may be given once"),
            ));
        }
        let value = Value::String(value.into_owned());
        let violations =
            trustly_customers_spec::schema::check(spec.doc, &pointer_to(schema), &value);
        if let Some(v) = violations.first() {
            return Err(ApiError::invalid(
                StatusCode::BAD_REQUEST,
                format!("query: {name}: {}", v.message),
            ));
        }
        params.insert((*name).to_owned(), value);
    }
    Ok(params)
}

/// The JSON pointer of a parameter's schema: its `$ref`'s target (the spec's parameters refer
/// to component schemas).
fn pointer_to(schema: &Value) -> String {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|t| t.strip_prefix('#'))
        .unwrap_or("/components/schemas/unknown")
        .to_owned()
}

fn param<'a>(params: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    params.get(name).and_then(Value::as_str)
}

async fn list_customers(
    State(app): Shared,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    spec: Spec,
) -> Result<Response, ApiError> {
    authorize(&app, &headers)?;
    let params = query_params(&spec, query.as_deref())?;
    let records = app.read().list(
        param(&params, list_customers::CUSTOMER_ID),
        param(&params, list_customers::EXTERNAL_ID),
    );
    let size: usize = records.iter().map(|r| r.len() + 1).sum();
    let mut body = Vec::with_capacity(size + schemas::customer_list::CUSTOMERS.len() + 8);
    open_envelope(&mut body, schemas::customer_list::CUSTOMERS);
    body.push(b'[');
    for (i, record) in records.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(record);
    }
    body.extend_from_slice(b"]}");
    Ok(json_ok(body))
}

async fn get_customer(
    State(app): Shared,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    authorize(&app, &headers)?;
    let Path(customer_id) = path.map_err(|_| bad_path(get_customer::CUSTOMER_ID))?;
    let record = app
        .read()
        .get(&customer_id)
        .ok_or_else(|| ApiError::customer_not_found(get_customer::CUSTOMER_ID))?;
    Ok(customer_response(&record))
}

async fn create_or_update_customer(
    State(app): Shared,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Body,
    spec: Spec,
) -> Result<Response, ApiError> {
    // Credentials first: a caller without them gets nothing read, not even the body.
    authorize(&app, &headers)?;
    let body = receive(body, app.max_body_bytes).await;
    let body = json_body(&app, &headers, body, &spec)?;
    let params = query_params(&spec, query.as_deref())?;
    let (outcome, version) = {
        let mut store = app.write();
        let outcome = store.create_or_update(
            param(&params, create_or_update_customer::EXTERNAL_ID),
            body,
            &app.merchant_id,
            now_millis(),
        );
        (outcome, store.version())
    };
    let record = outcome.map_err(refused)?;
    saved(&app, version).await?;
    Ok(customer_response(&record))
}

async fn replace_customer(
    State(app): Shared,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Body,
    spec: Spec,
) -> Result<Response, ApiError> {
    // Credentials first: a caller without them gets nothing read, not even the body.
    authorize(&app, &headers)?;
    let body = receive(body, app.max_body_bytes).await;
    let body = json_body(&app, &headers, body, &spec)?;
    let Path(customer_id) = path.map_err(|_| bad_path(replace_customer::CUSTOMER_ID))?;
    let (outcome, version) = {
        let mut store = app.write();
        let outcome = store.replace(&customer_id, body, &app.merchant_id, now_millis());
        (outcome, store.version())
    };
    let record = outcome.map_err(refused)?;
    saved(&app, version).await?;
    Ok(customer_response(&record))
}

/// An operation of the spec this emulator does not model (yet).
async fn not_implemented(
    State(app): Shared,
    headers: HeaderMap,
    operation: &'static str,
) -> Result<Response, ApiError> {
    authorize(&app, &headers)?;
    Err(ApiError::invalid(
        StatusCode::NOT_IMPLEMENTED,
        format!("the emulator does not implement operation {operation} of the spec"),
    ))
}

async fn method_not_allowed() -> ApiError {
    ApiError::invalid(
        StatusCode::METHOD_NOT_ALLOWED,
        "this method is not allowed on this path",
    )
}

async fn not_found() -> ApiError {
    ApiError::invalid(
        StatusCode::NOT_FOUND,
        "no such endpoint; the API is under /api/v1/customers",
    )
}

fn authorize(app: &App, headers: &HeaderMap) -> Result<(), ApiError> {
    if app.auth.allows(headers) {
        Ok(())
    } else {
        Err(ApiError::unauthorized())
    }
}

/// How far past the limit an oversized body is still read (and thrown away) before the 413 is
/// answered. A client sends its whole body before it reads the answer; closing the connection
/// while it still sends resets it, and the client sees a broken connection instead of the 413.
/// Bodies beyond this bound are cut off anyway: reading on would let one request tie up the
/// emulator for as long as its sender likes.
pub(crate) const DRAIN_BYTES: usize = 64 * 1024 * 1024;

/// A request body, as far as it was read.
#[derive(Debug)]
enum Received {
    /// The whole body, within the limit.
    Whole(Bytes),
    /// Longer than the limit: the rest was read and discarded, up to [`DRAIN_BYTES`] more.
    TooLarge,
    /// The connection failed, or the body was malformed, before its end.
    Unreadable,
}

/// Reads the request body, keeping at most `limit` bytes; see [`DRAIN_BYTES`] for what
/// happens to a longer one.
async fn receive(mut body: Body, limit: usize) -> Received {
    let mut kept = Vec::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return Received::Unreadable;
        };
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        total = total.saturating_add(data.len());
        if total <= limit {
            kept.extend_from_slice(&data);
        } else if total > limit.saturating_add(DRAIN_BYTES) {
            return Received::TooLarge;
        } else {
            kept = Vec::new();
        }
    }
    if total > limit {
        Received::TooLarge
    } else {
        Received::Whole(Bytes::from(kept))
    }
}

/// The request body as a JSON object that satisfies the spec's schema `component`.
fn json_body(
    app: &App,
    headers: &HeaderMap,
    body: Received,
    spec: &Spec,
) -> Result<Map<String, Value>, ApiError> {
    let component = spec.body.unwrap_or("the operation's body");
    if !is_json(headers) {
        // No body at all is a request without its required body, not one of the wrong type.
        if matches!(&body, Received::Whole(bytes) if bytes.is_empty())
            && !headers.contains_key(header::CONTENT_TYPE)
        {
            return Err(ApiError::invalid(
                StatusCode::BAD_REQUEST,
                format!("(root): the body is missing; send a {component} as application/json"),
            ));
        }
        return Err(ApiError::invalid(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type: the body must be application/json",
        ));
    }
    let bytes = match body {
        Received::Whole(bytes) => bytes,
        Received::TooLarge => {
            return Err(ApiError::invalid(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "the body is larger than the limit of {} bytes",
                    app.max_body_bytes
                ),
            ));
        }
        Received::Unreadable => {
            return Err(ApiError::invalid(
                StatusCode::BAD_REQUEST,
                "the body could not be read",
            ));
        }
    };
    let mut value: Value = serde_json::from_slice(&bytes).map_err(|e| {
        // Position only: serde_json's own text could quote part of the input.
        ApiError::invalid(
            StatusCode::BAD_REQUEST,
            format!(
                "(root): the body is not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })?;
    // The server's own properties (`readOnly`) are ignored, so they are not checked either: a
    // record read back and sent with any `createdAt` is as good as one without.
    if let (Value::Object(map), Some(schema)) = (&mut value, facts::component(spec.doc, component))
    {
        facts::strip_read_only(spec.doc, schema, map);
    }
    let pointer = format!(
        "/components/schemas/{}",
        trustly_customers_spec::escape_token(component)
    );
    let violations = trustly_customers_spec::schema::check(spec.doc, &pointer, &value);
    if !violations.is_empty() {
        let messages = violations.iter().map(ToString::to_string).collect();
        return Err(ApiError::invalid_many(StatusCode::BAD_REQUEST, messages));
    }
    match value {
        Value::Object(map) => {
            if let Some(property) = too_deep(&map) {
                return Err(ApiError::invalid(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "/{}: nested deeper than {MAX_BODY_DEPTH} levels (objects and arrays, \
                         the body included)",
                        trustly_customers_spec::escape_token(property)
                    ),
                ));
            }
            Ok(map)
        }
        // The schemas say `type: object`, so the check above has already refused this.
        _ => Err(ApiError::invalid(
            StatusCode::BAD_REQUEST,
            "(root): expected object",
        )),
    }
}

/// The deepest a body may nest, counting its objects and arrays with the body itself. serde_json
/// (this emulator's data file loader, and most Rust clients) reads at most 127 levels, and a
/// stored customer is answered and written two levels down, inside `{"customers":[...]}`. A
/// deeper customer could be stored but then neither listed nor loaded again at the next start.
const MAX_BODY_DEPTH: usize = 127 - 2;

/// The top-level property that makes the body nest deeper than [`MAX_BODY_DEPTH`], if any.
fn too_deep(body: &Map<String, Value>) -> Option<&str> {
    fn depth(value: &Value) -> usize {
        // Recursion is safe: serde_json has already refused anything deeper than 128 levels.
        match value {
            Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
            Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
            _ => 0,
        }
    }
    body.iter()
        .find(|(_, value)| 1 + depth(value) > MAX_BODY_DEPTH)
        .map(|(name, _)| name.as_str())
}

/// `application/json`, with or without parameters such as `charset`.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
}

/// 400 for the path parameter `name` that is not valid text.
fn bad_path(name: &str) -> ApiError {
    ApiError::invalid(
        StatusCode::BAD_REQUEST,
        format!("{name}: the path parameter is not valid text"),
    )
}

fn refused(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::NotFound(place) => ApiError::customer_not_found(&place),
        Refusal::Invalid(messages) => ApiError::invalid_many(StatusCode::BAD_REQUEST, messages),
    }
}

/// With a data file, waits until the change is on disk before answering.
async fn saved(app: &App, version: u64) -> Result<(), ApiError> {
    match &app.persister {
        None => Ok(()),
        Some(persister) => persister.saved(version).await.map_err(|_| {
            ApiError::internal(
                "the change was made in memory but the data file could not be written",
            )
        }),
    }
}

fn customer_response(record: &[u8]) -> Response {
    let mut body =
        Vec::with_capacity(record.len() + schemas::customer_response::CUSTOMER.len() + 5);
    open_envelope(&mut body, schemas::customer_response::CUSTOMER);
    body.extend_from_slice(record);
    body.push(b'}');
    json_ok(body)
}

/// Writes `{"key":`, the start of an envelope whose one property is `key`.
fn open_envelope(body: &mut Vec<u8>, key: &str) {
    body.push(b'{');
    // Writing a string to a `Vec` cannot fail.
    let _ = serde_json::to_writer(&mut *body, key);
    body.push(b':');
}

fn json_ok(body: Vec<u8>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        Body::from(body),
    )
        .into_response()
}
