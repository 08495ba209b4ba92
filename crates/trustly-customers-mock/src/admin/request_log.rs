//! The request journal: the last [`KEPT`] requests to the API's operations, in arrival order,
//! for `GET /__admin/requests` and [`MockServer::requests`]; fewer when their bodies pass
//! [`KEPT_BODY_BYTES`]. (Not the data file's record of
//! unsaved changes, which is `crate::journal`.)
//!
//! [`MockServer::requests`]: crate::MockServer::requests

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

/// What the journal and the log both say of a request, besides where it went and when it
/// arrived.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    /// `None`: nothing was answered (the connection was closed).
    pub(crate) status: Option<u16>,
    /// The fault that applied: `status`, `drop`, `drop-after-commit` or `delay`.
    pub(crate) fault: Option<&'static str>,
    pub(crate) latency: Duration,
}

/// One request, as the emulator saw it: what the log line and the journal entry are made of.
/// It borrows the request's target and outcome, which the journal and the log copy into
/// buffers they reuse, so that recording a request allocates nothing once they are warm.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seen<'a> {
    /// When it arrived (the log turns it into a time of day).
    pub(crate) arrived: Instant,
    /// The path and query as sent, as bytes: hyper checked them, and a check of UTF-8 here
    /// would be paid for every request, to be read by few.
    pub(crate) target: &'a [u8],
    /// Where the path ends in `target` (the log's lines keep only the path).
    pub(crate) path_len: usize,
    pub(crate) outcome: &'a Outcome,
}

impl<'a> Seen<'a> {
    pub(crate) fn path(&self) -> &'a [u8] {
        &self.target[..self.path_len]
    }
}

/// A request's path and query as sent, and where the path ends in it.
pub(crate) fn target(uri: &Uri) -> (&str, usize) {
    match uri.path_and_query() {
        // Where the query starts is known: no search for the `?`.
        Some(pq) => {
            let target = pq.as_str();
            let query = pq.query().map_or(0, |q| q.len() + 1);
            (target, target.len().saturating_sub(query))
        }
        None => (uri.path(), uri.path().len()),
    }
}

/// A target's path, and its query without the `?` (`None` when there was none).
fn path_and_query(target: &[u8], path_len: usize) -> (String, Option<String>) {
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let (path, rest) = target.split_at(path_len.min(target.len()));
    (text(path), rest.strip_prefix(b"?").map(text))
}

/// A request as the journal keeps it. Its target is a copy in memory of its own, not a clone of
/// hyper's `Uri`: that shares the buffer hyper read the request into, so the journal's 10,000
/// would keep as many read buffers alive, and each connection would read its next request into
/// a new one. Once the journal is full, the oldest entry's memory is reused for the newest.
#[derive(Debug, Clone)]
struct Kept {
    outcome: Outcome,
    target: Vec<u8>,
    path_len: usize,
    /// The body as received (`None`: none, or longer than the emulator accepts).
    body: Option<Bytes>,
}

impl Kept {
    fn set(&mut self, seen: &Seen<'_>, body: Option<Bytes>) {
        self.outcome.clone_from(seen.outcome);
        self.target.clear();
        self.target.extend_from_slice(seen.target);
        self.path_len = seen.path_len;
        self.body = body;
    }

