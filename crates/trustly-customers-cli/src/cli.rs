//! The command line: the options every command shares, one command per operation of the spec
//! (`generated.rs`), `update` (built on one of them), and `completions`.

use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};
use trustly_customers::Environment;

use crate::{generated, update};

/// The program's name, as completion scripts and messages call it.
pub(crate) const NAME: &str = "trustly-customers";

/// The text after the top-level `--help`.
const AFTER_HELP: &str = "\
Credentials come only from the environment, never from flags (flags land in shell history):
  TRUSTLY_ACCESS_ID, TRUSTLY_ACCESS_KEY
The server: --env or --base-url, else TRUSTLY_BASE_URL, else TRUSTLY_ENVIRONMENT, else sandbox.

Request bodies are checked against the API's schema before anything is sent; properties the
API marks read-only (the server owns them) are dropped, so a record printed by `get` can be
edited and sent back. On success the result is printed to stdout as JSON with the API's field
names: a record as itself, a list inside the envelope object the API sent it in.

Exit codes:
  0  success
  2  usage error or invalid input (nothing was sent)
  3  not found
  4  authentication refused
  5  request rejected (any other 4xx)
  6  server error or unavailable (after retries), or an undecodable response
  7  timeout or transport failure";

/// The whole command tree.
pub(crate) fn command() -> Command {
    let default_timeout = trustly_customers::DEFAULT_TIMEOUT.as_secs();
    let default_retries = trustly_customers::RetryPolicy::default().retries();
    let operations = generated::commands();
    let update = update::command(&operations);
    Command::new(NAME)
        .version(env!("CARGO_PKG_VERSION"))
        .about("Look up and fix customer records in Trustly's (North America) Customers API.")
        .after_help(AFTER_HELP)
        .subcommand_required(true)
        .arg(
            Arg::new("env")
                .long("env")
                .value_name("ENV")
                .value_parser(Environment::NAMES.to_vec())
                .global(true)
                .help(format!(
                    "The Trustly environment [default: $TRUSTLY_ENVIRONMENT, else {}]",
                    Environment::NAMES[0]
                )),
        )
        .arg(
            Arg::new("base-url")
                .long("base-url")
                .value_name("URL")
                .global(true)
                .help("A server URL instead, e.g. http://127.0.0.1:8080/api/v1 [default: $TRUSTLY_BASE_URL]"),
        )
        .arg(
            Arg::new("timeout")
                .long("timeout")
                .value_name("SECS")
                .value_parser(parse_timeout)
                .allow_negative_numbers(true)
                .global(true)
                .help(format!(
                    "Give up on one attempt after SECS seconds [default: {default_timeout}]"
                )),
        )
        .arg(
            Arg::new("retries")
                .long("retries")
                .value_name("N")
                .value_parser(clap::value_parser!(u32))
                .allow_negative_numbers(true)
                .global(true)
                .help(format!(
                    "Retries after the first attempt, for requests safe to repeat [default: {default_retries}]"
                )),
        )
        .arg(
            Arg::new("verbose")
                .short('v')
                .long("verbose")
                .action(ArgAction::SetTrue)
                .global(true)
                .help("Log each attempt to stderr (never credentials or personal data)"),
        )
        .subcommands(operations)
        .subcommand(update)
        .subcommand(
            Command::new("completions")
                .about("Print a completion script for a shell")
                .arg(
                    Arg::new("shell")
                        .value_name("SHELL")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        )
}

/// Where to send requests and how patiently, as the options say. `None` falls back to the
/// environment, then to the client's defaults.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Global {
    pub(crate) environment: Option<String>,
    pub(crate) base_url: Option<String>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retries: Option<u32>,
    pub(crate) verbose: bool,
}

