//! `cargo xtask drift` on the corpus in `tests/fixtures/drift/cases/`: each case is an edit of
//! Trustly's published document (`tests/fixtures/trustly/customers.yaml`), a JSON Patch
//! (RFC 6902, written in YAML), with the differences it must yield that no decision of the spec
//! records (`new`) and the decisions it must leave matching nothing (`stale`), each as
//! `[kind, where]` (`where` of a stale decision: the object it stands on). A case's edited
//! document is written as JSON (`format: json`), or the published YAML itself
//! (`format: published`, with no patch); every other case writes JSON too, which is YAML. The
//! document unedited must yield nothing new and nothing stale: every difference today is a
//! recorded decision.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn trustlys() -> PathBuf {
    workspace_tests::root().join("tests/fixtures/trustly/customers.yaml")
}

fn cases() -> PathBuf {
    workspace_tests::root().join("tests/fixtures/drift/cases")
}

/// Runs `cargo xtask drift` on `file` (as the binary does): exit code, stdout, stderr.
fn drift(args: &[&str]) -> (u8, String, String) {
    let mut all = vec!["drift".to_owned()];
    all.extend(args.iter().map(|a| (*a).to_owned()));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = xtask::run(all.into_iter().map(Into::into), &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

/// The report as JSON, with its exit code.
fn report(file: &Path) -> (u8, Value) {
    let (code, out, err) = drift(&[file.to_str().unwrap(), "--format", "json", "-q"]);
    assert!(code < 2, "{}: exit {code}: {err}", file.display());
    (code, serde_json::from_str(&out).expect("the JSON report"))
}

/// `[status, kind, where]` of every difference that is not recorded.
fn unrecorded(report: &Value) -> BTreeSet<(String, String, String)> {
    report["differences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] != "recorded")
        .map(|d| {
            let text = |k: &str| d[k].as_str().unwrap().to_owned();
            (text("status"), text("kind"), text("where"))
        })
        .collect()
}

fn expected(case: &Value, key: &str, status: &str) -> Vec<(String, String, String)> {
    case[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|pair| {
            let text = |i: usize| pair[i].as_str().unwrap().to_owned();
            (status.to_owned(), text(0), text(1))
        })
        .collect()
}

#[test]
fn trustlys_document_as_published_yields_nothing_new_and_nothing_stale() {
    let (code, report) = report(&trustlys());
    assert_eq!(unrecorded(&report), BTreeSet::new());
    assert_eq!(code, 0);
    // Today's decisions: each of them records at least one difference.
    assert!(report["recorded"].as_u64().unwrap() >= 20, "{report:#}");
    for d in report["differences"].as_array().unwrap() {
        for side in ["ours", "theirs"] {
            let location = d[side]["location"].as_str().unwrap();
            assert!(location.contains(".yaml:"), "{side}: {location}");
            assert!(d[side]["pointer"].as_str().unwrap().starts_with('/'));
        }
        assert!(!d["reason"].as_str().unwrap().is_empty());
        assert!(d["decision"]["at"]["location"].as_str().is_some());
    }
}

#[test]
fn every_case_yields_exactly_its_differences() {
    let dir = std::env::temp_dir().join(format!("drift-cases-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let published = std::fs::read_to_string(trustlys()).unwrap();
    let base: Value = serde_saphyr::from_str(&published).unwrap();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(cases())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 13, "{} cases", paths.len());
    let mut failures = Vec::new();
    for path in &paths {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let case: Value = serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut doc = base.clone();
        for op in case["patch"].as_array().expect("patch: a list") {
            workspace_tests::json_patch::apply(&mut doc, op)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        let file = match case["format"].as_str() {
            Some("published") => {
                assert_eq!(doc, base, "{name}: a published case has no patch");
                trustlys()
            }
            Some("json") | None => {
                let file = dir.join(format!("{name}.json"));
                std::fs::write(&file, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
                file
            }
            Some(other) => panic!("{name}: format {other}"),
        };
        let (code, report) = report(&file);
        let want: BTreeSet<_> = expected(&case, "new", "new")
            .into_iter()
            .chain(expected(&case, "stale", "stale-decision"))
            .collect();
        let got = unrecorded(&report);
        let want_code = u8::from(!want.is_empty());
        if got != want || code != want_code {
            failures.push(format!(
                "{name}: exit {code} (want {want_code})\n  got:  {got:?}\n  want: {want:?}"
            ));
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_markdown_report_groups_by_operation_and_schema_with_both_locations() {
    let (code, out, err) = drift(&[trustlys().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("### operation GET /customers/{customerId} (getCustomer)"),
        "{out}"
    );
    assert!(out.contains("### schema Customer\n"), "{out}");
    let line = out
        .lines()
        .find(|l| l.contains("`nullable` Customer.taxId"))
        .expect("the line of Customer.taxId's nullability");
    assert!(line.starts_with("- **recorded**"), "{line}");
    assert!(line.contains("Ours openapi/customers.yaml:"), "{line}");
    assert!(
        line.contains("Trustly's tests/fixtures/trustly/customers.yaml:"),
        "{line}"
    );
    assert!(line.contains("Why: "), "{line}");
    assert!(err.contains("0 new, 0 stale decision(s)"), "{err}");
}

#[test]
fn a_document_drift_cannot_read_exits_2_with_where() {
    let dir = std::env::temp_dir().join(format!("drift-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        (
            "syntax.yaml",
            "openapi: 3.2.0\npaths:\n  /a: [\n",
            "syntax.yaml:",
        ),
        (
            "syntax.json",
            "{\"openapi\": \"3.1.0\",\n \"paths\": {,}}",
            "syntax.json:2:",
        ),
        (
            "swagger.yaml",
            "swagger: '2.0'\npaths: {}\n",
            "no `openapi` version",
        ),
        (
            "version.yaml",
            "openapi: 2.0.0\npaths: {}\n",
            "version.yaml:1:",
        ),
        (
            "paths.yaml",
            "openapi: 3.1.0\npaths: [a]\n",
            "`paths` is not a map",
        ),
    ];
    for (name, text, says) in cases {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        let (code, out, err) = drift(&[file.to_str().unwrap()]);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(out.is_empty(), "{name}: {out}");
        assert!(err.contains(says), "{name}: {err}");
        assert!(err.contains(name), "{name}: says where: {err}");
    }
    let (code, _, err) = drift(&[dir.join("missing.yaml").to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
