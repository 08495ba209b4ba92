//! The spec's conventions, as far as the diff reads them: each one's name, where it stands, and
//! which rows of [`crate::wire::rules`] class a change of it.
//!
//! This is the only place the diff names a convention. An `x-` key that is not here is
//! unrecognised, and its change is taken as breaking until it is classified
//! ([`crate::wire::rules::UNRECOGNISED_EXTENSION`]).

use crate::wire::rules::{self, Rule};

/// Where a convention stands in the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// On a server object.
    Server,
    /// On an operation.
    Operation,
    /// On a schema (or a property's schema).
    Schema,
}

/// How a change of a convention is classed.
#[derive(Debug)]
pub enum Classing {
    /// Any change of its value is this row.
    Value(&'static Rule),
    /// A flag (`true` or absent): one row for set, one for cleared.
    Flag {
        /// It became `true`.
        set: &'static Rule,
        /// It stopped being `true`.
        cleared: &'static Rule,
    },
    /// A promise (a flag, or a list that promises when not empty): made, withdrawn, or changed
    /// while kept.
    Promise {
        /// It is promised now and was not.
        made: &'static Rule,
        /// It was promised and is not now.
        withdrawn: &'static Rule,
        /// It was and is promised, otherwise.
        changed: &'static Rule,
    },
}

/// One convention.
#[derive(Debug)]
pub struct Convention {
    /// The key in the spec.
    pub name: &'static str,
    /// Where it stands.
    pub place: Place,
    /// How a change of it is classed.
    pub classing: Classing,
}

/// `x-environment`: the name clients choose a server by.
pub static ENVIRONMENT: Convention = Convention {
    name: "x-environment",
    place: Place::Server,
    classing: Classing::Value(&rules::SERVER_ENVIRONMENT),
};

/// `x-cli-name`: the command-line name of an operation.
pub static CLI_NAME: Convention = Convention {
    name: "x-cli-name",
    place: Place::Operation,
    classing: Classing::Value(&rules::OPERATION_CLI_NAME),
};

/// `x-idempotent`: a POST that is safe to repeat.
pub static IDEMPOTENT: Convention = Convention {
    name: "x-idempotent",
    place: Place::Operation,
    classing: Classing::Promise {
        made: &rules::REPEAT_PROMISED,
        withdrawn: &rules::REPEAT_WITHDRAWN,
        changed: &rules::REPEAT_CHANGED,
    },
};

/// `x-idempotent-when-given`: safe to repeat when one of these parameters or properties is
/// given.
pub static IDEMPOTENT_WHEN_GIVEN: Convention = Convention {
    name: "x-idempotent-when-given",
    place: Place::Operation,
    classing: Classing::Promise {
        made: &rules::REPEAT_PROMISED,
        withdrawn: &rules::REPEAT_WITHDRAWN,
        changed: &rules::REPEAT_CHANGED,
    },
};

/// `x-pii`: personal data, never shown in `Debug` or logs.
pub static PII: Convention = Convention {
    name: "x-pii",
    place: Place::Schema,
    classing: Classing::Value(&rules::SCHEMA_PII),
};

/// `readOnly`: the server owns the property; requests never carry it.
pub static READ_ONLY: Convention = Convention {
    name: "readOnly",
    place: Place::Schema,
    classing: Classing::Flag {
        set: &rules::READ_ONLY_SET,
        cleared: &rules::READ_ONLY_CLEARED,
    },
};

/// `nullable`: `null` is valid (and removes the property).
pub static NULLABLE: Convention = Convention {
    name: "nullable",
    place: Place::Schema,
    classing: Classing::Flag {
        set: &rules::NULLABLE_SET,
        cleared: &rules::NULLABLE_CLEARED,
    },
};

/// Every convention the diff reads.
pub static CONVENTIONS: &[&Convention] = &[
    &ENVIRONMENT,
    &CLI_NAME,
    &IDEMPOTENT,
    &IDEMPOTENT_WHEN_GIVEN,
    &PII,
    &READ_ONLY,
    &NULLABLE,
];

/// The conventions that stand at `place`.
pub fn at(place: Place) -> impl Iterator<Item = &'static Convention> {
    CONVENTIONS
        .iter()
        .copied()
        .filter(move |c| c.place == place)
}

/// Whether `key` is a convention that stands at `place`.
pub fn known(place: Place, key: &str) -> bool {
    at(place).any(|c| c.name == key)
}
