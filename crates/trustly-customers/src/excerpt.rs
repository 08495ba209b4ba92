//! What may be shown of a response body that could not be decoded.
//!
//! A body may hold personal data, so no value from it is ever shown. What is shown is its
//! length, its content type, and, for something that looks like JSON, its shape: the start of
//! the document with every string value replaced by `"…"` and every digit by `#`, keeping
//! structure, `true`/`false`/`null` and property names (names are the API's vocabulary, not
//! the customer's; a name that is not a plain identifier is masked too, and digits in names
//! are `#` as in values, since custom data keys are the merchant's). The shape is cut at
//! [`SHAPE_LIMIT`] characters. A body that is not JSON (an HTML error page from a proxy, say)
//! is described, not quoted.
//!
//! The client's credentials are removed ([`Redactor`]) from every name and from the content
//! type before anything is masked or cut: a credential whose digits were masked, or that was
//! cut short, could no longer be found, and would show in part.

use std::fmt;

use crate::redact::Redactor;

/// At most this many characters of shape are kept.
pub const SHAPE_LIMIT: usize = 160;

/// A bounded, redacted description of a response body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyExcerpt {
    len: usize,
    content_type: Option<String>,
    shape: String,
}

impl BodyExcerpt {
    /// The excerpt of `body`, a response's with this `Content-Type`, without the credentials
    /// `redactor` knows.
    pub(crate) fn of(body: &[u8], content_type: Option<&str>, redactor: &Redactor) -> Self {
        // Content types are short and never personal; still bound it (after removing the
        // credentials a server could have put in one).
        let content_type =
            content_type.map(|ct| redactor.redact(ct).chars().take(64).collect::<String>());
        let text = String::from_utf8_lossy(&body[..body.len().min(4 * SHAPE_LIMIT)]);
        let trimmed = text.trim_start();
        let shape = if body.is_empty() {
            "empty".to_owned()
        } else if trimmed.starts_with('{') || trimmed.starts_with('[') {
            json_shape(trimmed, redactor)
        } else if trimmed.starts_with('<') {
            "not JSON: markup (an HTML or XML page)".to_owned()
        } else {
            "not JSON: text".to_owned()
        };
        Self {
            len: body.len(),
            content_type,
            shape,
        }
    }

    /// The body's length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// `true` when the body was empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The response's `Content-Type`, if it had one.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The masked shape of the body (see the module docs).
    pub fn shape(&self) -> &str {
        &self.shape
    }
}

impl fmt::Display for BodyExcerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes", self.len)?;
        if let Some(ct) = &self.content_type {
            write!(f, " of {ct}")?;
        }
        write!(f, ", {}", self.shape)
    }
}

/// A lexical pass, so it works on truncated and malformed JSON as well as on valid JSON.
///
/// A string is shown as a property name only where a name can stand: directly inside an
/// object, after its `{` or a `,`, and followed by `:`. Being followed by `:` is not enough: in
/// malformed JSON such as `{"name":"Joe":1}` a value is followed by one too.
fn json_shape(text: &str, redactor: &Redactor) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    // The open containers, `true` for an object; and the last character seen outside
    // whitespace (`"` for a string).
    let mut containers: Vec<bool> = Vec::new();
    let mut previous: Option<char> = None;
    while let Some(c) = chars.next() {
        if out.chars().count() >= SHAPE_LIMIT {
            out.push('…');
            return out;
        }
        let name_position = containers.last() == Some(&true) && matches!(previous, Some('{' | ','));
        if !c.is_whitespace() {
            previous = Some(c);
        }
        match c {
            '"' => {
                let mut s = String::new();
                let mut closed = false;
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                            s.push('_');
                        }
                        '"' => {
                            closed = true;
                            break;
                        }
                        c => s.push(c),
                    }
                }
                // A property name is followed by ':'.
                let rest: String = chars
                    .clone()
                    .take_while(|c| c.is_whitespace() || *c == ':')
                    .collect();
                let is_key = closed && name_position && rest.contains(':');
                // A name that is a credential is one no more: not plain, so masked.
                let s = redactor.redact(&s);
                let plain = !s.is_empty()
                    && s.len() <= 40
                    && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if is_key && plain {
                    out.push('"');
                    out.push_str(&mask_digits(&s));
                    out.push('"');
                } else {
                    out.push_str(if closed { "\"…\"" } else { "\"…" });
                }
            }
            c if c.is_ascii_digit() => out.push('#'),
            c if c.is_whitespace() => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
            c if c.is_ascii_alphabetic() => {
                // Literals (true/false/null) pass; any other bare word is masked.
                let mut word = String::from(c);
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphanumeric() {
                        word.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                match word.as_str() {
                    "true" | "false" | "null" => out.push_str(&word),
                    _ => out.push('?'),
                }
            }
            c if "{}[],:.-+".contains(c) => {
                match c {
                    '{' | '[' => containers.push(c == '{'),
                    '}' | ']' => {
                        containers.pop();
                    }
                    _ => {}
                }
                out.push(c);
            }
            _ => out.push('?'),
        }
    }
    out
}

