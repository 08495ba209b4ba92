//! The emulator without a socket (feature `fuzzing`, off by default, not part of the API).
//!
//! The fuzz targets (`fuzz/`) send arbitrary requests through the same router a
//! [`MockServer`](crate::MockServer) serves, in process, and hand arbitrary bytes to the data
//! file decoder: no port, no connection, no file, so each input takes microseconds.

use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::http::{self, HeaderValue, Method, Request, header};
use tower::ServiceExt;

use crate::app::App;
use crate::config::Config;
use crate::routes;
use crate::store::Store;

/// An emulator with the default configuration and an empty store, in memory only, answering
/// requests handed to it directly.
pub struct Emulator {
    router: Router,
    runtime: tokio::runtime::Runtime,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator").finish_non_exhaustive()
    }
}

impl Default for Emulator {
    fn default() -> Self {
        Self::new()
    }
}

impl Emulator {
    /// A new emulator: [`Config::default`], no data file, no customers.
    pub fn new() -> Emulator {
        // Assembled as `MockServer::start` assembles it, less the socket and the data file.
        let app = Arc::new(App::new(
            &Config::default(),
            Arc::new(RwLock::new(Store::new())),
            None,
        ));
        Emulator {
            router: routes::router(app, trustly_customers_spec::document()),
            runtime: tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("a tokio runtime"),
        }
    }

    /// The answer to one request: its status and body. `authorization` is the `Authorization`
    /// header's value, the default credentials' when `None`; `content_type` is sent when
    /// given. `None` when the method, the path or a header value cannot be part of an HTTP
    /// request at all.
    pub fn handle(
        &self,
        method: &[u8],
        path_and_query: &[u8],
        content_type: Option<&[u8]>,
        authorization: Option<&[u8]>,
        body: &[u8],
    ) -> Option<(u16, Vec<u8>)> {
        let method = Method::from_bytes(method).ok()?;
        let uri = http::Uri::try_from(path_and_query).ok()?;
        let default_authorization = default_authorization();
        let authorization = match authorization {
            Some(value) => HeaderValue::from_bytes(value).ok()?,
            None => HeaderValue::from_bytes(&default_authorization).ok()?,
        };
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, authorization);
        if let Some(content_type) = content_type {
            request = request.header(
                header::CONTENT_TYPE,
                HeaderValue::from_bytes(content_type).ok()?,
            );
        }
        let request = request.body(Body::from(body.to_vec())).ok()?;
        let router = self.router.clone();
        let answer = self.runtime.block_on(async move {
            let response = router.oneshot(request).await.unwrap_or_else(|e| match e {});
            let status = response.status().as_u16();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("the emulator's answers are in memory");
            (status, body.to_vec())
        });
        Some(answer)
    }
}

/// The `Authorization` header of the default credentials.
fn default_authorization() -> Vec<u8> {
    use base64::Engine as _;
    let token = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        crate::DEFAULT_ACCESS_ID,
        crate::DEFAULT_ACCESS_KEY
    ));
    format!("Basic {token}").into_bytes()
}

/// One request to a new emulator, with the default credentials: its status and body (`None`
/// when the request cannot be made; see [`Emulator::handle`]).
pub fn handle(
    method: &str,
    path_and_query: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> Option<(u16, Vec<u8>)> {
    Emulator::new().handle(
        method.as_bytes(),
        path_and_query.as_bytes(),
        content_type.map(str::as_bytes),
        None,
        body,
    )
}

/// Decodes a `trustly-customers-mock/1` data file's bytes, as a start with `--data` does: the
/// number of customers it holds, or what is wrong with it.
pub fn parse_data_file(bytes: &[u8]) -> Result<usize, String> {
    crate::data_file::json_v1::parse(bytes).map(|store| store.records().count())
}
