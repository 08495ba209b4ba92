#![no_main]

// The harness is in harness/src/client_response.rs: the workspace tests replay fuzz/regressions/client_response/ through it.
libfuzzer_sys::fuzz_target!(|data: &[u8]| trustly_customers_fuzz_harness::client_response::run(data));
