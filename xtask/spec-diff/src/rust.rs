//! The Rust half of the spec diff: what a spec change does to the public API of each crate,
//! and the version bump it needs under Cargo's semver rules.
//!
//! The generated files of both specs are compared entry by entry, as `generated_code::api` and
//! `generated_code::cli` read them: every public type, field, variant, function, method,
//! constant and trait implementation (derives included), and every command, option and
//! positional of the command line, with its signature. A removed or changed entry is breaking; a field added to a struct that
//! code outside the crate can build with a struct literal (all fields public, no
//! `#[non_exhaustive]`) is breaking, as is a variant added to an exhaustive enum; anything else
//! added is additive. A change only in bodies, documentation or formatting is a patch.

use std::collections::BTreeMap;

use generated_code::api::Entry;
use serde::Serialize;

/// How much a change to a crate's public API asks of its version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Nothing changed.
    None,
    /// Behaviour, documentation or bodies only.
    Patch,
    /// New public items; nothing that compiled stops compiling.
    Additive,
    /// Code that compiled against the old version can fail to compile against the new one.
    Breaking,
}

impl Level {
    /// Its name in reports.
    pub fn label(self) -> &'static str {
        match self {
            Level::None => "no change",
            Level::Patch => "patch",
            Level::Additive => "additive",
            Level::Breaking => "breaking",
        }
    }

    /// The next version from `current` under Cargo's rules: before 1.0 a breaking change bumps
    /// the minor number and everything else the patch number.
    pub fn next_version(self, current: &str) -> String {
        let mut parts = current
            .split(['.', '-', '+'])
            .take(3)
            .map(|p| p.parse::<u64>().unwrap_or(0));
        let (major, minor, patch) = (
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
        );
        match (self, major) {
            (Level::None, _) => current.to_owned(),
            (Level::Breaking, 0) => format!("0.{}.0", minor + 1),
            (Level::Breaking, _) => format!("{}.0.0", major + 1),
            (Level::Additive, 0) | (Level::Patch, _) => format!("{major}.{minor}.{}", patch + 1),
            (Level::Additive, _) => format!("{major}.{}.0", minor + 1),
        }
    }
}

/// One change to a crate's API.
#[derive(Clone, Debug, Serialize)]
pub struct ApiChange {
    /// Its level.
    pub level: Level,
    /// The entry's path: `types::Customer.phone`, `Client::get_customer`, `impl Clone for types::Vip`.
    pub item: String,
    /// `added`, `removed` or `changed`, with the signatures.
    pub change: String,
    /// Why it has its level.
    pub why: String,
}

