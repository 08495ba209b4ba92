//! Each operation, paired by method and path: its text and conventions, security, parameters,
//! request body and responses.

use serde_json::Value;

use super::{Context, Walker};
use crate::conventions::{self, Classing, Place};
use crate::wire::Direction;
use crate::wire::facts::{from_to, object};
use crate::wire::pairing::{self, OperationAt, escape, parent, resolve};
use crate::wire::rules;

/// An operation's keys the walk compares, besides the conventions that stand on one.
const OPERATION_KEYS: [&str; 11] = [
    "operationId",
    "summary",
    "description",
    "tags",
    "externalDocs",
    "deprecated",
    "security",
    "servers",
    "parameters",
    "requestBody",
    "responses",
];

/// A parameter's keys the walk compares besides those of its serialisation and text rows
/// (`name` and `in` are what pairs it).
const PARAMETER_KEYS: [&str; 4] = ["name", "in", "required", "schema"];

/// A request body's keys the walk compares.
const REQUEST_BODY_KEYS: [&str; 3] = ["required", "description", "content"];

/// A media type's keys the walk compares.
const MEDIA_TYPE_KEYS: [&str; 4] = ["schema", "example", "examples", "encoding"];

/// A response's keys the walk compares.
const RESPONSE_KEYS: [&str; 3] = ["description", "headers", "content"];

impl<'a> Walker<'a> {
    pub(super) fn operations(&mut self) {
        let (b, a) = (
            pairing::operations(self.before),
            pairing::operations(self.after),
        );
        for (key, at) in &b {
            if !a.contains_key(key) {
                let id = at.id();
                self.record(
                    &rules::OPERATION_REMOVED,
                    &format!("{} {} ({id})", at.method.to_uppercase(), at.path),
                    &format!("/paths/{}/{}", escape(at.path), at.method),
                    "removed".to_owned(),
                    &Context::operation(id),
                );
            }
        }
        for (key, at) in &a {
            let pointer = format!("/paths/{}/{}", escape(at.path), at.method);
            let id = at.id();
            let ctx = Context::operation(id.clone());
            match b.get(key) {
                None => self.record(
                    &rules::OPERATION_ADDED,
                    &format!("{} {} ({id})", at.method.to_uppercase(), at.path),
                    &pointer,
                    "added".to_owned(),
                    &ctx,
                ),
                Some(before) => {
                    let before_pointer =
                        format!("/paths/{}/{}", escape(before.path), before.method);
                    self.at_places((&pointer, &before_pointer), |walker| {
                        walker.operation(before, at, &pointer, &ctx)
                    })
                }
            }
        }
    }

    fn operation(
        &mut self,
        before: &OperationAt<'a>,
        after: &OperationAt<'a>,
        pointer: &str,
        ctx: &Context,
    ) {
        let (bop, op) = (before.op, after.op);
        let here = ctx.operation.clone().unwrap_or_default();
        // Paired paths differ as written when a parameter is renamed, or when one document
        // writes its server's base path into them (which is no change of the URL).
        if before.path != after.path
            && pairing::normalise_template(before.path) == pairing::normalise_template(after.path)
        {
            self.record(
                &rules::PATH_PARAMETER_RENAMED,
                &here,
                pointer,
                format!("{} → {}", before.path, after.path),
                ctx,
            );
        }
        if bop.get("operationId") != op.get("operationId") {
            self.record(
                &rules::OPERATION_ID,
                &here,
                &format!("{pointer}/operationId"),
                from_to(bop.get("operationId"), op.get("operationId")),
                ctx,
            );
        }
        for key in rules::OPERATION_TEXT.keywords {
            if bop.get(key) != op.get(key) {
                let change = match *key {
                    "summary" | "description" | "externalDocs" => format!("{key} changed"),
                    _ => format!("{key}: {}", from_to(bop.get(key), op.get(key))),
                };
                self.record_keyword(
                    &rules::OPERATION_TEXT,
                    key,
                    &here,
                    &format!("{pointer}/{key}"),
                    change,
                    ctx,
                );
            }
        }
        self.operation_conventions((bop, op), &here, pointer, ctx);
        self.operation_security((bop, op), &here, pointer, ctx);
        if bop.get("servers").is_some() || op.get("servers").is_some() {
            self.servers(
                bop.get("servers"),
                op.get("servers"),
                &format!("{pointer}/servers"),
                ctx,
            );
        }
        self.parameters(before, after, &here, pointer, ctx);
        self.request_body((bop, op), &here, pointer, ctx);
        self.responses((bop, op), &here, pointer, ctx);
        self.unrecognised(
            (bop, op),
            &OPERATION_KEYS,
            Some(Place::Operation),
            (&here, pointer),
            ctx,
        );
    }

