//! The one error type of the crate, and what can safely be said about a failed response.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use serde::de::DeserializeOwned;
use trustly_customers_api::types::{ErrorBody, ErrorCode, ErrorDetail};

use crate::cause::Cause;
use crate::excerpt::{BodyExcerpt, decode_failure};
use crate::redact::{REDACTED, Redactor};
use crate::retry_after::parse_retry_after;

/// What went wrong, coarsely enough to `match` on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// HTTP 404 with Trustly's error body: the record asked for does not exist.
    NotFound,
    /// HTTP 404 without Trustly's error body (an empty body, a web server's page): the server
    /// serves no such path, so the base URL is most likely wrong (such as one without
    /// `/api/v1`). Never a missing record: Trustly and the emulator answer one with their
    /// error body.
    NoSuchEndpoint,
    /// HTTP 401 or 403: the access id or key was refused.
    Unauthorized,
    /// Any other 4xx: the request was refused, for example a property was invalid. Includes
    /// 429 (too many requests), which is retryable.
    Rejected,
    /// 5xx: an error at Trustly, or the service is unavailable.
    Server,
    /// No complete response within the configured timeout.
    Timeout,
    /// The request could not be sent or the response not read: connection refused, reset,
    /// DNS or TLS failure.
    Transport,
    /// A response arrived but is not what the API documents: malformed or truncated JSON, a
    /// missing property, an HTML page where JSON was expected, an unexpected redirect.
    Decode,
    /// The client was configured wrongly (bad URL, credentials over plain HTTP, missing
    /// environment variable) or a request could not be built (such as one whose id cannot be
    /// one path segment). Nothing was sent.
    Config,
}

impl ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not found",
            ErrorKind::NoSuchEndpoint => "no such endpoint",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Rejected => "request rejected",
            ErrorKind::Server => "server error",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Transport => "transport failure",
            ErrorKind::Decode => "undecodable response",
            ErrorKind::Config => "configuration error",
        }
    }
}

/// The last segment of an error's `domain`, such as `InvalidParameterException`.
pub fn short_domain(domain: &str) -> &str {
    domain.rsplit('.').next().unwrap_or(domain)
}

/// The error of every fallible call in this crate.
///
/// `Display` is one line ([`Report`]): the operation, the kind, the HTTP status, Trustly's error
/// codes, and the request's method and URL. It never contains credentials, request bodies,
/// response bodies, or a URL's ids or query (an external id, which merchants sometimes derive
/// from an email, can be either): the URL is the operation's path, ids as `{name}`
/// placeholders.
///
/// An error of a call holds no credential, whatever the server sent: every text in it that
/// came from the answer (its detail, Trustly's `errors[]`, the body excerpt, its causes) has
/// passed the client's [`Redactor`], which removes the access key, the access id and the
/// `Authorization` token. Its [`source`](StdError::source) is the cause's text, so
/// scrubbed, level by level (the HTTP client's error and its own causes), rather than the HTTP
/// client's error value, whose text could not be changed.
pub struct Error(Box<Inner>);

