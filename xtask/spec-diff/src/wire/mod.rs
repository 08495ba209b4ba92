//! The wire half of the spec diff: every change between two OpenAPI documents that a client or
//! a server can see on the wire, each with its classes and a one-line reason.
//!
//! Three parts, kept apart:
//!
//! - [`pairing`] matches what the two documents describe: operations by method and path (the
//!   path relative to the document's server, its parameters' names left out), parameters by
//!   location and name, responses by status, media types by name, properties by name. It knows
//!   nothing of what a change means.
//! - [`facts`] reads what a schema says (its JSON types, whether `null` is valid, its values),
//!   also in OpenAPI 3.1's forms (`type: [string, "null"]`, `const`).
//! - [`rules`] is the table of what a change means: one row per kind of change, with its effect
//!   and reason. The walker (`walk/`) compares each pair, decides which row a difference is, and
//!   records it where it is; [`classify`] turns the row's effect into classes.
//!
//! A schema is compared once per place it is used, with the direction of that place: a change
//! that narrows what is valid (a new required property, a lower `maxLength`, a removed enum
//! value) breaks clients where they send the schema and the server side where it sends it; a
//! change that widens it breaks the other side. A component used both ways (`Customer` is a
//! request and a response body) gets both classes. Anything the walker does not recognise, a
//! keyword or an `x-` key that is not one of the spec's conventions, is reported as breaking
//! both sides, never passed over as documentation.

pub mod classify;
pub mod facts;
pub mod pairing;
pub mod reference;
pub mod rules;
mod walk;

#[cfg(test)]
mod tests;

use serde::Serialize;
use serde_json::Value;

/// What a wire change means for whom.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Clients written against the old spec can fail against a server of the new one.
    BreakingClient,
    /// The server side (the emulator, and Trustly itself) must change to honour the new spec.
    BreakingServer,
    /// New capability; nothing written against the old spec stops working.
    Additive,
    /// Text only: descriptions, examples, summaries, tags.
    Documentation,
}

impl Class {
    /// Its name in reports.
    pub fn label(self) -> &'static str {
        match self {
            Class::BreakingClient => "breaking for clients",
            Class::BreakingServer => "breaking for the server side",
            Class::Additive => "additive",
            Class::Documentation => "documentation only",
        }
    }

    /// Whether it breaks anyone.
    pub fn is_breaking(self) -> bool {
        matches!(self, Class::BreakingClient | Class::BreakingServer)
    }
}

/// Which way a schema travels where it is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Sent by clients: a parameter or a request body.
    Request,
    /// Sent by the server: a response body or header.
    Response,
}

/// One change on the wire.
#[derive(Clone, Debug, Serialize)]
pub struct WireChange {
    /// Its classes, most severe first; never empty.
    pub classes: Vec<Class>,
    /// What kind of change: `property-required`, `status-removed`, ...
    pub kind: String,
    /// Where, readably: `Customer.phone`, `getCustomer: response 404`, `server https://...`.
    pub location: String,
    /// The JSON pointer of the place in the new spec (the old one for a removal).
    pub pointer: String,
    /// The JSON pointer of the same place in the old spec: where the walk stood there when it
    /// found the change (operations, parameters and components are written at other places
    /// in each document).
    #[serde(skip)]
    pub before_pointer: String,
    /// Which way the schema travels where it changed (empty when that does not apply).
    pub directions: Vec<Direction>,
    /// The operations (by operationId) it affects, when it is inside one.
    pub operations: Vec<String>,
    /// Old and new value, readably: `optional → required`.
    pub change: String,
    /// Why it has its classes, in one line.
    pub why: String,
    /// The id of the row of [`rules::RULES`] it is.
    #[serde(skip)]
    pub rule: &'static str,
}

impl WireChange {
    /// Whether it breaks clients or the server side.
    pub fn is_breaking(&self) -> bool {
        self.classes.iter().any(|c| c.is_breaking())
    }
}

/// Every wire change from `before` to `after`, in the order of the walk: the document, its
/// servers and security schemes, each operation, then component schemas no operation uses.
pub fn diff(before: &Value, after: &Value) -> Vec<WireChange> {
    walk::Walker::new(before, after).run()
}
