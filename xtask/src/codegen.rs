//! `cargo xtask codegen`: read the spec, lint it, generate, format, and write (or `--check`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::generate::{self, GenerateError};
use crate::lint;
use crate::output::{self, Written};
use crate::spec::{LoadError, Spec};

/// What `codegen` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The spec to read.
    pub spec: PathBuf,
    /// The generated file to write or check.
    pub out: PathBuf,
    /// Change nothing; fail if `out` is not what the spec generates.
    pub check: bool,
}

impl Options {
    /// The project's own spec and generated file.
    pub fn project_default() -> Options {
        let root = workspace_root();
        Options {
            spec: root.join("openapi/customers.yaml"),
            out: root.join("crates/trustly-customers-api/src/generated.rs"),
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
    /// Lines in the generated file.
    pub lines: usize,
    /// Whether the file changed (always `Unchanged` under `--check`).
    pub written: Written,
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
    /// Comparing with, and writing, the file on disk.
    pub write: Duration,
}

impl Timings {
    /// All steps together.
    pub fn total(&self) -> Duration {
        self.parse + self.lint + self.generate + self.write
    }
}

/// Generates the file `options.out` should hold: header and code.
pub fn render(spec: &Spec) -> Result<(String, usize, Timings), Failure> {
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
    let settings = generate::settings(&spec.json);
    let generated = generate::generate(&openapi, &settings).map_err(|e: GenerateError| {
        Failure::InvalidSpec(vec![format!("{}: {e}", spec.path.display())])
    })?;
    let mut file = generate::header(&display_path(&spec.path), &spec.text);
    file.push_str(&generated.code);
    timings.generate = started.elapsed();
    Ok((file, generated.types, timings))
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

    let (contents, types, mut timings) = render(&spec)?;
    timings.parse = parse;

    let started = Instant::now();
    let out_display = display_path(&options.out);
    let written = if options.check {
        let existing = output::read_existing(&options.out)
            .map_err(|e| Failure::Io(format!("{out_display}: cannot read: {e}")))?;
        match existing {
            Some(existing) if existing == contents => Written::Unchanged,
            Some(existing) => {
                return Err(Failure::Stale(output::unified_diff(
                    &out_display,
                    &existing,
                    &contents,
                )));
            }
            None => return Err(Failure::Stale(format!("{out_display} does not exist\n"))),
        }
    } else {
        output::write_if_changed(&options.out, &contents).map_err(|e| {
            Failure::Io(format!(
                "{out_display}: cannot write the generated file: {e}"
            ))
        })?
    };
    timings.write = started.elapsed();

    Ok(Report {
        operations: lint::operation_count(&spec.json),
        types,
        lines: contents.lines().count(),
        written,
        timings,
    })
}

/// The one-line summary printed after a successful run.
pub fn summary(options: &Options, report: &Report) -> String {
    let state = match (options.check, report.written) {
        (true, _) => "fresh",
        (false, Written::Unchanged) => "unchanged",
        (false, Written::Changed) => "written",
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let t = &report.timings;
    let mut line = String::new();
    let _ = write!(
        line,
        "codegen: {} -> {}: {} operations, {} types, {} lines, {state} in {:.1} ms \
         (parse {:.1}, lint {:.1}, generate {:.1}, write {:.1})",
        display_path(&options.spec),
        display_path(&options.out),
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
