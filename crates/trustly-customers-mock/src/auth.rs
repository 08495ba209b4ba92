//! HTTP Basic, checked against the configured `accessId` and `accessKey`.

use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The credentials a request must carry.
pub(crate) struct BasicAuth {
    access_id: String,
    access_key: String,
    /// `Basic base64(id:key)` as clients normally send it: compared first, without decoding.
    expected_header: Vec<u8>,
}

impl std::fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BasicAuth")
            .field("access_id", &self.access_id)
            .field("access_key", &"<redacted>")
            .finish()
    }
}

impl BasicAuth {
    pub(crate) fn new(access_id: &str, access_key: &str) -> Self {
        let encoded = STANDARD.encode(format!("{access_id}:{access_key}"));
        BasicAuth {
            access_id: access_id.to_owned(),
            access_key: access_key.to_owned(),
            expected_header: format!("Basic {encoded}").into_bytes(),
        }
    }

    /// Whether the request's `Authorization` header carries these credentials.
    pub(crate) fn allows(&self, headers: &HeaderMap) -> bool {
        let mut values = headers.get_all(header::AUTHORIZATION).iter();
        let (Some(value), None) = (values.next(), values.next()) else {
            return false;
        };
        value.as_bytes() == self.expected_header || self.allows_decoded(value)
    }

    /// The slow path: any capitalisation of the scheme, padding differences, extra spaces.
    fn allows_decoded(&self, value: &HeaderValue) -> bool {
        let Ok(text) = value.to_str() else {
            return false;
        };
        let Some((scheme, token)) = text.trim().split_once(' ') else {
            return false;
        };
        if !scheme.eq_ignore_ascii_case("basic") {
            return false;
        }
        let token = token.trim().trim_end_matches('=');
        let Ok(decoded) = base64::engine::general_purpose::STANDARD_NO_PAD.decode(token) else {
            return false;
        };
        let Ok(decoded) = String::from_utf8(decoded) else {
            return false;
        };
        decoded.split_once(':') == Some((self.access_id.as_str(), self.access_key.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append(header::AUTHORIZATION, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    #[test]
    fn accepts_the_right_credentials_in_any_usual_spelling() {
        let auth = BasicAuth::new("id", "key:with:colons");
        let token = STANDARD.encode("id:key:with:colons");
        assert!(auth.allows(&headers(&[&format!("Basic {token}")])));
        assert!(auth.allows(&headers(&[&format!("basic  {token}")])));
        assert!(auth.allows(&headers(&[&format!(
            "BASIC {}",
            token.trim_end_matches('=')
        )])));
    }

    #[test]
    fn refuses_missing_wrong_malformed_and_repeated_credentials() {
        let auth = BasicAuth::new("id", "key");
        let good = format!("Basic {}", STANDARD.encode("id:key"));
        assert!(!auth.allows(&HeaderMap::new()));
        assert!(!auth.allows(&headers(&[&format!(
            "Basic {}",
            STANDARD.encode("id:nope")
        )])));
        assert!(!auth.allows(&headers(&[&format!(
            "Basic {}",
            STANDARD.encode("other:key")
        )])));
        assert!(!auth.allows(&headers(&[&format!("Basic {}", STANDARD.encode("idkey"))])));
        assert!(!auth.allows(&headers(&["Basic !!!not-base64"])));
        assert!(!auth.allows(&headers(&["Bearer abc"])));
        assert!(!auth.allows(&headers(&["Basic"])));
        assert!(!auth.allows(&headers(&[&good, &good])));
    }

    #[test]
    fn debug_hides_the_key() {
        let text = format!("{:?}", BasicAuth::new("id", "secret-key"));
        assert!(!text.contains("secret-key"), "{text}");
    }
}
