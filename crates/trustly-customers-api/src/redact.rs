//! How the generated `Debug` impls print a property the spec marks `x-pii`: whether it is
//! there, never what it is.
//!
//! `cargo xtask codegen` writes those impls; these are the pieces they call.

use std::fmt;

use crate::Nullable;

/// The placeholder printed instead of a personal value.
pub const REDACTED: &str = "<redacted>";

/// Debug-prints as `<redacted>`.
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// An `Option`'s presence: `None` or `Some(<redacted>)`.
pub fn option<T>(value: &Option<T>) -> Option<Redacted> {
    value.as_ref().map(|_| Redacted)
}

/// A [`Nullable`]'s state: `Absent`, `Null` or `Value(<redacted>)`.
pub fn nullable<T>(value: &Nullable<T>) -> Nullable<Redacted> {
    match value {
        Nullable::Absent => Nullable::Absent,
        Nullable::Null => Nullable::Null,
        Nullable::Value(_) => Nullable::Value(Redacted),
    }
}
