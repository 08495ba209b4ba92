//! Drift: how this project's spec differs from Trustly's own published OpenAPI document, and
//! whether the spec records each difference as a decision.
//!
//! The two documents are compared by the wire walker ([`crate::wire`]), Trustly's as the old
//! side and ours as the new: operations by method and path under each document's server,
//! parameters by location and name, schemas where they are used, property by property. Of what
//! it finds, drift keeps the structural differences ([`structural`]): documentation (operationIds,
//! descriptions, summaries, titles, tags, examples), the OpenAPI version, and the `x-` keys
//! (each document's own vocabulary, which the other cannot say) are not compared.
//!
//! A difference reads from Trustly's document to the spec: `property-added` is a property the
//! spec has and Trustly's document lacks, `nullable` with `not nullable → nullable` a schema the
//! spec makes nullable.
//!
//! A difference is *recorded* when a decision of the spec ([`decisions`], the `x-trustly`
//! convention of the registry) names its kind and what Trustly's document says
//! ([`trustly_side`]) on the object where the difference is, or on one that holds it; otherwise
//! it is *new*. A decision that matches no difference is *stale*:
//! Trustly's document changed, and the decision should go.

pub mod markdown;

use serde::Serialize;
use serde_json::Value;
use trustly_customers_spec::conventions::{ALL, Kind};
use trustly_customers_spec::facts::decisions::{self, Decision};

use crate::wire::pairing::HTTP_METHODS;
use crate::wire::rules::{self, Effect, RULES};
use crate::wire::{self, WireChange};

/// One document: its name in reports, the document, and `file:line` of a JSON pointer in it
/// (of its nearest ancestor that is in the file).
pub struct Document<'a> {
    /// How reports name it: a path.
    pub name: String,
    /// The document, as JSON.
    pub document: &'a Value,
    /// `file:line` of a JSON pointer.
    pub locate: &'a dyn Fn(&str) -> String,
}

impl std::fmt::Debug for Document<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// What drift found.
#[derive(Debug, Serialize)]
pub struct DriftReport {
    /// Our spec.
    pub ours: String,
    /// Trustly's document.
    pub theirs: String,
    /// How many differences are recorded by a decision.
    pub recorded: usize,
    /// How many differences no decision records.
    pub new: usize,
    /// How many decisions match no difference.
    pub stale: usize,
    /// Every difference, then every stale decision, in the order of the walk.
    pub differences: Vec<Difference>,
}

impl DriftReport {
    /// Whether every difference is recorded and no decision is stale.
    pub fn is_clean(&self) -> bool {
        self.new == 0 && self.stale == 0
    }
}

/// A difference, or a stale decision.
#[derive(Debug, Serialize)]
pub struct Difference {
    /// Recorded, new, or a stale decision.
    pub status: Status,
    /// What kind of difference (as the spec diff names kinds: `nullable`, `property-added`).
    pub kind: String,
    /// Where, readably: `Customer.phone`, `getCustomer: response 404`.
    #[serde(rename = "where")]
    pub place: String,
    /// Trustly's document's side → ours: `not nullable → nullable`.
    pub change: String,
    /// The group it is listed in: `operation POST /customers`, `schema Customer`, `document`.
    pub group: String,
    /// Where it is in our spec (where it would be, for what only Trustly's document has).
    pub ours: At,
    /// Where it is in Trustly's document (where it would be, for what only ours has); none for
    /// a stale decision.
    pub theirs: Option<At>,
    /// The decision that records it (or that is stale).
    pub decision: Option<RecordedDecision>,
    /// Why the spec differs: the decision's reason; for a new difference, what it does on the
    /// wire.
    pub reason: String,
}

/// Whether a difference is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// A decision of the spec records it.
    Recorded,
    /// No decision records it.
    New,
    /// A decision no difference matches.
    StaleDecision,
}

impl Status {
    /// Its name in reports.
    pub fn label(self) -> &'static str {
        match self {
            Status::Recorded => "recorded",
            Status::New => "new",
            Status::StaleDecision => "stale decision",
        }
    }
}

/// A place in one document.
#[derive(Debug, Serialize)]
pub struct At {
    /// Its JSON pointer (for a thing the document lacks, where it would be).
    pub pointer: String,
    /// `file:line:column` of it, or of its nearest ancestor in the file.
    pub location: String,
}

/// A decision as reports show it.
#[derive(Debug, Serialize)]
pub struct RecordedDecision {
    /// Where the decision is in our spec.
    pub at: At,
    /// What Trustly's document says, as the decision puts it.
    pub trustly: String,
}

