//! The command line: each option with its default and its environment variable, and the
//! [`Config`] they make, checked with errors that say what is wrong and where (the option, or
//! the variable it came from), never repeating the access key.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::parser::ValueSource;
use clap::{Arg, ArgMatches, Command};
use std::time::Duration;

use trustly_customers_mock::{
    Config, DEFAULT_ACCESS_ID, DEFAULT_ACCESS_KEY, DEFAULT_MERCHANT_ID, LogFormat, MAX_DELAY_MS,
};

use crate::exit::Exit;

/// The program's name, as messages call it.
pub(crate) const NAME: &str = "trustly-customers-mock";

/// Where the binary listens unless told otherwise (the library's default is a free port).
const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// An option: its id, which is also its long flag, and the environment variable standing for
/// it.
#[derive(Clone, Copy)]
struct Opt {
    id: &'static str,
    env: &'static str,
}

const LISTEN: Opt = Opt {
    id: "listen",
    env: "TRUSTLY_MOCK_LISTEN",
};
const ACCESS_ID: Opt = Opt {
    id: "access-id",
    env: "TRUSTLY_MOCK_ACCESS_ID",
};
const ACCESS_KEY: Opt = Opt {
    id: "access-key",
    env: "TRUSTLY_MOCK_ACCESS_KEY",
};
const MERCHANT_ID: Opt = Opt {
    id: "merchant-id",
    env: "TRUSTLY_MOCK_MERCHANT_ID",
};
const DATA: Opt = Opt {
    id: "data",
    env: "TRUSTLY_MOCK_DATA",
};
const SEED: Opt = Opt {
    id: "seed",
    env: "TRUSTLY_MOCK_SEED",
};
const LATENCY: Opt = Opt {
    id: "latency",
    env: "TRUSTLY_MOCK_LATENCY",
};
const LOG: Opt = Opt {
    id: "log",
    env: "TRUSTLY_MOCK_LOG",
};
/// `--quiet`: no log line at all.
const QUIET: &str = "quiet";

/// The text after the options in `--help`, ending with the exit codes.
fn after_help() -> String {
    let mut text = String::from(
        "\
The environment variables are the emulator's own (TRUSTLY_MOCK_...), never the client's
TRUSTLY_ACCESS_ID and TRUSTLY_ACCESS_KEY: a real credential kept in the environment for the
client is never taken up, nor printed, by the emulator. An option given wins over its variable.

The admin API (faults, the request journal, reset) is under /__admin on the same port, with
the same credentials; openapi/admin.yaml describes it.

On start it prints the base URL (like http://127.0.0.1:8080/api/v1) on a line of its own on
stdout. Ctrl-C or SIGTERM stops it after the requests under way are answered and every change
is in the data file.

Exit codes:",
    );
    for exit in Exit::ALL {
        text.push_str(&format!("\n  {}  {}", exit as u8, exit.meaning()));
    }
    text
}

/// The whole command line.
pub(crate) fn command() -> Command {
    let option = |opt: Opt, value_name: &'static str| {
        Arg::new(opt.id)
            .long(opt.id)
            .value_name(value_name)
            .env(opt.env)
    };
    Command::new(NAME)
        .version(env!("CARGO_PKG_VERSION"))
        .about("A stateful local emulator of Trustly's (North America) Customers API")
        .after_help(after_help())
        .arg(
            option(LISTEN, "ADDR")
                .default_value(DEFAULT_LISTEN)
                .help("Address to listen on; port 0 picks a free one"),
        )
        .arg(
            option(ACCESS_ID, "ID")
                .default_value(DEFAULT_ACCESS_ID)
                // A credential: `--help` names its variable, never the variable's value.
                .hide_env_values(true)
                .allow_hyphen_values(true)
                .help("HTTP Basic user name to accept (given with --access-key)"),
        )
        .arg(
            option(ACCESS_KEY, "KEY")
                .default_value(DEFAULT_ACCESS_KEY)
                .hide_env_values(true)
                // Whatever a key looks like, it is the value: read as an option instead, a key
                // starting with `-` would be repeated in the error.
                .allow_hyphen_values(true)
                .help("HTTP Basic password to accept (given with --access-id)"),
        )
        .arg(
            option(MERCHANT_ID, "ID")
                .default_value(DEFAULT_MERCHANT_ID)
                .help("merchantId set on every customer"),
        )
        .arg(
            option(DATA, "FILE")
                .value_parser(clap::value_parser!(OsString))
                .help(
                    "Keep the customers in FILE across restarts: a SQLite database, created \
                     when missing (an earlier JSON data file is migrated, and kept as \
                     FILE.v1.bak); without it, in memory only",
                ),
        )
        .arg(
            option(SEED, "FILE")
                .value_parser(clap::value_parser!(OsString))
                .help(
                    "Load the customers of FILE at start: {\"customers\": [...]}, each checked \
                     against the spec; a bad one stops the start",
                ),
        )
        .arg(
            option(LATENCY, "MS|MIN..MAX").help(
                "Add a delay to every API request: MS milliseconds, or uniform over MIN..MAX",
            ),
        )
        .arg(
            option(LOG, "FORMAT")
                .value_parser(["text", "json"])
                .default_value("text")
                .help("The line on stderr for each API request: text or json (JSON lines)"),
        )
        .arg(
            Arg::new(QUIET)
                .long(QUIET)
                .action(clap::ArgAction::SetTrue)
                .conflicts_with(LOG.id)
                .help("No line per request"),
        )
}

