//! Helpers for hand-written `Debug` impls that must not print personal data.
//!
//! A redacted field still shows whether it is present (`Some(<redacted>)` / `None`), which is
//! what one usually needs when debugging, but never its value.

use std::fmt;

/// The placeholder printed instead of a personal value.
pub(crate) const REDACTED: &str = "<redacted>";

/// Debug-prints as `<redacted>`.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Debug-prints an `Option` as `None` or `Some(<redacted>)`.
pub(crate) struct RedactedOption(pub(crate) bool);

impl RedactedOption {
    pub(crate) fn of<T>(value: &Option<T>) -> Self {
        Self(value.is_some())
    }
}

impl fmt::Debug for RedactedOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 {
            write!(f, "Some({REDACTED})")
        } else {
            f.write_str("None")
        }
    }
}
