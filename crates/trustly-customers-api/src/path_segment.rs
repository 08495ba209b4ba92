//! A path parameter as the URL carries it: one segment, percent-encoded, or an error before
//! anything is sent.
//!
//! `passes::per_call` of the xtask writes `PathSegment::checked(name, value)?` into each
//! operation's URL in place of the generator's `encode_path(&value.to_string())`, so every
//! layer built on the generated client (the ergonomic client, the command line, an application
//! using this crate alone) sends a path parameter as one segment or not at all.

use std::fmt;

/// A path parameter that is one path segment, written percent-encoded (as the generator's
/// `encode_path` encodes it) straight into the URL being formatted, where `encode_path` would
/// build two strings to copy into a third.
///
/// The value is text (every path parameter of the spec is an id): it is encoded as it is, where
/// formatting it first (`Display`) would run the formatting machinery a second time, inside the
/// URL's, for every call. A parameter that is not text does not compile here.
pub(crate) struct PathSegment<'a> {
    value: &'a str,
    /// Made only of characters no encoding changes (letters, digits, `-`, `_`, `.`, `~`).
    plain: bool,
}

impl<'a> PathSegment<'a> {
    /// The path parameter `name` (as the spec names it) with the value `value`, or why it cannot
    /// be one path segment, so that the URL sent names the resource asked for and nothing else:
    ///
    /// - an empty value, `.` or `..` would be dropped or resolved by the URL, which would then
    ///   address the collection itself: a get would read the list, an update by id would
    ///   create a customer;
    /// - a backslash is a path separator to the URL parser of `http` and `https` URLs (and is
    ///   not percent-encoded on the way), so `a\..\..` would climb out of `/customers/`;
    /// - a control character is no part of any id (it would be sent percent-encoded, and
    ///   answered 404); refused so that the mistake reads as one.
    pub(crate) fn checked<T: AsRef<str> + ?Sized>(
        name: &'static str,
        value: &'a T,
    ) -> Result<Self, InvalidPathSegment> {
        let value = value.as_ref();
        if matches!(value, "" | "." | "..") {
            return Err(InvalidPathSegment {
                name,
                problem: Problem::Empty,
            });
        }
        // Most ids are letters and digits: one check per byte tells that such a value needs
        // neither the search for refused characters nor the encoder's pieces.
        let plain = value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));
        if !plain && let Some((at, c)) = value.char_indices().find(|&(_, c)| refused(c)) {
            return Err(InvalidPathSegment {
                name,
                problem: Problem::Refused { at, c },
            });
        }
        Ok(PathSegment { value, plain })
    }
}

/// Whether a path segment cannot hold `c`: a backslash or a control character (see
/// [`PathSegment::checked`] for why).
fn refused(c: char) -> bool {
    c == '\\' || c.is_control()
}

impl fmt::Display for PathSegment<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.plain {
            return f.write_str(self.value);
        }
        // Encoding is byte by byte (a byte outside ASCII is always encoded): the pieces are
        // the runs of bytes left as they are and the encoded bytes between them.
        percent_encoding::utf8_percent_encode(self.value, PATH_SET)
            .try_for_each(|piece| f.write_str(piece))
    }
}

/// What the generator's `encode_path` encodes besides controls and every byte outside ASCII:
/// its set, byte for byte (a test compares the two).
const PATH_SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%');

/// A path parameter that cannot be one path segment: the operation returns it as
/// [`Error::InvalidRequest`](progenitor_client::Error::InvalidRequest), whose message names the
/// parameter and what is wrong, never the value (an id can be personal data).
#[derive(Debug)]
pub(crate) struct InvalidPathSegment {
    name: &'static str,
    problem: Problem,
}

#[derive(Debug)]
enum Problem {
    /// Empty, `.` or `..`.
    Empty,
    /// A backslash or a control character `c`, at byte `at`.
    Refused { at: usize, c: char },
}

impl fmt::Display for InvalidPathSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name;
        match self.problem {
            Problem::Empty => write!(f, "the path parameter {name} cannot be empty, `.` or `..`"),
            Problem::Refused { at, c: '\\' } => write!(
                f,
                "the path parameter {name} cannot contain a backslash (found at byte {at})"
            ),
            Problem::Refused { at, c } => write!(
                f,
                "the path parameter {name} cannot contain a control character (U+{:04X}) \
                 (found at byte {at})",
                u32::from(c)
            ),
        }
    }
}

/// What `?` makes of a refused path parameter in an operation method.
impl<E> From<InvalidPathSegment> for progenitor_client::Error<E> {
    fn from(invalid: InvalidPathSegment) -> Self {
        progenitor_client::Error::InvalidRequest(invalid.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::PathSegment;

    #[test]
    fn a_path_segment_is_encoded_as_the_generator_encodes_it() {
        // Every ASCII character but the backslash and the controls, which are refused.
        let mut every_char: String = (0u8..=0x7f)
            .map(char::from)
            .filter(|c| *c != '\\' && !c.is_control())
            .collect();
        every_char.push_str("é€😀\u{a0}\u{ffff}");
        for value in [
            every_char.as_str(),
            "1002580963",
            "a/b",
            "%2F",
            "a b?c#d",
            "...",
            "-_.~",
        ] {
            let segment = PathSegment::checked("customerId", value).unwrap();
            assert_eq!(
                segment.to_string(),
                progenitor_client::encode_path(value),
                "{value:?}"
            );
        }
    }

    #[test]
    fn a_value_that_cannot_be_one_segment_is_refused_with_what_is_wrong() {
        let refused = |value: &str| {
            PathSegment::checked("customerId", value)
                .err()
                .unwrap_or_else(|| panic!("{value:?} was accepted"))
                .to_string()
        };
        for value in ["", ".", ".."] {
            assert_eq!(
                refused(value),
                "the path parameter customerId cannot be empty, `.` or `..`"
            );
        }
        assert_eq!(
            refused("ab\\c"),
            "the path parameter customerId cannot contain a backslash (found at byte 2)"
        );
        // An ASCII control, a C1 control (two bytes in UTF-8) after a character of two bytes.
        assert_eq!(
            refused("a\u{7}"),
            "the path parameter customerId cannot contain a control character (U+0007) \
             (found at byte 1)"
        );
        assert_eq!(
            refused("é\u{85}b"),
            "the path parameter customerId cannot contain a control character (U+0085) \
             (found at byte 2)"
        );
        for value in ["\\", "\u{0}b", "\u{9f}", "\u{7f}", "x\\..\\.."] {
            refused(value);
        }
    }
}
