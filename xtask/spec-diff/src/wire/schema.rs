//! Two schemas compared where they are used: types, nullability, formats, constraints, enums,
//! properties, composition, and every keyword not understood.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{
    Context, DOC_KEYWORDS, Effect, SCHEMA_KEYWORDS, Walker, compact, empty_map, escape, from_to,
    is_true, keys, object, opposite, resolve, type_set, type_text, used,
};

impl<'a> Walker<'a> {
    /// Compares two schemas at `pointer` (in the new spec), named `label` in reports.
    pub(super) fn schema(
        &mut self,
        b: &'a Value,
        a: &'a Value,
        pointer: &str,
        label: &str,
        ctx: &Context,
    ) {
        let bref = b.get("$ref").and_then(Value::as_str);
        let aref = a.get("$ref").and_then(Value::as_str);
        if bref.is_some() || aref.is_some() {
            if bref != aref {
                // Different components (or a component and an inline schema): compare what they say.
                self.record(
                    Effect::Docs,
                    "schema-reference",
                    label,
                    pointer,
                    format!(
                        "{} → {}",
                        bref.unwrap_or("inline"),
                        aref.unwrap_or("inline")
                    ),
                    Some("a reference to another schema; what it allows is compared below"),
                    ctx,
                );
            }
            let (bs, _) = resolve(self.before, b, String::new());
            let (as_, aptr) = resolve(self.after, a, pointer.to_owned());
            let name = aref
                .and_then(|r| r.rsplit('/').next())
                .map(str::to_owned)
                .unwrap_or_else(|| label.to_owned());
            let key = (aptr.clone(), format!("{:?}", ctx.direction));
            if self.stack.contains(&key) {
                return;
            }
            self.stack.push(key);
            let label = if aref.is_some() {
                name
            } else {
                label.to_owned()
            };
            self.schema(bs, as_, &aptr, &label, ctx);
            self.stack.pop();
            return;
        }
        let branches_compared = self.schema_type(b, a, pointer, label, ctx);
        if b.get("nullable") != a.get("nullable") {
            let (bn, an) = (is_true(b, "nullable"), is_true(a, "nullable"));
            if bn != an {
                self.record(
                    if an { Effect::Wider } else { Effect::Narrower },
                    "nullable",
                    label,
                    &format!("{pointer}/nullable"),
                    if an {
                        "not nullable → nullable"
                    } else {
                        "nullable → not nullable"
                    }
                    .to_owned(),
                    None,
                    ctx,
                );
            }
        }
        if !branches_compared {
            self.format(b, a, pointer, label, ctx);
        }
        self.constraints(b, a, pointer, label, ctx);
        self.enumeration(b, a, pointer, label, ctx);
        self.properties(b, a, pointer, label, ctx);
        match (b.get("additionalProperties"), a.get("additionalProperties")) {
            (Some(bs), Some(as_)) if bs.is_object() && as_.is_object() => self.schema(
                bs,
                as_,
                &format!("{pointer}/additionalProperties"),
                &format!("{label}.*"),
                ctx,
            ),
            (bv, av) if bv != av => {
                let open = |v: Option<&Value>| v != Some(&Value::Bool(false));
                let any = |v: Option<&Value>| {
                    v.is_none()
                        || v == Some(&Value::Bool(true))
                        || v == Some(&Value::Object(Map::new()))
                };
                let effect = match (open(bv), open(av)) {
                    (true, false) => Effect::Narrower,
                    (false, true) => Effect::Wider,
                    _ if any(bv) => Effect::Narrower,
                    _ if any(av) => Effect::Wider,
                    _ => Effect::Incompatible,
                };
                self.record(
                    effect,
                    "additional-properties",
                    label,
                    &format!("{pointer}/additionalProperties"),
                    from_to(bv, av),
                    None,
                    ctx,
                );
            }
            _ => {}
        }
        match (b.get("items"), a.get("items")) {
            (Some(bs), Some(as_)) => self.schema(
                bs,
                as_,
                &format!("{pointer}/items"),
                &format!("{label}[]"),
                ctx,
            ),
            (None, None) => {}
            (bv, av) => self.record(
                if bv.is_some() {
                    Effect::Wider
                } else {
                    Effect::Narrower
                },
                "items",
                label,
                &format!("{pointer}/items"),
                from_to(bv, av),
                None,
                ctx,
            ),
        }
        for (key, added_effect) in [
            ("allOf", Effect::Narrower),
            ("oneOf", Effect::Wider),
            ("anyOf", Effect::Wider),
        ] {
            if branches_compared && key != "allOf" {
                continue;
            }
            let list = |v: &'a Value| {
                v.get(key)
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                    .unwrap_or_default()
            };
            let (bl, al) = (list(b), list(a));
            if bl.is_empty() != al.is_empty() {
                // The whole keyword came or went: a new constraint, or one fewer.
                let added = !al.is_empty();
                let effect = match (key, added) {
                    ("allOf", true) | ("oneOf" | "anyOf", true) => Effect::Narrower,
                    _ => Effect::Wider,
                };
                self.record(
                    effect,
                    "composition",
                    label,
                    &format!("{pointer}/{key}"),
                    format!("{key} {}", if added { "added" } else { "removed" }),
                    None,
                    ctx,
                );
                continue;
            }
            for i in 0..bl.len().max(al.len()) {
                let p = format!("{pointer}/{key}/{i}");
                match (bl.get(i), al.get(i)) {
                    (Some(bs), Some(as_)) => {
                        self.schema(bs, as_, &p, &format!("{label} ({key} {i})"), ctx)
                    }
                    (None, Some(_)) => self.record(
                        added_effect,
                        "composition",
                        label,
                        &p,
                        format!("{key} branch {i} added"),
                        None,
                        ctx,
                    ),
                    (Some(_), None) => self.record(
                        opposite(added_effect),
                        "composition",
                        label,
                        &p,
                        format!("{key} branch {i} removed"),
                        None,
                        ctx,
                    ),
                    (None, None) => {}
                }
            }
        }
        if b.get("not") != a.get("not") {
            self.record(
                Effect::Incompatible,
                "not",
                label,
                &format!("{pointer}/not"),
                "changed".to_owned(),
                None,
                ctx,
            );
        }
        for key in ["readOnly", "writeOnly"] {
            let (bv, av) = (is_true(b, key), is_true(a, key));
            if bv == av {
                continue;
            }
            let (effect, why) = match (key, av) {
                ("readOnly", true) => (
                    Effect::NarrowerInRequests,
                    "clients that send it are now ignored or refused",
                ),
                ("readOnly", _) => (
                    Effect::WiderInRequests,
                    "the server must now take it from requests",
                ),
                (_, true) => (
                    Effect::BreaksClients,
                    "clients that read it from answers stop getting it",
                ),
                _ => (
                    Effect::BreaksServer,
                    "the server must now send it in answers",
                ),
            };
            self.record(
                effect,
                key,
                label,
                &format!("{pointer}/{key}"),
                format!("{key}: {bv} → {av}"),
                Some(why),
                ctx,
            );
        }
        if b.get("default") != a.get("default") {
            self.record(
                Effect::BreaksClients,
                "default",
                label,
                &format!("{pointer}/default"),
                from_to(b.get("default"), a.get("default")),
                Some("clients that leave it out get another value"),
                ctx,
            );
        }
        let docs: Vec<&str> = DOC_KEYWORDS
            .iter()
            .copied()
            .filter(|k| b.get(*k) != a.get(*k))
            .collect();
        let extensions: Vec<String> = keys(b, a)
            .into_iter()
            .filter(|k| k.starts_with("x-") && b.get(k.as_str()) != a.get(k.as_str()))
            .collect();
        if !docs.is_empty() || !extensions.is_empty() {
            let mut what: Vec<String> = docs.iter().map(|s| format!("{s} changed")).collect();
            what.extend(
                extensions
                    .iter()
                    .map(|e| format!("{e}: {}", from_to(b.get(e.as_str()), a.get(e.as_str())))),
            );
            self.record(
                Effect::Docs,
                "schema-text",
                label,
                pointer,
                what.join(", "),
                extensions.iter().any(|e| e == "x-pii").then_some(
                    "the wire is the same; whether Debug and logs hide the value changes",
                ),
                ctx,
            );
        }
        let mut known: Vec<&str> = SCHEMA_KEYWORDS.to_vec();
        known.extend(DOC_KEYWORDS);
        known.push("default");
        let unknown: Vec<String> = keys(b, a)
            .into_iter()
            .filter(|k| {
                !k.starts_with("x-")
                    && !known.contains(&k.as_str())
                    && b.get(k.as_str()) != a.get(k.as_str())
            })
            .collect();
        for k in unknown {
            self.record(
                Effect::Incompatible,
                "unrecognised",
                label,
                &format!("{pointer}/{}", escape(&k)),
                format!("{k}: {}", from_to(b.get(k.as_str()), a.get(k.as_str()))),
                Some("a keyword this diff does not classify; taken as breaking until it does"),
                ctx,
            );
        }
    }

    /// Compares the JSON types two schemas admit, from `type` or from the typed branches of a
    /// `oneOf`/`anyOf` (`string or integer`). Returns whether it did, so the branches are not
    /// compared again one by one.
    pub(super) fn schema_type(
        &mut self,
        b: &Value,
        a: &Value,
        pointer: &str,
        label: &str,
        ctx: &Context,
    ) -> bool {
        let (bt, at) = (type_set(b), type_set(a));
        if bt == at {
            return false;
        }
        let effect = match (&bt, &at) {
            (None, Some(_)) => Effect::Narrower,
            (Some(_), None) => Effect::Wider,
            (Some(x), Some(y)) if y.is_subset(x) => Effect::Narrower,
            (Some(x), Some(y)) if x.is_subset(y) => Effect::Wider,
            _ => Effect::Incompatible,
        };
        let at_pointer = if a.get("type").is_some() || b.get("type").is_some() {
            format!("{pointer}/type")
        } else {
            pointer.to_owned()
        };
        self.record(
            effect,
            "type",
            label,
            &at_pointer,
            format!("{} → {}", type_text(b), type_text(a)),
            None,
            ctx,
        );
        // When a side's types come from its branches, those branches (and the format that sits
        // in one of them) were compared here, as types.
        let from_branches = |v: &Value| {
            v.get("type").is_none() && (v.get("oneOf").is_some() || v.get("anyOf").is_some())
        };
        from_branches(b) || from_branches(a)
    }

    pub(super) fn format(
        &mut self,
        b: &Value,
        a: &Value,
        pointer: &str,
        label: &str,
        ctx: &Context,
    ) {
        let (bf, af) = (
            b.get("format").and_then(Value::as_str),
            a.get("format").and_then(Value::as_str),
        );
        if bf == af {
            return;
        }
        let effect = match (bf, af) {
            (None, Some(_)) => Effect::Narrower,
            (Some(_), None) => Effect::Wider,
            (Some("int32"), Some("int64")) | (Some("float"), Some("double")) => Effect::Wider,
            (Some("int64"), Some("int32")) | (Some("double"), Some("float")) => Effect::Narrower,
            _ => Effect::Incompatible,
        };
        self.record(
            effect,
            "format",
            label,
            &format!("{pointer}/format"),
            format!("{} → {}", bf.unwrap_or("none"), af.unwrap_or("none")),
            None,
            ctx,
        );
    }

    pub(super) fn constraints(
        &mut self,
        b: &Value,
        a: &Value,
        pointer: &str,
        label: &str,
        ctx: &Context,
    ) {
        // (keyword, whether a larger value allows more)
        for (key, larger_is_wider) in [
            ("maxLength", true),
            ("maximum", true),
            ("maxItems", true),
            ("maxProperties", true),
            ("minLength", false),
            ("minimum", false),
            ("minItems", false),
            ("minProperties", false),
        ] {
            let (bv, av) = (
                b.get(key).and_then(Value::as_f64),
                a.get(key).and_then(Value::as_f64),
            );
            if bv == av {
                continue;
            }
            let effect = match (bv, av) {
                (None, Some(_)) => Effect::Narrower,
                (Some(_), None) => Effect::Wider,
                (Some(x), Some(y)) if (y > x) == larger_is_wider => Effect::Wider,
                _ => Effect::Narrower,
            };
            self.record(
                effect,
                "constraint",
                label,
                &format!("{pointer}/{key}"),
                format!("{key} {}", from_to(b.get(key), a.get(key))),
                None,
                ctx,
            );
        }
        for key in ["exclusiveMaximum", "exclusiveMinimum", "uniqueItems"] {
            let (bv, av) = (is_true(b, key), is_true(a, key));
            if bv != av {
                self.record(
                    if av { Effect::Narrower } else { Effect::Wider },
                    "constraint",
                    label,
                    &format!("{pointer}/{key}"),
                    format!("{key} {bv} → {av}"),
                    None,
                    ctx,
                );
            }
        }
        for key in ["pattern", "multipleOf"] {
            let (bv, av) = (b.get(key), a.get(key));
            if bv == av {
                continue;
            }
            let effect = match (bv, av) {
                (None, Some(_)) => Effect::Narrower,
                (Some(_), None) => Effect::Wider,
                _ => Effect::Incompatible,
            };
            self.record(
                effect,
                "constraint",
                label,
                &format!("{pointer}/{key}"),
                format!("{key} {}", from_to(bv, av)),
                None,
                ctx,
            );
        }
    }

    pub(super) fn enumeration(
        &mut self,
        b: &Value,
        a: &Value,
        pointer: &str,
        label: &str,
        ctx: &Context,
    ) {
        let values = |v: &Value| v.get("enum").and_then(Value::as_array).cloned();
        match (values(b), values(a)) {
            (None, None) => {}
            (None, Some(_)) => self.record(
                Effect::Narrower,
                "enum",
                label,
                &format!("{pointer}/enum"),
                "now limited to a list of values".to_owned(),
                None,
                ctx,
            ),
            (Some(_), None) => self.record(
                Effect::Wider,
                "enum",
                label,
                &format!("{pointer}/enum"),
                "no longer limited to a list of values".to_owned(),
                None,
                ctx,
            ),
            (Some(bl), Some(al)) => {
                for v in bl.iter().filter(|v| !al.contains(v)) {
                    self.record(
                        Effect::Narrower,
                        "enum-value-removed",
                        label,
                        &format!("{pointer}/enum"),
                        format!("value {} removed", compact(v)),
                        None,
                        ctx,
                    );
                }
                for v in al.iter().filter(|v| !bl.contains(v)) {
                    self.record(
                        Effect::Wider,
                        "enum-value-added",
                        label,
                        &format!("{pointer}/enum"),
                        format!("value {} added", compact(v)),
                        None,
                        ctx,
                    );
                }
            }
        }
    }

    pub(super) fn properties(
        &mut self,
        b: &'a Value,
        a: &'a Value,
        pointer: &str,
        label: &str,
        ctx: &Context,
    ) {
        let bp = object(b, "properties");
        let ap = object(a, "properties");
        let required = |v: &Value, name: &str| {
            v.get("required")
                .and_then(Value::as_array)
                .is_some_and(|l| l.iter().any(|x| x.as_str() == Some(name)))
        };
        for name in bp.keys().filter(|n| !ap.contains_key(*n)) {
            self.record(
                Effect::BreaksClients,
                "property-removed",
                &format!("{label}.{name}"),
                &format!("{pointer}/properties/{}", escape(name)),
                "removed".to_owned(),
                Some("clients that send it lose it, and clients that read it find nothing"),
                ctx,
            );
        }
        for (name, aschema) in ap {
            let p = format!("{pointer}/properties/{}", escape(name));
            let here = format!("{label}.{name}");
            let Some(bschema) = bp.get(name) else {
                if required(a, name) {
                    self.record(
                        Effect::Narrower,
                        "property-added-required",
                        &here,
                        &p,
                        "added, required".to_owned(),
                        None,
                        ctx,
                    );
                } else {
                    self.record(
                        Effect::Added,
                        "property-added",
                        &here,
                        &p,
                        "added, optional".to_owned(),
                        Some("optional in requests, and an unknown property to older clients"),
                        ctx,
                    );
                }
                continue;
            };
            match (required(b, name), required(a, name)) {
                (false, true) => self.record(
                    Effect::Narrower,
                    "property-required",
                    &here,
                    &format!("{pointer}/required"),
                    "optional → required".to_owned(),
                    None,
                    ctx,
                ),
                (true, false) => self.record(
                    Effect::Wider,
                    "property-required",
                    &here,
                    &format!("{pointer}/required"),
                    "required → optional".to_owned(),
                    None,
                    ctx,
                ),
                _ => {}
            }
            self.schema(bschema, aschema, &p, &here, ctx);
        }
        // A required name with no property of that name still constrains the object.
        let names = |v: &Value| -> BTreeSet<String> {
            v.get("required")
                .and_then(Value::as_array)
                .map(|l| {
                    l.iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (br, ar) = (names(b), names(a));
        for name in ar.difference(&br).filter(|n| !ap.contains_key(*n)) {
            self.record(
                Effect::Narrower,
                "property-required",
                &format!("{label}.{name}"),
                &format!("{pointer}/required"),
                "optional → required".to_owned(),
                None,
                ctx,
            );
        }
        for name in br
            .difference(&ar)
            .filter(|n| !ap.contains_key(*n) && !bp.contains_key(*n))
        {
            self.record(
                Effect::Wider,
                "property-required",
                &format!("{label}.{name}"),
                &format!("{pointer}/required"),
                "required → optional".to_owned(),
                None,
                ctx,
            );
        }
    }

    pub(super) fn unrecognised(
        &mut self,
        b: &Value,
        a: &Value,
        known: &[&str],
        here: &str,
        pointer: &str,
        ctx: &Context,
    ) {
        for k in keys(b, a) {
            if k.starts_with("x-")
                || known.contains(&k.as_str())
                || b.get(k.as_str()) == a.get(k.as_str())
            {
                continue;
            }
            self.record(
                Effect::Incompatible,
                "unrecognised",
                here,
                &format!("{pointer}/{}", escape(&k)),
                format!("{k} changed"),
                Some("a keyword this diff does not classify; taken as breaking until it does"),
                ctx,
            );
        }
        for k in keys(b, a) {
            if k.starts_with("x-")
                && !known.contains(&k.as_str())
                && b.get(k.as_str()) != a.get(k.as_str())
            {
                self.record(
                    Effect::Docs,
                    "extension",
                    here,
                    &format!("{pointer}/{}", escape(&k)),
                    format!("{k}: {}", from_to(b.get(k.as_str()), a.get(k.as_str()))),
                    None,
                    ctx,
                );
            }
        }
    }

    /// Component schemas no operation reaches still describe the API's data; a change to one is
    /// reported without a direction, as documentation, so it is at least seen.
    pub(super) fn unused_components(&mut self) {
        let schemas = |doc: &'a Value| {
            doc.pointer("/components/schemas")
                .and_then(Value::as_object)
        };
        let empty = empty_map();
        let b = schemas(self.before).unwrap_or(empty);
        let a = schemas(self.after).unwrap_or(empty);
        let reached: BTreeSet<String> = self.changes.keys().map(|(p, _, _)| p.clone()).collect();
        let none = Context {
            operation: None,
            direction: None,
        };
        for (name, bs) in b {
            let pointer = format!("/components/schemas/{}", escape(name));
            match a.get(name) {
                None => {
                    if !used(self.before, &format!("#{pointer}")) {
                        self.record(
                            Effect::Docs,
                            "unused-schema-removed",
                            name,
                            &pointer,
                            "removed (no operation used it)".to_owned(),
                            None,
                            &none,
                        );
                    }
                }
                Some(as_) => {
                    if bs != as_
                        && !used(self.after, &format!("#{pointer}"))
                        && !reached.iter().any(|p| p.starts_with(&pointer))
                    {
                        self.record(
                            Effect::Docs,
                            "unused-schema-changed",
                            name,
                            &pointer,
                            "changed (no operation uses it)".to_owned(),
                            None,
                            &none,
                        );
                    }
                }
            }
        }
        for name in a.keys().filter(|n| !b.contains_key(*n)) {
            let pointer = format!("/components/schemas/{}", escape(name));
            if !used(self.after, &format!("#{pointer}")) {
                self.record(
                    Effect::Docs,
                    "unused-schema-added",
                    name,
                    &pointer,
                    "added (no operation uses it yet)".to_owned(),
                    None,
                    &none,
                );
            }
        }
    }
}
