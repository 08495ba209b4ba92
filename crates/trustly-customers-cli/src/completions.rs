//! Shell completion: `completions SHELL` prints the script that registers the completion of
//! this command with a shell; at each `<TAB>` the shell then runs the binary with
//! `TRUSTLY_CUSTOMERS_COMPLETE=SHELL`, and [`complete_if_asked`] answers from the command tree.
//!
//! Completion is computed by the binary (clap_complete's `CompleteEnv`) rather than written out
//! as a static script: clap_complete's static bash script for a name with a hyphen never
//! completes past the first word (its loop names the state `trustly__customers__subcmd__list`,
//! its case labels `trustly__subcmd__customers__subcmd__list`:
//! <https://github.com/clap-rs/clap/issues/6421>, open for clap_complete 4.6.12), and its fish
//! script completes no positional value (`completions <TAB>`). Dynamic completion has every
//! shell complete every command's options and values alike.

use std::ffi::OsString;
use std::io::Write;

use clap::{Arg, ArgMatches, Command};
use clap_complete::env::{CompleteEnv, Shells};

use crate::options;

/// The command's name.
pub(crate) const NAME: &str = "completions";

/// The variable that asks the binary for completions (set by the registered script). Named
/// for this program rather than clap's default `COMPLETE`, which a user's environment may
/// hold for something else (the binary would then answer as if asked to complete).
const VARIABLE: &str = "TRUSTLY_CUSTOMERS_COMPLETE";

/// `completions <SHELL>`.
pub(crate) fn command() -> Command {
    let shells: Vec<&'static str> = Shells::builtins().names().collect();
    Command::new(NAME)
        .about("Print the script that registers completion for a shell")
        .long_about(
            "Print the script that registers completion for a shell\n\n\
             Load it in the shell's start-up file, for example:\n  \
             bash: source <(trustly-customers completions bash)\n  \
             zsh:  source <(trustly-customers completions zsh)\n  \
             fish: trustly-customers completions fish | source\n\n\
             At each <TAB> the shell runs this program (found as it was run here) to complete \
             the command line.",
        )
        .args(options::ignored())
        .arg(
            Arg::new("shell")
                .value_name("SHELL")
                .required(true)
                .value_parser(shells),
        )
}

/// Answers a shell's completion request and exits, when the binary was run for one (with
/// `COMPLETE=SHELL`); else returns.
pub(crate) fn complete_if_asked(tree: fn() -> Command) {
    CompleteEnv::with_factory(tree).var(VARIABLE).complete();
}

/// Prints the registration script for the shell `args` names, on stdout: it calls this binary,
/// by the name or path it was run by, for completions.
pub(crate) fn print(args: &ArgMatches, tree: &Command) -> std::io::Result<()> {
    let shell = args.get_one::<String>("shell").expect("clap requires it");
    let completer = completer(std::env::args_os().next(), std::env::current_dir().ok());
    let name = tree.get_name();
    let mut out = Vec::new();
    Shells::builtins()
        .completer(shell)
        .expect("clap checked the name")
        .write_registration(VARIABLE, name, name, &completer, &mut out)?;
    std::io::stdout().lock().write_all(&out)
}

/// The program the shell runs for completions: this one, as it was run (a bare name is looked
/// up in `PATH` by the shell, a relative path made absolute).
fn completer(argv0: Option<OsString>, current_dir: Option<std::path::PathBuf>) -> String {
    let program = std::path::PathBuf::from(argv0.unwrap_or_else(|| crate::options::NAME.into()));
    let program = match current_dir {
        Some(dir) if program.components().count() > 1 && program.is_relative() => dir.join(program),
        _ => program,
    };
    program.to_string_lossy().into_owned()
}
