//! When to try a request again, and how long to wait first.

use std::time::Duration;

use crate::error::Error;

/// Bounded exponential backoff with jitter.
///
/// # What is retried
///
/// A failure is retried when both hold:
///
/// 1. **The failure may be temporary**: a transport failure (connection refused or reset, DNS,
///    TLS), a timeout, or HTTP 429, 502, 503 or 504 ([`Error::is_retryable`]). Other statuses
///    (400, 401, 404, 500, ...) are answers, and are returned at once.
/// 2. **Repeating the request is safe**, as the spec says of each operation:
///    - a `GET` changes nothing;
///    - a `POST` marked `x-idempotent` (update by id: applying the same changes twice gives
///      the same record);
///    - a `POST` marked `x-idempotent-when-given`, when the request gives one of the listed
///      parameters or properties, non-empty (create-or-update that names its customer by
///      `externalId`, in the query or the body, or by `customerId`: a repeat updates the same
///      record rather than creating another);
///    - any other `POST` (a create-or-update that names no customer creates a new one each
///      time it reaches the server) is **never retried once it may have reached the server**.
///      It is retried only when the connection could not be opened at all (nothing was sent).
///
/// # How long to wait
///
/// Before retry *n* (1-based) the client waits a random time between half and all of
/// `min(max_delay, base_delay × 2^(n-1))` ("equal jitter": spread out, never close to zero).
/// If the response carried `Retry-After` (seconds or an HTTP date), that delay is used instead.
/// A `Retry-After` longer than `max_delay` ends the retries: the error is returned at once,
/// rather than waiting longer than allowed or retrying sooner than the server asked.
///
/// Each attempt gets the full [timeout](crate::ClientBuilder::timeout).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 3 retries (4 attempts at most), 200 ms base delay, 5 s maximum delay.
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is attempted once.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// How many times to retry after the first attempt.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The delay before the first retry, doubled for each further one.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest delay between attempts, also the longest `Retry-After` honoured.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The configured number of retries.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// The delay before retry number `retry` (1-based) after `error`, or `None` to give up.
    pub(crate) fn delay_before(&self, retry: u32, error: &Error) -> Option<Duration> {
        if retry > self.max_retries {
            return None;
        }
        if let Some(asked) = error.retry_after() {
            return (asked <= self.max_delay).then_some(asked);
        }
        let exp = self.base_delay.saturating_mul(
            1u32.checked_shl(retry.saturating_sub(1))
                .unwrap_or(u32::MAX),
        );
        let ceiling = exp.min(self.max_delay);
        let half = ceiling / 2;
        let spread = (ceiling - half).as_nanos() as u64;
        Some(half + Duration::from_nanos(fastrand::u64(0..=spread)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use crate::retry_after::parse_retry_after;
    use reqwest::header::{HeaderMap, RETRY_AFTER};

    fn server_error() -> Error {
        Error::new(ErrorKind::Server, "").with_status(Some(503))
    }

    #[test]
    fn backoff_grows_within_bounds_and_stops() {
        let p = RetryPolicy::default()
            .max_retries(5)
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350));
        let e = server_error();
        for _ in 0..200 {
            let d1 = p.delay_before(1, &e).unwrap();
            assert!(d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100));
            let d2 = p.delay_before(2, &e).unwrap();
            assert!(d2 >= Duration::from_millis(100) && d2 <= Duration::from_millis(200));
            let d4 = p.delay_before(4, &e).unwrap();
            assert!(d4 >= Duration::from_millis(175) && d4 <= Duration::from_millis(350));
        }
        assert_eq!(p.delay_before(6, &e), None);
        assert_eq!(RetryPolicy::none().delay_before(1, &e), None);
        assert!(p.delay_before(40, &e).is_none());
    }

    #[test]
    fn the_number_of_retries_is_what_was_set() {
        assert_eq!(RetryPolicy::default().retries(), 3);
        assert_eq!(RetryPolicy::none().retries(), 0);
        assert_eq!(RetryPolicy::default().max_retries(7).retries(), 7);
    }

    #[test]
    fn retry_after_is_used_and_bounded() {
        let p = RetryPolicy::default().max_delay(Duration::from_secs(2));
        let e = server_error().with_retry_after(Some(Duration::from_secs(1)));
        assert_eq!(p.delay_before(1, &e), Some(Duration::from_secs(1)));
        let e = server_error().with_retry_after(Some(Duration::from_secs(3)));
        assert_eq!(p.delay_before(1, &e), None);
    }

    #[test]
    fn a_retry_after_too_large_for_a_u64_ends_the_retries() {
        // Once read as "no header", which meant a retry within a fraction of a second.
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "99999999999999999999999".parse().unwrap());
        let asked = parse_retry_after(&h);
        assert_eq!(asked, Some(Duration::MAX));
        let e = server_error().with_retry_after(asked);
        assert_eq!(RetryPolicy::default().delay_before(1, &e), None);
    }
}
