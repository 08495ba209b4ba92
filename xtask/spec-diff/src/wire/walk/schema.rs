//! Two schemas compared where they are used: types, nullability, formats, constraints, values,
//! properties, composition, the conventions that stand on a schema, and every keyword not
//! understood.

use serde_json::{Map, Value};
use trustly_customers_spec::conventions::NULLABLE;

use super::{Context, Site, Walker};
use crate::conventions::{self, Classing, Place};
use crate::wire::facts::{
    DOC_KEYWORDS, compact, empty_map, from_to, has_type, is_nullable, is_required, is_true,
    nullable_keyword, object, required_names, type_set, type_text, values,
};
use crate::wire::pairing::{escape, used};
use crate::wire::rules::{self, Rule};

/// Schema keywords compared by meaning (the conventions that stand on a schema besides). Any
/// other keyword that differs is unrecognised (breaking both sides).
const SCHEMA_KEYWORDS: [&str; 27] = [
    "type",
    "format",
    "enum",
    "const",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "maxLength",
    "minLength",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "multipleOf",
    "pattern",
    "writeOnly",
    "default",
];

/// The branches of `key` (`allOf`, `oneOf`, `anyOf`) of a schema; none when it has no such key.
fn branches<'v>(schema: &'v Value, key: &str) -> &'v [Value] {
    schema
        .get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// Bounds: (keyword, whether a larger value allows more).
const BOUNDS: [(&str, bool); 8] = [
    ("maxLength", true),
    ("maximum", true),
    ("maxItems", true),
    ("maxProperties", true),
    ("minLength", false),
    ("minimum", false),
    ("minItems", false),
    ("minProperties", false),
];

/// Flags that, set, exclude values.
const EXCLUDING_FLAGS: [&str; 3] = ["exclusiveMaximum", "exclusiveMinimum", "uniqueItems"];

/// Constraints that are another constraint when changed.
const OTHER_CONSTRAINTS: [&str; 2] = ["pattern", "multipleOf"];

impl<'a> Walker<'a> {
    /// Compares two schemas at `pointer` (in the new spec), named `label` in reports: as
    /// references when either is one, however written ([`Walker::references`]), else keyword
    /// by keyword.
    pub(super) fn schema(
        &mut self,
        b: &Value,
        a: &Value,
        pointer: &str,
        label: &str,
        ctx: &Context,
    ) {
        let at = Site {
            pointer,
            label,
            ctx,
        };
        if !self.references((b, a), at) {
            self.keywords((b, a), at);
        }
    }

    /// Compares two schemas keyword by keyword: two that are no references, a reference written
    /// as a one-branch `allOf` against a composition, or what two places say beside their
    /// references.
    pub(super) fn keywords(&mut self, (b, a): (&Value, &Value), at: Site<'_>) {
        let Site {
            pointer,
            label,
            ctx,
        } = at;
        let branches_compared = self.schema_type((b, a), at);
        self.nullable((b, a), at);
        if !branches_compared {
            self.format((b, a), at);
        }
        self.constraints((b, a), at);
        self.values((b, a), at);
        self.properties((b, a), at);
        self.additional_properties((b, a), at);
        self.items((b, a), at);
        self.composition((b, a), at, branches_compared);
        if b.get("not") != a.get("not") {
            self.record(
                &rules::NOT,
                label,
                &format!("{pointer}/not"),
                "changed".to_owned(),
                ctx,
            );
        }
        self.conventions((b, a), at);
        self.write_only((b, a), at);
        if b.get("default") != a.get("default") {
            self.record(
                &rules::DEFAULT,
                label,
                &format!("{pointer}/default"),
                from_to(b.get("default"), a.get("default")),
                ctx,
            );
        }
        self.schema_text((b, a), at);
        let mut known: Vec<&str> = SCHEMA_KEYWORDS.to_vec();
        known.extend(DOC_KEYWORDS);
        known.extend(conventions::at(Place::Schema).map(|s| s.name()));
        self.unrecognised((b, a), &known, Some(Place::Schema), (label, pointer), ctx);
    }

