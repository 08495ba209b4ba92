//! The command tree: the program's name and help, the options every command shares, one
//! command per operation of the spec (`generated.rs`), `update` (built on one of them), and
//! `completions`.

use clap::Command;

use crate::options::NAME;
use crate::{completions, generated, help, options, properties, update};

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
  2  usage error or invalid input (nothing was sent), or a server URL the API is not under
  3  the customer does not exist (and nothing else)
  4  authentication refused
  5  request rejected (any other 4xx)
  6  server error or unavailable (after retries), or an undecodable response
  7  timeout or transport failure";

/// The whole command tree, as the binary parses its arguments.
pub fn command() -> Command {
    let operations: Vec<Command> = generated::commands()
        .into_iter()
        .map(properties::listed)
        .collect();
    let update = update::command(&operations);
    let mut names: Vec<String> = operations.iter().map(|c| c.get_name().to_owned()).collect();
    names.extend([update::NAME, completions::NAME, help::NAME].map(String::from));
    let help = help::command(&names);
    Command::new(NAME)
        .version(env!("CARGO_PKG_VERSION"))
        .about("Look up and fix customer records in Trustly's (North America) Customers API.")
        .after_help(AFTER_HELP)
        .subcommand_required(true)
        .disable_help_subcommand(true)
        .args(options::shared())
        .subcommands(operations)
        .subcommand(update)
        .subcommand(completions::command())
        .subcommand(help)
}

#[cfg(test)]
mod tests {
    use clap::ArgMatches;

    use super::*;
    use crate::exit::{Exit, Failure};

    fn parse(args: &[&str]) -> Result<ArgMatches, clap::Error> {
        command().try_get_matches_from(std::iter::once(NAME).chain(args.iter().copied()))
    }

    #[test]
    fn the_tree_is_consistent() {
        command().debug_assert();
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
            assert_eq!(error.exit_code(), 2, "{args:?}");
            let failure = Failure::from(error);
            let line = failure.message;
            assert!(!line.contains('\n'), "{line}");
            assert!(line.contains(expected), "{args:?}: {line}");
            assert_eq!(failure.exit, Exit::Usage, "{args:?}");
        }
    }
}
