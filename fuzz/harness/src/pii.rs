//! The one assertion every target makes besides "no panic": no personal value of the input
//! shows in what the code says about it (error texts, `Debug` output, the emulator's error
//! bodies).
//!
//! Personal values are the values of the properties the spec marks `x-pii: true`, read from
//! the embedded spec (never a list written here), at any depth: everything inside a personal
//! property (`customData`) is personal too. The input is scanned lexically, so a truncated or
//! malformed document still has its personal values found as far as it goes.
//!
//! A value counts as shown only when the text follows it. Finding a value in a text is not
//! proof on its own: a short name such as `"string"` is also a word of the messages, and a
//! text may rightly quote a property name or another, non-personal value that happens to be
//! spelled the same. So when a text contains a personal value, the input is run again with
//! every personal value disguised (each ASCII letter and digit replaced by the next one, which
//! keeps every length, position and character class), and the value is reported only if the
//! new texts show its disguised form where the old ones showed it. A value is looked for as it
//! is, escaped as `Debug` and JSON escape it, and for a number as serde_json and Rust print it;
//! a form shorter than three characters, or with no ASCII letter or digit to disguise, is not
//! looked for.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::OnceLock;

use serde_json::Value;
use trustly_customers_spec::facts;

/// The names of the spec's personal properties and query parameters, from the embedded spec.
pub fn personal_names() -> &'static BTreeSet<String> {
    static NAMES: OnceLock<BTreeSet<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let doc = trustly_customers_spec::document();
        let mut names = BTreeSet::new();
        if let Some(schemas) = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        {
            for schema in schemas.values() {
                collect_names(doc, schema, &mut names);
            }
        }
        for op in facts::operations(doc) {
            for p in &op.parameters {
                let personal = facts::is_pii(p.schema)
                    || facts::component_ref(p.schema)
                        .and_then(|name| facts::component(doc, name))
                        .is_some_and(facts::is_pii);
                if personal {
                    names.insert(p.name.to_owned());
                }
            }
        }
        assert!(
            !names.is_empty(),
            "the spec marks no property `x-pii`: the assertion would check nothing"
        );
        names
    })
}

/// Every personal property name of `schema` and of the schemas nested in it. `$ref`s are not
/// followed: they name components, which are each visited on their own.
fn collect_names(doc: &Value, schema: &Value, names: &mut BTreeSet<String>) {
    for p in facts::properties(doc, schema) {
        if p.pii {
            names.insert(p.name.to_owned());
        }
        collect_names(doc, p.schema, names);
    }
    for key in ["items", "additionalProperties"] {
        if let Some(sub) = schema.get(key).filter(|s| s.is_object()) {
            collect_names(doc, sub, names);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for sub in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            collect_names(doc, sub, names);
        }
    }
}

/// How a personal value is written in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The inside of a JSON string, escapes and all.
    JsonString,
    /// A JSON number.
    JsonNumber,
    /// A form-encoded query value (`%XX` and `+`).
    Query,
}

#[derive(Debug, Clone)]
struct Token {
    span: Range<usize>,
    kind: Kind,
}

/// The personal values of one input, by where they are written in it.
#[derive(Debug, Default, Clone)]
pub struct Personal {
    tokens: Vec<Token>,
}

impl Personal {
    /// None yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the personal values of the JSON document at `input[range]`. With `root_personal`
    /// the whole document is personal (a value of a component the spec marks `x-pii`).
    pub fn json(&mut self, input: &[u8], range: Range<usize>, root_personal: bool) {
        scan_json(input, range, root_personal, &mut self.tokens);
    }

    /// Adds the values of the personal parameters of the query string at `input[range]`.
    pub fn query(&mut self, input: &[u8], range: Range<usize>) {
        let names = personal_names();
        let mut at = range.start;
        for pair in input[range.clone()].split(|&b| b == b'&') {
            let end = at + pair.len();
            let (name, value_start) = match pair.iter().position(|&b| b == b'=') {
                Some(eq) => (&pair[..eq], at + eq + 1),
                None => (pair, end),
            };
            if names.contains(&decode_query(name)) && value_start < end {
                self.tokens.push(Token {
                    span: value_start..end,
                    kind: Kind::Query,
                });
            }
            at = end + 1;
        }
    }

    /// Whether no personal value was found.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The personal values as the code reads them.
    pub fn values(&self, input: &[u8]) -> Vec<String> {
        self.tokens.iter().map(|t| decode(input, t)).collect()
    }