    /// Compares the JSON types two schemas admit. Returns whether they came from branches, so
    /// the branches are not compared again one by one.
    fn schema_type(&mut self, (b, a): (&Value, &Value), at: Site<'_>) -> bool {
        let Site {
            pointer,
            label,
            ctx,
        } = at;
        let (bt, at) = (type_set(b), type_set(a));
        if bt == at {
            return false;
        }
        let rule = match (&bt, &at) {
            (None, Some(_)) => &rules::TYPE_NARROWED,
            (Some(_), None) => &rules::TYPE_WIDENED,
            (Some(x), Some(y)) if y.is_subset(x) => &rules::TYPE_NARROWED,
            (Some(x), Some(y)) if x.is_subset(y) => &rules::TYPE_WIDENED,
            _ => &rules::TYPE_CHANGED,
        };
        let at_pointer = if has_type(a) || has_type(b) {
            format!("{pointer}/type")
        } else {
            pointer.to_owned()
        };
        self.record(
            rule,
            label,
            &at_pointer,
            format!("{} → {}", type_text(b), type_text(a)),
            ctx,
        );
        // When a side's types come from its branches, those branches (and the format that sits
        // in one of them) were compared here, as types.
        let from_branches =
            |v: &Value| !has_type(v) && (v.get("oneOf").is_some() || v.get("anyOf").is_some());
        from_branches(b) || from_branches(a)
    }

    /// Whether `null` is valid, in 3.0's spelling (the convention) or 3.1's (`"null"` in a
    /// `type` list), classed as the registry classes the convention.
    fn nullable(&mut self, (b, a): (&Value, &Value), at: Site<'_>) {
        let Site {
            pointer,
            label,
            ctx,
        } = at;
        let Some(standing) = conventions::at(Place::Schema).find(|s| s.name() == NULLABLE.name)
        else {
            return;
        };
        let (bn, an) = (is_nullable(b), is_nullable(a));
        let Some(classed) = standing
            .classing
            .change(Some(&Value::Bool(bn)), Some(&Value::Bool(an)))
        else {
            return;
        };
        let name = NULLABLE.name;
        self.record_convention(
            (&standing, classed),
            label,
            &format!("{pointer}/{}", nullable_keyword(b, a)),
            if an {
                format!("not {name} → {name}")
            } else {
                format!("{name} → not {name}")
            },
            ctx,
        );
    }

    fn format(&mut self, (b, a): (&Value, &Value), at: Site<'_>) {
        let Site {
            pointer,
            label,
            ctx,
        } = at;
        let (bf, af) = (
            b.get("format").and_then(Value::as_str),
            a.get("format").and_then(Value::as_str),
        );
        if bf == af {
            return;
        }
        let rule = match (bf, af) {
            (None, Some(_)) => &rules::FORMAT_ADDED,
            (Some(_), None) => &rules::FORMAT_REMOVED,
            (Some("int32"), Some("int64")) | (Some("float"), Some("double")) => {
                &rules::FORMAT_WIDENED
            }
            (Some("int64"), Some("int32")) | (Some("double"), Some("float")) => {
                &rules::FORMAT_NARROWED
            }
            _ => &rules::FORMAT_CHANGED,
        };
        self.record(
            rule,
            label,
            &format!("{pointer}/format"),
            format!("{} → {}", bf.unwrap_or("none"), af.unwrap_or("none")),
            ctx,
        );
    }

    fn constraints(&mut self, (b, a): (&Value, &Value), at: Site<'_>) {
        let Site {
            pointer,
            label,
            ctx,
        } = at;
        for (key, larger_is_wider) in BOUNDS {
            let bound = |v: &Value| v.get(key).and_then(Value::as_f64);
            let (bv, av) = (bound(b), bound(a));
            if bv == av {
                continue;
            }
            let rule = match (bv, av) {
                (None, Some(_)) => &rules::CONSTRAINT_ADDED,
                (Some(_), None) => &rules::CONSTRAINT_REMOVED,
                (Some(x), Some(y)) if (y > x) == larger_is_wider => &rules::CONSTRAINT_LOOSENED,
                _ => &rules::CONSTRAINT_TIGHTENED,
            };
            let change = format!("{key} {}", from_to(b.get(key), a.get(key)));
            self.record(rule, label, &format!("{pointer}/{key}"), change, ctx);
        }
        for key in EXCLUDING_FLAGS {
            let (bv, av) = (is_true(b, key), is_true(a, key));
            if bv != av {
                let rule = if av {
                    &rules::CONSTRAINT_ADDED
                } else {
                    &rules::CONSTRAINT_REMOVED
                };
                let change = format!("{key} {bv} → {av}");
                self.record(rule, label, &format!("{pointer}/{key}"), change, ctx);
            }
        }
        for key in OTHER_CONSTRAINTS {
            let (bv, av) = (b.get(key), a.get(key));
            if bv == av {
                continue;
            }
            let rule = match (bv, av) {
                (None, Some(_)) => &rules::CONSTRAINT_ADDED,
                (Some(_), None) => &rules::CONSTRAINT_REMOVED,
                _ => &rules::CONSTRAINT_CHANGED,
            };
            let change = format!("{key} {}", from_to(bv, av));
            self.record(rule, label, &format!("{pointer}/{key}"), change, ctx);
        }
    }