impl Global {
    /// The shared options of a parsed command line (they may follow the command).
    pub(crate) fn from_matches(args: &ArgMatches) -> Result<Global, String> {
        let global = Global {
            environment: args.get_one::<String>("env").cloned(),
            base_url: args.get_one::<String>("base-url").cloned(),
            timeout: args.get_one::<Duration>("timeout").copied(),
            retries: args.get_one::<u32>("retries").copied(),
            verbose: args.get_flag("verbose"),
        };
        if global.environment.is_some() && global.base_url.is_some() {
            return Err("--env and --base-url name the server twice; give one".into());
        }
        Ok(global)
    }
}

fn parse_timeout(value: &str) -> Result<Duration, String> {
    let secs = value
        .parse::<f64>()
        .ok()
        // Below a millisecond every attempt would time out before it could connect.
        .filter(|s| s.is_finite() && *s >= 0.001 && *s <= 86_400.0);
    secs.map(Duration::from_secs_f64)
        .ok_or_else(|| "a number of seconds from 0.001 to 86400".to_owned())
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

    fn parse(args: &[&str]) -> Result<ArgMatches, clap::Error> {
        command().try_get_matches_from(std::iter::once(NAME).chain(args.iter().copied()))
    }

    #[test]
    fn the_tree_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn shared_options_go_before_or_after_the_command() {
        for args in [
            &[
                "--base-url",
                "http://127.0.0.1:1/api/v1",
                "--timeout",
                "2.5",
                "--retries",
                "0",
                "-v",
                "list",
            ][..],
            &[
                "list",
                "--base-url",
                "http://127.0.0.1:1/api/v1",
                "--timeout",
                "2.5",
                "--retries",
                "0",
                "-v",
            ],
        ] {
            let matches = parse(args).unwrap();
            let (_, sub) = matches.subcommand().unwrap();
            assert_eq!(
                Global::from_matches(sub).unwrap(),
                Global {
                    environment: None,
                    base_url: Some("http://127.0.0.1:1/api/v1".into()),
                    timeout: Some(Duration::from_millis(2500)),
                    retries: Some(0),
                    verbose: true,
                },
                "{args:?}"
            );
        }
    }

    #[test]
    fn usage_errors_are_one_line_naming_the_problem() {
        for (args, expected) in [
            (&["get"][..], "<CUSTOMER_ID>"),
            (&["get", "a", "b"], "unexpected argument 'b'"),
            (&["fetch"], "unrecognized subcommand 'fetch'"),
            (&["upsert"], "<--file <PATH>|->"),
            (&["upsert", "-", "--file", "x"], "cannot be used with"),
            (
                &["--env", "staging", "list"],
                "invalid value 'staging' for '--env <ENV>'",
            ),
            (&["--retries", "-1", "list"], "'--retries <N>'"),
            (
                &["--timeout", "0", "list"],
                "a number of seconds from 0.001 to 86400",
            ),
            (
                &["--timeout", "1e-10", "list"],
                "a number of seconds from 0.001 to 86400",
            ),
            (
                &["list", "--external-id", "a", "--external-id", "b"],
                "cannot be used multiple times",
            ),
            (
                &["upsert", "--external-id", "", "-"],
                "a value is required for '--external-id",
            ),
            (
                &["list", "--customer-id", ""],
                "a value is required for '--customer-id",
            ),
            (
                &["list", "--access-key", "k"],
                "unexpected argument '--access-key'",
            ),
        ] {
            let error = parse(args).expect_err(&format!("{args:?} parses"));
            let line = one_line(&error);
            assert!(!line.contains('\n'), "{line}");
            assert!(line.contains(expected), "{args:?}: {line}");
            assert_eq!(error.exit_code(), 2, "{args:?}");
        }
    }

    #[test]
    fn env_and_base_url_together_are_refused() {
        let matches = parse(&["--env", "sandbox", "--base-url", "http://x", "list"]).unwrap();
        let (_, sub) = matches.subcommand().unwrap();
        assert_eq!(
            Global::from_matches(sub),
            Err("--env and --base-url name the server twice; give one".into())
        );
    }
}