/// The changes from the entries `before` to `after`, and the level they add up to. `changed_text`
/// says whether the files differ at all (a patch when no entry changed).
pub fn compare(
    before: &BTreeMap<String, Entry>,
    after: &BTreeMap<String, Entry>,
    changed_text: bool,
) -> (Level, Vec<ApiChange>) {
    let mut changes = Vec::new();
    for (key, b) in before {
        match after.get(key) {
            None => {
                // A struct losing #[non_exhaustive] lets more code compile.
                let (level, why) = if b.kind == "attribute" {
                    (
                        Level::Additive,
                        "code outside the crate may now build or match it exhaustively",
                    )
                } else if matches!(b.kind, "command" | "option" | "positional") {
                    (Level::Breaking, "invocations that use it are refused")
                } else {
                    (Level::Breaking, "code that uses it no longer compiles")
                };
                changes.push(ApiChange {
                    level,
                    item: key.clone(),
                    change: format!("removed: {}", b.signature),
                    why: why.to_owned(),
                });
            }
            Some(a) if a.signature != b.signature => {
                let (level, why) = match a.kind {
                    "serde" => (
                        Level::Patch,
                        "the same field is read and written under another JSON name",
                    ),
                    "option" | "positional" if a.signature.starts_with("optional") => {
                        (Level::Additive, "invocations written before still work")
                    }
                    "option" | "positional" => (
                        Level::Breaking,
                        "invocations written before may now be refused",
                    ),
                    _ => (
                        Level::Breaking,
                        "code written for the old signature no longer compiles",
                    ),
                };
                changes.push(ApiChange {
                    level,
                    item: key.clone(),
                    change: format!("{} → {}", b.signature, a.signature),
                    why: why.to_owned(),
                });
            }
            Some(_) => {}
        }
    }
    for (key, a) in after {
        if before.contains_key(key) {
            continue;
        }
        let owner = owner_of(key, a.kind);
        let (level, why) = match (a.kind, owner.and_then(|o| before.get(o).zip(after.get(o)))) {
            ("field", Some((bo, ao))) if bo.kind == "struct" && bo.exhaustive && ao.kind == "struct" => (
                Level::Breaking,
                format!(
                    "struct literals of {} outside the crate no longer compile: its fields are public and it is not #[non_exhaustive]",
                    owner.unwrap_or_default()
                ),
            ),
            ("variant", Some((bo, _))) if bo.kind == "enum" && bo.exhaustive => (
                Level::Breaking,
                format!(
                    "a `match` on {} outside the crate no longer covers every variant",
                    owner.unwrap_or_default()
                ),
            ),
            ("attribute", _) => (
                Level::Breaking,
                "code outside the crate can no longer build it with a literal or match it exhaustively".to_owned(),
            ),
            ("serde", _) => (Level::Patch, "the JSON name is written out; the Rust API is the same".to_owned()),
            ("option" | "positional", _)
                if !before.contains_key(key.split(' ').next().unwrap_or_default()) =>
            {
                (Level::Additive, "part of a new command".to_owned())
            }
            ("option" | "positional", _) if a.signature.starts_with("required") => (
                Level::Breaking,
                "invocations written before lack it, and are refused".to_owned(),
            ),
            ("option" | "positional" | "command", _) => (
                Level::Additive,
                "new; invocations written before still work".to_owned(),
            ),
            _ => (Level::Additive, "new; nothing that compiled stops compiling".to_owned()),
        };
        changes.push(ApiChange {
            level,
            item: key.clone(),
            change: format!("added: {}", a.signature),
            why,
        });
    }
    // A field's JSON name appearing or going with the field itself says nothing more.
    changes.retain(|c| {
        !(c.item.ends_with(" (serde name)") && {
            let field = c.item.trim_end_matches(" (serde name)");
            before.contains_key(field) != after.contains_key(field)
        })
    });
    // The most severe first: a reviewer reads what breaks before what is added.
    changes.sort_by(|a, b| b.level.cmp(&a.level).then_with(|| a.item.cmp(&b.item)));
    let level = changes
        .iter()
        .map(|c| c.level)
        .max()
        .unwrap_or(if changed_text {
            Level::Patch
        } else {
            Level::None
        });
    let level = if changed_text {
        level.max(Level::Patch)
    } else {
        level
    };
    (level, changes)
}

