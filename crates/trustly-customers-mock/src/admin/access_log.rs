//! The log line written for each request to the API (`--log`): time, operation, method, path,
//! status, latency and fault, and nothing else. Never the query, a body or a header's value:
//! those are where personal data and credentials travel. The path holds only the spec's path
//! parameter, a `customerId`, which the spec does not mark personal (`x-pii`).
//!
//! The lines are written by a thread of their own, in batches: a request adds its fields to a
//! buffer the thread takes every [`TICK`], rather than writing to stderr itself (and never wakes
//! the thread).

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::request_log::{Outcome, Seen};

/// How the per-request log is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One line of text per request:
    /// `2026-12-06T03:40:00.123Z getCustomer GET /api/v1/customers/1000000001 200 1ms`, then
    /// ` fault=drop` when a fault applied; the status is `-` when nothing was answered.
    Text,
    /// One JSON object per line: `time`, `operation`, `method`, `path`, `status`
    /// (`null` when nothing was answered), `latencyMs`, `fault`.
    Json,
}

/// The time of a line in RFC 3339, formatted once per millisecond: the lines written together
/// mostly share it.
///
/// A request reads only the monotonic clock, when it arrives; the time of day is worked out
/// here, from a reading of both clocks that the writer takes each time it wakes, so that a
/// request reads one clock fewer.
#[derive(Debug)]
pub(crate) struct Times {
    /// Both clocks, read together: the monotonic one, and the time since the Unix epoch.
    clocks: (Instant, Duration),
    millis: Option<i64>,
    text: String,
}

impl Times {
    /// Times of day from now on.
    pub(crate) fn now() -> Times {
        Times::with_clocks(Instant::now(), SystemTime::now())
    }

    /// Times of day for a clock that read `instant` at `time`.
    pub(crate) fn with_clocks(instant: Instant, time: SystemTime) -> Times {
        Times {
            clocks: (instant, time.duration_since(UNIX_EPOCH).unwrap_or_default()),
            millis: None,
            text: String::new(),
        }
    }

    /// The time of day at `instant`, in milliseconds since the Unix epoch.
    fn millis_at(&self, instant: Instant) -> i64 {
        let (then, since_epoch) = self.clocks;
        // The usual case first: the clocks are read after the requests they time arrived.
        let at = match then.checked_duration_since(instant) {
            Some(earlier) => since_epoch.saturating_sub(earlier),
            None => since_epoch + instant.duration_since(then),
        };
        i64::try_from(at.as_millis()).unwrap_or(i64::MAX)
    }

    fn of(&mut self, arrived: Instant) -> &str {
        let millis = self.millis_at(arrived);
        if self.millis != Some(millis) {
            self.millis = Some(millis);
            self.text = jiff::Timestamp::from_millisecond(millis)
                .map(|t| t.to_string())
                .unwrap_or_default();
        }
        &self.text
    }
}

/// The JSON line's fields, in order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonLine<'a> {
    time: &'a str,
    operation: &'a str,
    method: &'a str,
    path: &'a str,
    status: Option<u16>,
    latency_ms: u64,
    fault: Option<&'a str>,
}

/// Writes the line for one request, with its newline.
pub(crate) fn write_line(
    out: &mut impl Write,
    seen: &Seen<'_>,
    format: LogFormat,
    times: &mut Times,
) -> std::io::Result<()> {
    let time = times.of(seen.arrived);
    let outcome = seen.outcome;
    let latency_ms = u64::try_from(outcome.latency.as_millis()).unwrap_or(u64::MAX);
    match format {
        LogFormat::Text => {
            // Written piece by piece rather than with `write!`: at 100,000 requests a second
            // the log's thread competes for the cores serving them, and `core::fmt` was most
            // of its work.
            let mut numbers = itoa::Buffer::new();
            for piece in [
                time,
                " ",
                outcome.operation,
                " ",
                outcome.method.as_str(),
                " ",
            ] {
                out.write_all(piece.as_bytes())?;
            }
            out.write_all(seen.path())?;
            out.write_all(b" ")?;
            match outcome.status {
                Some(status) => out.write_all(numbers.format(status).as_bytes())?,
                None => out.write_all(b"-")?,
            }
            out.write_all(b" ")?;
            out.write_all(numbers.format(latency_ms).as_bytes())?;
            out.write_all(b"ms")?;
            if let Some(fault) = outcome.fault {
                out.write_all(b" fault=")?;
                out.write_all(fault.as_bytes())?;
            }
        }
        LogFormat::Json => {
            let line = JsonLine {
                time,
                operation: outcome.operation,
                method: outcome.method.as_str(),
                // A copy of what hyper read as a `Uri`, so text; were it not, the line would
                // say nothing.
                path: std::str::from_utf8(seen.path()).unwrap_or_default(),
                status: outcome.status,
                latency_ms,
                fault: outcome.fault,
            };
            serde_json::to_writer(&mut *out, &line)?;
        }
    }
    out.write_all(b"\n")
}

