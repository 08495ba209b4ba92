//! The document's own parts: its version and text, its servers, its security schemes, and the
//! security requirements of an operation.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Context, Walker};
use crate::conventions::{self, Place};
use crate::wire::facts::{compact, empty_map, from_to, without_docs};
use crate::wire::pairing::escape;
use crate::wire::rules;

/// The document's keys the walk compares (or compares where operations use them).
const DOCUMENT_KEYS: [&str; 8] = [
    "openapi",
    "info",
    "tags",
    "externalDocs",
    "servers",
    "security",
    "paths",
    "components",
];

/// A server's keys the walk compares, besides the conventions that stand on a server.
const SERVER_KEYS: [&str; 3] = ["url", "description", "variables"];

impl<'a> Walker<'a> {
    pub(super) fn document(&mut self) {
        let (b, a) = (self.before, self.after);
        let none = Context::default();
        if b.get("openapi") != a.get("openapi") {
            self.record(
                &rules::OPENAPI_VERSION,
                "openapi",
                "/openapi",
                from_to(b.get("openapi"), a.get("openapi")),
                &none,
            );
        }
        for key in rules::DOCUMENT_TEXT.keywords {
            if b.get(key) != a.get(key) {
                self.record_keyword(
                    &rules::DOCUMENT_TEXT,
                    key,
                    key,
                    &format!("/{key}"),
                    "changed".to_owned(),
                    &none,
                );
            }
        }
        // Examples are text. Other shared components are compared where an operation uses them.
        if b.pointer("/components/examples") != a.pointer("/components/examples") {
            self.record(
                &rules::EXAMPLES,
                "components.examples",
                "/components/examples",
                "changed".to_owned(),
                &none,
            );
        }
        self.unrecognised((b, a), &DOCUMENT_KEYS, None, ("document", ""), &none);
        self.servers(b.get("servers"), a.get("servers"), "/servers", &none);
        self.security_schemes();
    }