#[derive(Debug)]
struct Inner {
    kind: ErrorKind,
    operation: Option<&'static str>,
    request: Option<Request>,
    status: Option<u16>,
    detail: String,
    api_errors: Vec<ErrorDetail>,
    excerpt: Option<BodyExcerpt>,
    retry_after: Option<Duration>,
    attempts: u32,
    /// The request provably never left: the connection could not be made.
    unsent: bool,
    source: Option<Cause>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, detail: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind,
            operation: None,
            request: None,
            status: None,
            detail: detail.into(),
            api_errors: Vec::new(),
            excerpt: None,
            retry_after: None,
            attempts: 0,
            unsent: false,
            source: None,
        }))
    }

    pub(crate) fn config(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, detail)
    }

    /// The kind for an HTTP status that is not a success.
    pub(crate) fn kind_for_status(status: u16) -> ErrorKind {
        match status {
            404 => ErrorKind::NotFound,
            401 | 403 => ErrorKind::Unauthorized,
            400..=499 => ErrorKind::Rejected,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::Decode,
        }
    }

    pub(crate) fn with_status(mut self, status: Option<u16>) -> Self {
        self.0.status = status;
        self
    }

    pub(crate) fn with_api_errors(mut self, errors: Vec<ErrorDetail>) -> Self {
        self.0.api_errors = errors;
        self
    }

    pub(crate) fn with_excerpt(mut self, excerpt: BodyExcerpt) -> Self {
        self.0.excerpt = Some(excerpt);
        self
    }

    pub(crate) fn with_retry_after(mut self, delay: Option<Duration>) -> Self {
        self.0.retry_after = delay;
        self
    }

    pub(crate) fn with_source(mut self, source: impl StdError + 'static) -> Self {
        self.0.source = Some(Cause::of(&source));
        self
    }

    /// This error with the credentials `redactor` knows removed from every text it holds
    /// that can come from a server: the detail, Trustly's `errors[]` (`domain`, `message`,
    /// `location`) and the cause. (The body excerpt is made redacted: it masks digits, after
    /// which a credential could no longer be found.)
    pub(crate) fn redacted(mut self, redactor: &Redactor) -> Self {
        let inner = &mut *self.0;
        redactor.redact_in_place(&mut inner.detail);
        for detail in &mut inner.api_errors {
            redact_detail(detail, redactor);
        }
        inner.source = inner.source.take().map(|cause| cause.redacted(redactor));
        self
    }

    pub(crate) fn with_operation(mut self, operation: &'static str, attempts: u32) -> Self {
        self.0.operation = Some(operation);
        self.0.attempts = attempts;
        self
    }

    pub(crate) fn with_request(mut self, request: Request) -> Self {
        self.0.request = Some(request);
        self
    }

    /// A 404 whose body is not Trustly's error body: the path is not served.
    fn without_error_body(mut self) -> Self {
        if self.0.kind == ErrorKind::NotFound {
            self.0.kind = ErrorKind::NoSuchEndpoint;
        }
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        self.0.status
    }

    /// Trustly's `errors[]`, parsed from an error response (empty when there was none). Their
    /// `Debug` leaves out `message`, which can quote the request; read the field when you have
    /// decided it is safe to show.
    pub fn api_errors(&self) -> &[ErrorDetail] {
        &self.0.api_errors
    }

    /// The codes of Trustly's `errors[]`, in their order (none when there was no error body).
    /// A code the spec names is one of [`ErrorCode`]'s constants, to `match` on; any other
    /// comes as itself, with no [`name`](ErrorCode::name).
    ///
    /// ```
    /// use trustly_customers::{Error, ErrorCode};
    ///
    /// /// What to tell the operator about a failed call.
    /// fn advice(error: &Error) -> &'static str {
    ///     match error.codes().next() {
    ///         Some(ErrorCode::ACCESS_CONTROL) => "check the access id and key",
    ///         Some(ErrorCode::INVALID_PARAMETER) => "fix the request",
    ///         Some(other) => other.description().unwrap_or("a code this version does not name"),
    ///         None => "no error code from Trustly",
    ///     }
    /// }
    /// ```
    pub fn codes(&self) -> impl Iterator<Item = ErrorCode> + '_ {
        self.0.api_errors.iter().map(|e| e.code)
    }

    /// For [`ErrorKind::Decode`]: what can be shown of the body without personal data.
    pub fn body_excerpt(&self) -> Option<&BodyExcerpt> {
        self.0.excerpt.as_ref()
    }

    /// The delay the server asked for with `Retry-After`, if it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }

    /// The operation that failed, such as `get_customer` (none for an error of the client's
    /// configuration, made before any call).
    pub fn operation(&self) -> Option<&'static str> {
        self.0.operation
    }

    /// The request's HTTP method, such as `GET` (none for an error made before any call).
    pub fn method(&self) -> Option<&'static str> {
        self.0.request.as_ref().map(|r| r.method)
    }

    /// Where the request went: the base URL's origin and path, then the operation's path with
    /// its parameters as `{name}` placeholders, never their values (an id can be personal
    /// data), and no query or user info, such as
    /// `http://127.0.0.1:8080/api/v1/customers/{customerId}` (none for an error made before
    /// any call).
    pub fn url(&self) -> Option<&str> {
        self.0.request.as_ref().map(|r| r.url.as_str())
    }

    /// This error as one line for a person who ran `name` (a command, say), with Trustly's
    /// messages (see [`Report`]).
    pub fn report<'a>(&'a self, name: Option<&'a str>) -> Report<'a> {
        Report {
            error: self,
            name,
            messages: true,
        }
    }

    /// How many attempts were made before giving up (0 for an error of the client's
    /// configuration, made before any call; an attempt the generated client refused to send,
    /// such as one with an id that cannot be a path segment, counts).
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }

    /// Whether the failure is of a kind that may go away when the same request is repeated:
    /// a transport failure, a timeout, or HTTP 429, 502, 503 or 504.
    ///
    /// This says nothing about whether repeating *this* request is safe; the client retries
    /// automatically only requests that are (see [`RetryPolicy`](crate::RetryPolicy)).
    pub fn is_retryable(&self) -> bool {
        match self.0.kind {
            ErrorKind::Transport | ErrorKind::Timeout => true,
            _ => matches!(self.0.status, Some(429 | 502 | 503 | 504)),
        }
    }

    /// `true` when the request provably never left this machine (the connection could not be
    /// made, whether refused or timed out), so even a non-repeatable request can be retried.
    pub(crate) fn is_connect(&self) -> bool {
        self.0.unsent
    }
}

