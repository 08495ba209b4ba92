//! How the diff classes a change of one of the spec's conventions: from the registry
//! ([`trustly_customers_spec::conventions`]), whose rows say where each convention stands and
//! how a change of it is classed ([`DiffClass`]). This module maps that class, and the place
//! where the key stands, to what a change is ([`Outcome`]: one row of
//! [`crate::wire::rules`] each) and to the reason the registry gives for it. It names no
//! convention: a new registry row is classed here as its `diff` says, and the diff reports it
//! under a kind made of its name ([`Standing::kind`]).
//!
//! A class the diff cannot give at a place (a promise on a schema, a flag that widens what is
//! valid on an operation) leaves the convention unclassed there: the walker then takes its
//! change as unrecognised, breaking both sides, never as nothing (and a unit test fails first).

use serde_json::Value;
use trustly_customers_spec::conventions::{self as registry, Convention, DiffClass};

/// Where a convention stands, as the walker meets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// On a server object.
    Server,
    /// On an operation.
    Operation,
    /// On a schema: a component, a property, or any other schema.
    Schema,
}

impl Place {
    /// Every place, in the order of the walk.
    pub const ALL: [Place; 3] = [Place::Server, Place::Operation, Place::Schema];

    /// Where the walker meets a key standing at the registry's `place`.
    pub fn of(place: registry::Place) -> Place {
        match place {
            registry::Place::Server => Place::Server,
            registry::Place::Operation => Place::Operation,
            registry::Place::ComponentSchema
            | registry::Place::Property
            | registry::Place::Schema => Place::Schema,
        }
    }

    /// What a kind of change of a key here starts with, as the other kinds of the place do
    /// (`server-description`, `operation-summary`; a schema's keywords are their own kind).
    fn kind_prefix(self) -> &'static str {
        match self {
            Place::Server => "server-",
            Place::Operation => "operation-",
            Place::Schema => "",
        }
    }
}

/// What a change of a convention is, by its registry class: each is one row of the rule table
/// (the row whose `convention` it is).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A change of a [`DiffClass::Documentation`] convention.
    Documentation,
    /// A change of a [`DiffClass::ChosenByClients`] convention.
    ChosenByClients,
    /// A [`DiffClass::WidensWhenSet`] flag set.
    WidensSet,
    /// A [`DiffClass::WidensWhenSet`] flag cleared.
    WidensCleared,
    /// A [`DiffClass::ServerOwnedWhenSet`] flag set.
    ServerOwnedSet,
    /// A [`DiffClass::ServerOwnedWhenSet`] flag cleared.
    ServerOwnedCleared,
    /// A [`DiffClass::ServerPromise`] made.
    PromiseMade,
    /// A [`DiffClass::ServerPromise`] withdrawn.
    PromiseWithdrawn,
    /// A [`DiffClass::ServerPromise`] changed while kept.
    PromiseChanged,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 9] = [
        Outcome::Documentation,
        Outcome::ChosenByClients,
        Outcome::WidensSet,
        Outcome::WidensCleared,
        Outcome::ServerOwnedSet,
        Outcome::ServerOwnedCleared,
        Outcome::PromiseMade,
        Outcome::PromiseWithdrawn,
        Outcome::PromiseChanged,
    ];
}

/// One way a change of a convention ends: its outcome, and the registry's reason for it (`None`
/// when the reason follows from the row's effect and the direction, as for a flag that widens
/// what is valid).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classed {
    /// What the change is.
    pub outcome: Outcome,
    /// Why it has its classes, from the registry.
    pub why: Option<&'static str>,
}

/// How a change of a convention is read and classed, by the shape of its class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Classing {
    /// Any change of its value is this.
    Value(Classed),
    /// A flag (`true`, or anything else): set, or cleared.
    Flag {
        /// It became `true`.
        set: Classed,
        /// It stopped being `true`.
        cleared: Classed,
    },
    /// A promise (a flag, or a list that promises when not empty): made, withdrawn, or changed
    /// while kept.
    Promise {
        /// It is promised now and was not.
        made: Classed,
        /// It was promised and is not now.
        withdrawn: Classed,
        /// It was and is promised, otherwise.
        changed: Classed,
    },
}

