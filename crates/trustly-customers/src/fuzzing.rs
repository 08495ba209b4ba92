//! A client whose requests never leave the process (feature `fuzzing`, off by default).
//!
//! The fuzz targets (`fuzz/`) hand it arbitrary answers: status, headers and body bytes go
//! through the same path as a server's answer would (the generated operation's handling of the
//! status, the body limit, the decoding, [`Error`](crate::Error) and its body excerpt), with no server to start and no socket to wait on.

pub use trustly_customers_api::Responder;
use trustly_customers_api::{DEFAULT_MAX_RESPONSE_BYTES, RequestSettings};

use crate::client::Client;
use crate::retry::RetryPolicy;

/// The base URL the requests name; nothing listens there, and nothing is sent to it.
pub const BASE_URL: &str = "http://127.0.0.1:9/api/v1";

/// A client whose every request is answered by `respond`, configured as
/// [`ClientBuilder::build`](crate::ClientBuilder::build) configures one (the default body
/// limit), with `access_id` and `access_key` as its credentials and no
/// retries: a retry would only repeat the same answer, after a delay.
pub fn client(respond: Responder, access_id: &str, access_key: &str) -> Client {
    let settings = RequestSettings::new()
        .max_response_bytes(Some(DEFAULT_MAX_RESPONSE_BYTES))
        .basic_auth(access_id, access_key)
        .respond_with(respond);
    let api =
        trustly_customers_api::Client::new_with_client(BASE_URL, reqwest::Client::new(), settings);
    Client::from_parts(api, RetryPolicy::none())
}
