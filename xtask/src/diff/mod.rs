//! `cargo xtask diff [BASE]`: what a spec change breaks, on the wire and in the Rust crates.
//!
//! The spec at git revision `BASE` (or in a file, `--from`) is compared with the spec in the
//! working tree. Both are linted and generated in memory, exactly as `codegen` does, so the Rust
//! half compares the code each spec generates; nothing is built and nothing is written.

pub mod changelog;
pub mod cli;
pub mod report;
pub mod rust;
pub mod wire;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde::Serialize;

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

/// The whole comparison, as printed (Markdown) or serialised (`--format json`).
#[derive(Debug, Serialize)]
pub struct Report {
    /// What the old spec is: `HEAD:openapi/customers.yaml`, or a path.
    pub base: String,
    /// What the new spec is.
    pub head: String,
    /// Whether anything breaks, at either level.
    pub breaking: bool,
    /// The wire level.
    pub wire: WireReport,
    /// The Rust level, one entry per published crate.
    pub crates: Vec<CrateReport>,
    /// The workspace's one version and the version the change needs.
    pub version: VersionBump,
    /// The generated crate's surface listing (the snapshot's), as a unified diff.
    pub surface_diff: String,
    /// The changelog check, with `--require-changelog`.
    pub changelog: Option<changelog::Check>,
}

/// The wire changes and their counts by class.
#[derive(Debug, Serialize)]
pub struct WireReport {
    /// Changes that break clients.
    pub breaking_client: usize,
    /// Changes that break the server side.
    pub breaking_server: usize,
    /// Additive changes.
    pub additive: usize,
    /// Documentation-only changes.
    pub documentation: usize,
    /// Every change, in the order of the spec.
    pub changes: Vec<WireChangeAt>,
}

/// A wire change and where it is in the spec file.
#[derive(Debug, Serialize)]
pub struct WireChangeAt {
    /// The change.
    #[serde(flatten)]
    pub change: wire::WireChange,
    /// `file:line` of it (in the old spec for a removal).
    pub source: String,
}

/// What one crate needs.
#[derive(Debug, Serialize)]
pub struct CrateReport {
    /// The crate.
    pub name: String,
    /// The level of its change.
    pub level: rust::Level,
    /// Why it has that level, when it is not from its own API alone.
    pub note: String,
    /// Its API changes.
    pub changes: Vec<rust::ApiChange>,
}

/// The version every crate shares, before and after.
#[derive(Debug, Serialize)]
pub struct VersionBump {
    /// Now.
    pub current: String,
    /// What the change needs.
    pub next: String,
    /// The level that decides it.
    pub level: rust::Level,
}

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

    let changes: Vec<WireChangeAt> = wire::diff(&base.json, &head.json)
        .into_iter()
        .map(|change| {
            let source = if head.json.pointer(&change.pointer).is_some() {
                head.locate(&change.pointer)
            } else {
                base.locate(&change.pointer)
            };
            WireChangeAt { change, source }
        })
        .collect();
    let count = |class: wire::Class| {
        changes
            .iter()
            .filter(|c| c.change.classes.contains(&class))
            .count()
    };
    let wire = WireReport {
        breaking_client: count(wire::Class::BreakingClient),
        breaking_server: count(wire::Class::BreakingServer),
        additive: count(wire::Class::Additive),
        documentation: count(wire::Class::Documentation),
        changes,
    };

    let crates = crate_reports(&base_files, &head_files, &wire, base.text != head.text)?;
    let current = workspace_version(&options.manifest)?;
    let level = crates
        .iter()
        .map(|c| c.level)
        .max()
        .unwrap_or(rust::Level::None);
    let version = VersionBump {
        next: level.next_version(&current),
        current,
        level,
    };
    let surface_diff = crate::output::labelled_diff(
        &format!("trustly-customers-api surface from {base_shown}"),
        &format!("trustly-customers-api surface from {head_shown}"),
        &crate::surface::listing(&base_files[0]),
        &crate::surface::listing(&head_files[0]),
    );
    let breaking = wire.breaking_client + wire.breaking_server > 0
        || crates.iter().any(|c| c.level == rust::Level::Breaking);
    let changelog = if options.require_changelog {
        let text = std::fs::read_to_string(&options.changelog).map_err(|e| {
            DiffError::Read(format!(
                "{}: cannot read the changelog: {e}",
                codegen::display_path(&options.changelog)
            ))
        })?;
        Some(changelog::check(
            &codegen::display_path(&options.changelog),
            &text,
            base_changelog.as_deref(),
            breaking,
        ))
    } else {
        None
    };
    let report = Report {
        base: base_shown,
        head: head_shown,
        breaking,
        wire,
        crates,
        version,
        surface_diff,
        changelog,
    };
    Ok((report, started.elapsed()))
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

