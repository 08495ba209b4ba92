//! The registry of the spec's conventions: every key of `openapi/customers.yaml` that the code
//! generator, the emulator or the command line reads beyond what OpenAPI itself says, one row
//! each, as data.
//!
//! A row ([`Convention`]) says the key's name; whether it is an OpenAPI keyword given a meaning
//! here or an extension of its own ([`Kind`]); where in the document it may stand ([`Place`]);
//! the value it takes ([`ValueType`]); what it means; which pass or emitter of the code
//! generator carries it into the code; and how the spec diff classes a change of it
//! ([`DiffClass`]).
//!
//! This file is the only one that spells the names. Everyone else reads them from here:
//! [`facts`](crate::facts), the one reader of conventions for the generator, the emulator and
//! the command line; the schema checker; the codegen lint, which refuses an `x-` key that is not
//! a row (with the closest row's name as a hint), a convention where its row does not let it
//! stand, and a value of the wrong type; the spec diff (`xtask/spec-diff`), which knows a
//! convention where its row lets it stand, classes a change of it by its [`DiffClass`] and
//! shows the row's reason; and the docs, whose convention lists (README.md, the top of the
//! spec, the table below) are checked against [`ALL`] by a test.
//! `required` is not a row: it is standard JSON Schema and means here what it means there.
//!
//! # Adding a convention
//!
//! 1. One row here: a `pub const` [`Convention`] and its entry in [`ALL`]. The lint then accepts
//!    the key where the row says it may stand, with the value it says; the spec diff classes a
//!    change of it as its `diff` says; and the docs test prints the new convention lists to
//!    paste into the docs it checks.
//! 2. The pass or emitter that carries it (named in the row's `carried_by`), reading it through
//!    [`facts`](crate::facts).
//!
//! A value type not yet in [`ValueType`] also needs its check in the lint; a place not yet in
//! [`Place`], its check in the lint and where the spec diff meets it (the compiler asks for
//! it); a [`DiffClass`] at a place where the spec diff gives it no meaning yet (a promise on a
//! schema), that meaning, which the diff's tests ask for.
//!
//! # The conventions
//!
//! <!-- conventions -->
//! | name | where | value | meaning | carried by |
//! | --- | --- | --- | --- | --- |
//! | `x-pii` | a component schema, or a property of a component schema | `true` or `false` | personal data: `Debug`, `Display`, errors and logs never show the value | `passes::redact::pii_debug`, `passes::newtypes::string_ids`, `emit::client` |
//! | `readOnly` | a property of a component schema | `true` or `false` | the server owns the property: requests never carry it, the emulator ignores it in requests, the generated types give it no setter | `passes::builders::constructors`, `emit::client` |
//! | `nullable` | a schema | `true` or `false` | `null` is valid: sent for a property, it removes the property (the generated types can send it) | `passes::nullable::tri_state`, `emit::client` |
//! | `x-cli-name` | an operation | a command name in kebab-case, such as `get` | the operation's command on the command line (without it: the operationId in kebab-case) | `emit::cli` |
//! | `x-idempotent` | an operation | `true` or `false` | repeating the request is safe, so clients may retry it (a GET, PUT or DELETE is without it) | `emit::client` |
//! | `x-idempotent-when-given` | an operation | a non-empty list of `query: NAME`, `path: NAME`, `header: NAME` or `body: PROPERTY` | repeating the request is safe when it gives one of these parameters or body properties | `emit::client` |
//! | `x-environment` | a server of the document's `servers` | a lowercase name, such as `sandbox` | the name clients choose the server by; the first server named is their default | `emit::client` |
//! | `x-known-values` | a component schema | a non-empty list of `{value, name, description}` on an integer schema without `enum`: values it allows and names in UpperCamelCase, each once | values the API is known to use, each named and described; other values stay valid (unlike an `enum`'s): the generated type has a constant per value, the emulator answers with them | `passes::known_values::named_constants`, `emit::mock` |
//! | `x-trustly` | a schema, or an operation, or a server of the document's `servers` | a non-empty list of `{differs, trustly, why}`: a kind of difference `cargo xtask drift` reports, what Trustly's document says as drift shows it (the old side of the change, or `absent`), why this spec differs | a recorded decision: where this spec differs from Trustly's published OpenAPI document here (or in what this object holds), what that document says and why; `cargo xtask drift` reports every other difference as new, and a decision no difference matches as stale | `drift` |
//! <!-- /conventions -->

pub mod render;

/// An OpenAPI keyword given a meaning here, or an extension of the spec's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A keyword of OpenAPI's schema object (`readOnly`, `nullable`): OpenAPI says what it is,
    /// the row says what the code makes of it.
    Keyword,
    /// An `x-` key: OpenAPI lets a document carry it, and only this registry says what it is.
    Extension,
}

