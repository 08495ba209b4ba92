//! The command line: what the user asked for, parsed and checked before anything is sent.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use trustly_customers::{CustomerId, ExternalId};

/// The text of `trustly-customers --help`.
pub(crate) const HELP: &str = "\
Look up and fix customer records in Trustly's (North America) Customers API.

Usage: trustly-customers [OPTIONS] <COMMAND>

Commands:
  get <CUSTOMER_ID>                          Print one customer.
  list [--external-id ID] [--customer-id ID] Print the customers, or those matching the filters.
  upsert [--external-id ID] (--file PATH | -)
                                             Create a customer, or update the one the body (or
                                             --external-id) names. The body is a Customer as JSON.
  update <CUSTOMER_ID> (--file PATH | -)     Apply a merge patch (JSON): a property sent
                                             overwrites, `null` removes it, one left out stays.
  help                                       Print this help.

Options:
  --env sandbox|production   The Trustly environment [default: $TRUSTLY_ENVIRONMENT, else sandbox]
  --base-url URL             A server URL instead, e.g. http://127.0.0.1:8080/api/v1
                             [default: $TRUSTLY_BASE_URL]
  --timeout SECS             Give up on one attempt after SECS seconds [default: 30]
  --retries N                Retries after the first attempt, for requests safe to repeat
                             [default: 3]
  -v, --verbose              Log each attempt to stderr (never credentials or personal data)
  -h, --help                 Print this help

Credentials come only from the environment, never from flags (flags land in shell history):
  TRUSTLY_ACCESS_ID, TRUSTLY_ACCESS_KEY

Input files are checked against the API's schema before anything is sent.
On success the result is printed to stdout as JSON with the API's field names: a customer, or
for `list` the API's own {\"customers\": [...]}.

Exit codes:
  0  success
  2  usage error or invalid input (nothing was sent)
  3  not found
  4  authentication refused
  5  request rejected (any other 4xx)
  6  server error or unavailable (after retries), or an undecodable response
  7  timeout or transport failure
";

/// Where to send requests, as the user chose it. `None` fields fall back to the environment.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Target {
    pub(crate) environment: Option<String>,
    pub(crate) base_url: Option<String>,
}

/// Options that apply to every command.
#[derive(Debug, PartialEq)]
pub(crate) struct Global {
    pub(crate) target: Target,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retries: Option<u32>,
    pub(crate) verbose: bool,
}

/// Where a JSON body comes from.
#[derive(Debug, PartialEq)]
pub(crate) enum Source {
    File(PathBuf),
    Stdin,
}

/// A command and its operands.
#[derive(Debug, PartialEq)]
pub(crate) enum Command {
    Get {
        customer_id: CustomerId,
    },
    List {
        external_id: Option<ExternalId>,
        customer_id: Option<CustomerId>,
    },
    Upsert {
        external_id: Option<ExternalId>,
        source: Source,
    },
    Update {
        customer_id: CustomerId,
        source: Source,
    },
}

/// What the command line asks for.
#[derive(Debug, PartialEq)]
pub(crate) enum Invocation {
    Help,
    Run { global: Global, command: Command },
}