    /// `enum` (or `const`): the list of values, and each value added or removed.
    fn values(&mut self, (b, a): (&Value, &Value), at: Site<'_>) {
        let Site {
            pointer,
            label,
            ctx,
        } = at;
        match (values(b), values(a)) {
            (None, None) => {}
            (None, Some((_, key))) => self.record(
                &rules::ENUM_ADDED,
                label,
                &format!("{pointer}/{key}"),
                "now limited to a list of values".to_owned(),
                ctx,
            ),
            (Some((_, key)), None) => self.record(
                &rules::ENUM_REMOVED,
                label,
                &format!("{pointer}/{key}"),
                "no longer limited to a list of values".to_owned(),
                ctx,
            ),
            (Some((bl, _)), Some((al, key))) => {
                let p = format!("{pointer}/{key}");
                for v in bl.iter().filter(|v| !al.contains(v)) {
                    let change = format!("value {} removed", compact(v));
                    self.record(&rules::ENUM_VALUE_REMOVED, label, &p, change, ctx);
                }
                for v in al.iter().filter(|v| !bl.contains(v)) {
                    let change = format!("value {} added", compact(v));
                    self.record(&rules::ENUM_VALUE_ADDED, label, &p, change, ctx);
                }
            }
        }
    }

    fn properties(&mut self, (b, a): (&Value, &Value), at: Site<'_>) {
        let Site {
            pointer,
            label,
            ctx,
        } = at;
        let bp = object(b, "properties");
        let ap = object(a, "properties");
        for name in bp.keys().filter(|n| !ap.contains_key(*n)) {
            self.record(
                &rules::PROPERTY_REMOVED,
                &format!("{label}.{name}"),
                &format!("{pointer}/properties/{}", escape(name)),
                "removed".to_owned(),
                ctx,
            );
        }
        let required_change = |now: bool| -> (&'static Rule, String) {
            if now {
                (
                    &rules::PROPERTY_MADE_REQUIRED,
                    "optional → required".to_owned(),
                )
            } else {
                (
                    &rules::PROPERTY_MADE_OPTIONAL,
                    "required → optional".to_owned(),
                )
            }
        };
        for (name, aschema) in ap {
            let p = format!("{pointer}/properties/{}", escape(name));
            let here = format!("{label}.{name}");
            let Some(bschema) = bp.get(name) else {
                let (rule, change) = if is_required(a, name) {
                    (&rules::PROPERTY_ADDED_REQUIRED, "added, required")
                } else {
                    (&rules::PROPERTY_ADDED_OPTIONAL, "added, optional")
                };
                self.record(rule, &here, &p, change.to_owned(), ctx);
                continue;
            };
            let (was, is) = (is_required(b, name), is_required(a, name));
            if was != is {
                let (rule, change) = required_change(is);
                self.record(rule, &here, &format!("{pointer}/required"), change, ctx);
            }
            self.schema(bschema, aschema, &p, &here, ctx);
        }
        // A required name with no property of that name still constrains the object.
        let (br, ar) = (required_names(b), required_names(a));
        let unnamed_changes = ar
            .difference(&br)
            .filter(|n| !ap.contains_key(*n))
            .map(|n| (n, true))
            .chain(
                br.difference(&ar)
                    .filter(|n| !ap.contains_key(*n) && !bp.contains_key(*n))
                    .map(|n| (n, false)),
            );
        for (name, now) in unnamed_changes {
            let (rule, change) = required_change(now);
            self.record(
                rule,
                &format!("{label}.{name}"),
                &format!("{pointer}/required"),
                change,
                ctx,
            );
        }
    }