    /// `input` with every personal value disguised: each ASCII letter and digit replaced by
    /// the next one (`z` by `a`, `9` by `0`), escapes left as they are, so that every length,
    /// position and kind of character stays. In a number, `0` stays and 1 to 9 turn round, so
    /// that a number stays a number.
    pub fn disguise(&self, input: &[u8]) -> Vec<u8> {
        let mut out = input.to_vec();
        for token in &self.tokens {
            let bytes = &mut out[token.span.clone()];
            let mut skip = 0usize;
            for i in 0..bytes.len() {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let b = bytes[i];
                match (token.kind, b) {
                    (Kind::JsonString, b'\\') => {
                        skip = if bytes.get(i + 1) == Some(&b'u') {
                            5
                        } else {
                            1
                        };
                    }
                    (Kind::Query, b'%') => skip = 2,
                    (Kind::JsonNumber, b'1'..=b'8') => bytes[i] = b + 1,
                    (Kind::JsonNumber, b'9') => bytes[i] = b'1',
                    (Kind::JsonNumber, _) => {}
                    (_, b'a'..=b'y' | b'A'..=b'Y' | b'0'..=b'8') => bytes[i] = b + 1,
                    (_, b'z') => bytes[i] = b'a',
                    (_, b'Z') => bytes[i] = b'A',
                    (_, b'9') => bytes[i] = b'0',
                    _ => {}
                }
            }
        }
        out
    }

    /// Panics if a personal value of `input` is shown in `texts`, the texts the code under test
    /// produced for `input`. `rerun` produces them again for another input (the disguised
    /// one); it is called only when a text contains a personal value.
    pub fn assert_not_shown(
        &self,
        input: &[u8],
        texts: &[String],
        rerun: impl FnOnce(&[u8]) -> Vec<String>,
    ) {
        let shown = |form: &Option<String>, texts: &[String]| {
            form.as_ref()
                .is_some_and(|f| worth_looking_for(f) && texts.iter().any(|t| t.contains(f)))
        };
        // (token, form) pairs found in the texts.
        let suspects: Vec<(usize, usize)> = self
            .tokens
            .iter()
            .enumerate()
            .flat_map(|(i, token)| {
                let forms = forms(&decode(input, token), token.kind);
                (0..forms.len())
                    .filter(|&f| shown(&forms[f], texts))
                    .map(|f| (i, f))
                    .collect::<Vec<_>>()
            })
            .collect();
        if suspects.is_empty() {
            return;
        }
        let disguised = self.disguise(input);
        let again = rerun(&disguised);
        for (i, f) in suspects {
            let token = &self.tokens[i];
            let value = decode(input, token);
            let changed = decode(&disguised, token);
            let before = &forms(&value, token.kind)[f];
            let after = &forms(&changed, token.kind)[f];
            // A form the disguise does not change (`0e5` and `0e6` are both 0) tells nothing.
            let (Some(before), Some(after)) = (before, after) else {
                continue;
            };
            if after == before || !worth_looking_for(after) {
                continue;
            }
            // Shown where the value was shown: the same text, at the same place (the disguise
            // keeps every length, so nothing before it moves). Anywhere else, both are
            // coincidences, such as `200` in "HTTP 200" and its disguise `300` in "300 bytes".
            let Some(text) = texts.iter().zip(&again).find_map(|(was, is)| {
                was.match_indices(before.as_str())
                    .any(|(at, _)| {
                        is.get(at..)
                            .is_some_and(|rest| rest.starts_with(after.as_str()))
                    })
                    .then_some(is)
            }) else {
                continue;
            };
            panic!(
                "a personal value is shown: {value:?} (at bytes {:?} of the input, written \
                 {before:?}), disguised as {changed:?} and shown again ({after:?}) in:\n{text}\n\
                 texts of the original input:\n{}",
                token.span,
                texts.join("\n")
            );
        }
    }
}