    /// Servers are matched by URL; the first is the default.
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
            let here = format!("server {u}");
            let Some(j) = al.iter().position(|x| url(x) == u) else {
                self.record(
                    &rules::SERVER_REMOVED,
                    &here,
                    &format!("{pointer}/{i}"),
                    "removed".to_owned(),
                    ctx,
                );
                continue;
            };
            let other = al[j];
            let at = format!("{pointer}/{j}");
            for standing in conventions::at(Place::Server) {
                let key = standing.name();
                let (bv, av) = (s.get(key), other.get(key));
                if let Some(classed) = standing.classing.change(bv, av) {
                    self.record_convention(
                        (&standing, classed),
                        &here,
                        &format!("{at}/{key}"),
                        from_to(bv, av),
                        ctx,
                    );
                }
            }
            if s.get("variables") != other.get("variables") {
                self.record(
                    &rules::SERVER_VARIABLES,
                    &here,
                    &format!("{at}/variables"),
                    "changed".to_owned(),
                    ctx,
                );
            }
            if s.get("description") != other.get("description") {
                self.record(
                    &rules::SERVER_DESCRIPTION,
                    &here,
                    &format!("{at}/description"),
                    "changed".to_owned(),
                    ctx,
                );
            }
            self.unrecognised(
                (s, other),
                &SERVER_KEYS,
                Some(Place::Server),
                (&here, &at),
                ctx,
            );
        }
        for (j, s) in al.iter().enumerate() {
            let u = url(s);
            if !bl.iter().any(|x| url(x) == u) {
                self.record(
                    &rules::SERVER_ADDED,
                    &format!("server {u}"),
                    &format!("{pointer}/{j}"),
                    "added".to_owned(),
                    ctx,
                );
            }
        }
        let first = |l: &[&Value]| l.first().map(|s| url(s));
        if !bl.is_empty() && !al.is_empty() && first(&bl) != first(&al) {
            self.record(
                &rules::SERVER_DEFAULT,
                "default server",
                &format!("{pointer}/0"),
                format!(
                    "{} → {}",
                    first(&bl).unwrap_or_default(),
                    first(&al).unwrap_or_default()
                ),
                ctx,
            );
        }
    }

    fn security_schemes(&mut self) {
        let schemes = |doc: &'a Value| {
            doc.pointer("/components/securitySchemes")
                .and_then(Value::as_object)
                .unwrap_or(empty_map())
        };
        let (b, a) = (schemes(self.before), schemes(self.after));
        let none = Context::default();
        // A scheme only one side names is the same scheme renamed when the other side has one,
        // named only there, that says the same.
        let renamed = |name: &String, bs: &Value| {
            a.iter()
                .find(|(n, s)| !b.contains_key(*n) && without_docs(s) == without_docs(bs))
                .filter(|_| !a.contains_key(name))
                .map(|(n, _)| n.clone())
        };
        for (name, bs) in b {
            let pointer = format!("/components/securitySchemes/{}", escape(name));
            let here = format!("security scheme {name}");
            if let Some(new) = renamed(name, bs) {
                self.record(
                    &rules::SECURITY_SCHEME_RENAMED,
                    &here,
                    &format!("/components/securitySchemes/{}", escape(&new)),
                    format!("{name} → {new}"),
                    &none,
                );
                continue;
            }
            let Some(s) = a.get(name) else {
                self.record(
                    &rules::SECURITY_SCHEME_REMOVED,
                    &here,
                    &pointer,
                    "removed".to_owned(),
                    &none,
                );
                continue;
            };
            let (bw, aw) = (without_docs(bs), without_docs(s));
            if bw != aw {
                self.record(
                    &rules::SECURITY_SCHEME_CHANGED,
                    &here,
                    &pointer,
                    format!("{} → {}", compact(&bw), compact(&aw)),
                    &none,
                );
            } else if bs != s {
                self.record(
                    &rules::SECURITY_SCHEME_DESCRIPTION,
                    &here,
                    &pointer,
                    "changed".to_owned(),
                    &none,
                );
            }
        }
        let renamed_to: Vec<String> = b.iter().filter_map(|(n, s)| renamed(n, s)).collect();
        for name in a
            .keys()
            .filter(|n| !b.contains_key(*n) && !renamed_to.contains(n))
        {
            self.record(
                &rules::SECURITY_SCHEME_ADDED,
                &format!("security scheme {name}"),
                &format!("/components/securitySchemes/{}", escape(name)),
                "added".to_owned(),
                &none,
            );
        }
    }

    /// The ways an operation accepts to be authenticated, its own or the document's.
    pub(super) fn operation_security(
        &mut self,
        (bop, op): (&Value, &Value),
        here: &str,
        pointer: &str,
        ctx: &Context,
    ) {
        let (b, a) = (accepted(self.before, bop), accepted(self.after, op));
        // A way of authenticating is the same when it is what it was, under another name, or
        // the same names (a scheme changed under its name is reported once, where it is).
        let kept = |(meaning, shown): (&String, &String), other: &BTreeMap<String, String>| {
            other.contains_key(meaning) || other.values().any(|s| s == shown)
        };
        let gone: Vec<&String> = b.iter().filter(|e| !kept(*e, &a)).map(|(_, n)| n).collect();
        let new: Vec<&String> = a.iter().filter(|e| !kept(*e, &b)).map(|(_, n)| n).collect();
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
        for gone in gone {
            self.record(
                &rules::SECURITY_REMOVED,
                here,
                &p,
                format!("{gone}: no longer accepted"),
                ctx,
            );
        }
        for new in new {
            self.record(
                &rules::SECURITY_ADDED,
                here,
                &p,
                format!("{new}: now accepted"),
                ctx,
            );
        }
    }
}

/// Each alternative of an operation's security requirement (its own, or the document's): what
/// it is (each scheme by its definition, its name being the document's own), and its text:
/// `basicAuth`, `a + b`, `oauth["read"]`, `no authentication`.
fn accepted(doc: &Value, op: &Value) -> BTreeMap<String, String> {
    accepted_names(doc, op)
        .into_iter()
        .map(|(names, shown)| {
            let meaning: Vec<String> = names
                .iter()
                .map(|(name, scopes)| {
                    let scheme = doc
                        .pointer(&format!("/components/securitySchemes/{}", escape(name)))
                        .map(|s| compact(&without_docs(s)))
                        .unwrap_or_else(|| name.clone());
                    format!("{scheme}{scopes}")
                })
                .collect();
            (meaning.join(" + "), shown)
        })
        .collect()
}

/// Each alternative of an operation's security requirement: its (scheme name, scopes) pairs,
/// and its text.
fn accepted_names(doc: &Value, op: &Value) -> BTreeSet<(Vec<(String, String)>, String)> {
    let list = op
        .get("security")
        .or_else(|| doc.get("security"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut out: BTreeSet<(Vec<(String, String)>, String)> = list
        .iter()
        .map(|req| {
            let mut names: Vec<(String, String)> = req
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| {
                            let scopes = compact(v);
                            let scopes = if scopes == "[]" {
                                String::new()
                            } else {
                                scopes
                            };
                            (k.clone(), scopes)
                        })
                        .collect()
                })
                .unwrap_or_default();
            names.sort();
            let shown = if names.is_empty() {
                "no authentication".to_owned()
            } else {
                let parts: Vec<String> = names.iter().map(|(k, s)| format!("{k}{s}")).collect();
                parts.join(" + ")
            };
            (names, shown)
        })
        .collect();
    if out.is_empty() {
        out.insert((Vec::new(), "no authentication".to_owned()));
    }
    out
}
