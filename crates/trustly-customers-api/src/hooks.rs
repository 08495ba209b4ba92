//! What every request carries besides its own parameters: the client's [`RequestSettings`],
//! applied by the generated client's hooks.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo, ResponseValue};
use reqwest::header::{AUTHORIZATION, HeaderValue, USER_AGENT};
use serde::de::DeserializeOwned;

use crate::Client;

/// Called with every response as it arrives, before its body is read.
pub type ResponseObserver = fn(&reqwest::Response, &OperationInfo);

/// The largest response body read by default: 4 MiB. A customer is a few hundred bytes and a
/// list of every customer of a large merchant a few megabytes less than this; a body larger
/// than that is not an answer this API gives, and reading it whole would let a faulty or
/// hostile server exhaust the memory of the application.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// Whether `error` (or any error it was caused by) is a response body over the limit set
/// with [`RequestSettings::max_response_bytes`].
pub fn is_response_too_large(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        current = e.source();
    }
    false
}

/// Settings applied to every request the generated [`Client`] sends: its inner value, given to
/// [`Client::new`] or [`Client::new_with_client`].
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
    authorization: Option<HeaderValue>,
    user_agent: Option<HeaderValue>,
    timeout: Option<Duration>,
    observer: Option<ResponseObserver>,
    max_response_bytes: Option<usize>,
    #[cfg(feature = "fuzzing")]
    responder: Option<Responder>,
}

impl Default for RequestSettings {
    fn default() -> Self {
        Self {
            authorization: None,
            user_agent: None,
            timeout: None,
            observer: None,
            max_response_bytes: Some(DEFAULT_MAX_RESPONSE_BYTES),
            #[cfg(feature = "fuzzing")]
            responder: None,
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
    /// error for which [`is_response_too_large`] holds, before more than the limit is held in
    /// memory; a `Content-Length` over the limit fails before any of the body is read.
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
    /// stay known even when the body then fails to decode (the generated error then carries
    /// only the bytes).
    pub fn observe_responses(mut self, observer: ResponseObserver) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Every request is answered by `responder` instead of being sent (feature `fuzzing`).
    #[cfg(feature = "fuzzing")]
    #[doc(hidden)]
    pub fn respond_with(mut self, responder: Responder) -> Self {
        self.responder = Some(responder);
        self
    }
}

/// Answers a request in place of the network. Only with the feature `fuzzing`, off by default:
/// the fuzz targets (`fuzz/`) feed arbitrary answers through the generated operations and the
/// client's handling of them, with no server, as fast as the answers can be made. Everything
/// after the answer (the observer, the body limit, the generated decoding) runs as it does for
/// a real one.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub type Responder =
    std::sync::Arc<dyn Fn(&reqwest::Request) -> http::Response<Vec<u8>> + Send + Sync>;

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

/// The generator calls these around every operation (`HooksMode::Expected`: without this impl
/// the generated crate does not compile).
impl ClientHooks<RequestSettings> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let settings = self.inner();
        let headers = request.headers_mut();
        if let Some(value) = &settings.authorization {
            headers.insert(AUTHORIZATION, value.clone());
        }
        if let Some(value) = &settings.user_agent {
            headers.insert(USER_AGENT, value.clone());
        }
        if let Some(timeout) = settings.timeout {
            *request.timeout_mut() = Some(timeout);
        }
        Ok(())
    }

    /// The request sent, and its response as the settings have it read.
    ///
    /// A plain function returning reqwest's future with the settings applied to its output,
    /// rather than an `async fn`: the response then passes through one future instead of two
    /// (an `async fn` would keep the request and then the response in a state of its own).
    fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> impl std::future::Future<Output = reqwest::Result<reqwest::Response>> {
        let settings = self.inner();
        #[cfg(feature = "fuzzing")]
        let mut sent = match &settings.responder {
            Some(respond) => Sent::Answered(Some(reqwest::Response::from(respond(&request)))),
            None => Sent::Pending(self.client().execute(request)),
        };
        #[cfg(not(feature = "fuzzing"))]
        let mut sent = self.client().execute(request);
        std::future::poll_fn(move |cx| {
            #[cfg(feature = "fuzzing")]
            let result = match &mut sent {
                Sent::Pending(pending) => std::task::ready!(std::pin::Pin::new(pending).poll(cx)),
                Sent::Answered(response) => Ok(response.take().expect("polled once")),
            };
            #[cfg(not(feature = "fuzzing"))]
            let result = std::task::ready!(std::pin::Pin::new(&mut sent).poll(cx));
            std::task::Poll::Ready(result.map(|response| settings.received(response, info)))
        })
    }
}

/// A request sent (`P`, reqwest's future of its response), or answered in its place (feature
/// `fuzzing`).
#[cfg(feature = "fuzzing")]
enum Sent<P> {
    Pending(P),
    Answered(Option<reqwest::Response>),
}

impl RequestSettings {
    /// A response as these settings have it read: shown to the observer, and its body limited.
    fn received(&self, response: reqwest::Response, info: &OperationInfo) -> reqwest::Response {
        if let Some(observe) = self.observer {
            observe(&response, info);
        }
        match self.max_response_bytes {
            Some(limit) if !within(&response, limit) => with_body_limit(response, limit),
            _ => response,
        }
    }
}

