//! Project automation for the trustly-customers workspace, run as `cargo xtask <command>`.
//!
//! The binary is a thin shell around [`run`], so the workspace tests drive exactly what a user
//! runs, exit codes included.

pub mod codegen;
pub mod deviations;
pub mod diff;
pub mod drift;
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
            generate the client with progenitor, carry the spec's conventions (listed at the
            top of the spec) into it, emit the ergonomic client's operations, the command
            line's commands and the emulator's property and parameter names, format with
            prettyplease, and write (only the files whose contents change):
              crates/trustly-customers-api/src/generated.rs
              crates/trustly-customers/src/generated.rs
              crates/trustly-customers-cli/src/generated.rs
              crates/trustly-customers-mock/src/generated.rs
  diff      Compare the spec at a git revision (default HEAD) with the spec in the working
            tree: every change on the wire, classed as breaking for clients, breaking for the
            server side, additive or documentation only, each with its reason; and what it does
            to each crate's public Rust API, with the version bump it needs. Nothing is built.
  drift     Compare the spec with Trustly's own published OpenAPI document (FILE: YAML or
            JSON, OpenAPI 3.0, 3.1 or 3.2): every structural difference (operations,
            parameters, request and response bodies property by property, statuses, media
            types, security; not operationIds, descriptions, summaries, titles, tags or
            examples), each recorded by a decision of the spec (one of its conventions, where
            the difference is, naming what Trustly's document says and why the spec differs)
            or new; a decision no difference matches is stale.
  help      Print this help.

Options for codegen:
  --check          Change nothing. Exit 1 and print a unified diff if a checked-in file is not
                   what the spec generates now.
  --spec PATH      Read this spec instead of openapi/customers.yaml.
  --out-dir DIR    Write (or check) the files under DIR instead of the workspace root.
  -q, --quiet      Print nothing on success.
  -h, --help       Print this help.

Usage of diff: cargo xtask diff [BASE] [OPTIONS]
  BASE                   The git revision of the old spec (default HEAD).
  --from PATH            Read the old spec from this file instead of a revision.
  --spec PATH            The new spec (default openapi/customers.yaml).
  --format FORMAT        markdown (default) or json: the same content, for tools.
  --require-changelog    Exit 1 only when something breaking is not recorded in the
                         changelog: a new entry that says **Breaking** under its first
                         `## [...]` section (the next version).
  --changelog PATH       The changelog (default CHANGELOG.md).

Usage of drift: cargo xtask drift FILE [OPTIONS]
  FILE                   Trustly's published OpenAPI document.
  --spec PATH            The spec (default openapi/customers.yaml).
  --format FORMAT        markdown (default, grouped by operation and schema) or json:
                         {\"differences\": [{\"status\", \"kind\", \"ours\", \"theirs\",
                         \"reason\", ...}]}.

Exit codes of codegen:
  0  success (with --check: the generated files are fresh)
  1  --check: a generated file is stale
  2  the spec is invalid (YAML, OpenAPI version, lint, generator failure) or the command line is
  3  a generated file could not be read or written

Exit codes of diff:
  0  nothing is breaking (with --require-changelog: or it is recorded)
  1  something is breaking, on the wire or in a crate's API (with --require-changelog: and it
     is not recorded)
  2  a spec is invalid, the revision or a file cannot be read, or the command line is invalid

Exit codes of drift:
  0  every difference is recorded by a decision, and every decision matches a difference
  1  a difference is new, or a decision is stale
  2  a document cannot be read or is not OpenAPI 3.0, 3.1 or 3.2 (with file:line:column), or
     the command line is invalid

After a change to the spec: cargo xtask codegen, then cargo insta review for the surface snapshot.
";

enum Command {
    Help,
    Codegen {
        options: codegen::Options,
        quiet: bool,
    },
    Diff {
        options: diff::Options,
        quiet: bool,
    },
    Drift {
        options: drift::Options,
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
        Some(Value(v)) if v == "diff" => return parse_diff_args(parser),
        Some(Value(v)) if v == "drift" => return parse_drift_args(parser),
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

fn parse_diff_args(mut parser: lexopt::Parser) -> Result<Command, String> {
    use lexopt::prelude::*;
    let mut options = diff::Options::project_default();
    let mut quiet = false;
    let mut base = None;
    let value = |parser: &mut lexopt::Parser| -> Result<OsString, String> {
        parser.value().map_err(|e| e.to_string())
    };
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Value(v) if base.is_none() => {
                let v = v.to_string_lossy().into_owned();
                if v.starts_with('-') || v.is_empty() {
                    return Err(format!("diff: {v:?} is not a revision"));
                }
                base = Some(v);
            }
            Long("from") => options.from = Some(PathBuf::from(value(&mut parser)?)),
            Long("spec") => options.spec = PathBuf::from(value(&mut parser)?),
            Long("changelog") => options.changelog = PathBuf::from(value(&mut parser)?),
            Long("require-changelog") => options.require_changelog = true,
            Long("format") => {
                let format = value(&mut parser)?;
                options.json = match format.to_str() {
                    Some("json") => true,
                    Some("markdown") => false,
                    _ => {
                        return Err(format!(
                            "diff: --format is markdown or json, not {:?}",
                            format.to_string_lossy()
                        ));
                    }
                }
            }
            Short('q') | Long("quiet") => quiet = true,
            Short('h') | Long("help") => return Ok(Command::Help),
            other => return Err(format!("diff: unexpected {}", describe(other))),
        }
    }
    if let Some(base) = base {
        if options.from.is_some() {
            return Err("diff: give either a revision or --from, not both".to_owned());
        }
        options.base = base;
    }
    Ok(Command::Diff { options, quiet })
}

fn parse_drift_args(mut parser: lexopt::Parser) -> Result<Command, String> {
    use lexopt::prelude::*;
    let mut theirs = None;
    let mut spec = codegen::workspace_root().join("openapi/customers.yaml");
    let mut json = false;
    let mut quiet = false;
    let value = |parser: &mut lexopt::Parser| -> Result<OsString, String> {
        parser.value().map_err(|e| e.to_string())
    };
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Value(v) if theirs.is_none() => theirs = Some(PathBuf::from(v)),
            Long("spec") => spec = PathBuf::from(value(&mut parser)?),
            Long("format") => {
                let format = value(&mut parser)?;
                json = match format.to_str() {
                    Some("json") => true,
                    Some("md" | "markdown") => false,
                    _ => {
                        return Err(format!(
                            "drift: --format is md or json, not {:?}",
                            format.to_string_lossy()
                        ));
                    }
                }
            }
            Short('q') | Long("quiet") => quiet = true,
            Short('h') | Long("help") => return Ok(Command::Help),
            other => return Err(format!("drift: unexpected {}", describe(other))),
        }
    }
    let Some(theirs) = theirs else {
        return Err("drift: give Trustly's document: cargo xtask drift FILE".to_owned());
    };
    Ok(Command::Drift {
        options: drift::Options { theirs, spec, json },
        quiet,
    })
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
        Command::Diff { options, quiet } => run_diff(&options, quiet, out, err),
        Command::Drift { options, quiet } => run_drift(&options, quiet, out, err),
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

