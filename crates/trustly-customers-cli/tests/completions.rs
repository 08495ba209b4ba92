//! Completion, as a user gets it: each shell (bash, zsh, fish) runs the script that
//! `completions SHELL` prints, on a command line, and offers every option and value of each
//! command, as the command tree declares them.
//!
//! A shell that is not installed is skipped with a loud message; under CI (`CI` set) it fails
//! instead: `.ci/shells.sh`, run by `.ci/run`, installs them.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_trustly-customers");

/// The shell `name`, if installed; skipped loudly when not, but under CI.
fn shell(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{name} is not installed: under CI it must be (.ci/shells.sh installs it)"
        );
        eprintln!(
            "\n!!! SKIPPED: the {name} completion test: {name} is not installed \
             (.ci/shells.sh installs it) !!!\n"
        );
    }
    found
}

/// The registration script the binary prints for `shell`, in a file.
fn script(shell: &str) -> PathBuf {
    let out = Command::new(BIN)
        .args(["completions", shell])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("completion-{}.{shell}", std::process::id()));
    std::fs::write(&path, out.stdout).unwrap();
    path
}

/// What `shell` offers at the end of the command line `words` (the last one being completed,
/// maybe empty), without descriptions.
fn complete(shell: &str, program: &PathBuf, script: &PathBuf, words: &[&str]) -> BTreeSet<String> {
    let mut command = Command::new(program);
    match shell {
        // The function `complete -p` names, called as bash's programmable completion calls
        // it, with COMP_WORDS and COMP_CWORD set.
        "bash" => command.args([
            "--norc",
            "--noprofile",
            "-c",
            r#"source "$0"
               f=$(complete -p trustly-customers | sed 's/.* -F \([^ ]*\) .*/\1/')
               COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
               COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMP_TYPE=9
               "$f" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
               printf '%s\n' "${COMPREPLY[@]}""#,
        ]),
        // fish's own completion of a command line.
        "fish" => command.args([
            "--no-config",
            "-c",
            r#"source $argv[1]; complete --do-complete (string join ' ' -- $argv[2..])"#,
        ]),
        // The function the script gives `compdef`, called with zsh's `words` and `CURRENT`;
        // `_describe` (the completion system's, which adds to the menu) prints instead.
        "zsh" => command.args([
            "-f",
            "-c",
            r#"compdef() { f=$1 }
               _describe() { print -rl -- "${(@P)3}" }
               source "$0"
               words=("$@"); CURRENT=$#words
               "$f""#,
        ]),
        _ => unreachable!("{shell}"),
    };
    if shell == "fish" {
        command.arg("--").arg(script);
    } else {
        command.arg(script);
    }
    let out = command.args(words).output().unwrap();
    assert!(
        out.status.success(),
        "{shell} {words:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        // fish: "value<TAB>description"; zsh: "value:description".
        .map(|l| l.split(['\t', ':']).next().unwrap().to_owned())
        .collect()
}

/// Every long option a command offers, as the tree declares it (hidden ones aside), and
/// `--help`.
fn options_of(command: &clap::Command) -> BTreeSet<String> {
    command
        .get_arguments()
        .filter(|a| !a.is_hide_set())
        .filter_map(|a| a.get_long())
        .map(|l| format!("--{l}"))
        .chain(["--help".to_owned()])
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn every_shell_completes_every_commands_options_and_values() {
    let mut tree = trustly_customers_cli::command();
    tree.build();
    let commands: Vec<String> = tree
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    assert!(commands.len() >= 7, "{commands:?}");
    let mut ran = 0;
    for name in ["bash", "zsh", "fish"] {
        let Some(program) = shell(name) else { continue };
        ran += 1;
        let script = script(name);
        let offers = |words: &[&str]| complete(name, &program, &script, words);

        // The commands, and the top level's options.
        let top = offers(&["trustly-customers", ""]);
        for command in &commands {
            assert!(top.contains(command), "{name}: {command} not in {top:?}");
        }
        assert_eq!(
            offers(&["trustly-customers", "--"]),
            options_of(&tree)
                .into_iter()
                .chain(["--version".into()])
                .collect(),
            "{name}: the top level's options"
        );
        // Each command's options, past the first word (bash stopped there).
        for command in tree.get_subcommands() {
            let command_name = command.get_name();
            let expected = options_of(command);
            assert_eq!(
                offers(&["trustly-customers", command_name, "--"]),
                expected,
                "{name}: the options of {command_name}"
            );
        }
        // Values: of an option, before or after the command, and of an argument.
        let environments = set(trustly_customers::Environment::NAMES);
        assert_eq!(
            offers(&["trustly-customers", "--env", ""]),
            environments,
            "{name}"
        );
        assert_eq!(
            offers(&["trustly-customers", "list", "--env", ""]),
            environments,
            "{name}"
        );
        let shells = offers(&["trustly-customers", "completions", ""]);
        for shell in ["bash", "zsh", "fish"] {
            assert!(shells.contains(shell), "{name}: {shell} not in {shells:?}");
        }
        let helps = offers(&["trustly-customers", "help", ""]);
        for command in &commands {
            assert!(helps.contains(command), "{name}: help {command}: {helps:?}");
        }
        // A prefix narrows.
        assert_eq!(
            offers(&["trustly-customers", "list", "--ex"]),
            set(&["--external-id"]),
            "{name}"
        );
        let _ = std::fs::remove_file(&script);
    }
    eprintln!("completion tested in {ran} of 3 shells");
}

#[test]
fn the_script_calls_the_binary_it_came_from() {
    // The shell runs the program as it was run to print the script: here, by its path.
    let bash = std::fs::read_to_string(script("bash")).unwrap();
    assert!(bash.contains(&format!("\"{BIN}\" --")), "{bash}");
    // Registered for the command's name, hyphen and all, through the variable named for it.
    assert!(
        bash.contains("_clap_complete_trustly_customers trustly-customers\n"),
        "{bash}"
    );
    assert!(
        bash.contains("TRUSTLY_CUSTOMERS_COMPLETE=\"bash\""),
        "{bash}"
    );
}