/// Whether `response`'s body cannot be longer than `limit` bytes, as far as the HTTP client
/// already guarantees: its length is known and no more than `limit`.
///
/// A known length is the `Content-Length` of a body read as sent (not decompressed: a
/// decompressing client reports no length). hyper reads no more than that many bytes of an
/// HTTP/1 body and fails an HTTP/2 stream that sends more, so such a body is read as it is, with
/// no limiting layer around it. Any other body (chunked, read to the end of the connection,
/// decompressed, or declared longer than the limit) is read through the limit.
fn within(response: &reqwest::Response, limit: usize) -> bool {
    response
        .content_length()
        .is_some_and(|length| length <= limit as u64)
}

/// `response` with a body that fails to read past `limit` bytes.
fn with_body_limit(response: reqwest::Response, limit: usize) -> reqwest::Response {
    use reqwest::ResponseBuilderExt as _;
    // reqwest's conversion back from `http::Response` takes the URL from an extension only
    // `ResponseBuilderExt::url` sets, and without it parses a placeholder URL for every
    // response: carried over, the response keeps its own URL, for a cheap clone.
    let url = response.url().clone();
    let (mut parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
    if let Ok(carrier) = http::Response::builder().url(url).body(()) {
        parts.extensions.extend(carrier.into_parts().0.extensions);
    }
    let body = reqwest::Body::wrap(http_body_util::Limited::new(body, limit));
    http::Response::from_parts(parts, body).into()
}

/// A path parameter as the URL carries it: `value` percent-encoded as the generator's
/// `encode_path` encodes it, written straight into the URL being formatted
/// (`passes::per_call` of the xtask puts it in the generated code in place of
/// `encode_path(&value.to_string())`, which builds two strings to copy into a third).
///
/// The value is text (every path parameter of the spec is an id): it is encoded as it is, where
/// formatting it first (`Display`) would run the formatting machinery a second time, inside the
/// URL's, for every call. A parameter that is not text does not compile here.
pub(crate) struct PathSegment<'a, T: ?Sized>(pub(crate) &'a T);

impl<T: AsRef<str> + ?Sized> fmt::Display for PathSegment<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = self.0.as_ref();
        // Most ids are letters and digits, which no encoding changes: written as they are,
        // one check per byte, rather than through the encoder's pieces.
        if value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
        {
            return f.write_str(value);
        }
        // Encoding is byte by byte (a byte outside ASCII is always encoded): the pieces are
        // the runs of bytes left as they are and the encoded bytes between them.
        percent_encoding::utf8_percent_encode(value, PATH_SET)
            .try_for_each(|piece| f.write_str(piece))
    }
}

/// What the generator's `encode_path` encodes besides controls and every byte outside ASCII:
/// its set, byte for byte (a test compares the two).
const PATH_SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%');

/// The success or error value of an operation from its response: the generated operations'
/// `ResponseValue::from_response`, which clones the response's header map and then drops the
/// original, with the header map moved instead (`passes::per_call` of the xtask puts this in
/// the generated code).
///
/// A body that cannot be read or decoded leaves the response's status and headers for
/// [`take_failed_response_head`].
pub(crate) async fn from_response<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(e) => {
            keep_failed_response_head(status, headers);
            return Err(Error::ResponseBodyError(e));
        }
    };
    match serde_json::from_slice(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(e) => {
            keep_failed_response_head(status, headers);
            Err(Error::InvalidResponsePayload(body, e))
        }
    }
}

/// The status and headers of a response whose body an operation could not read or decode,
/// which the operation's error ([`Error::ResponseBodyError`], [`Error::InvalidResponsePayload`])
/// does not carry: see [`take_failed_response_head`].
pub struct ResponseHead {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
}

impl ResponseHead {
    /// The response's status.
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// The response's headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
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

std::thread_local! {
    /// The head of the last response on this thread whose body an operation failed to read or
    /// decode, kept by `from_response` as it returns the error.
    static FAILED_RESPONSE_HEAD: std::cell::RefCell<Option<ResponseHead>> =
        const { std::cell::RefCell::new(None) };
}

fn keep_failed_response_head(status: reqwest::StatusCode, headers: reqwest::header::HeaderMap) {
    FAILED_RESPONSE_HEAD.with(|slot| *slot.borrow_mut() = Some(ResponseHead { status, headers }));
}

/// The status and headers of the response whose body the operation that has just failed with
/// [`Error::ResponseBodyError`] or [`Error::InvalidResponsePayload`] could not read or decode:
/// the error carries only the body, or the reason it could not be read.
///
/// Call it on the thread where the operation's future returned that error, before anything
/// else is awaited. The operation keeps the head on that thread as it makes the error, and its
/// future returns the error within the same poll, so nothing else can run on the thread in
/// between. After any other outcome, what this returns belongs to an earlier call.
///
/// This costs nothing on the way of an answer that decodes, unlike an observer of every
/// response ([`RequestSettings::observe_responses`]), which reads each response's headers.
pub fn take_failed_response_head() -> Option<ResponseHead> {
    FAILED_RESPONSE_HEAD.with(|slot| slot.borrow_mut().take())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{PathSegment, RequestSettings, ResponseHead};

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

    #[test]
    fn debug_of_a_failed_response_head_shows_header_names_but_not_values() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-server-note", "joe@example.com".parse().unwrap());
        let head = ResponseHead {
            status: reqwest::StatusCode::BAD_GATEWAY,
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
    fn a_path_segment_is_encoded_as_the_generator_encodes_it() {
        let mut every_char: String = (0u8..=0x7f).map(char::from).collect();
        every_char.push_str("é€😀\u{80}\u{ffff}");
        for value in [
            every_char.as_str(),
            "",
            "1002580963",
            "a/b",
            "%2F",
            "a b?c#d",
        ] {
            assert_eq!(
                PathSegment(value).to_string(),
                progenitor_client::encode_path(value),
                "{value:?}"
            );
        }
    }
}
