//! The `trustly-customers-mock` binary: help, version, options from the command line and the
//! environment, usage errors, start failures, start and stop.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_trustly-customers-mock");

/// Every variable the binary reads, and the client's credentials: unset, so that a test sees
/// only what it sets itself.
const VARIABLES: [&str; 10] = [
    "TRUSTLY_MOCK_LISTEN",
    "TRUSTLY_MOCK_ACCESS_ID",
    "TRUSTLY_MOCK_ACCESS_KEY",
    "TRUSTLY_MOCK_MERCHANT_ID",
    "TRUSTLY_MOCK_DATA",
    "TRUSTLY_MOCK_SEED",
    "TRUSTLY_MOCK_LATENCY",
    "TRUSTLY_MOCK_LOG",
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
const OPTIONS: [(&str, &str, Option<&str>); 8] = [
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
    ("--seed", "TRUSTLY_MOCK_SEED", None),
    ("--latency", "TRUSTLY_MOCK_LATENCY", None),
    ("--log", "TRUSTLY_MOCK_LOG", Some("text")),
];
const EXIT_CODES: [&str; 5] = [
    "0  stopped cleanly",
    "1  could not start",
    "2  invalid command line",
    "3  stopped without writing every change to the data file",
    "4  bad seed file",
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

/// A request over a plain socket to the emulator at `url` (its base URL): `method` and
/// `target` (path under the server, with any query), HTTP Basic `user:key`, a JSON body.
fn raw(url: &str, method: &str, target: &str, credentials: &str, body: Option<&str>) -> String {
    use std::io::{Read, Write};
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches("/api/v1");
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode(credentials);
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let body = body.unwrap_or("");
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Basic {basic}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}

/// Personal values, a credential and a query value, sent in every place a request can carry
/// them: none may reach the log.
const SECRETS: [&str; 6] = [
    "Joe Secret",
    "joe.secret@mail.com",
    "987654321",
    "+16505550123",
    "query-secret",
    "the-key",
];

/// Runs the binary with `args` and sends it requests carrying [`SECRETS`], two of them under
/// faults; what it wrote on stderr.
fn log_of(args: &[&str]) -> String {
    let mut command = mock();
    command.args([
        "--listen",
        "127.0.0.1:0",
        "--access-id",
        "me",
        "--access-key",
        "the-key",
    ]);
    command.args(args);
    let (mut child, url, stderr_lines) = start(command);
    let body = r#"{"name":"Joe Secret","address":{"country":"US"},"phone":"+16505550123","email":"joe.secret@mail.com","taxId":"987654321"}"#;
    let created = raw(
        &url,
        "POST",
        "/api/v1/customers?externalId=query-secret",
        "me:the-key",
        Some(body),
    );
    assert!(created.starts_with("HTTP/1.1 200"), "{created}");
    let listed = raw(
        &url,
        "GET",
        "/api/v1/customers?externalId=query-secret",
        "me:the-key",
        None,
    );
    assert!(listed.contains("joe.secret@mail.com"), "{listed}");
    let fault = r#"{"operation":"createOrUpdateCustomer","times":1,"fault":"drop-after-commit"}"#;
    assert!(
        raw(&url, "POST", "/__admin/faults", "me:the-key", Some(fault)).starts_with("HTTP/1.1 201")
    );
    let lost = raw(
        &url,
        "POST",
        "/api/v1/customers?externalId=query-secret",
        "me:the-key",
        Some(body),
    );
    assert_eq!(lost, "", "closed without an answer");
    let refused = raw(
        &url,
        "GET",
        "/api/v1/customers/1000000001",
        "me:wrong",
        None,
    );
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
    assert_eq!(stop(&mut child.0), Some(0));
    stderr_lines.join().unwrap()
}

#[cfg(unix)]
#[test]
fn a_log_line_per_request_with_its_fields_and_no_personal_value() {
    let text = log_of(&[]);
    let lines: Vec<&str> = text.lines().filter(|l| l.contains(" /api/v1/")).collect();
    assert_eq!(lines.len(), 4, "{text}");
    let fields: Vec<Vec<&str>> = lines
        .iter()
        .map(|l| l.split(' ').skip(1).collect())
        .collect();
    assert_eq!(
        fields[0][..4],
        ["createOrUpdateCustomer", "POST", "/api/v1/customers", "200"]
    );
    assert_eq!(
        fields[1][..4],
        ["listCustomers", "GET", "/api/v1/customers", "200"]
    );
    assert_eq!(
        fields[2][..4],
        ["createOrUpdateCustomer", "POST", "/api/v1/customers", "-"]
    );
    assert_eq!(fields[2].last(), Some(&"fault=drop-after-commit"));
    assert_eq!(
        fields[3][..4],
        ["getCustomer", "GET", "/api/v1/customers/1000000001", "401"]
    );
    for line in &lines {
        // The time first, in RFC 3339, UTC.
        let time = line.split(' ').next().unwrap();
        assert!(time.starts_with("20") && time.ends_with('Z'), "{line}");
        assert!(line.split(' ').nth(5).unwrap().ends_with("ms"), "{line}");
    }
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret} in the log: {text}");
    }
}

