//! The request journal: the last [`KEPT`] requests to the API's operations, in arrival order,
//! for `GET /__admin/requests` and [`MockServer::requests`]; fewer when their bodies pass
//! [`KEPT_BODY_BYTES`]. (Not the data file's record of
//! unsaved changes, which is `crate::journal`.)
//!
//! [`MockServer::requests`]: crate::MockServer::requests

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use axum::http::{Method, Uri};
use serde::Serialize;
use serde_json::Value;

/// How many requests the journal keeps; older ones are forgotten.
pub const KEPT: usize = 10_000;

/// How many bytes of request bodies the journal keeps: beyond them the oldest requests are
/// forgotten, whole, even when fewer than [`KEPT`] are kept. Bodies of the default largest
/// size (64 KiB) would otherwise hold 640 MB; customers of a few hundred bytes never reach it.
pub const KEPT_BODY_BYTES: usize = 64 * 1024 * 1024;

/// One request, as the emulator saw it: what the log line and the journal are made of.
#[derive(Debug)]
pub(crate) struct Seen {
    pub(crate) at: SystemTime,
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    pub(crate) target: Target,
    /// `None`: nothing was answered (the connection was closed).
    pub(crate) status: Option<u16>,
    /// The fault that applied: `status`, `drop`, `drop-after-commit` or `delay`.
    pub(crate) fault: Option<&'static str>,
    pub(crate) latency: Duration,
    /// The body as received (`None`: none, or longer than the emulator accepts).
    pub(crate) body: Option<Bytes>,
}

/// A request's path and query as sent, in memory of its own. Not a clone of hyper's `Uri`: that
/// shares the buffer hyper read the request into, so the journal's 10,000 would keep as many
/// read buffers alive, and each connection would read its next request into a new one.
#[derive(Debug, Default)]
pub(crate) struct Target(Box<str>);

impl Target {
    pub(crate) fn of(uri: &Uri) -> Target {
        Target(
            uri.path_and_query()
                .map_or(uri.path(), |pq| pq.as_str())
                .into(),
        )
    }

    pub(crate) fn path(&self) -> &str {
        self.0.split_once('?').map_or(&self.0, |(path, _)| path)
    }

    /// The query, without the `?`; `None` when there was none.
    pub(crate) fn query(&self) -> Option<&str> {
        self.0.split_once('?').map(|(_, query)| query)
    }
}

/// A request in the journal.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedRequest {
    /// The `operationId` of the spec.
    pub operation: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, such as `/api/v1/customers/1000000001`.
    pub path: String,
    /// The query string, without the `?`; `None` when there was none.
    pub query: Option<String>,
    /// The status answered; `None` when nothing was (a fault closed the connection).
    pub status: Option<u16>,
    /// The fault that applied (`status`, `drop`, `drop-after-commit`, `delay`), if any.
    pub fault: Option<String>,
    /// Milliseconds from the request's arrival to its answer (or to the connection's close).
    pub latency_ms: u64,
    /// The JSON body sent; `None` when there was none or it was not JSON.
    pub body: Option<Value>,
}

impl From<&Seen> for RecordedRequest {
    fn from(seen: &Seen) -> RecordedRequest {
        RecordedRequest {
            operation: seen.operation.to_owned(),
            method: seen.method.as_str().to_owned(),
            path: seen.target.path().to_owned(),
            query: seen.target.query().map(str::to_owned),
            status: seen.status,
            fault: seen.fault.map(str::to_owned),
            latency_ms: u64::try_from(seen.latency.as_millis()).unwrap_or(u64::MAX),
            body: seen
                .body
                .as_ref()
                .filter(|b| !b.is_empty())
                .and_then(|b| serde_json::from_slice(b).ok()),
        }
    }
}

/// The last [`KEPT`] requests, within [`KEPT_BODY_BYTES`].
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    kept: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    requests: VecDeque<Arc<Seen>>,
    /// The length of every body in `requests`.
    body_bytes: usize,
}

fn body_len(seen: &Seen) -> usize {
    seen.body.as_ref().map_or(0, Bytes::len)
}

impl RequestLog {
    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds a request at the end, forgetting the oldest beyond [`KEPT`] requests or
    /// [`KEPT_BODY_BYTES`] of bodies. The newest is always kept.
    pub(crate) fn push(&self, seen: Arc<Seen>) {
        let mut kept = self.kept();
        kept.body_bytes += body_len(&seen);
        kept.requests.push_back(seen);
        while kept.requests.len() > KEPT
            || (kept.body_bytes > KEPT_BODY_BYTES && kept.requests.len() > 1)
        {
            if let Some(oldest) = kept.requests.pop_front() {
                kept.body_bytes -= body_len(&oldest);
            }
        }
    }

