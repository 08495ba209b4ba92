//! One handler per operation the emulator models, named after its operation; the spec's
//! generated names are always written with their module (`operations::get_customer::…`), so
//! a handler never reads as one of them.
//!
//! Every handler checks, in this order: credentials (401: [`Authorized`], its first extractor),
//! content type (415), body size (413), JSON syntax (400), the query parameters and the body
//! against the spec (400, one error per violation), then the store's rules (404 for an unknown
//! customer, 400 for a taken `externalId` or an incomplete result).

use std::sync::{Arc, LazyLock};

use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

use crate::app::App;
use crate::authorized::Authorized;
use crate::clock::now_millis;
use crate::error_body::ApiError;
use crate::generated::{operations, schemas};
use crate::request::{OperationSpec, bad_path, json_body, param, query_params, receive};
use crate::store::{Refusal, Store};

type Shared = State<Arc<App>>;

/// `listCustomers`: every customer, or those the filters name, in creation order.
pub(crate) async fn list_customers(
    State(app): Shared,
    _: Authorized,
    RawQuery(query): RawQuery,
    spec: OperationSpec,
) -> Result<Response, ApiError> {
    let params = query_params(&spec, query.as_deref())?;
    let records = app.read().list(
        param(&params, operations::list_customers::CUSTOMER_ID),
        param(&params, operations::list_customers::EXTERNAL_ID),
    );
    let opening: &[u8] = &LIST_OPENING;
    let size: usize = records.iter().map(|r| r.len() + 1).sum();
    let mut body = Vec::with_capacity(opening.len() + size + 3);
    body.extend_from_slice(opening);
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

/// `getCustomer`: the customer the path names.
pub(crate) async fn get_customer(
    State(app): Shared,
    _: Authorized,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(customer_id) = path.map_err(|_| bad_path(operations::get_customer::CUSTOMER_ID))?;
    let record = app
        .read()
        .get(&customer_id)
        .ok_or_else(|| ApiError::customer_not_found(operations::get_customer::CUSTOMER_ID))?;
    Ok(customer_response(&record))
}

/// `createOrUpdateCustomer`: the store's create-or-update, answered once it is saved.
pub(crate) async fn create_or_update_customer(
    State(app): Shared,
    _: Authorized,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Body,
    spec: OperationSpec,
) -> Result<Response, ApiError> {
    let body = receive(body, app.max_body_bytes).await;
    let body = json_body(&headers, body, app.max_body_bytes, &spec)?;
    let params = query_params(&spec, query.as_deref())?;
    let external_id = param(&params, operations::create_or_update_customer::EXTERNAL_ID);
    change_and_answer(&app, |store, merchant_id, now| {
        store.create_or_update(external_id, body, merchant_id, now)
    })
    .await
}

/// `replaceCustomer`: the store's update by id, answered once it is saved.
pub(crate) async fn replace_customer(
    State(app): Shared,
    _: Authorized,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Body,
    spec: OperationSpec,
) -> Result<Response, ApiError> {
    let body = receive(body, app.max_body_bytes).await;
    let body = json_body(&headers, body, app.max_body_bytes, &spec)?;
    let Path(customer_id) =
        path.map_err(|_| bad_path(operations::replace_customer::CUSTOMER_ID))?;
    change_and_answer(&app, |store, merchant_id, now| {
        store.replace(&customer_id, body, merchant_id, now)
    })
    .await
}

/// An operation of the spec this emulator does not model (yet): 501, after the credentials.
pub(crate) async fn not_implemented(
    _: Authorized,
    operation: &'static str,
) -> Result<Response, ApiError> {
    Err(ApiError::invalid(
        StatusCode::NOT_IMPLEMENTED,
        format!("the emulator does not implement operation {operation} of the spec"),
    ))
}

/// A change to the store (`change` of the store, the merchant and now), answered with the
/// customer it leaves once it is saved: the store's version is read under the same lock as the
/// change, so the answer waits for this change and no later one.
async fn change_and_answer(
    app: &App,
    change: impl FnOnce(&mut Store, &str, i64) -> Result<Bytes, Refusal>,
) -> Result<Response, ApiError> {
    let (outcome, version) = {
        let mut store = app.write();
        let outcome = change(&mut store, &app.merchant_id, now_millis());
        (outcome, store.version())
    };
    let record = outcome.map_err(refused)?;
    saved(app, version).await?;
    Ok(customer_response(&record))
}

fn refused(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::NotFound(place) => ApiError::customer_not_found(&place),
        Refusal::Invalid(messages) => ApiError::invalid_many(StatusCode::BAD_REQUEST, messages),
    }
}

/// With a data file, waits until the change is on disk before answering.
async fn saved(app: &App, version: u64) -> Result<(), ApiError> {
    app.saved(version).await.map_err(|_| {
        ApiError::internal("the change was made in memory but the data file could not be written")
    })
}

/// `{"customer": record}`, the answer of every operation on one customer.
fn customer_response(record: &[u8]) -> Response {
    let opening: &[u8] = &CUSTOMER_OPENING;
    let mut body = Vec::with_capacity(opening.len() + record.len() + 1);
    body.extend_from_slice(opening);
    body.extend_from_slice(record);
    body.push(b'}');
    json_ok(body)
}

/// `{"customer":`, the start of the answer with one customer; and `{"customers":`, of the list.
/// Made once: the spec's property name, written as JSON, was most of the cost of an answer's
/// own bytes.
static CUSTOMER_OPENING: LazyLock<Vec<u8>> =
    LazyLock::new(|| envelope_opening(schemas::customer_response::CUSTOMER));
static LIST_OPENING: LazyLock<Vec<u8>> =
    LazyLock::new(|| envelope_opening(schemas::customer_list::CUSTOMERS));

/// `{"key":`, the start of an envelope whose one property is `key`.
fn envelope_opening(key: &str) -> Vec<u8> {
    let mut opening = vec![b'{'];
    // Writing a string to a `Vec` cannot fail.
    let _ = serde_json::to_writer(&mut opening, key);
    opening.push(b':');
    opening
}

/// A 200 with a JSON body, made directly: axum's tuple of header pairs checks the content
/// type's text again for every answer.
fn json_ok(body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
