//! The emulator's binary (`trustly-customers-mock`) as a child process, and its admin API
//! (`/__admin`, described by `openapi/admin.yaml`) over HTTP: for tests that show the CLI's
//! binary against the emulator's, end to end, as an integrator runs them.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

use super::{ID, KEY};

/// The emulator's binary, started on a free port of 127.0.0.1 with the credentials [`super::run`]
/// gives the CLI, and no log line per request. Killed when dropped.
pub struct EmulatorBinary {
    child: Child,
    base_url: String,
    admin: reqwest::Client,
}

impl EmulatorBinary {
    /// Builds the binary if it is not built (once per test process), starts it, and reads the
    /// base URL it prints once it listens.
    pub async fn start() -> EmulatorBinary {
        let (child, base_url) = tokio::task::spawn_blocking(|| {
            let mut command = Command::new(binary());
            command
                .args([
                    "--listen",
                    "127.0.0.1:0",
                    "--access-id",
                    ID,
                    "--access-key",
                    KEY,
                ])
                .arg("--quiet")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            // Its own variables, one of which could stand for an option: only the flags count.
            for (name, _) in std::env::vars_os() {
                if name.to_string_lossy().starts_with("TRUSTLY_MOCK_") {
                    command.env_remove(name);
                }
            }
            let mut child = command.spawn().expect("the emulator's binary starts");
            let mut line = String::new();
            BufReader::new(child.stdout.take().expect("stdout is piped"))
                .read_line(&mut line)
                .expect("the emulator's stdout is readable");
            if line.is_empty() {
                let mut why = String::new();
                let _ = child
                    .stderr
                    .take()
                    .expect("stderr is piped")
                    .read_to_string(&mut why);
                panic!("the emulator did not start ({:?}): {why}", child.wait());
            }
            (child, line.trim_end().to_owned())
        })
        .await
        .expect("the start is not cancelled");
        EmulatorBinary {
            child,
            base_url,
            admin: reqwest::Client::new(),
        }
    }

    /// The API's base URL, as `--base-url` takes it (`http://127.0.0.1:PORT/api/v1`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Adds a fault (`POST /__admin/faults`) after those set; its id.
    pub async fn add_fault(&self, fault: Value) -> u64 {
        let (status, body) = self
            .admin(reqwest::Method::POST, "faults", Some(&fault))
            .await;
        assert_eq!(status, 201, "{fault} refused: {body}");
        body["id"].as_u64().expect("the fault's id")
    }

    /// The faults set (`GET /__admin/faults`), each with the uses it has left.
    pub async fn faults(&self) -> Vec<Value> {
        self.list("faults").await
    }

    /// Removes every fault (`DELETE /__admin/faults`).
    pub async fn clear_faults(&self) {
        let (status, body) = self.admin(reqwest::Method::DELETE, "faults", None).await;
        assert_eq!(status, 204, "{body}");
    }

    /// The requests the API was sent (`GET /__admin/requests`), in arrival order.
    pub async fn requests(&self) -> Vec<Value> {
        self.list("requests").await
    }

    /// Empties the journal (`DELETE /__admin/requests`).
    pub async fn clear_requests(&self) {
        let (status, body) = self.admin(reqwest::Method::DELETE, "requests", None).await;
        assert_eq!(status, 204, "{body}");
    }

    /// The list under `name` that `GET /__admin/{name}` answers.
    async fn list(&self, name: &str) -> Vec<Value> {
        let (status, mut body) = self.admin(reqwest::Method::GET, name, None).await;
        assert_eq!(status, 200, "{body}");
        match body[name].take() {
            Value::Array(items) => items,
            other => panic!("GET /__admin/{name}: no list: {other}"),
        }
    }

    /// A request to the admin API with the emulator's credentials: status and JSON body
    /// (`null` when there is none).
    async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let origin = self
            .base_url
            .strip_suffix("/api/v1")
            .expect("the emulator serves /api/v1");
        let mut request = self
            .admin
            .request(method, format!("{origin}/__admin/{path}"))
            .basic_auth(ID, Some(KEY));
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("the admin API answers");
        let status = response.status().as_u16();
        let text = response.text().await.expect("the admin API's body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
        };
        (status, body)
    }
}

impl Drop for EmulatorBinary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The path of the emulator's binary, built by cargo the first time it is asked for in a test
/// process. Cargo builds a package's tests with its own binaries only (`CARGO_BIN_EXE_*`), not
/// another package's, so `cargo test -p trustly-customers-cli` alone would find none, or a
/// stale one left by an earlier build: cargo is asked for it instead, which does nothing when
/// it is fresh, in the profile this test was built with, and says where it put it.
fn binary() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let mut command = Command::new(env!("CARGO"));
        command
            .args(["build", "--package", "trustly-customers-mock"])
            .args(["--bin", "trustly-customers-mock", "--message-format=json"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::null());
        match profile().as_deref() {
            Some("debug") | None => {}
            Some("release") => {
                command.arg("--release");
            }
            Some(other) => {
                command.args(["--profile", other]);
            }
        }
        let out = command.output().expect("cargo runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "cargo could not build the emulator: {stderr}"
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .find(|m| {
                m["reason"] == "compiler-artifact"
                    && m["target"]["name"] == "trustly-customers-mock"
            })
            .and_then(|m| m["executable"].as_str().map(PathBuf::from))
            .unwrap_or_else(|| panic!("cargo built no emulator binary: {stderr}"))
    })
}

/// The name of the profile this test was built with: the directory its binary's `deps` is in
/// (`target/debug/deps/NAME-HASH`).
fn profile() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let deps = exe.parent()?;
    (deps.file_name()? == "deps")
        .then(|| deps.parent()?.file_name()?.to_str().map(str::to_owned))
        .flatten()
}
