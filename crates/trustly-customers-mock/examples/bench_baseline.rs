//! The benchmark's baseline (see `benches/mock.md`): the same stack as the emulator (axum,
//! tokio's multi-threaded runtime, a TCP listener on loopback) with a handler that answers
//! `GET /api/v1/customers/{id}` with a fixed customer of the emulator's size and does nothing
//! else: no credentials, no store, no lock. The emulator's rate over this one is the figure
//! that a slower or faster machine does not change much.
//!
//! `cargo run --release -p trustly-customers-mock --example bench_baseline [ADDR]`

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

const CUSTOMER: &str = r#"{"customer":{"name":"Bench User 1","address":{"country":"US","address1":"2000 Broadway St","city":"Redwood City","state":"CA","zip":"94063"},"phone":"+16505551212","email":"bench1@example.com","externalId":"bench-1","customerId":"1000000001","createdAt":1795472542468,"merchantId":"1002463580","updatedAt":1795472542468}}"#;

async fn customer() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], CUSTOMER)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".into());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("http://{}/api/v1", listener.local_addr()?);
    let app = Router::new().route("/api/v1/customers/{id}", get(customer));
    axum::serve(listener, app).await
}
