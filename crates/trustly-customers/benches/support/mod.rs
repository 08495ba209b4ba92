//! What both benchmarks share: the fixed-response server and the raw-reqwest baseline.

use std::sync::Arc;

use base64::Engine as _;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use trustly_customers::api::types::Customer;

pub(crate) const ACCESS_ID: &str = "bench-access-id";
pub(crate) const ACCESS_KEY: &str = "bench-access-key";
pub(crate) const CUSTOMER_ID: &str = "1002580963";

/// The documented "Joe User" customer, as every request is answered.
pub(crate) const BODY: &str = r#"{"customer":{"name":"Joe User","address":{"country":"US","address1":"2000 Broadway St","city":"Redwood City","state":"CA","zip":"94063"},"phone":"+16505551212","email":"joe.user@mail.com","taxId":"012345678","createdAt":1555696836548,"updatedAt":1555696836548,"customerId":"1002580963","externalId":"4567890","merchantId":"1002463580","enrollDate":1555696836548,"driverLicense":{"number":"A1234567","state":"CA"}}}"#;

/// A minimal HTTP/1.1 keep-alive server answering every request with the same 200 response,
/// on 127.0.0.1. It does no work per request beyond finding the end of the headers, so what is
/// measured is the clients, not the server.
pub(crate) async fn fixed_response_server() -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let response: Arc<[u8]> = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    )
    .into_bytes()
    .into();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            socket.set_nodelay(true).unwrap();
            let response = response.clone();
            tokio::spawn(async move {
                let mut buf = Vec::with_capacity(4096);
                let mut chunk = [0u8; 4096];
                loop {
                    // GET requests have no body: a request ends at the blank line.
                    while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        buf.drain(..end + 4);
                        if socket.write_all(&response).await.is_err() {
                            return;
                        }
                    }
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
            });
        }
    });
    addr
}

/// The baseline: a `reqwest::Client` configured as the one `ClientBuilder::build` makes (the
/// same Basic header, marked sensitive, user agent, connect and total timeouts, no redirects, no
/// proxy for plain `http`), plus `Accept` as a default header. A raw reqwest user sets these
/// too; configured alike, the comparison is of what the client does per call, not of settings.
pub(crate) struct Raw {
    client: reqwest::Client,
    base: String,
}

impl Raw {
    pub(crate) fn new(base: &str) -> Raw {
        let token =
            base64::engine::general_purpose::STANDARD.encode(format!("{ACCESS_ID}:{ACCESS_KEY}"));
        let mut authorization = HeaderValue::from_str(&format!("Basic {token}")).unwrap();
        authorization.set_sensitive(true);
        let headers = HeaderMap::from_iter([
            (AUTHORIZATION, authorization),
            (ACCEPT, HeaderValue::from_static("application/json")),
        ]);
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(trustly_customers::DEFAULT_USER_AGENT)
            .connect_timeout(trustly_customers::DEFAULT_CONNECT_TIMEOUT)
            .timeout(trustly_customers::DEFAULT_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .unwrap();
        Raw {
            client,
            base: base.to_owned(),
        }
    }

    /// One baseline call: the URL built from the id (as any call for a given id must; the
    /// client percent-encodes the id besides, which this does not), send, status check, body,
    /// serde_json into the envelope, and its customer returned, as the client
    /// returns it: what a function of an application written on reqwest alone would do.
    pub(crate) async fn get_customer(&self, id: &str) -> Customer {
        let url = format!("{}/customers/{id}", self.base);
        let response = self
            .client
            .get(url)
            .send()
            .await
            .expect("the call succeeds");
        assert!(response.status().is_success());
        let bytes = response.bytes().await.expect("the body arrives");
        let parsed: Envelope = serde_json::from_slice(&bytes).expect("the body decodes");
        parsed.customer
    }
}

/// The answer's envelope, `{"customer": …}`, as an application on reqwest alone declares it:
/// the record held in place. (The generated `CustomerResponse` holds it boxed, which is the
/// client's design, measured on its side only.)
#[derive(serde::Deserialize)]
struct Envelope {
    customer: Customer,
}

pub(crate) fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
