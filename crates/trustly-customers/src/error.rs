//! The one error type of the crate, and what can safely be said about a failed response.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use crate::excerpt::BodyExcerpt;

/// What went wrong, coarsely enough to `match` on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// HTTP 404: no such customer (or no such endpoint).
    NotFound,
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
    /// environment variable) or a request could not be built. Nothing was sent.
    Config,
}

impl ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not found",
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

/// One entry of the `errors[]` array Trustly returns with an error status.
///
/// `Debug` leaves out `message`: Trustly's messages can quote the request (an email, an id
/// number). Read it with [`ApiErrorDetail::message`] when you decide it is safe to show.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiErrorDetail {
    pub(crate) domain: String,
    pub(crate) code: i64,
    pub(crate) message: String,
    pub(crate) location: Option<String>,
}

impl ApiErrorDetail {
    /// The kind of error, as the server's exception class name.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// Trustly's numeric error code (200 invalid parameter, 375 access control, ...).
    pub fn code(&self) -> i64 {
        self.code
    }

    /// The human-readable message, as sent by the server. May quote request data.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where the error arose, when Trustly says.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// The last segment of [`domain`](Self::domain), such as `InvalidParameterException`.
    pub fn short_domain(&self) -> &str {
        self.domain.rsplit('.').next().unwrap_or(&self.domain)
    }
}

impl fmt::Debug for ApiErrorDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiErrorDetail")
            .field("domain", &self.domain)
            .field("code", &self.code)
            .field("message_len", &self.message.len())
            .finish()
    }
}

/// The error of every fallible call in this crate.
///
/// `Display` is one line: the operation, the kind, the HTTP status and Trustly's error codes.
/// It never contains credentials, request bodies, response bodies or URLs (a URL can carry an
/// external id, which merchants sometimes derive from an email).
pub struct Error(Box<Inner>);

struct Inner {
    kind: ErrorKind,
    operation: Option<&'static str>,
    status: Option<u16>,
    detail: String,
    api_errors: Vec<ApiErrorDetail>,
    excerpt: Option<BodyExcerpt>,
    retry_after: Option<Duration>,
    attempts: u32,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, detail: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind,
            operation: None,
            status: None,
            detail: detail.into(),
            api_errors: Vec::new(),
            excerpt: None,
            retry_after: None,
            attempts: 0,
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

    pub(crate) fn with_status(mut self, status: u16) -> Self {
        self.0.status = Some(status);
        self
    }

    pub(crate) fn with_api_errors(mut self, errors: Vec<ApiErrorDetail>) -> Self {
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

    pub(crate) fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.0.source = Some(Box::new(source));
        self
    }

    pub(crate) fn with_operation(mut self, operation: &'static str, attempts: u32) -> Self {
        self.0.operation = Some(operation);
        self.0.attempts = attempts;
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

    /// Trustly's `errors[]`, parsed from an error response (empty when there was none).
    pub fn api_errors(&self) -> &[ApiErrorDetail] {
        &self.0.api_errors
    }

    /// For [`ErrorKind::Decode`]: what can be shown of the body without personal data.
    pub fn body_excerpt(&self) -> Option<&BodyExcerpt> {
        self.0.excerpt.as_ref()
    }

    /// The delay the server asked for with `Retry-After`, if it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }

    /// The operation that failed, such as `get_customer` (none for configuration errors).
    pub fn operation(&self) -> Option<&'static str> {
        self.0.operation
    }

    /// How many attempts were made before giving up (0 when nothing was sent).
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
    /// made), so even a non-repeatable request can be retried.
    pub(crate) fn is_connect(&self) -> bool {
        self.0.kind == ErrorKind::Transport
            && self
                .0
                .source
                .as_ref()
                .and_then(|s| s.downcast_ref::<reqwest::Error>())
                .is_some_and(|e| e.is_connect())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.0;
        if let Some(op) = inner.operation {
            write!(f, "{op}: ")?;
        }
        f.write_str(inner.kind.describe())?;
        if let Some(status) = inner.status {
            write!(f, " (HTTP {status})")?;
        }
        if !inner.detail.is_empty() {
            write!(f, ": {}", inner.detail)?;
        }
        for (i, e) in inner.api_errors.iter().enumerate() {
            let sep = if i == 0 { "; Trustly error" } else { "," };
            write!(f, "{sep} {} {}", e.code, e.short_domain())?;
        }
        if let Some(excerpt) = &inner.excerpt {
            write!(f, "; body: {excerpt}")?;
        }
        if inner.attempts > 1 {
            write!(f, " (after {} attempts)", inner.attempts)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.0;
        f.debug_struct("Error")
            .field("kind", &inner.kind)
            .field("operation", &inner.operation)
            .field("status", &inner.status)
            .field("detail", &inner.detail)
            .field("api_errors", &inner.api_errors)
            .field("excerpt", &inner.excerpt)
            .field("retry_after", &inner.retry_after)
            .field("attempts", &inner.attempts)
            // Sources are reqwest or serde errors with the URL and values already removed.
            .field("source", &inner.source.as_ref().map(|s| s.to_string()))
            .finish()
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0
            .source
            .as_ref()
            .map(|s| s.as_ref() as &(dyn StdError + 'static))
    }
}
