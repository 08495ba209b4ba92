//! The spec diff: what a change from one OpenAPI document to another breaks, on the wire and in
//! the Rust crates generated from it, with the version bump it needs and whether the changelog
//! records it.
//!
//! - [`wire`]: every change a client or a server can see on the wire, each classed by a row of
//!   [`wire::rules::RULES`] and the direction the schema travels where it changed. It reads two
//!   JSON documents and nothing else, so it compares any two OpenAPI documents.
//! - [`rust`]: the public API of each generated crate, entry by entry (the entries are read by
//!   `generated_code`), under Cargo's semver rules.
//! - [`conventions`]: how a change of one of the spec's conventions is classed, from their
//!   registry (`trustly_customers_spec::conventions`).
//! - [`changelog`]: whether a breaking change is recorded under the next version.
//! - [`drift`]: how the spec differs from Trustly's own published document, and whether the
//!   spec records each difference as a decision (`cargo xtask drift`).
//! - [`report`]: the report as Markdown; [`Report`] serialises as JSON.
//!
//! It runs no generator: the caller (`cargo xtask diff`) reads both specs, generates the code of
//! each, and hands the documents and the generated files to [`compare`].

pub mod changelog;
pub mod conventions;
pub mod drift;
pub mod report;
pub mod rust;
pub mod wire;

use generated_code::{api, cli};
use serde::Serialize;
use serde_json::Value;

/// One side of the comparison: a spec and the code generated from it.
pub struct Side<'a> {
    /// How reports name it: `HEAD:openapi/customers.yaml`, or a path.
    pub name: String,
    /// The document, as JSON.
    pub document: &'a Value,
    /// The file's text (a change of text alone is a patch of the crates that embed it).
    pub text: &'a str,
    /// The code generated from it.
    pub generated: Generated<'a>,
    /// `file:line` of a JSON pointer in it.
    pub locate: &'a dyn Fn(&str) -> String,
}

impl std::fmt::Debug for Side<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Side")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// The generated files whose public API is compared.
#[derive(Debug, Clone, Copy)]
pub struct Generated<'a> {
    /// `crates/trustly-customers-api/src/generated.rs`.
    pub api: &'a str,
    /// `crates/trustly-customers/src/generated.rs`.
    pub client: &'a str,
    /// `crates/trustly-customers-cli/src/generated.rs`.
    pub cli: &'a str,
}

/// The changelog to check, with `--require-changelog`.
#[derive(Debug)]
pub struct Changelog<'a> {
    /// How messages name it.
    pub file: String,
    /// Its text now.
    pub text: &'a str,
    /// Its text before the change, when known.
    pub base: Option<&'a str>,
}

/// What [`compare`] takes besides the two sides.
#[derive(Debug)]
pub struct Context<'a> {
    /// The workspace's one version now.
    pub version: String,
    /// The generated crate's surface listing, from the base's to the head's, as a unified diff.
    pub surface_diff: String,
    /// The changelog check, when asked for.
    pub changelog: Option<Changelog<'a>>,
}

/// Compares `base` with `head`: the wire changes, each crate's API change and the version bump
/// they need, and the changelog check. An error when a generated file does not parse.
pub fn compare(base: &Side<'_>, head: &Side<'_>, context: Context<'_>) -> Result<Report, String> {
    let changes: Vec<WireChangeAt> = wire::diff(base.document, head.document)
        .into_iter()
        .map(|change| {
            let source = if head.document.pointer(&change.pointer).is_some() {
                (head.locate)(&change.pointer)
            } else {
                (base.locate)(&change.pointer)
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
    let crates = crate_reports(
        &base.generated,
        &head.generated,
        &wire,
        base.text != head.text,
    )?;
    let level = crates
        .iter()
        .map(|c| c.level)
        .max()
        .unwrap_or(rust::Level::None);
    let version = VersionBump {
        next: level.next_version(&context.version),
        current: context.version,
        level,
    };
    let breaking = wire.breaking_client + wire.breaking_server > 0
        || crates.iter().any(|c| c.level == rust::Level::Breaking);
    let changelog = context
        .changelog
        .map(|c| changelog::check(&c.file, c.text, c.base, breaking));
    Ok(Report {
        base: base.name.clone(),
        head: head.name.clone(),
        breaking,
        wire,
        crates,
        version,
        surface_diff: context.surface_diff,
        changelog,
    })
}

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

/// The per-crate verdicts. Every crate shares one version, so the workspace takes the highest.
fn crate_reports(
    base: &Generated<'_>,
    head: &Generated<'_>,
    wire: &WireReport,
    spec_changed: bool,
) -> Result<Vec<CrateReport>, String> {
    let api = |b: &str, a: &str| {
        Ok::<_, String>(rust::compare(&api::entries(b)?, &api::entries(a)?, b != a))
    };
    let (api_level, api_changes) = api(base.api, head.api)?;
    let (client_own, client_changes) = api(base.client, head.client)?;
    let (cli_level, cli_changes) = rust::compare(
        &cli::entries(base.cli)?,
        &cli::entries(head.cli)?,
        base.cli != head.cli,
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
