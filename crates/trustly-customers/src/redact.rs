//! The one redactor of every text the client shows: its errors (detail, Trustly's `errors[]`,
//! body excerpts, causes) and, through [`Client::redactor`](crate::Client::redactor), what a
//! program built on it writes (the command line's failure line and `-v` log). It removes the
//! configured credentials, wherever they came from: most often a server that quotes a request
//! back, its `Authorization` header included.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};

/// What a credential is replaced with.
pub const REDACTED: &str = "<redacted>";

/// The fewest characters a credential must have to be looked for on its own.
///
/// A shorter one (an access id of one to three characters, say) is left in text: it would match
/// inside ordinary words and numbers (an id `a` in every "a", an id `40` in "HTTP 400") and
/// garble every message, while hiding nothing a guess would not find. It is still removed as
/// part of the `Authorization` value, whose token is always long enough, and the access key of
/// a real account is far longer.
pub const MIN_SECRET_CHARS: usize = 4;

/// Removes the client's credentials from a text: the access key, the access id and the token
/// of the `Authorization` value (`Basic <token>`, also without its `=` padding), each matched
/// whatever the case of its ASCII letters, and each replaced by [`REDACTED`]. Credentials
/// shorter than [`MIN_SECRET_CHARS`] are not looked for on their own (see there).
///
/// Made from the client's [`Credentials`](crate::Credentials) when it is built, and shared by
/// its clones. It works only when a text is shown: when an error is made, or a log line
/// written; a call that succeeds never uses it.
///
/// ```
/// use trustly_customers::{Client, Credentials};
///
/// # fn main() -> Result<(), trustly_customers::Error> {
/// let client = Client::builder(Credentials::new("my-access-id", "my-access-key")).build()?;
/// let shown = client.redactor().redact("refused: MY-ACCESS-KEY is not valid");
/// assert_eq!(shown, "refused: <redacted> is not valid");
/// // Its Debug says how many credentials it holds, never one of them.
/// assert_eq!(format!("{:?}", client.redactor()), "Redactor { secrets: 3 }");
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Redactor {
    /// Longest first, so that a credential holding another is replaced whole.
    secrets: Arc<[SecretString]>,
}

impl Redactor {
    /// A redactor of `secrets`, leaving out those too short to look for.
    pub(crate) fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Redactor {
        let mut kept: Vec<&str> = secrets.into_iter().filter(|s| long_enough(s)).collect();
        kept.sort_by_key(|s| std::cmp::Reverse(s.len()));
        kept.dedup();
        Redactor {
            secrets: kept.into_iter().map(SecretString::from).collect(),
        }
    }