impl fmt::Display for Error {
    /// [`Error::report`] without Trustly's messages, under the operation's name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Report {
            error: self,
            name: self.0.operation,
            messages: false,
        }
        .fmt(f)
    }
}

/// One line about an [`Error`], each fact once, in this order: the name of what was asked,
/// the kind, the HTTP status, the detail, each of Trustly's errors (its code, its domain's
/// last segment, and with [`Error::report`] its message), the body excerpt, the request's
/// method and URL ([`Error::url`]: no id, no query), and the attempts:
///
/// `get: not found: HTTP 404, Trustly error code 200 (InvalidParameterException): no such
/// customer; GET http://127.0.0.1:8080/api/v1/customers/{customerId}`
///
/// An error's `Display` is this line under the operation's name and without Trustly's
/// messages, which can quote the request (a library's errors end up in logs); a program shows
/// them to the person who made the request with [`Error::report`]. Every text in it has passed
/// the client's redactor.
#[derive(Debug)]
pub struct Report<'a> {
    error: &'a Error,
    name: Option<&'a str>,
    messages: bool,
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.error.0;
        if let Some(name) = self.name {
            write!(f, "{name}: ")?;
        }
        f.write_str(inner.kind.describe())?;
        let mut sep = ": ";
        if let Some(status) = inner.status {
            write!(f, "{sep}HTTP {status}")?;
            sep = ", ";
        }
        if !inner.detail.is_empty() {
            write!(f, "{sep}{}", inner.detail)?;
            sep = ", ";
        }
        for e in &inner.api_errors {
            write!(
                f,
                "{sep}Trustly error code {} ({})",
                e.code,
                short_domain(&e.domain)
            )?;
            let message = e.message.split_whitespace().collect::<Vec<_>>().join(" ");
            if self.messages && !message.is_empty() {
                write!(f, ": {message}")?;
            }
            sep = "; ";
        }
        if let Some(excerpt) = &inner.excerpt {
            write!(f, "; body: {excerpt}")?;
        }
        if let Some(request) = &inner.request {
            write!(f, "; {} {}", request.method, request.url)?;
        }
        if inner.attempts > 1 {
            write!(f, " (after {} attempts)", inner.attempts)?;
        }
        Ok(())
    }
}

