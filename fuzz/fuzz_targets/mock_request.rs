#![no_main]

// The harness is in harness/src/mock_request.rs: the workspace tests replay fuzz/regressions/mock_request/ through it.
libfuzzer_sys::fuzz_target!(|data: &[u8]| trustly_customers_fuzz_harness::mock_request::run(data));