#[cfg(unix)]
#[test]
fn log_json_writes_json_lines_and_quiet_writes_none() {
    let text = log_of(&["--log", "json"]);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{text}");
    for line in &lines {
        let mut keys: Vec<&str> = line
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "fault",
                "latencyMs",
                "method",
                "operation",
                "path",
                "status",
                "time"
            ]
        );
    }
    assert_eq!(lines[2]["status"], serde_json::Value::Null);
    assert_eq!(lines[2]["fault"], "drop-after-commit");
    assert_eq!(lines[3]["status"], 401);
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret} in the log: {text}");
    }
    let quiet = log_of(&["--quiet"]);
    assert!(!quiet.contains("/api/v1/customers"), "{quiet}");
}

#[cfg(unix)]
#[test]
fn latency_delays_each_answer() {
    let mut command = mock();
    command.args([
        "--listen",
        "127.0.0.1:0",
        "--latency",
        "150..200",
        "--quiet",
    ]);
    let (mut child, url, _) = start(command);
    let started = Instant::now();
    assert!(raw_get(&url, "local-access-id:local-access-key").starts_with("HTTP/1.1 200"));
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(150), "{waited:?}");
    assert_eq!(stop(&mut child.0), Some(0));
}

#[cfg(unix)]
#[test]
fn a_seed_file_is_served_and_a_bad_one_stops_the_start_naming_the_entry_never_a_value() {
    let dir = scratch("seed");
    let good = dir.join("good.json");
    std::fs::write(
        &good,
        r#"{"customers":[{"customerId":"1000000500","name":"Ann","address":{"country":"US"},"phone":"+1","email":"a@b.c"}]}"#,
    )
    .unwrap();
    let mut command = mock();
    command
        .args(["--listen", "127.0.0.1:0", "--quiet", "--seed"])
        .arg(&good);
    let (mut child, url, _) = start(command);
    assert!(
        raw_get(&url, "local-access-id:local-access-key").contains("\"customerId\":\"1000000500\"")
    );
    assert_eq!(stop(&mut child.0), Some(0));

    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"customers":[{"name":"Ann","address":{"country":"US"},"phone":"+1","email":"a@b.c"},
        {"name":"Eve Secret","address":{"country":"US","zip":["secret-zip"]},"phone":"+1","email":"eve.secret@mail.com"}]}"#,
    )
    .unwrap();
    let out = mock()
        .args(["--listen", "127.0.0.1:0", "--seed"])
        .arg(&bad)
        .output()
        .unwrap();
    // Bad input, not a start failure of the machine's: a code of its own.
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(stdout(&out), "", "nothing served: no base URL");
    let text = stderr(&out);
    assert!(text.contains("seed file"), "{text}");
    assert!(
        text.contains("customer 1 (/customers/1/address/zip)"),
        "{text}"
    );
    for value in ["Eve Secret", "secret-zip", "eve.secret@mail.com"] {
        assert!(!text.contains(value), "{text}");
    }
    for (content, expected) in [
        (
            "{\"customers\": {}}",
            "/customers: expected the list envelope",
        ),
        ("not json", "is not JSON (line 1, column 2)"),
    ] {
        std::fs::write(&bad, content).unwrap();
        a_bad_seed_exits_4(&bad, expected);
    }
    a_bad_seed_exits_4(&dir.join("missing.json"), "missing.json");
}

/// The binary started with `--seed seed` exits 4, saying `expected` on stderr.
fn a_bad_seed_exits_4(seed: &Path, expected: &str) {
    let out = mock()
        .args(["--listen", "127.0.0.1:0", "--seed"])
        .arg(seed)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains(expected), "{}", stderr(&out));
}

/// A good seed file that the data file cannot take is the data file's failure (exit 1), not a
/// bad seed file (exit 4): a script told "fix the seed file" would look for a fault that is not
/// there.
#[cfg(unix)]
#[test]
fn a_seed_the_data_file_cannot_take_exits_1_naming_the_data_file() {
    let dir = scratch("seed-unwritable");
    let data = dir.join("customers.db");
    let seed = dir.join("seed.json");
    std::fs::write(
        &seed,
        r#"{"customers":[{"name":"Ann","address":{"country":"US"},"phone":"+1","email":"a@b.c"}]}"#,
    )
    .unwrap();
    let mut command = mock();
    command
        .args(["--listen", "127.0.0.1:0", "--quiet", "--data"])
        .arg(&data);
    let (mut child, _, _) = start(command);
    assert_eq!(stop(&mut child.0), Some(0));
    // Another process holds the file's write lock: the seed's customers cannot be saved.
    let blocker = rusqlite::Connection::open(&data).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let out = mock()
        .args(["--listen", "127.0.0.1:0", "--quiet", "--data"])
        .arg(&data)
        .arg("--seed")
        .arg(&seed)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "nothing served: no base URL");
    // The writer's own line about the failed save comes first; the start's failure last.
    let text = stderr(&out);
    assert_eq!(
        text.lines().last(),
        Some(&*format!(
            "trustly-customers-mock: data file {}: the customers of seed file {} could not be \
             written to it",
            data.display(),
            seed.display()
        )),
        "{text}"
    );
}
