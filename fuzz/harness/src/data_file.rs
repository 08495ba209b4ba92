//! `data_file`: the emulator's decoder of a `trustly-customers-mock/1` data file
//! (`trustly_customers_mock::fuzzing::parse_data_file`, feature `fuzzing`), which reads what
//! a start with `--data` finds on disk.
//!
//! The input is the file's bytes.
//!
//! Asserted: no panic; no personal value of the file's customers is in the error.

use crate::pii::Personal;

/// Runs one input, asserting everything the module docs list.
pub fn run(data: &[u8]) {
    let shown = texts(data);
    let mut personal = Personal::new();
    personal.json(data, 0..data.len(), false);
    personal.assert_not_shown(data, &shown, texts);
}

fn texts(data: &[u8]) -> Vec<String> {
    match trustly_customers_mock::fuzzing::parse_data_file(data) {
        Ok(_) => Vec::new(),
        Err(problem) => vec![problem],
    }
}
