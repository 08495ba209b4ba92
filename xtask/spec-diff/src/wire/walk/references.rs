//! Comparisons where a schema is a reference, in any of its spellings
//! ([`reference::read`]): two references are the keys beside them, compared where they stand,
//! and the components they point at, compared once where the new one is; a reference against a
//! schema written inline is the schema that place describes, the component with the keys beside
//! the reference over its own; a reference against a composition (an `allOf` of two branches,
//! or with a constraint beside it) is a one-branch `allOf` of it, compared branch by branch.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::{Context, Site, Walker};
use crate::wire::pairing::target;
use crate::wire::reference::{self, ALL_OF, Reference, beside_both};
use crate::wire::rules;

/// One side of a comparison with a reference in it.
enum Side<'r, 'v> {
    /// A reference, in any spelling.
    Reference(&'r Reference<'v>),
    /// Any other schema.
    Inline(&'r Value),
}

impl Side<'_, '_> {
    /// How reports name it: the reference's target, or `inline`.
    fn name(&self) -> &str {
        match self {
            Side::Reference(r) => r.target,
            Side::Inline(_) => "inline",
        }
    }
}

impl Walker<'_> {
    /// Compares `b` and `a` when either is a reference ([`reference::read`]), and says whether
    /// it did; two schemas neither of which is one are left to be compared keyword by keyword.
    /// A change of spelling alone (`$ref` → a one-branch `allOf` with a description) is no
    /// change on the wire.
    pub(super) fn references(&mut self, (b, a): (&Value, &Value), at: Site<'_>) -> bool {
        let composed = |v: &Value| v.get(ALL_OF).is_some();
        match (reference::read(b), reference::read(a)) {
            (Some(rb), Some(ra)) => self.two_references((&rb, &ra), at),
            (Some(r), None) if composed(a) => self.keywords((&r.as_all_of(), a), at),
            (None, Some(r)) if composed(b) => self.keywords((b, &r.as_all_of()), at),
            (Some(r), None) => {
                self.reference_and_inline((Side::Reference(&r), Side::Inline(a)), at)
            }
            (None, Some(r)) => {
                self.reference_and_inline((Side::Inline(b), Side::Reference(&r)), at)
            }
            (None, None) => return false,
        }
        true
    }

    /// Two references: the target, what each place says beside its reference, compared where
    /// it stands (a key one side does not write is what its component says of it), then the
    /// components.
    fn two_references(&mut self, (b, a): (&Reference<'_>, &Reference<'_>), at: Site<'_>) {
        let (before, after) = (self.before, self.after);
        let bt = target(before, b.target);
        let at_ = target(after, a.target);
        // This diff reads no file: a reference to another one (or to nothing) is followed by
        // no one, so a change of where it points is never passed over as documentation.
        if (bt.is_none() || at_.is_none()) && b.target != a.target {
            self.unfollowed((&Side::Reference(b), &Side::Reference(a)), at);
            return;
        }
        let nothing = Value::Object(Map::new());
        let (bs, as_) = beside_both(
            (b, bt.as_ref().map_or(&nothing, |(v, _)| v)),
            (a, at_.as_ref().map_or(&nothing, |(v, _)| v)),
        );
        self.reference_changed((&Side::Reference(b), &Side::Reference(a)), at);
        self.keywords((&bs, &as_), at);
        if let (Some((bv, before)), Some((av, pointer))) = (bt, at_) {
            let label = component_name(a.target);
            self.component((bv, av), (&pointer, &pointer, label), &before, at.ctx);
        }
    }

    /// A reference against a schema written inline: the schema each place describes, compared
    /// where the new document's is. With no key beside the reference, that is the component
    /// itself, compared (and named) where it is when the new side is the reference.
    fn reference_and_inline(&mut self, (b, a): (Side<'_, '_>, Side<'_, '_>), at: Site<'_>) {
        let (before, after) = (self.before, self.after);
        let (Some(bv), Some(av)) = (described(before, &b), described(after, &a)) else {
            self.unfollowed((&b, &a), at);
            return;
        };
        self.reference_changed((&b, &a), at);
        let before_pointer = bv
            .component
            .clone()
            .unwrap_or_else(|| self.before_pointer(at.pointer));
        match (&a, av.component) {
            (Side::Reference(r), Some(pointer)) if r.beside.is_empty() => {
                let label = component_name(r.target);
                self.component(
                    (&bv.schema, &av.schema),
                    (&pointer, &pointer, label),
                    &before_pointer,
                    at.ctx,
                )
            }
            (_, component) => {
                // A cycle is stopped at the component, as where it is compared itself.
                let cycle = component.unwrap_or_else(|| at.pointer.to_owned());
                self.component(
                    (&bv.schema, &av.schema),
                    (&cycle, at.pointer, at.label),
                    &before_pointer,
                    at.ctx,
                )
            }
        }
    }

    /// Records a reference that points elsewhere now, where one side cannot be followed.
    fn unfollowed(&mut self, (b, a): (&Side<'_, '_>, &Side<'_, '_>), at: Site<'_>) {
        let change = format!("{} → {}", b.name(), a.name());
        self.record(
            &rules::REFERENCE_UNFOLLOWED,
            at.label,
            at.pointer,
            change,
            at.ctx,
        );
    }

    /// Records a reference that points elsewhere now, or is written inline instead.
    fn reference_changed(&mut self, (b, a): (&Side<'_, '_>, &Side<'_, '_>), at: Site<'_>) {
        let (from, to) = (b.name(), a.name());
        if from != to {
            let change = format!("{from} → {to}");
            self.record(
                &rules::SCHEMA_REFERENCE,
                at.label,
                at.pointer,
                change,
                at.ctx,
            );
        }
    }

    /// Compares two schemas reached through a reference, at `pointer` named `label` (the old
    /// one at `before`), unless the walk is already inside the one at `cycle` in the same
    /// direction.
    fn component(
        &mut self,
        (b, a): (&Value, &Value),
        (cycle, pointer, label): (&str, &str, &str),
        before: &str,
        ctx: &Context,
    ) {
        let key = (cycle.to_owned(), format!("{:?}", ctx.direction));
        if self.stack.contains(&key) {
            return;
        }
        self.stack.push(key);
        self.at_places((pointer, before), |walker| {
            walker.schema(b, a, pointer, label, ctx)
        });
        self.stack.pop();
    }
}

/// The schema one side describes, and where its component is when it is a reference.
struct Described<'s> {
    schema: Cow<'s, Value>,
    component: Option<String>,
}

/// What `side` describes in `doc`: an inline schema itself; a reference's component with the
/// keys beside it over its own. `None` for a reference that points at nothing in `doc`.
fn described<'s>(doc: &'s Value, side: &Side<'s, '_>) -> Option<Described<'s>> {
    match side {
        Side::Inline(v) => Some(Described {
            schema: Cow::Borrowed(*v),
            component: None,
        }),
        Side::Reference(r) => {
            let (component, pointer) = target(doc, r.target)?;
            let schema = if r.beside.is_empty() {
                Cow::Borrowed(component)
            } else {
                Cow::Owned(r.over(component))
            };
            Some(Described {
                schema,
                component: Some(pointer),
            })
        }
    }
}

/// A component's name, the last part of its reference: `Timestamp`.
fn component_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}
