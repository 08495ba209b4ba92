//! The credentials check, as the first extractor of every handler of the API and of the admin
//! API: a request without the emulator's credentials is answered 401 before anything else of
//! it is read.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::app::App;
use crate::error_body::ApiError;

/// Proof that the request carries the emulator's credentials. It reads the `Authorization`
/// header where it is: axum's `HeaderMap` extractor copies every header, for every request,
/// which cost GET by id a share of its rate.
#[derive(Debug)]
pub(crate) struct Authorized;

impl FromRequestParts<Arc<App>> for Authorized {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, ApiError> {
        if app.auth.allows(&parts.headers) {
            Ok(Authorized)
        } else {
            Err(ApiError::unauthorized())
        }
    }
}