/// `MS` or `MIN..MAX`, in milliseconds, each at most [`MAX_DELAY_MS`].
fn latency(text: &str) -> Option<std::ops::RangeInclusive<Duration>> {
    let (min, max) = text.split_once("..").unwrap_or((text, text));
    let (min, max): (u64, u64) = (min.trim().parse().ok()?, max.trim().parse().ok()?);
    (min <= max && max <= MAX_DELAY_MS)
        .then(|| Duration::from_millis(min)..=Duration::from_millis(max))
}

/// The configuration a parsed command line asks for.
pub(crate) fn config(matches: &ArgMatches) -> Result<Config, String> {
    let listen_text = text(matches, LISTEN);
    let listen: SocketAddr = listen_text.parse().map_err(|_| {
        format!(
            "{}: {listen_text:?} is not an address like {DEFAULT_LISTEN}",
            place(matches, LISTEN)
        )
    })?;
    // A pair or nothing: an id without its key (or the reverse) would be checked against the
    // other's default, which no client has.
    let given = |opt: Opt| matches.value_source(opt.id) != Some(ValueSource::DefaultValue);
    if given(ACCESS_ID) != given(ACCESS_KEY) {
        let (set, unset) = if given(ACCESS_ID) {
            (ACCESS_ID, ACCESS_KEY)
        } else {
            (ACCESS_KEY, ACCESS_ID)
        };
        return Err(format!(
            "--{} and --{} go together: {} is given, but neither --{} nor {}",
            ACCESS_ID.id,
            ACCESS_KEY.id,
            place(matches, set),
            unset.id,
            unset.env
        ));
    }
    for opt in [ACCESS_ID, ACCESS_KEY, MERCHANT_ID] {
        if text(matches, opt).is_empty() {
            return Err(format!("{} must not be empty", place(matches, opt)));
        }
    }
    let data = matches.get_one::<OsString>(DATA.id).map(PathBuf::from);
    if data.as_ref().is_some_and(|d| d.as_os_str().is_empty()) {
        return Err(format!("{} must not be empty", place(matches, DATA)));
    }
    let seed = matches.get_one::<OsString>(SEED.id).map(PathBuf::from);
    if seed.as_ref().is_some_and(|d| d.as_os_str().is_empty()) {
        return Err(format!("{} must not be empty", place(matches, SEED)));
    }
    let latency = match matches.get_one::<String>(LATENCY.id) {
        None => None,
        Some(text) => Some(latency(text).ok_or_else(|| {
            format!(
                "{}: {text:?} is not MS or MIN..MAX, milliseconds from 0 to {MAX_DELAY_MS}, MIN \
                 not above MAX",
                place(matches, LATENCY)
            )
        })?),
    };
    let log = if matches.get_flag(QUIET) {
        None
    } else if text(matches, LOG) == "json" {
        Some(LogFormat::Json)
    } else {
        Some(LogFormat::Text)
    };
    Ok(Config {
        listen,
        access_id: text(matches, ACCESS_ID).to_owned(),
        access_key: text(matches, ACCESS_KEY).to_owned(),
        merchant_id: text(matches, MERCHANT_ID).to_owned(),
        data,
        seed,
        latency,
        log,
        ..Config::default()
    })
}

/// The value of `opt`, from the command line, its variable or its default.
fn text(matches: &ArgMatches, opt: Opt) -> &str {
    matches.get_one::<String>(opt.id).map_or("", String::as_str)
}

/// Where the value of `opt` came from, as an error names it: `--listen`, or
/// `TRUSTLY_MOCK_LISTEN` (the environment variable standing for it).
fn place(matches: &ArgMatches, opt: Opt) -> String {
    match matches.value_source(opt.id) {
        Some(ValueSource::EnvVariable) => opt.env.to_owned(),
        _ => format!("--{}", opt.id),
    }
}

