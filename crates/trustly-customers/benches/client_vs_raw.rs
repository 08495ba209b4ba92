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
use support::{ACCESS_ID, ACCESS_KEY, CUSTOMER_ID, Raw, env_or, fixed_response_server};

/// What both sides call: built once, shared by every task of a round, so that a call does
/// nothing but the call (no per-call clone of a client, URL or id on either side).
struct Sides {
    client: Client,
    id: CustomerId,
    raw: Raw,
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Client,
    Raw,
}

impl Sides {
    /// One call of `side`; the caller checks the customer it returns, the same on both sides.
    async fn call(&self, side: Side) {
        let customer = match side {
            Side::Client => self
                .client
                .get_customer(&self.id)
                .await
                .expect("the call succeeds"),
            Side::Raw => self.raw.get_customer(CUSTOMER_ID).await,
        };
        assert_eq!(customer.name, "Joe User");
    }
}

/// Runs `requests` calls of `side` with `concurrency` tasks; returns elapsed time and each
/// call's latency in microseconds.
async fn round(
    sides: &Arc<Sides>,
    side: Side,
    requests: usize,
    concurrency: usize,
) -> (Duration, Vec<u32>) {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (sides, next) = (sides.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(requests / concurrency + 1);
            while next.fetch_add(1, Ordering::Relaxed) < requests {
                let t = Instant::now();
                sides.call(side).await;
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

fn median(values: &[f64]) -> f64 {
    let mut values = values.to_vec();
    values.sort_by(|a, b| a.total_cmp(b));
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
        let sides = Arc::new(Sides {
            // The full client: default retry policy, tracing spans (no subscriber installed,
            // as in a service that does not enable this target), typed decoding into
            // `Customer`.
            client: Client::builder(Credentials::new(ACCESS_ID, ACCESS_KEY))
                .base_url(&base)
                .build()
                .unwrap(),
            id: CustomerId::from(CUSTOMER_ID),
            // The baseline: reqwest configured alike, serde_json, nothing else.
            raw: Raw::new(&base),
        });

        // Warm-up: connections open, allocator and caches settled.
        round(&sides, Side::Client, requests / 4, concurrency).await;
        round(&sides, Side::Raw, requests / 4, concurrency).await;

        let (mut client_rps, mut raw_rps) = (Vec::new(), Vec::new());
        let (mut client_p99, mut raw_p99) = (Vec::new(), Vec::new());
        let (mut rps_ratios, mut p99_ratios) = (Vec::new(), Vec::new());
        println!(
            "requests/round {requests}, concurrency {concurrency}, rounds/side {rounds}, \
             server: fixed-response loopback"
        );
        for r in 0..rounds {
            // Alternate which side goes first, so drift in machine load hits both.
            let order = if r % 2 == 0 {
                [Side::Client, Side::Raw]
            } else {
                [Side::Raw, Side::Client]
            };
            for side in order {
                let (elapsed, mut latencies) = round(&sides, side, requests, concurrency).await;
                let rps = requests as f64 / elapsed.as_secs_f64();
                let round_p99 = p99(&mut latencies) as f64;
                let name = if side == Side::Client {
                    "client  "
                } else {
                    "baseline"
                };
                println!("round {r} {name}: {rps:>9.0} req/s, p99 {round_p99:>6.0} µs");
                if side == Side::Client {
                    client_rps.push(rps);
                    client_p99.push(round_p99);
                } else {
                    raw_rps.push(rps);
                    raw_p99.push(round_p99);
                }
            }
            // The two rounds of a pair ran back to back, under the same load: their ratio is
            // the round's result.
            rps_ratios.push(client_rps[r] / raw_rps[r]);
            p99_ratios.push(client_p99[r] / raw_p99[r]);
        }
        // Medians over rounds: a burst of load from elsewhere on the machine spoils a round,
        // not the result. The extremes of the paired ratios are printed too, so that a gap
        // present in every round shows as one, not only as a median.
        let spread = |ratios: &[f64]| {
            let low = ratios.iter().copied().fold(f64::INFINITY, f64::min);
            let high = ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            format!("{low:.3}..{high:.3}")
        };
        println!(
            "client:   median {:.0} req/s, median p99 {:.0} µs",
            median(&client_rps),
            median(&client_p99)
        );
        println!(
            "baseline: median {:.0} req/s, median p99 {:.0} µs",
            median(&raw_rps),
            median(&raw_p99)
        );
        println!(
            "ratio (median of paired rounds): throughput {:.3} (rounds {}; target >= 0.98), \
             p99 {:.3} (rounds {}; target <= 1.05)",
            median(&rps_ratios),
            spread(&rps_ratios),
            median(&p99_ratios),
            spread(&p99_ratios),
        );
    });
}
