//! What a command prints on success: the answer as JSON with the API's field names, on stdout.

use std::io::Write;

use serde::Serialize;
use serde_json::Value;

use crate::exit::{Exit, Failure};

/// A list printed inside the envelope the API sent it in, such as `{"customers": [...]}`.
pub(crate) fn in_envelope(key: &str, value: Value) -> Value {
    Value::Object(serde_json::Map::from_iter([(key.to_owned(), value)]))
}

/// A response as the JSON to print.
pub(crate) fn to_json(value: &impl Serialize) -> Result<Value, Failure> {
    // Serializing the client's own types cannot fail (no maps with non-string keys); if it
    // ever did, it is reported rather than unwrapped.
    serde_json::to_value(value)
        .map_err(|e| Failure::new(Exit::Server, format!("cannot print the response: {e}")))
}

/// Prints `value` on stdout, indented, and a line break.
pub(crate) fn print(value: &Value) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not worth a panic; the exit code still says success.
    let _ = serde_json::to_writer_pretty(&mut stdout, value);
    let _ = writeln!(stdout);
}