/// Compares `ours` with `theirs`, Trustly's document.
pub fn compare(ours: &Document<'_>, theirs: &Document<'_>) -> DriftReport {
    let found: Vec<WireChange> = wire::diff(theirs.document, ours.document)
        .into_iter()
        .filter(structural)
        .collect();
    let decisions = decisions::decisions(ours.document);
    let mut used = vec![false; decisions.len()];
    let at = |doc: &Document<'_>, pointer: &str| At {
        pointer: pointer.to_owned(),
        location: (doc.locate)(pointer),
    };
    let mut differences = Vec::new();
    for change in &found {
        let decision = decisions
            .iter()
            .position(|d| records(d, change))
            .inspect(|i| used[*i] = true)
            .map(|i| &decisions[i]);
        differences.push(Difference {
            status: if decision.is_some() {
                Status::Recorded
            } else {
                Status::New
            },
            kind: change.kind.clone(),
            place: change.location.clone(),
            change: change.change.clone(),
            group: group(&change.pointer, ours.document),
            ours: at(ours, &change.pointer),
            theirs: Some(at(theirs, &change.before_pointer)),
            decision: decision.map(|d| RecordedDecision {
                at: at(ours, &d.pointer),
                trustly: d.trustly.to_owned(),
            }),
            reason: match decision {
                Some(d) => d.why.to_owned(),
                None => change.why.clone(),
            },
        });
    }
    for (d, _) in decisions.iter().zip(&used).filter(|(_, used)| !**used) {
        differences.push(Difference {
            status: Status::StaleDecision,
            kind: d.differs.to_owned(),
            place: d.at.clone(),
            change: format!("no `{}` difference here any more", d.differs),
            group: group(&d.at, ours.document),
            ours: at(ours, &d.at),
            theirs: None,
            decision: Some(RecordedDecision {
                at: at(ours, &d.pointer),
                trustly: d.trustly.to_owned(),
            }),
            reason: d.why.to_owned(),
        });
    }
    let count = |s: Status| differences.iter().filter(|d| d.status == s).count();
    DriftReport {
        ours: ours.name.clone(),
        theirs: theirs.name.clone(),
        recorded: count(Status::Recorded),
        new: count(Status::New),
        stale: count(Status::StaleDecision),
        differences,
    }
}

/// Whether drift compares a change the walker found: not documentation (a row whose effect is
/// text only), not the OpenAPI version (drift reads 3.0, 3.1 and 3.2 alike), and not an `x-`
/// key (ours are this project's conventions, theirs their tools' own; neither says anything
/// the other document can).
pub fn structural(change: &WireChange) -> bool {
    let Some(rule) = RULES.iter().find(|r| r.id == change.rule) else {
        return true;
    };
    if rule.effect == Effect::Docs
        || rule.id == rules::OPENAPI_VERSION.id
        || rule.id == rules::UNRECOGNISED_EXTENSION.id
    {
        return false;
    }
    // A convention's kind is its name, after its place (`operation-x-idempotent`).
    let extension = ALL.iter().any(|c| {
        c.kind() == Kind::Extension
            && (change.kind == c.name || change.kind.ends_with(&format!("-{}", c.name)))
    });
    !(rule.convention.is_some() && extension)
}

/// Whether `decision` records `change`: it names the change's kind and what Trustly's document
/// says ([`trustly_side`]), and stands where the change is or on an object that holds it. A
/// decision made when Trustly's document said one thing does not record a difference once it
/// says another.
fn records(decision: &Decision<'_>, change: &WireChange) -> bool {
    decision.differs == change.kind
        && decision.trustly == trustly_side(change)
        && within(&change.pointer, &decision.at)
}

/// What Trustly's document says of a difference, as a decision names it: the old side of the
/// change (`not nullable` of `not nullable → nullable`); `absent` for what only the spec has
/// (a kind that is an addition), `present` for what only Trustly's document has.
pub fn trustly_side(change: &WireChange) -> String {
    match change.change.split_once(" → ") {
        Some((theirs, _)) => theirs.to_owned(),
        None if change.kind.contains("added") => "absent".to_owned(),
        None => "present".to_owned(),
    }
}

/// Whether `pointer` is `at` or inside it.
fn within(pointer: &str, at: &str) -> bool {
    pointer
        .strip_prefix(at)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The group a place of our spec is listed in: `schema Customer`, `operation POST
/// /customers/{customerId} (replaceCustomer)`, `document`.
fn group(pointer: &str, ours: &Value) -> String {
    let parts: Vec<&str> = pointer.split('/').collect();
    match parts.as_slice() {
        ["", "components", "schemas", name, ..] => format!("schema {}", unescape(name)),
        ["", "paths", path, method, ..] if HTTP_METHODS.contains(method) => {
            let id = ours
                .pointer(&format!("/paths/{path}/{method}/operationId"))
                .and_then(Value::as_str)
                .map_or_else(String::new, |id| format!(" ({id})"));
            format!("operation {} {}{id}", method.to_uppercase(), unescape(path))
        }
        ["", "paths", path, ..] => format!("path {}", unescape(path)),
        _ => "document".to_owned(),
    }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}
