//! The walker: both documents read side by side, every difference recorded as a row of
//! [`super::rules`] at its place.
//!
//! `document.rs` walks the document's own parts (version, text, servers, security),
//! `operations.rs` each operation paired by [`super::pairing`] (parameters, bodies, responses),
//! `schema.rs` two schemas where they are used, with the direction they travel there, and
//! `references.rs` those of them that are references, however written.

mod document;
mod operations;
mod references;
mod schema;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use trustly_customers_spec::conventions::is_extension;

use super::classify::classify;
use super::facts::{from_to, keys};
use super::pairing::escape;
use super::rules::{self, Rule};
use super::{Direction, WireChange};
use crate::conventions::{self, Classed, Place, Standing};

/// Where the walk is: the operation and the direction of the schema being compared.
#[derive(Clone, Default)]
pub(super) struct Context {
    operation: Option<String>,
    direction: Option<Direction>,
}

impl Context {
    /// Inside the operation `id`.
    fn operation(id: String) -> Context {
        Context {
            operation: Some(id),
            direction: None,
        }
    }

    /// The same operation, with a schema travelling `direction`.
    fn travelling(&self, direction: Direction) -> Context {
        Context {
            operation: self.operation.clone(),
            direction: Some(direction),
        }
    }
}

/// Where two schemas are compared: the pointer (in the new document), the name in reports, and
/// the operation and direction.
#[derive(Clone, Copy)]
pub(super) struct Site<'s> {
    pointer: &'s str,
    label: &'s str,
    ctx: &'s Context,
}

/// What a change is: its row, what reports call it, and its reason when the row does not say
/// it (a change of a convention, whose reason is the registry's).
struct Found {
    rule: &'static Rule,
    kind: String,
    why: Option<&'static str>,
}

/// A change found, before its classes: the row, and every direction and operation it was
/// found in (a shared schema is met once per place it is used).
struct Pending {
    rule: &'static Rule,
    kind: String,
    why: Option<&'static str>,
    location: String,
    pointer: String,
    before_pointer: String,
    change: String,
    directions: BTreeSet<Direction>,
    operations: BTreeSet<String>,
}

/// Both documents and what the walk found so far.
pub(super) struct Walker<'a> {
    before: &'a Value,
    after: &'a Value,
    changes: BTreeMap<(String, String, String), Pending>,
    order: Vec<(String, String, String)>,
    /// Component schemas being compared, to stop at a cycle.
    stack: Vec<(String, String)>,
    /// Where the walk stands in each document: (pointer in the new, pointer in the old), the
    /// innermost last. A change's pointer in the old document is its pointer in the new with
    /// the innermost prefix that matches replaced.
    places: Vec<(String, String)>,
}

