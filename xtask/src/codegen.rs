//! `cargo xtask codegen`: read the spec, lint it, generate, format, and write (or `--check`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::generate::{self, GenerateError};
use crate::lint;
use crate::output;
use crate::spec::{LoadError, Spec};

/// The generated files, relative to the workspace root (or to `--out-dir`).
pub const GENERATED_FILES: [&str; 4] = [
    "crates/trustly-customers-api/src/generated.rs",
    "crates/trustly-customers/src/generated.rs",
    "crates/trustly-customers-cli/src/generated.rs",
    "crates/trustly-customers-mock/src/generated.rs",
];

/// What `codegen` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The spec to read.
    pub spec: PathBuf,
    /// The directory the generated files go under, at their paths in [`GENERATED_FILES`].
    pub out_dir: PathBuf,
    /// Change nothing; fail if any generated file is not what the spec generates.
    pub check: bool,
}

impl Options {
    /// The project's own spec and generated files.
    pub fn project_default() -> Options {
        let root = workspace_root();
        Options {
            spec: root.join("openapi/customers.yaml"),
            out_dir: root,
            check: false,
        }
    }
}

/// The workspace root (the xtask crate sits one level below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_owned()
}

/// How a run ended, other than success.
#[derive(Debug)]
pub enum Failure {
    /// `--check` found the checked-in file stale; carries the diff.
    Stale(String),
    /// The spec cannot be generated from; one line per problem.
    InvalidSpec(Vec<String>),
    /// The output could not be written.
    Io(String),
}

impl Failure {
    /// The process exit code: 1 stale, 2 invalid spec, 3 output not written.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Stale(_) => 1,
            Failure::InvalidSpec(_) => 2,
            Failure::Io(_) => 3,
        }
    }
}

/// What a successful run did, for the summary line.
#[derive(Debug)]
pub struct Report {
    /// Operations in the spec.
    pub operations: usize,
    /// Types generated.
    pub types: usize,
    /// Lines in the generated files.
    pub lines: usize,
    /// How many files changed (always none under `--check`).
    pub changed: usize,
    /// Time per step.
    pub timings: Timings,
}

/// Wall time of each step of one run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    /// Reading and parsing the YAML.
    pub parse: Duration,
    /// The lint, and the typed parse for the generator.
    pub lint: Duration,
    /// The generator proper.
    pub generate: Duration,
    /// Comparing with, and writing, the files on disk.
    pub write: Duration,
}

impl Timings {
    /// All steps together.
    pub fn total(&self) -> Duration {
        self.parse + self.lint + self.generate + self.write
    }
}

/// What each generated file should hold, header and code, in the order of [`GENERATED_FILES`];
/// with the number of generated types and the time each step took.
pub fn render(spec: &Spec) -> Result<(Vec<String>, usize, Timings), Failure> {
    let (code, types, mut timings) = render_code(spec)?;
    let started = Instant::now();
    let header = generate::header(&display_path(&spec.path), &spec.text);
    let rendered = code.iter().map(|code| format!("{header}{code}")).collect();
    timings.generate += started.elapsed();
    Ok((rendered, types, timings))
}

/// The generated files' code without their header, which names the spec's file and hash: what
/// a program compiles, the same for two specs that differ only in name or comments.
pub fn render_code(spec: &Spec) -> Result<(Vec<String>, usize, Timings), Failure> {
    let mut timings = Timings::default();
    let started = Instant::now();
    let problems = lint::lint(&spec.json);
    if !problems.is_empty() {
        let lines = problems
            .iter()
            .map(|p| {
                format!(
                    "{}: {} (at {})",
                    spec.locate(&p.pointer),
                    p.message,
                    pointer_display(&p.pointer)
                )
            })
            .collect();
        return Err(Failure::InvalidSpec(lines));
    }
    let openapi = spec
        .openapi()
        .map_err(|e| Failure::InvalidSpec(vec![e.to_string()]))?;
    timings.lint = started.elapsed();

    let started = Instant::now();
    let files = generate::generate_all(&openapi, &spec.json).map_err(|e: GenerateError| {
        Failure::InvalidSpec(vec![format!("{}: {e}", spec.path.display())])
    })?;
    timings.generate = started.elapsed();
    Ok((
        vec![files.api, files.client, files.cli, files.mock],
        files.types,
        timings,
    ))
}

