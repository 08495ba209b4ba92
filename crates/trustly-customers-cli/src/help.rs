//! `help [COMMAND]`: the help of the program or of one command, as `--help` prints it.
//!
//! Clap's own `help` command refuses options, so `help --help` was a usage error (exit 2);
//! this one is an ordinary command, whose `--help` is its own help.

use clap::{Arg, ArgMatches, Command};

use crate::options;

/// The command's name.
pub(crate) const NAME: &str = "help";

/// `help [COMMAND]`, offering the names of `commands` (and completing them).
pub(crate) fn command(commands: &[String]) -> Command {
    let names = commands.to_vec();
    Command::new(NAME)
        .about("Print the help of the program, or of a command")
        .args(options::ignored())
        .arg(
            Arg::new("command")
                .value_name("COMMAND")
                .help("The command whose help to print")
                .value_parser(clap::builder::PossibleValuesParser::new(names)),
        )
}

/// Prints the help of the command `args` names in `tree`, or of `tree` itself: what `--help`
/// after it prints.
pub(crate) fn print(args: &ArgMatches, tree: Command) {
    let name = tree.get_name().to_owned();
    let command = args.get_one::<String>("command");
    let line = std::iter::once(name.as_str())
        .chain(command.map(String::as_str))
        .chain(["--help"]);
    if let Err(help) = tree.try_get_matches_from(line) {
        // A closed pipe (`| head`) is not worth a panic.
        let _ = help.print();
    }
}