/// Parses the arguments after the program name. The error is one line saying what is wrong.
pub(crate) fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Invocation, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let mut global = Global {
        target: Target::default(),
        timeout: None,
        retries: None,
        verbose: false,
    };
    // Global options come before the command; the command's own options after it.
    let name = loop {
        match parser.next().map_err(|e| e.to_string())? {
            None => return Err("no command given (try --help)".into()),
            Some(Short('h') | Long("help")) => return Ok(Invocation::Help),
            Some(Short('v') | Long("verbose")) => global.verbose = true,
            Some(Long("env")) => {
                let value = string(parser.value(), "--env")?;
                if !matches!(value.as_str(), "sandbox" | "production") {
                    return Err(format!(
                        "--env must be sandbox or production, not {value:?}"
                    ));
                }
                global.target.environment = Some(value);
            }
            Some(Long("base-url")) => {
                global.target.base_url = Some(string(parser.value(), "--base-url")?)
            }
            Some(Long("timeout")) => {
                let value = string(parser.value(), "--timeout")?;
                global.timeout = Some(parse_timeout(&value)?);
            }
            Some(Long("retries")) => {
                let value = string(parser.value(), "--retries")?;
                let n = value.parse::<u32>().map_err(|_| {
                    format!("--retries takes a whole number of retries, not {value:?}")
                })?;
                global.retries = Some(n);
            }
            Some(Value(v)) => break v.to_string_lossy().into_owned(),
            Some(other) => return Err(other.unexpected().to_string()),
        }
    };
    if global.target.environment.is_some() && global.target.base_url.is_some() {
        return Err("--env and --base-url name the server twice; give one".into());
    }
    let command = match name.as_str() {
        "help" => return Ok(Invocation::Help),
        "get" => {
            let customer_id = CustomerId::new(operand(&mut parser, "get", "CUSTOMER_ID")?);
            no_more(&mut parser)?;
            Command::Get { customer_id }
        }
        "list" => {
            let (mut external_id, mut customer_id) = (None, None);
            while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
                match arg {
                    Long("external-id") => once(
                        &mut external_id,
                        ExternalId::new(id(parser.value(), "--external-id")?),
                        "--external-id",
                    )?,
                    Long("customer-id") => once(
                        &mut customer_id,
                        CustomerId::new(id(parser.value(), "--customer-id")?),
                        "--customer-id",
                    )?,
                    Short('h') | Long("help") => return Ok(Invocation::Help),
                    other => return Err(other.unexpected().to_string()),
                }
            }
            Command::List {
                external_id,
                customer_id,
            }
        }
        "upsert" => {
            let (mut external_id, mut source) = (None, None);
            while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
                match arg {
                    Long("external-id") => once(
                        &mut external_id,
                        ExternalId::new(id(parser.value(), "--external-id")?),
                        "--external-id",
                    )?,
                    Long("file") => {
                        let path = PathBuf::from(parser.value().map_err(|e| e.to_string())?);
                        set_source(&mut source, Source::File(path))?
                    }
                    Value(v) if v == "-" => set_source(&mut source, Source::Stdin)?,
                    Short('h') | Long("help") => return Ok(Invocation::Help),
                    other => return Err(other.unexpected().to_string()),
                }
            }
            let source = source.ok_or("upsert needs a body: --file PATH, or - for stdin")?;
            Command::Upsert {
                external_id,
                source,
            }
        }
        "update" => {
            let (mut customer_id, mut source) = (None, None);
            while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
                match arg {
                    Long("file") => {
                        let path = PathBuf::from(parser.value().map_err(|e| e.to_string())?);
                        set_source(&mut source, Source::File(path))?
                    }
                    Value(v) if v == "-" => set_source(&mut source, Source::Stdin)?,
                    Value(v) if customer_id.is_none() => {
                        customer_id = Some(CustomerId::new(v.to_string_lossy().into_owned()))
                    }
                    Short('h') | Long("help") => return Ok(Invocation::Help),
                    other => return Err(other.unexpected().to_string()),
                }
            }
            let customer_id = customer_id.ok_or("update needs a CUSTOMER_ID")?;
            let source = source.ok_or("update needs a patch: --file PATH, or - for stdin")?;
            Command::Update {
                customer_id,
                source,
            }
        }
        other => return Err(format!("unknown command {other:?} (try --help)")),
    };
    Ok(Invocation::Run { global, command })
}

fn string(value: Result<OsString, lexopt::Error>, option: &str) -> Result<String, String> {
    let value = value.map_err(|e| e.to_string())?;
    value
        .into_string()
        .map_err(|_| format!("{option} takes UTF-8 text"))
}

/// An id given as an option's value: text, and not empty (an empty id names no customer).
fn id(value: Result<OsString, lexopt::Error>, option: &str) -> Result<String, String> {
    let value = string(value, option)?;
    if value.is_empty() {
        return Err(format!("{option} needs a non-empty id"));
    }
    Ok(value)
}

/// Sets an option that may be given once: a second value is more likely a mistake than an
/// intent to override.
fn once<T>(slot: &mut Option<T>, value: T, option: &str) -> Result<(), String> {
    if slot.is_some() {
        return Err(format!("{option} is given twice; give it once"));
    }
    *slot = Some(value);
    Ok(())
}

fn operand(parser: &mut lexopt::Parser, command: &str, name: &str) -> Result<String, String> {
    match parser.next().map_err(|e| e.to_string())? {
        Some(lexopt::Arg::Value(v)) => v
            .into_string()
            .map_err(|_| format!("{name} must be UTF-8 text")),
        Some(other) => Err(other.unexpected().to_string()),
        None => Err(format!("{command} needs a {name}")),
    }
}

fn no_more(parser: &mut lexopt::Parser) -> Result<(), String> {
    match parser.next().map_err(|e| e.to_string())? {
        None => Ok(()),
        Some(other) => Err(other.unexpected().to_string()),
    }
}

fn set_source(slot: &mut Option<Source>, source: Source) -> Result<(), String> {
    if slot.is_some() {
        return Err("give the body once: --file PATH or -".into());
    }
    *slot = Some(source);
    Ok(())
}

