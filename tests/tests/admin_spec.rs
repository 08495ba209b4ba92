//! `openapi/admin.yaml`, the emulator's admin API: it passes the spec lint (the one
//! `openapi/customers.yaml` passes: references, operations, tags, response types, examples
//! against their schemas), and is an OpenAPI 3.0 document the generator's parser reads.
//! `.ci/schemathesis.sh` checks the emulator against it.

use std::path::Path;

use xtask::spec::Spec;

#[test]
fn the_admin_document_is_lint_clean() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/admin.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let spec = Spec::parse(&path, text).unwrap_or_else(|e| panic!("{e:?}"));
    let problems: Vec<String> = xtask::lint::lint(&spec.json)
        .into_iter()
        .map(|p| format!("{}: {}", spec.locate(&p.pointer), p.message))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    spec.openapi().unwrap_or_else(|e| panic!("{e:?}"));
}
