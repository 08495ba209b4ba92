//! Instructions per GET-by-id call, counted by callgrind, for the raw reqwest + serde_json
//! baseline, the generated client alone, and the full client. Unlike wall-clock throughput on
//! a shared machine, the count hardly moves between runs, so a small overhead shows up as a
//! figure instead of disappearing in noise. Method and figures: `benches/README.md`.
//!
//! ```text
//! cargo bench -p trustly-customers --bench instructions   # needs valgrind
//! ```
//!
//! Settings (environment): INSTRUCTIONS_CALLS, the larger call count (4000; the smaller is
//! half of it), INSTRUCTIONS_REPEATS per side (3).
//!
//! The same binary plays three roles, chosen by `INSTRUCTIONS_ROLE`: unset, it is the driver;
//! `serve` is the fixed-response server, in its own process so that its instructions are not
//! counted; `call` makes the calls of one side, under callgrind.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use trustly_customers::{Client, Credentials, CustomerId};

mod support;
use support::{ACCESS_ID, ACCESS_KEY, CUSTOMER_ID, Raw, env_or, fixed_response_server};

const SIDES: [&str; 3] = ["raw", "generated", "client"];

fn main() {
    match std::env::var("INSTRUCTIONS_ROLE").as_deref() {
        Ok("serve") => serve(),
        Ok("call") => call(),
        _ => drive(),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    // One thread: the count is of the work a call does, not of scheduling between threads.
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Serves until its standard input closes, which happens when the driver exits.
fn serve() {
    runtime().block_on(async {
        let addr = fixed_response_server().await;
        println!("{addr}");
        std::io::stdout().flush().unwrap();
        tokio::task::spawn_blocking(|| {
            let _ = std::io::stdin().lines().count();
        })
        .await
        .unwrap();
    });
}

fn call() {
    let addr = std::env::var("INSTRUCTIONS_ADDR").unwrap();
    let side = std::env::var("INSTRUCTIONS_SIDE").unwrap();
    let calls = env_or("INSTRUCTIONS_CALLS", 0);
    let base = format!("http://{addr}/api/v1");
    runtime().block_on(async move {
        let client = Client::builder(Credentials::new(ACCESS_ID, ACCESS_KEY))
            .base_url(&base)
            .build()
            .unwrap();
        let id = CustomerId::from(CUSTOMER_ID);
        let raw = Raw::new(&base);
        for _ in 0..calls {
            match side.as_str() {
                "client" => {
                    let customer = client.get_customer(&id).await.expect("the call succeeds");
                    assert_eq!(customer.name, "Joe User");
                }
                "generated" => {
                    let response = client
                        .api()
                        .get_customer(&id)
                        .await
                        .expect("the call succeeds");
                    assert_eq!(response.customer.name, "Joe User");
                }
                _ => {
                    let customer = raw.get_customer(CUSTOMER_ID).await;
                    assert_eq!(customer.name, "Joe User");
                }
            }
        }
    });
}

/// Instructions callgrind counts for `calls` calls of `side`, start-up included.
fn count(addr: &str, side: &str, calls: usize) -> u64 {
    let exe = std::env::current_exe().unwrap();
    let out = std::env::temp_dir().join(format!("instructions-{}.out", std::process::id()));
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(&exe)
        .env("INSTRUCTIONS_ROLE", "call")
        .env("INSTRUCTIONS_ADDR", addr)
        .env("INSTRUCTIONS_SIDE", side)
        .env("INSTRUCTIONS_CALLS", calls.to_string())
        .output()
        .expect("valgrind runs");
    let _ = std::fs::remove_file(&out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the {side} run failed:\n{stderr}");
    stderr
        .lines()
        .find_map(|l| l.split("Collected :").nth(1))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no instruction count in callgrind's output:\n{stderr}"))
}

fn drive() {
    if Command::new("valgrind").arg("--version").output().is_err() {
        eprintln!("this benchmark counts instructions with valgrind's callgrind: install valgrind");
        std::process::exit(2);
    }
    let large = env_or("INSTRUCTIONS_CALLS", 4000).max(2);
    let small = large / 2;
    let repeats = env_or("INSTRUCTIONS_REPEATS", 3).max(1);
    let mut server = Command::new(std::env::current_exe().unwrap())
        .env("INSTRUCTIONS_ROLE", "serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut addr = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut addr)
        .unwrap();
    let addr = addr.trim().to_owned();

    println!(
        "instructions per call: (count at {large} calls - count at {small}) / {}, one thread, \
         server in another process",
        large - small
    );
    let mut per_call = Vec::new();
    for side in SIDES {
        let mut runs: Vec<f64> = (0..repeats)
            .map(|_| {
                let difference =
                    count(&addr, side, large) as f64 - count(&addr, side, small) as f64;
                difference / (large - small) as f64
            })
            .collect();
        runs.sort_by(|a, b| a.total_cmp(b));
        let median = runs[runs.len() / 2];
        let spread: Vec<String> = runs.iter().map(|r| format!("{r:.0}")).collect();
        println!(
            "{side:>9}: median {median:>9.0}  runs [{}]",
            spread.join(", ")
        );
        per_call.push(median);
    }
    println!(
        "ratio to raw: generated {:.3}, client {:.3}",
        per_call[1] / per_call[0],
        per_call[2] / per_call[0]
    );
    drop(server.stdin.take());
    let _ = server.wait();
}
