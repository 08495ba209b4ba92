#![no_main]

// The harness is in src/data_file.rs: the workspace tests replay fuzz/regressions/data_file/ through it.
libfuzzer_sys::fuzz_target!(|data: &[u8]| trustly_customers_fuzz::data_file::run(data));