    /// The conventions that stand on an operation, each classed as the registry says.
    fn operation_conventions(
        &mut self,
        (bop, op): (&Value, &Value),
        here: &str,
        pointer: &str,
        ctx: &Context,
    ) {
        for standing in conventions::at(Place::Operation) {
            let key = standing.name();
            let (b, a) = (bop.get(key), op.get(key));
            let Some(classed) = standing.classing.change(b, a) else {
                continue;
            };
            // A value is shown with its key; a flag or a promise reads `true → absent`.
            let change = match standing.classing {
                Classing::Value(_) => format!("{key}: {}", from_to(b, a)),
                Classing::Flag { .. } | Classing::Promise { .. } => from_to(b, a),
            };
            let p = format!("{pointer}/{key}");
            self.record_convention((&standing, classed), here, &p, change, ctx);
        }
    }

    fn parameters(
        &mut self,
        before: &OperationAt<'a>,
        after: &OperationAt<'a>,
        here: &str,
        pointer: &str,
        ctx: &Context,
    ) {
        let b = pairing::parameters(self.before, before);
        let a = pairing::parameters(self.after, after);
        let before_pointer = self.before_pointer(pointer);
        let locate_in = |pointer: &str, ptr: &str| {
            if ptr.starts_with('/') {
                ptr.to_owned()
            } else if let Some(rest) = ptr.strip_prefix("../") {
                format!("{}/{rest}", parent(pointer))
            } else {
                format!("{pointer}/{ptr}")
            }
        };
        let locate = |ptr: &str| locate_in(pointer, ptr);
        let required = |p: &Value| {
            p.get("required").and_then(Value::as_bool).unwrap_or(false)
                || p.get("in").and_then(Value::as_str) == Some("path")
        };
        let request = ctx.travelling(Direction::Request);
        // A name in one location before and another after, with nothing left in the first.
        let moved_from = |name: &str, from: &str| {
            a.keys()
                .find(|(n, l)| n == name && l != from && !b.contains_key(&(n.clone(), l.clone())))
                .cloned()
        };
        for ((name, loc), (bp, bptr)) in &b {
            if a.contains_key(&(name.clone(), loc.clone())) {
                continue;
            }
            match moved_from(name, loc) {
                Some(to) => {
                    let (_, aptr) = &a[&to];
                    self.record(
                        &rules::PARAMETER_MOVED,
                        &format!("{here}: parameter {name}"),
                        &locate(aptr),
                        format!("{loc} → {}", to.1),
                        &request,
                    );
                }
                None => self.record(
                    if required(bp) {
                        &rules::PARAMETER_REMOVED_REQUIRED
                    } else {
                        &rules::PARAMETER_REMOVED_OPTIONAL
                    },
                    &format!("{here}: {loc} parameter {name}"),
                    &locate(bptr),
                    "removed".to_owned(),
                    &request,
                ),
            }
        }
        for ((name, loc), (ap, aptr)) in &a {
            let where_ = format!("{here}: {loc} parameter {name}");
            let Some((bp, bptr)) = b.get(&(name.clone(), loc.clone())) else {
                if b.keys()
                    .any(|(n, l)| n == name && !a.contains_key(&(n.clone(), l.clone())))
                {
                    continue; // reported as moved
                }
                let (rule, change) = if required(ap) {
                    (&rules::PARAMETER_ADDED_REQUIRED, "added, required")
                } else {
                    (&rules::PARAMETER_ADDED_OPTIONAL, "added, optional")
                };
                self.record(rule, &where_, &locate(aptr), change.to_owned(), &request);
                continue;
            };
            let ptr = locate(aptr);
            let places = (ptr.clone(), locate_in(&before_pointer, bptr));
            self.places.push(places);
            self.required_flag(
                (required(bp), required(ap)),
                [
                    &rules::PARAMETER_MADE_REQUIRED,
                    &rules::PARAMETER_MADE_OPTIONAL,
                ],
                (&where_, &ptr),
                &request,
            );
            for (rule, change_text) in [
                (&rules::PARAMETER_SERIALISATION, true),
                (&rules::PARAMETER_TEXT, false),
            ] {
                for key in rule.keywords {
                    if bp.get(key) != ap.get(key) {
                        let change = if change_text {
                            from_to(bp.get(key), ap.get(key))
                        } else {
                            "changed".to_owned()
                        };
                        self.record_keyword(
                            rule,
                            key,
                            &where_,
                            &format!("{ptr}/{key}"),
                            change,
                            &request,
                        );
                    }
                }
            }
            if let (Some(bs), Some(as_)) = (bp.get("schema"), ap.get("schema")) {
                self.schema(
                    bs,
                    as_,
                    &format!("{ptr}/schema"),
                    &format!("{here}: {loc} parameter {name}"),
                    &request,
                );
            }
            let mut known = PARAMETER_KEYS.to_vec();
            known.extend(rules::PARAMETER_SERIALISATION.keywords);
            known.extend(rules::PARAMETER_TEXT.keywords);
            self.unrecognised((bp, ap), &known, None, (&where_, &ptr), &request);
            self.places.pop();
        }
    }

