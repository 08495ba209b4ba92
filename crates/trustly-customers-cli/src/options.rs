//! The options every command shares: where to send requests and how patiently, and `-v`.
//! Declared once for the whole tree, and read back as [`Global`].

use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches};
use trustly_customers::Environment;

/// The program's name, as completion scripts and messages call it.
pub(crate) const NAME: &str = "trustly-customers";

/// The shared options, global in the tree: they may come before or after the command.
pub(crate) fn shared() -> [Arg; 5] {
    let default_timeout = trustly_customers::DEFAULT_TIMEOUT.as_secs();
    let default_retries = trustly_customers::RetryPolicy::default().retries();
    [
        Arg::new("env")
            .long("env")
            .value_name("ENV")
            .value_parser(Environment::NAMES.to_vec())
            .global(true)
            .help(format!(
                "The Trustly environment [default: $TRUSTLY_ENVIRONMENT, else {}]",
                Environment::NAMES[0]
            )),
        Arg::new("base-url")
            .long("base-url")
            .value_name("URL")
            .global(true)
            .help("A server URL instead, e.g. http://127.0.0.1:8080/api/v1 [default: $TRUSTLY_BASE_URL]"),
        Arg::new("timeout")
            .long("timeout")
            .value_name("SECS")
            .value_parser(parse_timeout)
            .allow_negative_numbers(true)
            .global(true)
            .help(format!(
                "Give up on one attempt after SECS seconds [default: {default_timeout}]"
            )),
        Arg::new("retries")
            .long("retries")
            .value_name("N")
            .value_parser(clap::value_parser!(u32))
            .allow_negative_numbers(true)
            .global(true)
            .help(format!(
                "Retries after the first attempt, for requests safe to repeat [default: {default_retries}]"
            )),
        Arg::new("verbose")
            .short('v')
            .long("verbose")
            .action(ArgAction::SetTrue)
            .global(true)
            .help("Log each attempt to stderr (never credentials or personal data)"),
    ]
}

/// The shared options for a command they do nothing for (`help`, `completions`): declared on it
/// hidden, they are neither shown in its help nor completed, and still accepted (clap gives a
/// command a global option only when it has none of that name).
pub(crate) fn ignored() -> [Arg; 5] {
    shared().map(|arg| arg.global(false).hide(true))
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

#[cfg(test)]
mod tests {
    use clap::Command;

    use super::*;

    /// The shared options of a tree with one command, `op`, as the command line has them.
    fn parse(args: &[&str]) -> Result<Global, String> {
        let matches = Command::new("t")
            .args(shared())
            .subcommand(Command::new("op"))
            .try_get_matches_from(std::iter::once("t").chain(args.iter().copied()))
            .map_err(|e| e.to_string())?;
        let (_, sub) = matches.subcommand().expect("a command is given");
        Global::from_matches(sub)
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
                "op",
            ][..],
            &[
                "op",
                "--base-url",
                "http://127.0.0.1:1/api/v1",
                "--timeout",
                "2.5",
                "--retries",
                "0",
                "-v",
            ],
        ] {
            assert_eq!(
                parse(args).unwrap(),
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
    fn env_and_base_url_together_are_refused() {
        assert_eq!(
            parse(&["--env", "sandbox", "--base-url", "http://x", "op"]),
            Err("--env and --base-url name the server twice; give one".into())
        );
    }
}
