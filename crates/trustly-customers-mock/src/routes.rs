//! The four operations under `/api/v1`, and the error answers for everything else.
//!
//! Every handler checks, in this order: credentials (401), content type (415), body size (413),
//! JSON syntax (400), the spec's schema (400, one error per violation), then the store's rules
//! (404 for an unknown customer, 400 for a taken `externalId` or an incomplete result).

use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::auth::BasicAuth;
use crate::clock::now_millis;
use crate::error_body::ApiError;
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

/// The router for one emulator.
pub(crate) fn router(app: Arc<App>) -> Router {
    let limit = app.max_body_bytes;
    Router::new()
        .route(
            &format!("{BASE_PATH}/customers"),
            get(list_customers).post(create_or_update_customer),
        )
        .route(
            &format!("{BASE_PATH}/customers/{{customer_id}}"),
            get(get_customer).post(update_customer),
        )
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limit))
        .with_state(app)
}

/// Query parameters of the customer operations; others are ignored.
#[derive(Debug, Default, Deserialize)]
struct Filters {
    #[serde(rename = "externalId")]
    external_id: Option<String>,
    #[serde(rename = "customerId")]
    customer_id: Option<String>,
}

async fn list_customers(
    State(app): Shared,
    headers: HeaderMap,
    query: Result<Query<Filters>, QueryRejection>,
) -> Result<Response, ApiError> {
    authorize(&app, &headers)?;
    let Query(filters) = query.map_err(|_| bad_query())?;
    let records = app.read().list(
        filters.customer_id.as_deref(),
        filters.external_id.as_deref(),
    );
    let size: usize = records.iter().map(|r| r.len() + 1).sum();
    let mut body = Vec::with_capacity(size + 16);
    body.extend_from_slice(b"{\"customers\":[");
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
    let Path(customer_id) = path.map_err(|_| bad_path())?;
    let record = app
        .read()
        .get(&customer_id)
        .ok_or_else(|| ApiError::customer_not_found("customerId"))?;
    Ok(customer_response(&record))
}

async fn create_or_update_customer(
    State(app): Shared,
    headers: HeaderMap,
    query: Result<Query<Filters>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    authorize(&app, &headers)?;
    let body = json_body(&app, &headers, body, "Customer")?;
    let Query(filters) = query.map_err(|_| bad_query())?;
    let (outcome, version) = {
        let mut store = app.write();
        let outcome = store.create_or_update(
            filters.external_id.as_deref(),
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

async fn update_customer(
    State(app): Shared,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    authorize(&app, &headers)?;
    let body = json_body(&app, &headers, body, "CustomerUpdate")?;
    let Path(customer_id) = path.map_err(|_| bad_path())?;
    let (outcome, version) = {
        let mut store = app.write();
        let outcome = store.update(&customer_id, body, &app.merchant_id, now_millis());
        (outcome, store.version())
    };
    let record = outcome.map_err(refused)?;
    saved(&app, version).await?;
    Ok(customer_response(&record))
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

/// The request body as a JSON object that satisfies the spec's schema `component`.
fn json_body(
    app: &App,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    component: &str,
) -> Result<Map<String, Value>, ApiError> {
    if !is_json(headers) {
        return Err(ApiError::invalid(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type: the body must be application/json",
        ));
    }
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::invalid(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "the body is larger than the limit of {} bytes",
                    app.max_body_bytes
                ),
            )
        } else {
            ApiError::invalid(StatusCode::BAD_REQUEST, "the body could not be read")
        }
    })?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
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
    let violations = trustly_customers_spec::check_component(component, &value);
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

fn bad_query() -> ApiError {
    ApiError::invalid(
        StatusCode::BAD_REQUEST,
        "query: externalId and customerId may each be given once, as text",
    )
}

fn bad_path() -> ApiError {
    ApiError::invalid(
        StatusCode::BAD_REQUEST,
        "customerId: the path parameter is not valid text",
    )
}

fn refused(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::NotFound(place) => ApiError::customer_not_found(place),
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
    let mut body = Vec::with_capacity(record.len() + 13);
    body.extend_from_slice(b"{\"customer\":");
    body.extend_from_slice(record);
    body.push(b'}');
    json_ok(body)
}

fn json_ok(body: Vec<u8>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        Body::from(body),
    )
        .into_response()
}