    /// `text` with every credential replaced by [`REDACTED`]; borrowed when it holds none.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut redacted: Option<String> = None;
        // `text[copied..]` is not yet in `redacted`.
        let mut copied = 0;
        while let Some((at, len)) = self.next_secret(text.as_bytes(), copied) {
            // A match starts and ends on character boundaries: the credential is UTF-8, and
            // only ASCII letters match in another case (to ASCII letters).
            let out = redacted.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[copied..at]);
            out.push_str(REDACTED);
            copied = at + len;
        }
        match redacted {
            None => Cow::Borrowed(text),
            Some(mut out) => {
                out.push_str(&text[copied..]);
                Cow::Owned(out)
            }
        }
    }

    /// [`redact`](Self::redact) of a string held, in place.
    pub(crate) fn redact_in_place(&self, text: &mut String) {
        if let Cow::Owned(redacted) = self.redact(text) {
            *text = redacted;
        }
    }

    /// [`redact`](Self::redact) of every string value in `json`, at any depth, in place.
    /// (Property names are left: they are the ones the value's type declares.)
    pub(crate) fn redact_json(&self, json: &mut serde_json::Value) {
        use serde_json::Value;
        match json {
            Value::String(text) => self.redact_in_place(text),
            Value::Array(items) => items.iter_mut().for_each(|item| self.redact_json(item)),
            Value::Object(object) => object
                .values_mut()
                .for_each(|value| self.redact_json(value)),
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    /// Where the first credential in `text` from byte `from` on starts, and its length in bytes.
    fn next_secret(&self, text: &[u8], from: usize) -> Option<(usize, usize)> {
        (from..text.len()).find_map(|at| self.secret_at(&text[at..]).map(|len| (at, len)))
    }

    /// The length in bytes of the credential `text` starts with, if it starts with one.
    fn secret_at(&self, text: &[u8]) -> Option<usize> {
        self.secrets.iter().find_map(|secret| {
            let secret = secret.expose_secret().as_bytes();
            text.get(..secret.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(secret))
                .then_some(secret.len())
        })
    }
}

/// Whether a credential is long enough to be looked for on its own ([`MIN_SECRET_CHARS`]).
fn long_enough(secret: &str) -> bool {
    secret.chars().count() >= MIN_SECRET_CHARS
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("secrets", &self.secrets.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor() -> Redactor {
        Redactor::new(["access-key-1", "access-id", "YWNjZXNz"])
    }

    #[test]
    fn every_credential_is_replaced_wherever_it_stands() {
        let r = redactor();
        assert_eq!(
            r.redact("access-id:access-key-1 sent Basic YWNjZXNz=="),
            "<redacted>:<redacted> sent Basic <redacted>=="
        );
        assert_eq!(r.redact("access-key-1"), "<redacted>");
        assert_eq!(r.redact("xaccess-idx"), "x<redacted>x");
        // Next to each other, and at the very end.
        assert_eq!(r.redact("access-idaccess-id"), "<redacted><redacted>");
        assert_eq!(r.redact("… ends with access-id"), "… ends with <redacted>");
    }

    #[test]
    fn every_string_of_json_is_redacted_at_any_depth_and_nothing_else_changes() {
        let mut json = serde_json::json!({
            "access-id": "a access-id",
            "list": ["access-key-1", 1, null, true, {"deep": ["x YWNjZXNz"]}],
            "n": 7
        });
        redactor().redact_json(&mut json);
        assert_eq!(
            json,
            serde_json::json!({
                "access-id": "a <redacted>",
                "list": ["<redacted>", 1, null, true, {"deep": ["x <redacted>"]}],
                "n": 7
            })
        );
    }

    #[test]
    fn a_text_without_credentials_is_borrowed_as_it_is() {
        let r = redactor();
        for text in ["", "no secret here", "access-i", "accessid", "é access-k€y"] {
            assert!(
                matches!(r.redact(text), Cow::Borrowed(t) if t == text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn letters_match_in_any_case_and_nothing_else_does() {
        let r = redactor();
        assert_eq!(
            r.redact("ACCESS-KEY-1 and Access-Id"),
            "<redacted> and <redacted>"
        );
        // Base64 in another case is another token, but shows the same secret to a reader.
        assert_eq!(r.redact("ywnjzxnz"), "<redacted>");
        assert_eq!(r.redact("access_id"), "access_id");
    }

    #[test]
    fn the_longest_credential_is_replaced_whole() {
        // The key holds the id: it is not left half shown as `<redacted>-key`.
        let r = Redactor::new(["abcd", "abcd-key"]);
        assert_eq!(r.redact("x abcd-key y abcd"), "x <redacted> y <redacted>");
        let r = Redactor::new(["abcd-key", "abcd"]);
        assert_eq!(r.redact("x abcd-key y abcd"), "x <redacted> y <redacted>");
    }

    #[test]
    fn credentials_shorter_than_the_minimum_are_left_in_text() {
        let r = Redactor::new(["abc", "abcd"]);
        assert_eq!(r.redact("abc abcd"), "abc <redacted>");
        // Counted in characters, not bytes: three characters of six bytes are too short.
        let r = Redactor::new(["ééé", "éééé"]);
        assert_eq!(r.redact("ééé éééé"), "ééé <redacted>");
        assert_eq!(format!("{r:?}"), "Redactor { secrets: 1 }");
    }

    #[test]
    fn text_around_a_credential_outside_ascii_is_kept_whole() {
        let r = Redactor::new(["clé-secrète"]);
        assert_eq!(
            r.redact("ça: CLÉ-SECRÈTE, clé-secrète!"),
            "ça: CLÉ-SECRÈTE, <redacted>!"
        );
    }

    #[test]
    fn in_place_changes_only_a_text_with_a_credential() {
        let r = redactor();
        let mut text = String::from("id access-id");
        r.redact_in_place(&mut text);
        assert_eq!(text, "id <redacted>");
        let mut text = String::from("nothing");
        r.redact_in_place(&mut text);
        assert_eq!(text, "nothing");
    }

    #[test]
    fn debug_counts_the_credentials_and_shows_none() {
        let text = format!("{:?}", redactor());
        assert_eq!(text, "Redactor { secrets: 3 }");
        let r = Redactor::new(["same", "same"]);
        assert_eq!(format!("{r:?}"), "Redactor { secrets: 1 }");
    }
}
