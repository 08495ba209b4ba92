//! The admin API under `/__admin`, as `openapi/admin.yaml` describes it: the emulator's own
//! credentials, JSON in and out, Trustly's error body for every refusal.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde_json::json;

use super::faults::Fault;
use crate::app::App;
use crate::authorized::Authorized;
use crate::error_body::ApiError;
use crate::request::{json_value, receive};

/// Where the admin API lives, beside `/api/v1`.
pub(crate) const ADMIN_PATH: &str = "/__admin";

/// The largest fault a `POST /__admin/faults` takes.
const MAX_FAULT_BYTES: usize = 4 * 1024;

type Shared = State<Arc<App>>;

/// The admin routes, for the emulator's router.
pub(crate) fn router() -> Router<Arc<App>> {
    Router::new()
        .route(
            &format!("{ADMIN_PATH}/faults"),
            get(list_faults)
                .post(add_fault)
                .delete(clear_faults)
                .fallback(method_not_allowed),
        )
        .route(
            &format!("{ADMIN_PATH}/faults/{{id}}"),
            delete(remove_fault).fallback(method_not_allowed),
        )
        .route(
            &format!("{ADMIN_PATH}/requests"),
            get(list_requests)
                .delete(clear_requests)
                .fallback(method_not_allowed),
        )
        .route(
            &format!("{ADMIN_PATH}/reset"),
            post(reset).fallback(method_not_allowed),
        )
}

fn json(status: StatusCode, value: &serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

async fn list_faults(State(app): Shared, _: Authorized) -> Result<Response, ApiError> {
    Ok(json(
        StatusCode::OK,
        &json!({ "faults": app.bench.faults.all() }),
    ))
}

async fn add_fault(
    State(app): Shared,
    _: Authorized,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let value = json_value(
        &headers,
        receive(body, MAX_FAULT_BYTES).await,
        MAX_FAULT_BYTES,
    )?;
    if !value.is_object() {
        return Err(ApiError::invalid(
            StatusCode::BAD_REQUEST,
            "(root): expected an object",
        ));
    }
    let fault: Fault = serde_json::from_value(value)
        .map_err(|e| ApiError::invalid(StatusCode::BAD_REQUEST, format!("(root): {e}")))?;
    let id = app
        .bench
        .add_fault(fault)
        .map_err(|problem| ApiError::invalid(StatusCode::BAD_REQUEST, problem))?;
    Ok(json(StatusCode::CREATED, &json!({ "id": id })))
}

async fn clear_faults(State(app): Shared, _: Authorized) -> Result<StatusCode, ApiError> {
    app.bench.faults.clear(false);
    Ok(StatusCode::NO_CONTENT)
}

async fn remove_fault(
    State(app): Shared,
    _: Authorized,
    id: Result<Path<u64>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Ok(Path(id)) = id else {
        return Err(ApiError::invalid(
            StatusCode::NOT_FOUND,
            "id: no fault has this id (ids are positive integers)",
        ));
    };
    if app.bench.faults.remove(id) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::invalid(
            StatusCode::NOT_FOUND,
            "id: no fault has this id",
        ))
    }
}

async fn list_requests(State(app): Shared, _: Authorized) -> Result<Response, ApiError> {
    Ok(json(
        StatusCode::OK,
        &json!({ "requests": app.bench.requests.all() }),
    ))
}

async fn clear_requests(State(app): Shared, _: Authorized) -> Result<StatusCode, ApiError> {
    app.bench.requests.clear();
    Ok(StatusCode::NO_CONTENT)
}

async fn reset(State(app): Shared, _: Authorized) -> Result<StatusCode, ApiError> {
    app.reset().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn method_not_allowed() -> ApiError {
    ApiError::invalid(
        StatusCode::METHOD_NOT_ALLOWED,
        "this method is not allowed on this path",
    )
}
