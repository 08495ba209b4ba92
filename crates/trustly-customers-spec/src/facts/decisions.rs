//! The spec's recorded decisions ([`TRUSTLY`]): where it deliberately differs from Trustly's
//! published OpenAPI document, each standing on the object it is about.

use serde_json::Value;

use crate::conventions::{TRUSTLY, is_extension};
use crate::escape_token;

/// One recorded decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision<'a> {
    /// The JSON pointer of the object it stands on: it covers differences there and in what
    /// that object holds.
    pub at: String,
    /// The JSON pointer of the entry itself (`{at}/x-trustly/{i}`).
    pub pointer: String,
    /// The kind of difference it records, as drift names kinds (`nullable`, `status-added`).
    pub differs: &'a str,
    /// What Trustly's document says, as drift shows it: the old side of the change (`not
    /// nullable`), `absent` for what only the spec has, `present` for what only Trustly's has.
    pub trustly: &'a str,
    /// Why this spec differs.
    pub why: &'a str,
}

/// Keys whose values are data, never objects of the document: nothing in them is a decision.
const DATA: [&str; 5] = ["example", "examples", "default", "enum", "const"];

/// Every decision of `doc`, in the order of the document. An entry that is not a map of three
/// strings reads as absent (the codegen lint refuses it).
pub fn decisions(doc: &Value) -> Vec<Decision<'_>> {
    let mut out = Vec::new();
    walk(doc, String::new(), &mut out);
    out
}

fn walk<'a>(value: &'a Value, pointer: String, out: &mut Vec<Decision<'a>>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let at = format!("{pointer}/{}", escape_token(key));
                if key == TRUSTLY.name {
                    read(child, &pointer, &at, out);
                } else if !is_extension(key) && !DATA.contains(&key.as_str()) {
                    walk(child, at, out);
                }
            }
        }
        Value::Array(list) => {
            for (i, child) in list.iter().enumerate() {
                walk(child, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn read<'a>(list: &'a Value, at: &str, pointer: &str, out: &mut Vec<Decision<'a>>) {
    for (i, entry) in list.as_array().into_iter().flatten().enumerate() {
        let text = |key: &str| entry.get(key).and_then(Value::as_str);
        if let (Some(differs), Some(trustly), Some(why)) =
            (text(FIELDS[0]), text(FIELDS[1]), text(FIELDS[2]))
        {
            out.push(Decision {
                at: at.to_owned(),
                pointer: format!("{pointer}/{i}"),
                differs,
                trustly,
                why,
            });
        }
    }
}

/// The keys of an entry, in the order it is written: the kind it records, what Trustly's
/// document says, why.
pub const FIELDS: [&str; 3] = ["differs", "trustly", "why"];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decisions_are_read_where_they_stand_and_not_from_data() {
        let doc = json!({
            "paths": {"/a": {"post": {TRUSTLY.name: [
                {"differs": "status-added", "trustly": "no errors", "why": "declared"}
            ]}}},
            "components": {"schemas": {"C": {
                "example": {TRUSTLY.name: [{"differs": "x", "trustly": "y", "why": "z"}]},
                "properties": {"p": {TRUSTLY.name: [
                    {"differs": "nullable", "trustly": "not nullable", "why": "null removes"},
                    {"differs": "incomplete"}
                ]}}
            }}}
        });
        let found = decisions(&doc);
        let at: Vec<(&str, &str)> = found.iter().map(|d| (d.at.as_str(), d.differs)).collect();
        assert_eq!(
            at,
            [
                ("/paths/~1a/post", "status-added"),
                ("/components/schemas/C/properties/p", "nullable")
            ]
        );
        assert_eq!(
            found[1].pointer,
            format!("/components/schemas/C/properties/p/{}/0", TRUSTLY.name)
        );
    }
}
