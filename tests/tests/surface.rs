//! The public surface of the generated crate, locked by a snapshot reviewers read in each diff.

#[test]
fn generated_surface() {
    let code = std::fs::read_to_string(workspace_tests::generated_path())
        .expect("generated.rs is readable");
    insta::assert_snapshot!(
        "generated_surface",
        workspace_tests::surface::listing(&code)
    );
}
