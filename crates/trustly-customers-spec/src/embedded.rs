//! The spec compiled into the binary.

use std::sync::OnceLock;

use serde_json::Value;

use crate::schema::{self, Violation};

/// The text of `openapi/customers.yaml` when this crate was built. Read through the crate's
/// own `customers.yaml` (a link to it), so that the packaged crate carries the spec.
const SPEC_YAML: &str = include_str!("../customers.yaml");

/// The spec as JSON, parsed on first use.
///
/// The spec is checked by `cargo xtask codegen` (and `--check` in CI) before any build that
/// embeds it is tested, so a parse failure here means the build itself is broken.
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        serde_saphyr::from_str(SPEC_YAML).unwrap_or_else(|e| {
            panic!("openapi/customers.yaml compiled into this build does not parse: {e}")
        })
    })
}

/// Checks `instance` against `#/components/schemas/{name}` of the embedded spec.
///
/// An unknown `name` is reported as a violation, not a pass.
pub fn check_component(name: &str, instance: &Value) -> Vec<Violation> {
    let pointer = format!("/components/schemas/{}", crate::escape_token(name));
    schema::check(document(), &pointer, instance)
}

/// Like [`check_component`], refusing properties the schema does not declare
/// ([`schema::check_strict`]).
pub fn check_component_strict(name: &str, instance: &Value) -> Vec<Violation> {
    let pointer = format!("/components/schemas/{}", crate::escape_token(name));
    schema::check_strict(document(), &pointer, instance)
}

/// Checks `instance` as a patch of `#/components/schemas/{name}` ([`schema::check_patch`]).
pub fn check_component_patch(name: &str, instance: &Value) -> Vec<Violation> {
    let pointer = format!("/components/schemas/{}", crate::escape_token(name));
    schema::check_patch(document(), &pointer, instance)
}
