//! `cargo xtask diff` on the corpus in `tests/fixtures/spec-changes/`: each case is a JSON Patch
//! (RFC 6902, written in YAML) applied to `base.yaml`, with the wire classes and the Rust level
//! it must get. A case whose change needs something `base.yaml` lacks first (a `pattern` to
//! change, a list of values to shorten) also has a `before` patch: the diff then runs from
//! `base.yaml` with `before` to that with `before` and `patch`. The report of each is locked by a snapshot; the classes are also asserted, so a
//! snapshot accepted by mistake still fails.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn corpus() -> PathBuf {
    workspace_tests::root().join("tests/fixtures/spec-changes")
}

/// The fixture's declared verdict and the specs it describes, written to `dir/after.json` (and
/// `dir/before.json`, or `base.yaml` when it has no `before`).
struct Case {
    wire: Vec<String>,
    /// The Rust level; `None` for a case the pipeline refuses (`pipeline: refused`).
    rust: Option<String>,
    before: PathBuf,
    after: PathBuf,
}

fn case(path: &Path, dir: &Path) -> Case {
    let text = std::fs::read_to_string(path).expect("the case is readable");
    let case: Value = serde_saphyr::from_str(&text).expect("the case is YAML");
    let (old, new) = documents(path, &base());
    let before = if case.get("before").is_some() {
        let before = dir.join("before.json");
        std::fs::write(&before, serde_json::to_string_pretty(&old).unwrap()).unwrap();
        before
    } else {
        corpus().join("base.yaml")
    };
    let after = dir.join("after.json");
    std::fs::write(&after, serde_json::to_string_pretty(&new).unwrap()).unwrap();
    Case {
        before,
        wire: case["wire"]
            .as_array()
            .expect("wire: a list")
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect(),
        rust: if case["pipeline"] == "refused" {
            None
        } else {
            Some(case["rust"].as_str().expect("rust: a level").to_owned())
        },
        after,
    }
}

/// `base.yaml` as JSON.
fn base() -> Value {
    let text = std::fs::read_to_string(corpus().join("base.yaml")).expect("base.yaml");
    serde_saphyr::from_str(&text).expect("base.yaml is YAML")
}

/// The documents a case compares: `base` with its `before` patch, and that with its `patch`.
fn documents(path: &Path, base: &Value) -> (Value, Value) {
    let text = std::fs::read_to_string(path).expect("the case is readable");
    let case: Value = serde_saphyr::from_str(&text).expect("the case is YAML");
    let apply = |doc: &mut Value, key: &str| {
        for op in case[key].as_array().into_iter().flatten() {
            workspace_tests::json_patch::apply(doc, op)
                .unwrap_or_else(|e| panic!("{}: {key}: {e}", path.display()));
        }
    };
    let mut old = base.clone();
    apply(&mut old, "before");
    let mut new = old.clone();
    assert!(case["patch"].is_array(), "{}: a patch list", path.display());
    apply(&mut new, "patch");
    (old, new)
}

fn diff(after: &Path, format: &str) -> (u8, String, String) {
    diff_from(&corpus().join("base.yaml"), after, format)
}

fn diff_from(before: &Path, after: &Path, format: &str) -> (u8, String, String) {
    workspace_tests::xtask(&[
        "diff".as_ref(),
        "--from".as_ref(),
        before.as_os_str(),
        "--spec".as_ref(),
        after.as_os_str(),
        "--format".as_ref(),
        format.as_ref(),
    ])
}

#[test]
fn every_case_gets_its_classes_and_its_report() {
    insta::glob!("../fixtures/spec-changes/cases", "*.yaml", |path| {
        let dir = tempdir(path);
        let case = case(path, &dir);
        let Some(rust) = &case.rust else {
            insta::assert_snapshot!(refused(path, &case));
            std::fs::remove_dir_all(&dir).ok();
            return;
        };
        // What `cargo xtask diff` prints and exits with, from one comparison: the Markdown (the
        // snapshot) and the JSON (the classes asserted) are two renderings of one report.
        let mut options = xtask::diff::Options::project_default();
        options.from = Some(case.before.clone());
        options.spec = case.after.clone();
        let (report, _) =
            xtask::diff::run(&options).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        let code = xtask::diff::exit_code(&report);
        let markdown = spec_diff::report::markdown(&report)
            .replace(&case.after.display().to_string(), "after.json")
            .replace(&case.before.display().to_string(), "before.json");
        let report = serde_json::to_value(&report).expect("the report is JSON");
        let mut classes: Vec<String> = report["wire"]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["classes"].as_array().unwrap().clone())
            .map(|c| c.as_str().unwrap().to_owned())
            .collect();
        classes.sort();
        classes.dedup();
        let mut expected = case.wire.clone();
        expected.sort();
        assert_eq!(
            classes,
            expected,
            "{}: wire classes\n{markdown}",
            path.display()
        );
        // The crates whose API is generated: the client, the ergonomic crate, the command line.
        let order = ["none", "patch", "additive", "breaking"];
        let generated = report["crates"].as_array().unwrap()[..3]
            .iter()
            .map(|c| order.iter().position(|l| c["level"] == *l).unwrap())
            .max()
            .unwrap();
        assert_eq!(
            order[generated],
            rust,
            "{}: Rust level of the generated crates\n{markdown}",
            path.display()
        );
        let breaking = expected.iter().any(|c| c.starts_with("breaking")) || rust == "breaking";
        assert_eq!(code, u8::from(breaking), "{}: exit code", path.display());
        assert_eq!(report["breaking"], breaking);

        insta::assert_snapshot!(format!("exit {code}\n\n{markdown}"));
        std::fs::remove_dir_all(&dir).ok();
    });
}

