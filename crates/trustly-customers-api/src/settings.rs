//! What every request carries besides its own parameters: the client's [`RequestSettings`],
//! which the generated client's hooks (`hooks.rs`) apply.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use progenitor_client::OperationInfo;
use reqwest::header::HeaderValue;

/// Called with every response as it arrives, before its body is read.
pub type ResponseObserver = fn(&reqwest::Response, &OperationInfo);

/// The largest response body read by default: 4 MiB. A customer is a few hundred bytes and a
/// list of every customer of a large merchant a few megabytes less than this; a body larger
/// than that is not an answer this API gives, and reading it whole would let a faulty or
/// hostile server exhaust the memory of the application.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// Settings applied to every request the generated [`Client`](crate::Client) sends: its inner
/// value, given to [`Client::new`](crate::Client::new) or
/// [`Client::new_with_client`](crate::Client::new_with_client).
///
/// Setting them here rather than on the `reqwest::Client` means they hold for any HTTP client,
/// including one an application shares between several APIs.
///
/// ```
/// use std::time::Duration;
/// use trustly_customers_api::{Client, RequestSettings};
///
/// let settings = RequestSettings::new()
///     .basic_auth("my-access-id", "my-access-key")
///     .timeout(Duration::from_secs(30));
/// let client = Client::new("https://sandbox.trustly.one/api/v1", settings);
/// # let _ = client;
/// ```
#[derive(Clone)]
pub struct RequestSettings {
    pub(crate) authorization: Option<HeaderValue>,
    pub(crate) user_agent: Option<HeaderValue>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) observer: Option<ResponseObserver>,
    pub(crate) max_response_bytes: Option<usize>,
}

impl Default for RequestSettings {
    fn default() -> Self {
        Self {
            authorization: None,
            user_agent: None,
            timeout: None,
            observer: None,
            max_response_bytes: Some(DEFAULT_MAX_RESPONSE_BYTES),
        }
    }
}

impl RequestSettings {
    /// No credentials, the HTTP client's own user agent and timeout, and response bodies up
    /// to [`DEFAULT_MAX_RESPONSE_BYTES`].
    pub fn new() -> Self {
        Self::default()
    }

    /// The largest response body read (`None`: no limit). A larger one fails to read with an
    /// error for which [`is_response_too_large`](crate::is_response_too_large) holds, before
    /// more than the limit is held in memory; a `Content-Length` over the limit fails before
    /// any of the body is read.
    pub fn max_response_bytes(mut self, limit: Option<usize>) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// HTTP Basic with Trustly's `accessId` and `accessKey`, sent as a sensitive header (HTTP
    /// libraries leave it out of their debug output).
    pub fn basic_auth(mut self, access_id: &str, access_key: &str) -> Self {
        self.authorization = Some(Self::basic_auth_header(access_id, access_key));
        self
    }

    /// The `Authorization` value [`basic_auth`](Self::basic_auth) sends, marked sensitive: for
    /// an HTTP client's default headers.
    pub fn basic_auth_header(access_id: &str, access_key: &str) -> HeaderValue {
        let token =
            base64::engine::general_purpose::STANDARD.encode(format!("{access_id}:{access_key}"));
        let mut value = HeaderValue::from_str(&format!("Basic {token}"))
            .expect("base64 is always a valid header value");
        value.set_sensitive(true);
        value
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, value: HeaderValue) -> Self {
        self.user_agent = Some(value);
        self
    }

    /// Time allowed for one request, from sending it to having read the whole response.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A function called with every response, before its body is read: its status and headers
    /// stay known whatever then happens to the body. (For the one case where an operation's
    /// error does not carry them, a body that could not be read or decoded,
    /// [`FailedResponseHead`](crate::FailedResponseHead) gives them at no cost to the calls
    /// that succeed.)
    pub fn observe_responses(mut self, observer: ResponseObserver) -> Self {
        self.observer = Some(observer);
        self
    }
}

impl fmt::Debug for RequestSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestSettings")
            .field(
                "authorization",
                &self.authorization.as_ref().map(|_| "<redacted>"),
            )
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("observer", &self.observer.is_some())
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::RequestSettings;

    #[test]
    fn debug_shows_the_settings_but_not_the_credentials() {
        let settings = RequestSettings::new()
            .basic_auth("my-access-id", "my-access-key")
            .timeout(Duration::from_secs(3));
        assert_eq!(
            format!("{settings:?}"),
            "RequestSettings { authorization: Some(\"<redacted>\"), user_agent: None, \
             timeout: Some(3s), observer: false, max_response_bytes: Some(4194304) }"
        );
    }
}
