//! The document around the schemas: servers, security, operations, parameters, request bodies
//! and responses.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{
    Context, Direction, Effect, HTTP_METHODS, Walker, compact, empty_map, escape, from_to,
    normalise_template, object, op_id, parent, resolve, without_docs,
};

impl<'a> Walker<'a> {
    pub(super) fn servers(
        &mut self,
        b: Option<&'a Value>,
        a: Option<&'a Value>,
        pointer: &str,
        ctx: &Context,
    ) {
        let list = |v: Option<&'a Value>| -> Vec<&'a Value> {
            v.and_then(Value::as_array)
                .map(|l| l.iter().collect())
                .unwrap_or_default()
        };
        let (bl, al) = (list(b), list(a));
        let url = |s: &Value| {
            s.get("url")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        for (i, s) in bl.iter().enumerate() {
            let u = url(s);
            match al.iter().position(|x| url(x) == u) {
                None => self.record(
                    Effect::BreaksClients,
                    "server-removed",
                    &format!("server {u}"),
                    &format!("{pointer}/{i}"),
                    "removed".to_owned(),
                    Some("clients configured with this server lose it"),
                    ctx,
                ),
                Some(j) => {
                    let other = al[j];
                    let env = |v: &Value| v.get("x-environment").cloned();
                    if env(s) != env(other) {
                        self.record(
                            Effect::BreaksClients,
                            "server-environment",
                            &format!("server {u}"),
                            &format!("{pointer}/{j}/x-environment"),
                            from_to(s.get("x-environment"), other.get("x-environment")),
                            Some("clients choose a server by its environment name"),
                            ctx,
                        );
                    }
                    if s.get("variables") != other.get("variables") {
                        self.record(
                            Effect::Incompatible,
                            "server-variables",
                            &format!("server {u}"),
                            &format!("{pointer}/{j}/variables"),
                            "changed".to_owned(),
                            None,
                            ctx,
                        );
                    }
                    if s.get("description") != other.get("description") {
                        self.record(
                            Effect::Docs,
                            "server-description",
                            &format!("server {u}"),
                            &format!("{pointer}/{j}/description"),
                            "changed".to_owned(),
                            None,
                            ctx,
                        );
                    }
                }
            }
        }
        for (j, s) in al.iter().enumerate() {
            let u = url(s);
            if !bl.iter().any(|x| url(x) == u) {
                self.record(
                    Effect::Added,
                    "server-added",
                    &format!("server {u}"),
                    &format!("{pointer}/{j}"),
                    "added".to_owned(),
                    Some("a new server; the old ones stay"),
                    ctx,
                );
            }
        }
        // The first server is the default clients use.
        let first = |l: &[&Value]| l.first().map(|s| url(s));
        if !bl.is_empty() && !al.is_empty() && first(&bl) != first(&al) {
            self.record(
                Effect::BreaksClients,
                "server-default",
                "default server",
                &format!("{pointer}/0"),
                format!(
                    "{} → {}",
                    first(&bl).unwrap_or_default(),
                    first(&al).unwrap_or_default()
                ),
                Some("clients that take the default now reach another server"),
                ctx,
            );
        }
    }

    pub(super) fn security_schemes(&mut self) {
        let schemes = |doc: &'a Value| {
            doc.pointer("/components/securitySchemes")
                .and_then(Value::as_object)
        };
        let (b, a) = (schemes(self.before), schemes(self.after));
        let empty = empty_map();
        let (b, a) = (b.unwrap_or(empty), a.unwrap_or(empty));
        let none = Context {
            operation: None,
            direction: None,
        };
        for (name, bs) in b {
            let pointer = format!("/components/securitySchemes/{}", escape(name));
            match a.get(name) {
                None => self.record(
                    Effect::BreaksClients,
                    "security-scheme-removed",
                    &format!("security scheme {name}"),
                    &pointer,
                    "removed".to_owned(),
                    Some("clients that authenticate with it cannot any more"),
                    &none,
                ),
                Some(s) => {
                    let (bw, aw) = (without_docs(bs), without_docs(s));
                    if bw != aw {
                        self.record(
                            Effect::Incompatible,
                            "security-scheme-changed",
                            &format!("security scheme {name}"),
                            &pointer,
                            format!("{} → {}", compact(&bw), compact(&aw)),
                            Some("credentials sent the old way are not the ones the server reads now"),
                            &none,
                        );
                    } else if bs != s {
                        self.record(
                            Effect::Docs,
                            "security-scheme-description",
                            &format!("security scheme {name}"),
                            &pointer,
                            "changed".to_owned(),
                            None,
                            &none,
                        );
                    }
                }
            }
        }
        for name in a.keys().filter(|n| !b.contains_key(*n)) {
            self.record(
                Effect::Added,
                "security-scheme-added",
                &format!("security scheme {name}"),
                &format!("/components/securitySchemes/{}", escape(name)),
                "added".to_owned(),
                Some("a new way to authenticate; nothing requires it yet"),
                &none,
            );
        }
    }

