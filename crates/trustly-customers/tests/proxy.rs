//! Plain http (allowed to loopback only) never goes through a proxy from the environment.
//! reqwest reads `HTTP_PROXY` and `ALL_PROXY` when a client is built; through such a proxy the
//! credentials and the customer data would leave the machine in clear text, and never reach
//! the local server.
//!
//! The proxy variables are set on a child process running this same test binary: a test
//! cannot change its own process's environment while other tests run.

use std::io::ErrorKind;
use std::net::TcpListener;
use std::process::Command;

use trustly_customers::RetryPolicy;
use trustly_customers::test_util::LocalEmulator;

/// Set on the child: its test runs only there.
const CHILD: &str = "TRUSTLY_CUSTOMERS_PROXY_TEST_CHILD";

#[test]
fn plain_http_to_loopback_ignores_the_proxy_environment() {
    // A "proxy" that only notes whether anything connected to it.
    let proxy = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    proxy.set_nonblocking(true).unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());

    let mut child = Command::new(std::env::current_exe().unwrap());
    child
        .args([
            "--exact",
            "child_talks_to_the_emulator",
            "--ignored",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy");
    for name in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        child.env(name, &proxy_url);
    }
    let output = child.output().expect("the test binary runs again");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("1 passed"),
        "the child ran its test: {stdout}"
    );
    match proxy.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        Ok((_, from)) => panic!("a request went through the proxy (from {from})"),
        Err(e) => panic!("the proxy's socket failed: {e}"),
    }
}

#[tokio::test]
#[ignore = "the child of plain_http_to_loopback_ignores_the_proxy_environment, run with a proxy set"]
async fn child_talks_to_the_emulator() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    // No retries and a short wait: the "proxy" never answers, and the call through it fails
    // within seconds rather than at the default 30 s timeout.
    let emulator = LocalEmulator::start_with(|builder| {
        builder
            .retry_policy(RetryPolicy::none())
            .timeout(std::time::Duration::from_secs(5))
    })
    .await;
    let customers = emulator
        .client()
        .list_customers(None, None)
        .await
        .expect("the emulator answers directly, not through the proxy");
    assert!(customers.is_empty());
}
