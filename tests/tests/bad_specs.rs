//! `refused`: every spec in `fixtures/bad-specs/` is refused: exit code 2, a message naming the file, line
//! and column (snapshotted beside the fixtures), and the output files left exactly as they were.

use xtask::codegen::GENERATED_FILES;

const SENTINEL: &str = "// the generated file as it was before the run\n";

#[test]
fn refused() {
    let mut seen = 0;
    insta::glob!("../fixtures", "bad-specs/*", |spec| {
        seen += 1;
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        // Cargo's scratch directory for integration tests, under whatever target dir is used.
        let scratch = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("bad-specs")
            .join(&name);
        let _ = std::fs::remove_dir_all(&scratch);
        let outputs: Vec<_> = GENERATED_FILES.iter().map(|f| scratch.join(f)).collect();
        for out in &outputs {
            std::fs::create_dir_all(out.parent().unwrap()).unwrap();
            std::fs::write(out, SENTINEL).unwrap();
        }
        let out = &outputs[0];
        let modified = std::fs::metadata(out).unwrap().modified().unwrap();

        let (code, stdout, stderr) = workspace_tests::codegen(spec, &scratch, &[]);

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
        for out in &outputs {
            assert_eq!(
                std::fs::read_to_string(out).unwrap(),
                SENTINEL,
                "{name}: output untouched"
            );
            let leftovers = std::fs::read_dir(out.parent().unwrap())
                .unwrap()
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
                .count();
            assert_eq!(leftovers, 0, "{name}: no temporary file left behind");
        }
        assert_eq!(
            std::fs::metadata(out).unwrap().modified().unwrap(),
            modified,
            "{name}: mtime kept"
        );
        insta::assert_snapshot!(stderr);
    });
    assert!(seen >= 23, "expected the bad-spec fixtures, found {seen}");
}

#[test]
fn the_fixtures_base_spec_is_valid() {
    // Each bad spec is this one broken in one way; if this failed, the fixtures would prove nothing.
    let base = workspace_tests::root().join("tests/fixtures/minimal.yaml");
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("minimal");
    let (code, stdout, stderr) = workspace_tests::codegen(&base, &out, &[]);
    assert_eq!(code, xtask::EXIT_OK, "{stderr}");
    assert!(stdout.contains("1 operations, 1 types"), "{stdout}");
}