/// What a failed call asked for: its method, and its URL without ids or query.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    method: &'static str,
    url: String,
}

impl Request {
    /// The request `method path` (the operation's path, placeholders and all) to `base_url`,
    /// whose user info, query and fragment are left out: a base URL may carry a password.
    pub(crate) fn new(method: &'static str, base_url: &str, path: &str) -> Request {
        let base = match reqwest::Url::parse(base_url) {
            Ok(mut url) => {
                let _ = url.set_username("");
                let _ = url.set_password(None);
                url.set_query(None);
                url.set_fragment(None);
                url.as_str().trim_end_matches('/').to_owned()
            }
            // The client is never built with a base URL that does not parse.
            Err(_) => String::from("<base URL>"),
        };
        Request {
            method,
            url: format!("{base}{path}"),
        }
    }

    pub(crate) fn url(&self) -> &str {
        &self.url
    }
}

/// Every text of one of Trustly's `errors[]`, whatever properties the spec gives
/// `ErrorDetail`, passed through the redactor: the detail is read as JSON, each string redacted,
/// and the JSON read back. Should it not make that round trip (a property whose schema
/// `<redacted>` would break), the detail keeps its code and no text.
fn redact_detail(detail: &mut ErrorDetail, redactor: &Redactor) {
    let redacted = serde_json::to_value(&*detail).ok().and_then(|mut json| {
        redactor.redact_json(&mut json);
        serde_json::from_value(json).ok()
    });
    *detail = redacted.unwrap_or_else(|| ErrorDetail::new(REDACTED, detail.code, REDACTED));
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The cause is text, its URL removed before it was taken and its credentials after.
        self.0.fmt(f)
    }
}

impl Error {
    /// This crate's error for a failed call of the generated client, whose success type is `T`,
    /// made as soon as the call's future returned it (see below), with the credentials
    /// `redactor` knows removed from every text in it.
    pub(crate) async fn from_generated<T: DeserializeOwned>(
        error: trustly_customers_api::Error<ErrorBody>,
        redactor: &Redactor,
    ) -> Error {
        use trustly_customers_api::{Error as Generated, FailedResponseHead as _};
        // The generated error keeps no status or headers once a body fails to be read or to
        // decode: they are taken from it before anything is awaited, as they must be (this
        // runs within the poll that returned the error, up to its first await).
        let head = error.take_response_head();
        let status = head.as_ref().map(|h| h.status().as_u16());
        let content_type = head.as_ref().and_then(|h| content_type_of(h.headers()));
        let error = match error {
            // A path parameter that cannot be one path segment: the message says which, and
            // why (never its value).
            Generated::InvalidRequest(message) => Error::config(message),
            Generated::Custom(_) => Error::config("the request could not be built"),
            Generated::CommunicationError(e) | Generated::InvalidUpgrade(e) if e.is_builder() => {
                Error::config("the request could not be built").with_source(e.without_url())
            }
            Generated::CommunicationError(e)
            | Generated::InvalidUpgrade(e)
            | Generated::ResponseBodyError(e) => transport_error(e).with_status(status),
            Generated::ErrorResponse(response) => {
                let retry_after = parse_retry_after(response.headers());
                status_error(response.status().as_u16(), retry_after)
                    .with_api_errors(response.into_inner().errors)
            }
            // An error status whose body is not Trustly's error body (a proxy's page): the
            // status says what happened.
            Generated::InvalidResponsePayload(body, _)
                if head.as_ref().is_some_and(|h| h.status().as_u16() >= 300) =>
            {
                let head = head.as_ref().expect("checked");
                status_error(head.status().as_u16(), parse_retry_after(head.headers()))
                    .without_error_body()
                    .with_excerpt(BodyExcerpt::of(&body, content_type, redactor))
            }
            Generated::InvalidResponsePayload(body, e) => {
                Error::new(ErrorKind::Decode, decode_failure::<T>(&body, &e, redactor))
                    .with_status(status)
                    .with_excerpt(BodyExcerpt::of(&body, content_type, redactor))
            }
            // A status the spec does not declare for the operation (429, 502, a redirect...).
            Generated::UnexpectedResponse(response) => {
                let error = status_error(
                    response.status().as_u16(),
                    parse_retry_after(response.headers()),
                );
                let content_type = content_type_of(response.headers()).map(str::to_owned);
                let content_type = content_type.as_deref();
                match response.bytes().await {
                    Err(e) => error.with_source(e.without_url()),
                    Ok(_) if error.kind() == ErrorKind::Decode => error,
                    Ok(body) => match serde_json::from_slice::<ErrorBody>(&body) {
                        Ok(parsed) => error.with_api_errors(parsed.errors),
                        Err(_) if body.is_empty() => error.without_error_body(),
                        Err(_) => error.without_error_body().with_excerpt(BodyExcerpt::of(
                            &body,
                            content_type,
                            redactor,
                        )),
                    },
                }
            }
        };
        error.redacted(redactor)
    }
}

