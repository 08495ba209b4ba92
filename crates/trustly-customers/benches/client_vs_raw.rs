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

use trustly_customers::{Client, Credentials, CustomerId};

mod support;
use support::{
    ACCESS_ID, ACCESS_KEY, CUSTOMER_ID, env_or, fixed_response_server, raw_client, raw_get,
};

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
        let credentials = Credentials::new(ACCESS_ID, ACCESS_KEY);

        // The full client: default retry policy, tracing spans (no subscriber installed, as in
        // a service that does not enable this target), typed decoding into `Customer`.
        let client = Client::builder(credentials.clone()).base_url(&base).build().unwrap();
        let id = CustomerId::from(CUSTOMER_ID);

        // The baseline: reqwest with the same settings, serde_json, nothing else.
        let raw = raw_client();
        let raw_url = format!("{base}/customers/{CUSTOMER_ID}");

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
                async move { raw_get(&raw, &url).await }
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