impl Classing {
    /// How a change of a convention of class `diff` standing at `place` is classed; `None` when
    /// the class means nothing there.
    pub fn of(diff: DiffClass, place: Place) -> Option<Classing> {
        let classed = |outcome, why| Classed { outcome, why };
        Some(match (diff, place) {
            (DiffClass::Documentation { reason }, _) => {
                Classing::Value(classed(Outcome::Documentation, Some(reason)))
            }
            (DiffClass::ChosenByClients { reason }, _) => {
                Classing::Value(classed(Outcome::ChosenByClients, Some(reason)))
            }
            // What is valid, and what requests may carry, are said by schemas.
            (DiffClass::WidensWhenSet, Place::Schema) => Classing::Flag {
                set: classed(Outcome::WidensSet, None),
                cleared: classed(Outcome::WidensCleared, None),
            },
            (DiffClass::ServerOwnedWhenSet { set, unset }, Place::Schema) => Classing::Flag {
                set: classed(Outcome::ServerOwnedSet, Some(set)),
                cleared: classed(Outcome::ServerOwnedCleared, Some(unset)),
            },
            // What the server promises, it promises of an operation's requests.
            (
                DiffClass::ServerPromise {
                    made,
                    withdrawn,
                    changed,
                },
                Place::Operation,
            ) => Classing::Promise {
                made: classed(Outcome::PromiseMade, Some(made)),
                withdrawn: classed(Outcome::PromiseWithdrawn, Some(withdrawn)),
                changed: classed(Outcome::PromiseChanged, Some(changed)),
            },
            (
                DiffClass::WidensWhenSet
                | DiffClass::ServerOwnedWhenSet { .. }
                | DiffClass::ServerPromise { .. },
                _,
            ) => return None,
        })
    }

    /// What a change of the convention's value from `before` to `after` (`None`: absent) is,
    /// or `None` when it says the same: a flag left unset (`false` or absent), or a promise
    /// not made either way, is no change.
    pub fn change(&self, before: Option<&Value>, after: Option<&Value>) -> Option<Classed> {
        let set = |v: Option<&Value>| v == Some(&Value::Bool(true));
        let promised = |v: Option<&Value>| {
            v.is_some_and(|v| v != &Value::Bool(false) && v != &Value::Array(vec![]))
        };
        match *self {
            Classing::Value(classed) => (before != after).then_some(classed),
            Classing::Flag { set: on, cleared } => {
                let (was, is) = (set(before), set(after));
                (was != is).then_some(if is { on } else { cleared })
            }
            Classing::Promise {
                made,
                withdrawn,
                changed,
            } => match (promised(before), promised(after)) {
                _ if before == after => None,
                (false, false) => None,
                (false, true) => Some(made),
                (true, false) => Some(withdrawn),
                (true, true) => Some(changed),
            },
        }
    }

    /// Every outcome a change can have.
    fn outcomes(&self) -> Vec<Outcome> {
        match *self {
            Classing::Value(c) => vec![c.outcome],
            Classing::Flag { set, cleared } => vec![set.outcome, cleared.outcome],
            Classing::Promise {
                made,
                withdrawn,
                changed,
            } => vec![made.outcome, withdrawn.outcome, changed.outcome],
        }
    }
}

/// A convention of the registry where the walker meets it, and how a change of it there is
/// classed.
#[derive(Clone, Copy, Debug)]
pub struct Standing {
    /// The registry's row.
    pub convention: &'static Convention,
    /// Where it stands.
    pub place: Place,
    /// How a change of it there is classed.
    pub classing: Classing,
}

