#![no_main]

// The harness is in src/schema_check.rs: the workspace tests replay fuzz/regressions/schema_check/ through it.
libfuzzer_sys::fuzz_target!(|data: &[u8]| trustly_customers_fuzz::schema_check::run(data));