    fn additional_properties(&mut self, (b, a): (&Value, &Value), at: Site<'_>) {
        let Site {
            pointer,
            label,
            ctx,
        } = at;
        let p = format!("{pointer}/additionalProperties");
        match (b.get("additionalProperties"), a.get("additionalProperties")) {
            (Some(bs), Some(as_)) if bs.is_object() && as_.is_object() => {
                self.schema(bs, as_, &p, &format!("{label}.*"), ctx)
            }
            (bv, av) if bv != av => {
                let open = |v: Option<&Value>| v != Some(&Value::Bool(false));
                let any = |v: Option<&Value>| {
                    v.is_none()
                        || v == Some(&Value::Bool(true))
                        || v == Some(&Value::Object(Map::new()))
                };
                // Absent, `true` and `{}` all allow any property: one written for another is
                // no change.
                if any(bv) && any(av) {
                    return;
                }
                let rule = match (open(bv), open(av)) {
                    (true, false) => &rules::ADDITIONAL_PROPERTIES_NARROWED,
                    (false, true) => &rules::ADDITIONAL_PROPERTIES_WIDENED,
                    // Both open, and not both schemas (compared as such above): one allows any.
                    _ if any(bv) => &rules::ADDITIONAL_PROPERTIES_NARROWED,
                    _ => &rules::ADDITIONAL_PROPERTIES_WIDENED,
                };
                self.record(rule, label, &p, from_to(bv, av), ctx);
            }
            _ => {}
        }
    }

    fn items(&mut self, (b, a): (&Value, &Value), at: Site<'_>) {
        let Site {
            pointer,
            label,
            ctx,
        } = at;
        let p = format!("{pointer}/items");
        match (b.get("items"), a.get("items")) {
            (Some(bs), Some(as_)) => self.schema(bs, as_, &p, &format!("{label}[]"), ctx),
            (None, None) => {}
            (bv, av) => {
                let rule = if bv.is_some() {
                    &rules::ITEMS_REMOVED
                } else {
                    &rules::ITEMS_ADDED
                };
                self.record(rule, label, &p, from_to(bv, av), ctx);
            }
        }
    }

    /// `allOf`, `oneOf` and `anyOf`: the keyword coming or going, else branch by branch.
    fn composition(&mut self, (b, a): (&Value, &Value), at: Site<'_>, branches_compared: bool) {
        let Site {
            pointer,
            label,
            ctx,
        } = at;
        for key in ["allOf", "oneOf", "anyOf"] {
            if branches_compared && key != "allOf" {
                continue;
            }
            let (added, removed) = if key == "allOf" {
                (&rules::ALL_OF_BRANCH_ADDED, &rules::ALL_OF_BRANCH_REMOVED)
            } else {
                (&rules::ALTERNATIVE_ADDED, &rules::ALTERNATIVE_REMOVED)
            };
            let (bl, al) = (branches(b, key), branches(a, key));
            if bl.is_empty() != al.is_empty() {
                // The whole keyword came or went: a new constraint, or one fewer.
                let came = !al.is_empty();
                let rule = if came {
                    &rules::COMPOSITION_ADDED
                } else {
                    &rules::COMPOSITION_REMOVED
                };
                let change = format!("{key} {}", if came { "added" } else { "removed" });
                self.record(rule, label, &format!("{pointer}/{key}"), change, ctx);
                continue;
            }
            for i in 0..bl.len().max(al.len()) {
                let p = format!("{pointer}/{key}/{i}");
                match (bl.get(i), al.get(i)) {
                    (Some(bs), Some(as_)) => {
                        self.schema(bs, as_, &p, &format!("{label} ({key} {i})"), ctx)
                    }
                    (None, Some(_)) => {
                        let change = format!("{key} branch {i} added");
                        self.record(added, label, &p, change, ctx);
                    }
                    (Some(_), None) => {
                        let change = format!("{key} branch {i} removed");
                        self.record(removed, label, &p, change, ctx);
                    }
                    (None, None) => {}
                }
            }
        }
    }