/// A change the wire diff classes but the pipeline (the lint, or the generator) refuses, so that
/// `cargo xtask diff` stops at it (exit 2) before comparing: the wire diff is checked on its own,
/// and its changes are the snapshot.
fn refused(path: &Path, case: &Case) -> String {
    let (code, _, stderr) = diff_from(&case.before, &case.after, "markdown");
    assert_eq!(
        code,
        2,
        "{}: `pipeline: refused`, but: {stderr}",
        path.display()
    );
    let read = |p: &Path| -> Value {
        serde_saphyr::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let changes = spec_diff::wire::diff(&read(&case.before), &read(&case.after));
    let mut classes: Vec<String> = changes
        .iter()
        .flat_map(|c| c.classes.iter())
        .map(|c| {
            serde_json::to_value(c)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    classes.sort();
    classes.dedup();
    let mut expected = case.wire.clone();
    expected.sort();
    assert_eq!(classes, expected, "{}: wire classes", path.display());
    let lines: Vec<String> = changes
        .iter()
        .map(|c| {
            let classes: Vec<&str> = c.classes.iter().map(|c| c.label()).collect();
            format!(
                "{} | {} ({}) | {} | {}",
                classes.join(", "),
                c.location,
                c.pointer,
                c.change,
                c.why
            )
        })
        .collect();
    format!(
        "the pipeline refuses the changed spec (exit 2); the wire diff alone:\n\n{}\n",
        lines.join("\n")
    )
}

/// The rules are a table (`spec_diff::wire::rules::RULES`), and the corpus tests each row: every
/// row is produced by at least one case, and every change a case produces is a row of the table
/// with one of the row's kinds.
#[test]
fn every_rule_has_a_case_and_every_case_only_rules() {
    use spec_diff::wire::rules::RULES;
    let base = base();
    let mut cases = std::fs::read_dir(corpus().join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect::<Vec<_>>();
    cases.sort();
    let mut produced = std::collections::BTreeMap::<&str, Vec<String>>::new();
    for path in &cases {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let (old, new) = documents(path, &base);
        for change in spec_diff::wire::diff(&old, &new) {
            let row = RULES
                .iter()
                .find(|r| r.id == change.rule)
                .unwrap_or_else(|| panic!("{name}: row {} is not in RULES", change.rule));
            assert!(
                row.kinds().contains(&change.kind),
                "{name}: kind {} is not one of row {}'s {:?}",
                change.kind,
                row.id,
                row.kinds()
            );
            produced.entry(row.id).or_default().push(name.clone());
        }
    }
    let untested: Vec<&str> = RULES
        .iter()
        .map(|r| r.id)
        .filter(|id| !produced.contains_key(id))
        .collect();
    assert!(
        untested.is_empty(),
        "rows no case in tests/fixtures/spec-changes/cases produces: {untested:?}"
    );
    let ids: std::collections::BTreeSet<&str> = RULES.iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), RULES.len(), "two rows share an id");
}

#[test]
fn the_same_spec_is_no_change_and_exits_0() {
    let base = corpus().join("base.yaml");
    let (code, out, err) = diff(&base, "markdown");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("**Nothing changed.**"), "{out}");
    assert!(out.contains("No change on the wire."), "{out}");
}

/// The generated files' header names the spec's file, which is not code: the same spec read
/// from another file (as `HEAD:openapi/customers.yaml` is) is no change for any crate.
#[test]
fn the_same_spec_under_another_name_is_no_change() {
    let dir = tempdir(Path::new("renamed"));
    let renamed = dir.join("renamed.yaml");
    let text = std::fs::read_to_string(corpus().join("base.yaml")).unwrap();
    std::fs::write(&renamed, text).unwrap();
    let (code, out, err) = diff(&renamed, "markdown");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("**Nothing changed.**"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn json_carries_the_same_content_as_markdown() {
    let path = corpus().join("cases/property-made-optional.yaml");
    let dir = tempdir(&path);
    let case = case(&path, &dir);
    let (_, json, _) = diff(&case.after, "json");
    let report: Value = serde_json::from_str(&json).unwrap();
    let change = &report["wire"]["changes"][0];
    assert_eq!(change["location"], "Customer.phone");
    assert_eq!(change["kind"], "property-required");
    assert_eq!(change["change"], "required → optional");
    assert_eq!(
        change["directions"],
        serde_json::json!(["request", "response"])
    );
    assert_eq!(
        change["classes"],
        serde_json::json!(["breaking-client", "breaking-server"])
    );
    let source = change["source"].as_str().unwrap();
    let line: usize = source.rsplit(':').nth(1).unwrap().parse().unwrap();
    let after_text = std::fs::read_to_string(&case.after).unwrap();
    let at = after_text.lines().nth(line - 1).unwrap();
    assert!(source.contains("after.json:"), "{change}");
    assert!(at.contains("\"required\""), "{source} is {at:?}");
    let api = &report["crates"][0];
    assert_eq!(api["name"], "trustly-customers-api");
    assert_eq!(api["level"], "breaking");
    assert_eq!(report["version"]["next"], "0.2.0");
    assert!(
        report["surface_diff"]
            .as_str()
            .unwrap()
            .contains("+  phone: Option<String>")
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_bad_spec_exits_2_with_the_lints_located_messages() {
    let dir = tempdir(Path::new("bad"));
    let after = dir.join("after.yaml");
    let text = std::fs::read_to_string(corpus().join("base.yaml"))
        .unwrap()
        .replace("x-cli-name: list", "x-cli-name: List_Them");
    std::fs::write(&after, text).unwrap();
    let (code, out, err) = diff(&after, "markdown");
    assert_eq!(code, 2, "{out}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("after.yaml:155:"), "{err}");
    assert!(err.contains("x-cli-name"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_revision_that_does_not_exist_exits_2() {
    let (code, _, err) = workspace_tests::xtask(&["diff", "no-such-revision-anywhere"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("cannot read no-such-revision-anywhere:openapi/customers.yaml"),
        "{err}"
    );
}

#[test]
fn bad_command_lines_exit_2() {
    for args in [
        &["diff", "--format", "yaml"][..],
        &["diff", "HEAD", "--from", "x.yaml"],
        &["diff", "--what"],
    ] {
        let (code, _, err) = workspace_tests::xtask(args);
        assert_eq!(code, 2, "{args:?}: {err}");
    }
}

fn tempdir(path: &Path) -> PathBuf {
    let name = path.file_stem().unwrap().to_string_lossy();
    let dir = std::env::temp_dir().join(format!("spec-diff-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `--require-changelog` against a revision: a scratch repository with the spec and a changelog,
/// one commit, then the spec changed in the working tree.
#[test]
fn a_breaking_change_passes_only_once_the_changelog_records_it() {
    let dir = tempdir(Path::new("changelog-gate"));
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(&dir)
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@localhost",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let spec = dir.join("openapi/customers.yaml");
    let changelog = dir.join("CHANGELOG.md");
    std::fs::create_dir_all(spec.parent().unwrap()).unwrap();
    let base = std::fs::read_to_string(corpus().join("base.yaml")).unwrap();
    std::fs::write(&spec, &base).unwrap();
    let old_changelog =
        "# Changelog\n\n## [Unreleased]\n\n- **Breaking:** an earlier change.\n\n## [0.1.0]\n";
    std::fs::write(&changelog, old_changelog).unwrap();
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "base"]);
    std::fs::write(
        &spec,
        base.replace(
            "required: [name, address, phone, email]",
            "required: [name, address, email]",
        ),
    )
    .unwrap();
    let run = || {
        workspace_tests::xtask(&[
            "diff".as_ref(),
            "HEAD".as_ref(),
            "--require-changelog".as_ref(),
            "--spec".as_ref(),
            spec.as_os_str(),
            "--changelog".as_ref(),
            changelog.as_os_str(),
        ])
    };

    // An entry the changelog already had does not cover the new change.
    let (code, out, err) = run();
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("**Not recorded.**"), "{out}");
    assert!(out.contains("`HEAD:openapi/customers.yaml`"), "{out}");

    // A new entry under a version already released does not either.
    std::fs::write(
        &changelog,
        format!("{old_changelog}\n- **Breaking:** `phone` is optional.\n"),
    )
    .unwrap();
    assert_eq!(run().0, 1);

    // A new entry under the next version does.
    std::fs::write(
        &changelog,
        old_changelog.replace(
            "an earlier change.\n",
            "an earlier change.\n- **Breaking:** `phone` is optional in requests and answers.\n",
        ),
    )
    .unwrap();
    let (code, out, err) = run();
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Recorded in"), "{out}");
    assert!(
        out.contains("`phone` is optional in requests and answers."),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
