//! `cargo xtask diff [BASE]`: the command around the `spec-diff` crate.
//!
//! The spec at git revision `BASE` (or in a file, `--from`) is compared with the spec in the
//! working tree. Both are linted and generated in memory, exactly as `codegen` does; the
//! documents and the generated files go to `spec_diff::compare`, which says what the change
//! breaks. Nothing is built and nothing is written.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub use spec_diff::Report;
use spec_diff::{Changelog, Context, Generated, Side};

use crate::codegen::{self, Failure};
use crate::spec::{LoadError, Spec};

/// What `diff` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The git revision of the old spec, when not `from`.
    pub base: String,
    /// The old spec from a file instead of a revision.
    pub from: Option<PathBuf>,
    /// The new spec (and, when `from` is absent, the path whose old version `base` holds).
    pub spec: PathBuf,
    /// `markdown` or `json`.
    pub json: bool,
    /// Fail only when a breaking change is not recorded in the changelog's next version.
    pub require_changelog: bool,
    /// The changelog that records breaking changes.
    pub changelog: PathBuf,
    /// The workspace manifest holding the crates' version.
    pub manifest: PathBuf,
}

impl Options {
    /// The working tree's spec against `HEAD`.
    pub fn project_default() -> Options {
        let root = codegen::workspace_root();
        Options {
            base: "HEAD".to_owned(),
            from: None,
            spec: root.join("openapi/customers.yaml"),
            json: false,
            require_changelog: false,
            changelog: root.join("CHANGELOG.md"),
            manifest: root.join("Cargo.toml"),
        }
    }
}

/// Exit code: nothing is breaking (or, with `--require-changelog`, all of it is recorded).
pub const EXIT_OK: u8 = 0;
/// Exit code: something is breaking (with `--require-changelog`: and is not recorded).
pub const EXIT_BREAKING: u8 = 1;
/// Exit code: a spec is invalid, or the revision or a file cannot be read.
pub const EXIT_INVALID: u8 = 2;

/// How a run ended other than with a report.
#[derive(Debug)]
pub enum DiffError {
    /// A spec is invalid: located lines.
    InvalidSpec(Vec<String>),
    /// The revision, a file or git could not be read.
    Read(String),
}

/// Runs the comparison; returns the report and how long it took.
pub fn run(options: &Options) -> Result<(Report, Duration), DiffError> {
    let started = Instant::now();
    let head_shown = codegen::display_path(&options.spec);
    let head_text = std::fs::read_to_string(&options.spec)
        .map_err(|e| DiffError::Read(LoadError::Read(PathBuf::from(&head_shown), e).to_string()))?;
    let (base_shown, base_text, base_changelog) = match &options.from {
        Some(path) => {
            let shown = codegen::display_path(path);
            let text = std::fs::read_to_string(path).map_err(|e| {
                DiffError::Read(LoadError::Read(PathBuf::from(&shown), e).to_string())
            })?;
            (shown, text, None)
        }
        None => {
            let (shown, text) = at_revision(&options.base, &options.spec)?;
            let changelog = if options.require_changelog {
                at_revision(&options.base, &options.changelog)
                    .ok()
                    .map(|(_, t)| t)
            } else {
                None
            };
            (shown, text, changelog)
        }
    };
    let base = load(&base_shown, base_text)?;
    let head = load(&head_shown, head_text)?;
    let base_files = rendered(&base)?;
    let head_files = rendered(&head)?;
    let surface_diff = crate::output::labelled_diff(
        &format!("trustly-customers-api surface from {base_shown}"),
        &format!("trustly-customers-api surface from {head_shown}"),
        &generated_code::surface::listing(&base_files[0]),
        &generated_code::surface::listing(&head_files[0]),
    );
    let version = workspace_version(&options.manifest)?;
    let changelog_text = if options.require_changelog {
        Some(std::fs::read_to_string(&options.changelog).map_err(|e| {
            DiffError::Read(format!(
                "{}: cannot read the changelog: {e}",
                codegen::display_path(&options.changelog)
            ))
        })?)
    } else {
        None
    };
    let context = Context {
        version,
        surface_diff,
        changelog: changelog_text.as_deref().map(|text| Changelog {
            file: codegen::display_path(&options.changelog),
            text,
            base: base_changelog.as_deref(),
        }),
    };
    let (locate_base, locate_head) = (
        |pointer: &str| base.locate(pointer),
        |pointer: &str| head.locate(pointer),
    );
    let report = spec_diff::compare(
        &side(base_shown, &base, &base_files, &locate_base),
        &side(head_shown, &head, &head_files, &locate_head),
        context,
    )
    .map_err(DiffError::Read)?;
    Ok((report, started.elapsed()))
}