    fn request_body(
        &mut self,
        (bop, op): (&'a Value, &'a Value),
        here: &str,
        pointer: &str,
        ctx: &Context,
    ) {
        let ptr = format!("{pointer}/requestBody");
        let request = ctx.travelling(Direction::Request);
        let (b, a) = (
            bop.get("requestBody")
                .map(|v| resolve(self.before, v, String::new()).0),
            op.get("requestBody")
                .map(|v| resolve(self.after, v, String::new()).0),
        );
        let required = |v: &Value| v.get("required").and_then(Value::as_bool).unwrap_or(false);
        let where_ = format!("{here}: request body");
        match (b, a) {
            (None, None) => {}
            (Some(_), None) => self.record(
                &rules::REQUEST_BODY_REMOVED,
                &where_,
                &ptr,
                "removed".to_owned(),
                &request,
            ),
            (None, Some(a)) => {
                let (rule, change) = if required(a) {
                    (&rules::REQUEST_BODY_ADDED_REQUIRED, "added, required")
                } else {
                    (&rules::REQUEST_BODY_ADDED_OPTIONAL, "added, optional")
                };
                self.record(rule, &where_, &ptr, change.to_owned(), &request);
            }
            (Some(b), Some(a)) => {
                self.required_flag(
                    (required(b), required(a)),
                    [
                        &rules::REQUEST_BODY_MADE_REQUIRED,
                        &rules::REQUEST_BODY_MADE_OPTIONAL,
                    ],
                    (&where_, &ptr),
                    &request,
                );
                if b.get("description") != a.get("description") {
                    self.record(
                        &rules::REQUEST_BODY_DESCRIPTION,
                        &where_,
                        &format!("{ptr}/description"),
                        "changed".to_owned(),
                        &request,
                    );
                }
                self.content(
                    (b.get("content"), a.get("content")),
                    &where_,
                    &format!("{ptr}/content"),
                    &request,
                );
                self.unrecognised((b, a), &REQUEST_BODY_KEYS, None, (&where_, &ptr), &request);
            }
        }
    }

