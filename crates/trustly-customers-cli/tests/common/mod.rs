//! Running the `trustly-customers` binary in tests: its exit code and output, servers to
//! point it at (the emulator in process, or its binary: [`emulator_binary`]), and fixtures with
//! recognisable personal values.
#![allow(dead_code, unreachable_pub)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};
use trustly_customers::test_util::{Config, LocalEmulator};

pub mod emulator_binary;

/// Personal values in the fixtures below: none may appear on stderr, whatever happens.
pub const PERSONAL: &[&str] = &[
    "joe.user@mail.com",
    "+16505551212",
    "012345678",
    "2000 Broadway St",
    "94063",
    "A1234567",
];

pub fn customer() -> Value {
    json!({
        "name": "Joe User",
        "address": {
            "country": "US",
            "address1": "2000 Broadway St",
            "city": "Redwood City",
            "state": "CA",
            "zip": "94063"
        },
        "phone": "+16505551212",
        "email": "joe.user@mail.com",
        "taxId": "012345678",
        "externalId": "4567890",
        "driverLicense": { "number": "A1234567", "state": "CA" }
    })
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    /// Asserts a failure: the exit code, one line on stderr containing `needle`, no stdout, and
    /// no credential or personal value anywhere.
    pub fn fails(&self, code: i32, needle: &str) {
        assert_eq!(self.code, code, "stderr: {}", self.stderr);
        assert!(self.stdout.is_empty(), "stdout: {}", self.stdout);
        assert_eq!(self.stderr.lines().count(), 1, "stderr: {}", self.stderr);
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}: {}",
            self.stderr
        );
        self.leaks_nothing();
    }

    pub fn leaks_nothing(&self) {
        for secret in PERSONAL.iter().chain(&[KEY]) {
            assert!(
                !self.stderr.contains(secret),
                "stderr leaks {secret:?}: {}",
                self.stderr
            );
        }
    }
}

pub const ID: &str = "cli-test-id";
pub const KEY: &str = "cli-test-secret-key";

/// Runs the binary with `args`, the given credentials, and `stdin`, off the async runtime so
/// the servers keep answering.
pub async fn run_with(
    args: &[&str],
    credentials: Option<(&str, &str)>,
    stdin: Option<String>,
) -> Run {
    let env = match credentials {
        Some((id, key)) => vec![("TRUSTLY_ACCESS_ID", id), ("TRUSTLY_ACCESS_KEY", key)],
        None => Vec::new(),
    };
    run_env(args, &env, stdin).await
}

/// Runs the binary with `args`, no `TRUSTLY_*` variables but those in `env`, and `stdin`.
pub async fn run_env(args: &[&str], env: &[(&str, &str)], stdin: Option<String>) -> Run {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_trustly-customers"));
        command
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for name in [
            "TRUSTLY_ACCESS_ID",
            "TRUSTLY_ACCESS_KEY",
            "TRUSTLY_BASE_URL",
            "TRUSTLY_ENVIRONMENT",
            "NO_PROXY",
            "no_proxy",
        ] {
            command.env_remove(name);
        }
        command.envs(env);
        let mut child = command.spawn().expect("the binary starts");
        let mut pipe = child.stdin.take().expect("stdin is piped");
        if let Some(text) = stdin {
            pipe.write_all(text.as_bytes())
                .expect("stdin takes the body");
        }
        drop(pipe);
        let Output {
            status,
            stdout,
            stderr,
        } = child.wait_with_output().expect("the binary finishes");
        Run {
            code: status.code().expect("the binary exits, not killed"),
            stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
        }
    })
    .await
    .expect("the run is not cancelled")
}

pub async fn run(args: &[&str]) -> Run {
    run_with(args, Some((ID, KEY)), None).await
}

/// The local emulator, taking the credentials `run` gives the binary.
pub async fn emulator() -> LocalEmulator {
    let config = Config {
        access_id: ID.into(),
        access_key: KEY.into(),
        ..Config::default()
    };
    LocalEmulator::start_with_config(config, |builder| builder).await
}

/// Creates [`customer`] through the binary at `base_url` (`upsert -`); its `customerId`.
pub async fn create_customer(base_url: &str) -> String {
    let created = run_with(
        &["--base-url", base_url, "upsert", "-"],
        Some((ID, KEY)),
        Some(customer().to_string()),
    )
    .await;
    assert_eq!(created.code, 0, "{}", created.stderr);
    created.json()["customerId"]
        .as_str()
        .expect("the customer's id")
        .to_owned()
}

pub fn write_temp(name: &str, value: &Value) -> tempfile_path::TempPath {
    tempfile_path::TempPath::write(name, &value.to_string())
}

/// A file in the target directory's temp area, removed when dropped.
pub mod tempfile_path {
    use std::path::PathBuf;

    pub(crate) struct TempPath(PathBuf);

    impl TempPath {
        pub(crate) fn write(name: &str, text: &str) -> TempPath {
            let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
            let path = dir.join(format!("{}-{name}", std::process::id()));
            std::fs::write(&path, text).expect("the temp dir is writable");
            TempPath(path)
        }

        pub(crate) fn as_str(&self) -> &str {
            self.0.to_str().expect("the temp path is UTF-8")
        }
    }

    impl Drop for TempPath {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}