    /// The conventions that stand on a schema, each classed as the registry says, but
    /// nullability, which is compared with the types ([`Walker::nullable`]).
    fn conventions(&mut self, (b, a): (&Value, &Value), at: Site<'_>) {
        let Site {
            pointer,
            label,
            ctx,
        } = at;
        for standing in conventions::at(Place::Schema).filter(|s| s.name() != NULLABLE.name) {
            let key = standing.name();
            let (bv, av) = (b.get(key), a.get(key));
            let Some(classed) = standing.classing.change(bv, av) else {
                continue;
            };
            // A flag is shown at its key (`readOnly: false → true`); a value at the schema whose
            // text it is, as the schema's text changes are (`x-pii: absent → true`).
            let (p, change) = match standing.classing {
                Classing::Flag { .. } => (
                    format!("{pointer}/{key}"),
                    format!("{key}: {} → {}", is_true(b, key), is_true(a, key)),
                ),
                Classing::Value(_) | Classing::Promise { .. } => {
                    (pointer.to_owned(), format!("{key}: {}", from_to(bv, av)))
                }
            };
            self.record_convention((&standing, classed), label, &p, change, ctx);
        }
    }

    /// `writeOnly`: a property only clients send.
    fn write_only(&mut self, (b, a): (&Value, &Value), at: Site<'_>) {
        let Site {
            pointer,
            label,
            ctx,
        } = at;
        let key = "writeOnly";
        let (bv, av) = (is_true(b, key), is_true(a, key));
        if bv != av {
            self.record(
                if av {
                    &rules::WRITE_ONLY_SET
                } else {
                    &rules::WRITE_ONLY_CLEARED
                },
                label,
                &format!("{pointer}/{key}"),
                format!("{key}: {bv} → {av}"),
                ctx,
            );
        }
    }

    /// Text keywords.
    fn schema_text(&mut self, (b, a): (&Value, &Value), at: Site<'_>) {
        let Site {
            pointer,
            label,
            ctx,
        } = at;
        let docs: Vec<String> = DOC_KEYWORDS
            .iter()
            .filter(|k| b.get(**k) != a.get(**k))
            .map(|k| format!("{k} changed"))
            .collect();
        if !docs.is_empty() {
            self.record(&rules::SCHEMA_TEXT, label, pointer, docs.join(", "), ctx);
        }
    }

    /// Component schemas no operation reaches still describe the API's data; a change to one is
    /// reported without a direction, as documentation, so it is at least seen.
    pub(super) fn unused_components(&mut self) {
        let schemas = |doc: &'a Value| {
            doc.pointer("/components/schemas")
                .and_then(Value::as_object)
                .unwrap_or(empty_map())
        };
        let (b, a) = (schemas(self.before), schemas(self.after));
        let reached: Vec<String> = self.changes.keys().map(|(p, _, _)| p.clone()).collect();
        let none = Context::default();
        for (name, bs) in b {
            let pointer = format!("/components/schemas/{}", escape(name));
            let target = format!("#{pointer}");
            match a.get(name) {
                None if !used(self.before, &target) => self.record(
                    &rules::UNUSED_SCHEMA_REMOVED,
                    name,
                    &pointer,
                    "removed (no operation used it)".to_owned(),
                    &none,
                ),
                Some(as_)
                    if bs != as_
                        && !used(self.after, &target)
                        && !reached.iter().any(|p| p.starts_with(&pointer)) =>
                {
                    self.record(
                        &rules::UNUSED_SCHEMA_CHANGED,
                        name,
                        &pointer,
                        "changed (no operation uses it)".to_owned(),
                        &none,
                    )
                }
                _ => {}
            }
        }
        for name in a.keys().filter(|n| !b.contains_key(*n)) {
            let pointer = format!("/components/schemas/{}", escape(name));
            if !used(self.after, &format!("#{pointer}")) {
                self.record(
                    &rules::UNUSED_SCHEMA_ADDED,
                    name,
                    &pointer,
                    "added (no operation uses it yet)".to_owned(),
                    &none,
                );
            }
        }
    }
}