fn run_diff(options: &diff::Options, quiet: bool, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match diff::run(options) {
        Ok((report, took)) => {
            if options.json {
                let text = serde_json::to_string_pretty(&report).expect("the report serialises");
                let _ = writeln!(out, "{text}");
            } else {
                let _ = write!(out, "{}", spec_diff::report::markdown(&report));
            }
            if !quiet {
                let _ = writeln!(
                    err,
                    "diff: {} -> {}: {} wire change(s), version {} -> {}, in {:.0} ms",
                    report.base,
                    report.head,
                    report.wire.changes.len(),
                    report.version.current,
                    report.version.next,
                    took.as_secs_f64() * 1000.0
                );
            }
            diff::exit_code(&report)
        }
        Err(diff::DiffError::InvalidSpec(lines)) => {
            for line in lines {
                let _ = writeln!(err, "error: {line}");
            }
            let _ = writeln!(err, "error: a spec is not valid; nothing was compared");
            diff::EXIT_INVALID
        }
        Err(diff::DiffError::Read(message)) => {
            let _ = writeln!(err, "error: {message}");
            diff::EXIT_INVALID
        }
    }
}

fn run_drift(
    options: &drift::Options,
    quiet: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    match drift::run(options) {
        Ok((report, took)) => {
            if options.json {
                let text = serde_json::to_string_pretty(&report).expect("the report serialises");
                let _ = writeln!(out, "{text}");
            } else {
                let _ = write!(out, "{}", spec_diff::drift::markdown::markdown(&report));
            }
            if !quiet {
                let _ = writeln!(
                    err,
                    "drift: {} against {}: {} new, {} stale decision(s), {} recorded, in {:.0} ms",
                    report.ours,
                    report.theirs,
                    report.new,
                    report.stale,
                    report.recorded,
                    took.as_secs_f64() * 1000.0
                );
            }
            drift::exit_code(&report)
        }
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            let _ = writeln!(err, "error: nothing was compared");
            drift::EXIT_INVALID
        }
    }
}