/// Where in the document a convention may stand. An object of the document is at one or more
/// places: a property of a component schema is both a [`Place::Property`] and a
/// [`Place::Schema`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A component schema: an entry of `components/schemas` itself (`#/components/schemas/Name`).
    ComponentSchema,
    /// An entry of the `properties` of a schema of `components/schemas`: the properties the
    /// generated types have fields for.
    Property,
    /// Any schema object: a component, a property, an item, a branch of `allOf`, a parameter's.
    Schema,
    /// An operation of a path item (`#/paths/~1customers/post`).
    Operation,
    /// A server of the document's own `servers` (not a path item's or an operation's).
    Server,
}

impl Place {
    /// The place in words, for messages and docs: "an operation".
    pub fn describe(self) -> &'static str {
        match self {
            Place::ComponentSchema => "a component schema",
            Place::Property => "a property of a component schema",
            Place::Schema => "a schema",
            Place::Operation => "an operation",
            Place::Server => "a server of the document's `servers`",
        }
    }
}

/// The value a convention takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// `true` or `false`; only `true` says anything.
    Flag,
    /// A command name: lowercase words (letters and digits, starting with a letter) joined by
    /// `-`, such as `get-customer`.
    CommandName,
    /// An environment name: lowercase words joined by `-`, such as `sandbox`.
    EnvironmentName,
    /// A non-empty list of one-key maps `{query|path|header|body: NAME}`: a parameter of the
    /// operation, or a property of its JSON body.
    GivenList,
    /// A non-empty list of maps `{value, name, description}` on an integer schema with no
    /// `enum`: each value one the schema allows, each name in UpperCamelCase, neither twice.
    KnownValues,
    /// A non-empty list of maps `{differs, trustly, why}`, each a non-empty string: the kind
    /// of difference from Trustly's published document it records, what that document says,
    /// and why the spec differs.
    Decisions,
}

impl ValueType {
    /// The value in words, for messages and docs: "`true` or `false`".
    pub fn describe(self) -> &'static str {
        match self {
            ValueType::Flag => "`true` or `false`",
            ValueType::CommandName => "a command name in kebab-case, such as `get`",
            ValueType::EnvironmentName => "a lowercase name, such as `sandbox`",
            ValueType::GivenList => {
                "a non-empty list of `query: NAME`, `path: NAME`, `header: NAME` or `body: PROPERTY`"
            }
            ValueType::KnownValues => {
                "a non-empty list of `{value, name, description}` on an integer schema without \
                 `enum`: values it allows and names in UpperCamelCase, each once"
            }
            ValueType::Decisions => {
                "a non-empty list of `{differs, trustly, why}`: a kind of difference `cargo \
                 xtask drift` reports, what Trustly's document says as drift shows it (the old \
                 side of the change, or `absent`), why this spec differs"
            }
        }
    }
}

/// How the spec diff classes a change of a convention, by what the change does to clients and
/// to the server side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffClass {
    /// Documentation only: the wire is the same. `reason` says what changes besides the text.
    Documentation {
        /// What the change does, since it is not the wire.
        reason: &'static str,
    },
    /// Setting it widens what is valid; removing it narrows it (in whichever direction the
    /// schema travels).
    WidensWhenSet,
    /// Setting it gives the value to the server: what requests may carry narrows (`set` says
    /// why), and removing it widens what requests carry (`unset` says why).
    ServerOwnedWhenSet {
        /// Why setting it narrows requests.
        set: &'static str,
        /// Why removing it widens requests.
        unset: &'static str,
    },
    /// A promise the server makes: making it breaks the server side (`made`: the server must
    /// keep it), withdrawing it breaks clients (`withdrawn`: they may rely on it), and changing
    /// what it promises breaks both (`changed`).
    ServerPromise {
        /// Why making the promise breaks the server side.
        made: &'static str,
        /// Why withdrawing it breaks clients.
        withdrawn: &'static str,
        /// Why changing it otherwise breaks both.
        changed: &'static str,
    },
    /// Something clients choose by: any change of it breaks clients.
    ChosenByClients {
        /// Why a change breaks clients.
        reason: &'static str,
    },
}

/// One convention of the spec: a row of the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Convention {
    /// The key as the spec spells it.
    pub name: &'static str,
    /// Where it may stand; anywhere else the lint refuses it.
    pub places: &'static [Place],
    /// The value it takes.
    pub value: ValueType,
    /// What it means, in one line (the docs' tables show it).
    pub meaning: &'static str,
    /// The passes and emitters of the code generator that carry it into the code, by their
    /// path in the xtask (`passes::redact::pii_debug`, `emit::cli`).
    pub carried_by: &'static [&'static str],
    /// How the spec diff classes a change of it.
    pub diff: DiffClass,
}

