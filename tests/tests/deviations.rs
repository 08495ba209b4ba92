//! Each deviation from the generator's defaults (xtask/src/deviations.rs) is still needed: without
//! it the generator does what the deviation exists to prevent. When one of these fails, the
//! generator changed: remove the deviation.

use std::path::Path;

#[test]
fn lenient_string_lengths_is_still_needed() {
    let text = std::fs::read_to_string(workspace_tests::spec_path()).unwrap();
    let spec = xtask::spec::Spec::parse(Path::new("openapi/customers.yaml"), text).unwrap();
    let openapi = spec.openapi().unwrap();

    let plain = xtask::generate::generate(&openapi, &xtask::generate::base_settings()).unwrap();
    assert!(
        plain
            .code
            .contains("pub struct AddressZip(::std::string::String);"),
        "without the deviation the generator no longer wraps length-bounded strings: remove lenient_string_lengths"
    );

    let deviated =
        xtask::generate::generate(&openapi, &xtask::generate::settings(&spec.json)).unwrap();
    assert!(!deviated.code.contains("pub struct AddressZip"));
    assert!(
        deviated
            .code
            .contains("pub zip: ::std::option::Option<::std::string::String>,")
    );
    assert!(
        deviated.types < plain.types,
        "{} types with, {} without",
        deviated.types,
        plain.types
    );
}

#[test]
fn timestamps_as_points_in_time_is_still_needed() {
    let text = std::fs::read_to_string(workspace_tests::spec_path()).unwrap();
    let spec = xtask::spec::Spec::parse(Path::new("openapi/customers.yaml"), text).unwrap();
    let openapi = spec.openapi().unwrap();

    let plain = xtask::generate::generate(&openapi, &xtask::generate::base_settings()).unwrap();
    assert!(
        plain.code.contains("pub struct Timestamp(pub i64);"),
        "without the deviation the generator no longer makes a Timestamp a bare number: remove timestamps_as_points_in_time"
    );
    let deviated =
        xtask::generate::generate(&openapi, &xtask::generate::settings(&spec.json)).unwrap();
    assert!(!deviated.code.contains("pub struct Timestamp"));
    assert!(
        deviated
            .code
            .contains("pub created_at: ::std::option::Option<crate::Timestamp>,")
    );
}
