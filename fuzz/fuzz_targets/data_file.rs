#![no_main]

// The harness is in harness/src/data_file.rs: the workspace tests replay fuzz/regressions/data_file/ through it.
libfuzzer_sys::fuzz_target!(|data: &[u8]| trustly_customers_fuzz_harness::data_file::run(data));
