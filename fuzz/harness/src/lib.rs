//! The fuzz targets' harnesses: how each target reads its input, what it runs, and what it
//! asserts. Each `fuzz/fuzz_targets/<name>.rs` hands its input to `<name>::run`; the workspace
//! test `tests/tests/fuzz_regressions.rs` replays every file of `fuzz/regressions/<name>/`
//! through the same function, so a finding stays fixed. A library of its own, on the stable
//! toolchain and without libFuzzer, so that the replay needs neither nightly nor cargo-fuzz.

pub mod cli_input;
pub mod client_response;
pub mod data_file;
pub mod loopback;
pub mod mock_request;
pub mod pii;
pub mod schema_check;
