//! An operation's answer read from its response.

use progenitor_client::{Error, ResponseValue};
use serde::de::DeserializeOwned;

use crate::failed_response;

/// The success or error value of an operation from its response: the generated operations'
/// `ResponseValue::from_response`, which clones the response's header map and then drops the
/// original, with the header map moved instead (`passes::per_call` of the xtask puts this in
/// the generated code).
///
/// A body that cannot be read or decoded leaves the response's status and headers to
/// [`FailedResponseHead`](crate::FailedResponseHead), which the error returned here has no
/// place for.
pub(crate) async fn from_response<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(e) => {
            failed_response::keep_head(status, headers);
            return Err(Error::ResponseBodyError(e));
        }
    };
    match serde_json::from_slice(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(e) => {
            failed_response::keep_head(status, headers);
            Err(Error::InvalidResponsePayload(body, e))
        }
    }
}