    fn body_len(&self) -> usize {
        self.body.as_ref().map_or(0, Bytes::len)
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

impl From<&Kept> for RecordedRequest {
    fn from(kept: &Kept) -> RecordedRequest {
        let (path, query) = path_and_query(&kept.target, kept.path_len);
        let outcome = &kept.outcome;
        RecordedRequest {
            operation: outcome.operation.to_owned(),
            method: outcome.method.as_str().to_owned(),
            path,
            query,
            status: outcome.status,
            fault: outcome.fault.map(str::to_owned),
            latency_ms: u64::try_from(outcome.latency.as_millis()).unwrap_or(u64::MAX),
            body: kept
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
    journal: Mutex<Journal>,
}

#[derive(Debug, Default)]
struct Journal {
    requests: VecDeque<Kept>,
    /// The length of every body in `requests`.
    body_bytes: usize,
}

impl RequestLog {
    fn journal(&self) -> std::sync::MutexGuard<'_, Journal> {
        self.journal.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds a request at the end, forgetting the oldest beyond [`KEPT`] requests or
    /// [`KEPT_BODY_BYTES`] of bodies. The newest is always kept.
    pub(crate) fn push(&self, seen: &Seen<'_>, body: Option<Bytes>) {
        let mut journal = self.journal();
        let journal = &mut *journal;
        let oldest = match journal.requests.len() {
            KEPT.. => journal.requests.pop_front(),
            _ => None,
        };
        let kept = match oldest {
            Some(mut oldest) => {
                journal.body_bytes -= oldest.body_len();
                oldest.set(seen, body);
                oldest
            }
            None => Kept {
                outcome: seen.outcome.clone(),
                target: seen.target.to_owned(),
                path_len: seen.path_len,
                body,
            },
        };
        journal.body_bytes += kept.body_len();
        journal.requests.push_back(kept);
        while journal.body_bytes > KEPT_BODY_BYTES && journal.requests.len() > 1 {
            if let Some(oldest) = journal.requests.pop_front() {
                journal.body_bytes -= oldest.body_len();
            }
        }
    }

    /// Every request kept, oldest first.
    pub(crate) fn all(&self) -> Vec<RecordedRequest> {
        // Copied under the lock, read into JSON after it: requests wait for no parsing.
        let kept: Vec<Kept> = self.journal().requests.iter().cloned().collect();
        kept.iter().map(RecordedRequest::from).collect()
    }

    pub(crate) fn clear(&self) {
        *self.journal() = Journal::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Journals the request `n`, with a small JSON body.
    fn push(log: &RequestLog, n: usize) {
        push_with_body(log, n, Bytes::from_static(b"{\"name\":\"x\"}"));
    }

    fn push_with_body(log: &RequestLog, n: usize, body: Bytes) {
        let target = format!("/api/v1/customers/{n}?a=b");
        let seen = Seen {
            arrived: Instant::now(),
            target: target.as_bytes(),
            path_len: target.len() - "?a=b".len(),
            outcome: &Outcome {
                operation: "getCustomer",
                method: Method::GET,
                status: None,
                fault: Some("drop"),
                latency: Duration::from_millis(3),
            },
        };
        log.push(&seen, Some(body));
    }

    #[test]
    fn a_target_splits_into_its_path_and_query() {
        let of = |uri: &str| {
            let uri: Uri = uri.parse().unwrap();
            let (target, path_len) = target(&uri);
            let (path, query) = path_and_query(target.as_bytes(), path_len);
            (target.to_owned(), path, query)
        };
        let split = |target: &str, path: &str, query: Option<&str>| {
            (target.to_owned(), path.to_owned(), query.map(str::to_owned))
        };
        let sent = "/api/v1/customers?externalId=a%40b&x=1";
        assert_eq!(
            of(sent),
            split(sent, "/api/v1/customers", Some("externalId=a%40b&x=1"))
        );
        let sent = "/api/v1/customers/7";
        assert_eq!(of(sent), split(sent, sent, None));
        let sent = "/api/v1/customers?";
        assert_eq!(of(sent), split(sent, "/api/v1/customers", Some("")));
        let sent = "http://localhost:8080/api?x";
        assert_eq!(of(sent), split("/api?x", "/api", Some("x")));
    }

    #[test]
    fn keeps_the_last_ten_thousand_in_arrival_order() {
        let log = RequestLog::default();
        for n in 0..KEPT + 5 {
            push(&log, n);
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
    fn an_entry_that_reuses_the_oldest_ones_memory_keeps_nothing_of_it() {
        let log = RequestLog::default();
        for n in 0..KEPT {
            push(&log, n);
        }
        let newest = Seen {
            arrived: Instant::now(),
            target: b"/x",
            path_len: 2,
            outcome: &Outcome {
                operation: "listCustomers",
                method: Method::PUT,
                status: Some(201),
                fault: None,
                latency: Duration::from_millis(9),
            },
        };
        log.push(&newest, None);
        let all = log.all();
        assert_eq!(all.len(), KEPT);
        assert_eq!(all[0].path, "/api/v1/customers/1");
        assert_eq!(
            all[KEPT - 1],
            RecordedRequest {
                operation: "listCustomers".into(),
                method: "PUT".into(),
                path: "/x".into(),
                query: None,
                status: Some(201),
                fault: None,
                latency_ms: 9,
                body: None,
            }
        );
    }

    #[test]
    fn keeps_no_more_than_its_bytes_of_bodies_forgetting_whole_requests() {
        let log = RequestLog::default();
        let quarter = KEPT_BODY_BYTES / 4;
        for n in 0..4 {
            push_with_body(&log, n, Bytes::from(vec![b' '; quarter]));
        }
        assert_eq!(log.all().len(), 4, "exactly the limit is kept");
        push(&log, 4);
        let paths: Vec<String> = log.all().into_iter().map(|r| r.path).collect();
        assert_eq!(paths.len(), 4, "the oldest is forgotten: {paths:?}");
        assert_eq!(paths[0], "/api/v1/customers/1");
        assert_eq!(paths[3], "/api/v1/customers/4");
        // A body larger than the whole budget: only the newest request is kept.
        push_with_body(&log, 5, Bytes::from(vec![b' '; KEPT_BODY_BYTES + 1]));
        let paths: Vec<String> = log.all().into_iter().map(|r| r.path).collect();
        assert_eq!(paths, ["/api/v1/customers/5"]);
        // Cleared, the count starts again: four quarters fit.
        log.clear();
        for n in 0..4 {
            push_with_body(&log, n, Bytes::from(vec![b' '; quarter]));
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
            push_with_body(&log, n, Bytes::from_static(&BODY));
        }
        assert_eq!(log.all().len(), KEPT);
        assert_eq!(
            KEPT_BODY_BYTES,
            64 * 1024 * 1024,
            "as the README and admin.yaml say"
        );
    }

    #[test]
    fn an_entry_reused_for_a_newer_one_gives_back_its_bytes() {
        // A full journal of 6 KiB bodies, 60 MiB, then as many again, each reusing the oldest
        // entry's memory: the count of bytes stays at 60 MiB, so all are kept...
        static BODY: [u8; 6 * 1024] = [b' '; 6 * 1024];
        let log = RequestLog::default();
        for n in 0..2 * KEPT {
            push_with_body(&log, n, Bytes::from_static(&BODY));
        }
        let all = log.all();
        assert_eq!(all.len(), KEPT);
        assert_eq!(all[0].path, format!("/api/v1/customers/{KEPT}"));
        // ...until a body of 8 MiB passes the budget, and exactly enough of the oldest go.
        let large = 8 * 1024 * 1024;
        push_with_body(&log, 2 * KEPT, Bytes::from(vec![b' '; large]));
        let over = (KEPT - 1) * BODY.len() + large - KEPT_BODY_BYTES;
        let forgotten = over.div_ceil(BODY.len());
        assert_eq!(log.all().len(), KEPT - forgotten);
    }
}
