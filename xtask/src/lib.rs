//! Project automation for the trustly-customers workspace, run as `cargo xtask <command>`.
//!
//! The binary is a thin shell around [`run`], so the workspace tests drive exactly what a user
//! runs, exit codes included.

pub mod codegen;
pub mod deviations;
pub mod emit;
pub mod generate;
pub mod lint;
pub mod output;
pub mod passes;
pub mod spec;

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: `--check` found the generated file stale.
pub const EXIT_STALE: u8 = 1;
/// Exit code: the spec is invalid, or the command line is.
pub const EXIT_INVALID: u8 = 2;
/// Exit code: the generated file could not be read or written.
pub const EXIT_IO: u8 = 3;

/// The text of `cargo xtask --help`.
pub const HELP: &str = "\
Project automation for trustly-customers.

Usage: cargo xtask <COMMAND> [OPTIONS]

Commands:
  codegen   Regenerate the code from the OpenAPI spec: read openapi/customers.yaml, lint it,
            generate the client with progenitor, carry the spec's conventions into it (x-pii,
            nullable, required, readOnly), emit the ergonomic client's operations and the
            command line's commands, format with prettyplease, and write (only the files whose
            contents change):
              crates/trustly-customers-api/src/generated.rs
              crates/trustly-customers/src/generated.rs
              crates/trustly-customers-cli/src/generated.rs
  help      Print this help.

Options for codegen:
  --check          Change nothing. Exit 1 and print a unified diff if a checked-in file is not
                   what the spec generates now.
  --spec PATH      Read this spec instead of openapi/customers.yaml.
  --out-dir DIR    Write (or check) the files under DIR instead of the workspace root.
  -q, --quiet      Print nothing on success.
  -h, --help       Print this help.

Exit codes:
  0  success (with --check: the generated files are fresh)
  1  --check: a generated file is stale
  2  the spec is invalid (YAML, OpenAPI version, lint, generator failure) or the command line is
  3  a generated file could not be read or written

After a change to the spec: cargo xtask codegen, then cargo insta review for the surface snapshot.
";

enum Command {
    Help,
    Codegen {
        options: codegen::Options,
        quiet: bool,
    },
}

fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    match parser.next().map_err(|e| e.to_string())? {
        None | Some(Short('h') | Long("help")) => return Ok(Command::Help),
        Some(Value(v)) if v == "help" => return Ok(Command::Help),
        Some(Value(v)) if v == "codegen" => {}
        Some(Value(v)) => return Err(format!("unknown command {:?}", v.to_string_lossy())),
        Some(other) => return Err(format!("expected a command, found {}", describe(other))),
    }
    let mut options = codegen::Options::project_default();
    let mut quiet = false;
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("check") => options.check = true,
            Long("spec") => {
                options.spec = PathBuf::from(parser.value().map_err(|e| e.to_string())?)
            }
            Long("out-dir") => {
                options.out_dir = PathBuf::from(parser.value().map_err(|e| e.to_string())?)
            }
            Short('q') | Long("quiet") => quiet = true,
            Short('h') | Long("help") => return Ok(Command::Help),
            other => return Err(format!("codegen: unexpected {}", describe(other))),
        }
    }
    Ok(Command::Codegen { options, quiet })
}

fn describe(arg: lexopt::Arg<'_>) -> String {
    match arg {
        lexopt::Arg::Short(c) => format!("option -{c}"),
        lexopt::Arg::Long(l) => format!("option --{l}"),
        lexopt::Arg::Value(v) => format!("argument {:?}", v.to_string_lossy()),
    }
}

/// Runs the command line `args` (without the program name), printing to `out` and `err`.
/// Returns the process exit code.
pub fn run(
    args: impl IntoIterator<Item = OsString>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let command = match parse_args(args) {
        Ok(command) => command,
        Err(message) => {
            let _ = writeln!(
                err,
                "error: {message}\n\nRun `cargo xtask --help` for usage."
            );
            return EXIT_INVALID;
        }
    };
    match command {
        Command::Help => {
            let _ = write!(out, "{HELP}");
            EXIT_OK
        }
        Command::Codegen { options, quiet } => match codegen::run(&options) {
            Ok(report) => {
                if !quiet {
                    let _ = writeln!(out, "{}", codegen::summary(&options, &report));
                }
                EXIT_OK
            }
            Err(failure) => {
                match &failure {
                    codegen::Failure::Stale(diff) => {
                        let _ = write!(err, "{diff}");
                        let _ = writeln!(
                            err,
                            "error: the generated code is stale: run `cargo xtask codegen` and commit the result"
                        );
                    }
                    codegen::Failure::InvalidSpec(lines) => {
                        for line in lines {
                            let _ = writeln!(err, "error: {line}");
                        }
                        let _ = writeln!(
                            err,
                            "error: {} is not valid; nothing was written",
                            codegen::display_path(&options.spec)
                        );
                    }
                    codegen::Failure::Io(message) => {
                        let _ = writeln!(err, "error: {message}");
                    }
                }
                failure.exit_code()
            }
        },
    }
}