/// How often the writer wakes to write what was logged since: requests never wake it, so
/// logging costs a request a short lock and no system call.
const TICK: Duration = Duration::from_millis(20);

/// The writer of the log: a thread that takes the lines logged since it last woke, every
/// [`TICK`], and writes them to `out`. Dropping the log writes what is left and waits for the
/// thread, so that no line is lost when the emulator stops.
#[derive(Debug)]
pub(crate) struct AccessLog {
    shared: Arc<Shared>,
    writer: Option<std::thread::JoinHandle<()>>,
}

/// What requests and the writer share.
#[derive(Debug, Default)]
struct Shared {
    pending: Mutex<Pending>,
    ended: AtomicBool,
}

/// The lines logged and not yet written. Their paths are in one buffer, so that logging a
/// request allocates nothing once the buffers have grown to a tick's worth (the writer hands
/// back its emptied ones).
#[derive(Debug, Default)]
struct Pending {
    lines: Vec<Line>,
    /// Every line's path, one after the other.
    paths: Vec<u8>,
}

/// A line's fields but its path, which is [`Pending::paths`]`[start..end]`.
#[derive(Debug)]
struct Line {
    arrived: Instant,
    outcome: Outcome,
    end: usize,
}

impl Pending {
    fn add(&mut self, seen: &Seen<'_>) {
        self.paths.extend_from_slice(seen.path());
        self.lines.push(Line {
            arrived: seen.arrived,
            outcome: seen.outcome.clone(),
            end: self.paths.len(),
        });
    }

    /// Writes every line, then empties the buffers (keeping their memory).
    fn write(&mut self, out: &mut impl Write, format: LogFormat, times: &mut Times) {
        let mut start = 0;
        for line in &self.lines {
            let path = &self.paths[start..line.end];
            let seen = Seen {
                arrived: line.arrived,
                target: path,
                path_len: path.len(),
                outcome: &line.outcome,
            };
            start = line.end;
            let _ = write_line(out, &seen, format, times);
        }
        self.lines.clear();
        self.paths.clear();
    }
}

