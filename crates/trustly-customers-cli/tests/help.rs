//! The help texts as a user reads them: every `--help` exits 0, and shows only what does
//! something for its command.

mod common;

use common::*;

/// The shared options, which do something only for a command that sends requests.
const SHARED: [&str; 5] = ["--env", "--base-url", "--timeout", "--retries", "--verbose"];

#[tokio::test]
async fn help_of_help_exits_0_and_help_of_a_command_is_its_help() {
    let help = run_with(&["help", "--help"], None, None).await;
    assert_eq!(help.code, 0, "{}", help.stderr);
    assert!(
        help.stdout
            .contains("Usage: trustly-customers help [COMMAND]"),
        "{}",
        help.stdout
    );
    for command in ["get", "list", "upsert", "update", "replace", "completions"] {
        let via_help = run_with(&["help", command], None, None).await;
        let via_flag = run_with(&[command, "--help"], None, None).await;
        assert_eq!((via_help.code, via_flag.code), (0, 0), "{command}");
        assert_eq!(via_help.stdout, via_flag.stdout, "{command}");
    }
    let top = run_with(&["help"], None, None).await;
    assert_eq!(top.code, 0);
    assert_eq!(top.stdout, run_with(&["--help"], None, None).await.stdout);
    run_with(&["help", "fetch"], None, None)
        .await
        .fails(2, "invalid value 'fetch'");
}

#[tokio::test]
async fn completions_and_help_list_none_of_the_options_they_ignore() {
    for command in ["completions", "help"] {
        let run = run_with(&[command, "--help"], None, None).await;
        assert_eq!(run.code, 0, "{}", run.stderr);
        for option in SHARED {
            assert!(
                !run.stdout.contains(option),
                "{command}: {option}: {}",
                run.stdout
            );
        }
    }
    // A command that sends requests lists them all.
    let get = run_with(&["get", "--help"], None, None).await;
    for option in SHARED {
        assert!(get.stdout.contains(option), "get: {option}: {}", get.stdout);
    }
    // Still accepted where they do nothing, as before: a script that passes them everywhere
    // keeps working.
    let script = run_with(
        &["--retries", "1", "completions", "bash", "--env", "sandbox"],
        None,
        None,
    )
    .await;
    assert_eq!(script.code, 0, "{}", script.stderr);
}

#[tokio::test]
async fn the_stdin_argument_says_what_it_is_once() {
    for command in ["upsert", "update", "replace"] {
        let run = run_with(&[command, "--help"], None, None).await;
        assert_eq!(run.code, 0);
        assert!(
            run.stdout
                .contains("[-]\n          Read the JSON body from standard input"),
            "{}",
            run.stdout
        );
        assert!(
            !run.stdout.contains("possible values: -"),
            "{command}: {}",
            run.stdout
        );
    }
}
