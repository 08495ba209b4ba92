//! The status and headers of a response whose body an operation could not read or decode:
//! [`FailedResponseHead::take_response_head`] on the operation's error.
//!
//! # Why they are not in the error
//!
//! The generated methods return progenitor's [`Error`], and its two variants for such a
//! response carry no status or headers: [`Error::ResponseBodyError`] holds reqwest's error,
//! [`Error::InvalidResponsePayload`] the body and serde's error. Both the error type and the
//! methods' signatures are progenitor's, and neither reqwest's nor serde's error can carry
//! anything else without changing what it says of itself (serde's would have to become an
//! I/O error). So the operation that makes such an error (`response.rs`) leaves the head of
//! its response on its thread, as it returns the error, and the error's
//! [`take_response_head`](FailedResponseHead::take_response_head) takes it back.
//!
//! This costs nothing on the way of an answer that decodes, unlike an observer of every
//! response ([`RequestSettings::observe_responses`](crate::RequestSettings::observe_responses)),
//! which reads each response's headers.

use std::cell::RefCell;
use std::fmt;

use progenitor_client::Error;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// The status and headers of a response whose body an operation could not read or decode,
/// which the operation's error ([`Error::ResponseBodyError`], [`Error::InvalidResponsePayload`])
/// does not carry: see [`FailedResponseHead`].
pub struct ResponseHead {
    status: StatusCode,
    headers: HeaderMap,
}

impl ResponseHead {
    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}

impl fmt::Debug for ResponseHead {
    /// The status and the headers' names: a header's value can be anything a server sends.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseHead")
            .field("status", &self.status)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The head of the response an operation's error came from, where the error has no place for
/// it: the generated methods return progenitor's [`Error`] as it is, whose variants for a body
/// that could not be read or decoded hold only reqwest's or serde's error and the body.
///
/// ```no_run
/// use trustly_customers_api::{Client, Error, FailedResponseHead as _, types};
///
/// # async fn example(client: &Client, id: &types::CustomerId) {
/// if let Err(error) = client.get_customer(id).await {
///     // Taken at once, before anything else is awaited.
///     if let Some(head) = error.take_response_head() {
///         eprintln!("HTTP {} answered with a body that does not decode", head.status());
///     }
/// }
/// # }
/// ```
pub trait FailedResponseHead {
    /// The status and headers of the response whose body the operation that has just failed
    /// with this error could not read or decode ([`Error::ResponseBodyError`],
    /// [`Error::InvalidResponsePayload`]); `None` for any other error, which either carries
    /// its response ([`Error::ErrorResponse`], [`Error::UnexpectedResponse`]) or had none.
    ///
    /// Call it once, on the thread where the operation's future returned the error, before
    /// anything else is awaited: the operation keeps the head on that thread as it makes the
    /// error, and its future returns the error within the same poll, so nothing else can run
    /// on the thread in between. Taking the head leaves none behind; called later, or on
    /// another thread, this answers `None` or the head of another failed response.
    fn take_response_head(&self) -> Option<ResponseHead>;
}

impl<E> FailedResponseHead for Error<E> {
    fn take_response_head(&self) -> Option<ResponseHead> {
        match self {
            Error::ResponseBodyError(_) | Error::InvalidResponsePayload(..) => {
                FAILED_RESPONSE_HEAD.with(|slot| slot.borrow_mut().take())
            }
            _ => None,
        }
    }
}

std::thread_local! {
    /// The head of the last response on this thread whose body an operation failed to read or
    /// decode, kept by `from_response` as it returns the error.
    static FAILED_RESPONSE_HEAD: RefCell<Option<ResponseHead>> = const { RefCell::new(None) };
}

/// Keeps the head of the response whose body the operation running on this thread could not
/// read or decode, for its error's [`FailedResponseHead::take_response_head`].
pub(crate) fn keep_head(status: StatusCode, headers: HeaderMap) {
    FAILED_RESPONSE_HEAD.with(|slot| *slot.borrow_mut() = Some(ResponseHead { status, headers }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_a_failed_response_head_shows_header_names_but_not_values() {
        let mut headers = HeaderMap::new();
        headers.insert("x-server-note", "joe@example.com".parse().unwrap());
        let head = ResponseHead {
            status: StatusCode::BAD_GATEWAY,
            headers,
        };
        let shown = format!("{head:?}");
        assert!(
            shown.contains("502") && shown.contains("x-server-note"),
            "{shown}"
        );
        assert!(!shown.contains("joe@example.com"), "{shown}");
    }

    #[test]
    fn only_an_error_without_its_response_answers_with_the_kept_head() {
        let kept = || {
            let mut headers = HeaderMap::new();
            headers.insert("content-type", "text/html".parse().unwrap());
            keep_head(StatusCode::BAD_GATEWAY, headers);
        };
        // Errors that carry their response, or had none, leave the head where it is.
        kept();
        let others: [Error<()>; 2] = [
            Error::InvalidRequest("refused".into()),
            Error::Custom("a hook's".into()),
        ];
        for error in &others {
            assert!(error.take_response_head().is_none());
        }
        let undecodable: Error<()> = Error::InvalidResponsePayload(
            "<html>".into(),
            serde_json::from_slice::<()>(b"<html>").unwrap_err(),
        );
        let head = undecodable.take_response_head().expect("the head kept");
        assert_eq!(head.status(), StatusCode::BAD_GATEWAY);
        assert_eq!(head.headers()["content-type"], "text/html");
        // Taken once.
        assert!(undecodable.take_response_head().is_none());
    }
}
