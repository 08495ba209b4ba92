//! Throughput and p99 latency of the full client against a raw reqwest + serde_json baseline,
//! making the same GET-by-id call to the same loopback server in one run. Method and figures:
//! `benches/README.md`.
//!
//! ```text
//! cargo bench -p trustly-customers --bench client_vs_raw
//! ```
//!
//! Settings (environment): BENCH_REQUESTS per round (20000), BENCH_CONCURRENCY (32),
//! BENCH_ROUNDS per side (9).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use trustly_customers::{Client, Credentials, CustomerId};

const BODY: &str = r#"{"customer":{"name":"Joe User","address":{"country":"US","address1":"2000 Broadway St","city":"Redwood City","state":"CA","zip":"94063"},"phone":"+16505551212","email":"joe.user@mail.com","taxId":"012345678","createdAt":1555696836548,"updatedAt":1555696836548,"customerId":"1002580963","externalId":"4567890","merchantId":"1002463580","enrollDate":1555696836548,"driverLicense":{"number":"A1234567","state":"CA"}}}"#;

/// A minimal HTTP/1.1 keep-alive server answering every request with the same 200 response.
/// It does no work per request beyond finding the end of the headers, so what is measured is
/// the clients, not the server.
async fn fixed_response_server() -> std::net::SocketAddr {
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

/// Runs `requests` calls of `call` with `concurrency` tasks; returns elapsed time and each
/// call's latency in microseconds.
async fn round<F, Fut>(requests: usize, concurrency: usize, call: F) -> (Duration, Vec<u32>)
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let call = Arc::new(call);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (call, next) = (call.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(requests / concurrency + 1);
            while next.fetch_add(1, Ordering::Relaxed) < requests {
                let t = Instant::now();
                call().await;
                latencies.push(t.elapsed().as_micros() as u32);
            }
            latencies
        }));
    }
    let mut all = Vec::with_capacity(requests);
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    (started.elapsed(), all)
}

fn p99(latencies: &mut [u32]) -> u32 {
    latencies.sort_unstable();
    latencies[(latencies.len() * 99 / 100).min(latencies.len() - 1)]
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap());
    values[values.len() / 2]
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let requests = env_or("BENCH_REQUESTS", 20_000);
    let concurrency = env_or("BENCH_CONCURRENCY", 32);
    let rounds = env_or("BENCH_ROUNDS", 9);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let addr = fixed_response_server().await;
        let base = format!("http://{addr}/api/v1");
        let credentials = Credentials::new("bench-access-id", "bench-access-key");

        // The full client: default retry policy, tracing spans (no subscriber installed, as in
        // a service that does not enable this target), typed decoding into `Customer`.
        let client = Client::builder(credentials.clone()).base_url(&base).build().unwrap();
        let id = CustomerId::from("1002580963");

        // The baseline: reqwest with the same Basic header and the same timeouts (a raw
        // reqwest user sets them too; the comparison is of the wrapper, not of having a
        // timer), serde_json into the generated response type, status checked; nothing else.
        let mut headers = HeaderMap::new();
        let token = base64::engine::general_purpose::STANDARD.encode("bench-access-id:bench-access-key");
        headers.insert(AUTHORIZATION, HeaderValue::from_str(&format!("Basic {token}")).unwrap());
        headers.insert("accept", HeaderValue::from_static("application/json"));
        let raw = reqwest::Client::builder()
            .default_headers(headers)
            .connect_timeout(trustly_customers::DEFAULT_CONNECT_TIMEOUT)
            .timeout(trustly_customers::DEFAULT_TIMEOUT)
            .build()
            .unwrap();
        let raw_url = format!("{base}/customers/1002580963");

        let full = {
            let (client, id) = (client.clone(), id.clone());
            move || {
                let (client, id) = (client.clone(), id.clone());
                async move {
                    let customer = client.get_customer(&id).await.expect("the call succeeds");
                    assert_eq!(customer.name, "Joe User");
                }
            }
        };
        let baseline = {
            let (raw, url) = (raw.clone(), raw_url.clone());
            move || {
                let (raw, url) = (raw.clone(), url.clone());
                async move {
                    let response = raw.get(&url).send().await.expect("the call succeeds");
                    assert!(response.status().is_success());
                    let bytes = response.bytes().await.expect("the body arrives");
                    let parsed: trustly_customers::api::types::CustomerResponse =
                        serde_json::from_slice(&bytes).expect("the body decodes");
                    assert_eq!(parsed.customer.name, "Joe User");
                }
            }
        };
        let full = Arc::new(full);
        let baseline = Arc::new(baseline);

        // Warm-up: connections open, allocator and caches settled.
        let warm = requests / 4;
        let f = full.clone();
        round(warm, concurrency, move || f()).await;
        let b = baseline.clone();
        round(warm, concurrency, move || b()).await;

        let (mut full_rps, mut base_rps) = (Vec::new(), Vec::new());
        let (mut full_p99, mut base_p99) = (Vec::new(), Vec::new());
        println!("requests/round {requests}, concurrency {concurrency}, rounds/side {rounds}, server: fixed-response loopback");
        for r in 0..rounds {
            // Alternate which side goes first, so drift in machine load hits both.
            for side in if r % 2 == 0 { [0, 1] } else { [1, 0] } {
                let (elapsed, mut lat) = if side == 0 {
                    let f = full.clone();
                    round(requests, concurrency, move || f()).await
                } else {
                    let b = baseline.clone();
                    round(requests, concurrency, move || b()).await
                };
                let rps = requests as f64 / elapsed.as_secs_f64();
                let round_p99 = p99(&mut lat) as f64;
                let name = if side == 0 { "client  " } else { "baseline" };
                println!("round {r} {name}: {rps:>9.0} req/s, p99 {round_p99:>6.0} µs");
                if side == 0 {
                    full_rps.push(rps);
                    full_p99.push(round_p99);
                } else {
                    base_rps.push(rps);
                    base_p99.push(round_p99);
                }
            }
        }
        let (fr, br) = (median(&mut full_rps), median(&mut base_rps));
        // Medians over rounds: a burst of load from elsewhere on the machine spoils a round,
        // not the result.
        let (fp, bp) = (median(&mut full_p99), median(&mut base_p99));
        println!("client:   median {fr:.0} req/s, median p99 {fp:.0} µs");
        println!("baseline: median {br:.0} req/s, median p99 {bp:.0} µs");
        println!(
            "ratio: throughput {:.3} (target >= 0.95), p99 {:.3} (target <= 1.10)",
            fr / br,
            fp / bp
        );
    });
}
