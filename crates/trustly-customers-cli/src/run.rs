//! Runs a parsed command that sends requests: the shared options, the client, `-v`, then the
//! command's operation (or `update`), returning what to print, or the failure with the
//! client's credentials removed from it.

use clap::ArgMatches;
use serde_json::Value;

use crate::exit::{Exit, Failure};
use crate::options::Global;
use crate::{connect, generated, update, verbose};

/// Runs the command `name`, whose arguments are `args`.
pub(crate) fn command(name: &str, args: &ArgMatches) -> Result<Value, Failure> {
    let global = Global::from_matches(args).map_err(Failure::usage)?;
    let (client, server) = connect::client(&global, |name| std::env::var(name).ok())?;
    // Once the client is built (which logs nothing): its redactor scrubs every log line.
    if global.verbose {
        verbose::log_attempts_to_stderr(client.redactor().clone());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Failure::new(
                Exit::Transport,
                format!("cannot start the I/O runtime: {e}"),
            )
        })?;
    runtime
        .block_on(async {
            match name {
                update::NAME => update::run(&client, args).await,
                _ => generated::run(&client, name, args).await,
            }
        })
        .map_err(|failure| {
            failure
                .in_context(name, client.base_url(), server)
                .redacted(client.redactor())
        })
}