/// Runs `codegen` with `options`.
pub fn run(options: &Options) -> Result<Report, Failure> {
    let started = Instant::now();
    // Messages name the spec as the user knows it: relative to the workspace when inside it.
    let shown = PathBuf::from(display_path(&options.spec));
    let text = std::fs::read_to_string(&options.spec)
        .map_err(|e| Failure::InvalidSpec(vec![LoadError::Read(shown.clone(), e).to_string()]))?;
    let spec = Spec::parse(&shown, text).map_err(|e| Failure::InvalidSpec(vec![e.to_string()]))?;
    let parse = started.elapsed();

    let (rendered, types, mut timings) = render(&spec)?;
    timings.parse = parse;

    let started = Instant::now();
    let targets: Vec<PathBuf> = GENERATED_FILES
        .iter()
        .map(|relative| options.out_dir.join(relative))
        .collect();
    let mut changed = 0;
    if options.check {
        let mut diffs = String::new();
        for (path, contents) in targets.iter().zip(&rendered) {
            let shown = display_path(path);
            let existing = output::read_existing(path)
                .map_err(|e| Failure::Io(format!("{shown}: cannot read: {e}")))?;
            match existing {
                Some(existing) if existing == *contents => {}
                Some(existing) => {
                    diffs.push_str(&output::unified_diff(&shown, &existing, contents))
                }
                None => diffs.push_str(&format!("{shown} does not exist\n")),
            }
        }
        if !diffs.is_empty() {
            return Err(Failure::Stale(diffs));
        }
    } else {
        // Every file is rendered before any is written (an invalid spec changes nothing), and
        // the files are replaced together (a failed write changes none of them).
        let files: Vec<(&Path, &str)> = targets
            .iter()
            .map(PathBuf::as_path)
            .zip(rendered.iter().map(String::as_str))
            .collect();
        changed = output::write_all_if_changed(&files).map_err(|(path, e)| {
            Failure::Io(format!(
                "{}: cannot write the generated file: {e}",
                display_path(path)
            ))
        })?;
    }
    timings.write = started.elapsed();

    Ok(Report {
        operations: lint::operation_count(&spec.json),
        types,
        lines: rendered.iter().map(|c| c.lines().count()).sum(),
        changed,
        timings,
    })
}

/// The one-line summary printed after a successful run.
pub fn summary(options: &Options, report: &Report) -> String {
    let state = match (options.check, report.changed) {
        (true, _) => "fresh".to_owned(),
        (false, 0) => "unchanged".to_owned(),
        (false, n) => format!("{n} written"),
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let t = &report.timings;
    let mut line = String::new();
    let _ = write!(
        line,
        "codegen: {} -> {} files: {} operations, {} types, {} lines, {state} in {:.1} ms \
         (parse {:.1}, lint {:.1}, generate {:.1}, write {:.1})",
        display_path(&options.spec),
        GENERATED_FILES.len(),
        report.operations,
        report.types,
        report.lines,
        ms(t.total()),
        ms(t.parse),
        ms(t.lint),
        ms(t.generate),
        ms(t.write),
    );
    line
}

/// A path relative to the workspace root when it is inside it, for stable messages and headers.
pub fn display_path(path: &Path) -> String {
    let root = workspace_root();
    let shown = path.strip_prefix(&root).unwrap_or(path);
    shown.display().to_string().replace('\\', "/")
}

fn pointer_display(pointer: &str) -> String {
    if pointer.is_empty() {
        "the document root".into()
    } else {
        format!("#{pointer}")
    }
}
