//! Trustly's error body, `{"errors":[{"domain", "code", "message", "occurredAt"}]}`, for every
//! answer that is not a success.
//!
//! Messages say what is wrong and where (a JSON pointer or a parameter name), never the value
//! that was sent: it may be a tax id, an email or an access key.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::clock::now_millis;
use crate::generated::known_values::error_code;
use crate::generated::schemas::{self, customer, error_detail};

// The codes are the spec's (`ErrorCode`'s known values). The domains are written here: a
// domain is the name of the server's exception class, which Trustly documents only by example,
// under two packages (`com.trustly…` in its error sample, `com.paywithmybank…` on the sandbox),
// so the spec names no set of them; clients read the code.

/// `domain` of an invalid request, as in Trustly's documented error sample.
pub(crate) const INVALID_PARAMETER: &str =
    "com.trustly.merchantgateway.v1.exception.InvalidParameterException";
/// `domain` of a request with missing or wrong credentials, as the sandbox answers it.
pub(crate) const ACCESS_CONTROL: &str =
    "com.paywithmybank.merchantgateway.v1.exception.AccessControlException";
/// `domain` of a failure on the emulator's side (the data file could not be written). Trustly
/// documents no domain for code 100; this one is named after the code, in the package of the
/// documented sample.
pub(crate) const INTERNAL: &str = "com.trustly.merchantgateway.v1.exception.InternalException";

/// An error answer: an HTTP status and one or more entries of Trustly's error body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) domain: &'static str,
    pub(crate) code: i64,
    pub(crate) messages: Vec<String>,
}

impl ApiError {
    /// A client error (4xx) about the request: code `InvalidParameter` (200),
    /// `InvalidParameterException`.
    pub(crate) fn invalid(status: StatusCode, message: impl Into<String>) -> Self {
        Self::invalid_many(status, vec![message.into()])
    }

    /// Like [`ApiError::invalid`], one entry per message (one per schema violation).
    pub(crate) fn invalid_many(status: StatusCode, messages: Vec<String>) -> Self {
        ApiError {
            status,
            domain: INVALID_PARAMETER,
            code: error_code::INVALID_PARAMETER,
            messages,
        }
    }

    /// 401: the Basic credentials are missing or wrong. Trustly's own wording.
    pub(crate) fn unauthorized() -> Self {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            domain: ACCESS_CONTROL,
            code: error_code::ACCESS_CONTROL,
            messages: vec!["Access not authorized".into()],
        }
    }

    /// 404 for a `customerId` no customer has; `where_` names the parameter or property.
    pub(crate) fn customer_not_found(where_: &str) -> Self {
        Self::invalid(
            StatusCode::NOT_FOUND,
            format!("{where_}: no customer has this {}", customer::CUSTOMER_ID),
        )
    }

    /// 500: the emulator failed on its own side.
    pub(crate) fn internal(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            domain: INTERNAL,
            code: error_code::INTERNAL,
            messages: vec![message.into()],
        }
    }

    /// The answer of a fault injected with `status`: Trustly's error body with the code that
    /// fits it (`AccessControl` for 401 and 403, `Internal` for a 5xx, `InvalidParameter` for
    /// any other 4xx), saying it was injected.
    pub(crate) fn injected(status: StatusCode) -> Self {
        let message = format!("a fault injected through /__admin/faults: status {status}");
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            ApiError {
                status,
                domain: ACCESS_CONTROL,
                code: error_code::ACCESS_CONTROL,
                messages: vec![message],
            }
        } else if status.is_server_error() {
            ApiError {
                status,
                ..ApiError::internal(message)
            }
        } else {
            ApiError::invalid(status, message)
        }
    }

    /// The JSON body, as sent.
    pub(crate) fn body(&self) -> serde_json::Value {
        let at = now_millis();
        let errors: Vec<_> = self
            .messages
            .iter()
            .map(|m| {
                json!({
                    (error_detail::DOMAIN): self.domain,
                    (error_detail::CODE): self.code,
                    (error_detail::MESSAGE): m,
                    (error_detail::OCCURRED_AT): at,
                })
            })
            .collect();
        json!({ (schemas::error_body::ERRORS): errors })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.body()).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            // RFC 9110: a 401 names the scheme it wants.
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Basic realm=\"trustly-customers-mock\""),
            );
        }
        if self.status == StatusCode::PAYLOAD_TOO_LARGE {
            // The rest of an oversized body is not read: the connection cannot carry another
            // request, and saying so lets the client stop sending.
            response.headers_mut().insert(
                header::CONNECTION,
                header::HeaderValue::from_static("close"),
            );
        }
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/json"),
        );
        response
    }
}