/// A response's `Content-Type`, when it is text (it tells how to show an excerpt of the body).
fn content_type_of(headers: &reqwest::header::HeaderMap) -> Option<&str> {
    headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}

/// The error for a status that is not a success.
fn status_error(code: u16, retry_after: Option<Duration>) -> Error {
    let kind = Error::kind_for_status(code);
    let detail = if kind == ErrorKind::Decode {
        // A redirect or another status this API never sends.
        format!("unexpected HTTP status {code}")
    } else {
        String::new()
    };
    Error::new(kind, detail)
        .with_status(Some(code))
        .with_retry_after(retry_after)
}

/// A request that could not be sent, or a response that could not be read.
fn transport_error(error: reqwest::Error) -> Error {
    // The URL can carry an external id; it stays out of every message.
    let error = error.without_url();
    if trustly_customers_api::is_response_too_large(&error) {
        // Not retried: the same request would be answered the same way.
        return Error::new(
            ErrorKind::Decode,
            "the response body is larger than the client reads (see ClientBuilder::max_response_bytes)",
        )
        .with_source(error);
    }
    let failure = TransportFailure::of(
        error.is_timeout(),
        error.is_connect(),
        error.is_body() || error.is_decode(),
    );
    let mut e = Error::new(failure.kind, failure.detail).with_source(error);
    e.0.unsent = failure.unsent;
    e
}

/// How a transport failure is reported, from what reqwest says of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TransportFailure {
    kind: ErrorKind,
    detail: &'static str,
    /// Whether the request provably never left: only a failed connection says so. A timeout
    /// or a dropped connection after the request was written may have reached the server.
    unsent: bool,
}

