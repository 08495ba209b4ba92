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

/// The lines of `command --help` that list the record's properties, after its header.
async fn property_lines(command: &str) -> Vec<String> {
    let run = run_with(&[command, "--help"], None, None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (_, table) = run
        .stdout
        .split_once("Properties of a Customer (from the API's spec")
        .unwrap_or_else(|| panic!("{command} --help lists no properties: {}", run.stdout));
    table.lines().skip(1).map(str::to_owned).collect()
}

#[tokio::test]
async fn the_commands_that_send_a_record_list_its_properties_from_the_spec() {
    // Each property of the spec's Customer, and of the records inside it (the address), with
    // what the spec says of it. Compared with the spec the binary embeds, read here on its
    // own: the table is made from it when the command is built.
    let doc = trustly_customers_spec::document();
    let customer = trustly_customers_spec::facts::component(doc, "Customer").unwrap();
    let properties = trustly_customers_spec::facts::properties(doc, customer);
    assert!(properties.len() >= 21, "{}", properties.len());
    for command in ["upsert", "replace", "update"] {
        let lines = property_lines(command).await;
        for property in &properties {
            let line = lines
                .iter()
                .find(|l| l.starts_with(&format!("  {} ", property.name)))
                .unwrap_or_else(|| panic!("{command}: no line for {}", property.name));
            for (flag, has) in [
                ("required", property.required),
                ("personal", property.pii),
                ("server-owned", property.read_only),
                ("clearable", property.nullable),
            ] {
                // In the flags column: followed by another flag, or the column's gap.
                let flagged = line.contains(&format!(" {flag},"))
                    || line.contains(&format!(" {flag}  "))
                    || line.ends_with(&format!(" {flag}"));
                assert_eq!(flagged, has, "{command}: {flag}: {line}");
            }
        }
        let address = lines
            .iter()
            .position(|l| l.starts_with("  address "))
            .expect("the address");
        for (offset, name) in ["address1", "address2", "city", "state", "zip", "country"]
            .iter()
            .enumerate()
        {
            assert!(
                lines[address + 1 + offset].starts_with(&format!("    {name} ")),
                "{command}: the address's {name}: {lines:?}"
            );
        }
        // Type, flags and the first sentence of the description.
        assert!(
            lines.iter().any(|l| l.starts_with("  email ")
                && l.contains(" string ")
                && l.contains("required, personal")
                && l.ends_with("Email address.")),
            "{lines:?}"
        );
        assert!(
            lines.iter().any(|l| l.starts_with("  createdAt ")
                && l.contains("integer (int64)")
                && l.contains("server-owned")),
            "{lines:?}"
        );
    }
    // A command that sends no record lists none.
    let get = run_with(&["get", "--help"], None, None).await;
    assert!(!get.stdout.contains("Properties of"), "{}", get.stdout);
}

#[tokio::test]
async fn the_help_says_exit_3_is_a_missing_customer_and_nothing_else() {
    let help = run_with(&["--help"], None, None).await;
    assert_eq!(help.code, 0);
    assert!(
        help.stdout
            .contains("\n  3  the customer does not exist (and nothing else)\n"),
        "{}",
        help.stdout
    );
    assert!(
        help.stdout.contains("or a server URL the API is not under"),
        "{}",
        help.stdout
    );
}
