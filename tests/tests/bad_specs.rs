//! `refused`: every spec in `fixtures/bad-specs/` is refused: exit code 2, a message naming the file, line
//! and column (snapshotted beside the fixtures), and the output file left exactly as it was.

const SENTINEL: &str = "// the generated file as it was before the run\n";

#[test]
fn refused() {
    let scratch = workspace_tests::root().join("target/tmp/bad-specs");
    std::fs::create_dir_all(&scratch).unwrap();
    let mut seen = 0;
    insta::glob!("../fixtures", "bad-specs/*", |spec| {
        seen += 1;
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        let out = scratch.join(format!("{name}.rs"));
        std::fs::write(&out, SENTINEL).unwrap();
        let modified = std::fs::metadata(&out).unwrap().modified().unwrap();

        let (code, stdout, stderr) = workspace_tests::codegen(spec, &out, &[]);

        assert_eq!(
            code,
            xtask::EXIT_INVALID,
            "{name}: exit code; stderr:\n{stderr}"
        );
        assert_eq!(stdout, "", "{name}: nothing on stdout");
        let located = format!("tests/fixtures/bad-specs/{name}:");
        assert!(
            stderr.starts_with(&format!("error: {located}")),
            "{name}: names file:line:column:\n{stderr}"
        );
        assert!(
            !stderr.contains("panicked"),
            "{name}: no panic output:\n{stderr}"
        );
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            SENTINEL,
            "{name}: output untouched"
        );
        assert_eq!(
            std::fs::metadata(&out).unwrap().modified().unwrap(),
            modified,
            "{name}: mtime kept"
        );
        let leftovers: Vec<_> = std::fs::read_dir(&scratch)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(
            leftovers.is_empty(),
            "{name}: no temporary file left behind"
        );
        insta::assert_snapshot!(stderr);
    });
    assert!(seen >= 11, "expected the bad-spec fixtures, found {seen}");
}

#[test]
fn the_fixtures_base_spec_is_valid() {
    // Each bad spec is this one broken in one way; if this failed, the fixtures would prove nothing.
    let base = workspace_tests::root().join("tests/fixtures/minimal.yaml");
    let out = workspace_tests::root().join("target/tmp/minimal.rs");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let (code, stdout, stderr) = workspace_tests::codegen(&base, &out, &[]);
    assert_eq!(code, xtask::EXIT_OK, "{stderr}");
    assert!(stdout.contains("1 operations, 1 types"), "{stdout}");
}
