//! `accepted`: every spec in `fixtures/good-specs/` passes the lint and generates: the lint
//! refuses what is wrong, not what merely looks unusual.

#[test]
fn accepted() {
    let mut seen = 0;
    insta::glob!("../fixtures", "good-specs/*", |spec| {
        seen += 1;
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        let scratch = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("good-specs")
            .join(&name);
        let _ = std::fs::remove_dir_all(&scratch);
        std::fs::create_dir_all(&scratch).unwrap();
        let (code, _stdout, stderr) = workspace_tests::codegen(spec, &scratch, &[]);
        assert_eq!(code, 0, "{name} was refused:\n{stderr}");
    });
    assert!(seen > 0, "no fixtures found");
}