/// Panics if `secret` is in one of `texts` though the input does not carry it.
pub fn assert_secret_not_shown(input: &[u8], secret: &str, texts: &[String]) {
    if contains(input, secret.as_bytes()) {
        return;
    }
    if let Some(text) = texts.iter().find(|t| t.contains(secret)) {
        panic!("the access key is shown in:\n{text}");
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// Long enough not to match by chance, and with something to disguise.
fn worth_looking_for(form: &str) -> bool {
    form.chars().count() >= 3 && form.bytes().any(|b| b.is_ascii_alphanumeric())
}

/// How a value can be written in a text, always in this order so that the forms of a value
/// and of its disguise pair up: as it is, escaped as `Debug` escapes it (a quoted string in a
/// `Debug` output), escaped as JSON (a message in a JSON body), and for a number, as
/// serde_json and Rust print it.
fn forms(value: &str, kind: Kind) -> Vec<Option<String>> {
    let json = serde_json::to_string(value).unwrap_or_default();
    let mut out = vec![
        Some(value.to_owned()),
        Some(value.escape_debug().to_string()),
        Some(json.trim_matches('"').to_owned()),
    ];
    if kind == Kind::JsonNumber {
        let number = match serde_json::from_str::<Value>(value) {
            Ok(Value::Number(n)) => Some(n),
            _ => None,
        };
        let float = number.as_ref().and_then(serde_json::Number::as_f64);
        out.push(number.map(|n| n.to_string()));
        out.push(float.map(|f| format!("{f}")));
        out.push(float.map(|f| format!("{f:?}")));
    }
    out
}

fn decode(input: &[u8], token: &Token) -> String {
    let raw = &input[token.span.clone()];
    match token.kind {
        Kind::JsonString => decode_json_string(raw),
        Kind::JsonNumber => String::from_utf8_lossy(raw).into_owned(),
        Kind::Query => decode_query(raw),
    }
}

/// A form-encoded value as a server reads it: `+` is a space, `%XX` a byte.
fn decode_query(raw: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = raw
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (raw[i], hex) {
            (b'%', Some(byte)) => {
                bytes.push(byte);
                i += 3;
            }
            (b'+', _) => {
                bytes.push(b' ');
                i += 1;
            }
            (b, _) => {
                bytes.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The text of a JSON string's inside, as a JSON parser reads it (lossily where the input is
/// not valid: a parser would refuse it, and the text is only looked for).
fn decode_json_string(raw: &[u8]) -> String {
    let mut out: Vec<u16> = Vec::new();
    let mut text = String::new();
    let flush = |units: &mut Vec<u16>, text: &mut String| {
        text.push_str(&String::from_utf16_lossy(units));
        units.clear();
    };
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'\\' && i + 1 < raw.len() {
            let c = raw[i + 1];
            i += 2;
            let simple = match c {
                b'"' => Some('"'),
                b'\\' => Some('\\'),
                b'/' => Some('/'),
                b'b' => Some('\u{8}'),
                b'f' => Some('\u{c}'),
                b'n' => Some('\n'),
                b'r' => Some('\r'),
                b't' => Some('\t'),
                _ => None,
            };
            if let Some(ch) = simple {
                flush(&mut out, &mut text);
                text.push(ch);
            } else if c == b'u' {
                let hex = raw
                    .get(i..i + 4)
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u16::from_str_radix(h, 16).ok()) {
                    Some(unit) => {
                        out.push(unit);
                        i += 4;
                    }
                    None => {
                        flush(&mut out, &mut text);
                        text.push_str("\\u");
                    }
                }
            } else {
                flush(&mut out, &mut text);
                text.push('\\');
                text.push(c as char);
            }
        } else {
            flush(&mut out, &mut text);
            // At least one byte on: a backslash that ends the text is taken as it is.
            let end = raw[i + 1..]
                .iter()
                .position(|&b| b == b'\\')
                .map_or(raw.len(), |p| i + 1 + p);
            text.push_str(&String::from_utf8_lossy(&raw[i..end]));
            i = end;
        }
    }
    flush(&mut out, &mut text);
    text
}

/// One open object or array.
struct Frame {
    object: bool,
    /// Everything in it is personal.
    personal: bool,
    /// In an object: the name of the property whose value comes next, once its `:` is read.
    key: Option<String>,
    after_colon: bool,
}

/// A lexical pass over `input[range]` that records the personal strings and numbers.
fn scan_json(input: &[u8], range: Range<usize>, root_personal: bool, out: &mut Vec<Token>) {
    let names = personal_names();
    let mut stack: Vec<Frame> = Vec::new();
    let value_is_personal = |stack: &[Frame]| match stack.last() {
        None => root_personal,
        Some(f) if f.object => {
            f.personal || (f.after_colon && f.key.as_ref().is_some_and(|k| names.contains(k)))
        }
        Some(f) => f.personal,
    };
    // A string or number value ends: recorded when personal, and its property is done.
    let end_scalar = |stack: &mut Vec<Frame>, out: &mut Vec<Token>, span, kind| {
        if value_is_personal(stack) {
            out.push(Token { span, kind });
        }
        if let Some(f) = stack.last_mut() {
            f.after_colon = false;
        }
    };
    let end = range.end;
    let mut i = range.start;
    while i < end {
        let b = input[i];
        match b {
            b'{' | b'[' => {
                let personal = value_is_personal(&stack);
                stack.push(Frame {
                    object: b == b'{',
                    personal,
                    key: None,
                    after_colon: false,
                });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                if let Some(f) = stack.last_mut() {
                    f.after_colon = false;
                }
                i += 1;
            }
            b',' => {
                if let Some(f) = stack.last_mut() {
                    f.key = None;
                    f.after_colon = false;
                }
                i += 1;
            }
            b':' => {
                if let Some(f) = stack.last_mut() {
                    f.after_colon = true;
                }
                i += 1;
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < end && input[j] != b'"' {
                    j += if input[j] == b'\\' { 2 } else { 1 };
                }
                let stop = j.min(end);
                let is_key = stack.last().is_some_and(|f| f.object && !f.after_colon);
                if is_key {
                    let key = decode_json_string(&input[start..stop]);
                    if let Some(f) = stack.last_mut() {
                        f.key = Some(key);
                    }
                } else {
                    end_scalar(&mut stack, out, start..stop, Kind::JsonString);
                }
                i = stop + 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < end && matches!(input[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                end_scalar(&mut stack, out, start..i, Kind::JsonNumber);
            }
            _ => i += 1,
        }
    }
}
