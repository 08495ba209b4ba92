//! A change's classes, from its row's effect and the directions the schema travels where it
//! changed.

use std::collections::BTreeSet;

use super::rules::Effect;
use super::{Class, Direction};

/// The classes of a change and its one-line reason, from its effect and where it travels.
pub fn classify(
    effect: Effect,
    directions: &BTreeSet<Direction>,
    reason: Option<&str>,
) -> (Vec<Class>, String) {
    let mut classes = BTreeSet::new();
    let mut whys: Vec<&str> = Vec::new();
    let ways: Vec<Option<Direction>> = if directions.is_empty() {
        vec![None]
    } else {
        directions.iter().copied().map(Some).collect()
    };
    for d in ways {
        let (class, why): (&[Class], &str) = match (effect, d) {
            (Effect::Narrower, Some(Direction::Request) | None) => (
                &[Class::BreakingClient],
                "in requests: what clients sent before may now be refused",
            ),
            (Effect::Narrower, Some(Direction::Response)) => (
                &[Class::BreakingServer],
                "in responses: the server must now answer within the narrower schema",
            ),
            (Effect::Wider, Some(Direction::Request) | None) => (
                &[Class::BreakingServer],
                "in requests: the server must now accept what it could refuse before",
            ),
            (Effect::Wider, Some(Direction::Response)) => (
                &[Class::BreakingClient],
                "in responses: clients may now receive what they were not written for",
            ),
            (Effect::Incompatible, _) => (
                &[Class::BreakingClient, Class::BreakingServer],
                "values valid before are not now, and the reverse",
            ),
            (Effect::BreaksClients, _) => (&[Class::BreakingClient], ""),
            (Effect::BreaksServer, _) => (&[Class::BreakingServer], ""),
            (Effect::NarrowerInRequests, Some(Direction::Request) | None) => {
                (&[Class::BreakingClient], "")
            }
            (Effect::WiderInRequests, Some(Direction::Request) | None) => {
                (&[Class::BreakingServer], "")
            }
            (Effect::NarrowerInRequests | Effect::WiderInRequests, Some(Direction::Response)) => {
                (&[Class::Documentation], "")
            }
            (Effect::Added, _) => (&[Class::Additive], ""),
            (Effect::Docs, _) => (&[Class::Documentation], "text only; the wire is the same"),
        };
        classes.extend(class.iter().copied());
        if !why.is_empty() && !whys.contains(&why) {
            whys.push(why);
        }
    }
    // A documentation part next to a breaking one says nothing more.
    if classes.iter().any(|c| c.is_breaking()) {
        classes.remove(&Class::Documentation);
    }
    let why = match reason {
        Some(r) => r.to_owned(),
        None => whys.join("; "),
    };
    (classes.into_iter().collect(), why)
}