/// The struct of a field or the enum of a variant.
fn owner_of<'k>(key: &'k str, kind: &str) -> Option<&'k str> {
    match kind {
        "field" => key.rsplit_once('.').map(|(o, _)| o),
        "variant" => key.rsplit_once("::").map(|(o, _)| o),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use generated_code::api::entries;

    fn level(before: &str, after: &str) -> (Level, Vec<String>) {
        let (level, changes) = compare(
            &entries(before).unwrap(),
            &entries(after).unwrap(),
            before != after,
        );
        (
            level,
            changes
                .into_iter()
                .map(|c| format!("{:?} {}", c.level, c.item))
                .collect(),
        )
    }

    #[test]
    fn a_field_breaks_an_exhaustive_struct_and_not_a_non_exhaustive_one() {
        let (l, c) = level(
            "pub struct A { pub x: u8 }",
            "pub struct A { pub x: u8, pub y: u8 }",
        );
        assert_eq!((l, c), (Level::Breaking, vec!["Breaking A.y".to_owned()]));
        let (l, _) = level(
            "#[non_exhaustive] pub struct A { pub x: u8 }",
            "#[non_exhaustive] pub struct A { pub x: u8, pub y: u8 }",
        );
        assert_eq!(l, Level::Additive);
        // A private field already keeps literals out.
        let (l, _) = level(
            "pub struct A { pub x: u8, y: u8 }",
            "pub struct A { pub x: u8, y: u8, pub z: u8 }",
        );
        assert_eq!(l, Level::Additive);
    }

    #[test]
    fn a_variant_breaks_an_exhaustive_enum() {
        assert_eq!(
            level("pub enum E { A }", "pub enum E { A, B }").0,
            Level::Breaking
        );
        assert_eq!(
            level(
                "#[non_exhaustive] pub enum E { A }",
                "#[non_exhaustive] pub enum E { A, B }"
            )
            .0,
            Level::Additive
        );
        assert_eq!(
            level("pub enum E { A }", "#[non_exhaustive] pub enum E { A }").0,
            Level::Breaking
        );
    }

    #[test]
    fn a_lost_derive_or_a_changed_signature_breaks_and_a_new_method_adds() {
        assert_eq!(
            level(
                "#[derive(Clone, Debug)] pub struct A;",
                "#[derive(Debug)] pub struct A;"
            )
            .1,
            ["Breaking impl Clone for A"]
        );
        assert_eq!(
            level(
                "pub struct A; impl A { pub fn f(&self) {} }",
                "pub struct A; impl A { pub fn f(&self, x: u8) {} }"
            )
            .0,
            Level::Breaking
        );
        assert_eq!(
            level(
                "pub struct A;",
                "pub struct A; impl A { pub fn f(&self) {} }"
            )
            .0,
            Level::Additive
        );
    }

    #[test]
    fn bodies_docs_and_private_items_are_a_patch() {
        let (l, c) = level(
            "pub fn f() -> u8 { 1 } fn g() {}",
            "/// Docs.\npub fn f() -> u8 { 2 } fn h() {}",
        );
        assert_eq!((l, c), (Level::Patch, vec![]));
        assert_eq!(level("pub fn f() {}", "pub fn f() {}").0, Level::None);
    }

    #[test]
    fn versions_follow_cargos_rules() {
        assert_eq!(Level::Breaking.next_version("0.1.0"), "0.2.0");
        assert_eq!(Level::Additive.next_version("0.1.0"), "0.1.1");
        assert_eq!(Level::Patch.next_version("0.1.3"), "0.1.4");
        assert_eq!(Level::Breaking.next_version("1.4.2"), "2.0.0");
        assert_eq!(Level::Additive.next_version("1.4.2"), "1.5.0");
        assert_eq!(Level::None.next_version("1.4.2"), "1.4.2");
    }

    #[test]
    fn a_required_option_breaks_and_an_optional_one_adds() {
        let cli = |extra: &str| {
            generated_code::cli::entries(&format!(
                "fn commands() {{ Command::new(\"list\").arg(Arg::new(\"a\").long(\"a\").required(false)){extra}; }}"
            ))
            .unwrap()
        };
        let before = cli("");
        let optional = cli(".arg(Arg::new(\"x\").long(\"x\").required(false))");
        let required = cli(".arg(Arg::new(\"x\").long(\"x\").required(true))");
        assert_eq!(compare(&before, &optional, true).0, Level::Additive);
        assert_eq!(compare(&before, &required, true).0, Level::Breaking);
        let renamed = generated_code::cli::entries(
            "fn commands() { Command::new(\"ls\").arg(Arg::new(\"a\").long(\"a\").required(false)); }",
        )
        .unwrap();
        assert_eq!(compare(&before, &renamed, true).0, Level::Breaking);
    }
}