    /// Every request kept, oldest first.
    pub(crate) fn all(&self) -> Vec<RecordedRequest> {
        let kept: Vec<Arc<Seen>> = self.kept().requests.iter().cloned().collect();
        kept.iter().map(|s| RecordedRequest::from(&**s)).collect()
    }

    pub(crate) fn clear(&self) {
        *self.kept() = Kept::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(n: usize) -> Arc<Seen> {
        with_body(n, Bytes::from_static(b"{\"name\":\"x\"}"))
    }

    fn with_body(n: usize, body: Bytes) -> Arc<Seen> {
        Arc::new(Seen {
            at: SystemTime::now(),
            operation: "getCustomer",
            method: Method::GET,
            target: Target::of(&format!("/api/v1/customers/{n}?a=b").parse().unwrap()),
            status: None,
            fault: Some("drop"),
            latency: Duration::from_millis(3),
            body: Some(body),
        })
    }

    #[test]
    fn a_target_keeps_the_path_and_the_query_as_sent() {
        let of = |uri: &str| Target::of(&uri.parse().unwrap());
        let target = of("/api/v1/customers?externalId=a%40b&x=1");
        assert_eq!(target.path(), "/api/v1/customers");
        assert_eq!(target.query(), Some("externalId=a%40b&x=1"));
        assert_eq!(of("/api/v1/customers/7").query(), None);
        assert_eq!(of("/api/v1/customers?").query(), Some(""));
        assert_eq!(of("/api/v1/customers?").path(), "/api/v1/customers");
    }

    #[test]
    fn keeps_the_last_ten_thousand_in_arrival_order() {
        let log = RequestLog::default();
        for n in 0..KEPT + 5 {
            log.push(seen(n));
        }
        let all = log.all();
        assert_eq!(all.len(), KEPT);
        assert_eq!(all[0].path, "/api/v1/customers/5");
        assert_eq!(
            all[KEPT - 1].path,
            format!("/api/v1/customers/{}", KEPT + 4)
        );
        assert_eq!(all[0].query.as_deref(), Some("a=b"));
        assert_eq!(all[0].status, None);
        assert_eq!(all[0].latency_ms, 3);
        assert_eq!(all[0].body, Some(serde_json::json!({"name": "x"})));
        log.clear();
        assert!(log.all().is_empty());
    }

    #[test]
    fn keeps_no_more_than_its_bytes_of_bodies_forgetting_whole_requests() {
        let log = RequestLog::default();
        let quarter = KEPT_BODY_BYTES / 4;
        for n in 0..4 {
            log.push(with_body(n, Bytes::from(vec![b' '; quarter])));
        }
        assert_eq!(log.all().len(), 4, "exactly the limit is kept");
        log.push(seen(4));
        let paths: Vec<String> = log.all().into_iter().map(|r| r.path).collect();
        assert_eq!(paths.len(), 4, "the oldest is forgotten: {paths:?}");
        assert_eq!(paths[0], "/api/v1/customers/1");
        assert_eq!(paths[3], "/api/v1/customers/4");
        // A body larger than the whole budget: only the newest request is kept.
        log.push(with_body(5, Bytes::from(vec![b' '; KEPT_BODY_BYTES + 1])));
        let paths: Vec<String> = log.all().into_iter().map(|r| r.path).collect();
        assert_eq!(paths, ["/api/v1/customers/5"]);
        // Cleared, the count starts again: four quarters fit.
        log.clear();
        for n in 0..4 {
            log.push(with_body(n, Bytes::from(vec![b' '; quarter])));
        }
        assert_eq!(log.all().len(), 4);
    }

    #[test]
    fn ten_thousand_bodies_of_six_kib_are_all_kept() {
        // What the 64 MiB are for: a full journal of large customers (a few hundred bytes is
        // usual) fits; the bytes are one static slice, so the test allocates none of them.
        static BODY: [u8; 6 * 1024] = [b' '; 6 * 1024];
        let log = RequestLog::default();
        for n in 0..KEPT {
            log.push(with_body(n, Bytes::from_static(&BODY)));
        }
        assert_eq!(log.all().len(), KEPT);
        assert_eq!(
            KEPT_BODY_BYTES,
            64 * 1024 * 1024,
            "as the README and admin.yaml say"
        );
    }
}