impl Convention {
    /// An OpenAPI keyword given a meaning here, or an extension: as its name says (`x-`).
    pub fn kind(&self) -> Kind {
        if is_extension(self.name) {
            Kind::Extension
        } else {
            Kind::Keyword
        }
    }

    /// Whether the row lets the convention stand on an object that is at `places`.
    pub fn may_stand_on(&self, places: &[Place]) -> bool {
        self.places.iter().any(|p| places.contains(p))
    }

    /// Where it may stand, in words: "an operation", "a component schema, or a property of a
    /// component schema".
    pub fn describe_places(&self) -> String {
        let words: Vec<&str> = self.places.iter().map(|p| p.describe()).collect();
        words.join(", or ")
    }
}

/// `x-pii`: personal data.
pub const PII: Convention = Convention {
    name: "x-pii",
    places: &[Place::ComponentSchema, Place::Property],
    value: ValueType::Flag,
    meaning: "personal data: `Debug`, `Display`, errors and logs never show the value",
    carried_by: &[
        "passes::redact::pii_debug",
        "passes::newtypes::string_ids",
        "emit::client",
    ],
    diff: DiffClass::Documentation {
        reason: "the wire is the same; whether Debug and logs hide the value changes",
    },
};

/// `readOnly`: owned by the server.
pub const READ_ONLY: Convention = Convention {
    name: "readOnly",
    places: &[Place::Property],
    value: ValueType::Flag,
    meaning: "the server owns the property: requests never carry it, the emulator ignores it \
              in requests, the generated types give it no setter",
    carried_by: &["passes::builders::constructors", "emit::client"],
    diff: DiffClass::ServerOwnedWhenSet {
        set: "clients that send it are now ignored or refused",
        unset: "the server must now take it from requests",
    },
};

/// `nullable`: `null` is valid.
pub const NULLABLE: Convention = Convention {
    name: "nullable",
    places: &[Place::Schema],
    value: ValueType::Flag,
    meaning: "`null` is valid: sent for a property, it removes the property (the generated types \
              can send it)",
    carried_by: &["passes::nullable::tri_state", "emit::client"],
    diff: DiffClass::WidensWhenSet,
};

/// `x-cli-name`: an operation's command-line name.
pub const CLI_NAME: Convention = Convention {
    name: "x-cli-name",
    places: &[Place::Operation],
    value: ValueType::CommandName,
    meaning: "the operation's command on the command line (without it: the operationId in \
              kebab-case)",
    carried_by: &["emit::cli"],
    diff: DiffClass::Documentation {
        reason: "the wire is the same; the command line names the command after it",
    },
};

/// `x-idempotent`: safe to repeat.
pub const IDEMPOTENT: Convention = Convention {
    name: "x-idempotent",
    places: &[Place::Operation],
    value: ValueType::Flag,
    meaning: "repeating the request is safe, so clients may retry it (a GET, PUT or DELETE is \
              without it)",
    carried_by: &["emit::client"],
    diff: SERVER_PROMISE,
};

/// `x-idempotent-when-given`: safe to repeat when the request names its target.
pub const IDEMPOTENT_WHEN_GIVEN: Convention = Convention {
    name: "x-idempotent-when-given",
    places: &[Place::Operation],
    value: ValueType::GivenList,
    meaning: "repeating the request is safe when it gives one of these parameters or body \
              properties",
    carried_by: &["emit::client"],
    diff: SERVER_PROMISE,
};

/// `x-environment`: the name clients choose a server by.
pub const ENVIRONMENT: Convention = Convention {
    name: "x-environment",
    places: &[Place::Server],
    value: ValueType::EnvironmentName,
    meaning: "the name clients choose the server by; the first server named is their default",
    carried_by: &["emit::client"],
    diff: DiffClass::ChosenByClients {
        reason: "clients choose a server by its environment name",
    },
};

/// `x-known-values`: the values the API is known to use, named.
pub const KNOWN_VALUES: Convention = Convention {
    name: "x-known-values",
    places: &[Place::ComponentSchema],
    value: ValueType::KnownValues,
    meaning: "values the API is known to use, each named and described; other values stay \
              valid (unlike an `enum`'s): the generated type has a constant per value, the \
              emulator answers with them",
    carried_by: &["passes::known_values::named_constants", "emit::mock"],
    diff: DiffClass::Documentation {
        reason: "the wire is the same; the generated code names another set of values",
    },
};