impl TransportFailure {
    fn of(timeout: bool, connect: bool, body: bool) -> TransportFailure {
        let (kind, detail) = match (timeout, connect) {
            (true, true) => (
                ErrorKind::Timeout,
                "could not connect within the connect timeout",
            ),
            (true, false) => (
                ErrorKind::Timeout,
                "no complete response within the timeout",
            ),
            (false, true) => (ErrorKind::Transport, "could not connect"),
            (false, false) if body => (ErrorKind::Transport, "the response body could not be read"),
            (false, false) => (ErrorKind::Transport, "the request could not be completed"),
        };
        TransportFailure {
            kind,
            detail,
            unsent: connect,
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0
            .source
            .as_ref()
            .map(|cause| cause as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_failed_connection_proves_the_request_unsent() {
        // (timeout, connect, body) -> (kind, unsent). A request that is not safe to repeat
        // is retried only when `unsent` holds: a timeout or a drop after the request was
        // written may have reached the server, a failed connection cannot have.
        let table = [
            ((false, true, false), (ErrorKind::Transport, true)),
            ((true, true, false), (ErrorKind::Timeout, true)),
            ((true, false, false), (ErrorKind::Timeout, false)),
            ((false, false, true), (ErrorKind::Transport, false)),
            ((false, false, false), (ErrorKind::Transport, false)),
            ((true, false, true), (ErrorKind::Timeout, false)),
        ];
        for ((timeout, connect, body), (kind, unsent)) in table {
            let failure = TransportFailure::of(timeout, connect, body);
            assert_eq!(
                (failure.kind, failure.unsent),
                (kind, unsent),
                "timeout {timeout}, connect {connect}, body {body}"
            );
        }
        assert_eq!(
            TransportFailure::of(true, true, false).detail,
            "could not connect within the connect timeout"
        );
        assert_eq!(
            TransportFailure::of(false, false, true).detail,
            "the response body could not be read"
        );
    }

    #[test]
    fn every_text_an_error_holds_loses_the_credentials() {
        let redactor = crate::Credentials::new("unit-access-id", "unit-access-key").redactor();
        let detail: ErrorDetail = serde_json::from_value(serde_json::json!({
            "code": 200,
            "domain": "com.trustly.unit-access-key",
            "message": "key unit-access-key",
            "location": "id unit-access-id",
        }))
        .unwrap();
        let error = Error::new(ErrorKind::Decode, "at /unit-access-key")
            .with_api_errors(vec![detail])
            .with_source(std::io::Error::other("cause unit-access-key"))
            .redacted(&redactor);
        let detail = &error.api_errors()[0];
        assert_eq!(
            (detail.domain.as_str(), detail.message.as_str()),
            ("com.trustly.<redacted>", "key <redacted>")
        );
        assert_eq!(detail.location.as_deref(), Some("id <redacted>"));
        assert_eq!(
            error.to_string(),
            "undecodable response: at /<redacted>, Trustly error code 200 (<redacted>)"
        );
        let cause = error.source().expect("the cause is kept");
        assert_eq!(cause.to_string(), "cause <redacted>");
        let debug = format!("{error:?}");
        assert!(!debug.contains("unit-access"), "{debug}");
        assert!(debug.contains("cause <redacted>"), "{debug}");
    }

    #[test]
    fn a_requests_url_keeps_no_user_info_query_or_fragment() {
        // A base URL may carry a password (`https://user:pass@host`) or a query: the URL an
        // error shows keeps the origin and the path only.
        for (base, expected) in [
            (
                "https://user:s3cret@example.com:8443/api/v1?token=t0k#frag",
                "https://example.com:8443/api/v1/customers/{customerId}",
            ),
            (
                "http://127.0.0.1:8080/api/v1/",
                "http://127.0.0.1:8080/api/v1/customers/{customerId}",
            ),
            ("not a url", "<base URL>/customers/{customerId}"),
        ] {
            let request = Request::new("GET", base, "/customers/{customerId}");
            assert_eq!(request.url(), expected, "{base}");
        }
        let error = Error::new(ErrorKind::NotFound, "").with_request(Request::new(
            "POST",
            "http://u:p@h/api/v1",
            "/customers",
        ));
        assert_eq!(
            (error.method(), error.url()),
            (Some("POST"), Some("http://h/api/v1/customers"))
        );
        assert_eq!(
            error.to_string(),
            "not found; POST http://h/api/v1/customers"
        );
    }

    #[test]
    fn an_error_made_here_is_never_taken_as_unsent() {
        for kind in [ErrorKind::Transport, ErrorKind::Timeout, ErrorKind::Server] {
            assert!(!Error::new(kind, "").is_connect());
        }
    }
}
