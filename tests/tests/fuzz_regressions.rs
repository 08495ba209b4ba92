//! What the fuzz targets found stays fixed: every input kept in `fuzz/regressions/<target>/`
//! is replayed through that target's own harness and assertions (no panic, no personal value
//! or access key in what the code says; see fuzz/README.md). The harnesses are the crate
//! `trustly-customers-fuzz-harness` (fuzz/harness), which the fuzz targets call too: a stable
//! library, so the replay needs neither a nightly toolchain nor cargo-fuzz. The committed
//! corpora are replayed by `.ci/fuzz.sh`.

use std::path::PathBuf;

use trustly_customers_fuzz_harness as harness;
use trustly_customers_fuzz_harness::pii::{self, Personal};

/// Every file of `fuzz/regressions/<target>/`, in name order.
fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = workspace_tests::root()
        .join("fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .map(|e| e.expect("a directory entry").path())
            .collect(),
        // A target that has found nothing yet has no directory.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => panic!("{}: {e}", dir.display()),
    };
    files.sort();
    files
}

/// Runs every input of `target` through `run`, and names each one that fails.
fn replay(target: &str, run: fn(&[u8])) {
    let mut failed = Vec::new();
    for path in inputs(target) {
        let data = std::fs::read(&path).expect("the input is readable");
        if std::panic::catch_unwind(|| run(&data)).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "these inputs fail again (each one's panic is printed above):\n{}",
        failed.join("\n")
    );
}

#[test]
fn client_response() {
    replay("client_response", harness::client_response::run);
}

#[test]
fn schema_check() {
    replay("schema_check", harness::schema_check::run);
}

#[test]
fn cli_input() {
    replay("cli_input", harness::cli_input::run);
}

#[test]
fn mock_request() {
    replay("mock_request", harness::mock_request::run);
}

#[test]
fn data_file() {
    replay("data_file", harness::data_file::run);
}

// The assertion itself: it must catch a shown value, and only a shown one.

#[test]
fn the_personal_names_are_the_specs() {
    let doc = trustly_customers_spec::document();
    let customer = trustly_customers_spec::facts::component(doc, "Customer").expect("Customer");
    let marked: Vec<&str> = trustly_customers_spec::facts::properties(doc, customer)
        .into_iter()
        .filter(|p| p.pii)
        .map(|p| p.name)
        .collect();
    assert!(!marked.is_empty());
    for name in marked {
        assert!(pii::personal_names().contains(name), "{name}");
    }
}

#[test]
fn a_shown_value_is_caught_at_any_depth() {
    for input in [
        &br#"{"name":"Joe Secret"}"#[..],
        br#"{"customer":{"address":{"zip":"94063"}}}"#,
        br#"{"customData":{"any":{"thing":["deep value"]}}}"#,
        br#"{"customer":{"name":"truncated at the val"#,
        // Cut off after a backslash: the scan must still end.
        br#"{"name":"Joe Secret\"#,
        br#"{"phone":16505551212}"#,
    ] {
        let mut personal = Personal::new();
        personal.json(input, 0..input.len(), false);
        assert!(!personal.is_empty(), "{}", String::from_utf8_lossy(input));
        // A text that quotes the whole input shows every value in it.
        let echo = |data: &[u8]| vec![format!("error in {}", String::from_utf8_lossy(data))];
        let caught = std::panic::catch_unwind(|| {
            personal.assert_not_shown(input, &echo(input), echo);
        });
        assert!(caught.is_err(), "{}", String::from_utf8_lossy(input));
    }
}

#[test]
fn a_value_that_is_also_a_word_of_the_text_is_not_reported() {
    // "string" and "200" are personal here, and the texts hold them, but not because of the
    // input: the text stays the same when they change.
    let input = br#"{"name":"string","email":"200"}"#;
    let mut personal = Personal::new();
    personal.json(input, 0..input.len(), false);
    let fixed = |_: &[u8]| vec!["HTTP 200: expected a string".to_owned()];
    personal.assert_not_shown(input, &fixed(input), fixed);
    // Numbers that read as 1 and 0 are too short to be looked for; and where the text does
    // show the digits the disguise changes (`200` to `300`), they are somewhere else than
    // where the value was: "300 bytes", not "HTTP 200".
    let input = br#"{"phone":1e0,"zip":0e+211,"taxId":"200"}"#;
    let mut personal = Personal::new();
    personal.json(input, 0..input.len(), false);
    let coincidence = |_: &[u8]| vec!["HTTP 200 at line 1 column 1.0; 300 bytes".to_owned()];
    personal.assert_not_shown(input, &coincidence(input), coincidence);
    // A name spelled like a personal value is a name, not the value.
    let input = br#"{"name":"Joe","Joe":1}"#;
    let mut personal = Personal::new();
    personal.json(input, 0..input.len(), false);
    let names = |_: &[u8]| vec!["the property `Joe` is not declared".to_owned()];
    personal.assert_not_shown(input, &names(input), names);
}

#[test]
fn personal_query_parameters_are_found_and_others_are_not() {
    let input = b"customerId=1002580963&externalId=joe%40example.com";
    let mut personal = Personal::new();
    personal.query(input, 0..input.len());
    assert_eq!(personal.values(input), ["joe@example.com"]);
}
