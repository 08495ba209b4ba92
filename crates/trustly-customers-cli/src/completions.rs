//! `completions SHELL`: the completion script of the whole command tree, for a shell.

use clap::{Arg, ArgMatches, Command};
use clap_complete::Shell;

use crate::options;

/// The command's name.
pub(crate) const NAME: &str = "completions";

/// `completions <SHELL>`.
pub(crate) fn command() -> Command {
    Command::new(NAME)
        .about("Print a completion script for a shell")
        .args(options::ignored())
        .arg(
            Arg::new("shell")
                .value_name("SHELL")
                .required(true)
                .value_parser(clap::value_parser!(Shell)),
        )
}

/// Prints the completion script of `tree` for the shell `args` names, on stdout.
pub(crate) fn print(args: &ArgMatches, mut tree: Command) {
    let shell = *args.get_one::<Shell>("shell").expect("clap requires it");
    let name = tree.get_name().to_owned();
    clap_complete::generate(shell, &mut tree, name, &mut std::io::stdout());
}