/// A clap error on one line, as every failure of this program is reported.
pub(crate) fn one_line(error: &clap::Error) -> String {
    let text = error.render().to_string();
    let first = text.split("\n\n").next().unwrap_or_default();
    let first = first.trim().strip_prefix("error: ").unwrap_or(first.trim());
    format!(
        "{} (try --help)",
        first.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `args` as the command line, with no environment variable standing for an option
    /// (the environment is the test runner's; `tests/cli.rs` runs the binary with variables).
    fn parse(args: &[&str]) -> Result<Config, String> {
        let matches = command()
            .mut_args(|arg| arg.env(None))
            .try_get_matches_from(std::iter::once(NAME).chain(args.iter().copied()))
            .map_err(|e| one_line(&e))?;
        config(&matches)
    }

    #[test]
    fn the_command_line_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn nothing_given_is_the_defaults_on_port_8080() {
        let config = parse(&[]).unwrap();
        assert_eq!(config.listen, DEFAULT_LISTEN.parse().unwrap());
        assert_eq!(config.access_id, DEFAULT_ACCESS_ID);
        assert_eq!(config.access_key, DEFAULT_ACCESS_KEY);
        assert_eq!(config.merchant_id, DEFAULT_MERCHANT_ID);
        assert_eq!(config.data, None);
        assert_eq!(config.seed, None);
        assert_eq!(config.latency, None);
        assert_eq!(config.log, Some(LogFormat::Text));
    }

    #[test]
    fn latency_log_and_seed() {
        let config = parse(&["--latency", "5", "--log", "json", "--seed", "s.json"]).unwrap();
        let ms = Duration::from_millis;
        assert_eq!(config.latency, Some(ms(5)..=ms(5)));
        assert_eq!(config.log, Some(LogFormat::Json));
        assert_eq!(config.seed, Some(PathBuf::from("s.json")));
        let config = parse(&["--latency", "10..250", "--quiet"]).unwrap();
        assert_eq!(config.latency, Some(ms(10)..=ms(250)));
        assert_eq!(config.log, None);
        let max = MAX_DELAY_MS.to_string();
        assert_eq!(
            parse(&["--latency", &max]).unwrap().latency,
            Some(ms(MAX_DELAY_MS)..=ms(MAX_DELAY_MS))
        );
        for bad in ["", "x", "5..", "..5", "9..3", "-1", "1..600001", "600001"] {
            let line = parse(&[&format!("--latency={bad}")]).expect_err(bad);
            assert!(line.contains("--latency"), "{bad}: {line}");
        }
        let line = parse(&["--quiet", "--log", "json"]).unwrap_err();
        assert!(line.contains("--quiet") || line.contains("--log"), "{line}");
        assert!(parse(&["--log", "xml"]).is_err());
    }

    #[test]
    fn each_option_sets_its_setting() {
        let config = parse(&[
            "--listen",
            "127.0.0.1:0",
            "--access-id",
            "me",
            "--access-key",
            "-starts-with-a-dash",
            "--merchant-id",
            "42",
            "--data",
            "customers.db",
        ])
        .unwrap();
        assert_eq!(config.listen, "127.0.0.1:0".parse().unwrap());
        assert_eq!(config.access_id, "me");
        assert_eq!(config.access_key, "-starts-with-a-dash");
        assert_eq!(config.merchant_id, "42");
        assert_eq!(config.data, Some(PathBuf::from("customers.db")));
    }

    #[test]
    fn usage_errors_are_one_line_saying_what_and_where_never_the_key() {
        for (args, expected) in [
            (&["--nope"][..], "unexpected argument '--nope'"),
            (&["--listen"], "a value is required for '--listen <ADDR>'"),
            (
                &["--listen", "not-an-address"],
                "--listen: \"not-an-address\" is not an address like 127.0.0.1:8080",
            ),
            (
                &["--access-key", "secret-key-value"],
                "--access-id and --access-key go together: --access-key is given, but neither \
                 --access-id nor TRUSTLY_MOCK_ACCESS_ID",
            ),
            (
                &["--access-id", "only-id"],
                "--access-id and --access-key go together: --access-id is given, but neither \
                 --access-key nor TRUSTLY_MOCK_ACCESS_KEY",
            ),
            (
                &["--access-id", "", "--access-key", "secret-key-value"],
                "--access-id must not be empty",
            ),
            (
                &["--access-id", "me", "--access-key", ""],
                "--access-key must not be empty",
            ),
            (&["--merchant-id", ""], "--merchant-id must not be empty"),
            (&["--data", ""], "--data must not be empty"),
            (
                &[
                    "--access-key",
                    "secret-key-value",
                    "--access-key",
                    "secret-key-value",
                ],
                "'--access-key <KEY>' cannot be used multiple times",
            ),
        ] {
            let line = parse(args).expect_err(&format!("{args:?} parses"));
            assert!(!line.contains('\n'), "{line}");
            assert!(line.contains(expected), "{args:?}: {line}");
            assert!(!line.contains("secret-key-value"), "{args:?}: {line}");
        }
    }
}
