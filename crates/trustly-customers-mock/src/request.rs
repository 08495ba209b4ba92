//! What a request carries, read and checked against its operation in the spec: the query
//! parameters, the body (its size, content type, JSON syntax, schema and depth) and the path
//! parameter. Every refusal is an [`ApiError`] naming the field, never quoting the value.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Map, Value};
use trustly_customers_spec::facts::{self, Location, Operation};

use crate::error_body::ApiError;

/// What a handler knows of its operation from the spec.
#[derive(Debug, Clone)]
pub(crate) struct OperationSpec {
    /// The whole spec.
    doc: &'static Value,
    /// The query parameters: (name, schema).
    query: Vec<(&'static str, &'static Value)>,
    /// The component schema of the JSON body, if it has one.
    body: Option<&'static str>,
}

impl OperationSpec {
    /// Operation `op` of the spec `doc`.
    pub(crate) fn of(doc: &'static Value, op: &Operation<'static>) -> OperationSpec {
        OperationSpec {
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

/// The query string's parameters the operation declares, each given at most once and valid
/// against its schema. Others are ignored.
pub(crate) fn query_params(
    spec: &OperationSpec,
    raw: Option<&str>,
) -> Result<Map<String, Value>, ApiError> {
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

/// The text of query parameter `name`, if it was given.
pub(crate) fn param<'a>(params: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    params.get(name).and_then(Value::as_str)
}

/// 400 for the path parameter `name` that is not valid text.
pub(crate) fn bad_path(name: &str) -> ApiError {
    ApiError::invalid(
        StatusCode::BAD_REQUEST,
        format!("{name}: the path parameter is not valid text"),
    )
}

/// How far past the limit an oversized body is still read (and thrown away) before the 413 is
/// answered. A client sends its whole body before it reads the answer; closing the connection
/// while it still sends resets it, and the client sees a broken connection instead of the 413.
/// Bodies beyond this bound are cut off anyway: reading on would let one request tie up the
/// emulator for as long as its sender likes.
const DRAIN_BYTES: usize = 64 * 1024 * 1024;

/// A request body, as far as it was read.
#[derive(Debug)]
pub(crate) enum Received {
    /// The whole body, within the limit.
    Whole(Bytes),
    /// Longer than the limit: the rest was read and discarded, up to [`DRAIN_BYTES`] more.
    TooLarge,
    /// The connection failed, or the body was malformed, before its end.
    Unreadable,
}

/// Reads the request body, keeping at most `limit` bytes; see [`DRAIN_BYTES`] for what
/// happens to a longer one.
pub(crate) async fn receive(mut body: Body, limit: usize) -> Received {
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

/// The request body as a JSON object that satisfies the operation's body schema; `limit` is
/// the size [`receive`] held it to.
pub(crate) fn json_body(
    headers: &HeaderMap,
    body: Received,
    limit: usize,
    spec: &OperationSpec,
) -> Result<Map<String, Value>, ApiError> {
    let component = spec.body.unwrap_or("the operation's body");
    // No body at all is a request without its required body, not one of the wrong type.
    if matches!(&body, Received::Whole(bytes) if bytes.is_empty())
        && !headers.contains_key(header::CONTENT_TYPE)
    {
        return Err(ApiError::invalid(
            StatusCode::BAD_REQUEST,
            format!("(root): the body is missing; send a {component} as application/json"),
        ));
    }
    let mut value = json_value(headers, body, limit)?;
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

/// The request body as JSON of any shape, for every route that takes one (the API's and the
/// admin API's): refused when it is not declared `application/json`, is larger than `limit`
/// (the size [`receive`] held it to), could not be read, or does not parse.
pub(crate) fn json_value(
    headers: &HeaderMap,
    body: Received,
    limit: usize,
) -> Result<Value, ApiError> {
    if !is_json(headers) {
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
                format!("the body is larger than the limit of {limit} bytes"),
            ));
        }
        Received::Unreadable => {
            return Err(ApiError::invalid(
                StatusCode::BAD_REQUEST,
                "the body could not be read",
            ));
        }
    };
    serde_json::from_slice(&bytes).map_err(|e| {
        // Position only: serde_json's own text could quote part of the input.
        ApiError::invalid(
            StatusCode::BAD_REQUEST,
            format!(
                "(root): the body is not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })
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
