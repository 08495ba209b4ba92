//! The `trustly-customers-mock` binary: help, version, options from the command line and the
//! environment, usage errors, start failures, start and stop.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_trustly-customers-mock");

/// Every variable the binary reads, and the client's credentials: unset, so that a test sees
/// only what it sets itself.
const VARIABLES: [&str; 7] = [
    "TRUSTLY_MOCK_LISTEN",
    "TRUSTLY_MOCK_ACCESS_ID",
    "TRUSTLY_MOCK_ACCESS_KEY",
    "TRUSTLY_MOCK_MERCHANT_ID",
    "TRUSTLY_MOCK_DATA",
    "TRUSTLY_ACCESS_ID",
    "TRUSTLY_ACCESS_KEY",
];

/// The binary, with none of [`VARIABLES`] set.
fn mock() -> Command {
    let mut command = Command::new(BIN);
    for name in VARIABLES {
        command.env_remove(name);
    }
    command
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// A fresh directory for one test under cargo's scratch space for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("mock-cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The options `--help` shows: (flag, variable, default), and its exit code lines.
const OPTIONS: [(&str, &str, Option<&str>); 5] = [
    ("--listen", "TRUSTLY_MOCK_LISTEN", Some("127.0.0.1:8080")),
    (
        "--access-id",
        "TRUSTLY_MOCK_ACCESS_ID",
        Some("local-access-id"),
    ),
    (
        "--access-key",
        "TRUSTLY_MOCK_ACCESS_KEY",
        Some("local-access-key"),
    ),
    (
        "--merchant-id",
        "TRUSTLY_MOCK_MERCHANT_ID",
        Some("1002463580"),
    ),
    ("--data", "TRUSTLY_MOCK_DATA", None),
];
const EXIT_CODES: [&str; 4] = [
    "0  stopped cleanly",
    "1  could not start",
    "2  invalid command line",
    "3  stopped without writing every change to the data file",
];

#[test]
fn help_shows_each_options_default_and_variable_and_every_exit_code() {
    let out = mock().arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for (flag, variable, default) in OPTIONS {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{flag} <")))
            .unwrap_or_else(|| panic!("{flag}: {text}"));
        assert!(line.contains(&format!("[env: {variable}")), "{line}");
        if let Some(default) = default {
            assert!(line.contains(&format!("[default: {default}]")), "{line}");
        }
    }
    for exit in EXIT_CODES {
        assert!(text.contains(&format!("\n  {exit}")), "{exit}: {text}");
    }
    assert!(
        text.contains("never the client's\nTRUSTLY_ACCESS_ID and TRUSTLY_ACCESS_KEY"),
        "{text}"
    );
}

#[test]
fn help_names_the_credentials_variables_but_never_their_values() {
    let out = mock()
        .arg("--help")
        .env("TRUSTLY_MOCK_ACCESS_ID", "id-from-the-environment")
        .env("TRUSTLY_MOCK_ACCESS_KEY", "key-from-the-environment")
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("[env: TRUSTLY_MOCK_ACCESS_KEY]"), "{text}");
    assert!(!text.contains("from-the-environment"), "{text}");
}

#[test]
fn version_prints_the_version_and_exits_0() {
    for flag in ["--version", "-V"] {
        let out = mock().arg(flag).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(
            stdout(&out),
            format!("trustly-customers-mock {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
}

/// Every option, variable and exit code in the crate's README is one `--help` shows, and the
/// other way round.
#[test]
fn the_readme_lists_what_help_shows() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let help = stdout(&mock().arg("--help").output().unwrap());
    for (flag, variable, default) in OPTIONS {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{flag} ")))
            .unwrap_or_else(|| panic!("no README row for {flag}"));
        assert!(row.contains(&format!("`{variable}`")), "{row}");
        if let Some(default) = default {
            assert!(row.contains(&format!("`{default}`")), "{row}");
        }
    }
    for exit in EXIT_CODES {
        let (code, meaning) = exit.split_once("  ").unwrap();
        let line = help
            .lines()
            .find(|l| l.starts_with(&format!("  {code}  ")))
            .unwrap();
        let full = line.trim_start()[code.len()..].trim();
        assert!(full.starts_with(meaning), "{line}");
        assert!(
            readme.contains(&format!("| {code} | {full} |")),
            "README: exit code {code}, {full}"
        );
    }
    // Nothing else: every flag and variable the README names is in `--help` (but for the
    // test commands' flags, which are cargo's).
    let (described, _tests) = readme.split_once("\n## Tests\n").unwrap();
    for word in described.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')) {
        let flag = word
            .strip_prefix("--")
            .is_some_and(|name| name.starts_with(|c: char| c.is_ascii_lowercase()));
        if flag || word.starts_with("TRUSTLY_MOCK_") {
            assert!(
                help.contains(word),
                "the README names {word}, --help does not"
            );
        }
    }
}

#[test]
fn usage_errors_are_one_line_and_exit_2_without_echoing_the_key() {
    /// Arguments, environment variables, and what the error must say.
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 8] = [
        (&["--nope"], &[], "unexpected argument '--nope' found"),
        (
            &["--listen", "not-an-address"],
            &[],
            "--listen: \"not-an-address\" is not an address",
        ),
        (
            &["--access-key", "secret-key-value"],
            &[],
            "--access-key is given, but neither --access-id nor TRUSTLY_MOCK_ACCESS_ID",
        ),
        (&["--access-id", "only-id"], &[], "--access-id is given"),
        (
            &["--merchant-id", ""],
            &[],
            "--merchant-id must not be empty",
        ),
        (
            &[],
            &[("TRUSTLY_MOCK_ACCESS_KEY", "secret-key-value")],
            "TRUSTLY_MOCK_ACCESS_KEY is given, but neither --access-id nor TRUSTLY_MOCK_ACCESS_ID",
        ),
        (
            &[],
            &[("TRUSTLY_MOCK_LISTEN", "nowhere")],
            "TRUSTLY_MOCK_LISTEN: \"nowhere\" is not an address",
        ),
        (
            &["--access-id", "me:you", "--access-key", "secret-key-value"],
            &[],
            "the access id must not contain ':'",
        ),
    ];
    for (args, variables, expected) in cases {
        let out = mock()
            .args(args)
            .envs(variables.iter().copied())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?} {variables:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("trustly-customers-mock: "), "{err}");
        assert!(err.trim_end().ends_with("(try --help)"), "{err}");
        assert!(err.contains(expected), "{args:?} {variables:?}: {err}");
        assert!(!err.contains("secret-key-value"), "{err}");
    }
}