    /// The media types of a body, matched by name.
    fn content(
        &mut self,
        (b, a): (Option<&'a Value>, Option<&'a Value>),
        where_: &str,
        ptr: &str,
        ctx: &Context,
    ) {
        let empty = crate::wire::facts::empty_map();
        let b = b.and_then(Value::as_object).unwrap_or(empty);
        let a = a.and_then(Value::as_object).unwrap_or(empty);
        let response = ctx.direction == Some(Direction::Response);
        for (media, bm) in b {
            let p = format!("{ptr}/{}", escape(media));
            let here = format!("{where_} {media}");
            let Some(am) = a.get(media) else {
                let rule = if response {
                    &rules::RESPONSE_MEDIA_TYPE_REMOVED
                } else {
                    &rules::REQUEST_MEDIA_TYPE_REMOVED
                };
                self.record(rule, &here, &p, "removed".to_owned(), ctx);
                continue;
            };
            for key in ["example", "examples"] {
                if bm.get(key) != am.get(key) {
                    self.record(
                        &rules::MEDIA_TYPE_EXAMPLE,
                        &here,
                        &format!("{p}/{key}"),
                        format!("{key} changed"),
                        ctx,
                    );
                }
            }
            if bm.get("encoding") != am.get("encoding") {
                self.record(
                    &rules::MEDIA_TYPE_ENCODING,
                    &here,
                    &format!("{p}/encoding"),
                    "changed".to_owned(),
                    ctx,
                );
            }
            match (bm.get("schema"), am.get("schema")) {
                (Some(bs), Some(as_)) => self.schema(bs, as_, &format!("{p}/schema"), where_, ctx),
                (None, None) => {}
                _ => self.record(
                    &rules::MEDIA_TYPE_SCHEMA,
                    &here,
                    &format!("{p}/schema"),
                    "a schema added or removed".to_owned(),
                    ctx,
                ),
            }
            self.unrecognised((bm, am), &MEDIA_TYPE_KEYS, None, (&here, &p), ctx);
        }
        for media in a.keys().filter(|m| !b.contains_key(*m)) {
            let rule = if response {
                &rules::RESPONSE_MEDIA_TYPE_ADDED
            } else {
                &rules::REQUEST_MEDIA_TYPE_ADDED
            };
            self.record(
                rule,
                &format!("{where_} {media}"),
                &format!("{ptr}/{}", escape(media)),
                "added".to_owned(),
                ctx,
            );
        }
    }

    /// The responses of an operation, matched by status.
    fn responses(
        &mut self,
        (bop, op): (&'a Value, &'a Value),
        here: &str,
        pointer: &str,
        ctx: &Context,
    ) {
        let b = object(bop, "responses");
        let a = object(op, "responses");
        let response = ctx.travelling(Direction::Response);
        let success = |s: &str| s.starts_with('2');
        for status in b.keys().filter(|s| !a.contains_key(*s)) {
            self.record(
                if success(status) {
                    &rules::SUCCESS_STATUS_REMOVED
                } else {
                    &rules::ERROR_STATUS_REMOVED
                },
                &format!("{here}: response {status}"),
                &format!("{pointer}/responses/{status}"),
                "removed".to_owned(),
                &response,
            );
        }
        for (status, av) in a {
            let p = format!("{pointer}/responses/{status}");
            let where_ = format!("{here}: response {status}");
            let Some(bv) = b.get(status) else {
                let rule = if success(status) || status == "default" {
                    &rules::SUCCESS_STATUS_ADDED
                } else {
                    &rules::ERROR_STATUS_ADDED
                };
                self.record(rule, &where_, &p, "added".to_owned(), &response);
                continue;
            };
            let (bv, _) = resolve(self.before, bv, String::new());
            let (av, _) = resolve(self.after, av, String::new());
            if bv.get("description") != av.get("description") {
                self.record(
                    &rules::RESPONSE_DESCRIPTION,
                    &where_,
                    &format!("{p}/description"),
                    "changed".to_owned(),
                    &response,
                );
            }
            self.response_headers((bv, av), &where_, &p, &response);
            self.content(
                (bv.get("content"), av.get("content")),
                &where_,
                &format!("{p}/content"),
                &response,
            );
            self.unrecognised((bv, av), &RESPONSE_KEYS, None, (&where_, &p), &response);
        }
    }

    fn response_headers(
        &mut self,
        (bv, av): (&'a Value, &'a Value),
        where_: &str,
        p: &str,
        ctx: &Context,
    ) {
        let b = object(bv, "headers");
        let a = object(av, "headers");
        for name in b.keys().filter(|n| !a.contains_key(*n)) {
            self.record(
                &rules::RESPONSE_HEADER_REMOVED,
                &format!("{where_} header {name}"),
                &format!("{p}/headers/{}", escape(name)),
                "removed".to_owned(),
                ctx,
            );
        }
        for (name, ah) in a {
            let hp = format!("{p}/headers/{}", escape(name));
            let here = format!("{where_} header {name}");
            match b.get(name) {
                None => self.record(
                    &rules::RESPONSE_HEADER_ADDED,
                    &here,
                    &hp,
                    "added".to_owned(),
                    ctx,
                ),
                Some(bh) => {
                    if let (Some(bs), Some(as_)) = (bh.get("schema"), ah.get("schema")) {
                        self.schema(bs, as_, &format!("{hp}/schema"), &here, ctx);
                    }
                }
            }
        }
    }
}
