//! `cli_input`: the command line's reading of a `--file` body: JSON syntax, the spec's schema
//! (a whole `Customer` for `upsert` and `replace`, changes to one for `update`), the
//! path-parameter cross-check, then decoding into the client's request type.
//!
//! The code under test is the CLI's own, through its library (`trustly_customers_cli`): the
//! command line is parsed by the command's own tree, and the body goes through a real file and
//! `--file`, as a user's would.
//!
//! The input is a first line naming the command (`upsert`, `replace` or `update`; anything
//! else is `upsert`), then the file's bytes.
//!
//! Asserted: no panic; no personal value of the file is in the failure's message or `Debug`,
//! or in the `Debug` of the decoded body (the generated types redact personal data).

use std::ffi::OsString;
use std::path::PathBuf;

use trustly_customers::{CustomerPatch, NewCustomer};
use trustly_customers_cli::{read_body, read_patch};

use crate::pii::Personal;

/// The `customerId` argument of `replace` and `update`.
const CUSTOMER_ID: &str = "1002580963";

/// Runs one input, asserting everything the module docs list.
pub fn run(data: &[u8]) {
    let file = data
        .iter()
        .position(|&b| b == b'\n')
        .map_or(data.len(), |at| at + 1);
    let shown = texts(data);
    let mut personal = Personal::new();
    personal.json(data, file..data.len(), false);
    personal.assert_not_shown(data, &shown, texts);
}

/// What the command says of the input's file: its failure's message, or the `Debug` of the
/// body it would send.
fn texts(data: &[u8]) -> Vec<String> {
    let (command, file) = match data.iter().position(|&b| b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let path = input_path();
    std::fs::write(&path, file).expect("the input file can be written");
    let command = match command.trim_ascii() {
        b"replace" => "replace",
        b"update" => "update",
        _ => "upsert",
    };
    let mut args: Vec<OsString> = vec!["trustly-customers".into(), command.into()];
    if command != "upsert" {
        args.push(CUSTOMER_ID.into());
    }
    args.extend(["--file".into(), path.clone().into_os_string()]);
    let matches = trustly_customers_cli::command()
        .try_get_matches_from(args)
        .expect("`--file PATH` parses");
    let (_, args) = matches.subcommand().expect("a command is given");
    let id = [("customerId", CUSTOMER_ID)];
    let outcome = match command {
        "replace" => read_body::<NewCustomer>(args, "Customer", &id).map(debug),
        "update" => read_patch::<CustomerPatch>(args, "Customer", &id).map(debug),
        _ => read_body::<NewCustomer>(args, "Customer", &[]).map(debug),
    };
    let _ = std::fs::remove_file(&path);
    match outcome {
        Ok(shown) => vec![shown],
        Err(failure) => vec![failure.to_string(), format!("{failure:?}")],
    }
}

fn debug(value: impl std::fmt::Debug) -> String {
    format!("{value:?}")
}

/// A file of this process and thread alone: tests read files on several threads at once.
fn input_path() -> PathBuf {
    thread_local! {
        static PATH: PathBuf = std::env::temp_dir().join(format!(
            "trustly-customers-fuzz-cli-{}-{:?}.json",
            std::process::id(),
            std::thread::current().id()
        ));
    }
    PATH.with(Clone::clone)
}