#[test]
fn a_start_failure_exits_1_and_leaves_nothing_behind() {
    let dir = scratch("corrupt");
    let data = dir.join("customers.json");
    std::fs::write(&data, "not json").unwrap();
    let out = mock()
        .args(["--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("customers.json") && err.contains("neither a SQLite database"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(std::fs::read_to_string(&data).unwrap(), "not json");
    assert_eq!(
        files_in(&dir),
        ["customers.json"],
        "no lock or other file left"
    );

    // A port that is taken: the data file is not created, nor locked.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let data = dir.join("new.db");
    let out = mock()
        .arg("--listen")
        .arg(taken.local_addr().unwrap().to_string())
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot listen on"),
        "{}",
        stderr(&out)
    );
    assert_eq!(files_in(&dir), ["customers.json"], "nothing created");
}

/// The names of the files in `dir`, sorted.
fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn prints_the_base_url_serves_and_stops_cleanly_on_sigterm() {
    let mut command = mock();
    command.args([
        "--listen",
        "127.0.0.1:0",
        "--access-id",
        "me",
        "--access-key",
        "k",
    ]);
    let (mut child, url, _) = start(command);
    // One authenticated request over a plain socket: the binary serves the API.
    let answer = raw_get(&url, "me:k");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("{\"customers\":[]}"), "{answer}");
    assert_eq!(stop(&mut child.0), Some(0));
}

/// The options' variables take effect (here the address, the credentials and the data file),
/// and the client's own credentials in the environment are neither taken up nor printed.
#[cfg(unix)]
#[test]
fn the_environment_variables_set_the_options_and_the_clients_are_ignored() {
    let dir = scratch("environment");
    let data = dir.join("customers.db");
    let mut command = mock();
    command
        .env("TRUSTLY_MOCK_LISTEN", "127.0.0.1:0")
        .env("TRUSTLY_MOCK_ACCESS_ID", "me")
        .env("TRUSTLY_MOCK_ACCESS_KEY", "k")
        .env("TRUSTLY_MOCK_DATA", &data)
        .env("TRUSTLY_ACCESS_ID", "real-access-id")
        .env("TRUSTLY_ACCESS_KEY", "real-access-key");
    let (mut child, url, stderr_lines) = start(command);
    assert!(!url.contains(":8080/"), "the variable's port 0: {url}");
    assert!(raw_get(&url, "me:k").starts_with("HTTP/1.1 200"));
    let refused = raw_get(&url, "real-access-id:real-access-key");
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
    assert!(data.exists(), "the data file of TRUSTLY_MOCK_DATA");
    assert_eq!(stop(&mut child.0), Some(0));
    let printed = stderr_lines.join().unwrap();
    assert!(printed.contains("\"me\""), "{printed}");
    assert!(!printed.contains("real-access"), "{printed}");
    assert_eq!(files_in(&dir), ["customers.db"], "no lock file left");
}

/// Starts `command`, reads the base URL it prints; the child, the URL, and what it prints
/// on stderr until it ends.
fn start(mut command: Command) -> (KillOnDrop, String, std::thread::JoinHandle<String>) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let err = child.stderr.take().unwrap();
    let stderr_lines = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut BufReader::new(err), &mut text);
        text
    });
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().to_owned();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/api/v1"),
        "{url}"
    );
    (KillOnDrop(child), url, stderr_lines)
}

/// Sends SIGTERM and waits (at most 30 s) for the child to end; its exit code.
#[cfg(unix)]
fn stop(child: &mut std::process::Child) -> Option<i32> {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        assert!(Instant::now() < deadline, "did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `GET /customers` over a plain socket to the emulator at `url`, with HTTP Basic `user:key`.
fn raw_get(url: &str, credentials: &str) -> String {
    use std::io::{Read, Write};
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches("/api/v1");
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode(credentials);
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /api/v1/customers HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Basic {basic}\r\nConnection: close\r\n\r\n"
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
