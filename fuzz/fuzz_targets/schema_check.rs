#![no_main]

// The harness is in harness/src/schema_check.rs: the workspace tests replay fuzz/regressions/schema_check/ through it.
libfuzzer_sys::fuzz_target!(|data: &[u8]| trustly_customers_fuzz_harness::schema_check::run(data));