impl Shared {
    fn pending(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl AccessLog {
    /// A log in `format` to stderr.
    pub(crate) fn to_stderr(format: LogFormat) -> AccessLog {
        AccessLog::to(format, std::io::stderr())
    }

    /// A log in `format` to `out`.
    pub(crate) fn to(format: LogFormat, out: impl Write + Send + 'static) -> AccessLog {
        let shared = Arc::new(Shared::default());
        let writing = shared.clone();
        let writer = move || {
            // A tick's lines in a few writes: at 100,000 requests a second, 20 ms of lines
            // is about 150 KiB.
            let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
            let mut taken = Pending::default();
            loop {
                std::thread::park_timeout(TICK);
                // Read before the lines are taken: once it is set, no line is added.
                let ended = writing.ended.load(Ordering::Acquire);
                std::mem::swap(&mut taken, &mut *writing.pending());
                // The clocks read again each time, so that the times of day follow a change of
                // the system's clock.
                let mut times = Times::now();
                taken.write(&mut out, format, &mut times);
                let _ = out.flush();
                if ended {
                    return;
                }
            }
        };
        // A log that cannot start (no thread to be had) is a log that writes nothing.
        let writer = std::thread::Builder::new()
            .name("trustly-customers-mock-log".into())
            .spawn(writer)
            .ok();
        AccessLog { shared, writer }
    }

    /// Logs one request.
    pub(crate) fn send(&self, seen: &Seen<'_>) {
        if self.writer.is_some() {
            self.shared.pending().add(seen);
        }
    }
}

impl Drop for AccessLog {
    fn drop(&mut self) {
        // Nothing can log any more (this is the log's only handle), so the writer's next
        // take is the last.
        self.shared.ended.store(true, Ordering::Release);
        if let Some(writer) = self.writer.take() {
            writer.thread().unpark();
            let _ = writer.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;
    use std::time::Duration;

    use axum::http::Method;

    use serde_json::json;

    use super::*;

    /// When the test requests arrive: 2025-12-06T05:46:40.123Z, by [`times`].
    static ARRIVED: LazyLock<Instant> = LazyLock::new(Instant::now);

    fn times() -> Times {
        Times::with_clocks(
            *ARRIVED,
            UNIX_EPOCH + Duration::from_millis(1_765_000_000_123),
        )
    }

    /// The line for one request, without its newline.
    fn line(seen: &Seen<'_>, format: LogFormat) -> String {
        let mut out = Vec::new();
        write_line(&mut out, seen, format, &mut times()).unwrap();
        let text = String::from_utf8(out).unwrap();
        text.strip_suffix('\n').expect("one line").to_owned()
    }

    /// A request carrying a personal value in its query. (The log is never given a body or a
    /// header.)
    fn seen(status: Option<u16>, fault: Option<&'static str>) -> Seen<'static> {
        let target = "/api/v1/customers?externalId=joe.user%40mail.com";
        // Leaked, a few bytes per test, so that each test's requests can be made in one call.
        let outcome = Box::leak(Box::new(Outcome {
            operation: "createOrUpdateCustomer",
            method: Method::POST,
            status,
            fault,
            latency: Duration::from_millis(12),
        }));
        Seen {
            arrived: *ARRIVED,
            target: target.as_bytes(),
            path_len: target.find('?').unwrap(),
            outcome,
        }
    }

    #[test]
    fn a_text_line_has_the_fields_and_nothing_else() {
        assert_eq!(
            line(&seen(Some(201), None), LogFormat::Text),
            "2025-12-06T05:46:40.123Z createOrUpdateCustomer POST /api/v1/customers 201 12ms"
        );
        assert_eq!(
            line(&seen(None, Some("drop")), LogFormat::Text),
            "2025-12-06T05:46:40.123Z createOrUpdateCustomer POST /api/v1/customers - 12ms fault=drop"
        );
    }

    #[test]
    fn a_json_line_has_the_fields_and_nothing_else() {
        let value: serde_json::Value = serde_json::from_str(&line(
            &seen(None, Some("drop-after-commit")),
            LogFormat::Json,
        ))
        .unwrap();
        assert_eq!(
            value,
            json!({
                "time": "2025-12-06T05:46:40.123Z",
                "operation": "createOrUpdateCustomer",
                "method": "POST",
                "path": "/api/v1/customers",
                "status": null,
                "latencyMs": 12,
                "fault": "drop-after-commit",
            })
        );
        let value: serde_json::Value =
            serde_json::from_str(&line(&seen(Some(400), None), LogFormat::Json)).unwrap();
        assert_eq!(value["status"], json!(400));
        assert_eq!(value["fault"], json!(null));
    }

    #[test]
    fn the_time_is_each_lines_own() {
        let mut times = times();
        let mut out = Vec::new();
        let mut later = seen(Some(200), None);
        let mut earlier = seen(Some(200), None);
        earlier.arrived -= Duration::from_millis(5);
        write_line(
            &mut out,
            &seen(Some(200), None),
            LogFormat::Text,
            &mut times,
        )
        .unwrap();
        write_line(
            &mut out,
            &seen(Some(200), None),
            LogFormat::Text,
            &mut times,
        )
        .unwrap();
        later.arrived += Duration::from_millis(1);
        write_line(&mut out, &later, LogFormat::Text, &mut times).unwrap();
        write_line(&mut out, &earlier, LogFormat::Text, &mut times).unwrap();
        let text = String::from_utf8(out).unwrap();
        let times: Vec<&str> = text.lines().map(|l| l.split(' ').next().unwrap()).collect();
        assert_eq!(
            times,
            [
                "2025-12-06T05:46:40.123Z",
                "2025-12-06T05:46:40.123Z",
                "2025-12-06T05:46:40.124Z",
                "2025-12-06T05:46:40.118Z"
            ]
        );
    }

    #[test]
    fn the_writer_writes_each_line_sent() {
        #[derive(Clone, Default)]
        struct Shared(Arc<std::sync::Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let out = Shared::default();
        let log = AccessLog::to(LogFormat::Text, out.clone());
        log.send(&seen(Some(200), None));
        log.send(&seen(Some(500), Some("status")));
        // Dropped: every line sent is written before the drop returns.
        drop(log);
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.ends_with("500 12ms fault=status\n"), "{text}");
    }
}