/// Why `body` does not decode as `T`, and where: the safe message of
/// [`decode_message`] with the JSON pointer of the offending property, whose names are
/// without the credentials `redactor` knows.
///
/// Called only after a decode has failed, so the fast path never pays for path tracking.
pub(crate) fn decode_failure<T: serde::de::DeserializeOwned>(
    body: &[u8],
    error: &serde_json::Error,
    redactor: &Redactor,
) -> String {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let pointer = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(e) => json_pointer(e.path(), redactor),
        Ok(_) => String::new(),
    };
    if pointer.is_empty() || pointer == "/" {
        decode_message(error)
    } else {
        format!("{} (at {pointer})", decode_message(error))
    }
}

/// A JSON pointer for a path; a key that is not a plain identifier (so possibly data rather
/// than the API's vocabulary), or that is a credential, is shown as `…`.
fn json_pointer(path: &serde_path_to_error::Path, redactor: &Redactor) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                let key = redactor.redact(key);
                if key.len() <= 40 && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    out.push_str(&mask_digits(&key))
                } else {
                    out.push('…')
                }
            }
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

/// A property name with its digits as `#`, like values. Inside `customData` the names are the
/// merchant's, and one can be an account, card or tax number; the API's own names lose
/// nothing that matters (`address1` reads as `address#`).
fn mask_digits(key: &str) -> String {
    key.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// A serde_json error message with any quoted input value removed.
///
/// serde_json says `invalid type: string "joe@example.com", expected i64`: the value is the
/// customer's. Messages about missing or unknown properties and syntax name only the API's
/// vocabulary and positions, and are kept.
pub(crate) fn decode_message(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let core = match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => &message[..],
    };
    let safe = if core.starts_with("invalid type") || core.starts_with("invalid value") {
        let what = if core.starts_with("invalid type") {
            "invalid type"
        } else {
            "invalid value"
        };
        match core.find(", expected ") {
            Some(i) => format!("{what}, expected {}", &core[i + ", expected ".len()..]),
            None => what.to_owned(),
        }
    } else if core.contains('"') {
        // A custom message from a deserializer that quoted something: keep only its start.
        core.split('"')
            .next()
            .unwrap_or_default()
            .trim_end()
            .to_owned()
    } else {
        core.to_owned()
    };
    format!("{safe} at line {} column {}", error.line(), error.column())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A credential of the client in these tests: plain enough to pass for a property name.
    const KEY: &str = "Key4Secret";

    fn redactor() -> Redactor {
        Redactor::new([KEY])
    }

    fn excerpt(body: &[u8], content_type: Option<&str>) -> BodyExcerpt {
        BodyExcerpt::of(body, content_type, &redactor())
    }

    #[test]
    fn an_excerpt_knows_whether_the_body_was_empty() {
        assert!(excerpt(b"", None).is_empty());
        assert!(!excerpt(b"{}", None).is_empty());
        assert_eq!(excerpt(b"{}", None).len(), 2);
    }

    #[test]
    fn a_value_is_never_shown_however_plain_it_looks() {
        // Only a string followed by `:` is a property name.
        let e = excerpt(br#"{"name": "JaneSecret", "list": ["JaneSecret"]}"#, None);
        assert_eq!(e.shape(), r#"{"name": "…", "list": ["…"]}"#);
        // Cut off inside a value.
        let e = excerpt(br#"{"name": "JaneSecret"#, None);
        assert_eq!(e.shape(), r#"{"name": "…"#);
    }

    #[test]
    fn a_value_followed_by_a_colon_is_not_taken_for_a_name() {
        // Malformed JSON where a value is followed by `:`: only a string where a name can
        // stand (inside an object, after `{` or `,`) is one.
        let e = excerpt(br#"{"customer":{"name":"Joe":"x"}}"#, None);
        assert_eq!(e.shape(), r#"{"customer":{"name":"…":"…"}}"#);
        let e = excerpt(br#"["Joe": 1, "Ann": 2]"#, None);
        assert_eq!(e.shape(), r#"["…": #, "…": #]"#);
        let e = excerpt(br#"{"a" "Joe": 1}"#, None);
        assert_eq!(e.shape(), r#"{"…" "…": #}"#);
        // A name after a nested value still is one.
        let e = excerpt(br#"{"a":[1,{"b":2}],"c":3}"#, None);
        assert_eq!(e.shape(), r#"{"a":[#,{"b":#}],"c":#}"#);
        // After an object closes inside a list, a string is in the list again: no name.
        let e = excerpt(br#"[{"a":1},"Joe":2]"#, None);
        assert_eq!(e.shape(), r#"[{"a":#},"…":#]"#);
    }

    #[test]
    fn characters_outside_strings_that_json_does_not_use_are_masked() {
        // Malformed JSON with a bare value: only JSON's own punctuation passes.
        let e = excerpt("{\"note\": ¿Jo-sé€ @x!}".as_bytes(), None);
        assert_eq!(e.shape(), "{\"note\": ??-??? ???}");
    }

    #[test]
    fn runs_of_whitespace_become_one_space() {
        let e = excerpt(b"{\"a\":   1,\n\n  \"b\": \t 2}", None);
        assert_eq!(e.shape(), r#"{"a": #, "b": #}"#);
    }

    #[test]
    fn a_long_value_does_not_hide_the_structure_after_it() {
        // A value collapses to `"…"`: the shape reads far enough into the body to show what
        // follows a long one.
        let body = format!(r#"{{"note": "{}", "phone": "x"}}"#, "a".repeat(300));
        let e = excerpt(body.as_bytes(), None);
        assert_eq!(e.shape(), r#"{"note": "…", "phone": "…"}"#);
    }

    #[test]
    fn shape_masks_values_keeps_keys_and_structure() {
        let e = excerpt(
            br#"{"customer": {"email": "joe@example.com", "zip": 94063, "vip": true, "x y": 1}}"#,
            Some("application/json"),
        );
        assert_eq!(
            e.shape(),
            r#"{"customer": {"email": "…", "zip": #####, "vip": true, "…": #}}"#
        );
    }

    #[test]
    fn digits_in_property_names_are_masked_like_values() {
        // Custom data is the merchant's: its keys can be card or tax numbers.
        let body = br#"{"customer":{"customData":{"4111111111111111":true,"ssn123456789":{"x":1}},"vip":{}}}"#;
        let e = excerpt(body, None);
        assert_eq!(
            e.shape(),
            concat!(
                "{\"customer\":{\"customData\":{\"################\":true,",
                "\"ssn#########\":{\"x\":#}},\"vip\":{}}}"
            )
        );
        let Err(err) = serde_json::from_slice::<Probe>(body) else {
            panic!("the body does not decode as Probe")
        };
        let message = decode_failure::<Probe>(body, &err, &redactor());
        assert!(!message.contains("4111"), "{message}");
        assert!(
            message.ends_with("(at /customer/customData/################)"),
            "{message}"
        );
    }

    #[test]
    fn the_pointer_shows_plain_names_only() {
        let at = |body: &[u8]| {
            let err = serde_json::from_slice::<Probe>(body)
                .err()
                .expect("a decode failure");
            decode_failure::<Probe>(body, &err, &redactor())
        };
        // A name that is the merchant's data, not an identifier.
        let m = at(br#"{"customer":{"customData":{"jane.secret@example.com":1}}}"#);
        assert!(m.ends_with("(at /customer/customData/…)"), "{m}");
        // A plain name, underscores and all, is shown.
        let m = at(br#"{"customer":{"customData":{"loyalty_tier":1}}}"#);
        assert!(m.ends_with("(at /customer/customData/loyalty_tier)"), "{m}");
        // Too long to be one of the API's names.
        let long = "a".repeat(41);
        let m = at(format!(r#"{{"customer":{{"customData":{{"{long}":1}}}}}}"#).as_bytes());
        assert!(m.ends_with("(at /customer/customData/…)"), "{m}");
        // A failure at the top level has no pointer to show.
        let m = at(b"1");
        assert!(!m.contains("(at"), "{m}");
    }

    /// Fails on the value under the card-number key.
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Probe {
        customer: ProbeCustomer,
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    #[serde(rename_all = "camelCase")]
    struct ProbeCustomer {
        custom_data: std::collections::BTreeMap<String, String>,
    }

    #[test]
    fn a_credential_as_a_property_name_is_masked_before_its_digits_are() {
        // Masked after its digits, it would show as `Key#Secret`: the credential in part, and
        // no longer found.
        let e = excerpt(br#"{"Key4Secret": 1, "KEY4SECRET": 2, "zip4": 3}"#, None);
        assert_eq!(e.shape(), r#"{"…": #, "…": #, "zip#": #}"#);
        // In a body that does not decode, cut off inside the credential's value or not.
        let e = excerpt(br#"{"customer":{"Key4Secret":"x","name":"Key4Se"#, None);
        assert_eq!(e.shape(), r#"{"customer":{"…":"…","name":"…"#);
    }

    #[test]
    fn a_credential_in_the_content_type_is_removed_before_it_is_cut() {
        let padding = "x".repeat(58);
        let e = excerpt(b"{}", Some(&format!("text/{padding}Key4Secret")));
        assert_eq!(e.content_type(), Some(format!("text/{padding}<").as_str()));
        let e = excerpt(b"{}", Some("application/json; key=key4secret"));
        assert_eq!(e.content_type(), Some("application/json; key=<redacted>"));
    }

    #[test]
    fn a_credential_in_the_pointer_is_masked_before_its_digits_are() {
        let body = br#"{"customer":{"customData":{"Key4Secret":1}}}"#;
        let err = serde_json::from_slice::<Probe>(body)
            .err()
            .expect("a decode failure");
        let message = decode_failure::<Probe>(body, &err, &redactor());
        assert!(
            message.ends_with("(at /customer/customData/…)"),
            "{message}"
        );
    }

    #[test]
    fn truncated_json_is_masked_too() {
        let e = excerpt(br#"{"customer":{"name":"Joe Us"#, None);
        assert_eq!(e.shape(), r#"{"customer":{"name":"…"#);
        assert!(!e.to_string().contains("Joe"));
    }

    #[test]
    fn html_is_described_not_quoted() {
        let e = excerpt(
            b"<html><body>Bad gateway for joe</body></html>",
            Some("text/html"),
        );
        assert_eq!(
            e.to_string(),
            "45 bytes of text/html, not JSON: markup (an HTML or XML page)"
        );
    }

    #[test]
    fn shape_is_bounded() {
        let big = format!("[{}]", "1,".repeat(10_000));
        let e = excerpt(big.as_bytes(), None);
        assert!(e.shape().chars().count() <= SHAPE_LIMIT + 1);
    }

    #[test]
    fn decode_message_drops_quoted_values() {
        let err = serde_json::from_str::<i64>(r#""joe@example.com""#).unwrap_err();
        let m = decode_message(&err);
        assert!(!m.contains("joe"), "{m}");
        assert!(m.starts_with("invalid type, expected i64"), "{m}");
    }
}
