//! The response size cap ([`RequestSettings::max_response_bytes`](crate::RequestSettings::max_response_bytes)):
//! a body read through a limit, unless the HTTP client already holds it to one, and the error
//! of a body over it.

/// Whether `error` (or any error it was caused by) is a response body over the limit set
/// with [`RequestSettings::max_response_bytes`](crate::RequestSettings::max_response_bytes).
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

/// `response` with its body read no further than `limit` bytes: as it is when the HTTP client
/// already guarantees that, else through the limit.
pub(crate) fn limited(response: reqwest::Response, limit: usize) -> reqwest::Response {
    if within(&response, limit) {
        response
    } else {
        with_body_limit(response, limit)
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