/// The generated files of a spec, as `codegen` would write them, in the order of
/// [`codegen::GENERATED_FILES`].
fn rendered(spec: &Spec) -> Result<Vec<String>, DiffError> {
    match codegen::render(spec) {
        Ok((files, _, _)) => Ok(files),
        Err(Failure::InvalidSpec(lines)) => Err(DiffError::InvalidSpec(lines)),
        Err(Failure::Stale(text) | Failure::Io(text)) => Err(DiffError::Read(text)),
    }
}

/// The per-crate verdicts. Every crate shares one version, so the workspace takes the highest.
fn crate_reports(
    base: &[String],
    head: &[String],
    wire: &WireReport,
    spec_changed: bool,
) -> Result<Vec<CrateReport>, DiffError> {
    let entries = |code: &str| rust::entries(code).map_err(DiffError::Read);
    let cli_entries = |code: &str| cli::entries(code).map_err(DiffError::Read);
    let (api_level, api_changes) =
        rust::compare(&entries(&base[0])?, &entries(&head[0])?, base[0] != head[0]);
    let (client_own, client_changes) =
        rust::compare(&entries(&base[1])?, &entries(&head[1])?, base[1] != head[1]);
    let (cli_level, cli_changes) = rust::compare(
        &cli_entries(&base[2])?,
        &cli_entries(&head[2])?,
        base[2] != head[2],
    );
    let client_level = client_own.max(api_level);
    let client_note = if api_level > client_own {
        "re-exports trustly-customers-api's `types` (and the crate as `api`), so it takes that crate's change".to_owned()
    } else {
        String::new()
    };
    // The spec crate embeds the spec and the emulator serves it: their behaviour is the wire's.
    // Their users are clients, so what breaks clients breaks them; what breaks the server side
    // is new behaviour the emulator must have (and the tests check it has).
    let wire_level = if wire.breaking_client > 0 {
        rust::Level::Breaking
    } else if wire.additive + wire.breaking_server > 0 {
        rust::Level::Additive
    } else if spec_changed {
        rust::Level::Patch
    } else {
        rust::Level::None
    };
    let behaviour = |what: &str| {
        if wire_level == rust::Level::None {
            String::new()
        } else {
            let server = if wire.breaking_server > 0 {
                " (a change that breaks the server side is behaviour it must now have)"
            } else {
                ""
            };
            format!(
                "{what}; its Rust API does not depend on the spec, its behaviour is the wire's{server}"
            )
        }
    };
    Ok(vec![
        CrateReport {
            name: "trustly-customers-api".to_owned(),
            level: api_level,
            note: String::new(),
            changes: api_changes,
        },
        CrateReport {
            name: "trustly-customers".to_owned(),
            level: client_level,
            note: client_note,
            changes: client_changes,
        },
        CrateReport {
            name: "trustly-customers-cli".to_owned(),
            level: cli_level,
            note: "a binary: its API is its command line".to_owned(),
            changes: cli_changes,
        },
        CrateReport {
            name: "trustly-customers-mock".to_owned(),
            level: wire_level,
            note: behaviour("serves the embedded spec"),
            changes: Vec::new(),
        },
        CrateReport {
            name: "trustly-customers-spec".to_owned(),
            level: wire_level,
            note: behaviour("embeds the spec and checks bodies against it"),
            changes: Vec::new(),
        },
    ])
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
