//! The `Retry-After` header of a response, as the delay it asks for.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// `Retry-After` as a delay: delta-seconds, or an HTTP date (in the past means now).
///
/// A count of seconds too large for a `u64` is still a count of seconds: it reads as the
/// longest delay there is, so it ends the retries (as any delay over the policy's maximum
/// does) instead of being taken for no header at all and retried at once.
pub(crate) fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(
            value
                .parse::<u64>()
                .map_or(Duration::MAX, Duration::from_secs),
        );
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(parse_retry_after(&h), Some(Duration::from_secs(2)));
        h.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(parse_retry_after(&h), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(parse_retry_after(&h), None);
        h.insert(RETRY_AFTER, "-5".parse().unwrap());
        assert_eq!(parse_retry_after(&h), None);
        h.insert(RETRY_AFTER, "0".parse().unwrap());
        assert_eq!(parse_retry_after(&h), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, "18446744073709551615".parse().unwrap());
        assert_eq!(parse_retry_after(&h), Some(Duration::from_secs(u64::MAX)));
    }
}