impl Standing {
    /// The key in the spec.
    pub fn name(&self) -> &'static str {
        self.convention.name
    }

    /// What reports call a change of it: its name, after `server-` or `operation-` where it
    /// stands there (`operation-x-cli-name`, `server-x-environment`; on a schema `readOnly`,
    /// `x-pii`).
    pub fn kind(&self) -> String {
        format!("{}{}", self.place.kind_prefix(), self.convention.name)
    }
}

/// Every convention of the registry, at each place the walker meets it, classed; a convention
/// whose class means nothing at a place it may stand is left out there.
fn all() -> impl Iterator<Item = Standing> {
    registry::ALL.iter().flat_map(|convention| {
        let mut places: Vec<Place> = Vec::new();
        for place in convention.places.iter().map(|p| Place::of(*p)) {
            if !places.contains(&place) {
                places.push(place);
            }
        }
        places.into_iter().filter_map(move |place| {
            Classing::of(convention.diff, place).map(|classing| Standing {
                convention,
                place,
                classing,
            })
        })
    })
}

/// The conventions the walker classes at `place`.
pub fn at(place: Place) -> impl Iterator<Item = Standing> {
    all().filter(move |s| s.place == place)
}

/// Whether `key` is a convention the walker classes at `place` (anything else there is
/// unrecognised).
pub fn known(place: Place, key: &str) -> bool {
    at(place).any(|s| s.name() == key)
}