fn parse_timeout(value: &str) -> Result<Duration, String> {
    let secs = value
        .parse::<f64>()
        .ok()
        // Below a millisecond every attempt would time out before it could connect.
        .filter(|s| s.is_finite() && *s >= 0.001 && *s <= 86_400.0);
    secs.map(Duration::from_secs_f64).ok_or_else(|| {
        format!("--timeout takes a number of seconds from 0.001 to 86400, not {value:?}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(args: &[&str]) -> Result<Invocation, String> {
        parse(args.iter().map(OsString::from))
    }

    fn command(args: &[&str]) -> Command {
        match parse_str(args) {
            Ok(Invocation::Run { command, .. }) => command,
            other => panic!("{args:?} parsed as {other:?}"),
        }
    }

    #[test]
    fn each_command_and_its_operands() {
        assert_eq!(
            command(&["get", "1002580963"]),
            Command::Get {
                customer_id: CustomerId::new("1002580963")
            }
        );
        assert_eq!(
            command(&["list", "--external-id", "e1", "--customer-id", "c1"]),
            Command::List {
                external_id: Some(ExternalId::new("e1")),
                customer_id: Some(CustomerId::new("c1")),
            }
        );
        assert_eq!(
            command(&["upsert", "--external-id", "e1", "-"]),
            Command::Upsert {
                external_id: Some(ExternalId::new("e1")),
                source: Source::Stdin
            }
        );
        assert_eq!(
            command(&["update", "c1", "--file", "patch.json"]),
            Command::Update {
                customer_id: CustomerId::new("c1"),
                source: Source::File("patch.json".into())
            }
        );
    }

    #[test]
    fn global_options() {
        let Ok(Invocation::Run { global, .. }) = parse_str(&[
            "--base-url",
            "http://127.0.0.1:8080/api/v1",
            "--timeout",
            "2.5",
            "--retries",
            "0",
            "-v",
            "list",
        ]) else {
            panic!("did not parse")
        };
        assert_eq!(
            global,
            Global {
                target: Target {
                    environment: None,
                    base_url: Some("http://127.0.0.1:8080/api/v1".into())
                },
                timeout: Some(Duration::from_millis(2500)),
                retries: Some(0),
                verbose: true,
            }
        );
    }

    #[test]
    fn usage_errors_say_what_is_wrong() {
        for (args, expected) in [
            (&[][..], "no command given (try --help)"),
            (&["fetch"], "unknown command \"fetch\" (try --help)"),
            (&["get"], "get needs a CUSTOMER_ID"),
            (&["get", "a", "b"], "unexpected argument \"b\""),
            (
                &["upsert"],
                "upsert needs a body: --file PATH, or - for stdin",
            ),
            (
                &["upsert", "-", "--file", "x"],
                "give the body once: --file PATH or -",
            ),
            (&["update", "-"], "update needs a CUSTOMER_ID"),
            (
                &["update", "c1"],
                "update needs a patch: --file PATH, or - for stdin",
            ),
            (
                &["--env", "staging", "list"],
                "--env must be sandbox or production, not \"staging\"",
            ),
            (
                &["--env", "sandbox", "--base-url", "http://x", "list"],
                "--env and --base-url name the server twice; give one",
            ),
            (
                &["--retries", "-1", "list"],
                "--retries takes a whole number of retries, not \"-1\"",
            ),
            (
                &["--timeout", "0", "list"],
                "--timeout takes a number of seconds from 0.001 to 86400, not \"0\"",
            ),
            (
                &["--timeout", "1e-10", "list"],
                "--timeout takes a number of seconds from 0.001 to 86400, not \"1e-10\"",
            ),
            (
                &["list", "--external-id", "a", "--external-id", "b"],
                "--external-id is given twice; give it once",
            ),
            (
                &["upsert", "--external-id", "", "-"],
                "--external-id needs a non-empty id",
            ),
            (
                &["list", "--customer-id", ""],
                "--customer-id needs a non-empty id",
            ),
            (
                &["list", "--access-key", "k"],
                "invalid option '--access-key'",
            ),
        ] {
            assert_eq!(parse_str(args), Err(expected.to_owned()), "{args:?}");
        }
    }

    #[test]
    fn help_anywhere() {
        for args in [&["--help"][..], &["-h"], &["help"], &["list", "--help"]] {
            assert_eq!(parse_str(args), Ok(Invocation::Help), "{args:?}");
        }
    }
}

#[cfg(test)]
mod help_tests {
    use super::HELP;

    #[test]
    fn the_defaults_in_the_help_are_the_clients() {
        // Flags left out fall through to the client's defaults; the help must say what they are.
        let timeout = trustly_customers::DEFAULT_TIMEOUT.as_secs();
        let retries = trustly_customers::RetryPolicy::default().retries();
        assert!(
            HELP.contains(&format!("after SECS seconds [default: {timeout}]")),
            "{HELP}"
        );
        assert!(HELP.contains(&format!("[default: {retries}]")), "{HELP}");
    }
}
