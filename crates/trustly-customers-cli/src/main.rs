//! `trustly-customers`: look up and fix customer records of Trustly's (North America) Customers
//! API from a terminal or a script. Run with `--help` for the commands and exit codes.

mod args;
mod commands;
mod connect;
mod exit;
mod input;
mod verbose;

use std::io::Write;
use std::process::ExitCode;

use args::Invocation;
use exit::{Exit, Failure};

fn main() -> ExitCode {
    let invocation = match args::parse(std::env::args_os().skip(1)) {
        Ok(invocation) => invocation,
        Err(message) => return fail(&Failure::usage(message)),
    };
    let (global, command) = match invocation {
        Invocation::Help => {
            print!("{}", args::HELP);
            return ExitCode::SUCCESS;
        }
        Invocation::Run { global, command } => (global, command),
    };
    if global.verbose {
        verbose::log_attempts_to_stderr();
    }
    let result = connect::client(&global, |name| std::env::var(name).ok()).and_then(|client| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Failure {
                exit: Exit::Transport,
                message: format!("cannot start the I/O runtime: {e}"),
            })?;
        runtime.block_on(commands::run(&client, command))
    });
    match result {
        Ok(value) => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not worth a panic; the exit code still says success.
            let _ = serde_json::to_writer_pretty(&mut stdout, &value);
            let _ = writeln!(stdout);
            ExitCode::SUCCESS
        }
        Err(failure) => fail(&failure),
    }
}

fn fail(failure: &Failure) -> ExitCode {
    eprintln!("trustly-customers: {failure}");
    failure.exit.code()
}
