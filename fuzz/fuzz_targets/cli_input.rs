#![no_main]

// The harness is in harness/src/cli_input.rs: the workspace tests replay fuzz/regressions/cli_input/ through it.
libfuzzer_sys::fuzz_target!(|data: &[u8]| trustly_customers_fuzz_harness::cli_input::run(data));
