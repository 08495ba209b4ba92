//! A command's JSON request body: the arguments that say where it comes from (`--file PATH`
//! or `-`), and reading it, checked against the spec's schema, before anything is sent.

use std::io::Read;
use std::path::PathBuf;

use clap::{Arg, ArgGroup, ArgMatches, Command};
use serde::de::DeserializeOwned;
use serde_json::Value;
use trustly_customers_spec::facts;

use crate::exit::Failure;

/// Bodies are a single record; anything larger is a wrong file, not a customer.
const MAX_INPUT_BYTES: u64 = 1024 * 1024;

/// `--file PATH` or `-`: where a command's JSON body comes from, one of them required.
pub(crate) fn with_body(command: Command) -> Command {
    command
        .arg(
            Arg::new("file")
                .long("file")
                .value_name("PATH")
                .help("Read the JSON body from this file (`-` for standard input)")
                .value_parser(clap::value_parser!(PathBuf)),
        )
        .arg(
            Arg::new("stdin")
                .value_name("-")
                .help("Read the JSON body from standard input")
                .value_parser(["-"])
                // The one value is the argument's name: "[possible values: -]" says nothing.
                .hide_possible_values(true),
        )
        .group(ArgGroup::new("body").args(["file", "stdin"]).required(true))
}

/// Reads the body (`--file` or stdin), holds it up to the spec's schema `component`, then
/// decodes it: every problem is reported at once, by JSON pointer, before anything is sent.
///
/// Properties the server owns (`readOnly`) are dropped first, so a record printed by `get` can
/// be edited and sent back as it is. A property the schema does not declare is refused: it is
/// far more often a typo than an intent, and would otherwise vanish without a word. So is a
/// property named like one of the command's path parameters (`customerId`) with another
/// value: the path and the body would name two different records.
pub fn read_body<T: DeserializeOwned>(
    args: &ArgMatches,
    component: &str,
    path: &[(&str, &str)],
) -> Result<T, Failure> {
    read_checked(args, component, path, Form::Whole)
}

/// Like [`read_body`], for changes to a `component` record rather than a whole one: none of
/// its properties is required, and `null` (remove) is accepted only for a `nullable` one.
pub fn read_patch<T: DeserializeOwned>(
    args: &ArgMatches,
    component: &str,
    path: &[(&str, &str)],
) -> Result<T, Failure> {
    read_checked(args, component, path, Form::Patch)
}

/// What a body holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// A whole record.
    Whole,
    /// Changes to a record.
    Patch,
}

fn read_checked<T: DeserializeOwned>(
    args: &ArgMatches,
    component: &str,
    path: &[(&str, &str)],
    form: Form,
) -> Result<T, Failure> {
    let (name, bytes) = read_source(args.get_one::<PathBuf>("file"))?;
    // Some editors start UTF-8 files with a byte order mark, which JSON does not allow.
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut value: Value = serde_json::from_slice(text)
        .map_err(|e| Failure::usage(format!("{name}: not valid JSON: {e}")))?;
    let doc = trustly_customers_spec::document();
    if let (Value::Object(map), Some(schema)) = (&mut value, facts::component(doc, component)) {
        facts::strip_read_only(doc, schema, map);
        for (param, in_path) in path {
            if map.get(*param).is_some_and(|v| v.as_str() != Some(in_path)) {
                return Err(Failure::usage(format!(
                    "{name}: /{param}: names another record than the {param} argument \
                     ({in_path}); leave it out"
                )));
            }
        }
    }
    let (violations, what) = match form {
        Form::Whole => (
            trustly_customers_spec::check_component_strict(component, &value),
            format!("a valid {component}"),
        ),
        Form::Patch => (
            trustly_customers_spec::check_component_patch(component, &value),
            format!("valid changes to a {component}"),
        ),
    };
    if !violations.is_empty() {
        // Violations never quote the values, which may be personal data.
        let all: Vec<String> = violations.iter().map(ToString::to_string).collect();
        // A record with only some properties is most likely meant as changes.
        let only_missing = violations
            .iter()
            .all(|v| v.instance.is_empty() && v.schema.ends_with("/required"));
        let hint = if form == Form::Whole && only_missing {
            "; a whole record is needed here (`update` changes only the properties it is given)"
        } else {
            ""
        };
        return Err(Failure::usage(format!(
            "{name}: not {what}: {}{hint}",
            all.join("; ")
        )));
    }
    serde_json::from_value(value).map_err(|e| Failure::usage(format!("{name}: not {what}: {e}")))
}

fn read_source(file: Option<&PathBuf>) -> Result<(String, Vec<u8>), Failure> {
    let (name, reader): (String, Box<dyn Read>) = match file {
        Some(path) if path.as_os_str() != "-" => {
            let name = path.display().to_string();
            let file = std::fs::File::open(path)
                .map_err(|e| Failure::usage(format!("{name}: cannot open: {e}")))?;
            (name, Box::new(file))
        }
        _ => ("stdin".into(), Box::new(std::io::stdin().lock())),
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::usage(format!("{name}: cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Failure::usage(format!(
            "{name}: larger than {MAX_INPUT_BYTES} bytes; a customer record is far smaller"
        )));
    }
    Ok((name, bytes))
}