impl<'a> Walker<'a> {
    pub(super) fn new(before: &'a Value, after: &'a Value) -> Walker<'a> {
        Walker {
            before,
            after,
            changes: BTreeMap::new(),
            order: Vec::new(),
            stack: Vec::new(),
            places: Vec::new(),
        }
    }

    /// Runs `walk` with the place `after` of the new document standing for `before` of the
    /// old one.
    fn at_places<T>(
        &mut self,
        (after, before): (&str, &str),
        walk: impl FnOnce(&mut Self) -> T,
    ) -> T {
        self.places.push((after.to_owned(), before.to_owned()));
        let out = walk(self);
        self.places.pop();
        out
    }

    /// The old document's pointer of the place `pointer` names in the new one.
    fn before_pointer(&self, pointer: &str) -> String {
        for (after, before) in self.places.iter().rev() {
            if let Some(rest) = pointer.strip_prefix(after.as_str())
                && (rest.is_empty() || rest.starts_with('/'))
            {
                return format!("{before}{rest}");
            }
        }
        pointer.to_owned()
    }

    /// Walks both documents; the changes in the order they were first found.
    pub(super) fn run(mut self) -> Vec<WireChange> {
        self.document();
        self.operations();
        self.unused_components();
        let mut changes = self.changes;
        self.order
            .into_iter()
            .filter_map(|key| changes.remove(&key))
            .map(|p| {
                let (classes, why) = classify(p.rule.effect, &p.directions, p.why.or(p.rule.why));
                WireChange {
                    classes,
                    kind: p.kind,
                    location: p.location,
                    pointer: p.pointer,
                    before_pointer: p.before_pointer,
                    directions: p.directions.into_iter().collect(),
                    operations: p.operations.into_iter().collect(),
                    change: p.change,
                    why,
                    rule: p.rule.id,
                }
            })
            .collect()
    }

    /// Records a change of the row `rule`: named `location` in reports, at `pointer` (in the new
    /// document, the old one for a removal), `change` saying old and new.
    fn record(
        &mut self,
        rule: &'static Rule,
        location: &str,
        pointer: &str,
        change: String,
        ctx: &Context,
    ) {
        let kind = rule.kind.to_owned();
        let found = Found {
            rule,
            kind,
            why: None,
        };
        self.record_found(found, location, pointer, change, ctx);
    }

    /// The `required` flag of a parameter or a request body (`(before, after)`): `made_required`
    /// or `made_optional` recorded when it changed, at `{pointer}/required`.
    fn required_flag(
        &mut self,
        flag: (bool, bool),
        [made_required, made_optional]: [&'static Rule; 2],
        (location, pointer): (&str, &str),
        ctx: &Context,
    ) {
        let (rule, change) = match flag {
            (false, true) => (made_required, "optional → required"),
            (true, false) => (made_optional, "required → optional"),
            _ => return,
        };
        let pointer = format!("{pointer}/required");
        self.record(rule, location, &pointer, change.to_owned(), ctx);
    }

    /// [`Walker::record`] for a row whose kind names the keyword that changed.
    fn record_keyword(
        &mut self,
        rule: &'static Rule,
        keyword: &str,
        location: &str,
        pointer: &str,
        change: String,
        ctx: &Context,
    ) {
        let kind = rule.kind.replace("{keyword}", keyword);
        let found = Found {
            rule,
            kind,
            why: None,
        };
        self.record_found(found, location, pointer, change, ctx);
    }

    /// [`Walker::record`] for a change of the convention `standing`, whose class made it
    /// `classed`: the row of its outcome, the convention's kind, the registry's reason.
    fn record_convention(
        &mut self,
        (standing, classed): (&Standing, Classed),
        location: &str,
        pointer: &str,
        change: String,
        ctx: &Context,
    ) {
        let found = Found {
            rule: rules::convention_row(classed.outcome),
            kind: standing.kind(),
            why: classed.why,
        };
        self.record_found(found, location, pointer, change, ctx);
    }

    fn record_found(
        &mut self,
        Found { rule, kind, why }: Found,
        location: &str,
        pointer: &str,
        change: String,
        ctx: &Context,
    ) {
        debug_assert!(rule.kinds().contains(&kind), "{}: {kind}", rule.id);
        let key = (pointer.to_owned(), kind.clone(), change.clone());
        let before_pointer = self.before_pointer(pointer);
        let entry = self.changes.entry(key.clone()).or_insert_with(|| {
            self.order.push(key);
            Pending {
                rule,
                kind,
                why,
                location: location.to_owned(),
                pointer: pointer.to_owned(),
                before_pointer,
                change,
                directions: BTreeSet::new(),
                operations: BTreeSet::new(),
            }
        });
        if let Some(d) = ctx.direction {
            entry.directions.insert(d);
        }
        if let Some(op) = &ctx.operation {
            entry.operations.insert(op.clone());
        }
    }

    /// Every key of `b` or `a` that differs and that the walk does not compare: a keyword not
    /// in `known`, or an `x-` key that is not a convention standing at `place`. Each is taken as
    /// breaking until it is classified.
    fn unrecognised(
        &mut self,
        (b, a): (&Value, &Value),
        known: &[&str],
        place: Option<Place>,
        (here, pointer): (&str, &str),
        ctx: &Context,
    ) {
        for k in keys(b, a) {
            let k = k.as_str();
            if b.get(k) == a.get(k) || known.contains(&k) {
                continue;
            }
            let rule = if is_extension(k) {
                if place.is_some_and(|p| conventions::known(p, k)) {
                    continue;
                }
                &rules::UNRECOGNISED_EXTENSION
            } else {
                &rules::UNRECOGNISED
            };
            self.record(
                rule,
                here,
                &format!("{pointer}/{}", escape(k)),
                format!("{k}: {}", from_to(b.get(k), a.get(k))),
                ctx,
            );
        }
    }
}
