//! Reading the spec: YAML (or JSON, a subset of YAML) text into a JSON value, a map from JSON
//! pointers to source positions, and the typed `openapiv3` document the generator takes.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use serde_saphyr::Spanned;
use trustly_customers_spec::escape_token;

/// A position in the spec file, 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// Line, from 1.
    pub line: u64,
    /// Column, from 1.
    pub column: u64,
}

/// A spec file read and parsed, with everything needed to report a problem at its place.
#[derive(Debug)]
pub struct Spec {
    /// The path it was read from, as given.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
    /// The document as JSON, for the lint.
    pub json: Value,
    positions: HashMap<String, Position>,
}

/// Why a spec could not be read. Each carries where, for the message.
#[derive(Debug)]
pub enum LoadError {
    /// The file could not be read at all.
    Read(PathBuf, std::io::Error),
    /// Not well-formed YAML or JSON.
    Syntax {
        path: PathBuf,
        position: Option<Position>,
        message: String,
        /// "YAML" or "JSON".
        format: &'static str,
    },
    /// Well-formed, but not an OpenAPI document the generator can take.
    Structure {
        path: PathBuf,
        position: Option<Position>,
        message: String,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Read(path, err) => {
                write!(f, "{}: cannot read the spec: {err}", path.display())
            }
            LoadError::Syntax {
                path,
                position,
                message,
                format,
            } => {
                write!(
                    f,
                    "{}: invalid {format}: {message}",
                    located(path, *position)
                )
            }
            LoadError::Structure {
                path,
                position,
                message,
            } => {
                write!(
                    f,
                    "{}: not a valid OpenAPI 3.0 document: {message}",
                    located(path, *position)
                )
            }
        }
    }
}

/// `path:line:column`, or just `path` when the position is unknown.
pub fn located(path: &Path, position: Option<Position>) -> String {
    match position {
        Some(p) => format!("{}:{}:{}", path.display(), p.line, p.column),
        None => path.display().to_string(),
    }
}

impl Spec {
    /// Parses spec text; `path` is only used in messages.
    pub fn parse(path: &Path, text: String) -> Result<Spec, LoadError> {
        let path = path.to_owned();
        // JSON is YAML, but YAML forgives what JSON does not (a trailing comma, comments): a
        // `.json` spec is held to JSON's own grammar first.
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            && let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&text)
        {
            let position = Position {
                line: e.line() as u64,
                column: e.column() as u64,
            };
            let message = e.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_owned();
            return Err(LoadError::Syntax {
                path,
                position: Some(position),
                message,
                format: "JSON",
            });
        }
        let root: Spanned<Node> = serde_saphyr::from_str(&text).map_err(|e| LoadError::Syntax {
            path: path.clone(),
            position: e.location().map(position_of),
            message: first_line(&e.to_string()),
            format: "YAML",
        })?;
        let mut positions = HashMap::new();
        let json = to_json(root, String::new(), &mut positions);
        Ok(Spec {
            path,
            text,
            json,
            positions,
        })
    }

    /// The document as the generator takes it. Run the lint first: its messages are clearer.
    pub fn openapi(&self) -> Result<openapiv3::OpenAPI, LoadError> {
        // Converting the JSON value is the fast path. It cannot say where a mismatch is, so on
        // failure the text is parsed again, typed, for serde-saphyr's line and column.
        if let Ok(openapi) = serde_json::from_value(self.json.clone()) {
            return Ok(openapi);
        }
        let located = serde_saphyr::from_str::<openapiv3::OpenAPI>(&self.text).err();
        Err(LoadError::Structure {
            path: self.path.clone(),
            position: located.as_ref().and_then(|e| e.location()).map(position_of),
            message: match located {
                Some(e) => first_line(&e.to_string()),
                None => "the document does not have the shape of an OpenAPI 3.0 document".into(),
            },
        })
    }

    /// The source position of the value at a JSON pointer, or of its nearest ancestor that has one.
    pub fn position(&self, pointer: &str) -> Option<Position> {
        let mut pointer = pointer;
        loop {
            if let Some(p) = self.positions.get(pointer) {
                return Some(*p);
            }
            pointer = &pointer[..pointer.rfind('/')?];
        }
    }

    /// `path:line:column` of the value at a JSON pointer.
    pub fn locate(&self, pointer: &str) -> String {
        located(&self.path, self.position(pointer))
    }
}

fn position_of(location: serde_saphyr::Location) -> Position {
    Position {
        line: location.line(),
        column: location.column(),
    }
}

/// serde-saphyr's message without what the caller already says: the source snippet under it,
/// the `error: line L column C:` prefix, and advice about its own options.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default().trim();
    let line = line.strip_prefix("error: ").unwrap_or(line);
    let line = match line
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((_position, rest)) => rest,
        None => line,
    };
    line.split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(line)
        .to_owned()
}

/// A YAML node whose children carry their source spans.
enum Node {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(String, Spanned<Node>)>),
}

/// Converts a parsed node to JSON, recording the position of every value by its JSON pointer.
fn to_json(
    node: Spanned<Node>,
    pointer: String,
    positions: &mut HashMap<String, Position>,
) -> Value {
    {
        // `referenced` is where the value is used: for a YAML alias, the alias, not the anchor.
        positions.insert(pointer.clone(), position_of(node.referenced));
        match node.value {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(b),
            Node::Number(n) => Value::Number(n),
            Node::String(s) => Value::String(s),
            Node::Seq(items) => Value::Array(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| to_json(item, format!("{pointer}/{i}"), positions))
                    .collect(),
            ),
            Node::Map(entries) => {
                let mut map = Map::with_capacity(entries.len());
                for (key, value) in entries {
                    let child = format!("{pointer}/{}", escape_token(&key));
                    map.insert(key, to_json(value, child, positions));
                }
                Value::Object(map)
            }
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Number::from_f64(v)
            .map(Node::Number)
            .ok_or_else(|| E::custom(format!("{v} is not a JSON number")))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries: Vec<(String, Spanned<Node>)> = Vec::new();
        while let Some(Key(key)) = map.next_key()? {
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(de::Error::custom(format!("duplicate mapping key `{key}`")));
            }
            let value = map.next_value()?;
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

/// A mapping key as JSON sees it: always a string (an unquoted `200:` is the key `"200"`).
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a scalar mapping key")
            }
            fn visit_str<E>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_owned()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}
