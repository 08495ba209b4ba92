//! The `trustly-customers-mock` binary: help, usage errors, start failures, start and stop.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_trustly-customers-mock");

#[test]
fn help_prints_usage_and_exits_0() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "--listen",
        "--access-id",
        "--access-key",
        "--merchant-id",
        "--data",
        "EXIT CODES",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
}

#[test]
fn usage_errors_exit_2_without_echoing_the_key() {
    let cases: [&[&str]; 5] = [
        &["--nope"],
        &["--listen", "not-an-address"],
        &["--access-key", "secret-key-value"],
        &["--access-id", "only-id"],
        &["--merchant-id", ""],
    ];
    for args in cases {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("--help"), "{err}");
        assert!(!err.contains("secret-key-value"), "{err}");
    }
}

#[test]
fn a_start_failure_exits_1() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("mock-cli-corrupt");
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("customers.json");
    std::fs::write(&data, "not json").unwrap();
    let out = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("customers.json") && err.contains("neither a SQLite database"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn prints_the_base_url_serves_and_stops_cleanly_on_sigterm() {
    let child = Command::new(BIN)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--access-id",
            "me",
            "--access-key",
            "k",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = KillOnDrop(child);
    let child = &mut child.0;
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/api/v1"),
        "{url}"
    );

    // One authenticated request over a plain socket: the binary serves the API.
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches("/api/v1");
    let answer = raw_get(addr, "/api/v1/customers", "bWU6aw==");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("{\"customers\":[]}"), "{answer}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        assert!(Instant::now() < deadline, "did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(code, Some(0));
}

fn raw_get(addr: &str, path: &str, basic: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Basic {basic}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

/// Kills the child if the test fails before it stops it.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}
