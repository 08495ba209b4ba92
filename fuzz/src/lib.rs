//! The fuzz targets' harnesses: how each target reads its input, what it runs, and what it
//! asserts. Each `fuzz_targets/<name>.rs` hands its input to `<name>::run`; the workspace test
//! `tests/tests/fuzz_regressions.rs` compiles this same code (with `#[path]`) and replays every
//! file of `fuzz/regressions/<name>/` through it, so a finding stays fixed.

pub mod cli_input;
pub mod client_response;
pub mod data_file;
pub mod loopback;
pub mod mock_request;
pub mod pii;
pub mod schema_check;