    pub(super) fn operations(&mut self) {
        let ops = |doc: &'a Value| {
            let mut out: BTreeMap<(String, String), (String, &'a Value, &'a Value)> =
                BTreeMap::new();
            let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
                return out;
            };
            for (path, item) in paths {
                for method in HTTP_METHODS {
                    if let Some(op) = item.get(method) {
                        out.insert(
                            (normalise_template(path), method.to_owned()),
                            (path.clone(), item, op),
                        );
                    }
                }
            }
            out
        };
        let (b, a) = (ops(self.before), ops(self.after));
        for (key, (path, _, op)) in &b {
            if !a.contains_key(key) {
                let id = op_id(op, &key.1, path);
                self.record(
                    Effect::BreaksClients,
                    "operation-removed",
                    &format!("{} {path} ({id})", key.1.to_uppercase()),
                    &format!("/paths/{}/{}", escape(path), key.1),
                    "removed".to_owned(),
                    Some("clients that call it get an error"),
                    &Context {
                        operation: Some(id),
                        direction: None,
                    },
                );
            }
        }
        for (key, (path, item, op)) in &a {
            let pointer = format!("/paths/{}/{}", escape(path), key.1);
            let id = op_id(op, &key.1, path);
            let ctx = Context {
                operation: Some(id.clone()),
                direction: None,
            };
            match b.get(key) {
                None => self.record(
                    Effect::Added,
                    "operation-added",
                    &format!("{} {path} ({id})", key.1.to_uppercase()),
                    &pointer,
                    "added".to_owned(),
                    Some("a new operation; existing calls are unchanged"),
                    &ctx,
                ),
                Some((bpath, bitem, bop)) => {
                    self.operation((bpath, bitem, bop), (path, item, op), &pointer, &ctx);
                }
            }
        }
    }

    pub(super) fn operation(
        &mut self,
        (bpath, bitem, bop): (&String, &'a Value, &'a Value),
        (path, item, op): (&String, &'a Value, &'a Value),
        pointer: &str,
        ctx: &Context,
    ) {
        let id = ctx.operation.clone().unwrap_or_default();
        let here = id.clone();
        if bpath != path {
            self.record(
                Effect::Docs,
                "path-parameter-renamed",
                &here,
                pointer,
                format!("{bpath} → {path}"),
                Some("the URL is the same; only the name of its parameter changed"),
                ctx,
            );
        }
        if bop.get("operationId") != op.get("operationId") {
            self.record(
                Effect::Docs,
                "operation-id",
                &here,
                &format!("{pointer}/operationId"),
                from_to(bop.get("operationId"), op.get("operationId")),
                Some("the wire is the same; generated code names its method after it"),
                ctx,
            );
        }
        for key in [
            "summary",
            "description",
            "tags",
            "externalDocs",
            "deprecated",
            "x-cli-name",
        ] {
            if bop.get(key) != op.get(key) {
                let change = match key {
                    "summary" | "description" | "externalDocs" => format!("{key} changed"),
                    _ => format!("{key}: {}", from_to(bop.get(key), op.get(key))),
                };
                self.record(
                    Effect::Docs,
                    &format!("operation-{key}"),
                    &here,
                    &format!("{pointer}/{key}"),
                    change,
                    (key == "x-cli-name").then_some(
                        "the wire is the same; the command line names the command after it",
                    ),
                    ctx,
                );
            }
        }
        self.idempotence(bop, op, &here, pointer, ctx);
        self.operation_security(bop, op, &here, pointer, ctx);
        if bop.get("servers").is_some() || op.get("servers").is_some() {
            self.servers(
                bop.get("servers"),
                op.get("servers"),
                &format!("{pointer}/servers"),
                ctx,
            );
        }
        self.parameters(
            (self.before, bitem, bop),
            (self.after, item, op),
            &here,
            pointer,
            ctx,
        );
        self.request_body(bop, op, &here, pointer, ctx);
        self.responses(bop, op, &here, pointer, ctx);
        let known = [
            "operationId",
            "summary",
            "description",
            "tags",
            "externalDocs",
            "deprecated",
            "x-cli-name",
            "x-idempotent",
            "x-idempotent-when-given",
            "security",
            "servers",
            "parameters",
            "requestBody",
            "responses",
            "callbacks",
        ];
        self.unrecognised(bop, op, &known, &here, pointer, ctx);
    }

    pub(super) fn idempotence(
        &mut self,
        bop: &Value,
        op: &Value,
        here: &str,
        pointer: &str,
        ctx: &Context,
    ) {
        for key in ["x-idempotent", "x-idempotent-when-given"] {
            let (b, a) = (bop.get(key), op.get(key));
            if b == a {
                continue;
            }
            let p = format!("{pointer}/{key}");
            let promised = |v: Option<&Value>| {
                v.is_some_and(|v| v != &Value::Bool(false) && v != &Value::Array(vec![]))
            };
            let (effect, why) = match (promised(b), promised(a)) {
                (false, true) => (
                    Effect::BreaksServer,
                    "the server must now make a repeat of the request safe",
                ),
                (true, false) => (
                    Effect::BreaksClients,
                    "clients may retry it, and a retry is no longer safe",
                ),
                _ => (
                    Effect::Incompatible,
                    "which requests are safe to repeat changed",
                ),
            };
            self.record(
                effect,
                &format!("operation-{key}"),
                here,
                &p,
                from_to(b, a),
                Some(why),
                ctx,
            );
        }
    }

    pub(super) fn operation_security(
        &mut self,
        bop: &Value,
        op: &Value,
        here: &str,
        pointer: &str,
        ctx: &Context,
    ) {
        let effective = |doc: &Value, op: &Value| -> BTreeSet<String> {
            let list = op
                .get("security")
                .or_else(|| doc.get("security"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let mut out: BTreeSet<String> = list
                .iter()
                .map(|req| {
                    let mut names: Vec<String> = req
                        .as_object()
                        .map(|m| {
                            m.iter()
                                .map(|(k, v)| {
                                    let scopes = compact(v);
                                    if scopes == "[]" {
                                        k.clone()
                                    } else {
                                        format!("{k}{scopes}")
                                    }
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    names.sort();
                    if names.is_empty() {
                        "no authentication".to_owned()
                    } else {
                        names.join(" + ")
                    }
                })
                .collect();
            if out.is_empty() {
                out.insert("no authentication".to_owned());
            }
            out
        };
        let (b, a) = (effective(self.before, bop), effective(self.after, op));
        // Requirements inherited from the document's `security` are reported once, there.
        let inherited = bop.get("security").is_none() && op.get("security").is_none();
        let (p, here) = if inherited {
            (
                "/security".to_owned(),
                "security (every operation that inherits it)",
            )
        } else {
            (format!("{pointer}/security"), here)
        };
        for gone in b.difference(&a) {
            self.record(
                Effect::BreaksClients,
                "security-removed",
                here,
                &p,
                format!("{gone}: no longer accepted"),
                Some("clients that authenticate this way are refused"),
                ctx,
            );
        }
        for new in a.difference(&b) {
            self.record(
                Effect::BreaksServer,
                "security-added",
                here,
                &p,
                format!("{new}: now accepted"),
                Some("the server must accept this way of authenticating"),
                ctx,
            );
        }
    }

    pub(super) fn parameters(
        &mut self,
        (bdoc, bitem, bop): (&'a Value, &'a Value, &'a Value),
        (adoc, item, op): (&'a Value, &'a Value, &'a Value),
        here: &str,
        pointer: &str,
        ctx: &Context,
    ) {
        let params = |doc: &'a Value, item: &'a Value, op: &'a Value| {
            // Operation parameters override path-item ones with the same name and location.
            let mut out: BTreeMap<(String, String), (&'a Value, String)> = BTreeMap::new();
            for (owner, base) in [(item, "../parameters"), (op, "parameters")] {
                let Some(list) = owner.get("parameters").and_then(Value::as_array) else {
                    continue;
                };
                for (i, p) in list.iter().enumerate() {
                    let (p, ptr) = resolve(doc, p, format!("{base}/{i}"));
                    let name = p
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned();
                    let loc = p.get("in").and_then(Value::as_str).unwrap_or("").to_owned();
                    out.insert((name, loc), (p, ptr));
                }
            }
            out
        };
        let (b, a) = (params(bdoc, bitem, bop), params(adoc, item, op));
        let locate = |ptr: &str| {
            if ptr.starts_with('/') {
                ptr.to_owned()
            } else if let Some(rest) = ptr.strip_prefix("../") {
                format!("{}/{rest}", parent(pointer))
            } else {
                format!("{pointer}/{ptr}")
            }
        };
        let required = |p: &Value| {
            p.get("required").and_then(Value::as_bool).unwrap_or(false)
                || p.get("in").and_then(Value::as_str) == Some("path")
        };
        let request = Context {
            operation: ctx.operation.clone(),
            direction: Some(Direction::Request),
        };
        for ((name, loc), (bp, bptr)) in &b {
            if a.contains_key(&(name.clone(), loc.clone())) {
                continue;
            }
            let moved = a
                .keys()
                .find(|(n, l)| n == name && !b.contains_key(&(n.clone(), l.clone())));
            match moved {
                Some((_, new_loc)) => {
                    let (_, aptr) = &a[&(name.clone(), new_loc.clone())];
                    self.record(
                        Effect::Incompatible,
                        "parameter-moved",
                        &format!("{here}: parameter {name}"),
                        &locate(aptr),
                        format!("{loc} → {new_loc}"),
                        Some("clients send it where the server no longer reads it"),
                        &request,
                    );
                }
                None => self.record(
                    Effect::BreaksClients,
                    "parameter-removed",
                    &format!("{here}: {loc} parameter {name}"),
                    &locate(bptr),
                    "removed".to_owned(),
                    Some(if required(bp) {
                        "clients send it and the server no longer reads it"
                    } else {
                        "clients that send it lose what it did"
                    }),
                    &request,
                ),
            }
        }
        for ((name, loc), (ap, aptr)) in &a {
            let where_ = format!("{here}: {loc} parameter {name}");
            let Some((bp, _)) = b.get(&(name.clone(), loc.clone())) else {
                if b.keys()
                    .any(|(n, l)| n == name && !a.contains_key(&(n.clone(), l.clone())))
                {
                    continue; // reported as moved
                }
                if required(ap) {
                    self.record(
                        Effect::BreaksClients,
                        "parameter-added-required",
                        &where_,
                        &locate(aptr),
                        "added, required".to_owned(),
                        Some("clients written before do not send it, and are refused"),
                        &request,
                    );
                } else {
                    self.record(
                        Effect::Added,
                        "parameter-added",
                        &where_,
                        &locate(aptr),
                        "added, optional".to_owned(),
                        Some("clients that do not send it are answered as before"),
                        &request,
                    );
                }
                continue;
            };
            let ptr = locate(aptr);
            match (required(bp), required(ap)) {
                (false, true) => self.record(
                    Effect::Narrower,
                    "parameter-required",
                    &where_,
                    &format!("{ptr}/required"),
                    "optional → required".to_owned(),
                    None,
                    &request,
                ),
                (true, false) => self.record(
                    Effect::Wider,
                    "parameter-required",
                    &where_,
                    &format!("{ptr}/required"),
                    "required → optional".to_owned(),
                    None,
                    &request,
                ),
                _ => {}
            }
            for key in [
                "style",
                "explode",
                "allowReserved",
                "allowEmptyValue",
                "content",
            ] {
                if bp.get(key) != ap.get(key) {
                    self.record(
                        Effect::Incompatible,
                        &format!("parameter-{key}"),
                        &where_,
                        &format!("{ptr}/{key}"),
                        from_to(bp.get(key), ap.get(key)),
                        Some("the same value is written differently on the wire"),
                        &request,
                    );
                }
            }
            for key in ["description", "example", "examples", "deprecated"] {
                if bp.get(key) != ap.get(key) {
                    self.record(
                        Effect::Docs,
                        &format!("parameter-{key}"),
                        &where_,
                        &format!("{ptr}/{key}"),
                        "changed".to_owned(),
                        None,
                        &request,
                    );
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
        }
    }

    pub(super) fn request_body(
        &mut self,
        bop: &'a Value,
        op: &'a Value,
        here: &str,
        pointer: &str,
        ctx: &Context,
    ) {
        let ptr = format!("{pointer}/requestBody");
        let request = Context {
            operation: ctx.operation.clone(),
            direction: Some(Direction::Request),
        };
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
                Effect::BreaksClients,
                "request-body-removed",
                &where_,
                &ptr,
                "removed".to_owned(),
                Some("clients send a body the server no longer reads"),
                &request,
            ),
            (None, Some(a)) => {
                if required(a) {
                    self.record(
                        Effect::BreaksClients,
                        "request-body-added-required",
                        &where_,
                        &ptr,
                        "added, required".to_owned(),
                        Some("clients written before send no body, and are refused"),
                        &request,
                    );
                } else {
                    self.record(
                        Effect::Added,
                        "request-body-added",
                        &where_,
                        &ptr,
                        "added, optional".to_owned(),
                        Some("clients that send none are answered as before"),
                        &request,
                    );
                }
            }
            (Some(b), Some(a)) => {
                match (required(b), required(a)) {
                    (false, true) => self.record(
                        Effect::Narrower,
                        "request-body-required",
                        &where_,
                        &format!("{ptr}/required"),
                        "optional → required".to_owned(),
                        None,
                        &request,
                    ),
                    (true, false) => self.record(
                        Effect::Wider,
                        "request-body-required",
                        &where_,
                        &format!("{ptr}/required"),
                        "required → optional".to_owned(),
                        None,
                        &request,
                    ),
                    _ => {}
                }
                if b.get("description") != a.get("description") {
                    self.record(
                        Effect::Docs,
                        "request-body-description",
                        &where_,
                        &format!("{ptr}/description"),
                        "changed".to_owned(),
                        None,
                        &request,
                    );
                }
                self.content(
                    b.get("content"),
                    a.get("content"),
                    &where_,
                    &format!("{ptr}/content"),
                    &request,
                );
            }
        }
    }

    pub(super) fn content(
        &mut self,
        b: Option<&'a Value>,
        a: Option<&'a Value>,
        where_: &str,
        ptr: &str,
        ctx: &Context,
    ) {
        let empty = empty_map();
        let b = b.and_then(Value::as_object).unwrap_or(empty);
        let a = a.and_then(Value::as_object).unwrap_or(empty);
        let response = ctx.direction == Some(Direction::Response);
        for (media, bm) in b {
            let p = format!("{ptr}/{}", escape(media));
            match a.get(media) {
                None => self.record(
                    Effect::BreaksClients,
                    "media-type-removed",
                    &format!("{where_} {media}"),
                    &p,
                    "removed".to_owned(),
                    Some(if response {
                        "clients that read this media type get another"
                    } else {
                        "clients that send this media type are refused"
                    }),
                    ctx,
                ),
                Some(am) => {
                    for key in ["example", "examples"] {
                        if bm.get(key) != am.get(key) {
                            self.record(
                                Effect::Docs,
                                "example",
                                &format!("{where_} {media}"),
                                &format!("{p}/{key}"),
                                format!("{key} changed"),
                                None,
                                ctx,
                            );
                        }
                    }
                    if bm.get("encoding") != am.get("encoding") {
                        self.record(
                            Effect::Incompatible,
                            "media-type-encoding",
                            &format!("{where_} {media}"),
                            &format!("{p}/encoding"),
                            "changed".to_owned(),
                            None,
                            ctx,
                        );
                    }
                    match (bm.get("schema"), am.get("schema")) {
                        (Some(bs), Some(as_)) => {
                            self.schema(bs, as_, &format!("{p}/schema"), where_, ctx)
                        }
                        (None, None) => {}
                        _ => self.record(
                            Effect::Incompatible,
                            "media-type-schema",
                            &format!("{where_} {media}"),
                            &format!("{p}/schema"),
                            "a schema added or removed".to_owned(),
                            None,
                            ctx,
                        ),
                    }
                }
            }
        }
        for media in a.keys().filter(|m| !b.contains_key(*m)) {
            let (effect, why) = if response {
                (
                    Effect::BreaksClients,
                    "the server may now answer in a media type clients do not read",
                )
            } else {
                (Effect::Added, "clients may also send this media type")
            };
            self.record(
                effect,
                "media-type-added",
                &format!("{where_} {media}"),
                &format!("{ptr}/{}", escape(media)),
                "added".to_owned(),
                Some(why),
                ctx,
            );
        }
    }

    pub(super) fn responses(
        &mut self,
        bop: &'a Value,
        op: &'a Value,
        here: &str,
        pointer: &str,
        ctx: &Context,
    ) {
        let b = object(bop, "responses");
        let a = object(op, "responses");
        let response = Context {
            operation: ctx.operation.clone(),
            direction: Some(Direction::Response),
        };
        let success = |s: &str| s.starts_with('2');
        for (status, _) in b {
            if a.contains_key(status) {
                continue;
            }
            let p = format!("{pointer}/responses/{status}");
            if success(status) {
                self.record(
                    Effect::Incompatible,
                    "status-removed",
                    &format!("{here}: response {status}"),
                    &p,
                    "removed".to_owned(),
                    Some("clients that succeed on it now see another status; the server must stop sending it"),
                    &response,
                );
            } else {
                self.record(
                    Effect::BreaksServer,
                    "status-removed",
                    &format!("{here}: response {status}"),
                    &p,
                    "removed".to_owned(),
                    Some("the server must stop answering it; clients' handling of it goes unused"),
                    &response,
                );
            }
        }
        for (status, av) in a {
            let p = format!("{pointer}/responses/{status}");
            let where_ = format!("{here}: response {status}");
            let Some(bv) = b.get(status) else {
                if success(status) || status == "default" {
                    self.record(
                        Effect::BreaksClients,
                        "status-added",
                        &where_,
                        &p,
                        "added".to_owned(),
                        Some("clients may now get a success they do not expect"),
                        &response,
                    );
                } else {
                    self.record(
                        Effect::Added,
                        "status-added",
                        &where_,
                        &p,
                        "added".to_owned(),
                        Some("documents an error; clients already treat an undocumented status as one"),
                        &response,
                    );
                }
                continue;
            };
            let (bv, _) = resolve(self.before, bv, String::new());
            let (av, _) = resolve(self.after, av, String::new());
            if bv.get("description") != av.get("description") {
                self.record(
                    Effect::Docs,
                    "response-description",
                    &where_,
                    &format!("{p}/description"),
                    "changed".to_owned(),
                    None,
                    &response,
                );
            }
            self.response_headers(bv, av, &where_, &p, &response);
            self.content(
                bv.get("content"),
                av.get("content"),
                &where_,
                &format!("{p}/content"),
                &response,
            );
        }
    }

    pub(super) fn response_headers(
        &mut self,
        bv: &'a Value,
        av: &'a Value,
        where_: &str,
        p: &str,
        ctx: &Context,
    ) {
        let b = object(bv, "headers");
        let a = object(av, "headers");
        for name in b.keys().filter(|n| !a.contains_key(*n)) {
            self.record(
                Effect::BreaksClients,
                "response-header-removed",
                &format!("{where_} header {name}"),
                &format!("{p}/headers/{}", escape(name)),
                "removed".to_owned(),
                Some("clients that read it find nothing"),
                ctx,
            );
        }
        for (name, ah) in a {
            let hp = format!("{p}/headers/{}", escape(name));
            match b.get(name) {
                None => self.record(
                    Effect::Added,
                    "response-header-added",
                    &format!("{where_} header {name}"),
                    &hp,
                    "added".to_owned(),
                    Some("clients that do not read it are unaffected"),
                    ctx,
                ),
                Some(bh) => {
                    if let (Some(bs), Some(as_)) = (bh.get("schema"), ah.get("schema")) {
                        self.schema(
                            bs,
                            as_,
                            &format!("{hp}/schema"),
                            &format!("{where_} header {name}"),
                            ctx,
                        );
                    }
                }
            }
        }
    }
}
