//! `cargo xtask drift FILE`: the command around `spec_diff::drift`. Reads Trustly's published
//! OpenAPI document (YAML or JSON; OpenAPI 3.0, 3.1 or 3.2) and this project's spec, and
//! reports how they differ and whether the spec records each difference as a decision.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;
pub use spec_diff::drift::DriftReport;
use spec_diff::drift::{self, Document};

use crate::codegen;
use crate::spec::{LoadError, Spec};

/// What `drift` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Trustly's document.
    pub theirs: PathBuf,
    /// Our spec (default `openapi/customers.yaml`).
    pub spec: PathBuf,
    /// `markdown` or `json`.
    pub json: bool,
}

/// Exit code: every difference is recorded and no decision is stale.
pub const EXIT_OK: u8 = 0;
/// Exit code: a difference is new, or a decision is stale.
pub const EXIT_DRIFT: u8 = 1;
/// Exit code: a document cannot be read, or the command line is invalid.
pub const EXIT_INVALID: u8 = 2;

/// The OpenAPI versions drift reads.
const VERSIONS: [&str; 3] = ["3.0.", "3.1.", "3.2."];

/// Compares the spec with Trustly's document; the report and how long it took. An error, with
/// the file and place, when a document cannot be read.
pub fn run(options: &Options) -> Result<(DriftReport, Duration), String> {
    let started = Instant::now();
    let ours = load(&options.spec)?;
    let theirs = load(&options.theirs)?;
    let (locate_ours, locate_theirs) = (
        |pointer: &str| ours.locate(pointer),
        |pointer: &str| theirs.locate(pointer),
    );
    let report = drift::compare(
        &Document {
            name: codegen::display_path(&options.spec),
            document: &ours.json,
            locate: &locate_ours,
        },
        &Document {
            name: codegen::display_path(&options.theirs),
            document: &theirs.json,
            locate: &locate_theirs,
        },
    );
    Ok((report, started.elapsed()))
}

/// The process exit code for a report.
pub fn exit_code(report: &DriftReport) -> u8 {
    if report.is_clean() {
        EXIT_OK
    } else {
        EXIT_DRIFT
    }
}

/// Reads and parses a document, and checks it is one drift can compare: an OpenAPI 3.0, 3.1 or
/// 3.2 document with its paths.
pub fn load(path: &Path) -> Result<Spec, String> {
    let shown = PathBuf::from(codegen::display_path(path));
    let text =
        std::fs::read_to_string(path).map_err(|e| LoadError::Read(shown.clone(), e).to_string())?;
    let spec = Spec::parse(&shown, text).map_err(|e| e.to_string())?;
    let refuse = |pointer: &str, message: String| {
        Err(format!(
            "{}: not an OpenAPI 3.0, 3.1 or 3.2 document: {message}",
            spec.locate(pointer)
        ))
    };
    if !spec.json.is_object() {
        return refuse("", "the document is not a map".to_owned());
    }
    match spec.json.get("openapi") {
        None => return refuse("", "no `openapi` version".to_owned()),
        Some(Value::String(v)) if VERSIONS.iter().any(|p| v.starts_with(p)) => {}
        Some(other) => {
            return refuse(
                "/openapi",
                format!("`openapi` is {other}, not 3.0.x, 3.1.x or 3.2.x"),
            );
        }
    }
    match spec.json.get("paths") {
        Some(Value::Object(_)) => {}
        None => return refuse("", "no `paths`".to_owned()),
        Some(_) => return refuse("/paths", "`paths` is not a map".to_owned()),
    }
    if let Some(servers) = spec.json.get("servers")
        && !servers.is_array()
    {
        return refuse("/servers", "`servers` is not a list".to_owned());
    }
    Ok(spec)
}