/// The kinds of the changes whose outcome is `outcome`: one per convention, and place, whose
/// class has it.
pub fn kinds(outcome: Outcome) -> Vec<String> {
    all()
        .filter(|s| s.classing.outcomes().contains(&outcome))
        .map(|s| s.kind())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_convention_is_classed_at_each_of_its_places() {
        for c in registry::ALL {
            for place in c.places {
                let at = Place::of(*place);
                assert!(
                    Classing::of(c.diff, at).is_some(),
                    "{}: the diff cannot class a change of {:?} on {}; give the class a \
                     meaning there in `Classing::of`",
                    c.name,
                    c.diff,
                    place.describe()
                );
                assert!(known(at, c.name), "{} at {at:?}", c.name);
            }
        }
    }

    #[test]
    fn a_class_that_means_nothing_at_a_place_is_not_classed_there() {
        let promise = registry::IDEMPOTENT.diff;
        assert!(Classing::of(promise, Place::Schema).is_none());
        assert!(Classing::of(promise, Place::Server).is_none());
        assert!(Classing::of(registry::NULLABLE.diff, Place::Operation).is_none());
        assert!(Classing::of(registry::READ_ONLY.diff, Place::Server).is_none());
        for place in Place::ALL {
            assert!(Classing::of(registry::CLI_NAME.diff, place).is_some());
            assert!(Classing::of(registry::ENVIRONMENT.diff, place).is_some());
        }
    }

    #[test]
    fn each_place_knows_only_its_conventions() {
        let names = |place| at(place).map(|s| s.name()).collect::<Vec<_>>();
        assert_eq!(
            names(Place::Server),
            [registry::ENVIRONMENT.name, registry::TRUSTLY.name]
        );
        assert_eq!(
            names(Place::Operation),
            [
                registry::CLI_NAME.name,
                registry::IDEMPOTENT.name,
                registry::IDEMPOTENT_WHEN_GIVEN.name,
                registry::TRUSTLY.name
            ]
        );
        assert_eq!(
            names(Place::Schema),
            [
                registry::PII.name,
                registry::READ_ONLY.name,
                registry::NULLABLE.name,
                registry::KNOWN_VALUES.name,
                registry::TRUSTLY.name
            ]
        );
        assert!(!known(Place::Schema, registry::CLI_NAME.name));
        assert!(!known(Place::Operation, registry::PII.name));
    }

    #[test]
    fn kinds_are_the_name_after_the_place() {
        let kind = |c: &'static Convention, place| {
            Standing {
                convention: c,
                place,
                classing: Classing::of(c.diff, place).unwrap(),
            }
            .kind()
        };
        assert_eq!(
            kind(&registry::ENVIRONMENT, Place::Server),
            format!("server-{}", registry::ENVIRONMENT.name)
        );
        assert_eq!(
            kind(&registry::CLI_NAME, Place::Operation),
            format!("operation-{}", registry::CLI_NAME.name)
        );
        assert_eq!(kind(&registry::PII, Place::Schema), registry::PII.name);
        assert_eq!(
            kinds(Outcome::PromiseMade),
            [
                format!("operation-{}", registry::IDEMPOTENT.name),
                format!("operation-{}", registry::IDEMPOTENT_WHEN_GIVEN.name)
            ]
        );
        assert_eq!(kinds(Outcome::WidensCleared), [registry::NULLABLE.name]);
    }

    #[test]
    fn reasons_are_the_registrys() {
        let DiffClass::ServerOwnedWhenSet { set, unset } = registry::READ_ONLY.diff else {
            panic!("{:?}", registry::READ_ONLY.diff);
        };
        let classing = Classing::of(registry::READ_ONLY.diff, Place::Schema).unwrap();
        let t = json!(true);
        let f = json!(false);
        assert_eq!(classing.change(None, Some(&t)).unwrap().why, Some(set));
        assert_eq!(
            classing.change(Some(&t), Some(&f)).unwrap().why,
            Some(unset)
        );
        let DiffClass::Documentation { reason } = registry::PII.diff else {
            panic!("{:?}", registry::PII.diff);
        };
        let classing = Classing::of(registry::PII.diff, Place::Schema).unwrap();
        assert_eq!(
            classing.change(None, Some(&t)),
            Some(Classed {
                outcome: Outcome::Documentation,
                why: Some(reason)
            })
        );
    }

    #[test]
    fn a_flag_changes_when_it_is_set_or_cleared_and_a_promise_when_it_is_made_or_withdrawn() {
        let flag = Classing::of(registry::NULLABLE.diff, Place::Schema).unwrap();
        let (t, f) = (json!(true), json!(false));
        fn outcome(c: &Classing, b: Option<&Value>, a: Option<&Value>) -> Option<Outcome> {
            c.change(b, a).map(|c| c.outcome)
        }
        assert_eq!(outcome(&flag, None, Some(&t)), Some(Outcome::WidensSet));
        assert_eq!(outcome(&flag, Some(&t), None), Some(Outcome::WidensCleared));
        assert_eq!(outcome(&flag, Some(&f), None), None, "unset either way");
        assert_eq!(outcome(&flag, Some(&t), Some(&t)), None);
        let promise = Classing::of(registry::IDEMPOTENT.diff, Place::Operation).unwrap();
        let (list, other, empty) = (json!([{"path": "id"}]), json!([{"path": "key"}]), json!([]));
        assert_eq!(
            outcome(&promise, None, Some(&t)),
            Some(Outcome::PromiseMade)
        );
        assert_eq!(
            outcome(&promise, Some(&f), Some(&list)),
            Some(Outcome::PromiseMade)
        );
        assert_eq!(
            outcome(&promise, Some(&t), None),
            Some(Outcome::PromiseWithdrawn)
        );
        assert_eq!(
            outcome(&promise, Some(&list), Some(&empty)),
            Some(Outcome::PromiseWithdrawn)
        );
        assert_eq!(
            outcome(&promise, Some(&list), Some(&other)),
            Some(Outcome::PromiseChanged)
        );
        assert_eq!(
            outcome(&promise, Some(&f), None),
            None,
            "not promised either way"
        );
        assert_eq!(outcome(&promise, Some(&empty), Some(&f)), None);
        assert_eq!(outcome(&promise, Some(&list), Some(&list)), None);
        let value = Classing::of(registry::CLI_NAME.diff, Place::Operation).unwrap();
        let (x, y) = (json!("a"), json!("b"));
        assert_eq!(
            outcome(&value, Some(&x), Some(&y)),
            Some(Outcome::Documentation)
        );
        assert_eq!(outcome(&value, Some(&x), Some(&x)), None);
    }
}