/// One side of the comparison, as the diff takes it.
fn side<'a>(
    name: String,
    spec: &'a Spec,
    files: &'a [String],
    locate: &'a dyn Fn(&str) -> String,
) -> Side<'a> {
    Side {
        name,
        document: &spec.json,
        text: &spec.text,
        generated: Generated {
            api: &files[0],
            client: &files[1],
            cli: &files[2],
        },
        locate,
    }
}

/// The process exit code for a report.
pub fn exit_code(report: &Report) -> u8 {
    match &report.changelog {
        Some(check) if check.required && !check.recorded => EXIT_BREAKING,
        Some(_) => EXIT_OK,
        None if report.breaking => EXIT_BREAKING,
        None => EXIT_OK,
    }
}

fn load(shown: &str, text: String) -> Result<Spec, DiffError> {
    Spec::parse(Path::new(shown), text).map_err(|e| DiffError::InvalidSpec(vec![e.to_string()]))
}

/// The code of a spec's generated files, as `codegen` would write them but for the header, in
/// the order of [`codegen::GENERATED_FILES`]. The header names the spec's file and hash, which
/// differ between `HEAD:openapi/customers.yaml` and the working copy, or for a change of a
/// comment, where the code a user compiles does not.
fn rendered(spec: &Spec) -> Result<Vec<String>, DiffError> {
    match codegen::render_code(spec) {
        Ok((files, _, _)) => Ok(files),
        Err(Failure::InvalidSpec(lines)) => Err(DiffError::InvalidSpec(lines)),
        Err(Failure::Stale(text) | Failure::Io(text)) => Err(DiffError::Read(text)),
    }
}

/// `[workspace.package] version` of the workspace manifest.
fn workspace_version(manifest: &Path) -> Result<String, DiffError> {
    let text = std::fs::read_to_string(manifest).map_err(|e| {
        DiffError::Read(format!(
            "{}: cannot read: {e}",
            codegen::display_path(manifest)
        ))
    })?;
    let mut in_section = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_section = line == "[workspace.package]";
            continue;
        }
        if in_section
            && let Some(rest) = line.strip_prefix("version")
            && let Some(value) = rest.trim_start().strip_prefix('=')
        {
            return Ok(value.trim().trim_matches('"').to_owned());
        }
    }
    Err(DiffError::Read(format!(
        "{}: no version in [workspace.package]",
        codegen::display_path(manifest)
    )))
}

/// The text of `path` at git revision `rev`, and how to name it: `REV:relative/path`.
fn at_revision(rev: &str, path: &Path) -> Result<(String, String), DiffError> {
    let absolute = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir()
            .map_err(|e| DiffError::Read(format!("cannot read the current directory: {e}")))?
            .join(path)
    };
    let dir = absolute.parent().unwrap_or(Path::new("/"));
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .map_err(|e| DiffError::Read(format!("cannot run git: {e}")))
    };
    let top = git(&["rev-parse", "--show-toplevel"])?;
    if !top.status.success() {
        return Err(DiffError::Read(format!(
            "{} is not inside a git repository: {}",
            codegen::display_path(path),
            String::from_utf8_lossy(&top.stderr).trim()
        )));
    }
    let top = PathBuf::from(String::from_utf8_lossy(&top.stdout).trim());
    let canonical_dir = dir.canonicalize().unwrap_or_else(|_| dir.to_owned());
    let name = absolute.file_name().unwrap_or_default();
    let relative = canonical_dir
        .strip_prefix(top.canonicalize().unwrap_or(top.clone()))
        .unwrap_or(Path::new(""))
        .join(name);
    let relative = relative.to_string_lossy().replace('\\', "/");
    let shown = format!("{rev}:{relative}");
    let out = git(&["show", &shown])?;
    if !out.status.success() {
        return Err(DiffError::Read(format!(
            "cannot read {shown}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let text = String::from_utf8(out.stdout)
        .map_err(|_| DiffError::Read(format!("{shown} is not UTF-8")))?;
    Ok((shown, text))
}
