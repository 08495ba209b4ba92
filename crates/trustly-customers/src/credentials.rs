//! The merchant's credentials, and the redactor that keeps them out of every text shown.

use std::fmt;

use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};
use trustly_customers_api::RequestSettings;

use crate::redact::Redactor;

/// A merchant's API credentials: the `accessId` and `accessKey` Trustly provisions.
///
/// Both are held as secrets: `Debug` prints neither, nothing in this crate logs them, and the
/// client's [`Redactor`] removes them (and the `Authorization` value made of them) from every
/// text it shows, server answers that quote them included.
#[derive(Clone)]
pub struct Credentials {
    access_id: SecretString,
    access_key: SecretString,
}

impl Credentials {
    /// Credentials from an access id and access key.
    pub fn new(access_id: impl Into<String>, access_key: impl Into<String>) -> Self {
        Self {
            access_id: SecretString::from(access_id.into()),
            access_key: SecretString::from(access_key.into()),
        }
    }

    /// The `Authorization` value of these credentials (HTTP Basic), marked sensitive.
    pub(crate) fn authorization(&self) -> HeaderValue {
        RequestSettings::basic_auth_header(
            self.access_id.expose_secret(),
            self.access_key.expose_secret(),
        )
    }

    /// `(access id, access key)`, for the generated client's settings.
    pub(crate) fn expose(&self) -> (&str, &str) {
        (
            self.access_id.expose_secret(),
            self.access_key.expose_secret(),
        )
    }

    /// The redactor of these credentials: the access key, the access id, and the token of
    /// their `Authorization` value (`Basic <token>`). The token is looked for without its `=`
    /// padding, which a server quoting it may drop; the token so cut is still a prefix of the
    /// padded one, so both are found.
    pub(crate) fn redactor(&self) -> Redactor {
        let authorization = self.authorization();
        let token = authorization
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Basic "))
            .unwrap_or_default()
            .trim_end_matches('=');
        let (id, key) = self.expose();
        Redactor::new([key, id, token])
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Credentials { access_id: <redacted>, access_key: <redacted> }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_debug_shows_neither_part() {
        let c = Credentials::new("my-access-id", "my-access-key");
        let s = format!("{c:?}");
        assert!(!s.contains("my-access"), "{s}");
        // What it is, and that both parts are there.
        assert_eq!(
            s,
            "Credentials { access_id: <redacted>, access_key: <redacted> }"
        );
    }

    #[test]
    fn the_redactor_removes_the_key_the_id_and_the_authorization_token() {
        // base64("my-id:my-access-key") = "bXktaWQ6bXktYWNjZXNzLWtleQ==": padded, so a server
        // may quote it without its `==`.
        let c = Credentials::new("my-id", "my-access-key");
        assert_eq!(
            c.authorization().to_str().unwrap(),
            "Basic bXktaWQ6bXktYWNjZXNzLWtleQ=="
        );
        let r = c.redactor();
        assert_eq!(
            r.redact("key my-access-key, id my-id, sent Authorization: Basic bXktaWQ6bXktYWNjZXNzLWtleQ=="),
            "key <redacted>, id <redacted>, sent Authorization: Basic <redacted>=="
        );
        assert_eq!(
            r.redact("token bXktaWQ6bXktYWNjZXNzLWtleQ, cut"),
            "token <redacted>, cut"
        );
        assert_eq!(format!("{r:?}"), "Redactor { secrets: 3 }");
    }

    #[test]
    fn a_short_access_id_is_left_but_the_key_and_token_are_removed() {
        // base64("ab:key-of-mine") = "YWI6a2V5LW9mLW1pbmU="
        let r = Credentials::new("ab", "key-of-mine").redactor();
        assert_eq!(
            r.redact("ab key-of-mine YWI6a2V5LW9mLW1pbmU"),
            "ab <redacted> <redacted>"
        );
        assert_eq!(format!("{r:?}"), "Redactor { secrets: 2 }");
    }
}