/// `x-trustly`: where the spec deliberately differs from Trustly's published document.
pub const TRUSTLY: Convention = Convention {
    name: "x-trustly",
    places: &[Place::Schema, Place::Operation, Place::Server],
    value: ValueType::Decisions,
    meaning: "a recorded decision: where this spec differs from Trustly's published OpenAPI \
              document here (or in what this object holds), what that document says and why; \
              `cargo xtask drift` reports every other difference as new, and a decision no \
              difference matches as stale",
    carried_by: &["drift"],
    diff: DiffClass::Documentation {
        reason: "the wire is the same; which differences from Trustly's document are recorded changes",
    },
};

/// Both idempotency conventions promise the same thing.
const SERVER_PROMISE: DiffClass = DiffClass::ServerPromise {
    made: "the server must now make a repeat of the request safe",
    withdrawn: "clients may retry it, and a retry is no longer safe",
    changed: "which requests are safe to repeat changed",
};

/// Every convention, in the order the docs list them.
pub const ALL: &[Convention] = &[
    PII,
    READ_ONLY,
    NULLABLE,
    CLI_NAME,
    IDEMPOTENT,
    IDEMPOTENT_WHEN_GIVEN,
    ENVIRONMENT,
    KNOWN_VALUES,
    TRUSTLY,
];

/// What every extension's name starts with (OpenAPI's "specification extensions").
pub const EXTENSION_PREFIX: &str = "x-";

/// Whether `key` of an object that allows extensions is one: it starts with `x-`.
pub fn is_extension(key: &str) -> bool {
    key.starts_with(EXTENSION_PREFIX)
}

/// The row named `name`, if there is one.
pub fn by_name(name: &str) -> Option<&'static Convention> {
    ALL.iter().find(|c| c.name == name)
}

/// The row whose name is closest to `name` (a key that is not a row), if one is close enough
/// to be what was meant: at most two letters added, removed or changed, case aside. `x-pi`
/// gives `x-pii`, `x-nullable` gives `nullable`.
pub fn closest(name: &str) -> Option<&'static Convention> {
    ALL.iter()
        .map(|c| {
            (
                edit_distance(&name.to_lowercase(), &c.name.to_lowercase()),
                c,
            )
        })
        .filter(|(distance, _)| *distance <= MAX_TYPO)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// How many letters a typo may get wrong and still be suggested a row's name.
const MAX_TYPO: usize = 2;

/// Levenshtein distance: the fewest one-character insertions, deletions and substitutions that
/// turn `a` into `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    // `row[j]`: the distance between the part of `a` read so far and `b[..j]`.
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_each_row_is_complete() {
        for (i, c) in ALL.iter().enumerate() {
            assert!(
                ALL[..i].iter().all(|other| other.name != c.name),
                "{} twice",
                c.name
            );
            assert!(!c.places.is_empty() && !c.carried_by.is_empty());
            assert!(!c.meaning.is_empty() && !c.meaning.contains('\n'));
        }
    }

    #[test]
    fn rows_are_found_by_name() {
        assert_eq!(by_name(PII.name), Some(&PII));
        assert_eq!(by_name(ENVIRONMENT.name), Some(&ENVIRONMENT));
        assert_eq!(by_name("x-unknown"), None);
        assert_eq!(by_name("required"), None, "standard JSON Schema, not a row");
    }

    #[test]
    fn edit_distance_counts_each_kind_of_typo() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("ab", "abc"), 1, "insertion");
        assert_eq!(edit_distance("abc", "ac"), 1, "deletion");
        assert_eq!(edit_distance("abc", "adc"), 1, "substitution");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("flaw", "lawn"), 2);
    }

    #[test]
    fn typos_suggest_the_row_meant() {
        assert_eq!(closest("x-pi"), Some(&PII));
        assert_eq!(closest("x-PII"), Some(&PII), "case aside");
        assert_eq!(closest("x-idempotant"), Some(&IDEMPOTENT));
        assert_eq!(
            closest("x-idempotent-when-givn"),
            Some(&IDEMPOTENT_WHEN_GIVEN)
        );
        assert_eq!(closest("x-cli_name"), Some(&CLI_NAME));
        assert_eq!(closest("x-nullable"), Some(&NULLABLE));
        assert_eq!(closest("x-enviroment"), Some(&ENVIRONMENT));
        assert_eq!(closest("x-known-value"), Some(&KNOWN_VALUES));
        assert_eq!(closest("x-piiiii"), None, "three letters off");
        assert_eq!(closest("x-piiii"), Some(&PII), "two letters off");
        assert_eq!(closest("x-vendor-note"), None);
    }

    #[test]
    fn places_are_described_in_words() {
        assert_eq!(CLI_NAME.describe_places(), "an operation");
        assert_eq!(
            PII.describe_places(),
            "a component schema, or a property of a component schema"
        );
        assert!(PII.may_stand_on(&[Place::Property, Place::Schema]));
        assert!(!PII.may_stand_on(&[Place::Schema]));
        assert!(!PII.may_stand_on(&[]));
    }
}
