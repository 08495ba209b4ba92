//! What both benchmarks share: the fixed-response server and the raw-reqwest baseline.

use std::sync::Arc;

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

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

/// The baseline: reqwest with the same Basic header and the same timeouts as the client (a
/// raw reqwest user sets them too; the comparison is of the wrapper, not of having a timer).
pub(crate) fn raw_client() -> reqwest::Client {
    let mut headers = HeaderMap::new();
    let token =
        base64::engine::general_purpose::STANDARD.encode(format!("{ACCESS_ID}:{ACCESS_KEY}"));
    headers.insert(
        AUTHORIZATION,
        HeaderValue::from_str(&format!("Basic {token}")).unwrap(),
    );
    headers.insert("accept", HeaderValue::from_static("application/json"));
    reqwest::Client::builder()
        .default_headers(headers)
        .connect_timeout(trustly_customers::DEFAULT_CONNECT_TIMEOUT)
        .timeout(trustly_customers::DEFAULT_TIMEOUT)
        .build()
        .unwrap()
}

/// One baseline call: send, status check, body, serde_json into the generated response type.
pub(crate) async fn raw_get(raw: &reqwest::Client, url: &str) {
    let response = raw.get(url).send().await.expect("the call succeeds");
    assert!(response.status().is_success());
    let bytes = response.bytes().await.expect("the body arrives");
    let parsed: trustly_customers::api::types::CustomerResponse =
        serde_json::from_slice(&bytes).expect("the body decodes");
    assert_eq!(parsed.customer.name, "Joe User");
}

pub(crate) fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
