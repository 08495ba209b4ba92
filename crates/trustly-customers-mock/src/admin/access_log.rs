//! The log line written for each request to the API (`--log`): time, operation, method, path,
//! status, latency and fault, and nothing else. Never the query, a body or a header's value:
//! those are where personal data and credentials travel. The path holds only the spec's path
//! parameter, a `customerId`, which the spec does not mark personal (`x-pii`).
//!
//! The lines are written by a thread of their own, in batches, so a request pays for a channel
//! send rather than a write to stderr (and never wakes the thread).

use std::io::Write;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::request_log::Seen;

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
#[derive(Debug, Default)]
pub(crate) struct Times {
    millis: Option<i64>,
    text: String,
}

impl Times {
    fn of(&mut self, at: SystemTime) -> &str {
        let millis = at
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
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
    seen: &Seen,
    format: LogFormat,
    times: &mut Times,
) -> std::io::Result<()> {
    let time = times.of(seen.at);
    let latency_ms = u64::try_from(seen.latency.as_millis()).unwrap_or(u64::MAX);
    match format {
        LogFormat::Text => {
            // Written piece by piece rather than with `write!`: at 100,000 requests a second
            // the log's thread competes for the cores serving them, and `core::fmt` was most
            // of its work.
            let mut numbers = itoa::Buffer::new();
            for piece in [time, " ", seen.operation, " ", seen.method.as_str(), " "] {
                out.write_all(piece.as_bytes())?;
            }
            out.write_all(seen.target.path().as_bytes())?;
            out.write_all(b" ")?;
            match seen.status {
                Some(status) => out.write_all(numbers.format(status).as_bytes())?,
                None => out.write_all(b"-")?,
            }
            out.write_all(b" ")?;
            out.write_all(numbers.format(latency_ms).as_bytes())?;
            out.write_all(b"ms")?;
            if let Some(fault) = seen.fault {
                out.write_all(b" fault=")?;
                out.write_all(fault.as_bytes())?;
            }
        }
        LogFormat::Json => {
            let line = JsonLine {
                time,
                operation: seen.operation,
                method: seen.method.as_str(),
                path: seen.target.path(),
                status: seen.status,
                latency_ms,
                fault: seen.fault,
            };
            serde_json::to_writer(&mut *out, &line)?;
        }
    }
    out.write_all(b"\n")
}

/// How often the writer wakes to write what was logged since: requests never wake it, so
/// logging costs a request a channel send and no system call.
const TICK: Duration = Duration::from_millis(20);

/// The writer of the log: a thread that writes the lines it is sent to `out`, every [`TICK`].
/// Dropping the log writes what is left and waits for the thread, so that no line is lost
/// when the emulator stops.
#[derive(Debug)]
pub(crate) struct AccessLog {
    lines: Option<mpsc::Sender<Arc<Seen>>>,
    writer: Option<std::thread::JoinHandle<()>>,
}

impl AccessLog {
    /// A log in `format` to stderr.
    pub(crate) fn to_stderr(format: LogFormat) -> AccessLog {
        AccessLog::to(format, std::io::stderr())
    }

    /// A log in `format` to `out`.
    pub(crate) fn to(format: LogFormat, out: impl Write + Send + 'static) -> AccessLog {
        let (lines, received) = mpsc::channel::<Arc<Seen>>();
        let writer = move || {
            // A tick's lines in a few writes: at 100,000 requests a second, 20 ms of lines
            // is about 150 KiB.
            let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
            let mut times = Times::default();
            loop {
                std::thread::sleep(TICK);
                let ended = loop {
                    match received.try_recv() {
                        Ok(seen) => {
                            let _ = write_line(&mut out, &seen, format, &mut times);
                        }
                        Err(mpsc::TryRecvError::Empty) => break false,
                        Err(mpsc::TryRecvError::Disconnected) => break true,
                    }
                };
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
        AccessLog {
            lines: Some(lines),
            writer,
        }
    }

    /// Logs one request.
    pub(crate) fn send(&self, seen: Arc<Seen>) {
        if let Some(lines) = &self.lines {
            let _ = lines.send(seen);
        }
    }
}

impl Drop for AccessLog {
    fn drop(&mut self) {
        self.lines = None;
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use axum::body::Bytes;
    use axum::http::Method;

    use serde_json::json;

    use super::*;
    use crate::admin::request_log::Target;

    /// The line for one request, without its newline.
    fn line(seen: &Seen, format: LogFormat) -> String {
        let mut out = Vec::new();
        write_line(&mut out, seen, format, &mut Times::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        text.strip_suffix('\n').expect("one line").to_owned()
    }

    /// A request carrying personal values in every place but the log's fields.
    fn seen(status: Option<u16>, fault: Option<&'static str>) -> Seen {
        Seen {
            at: UNIX_EPOCH + Duration::from_millis(1_765_000_000_123),
            operation: "createOrUpdateCustomer",
            method: Method::POST,
            target: Target::of(
                &"/api/v1/customers?externalId=joe.user%40mail.com"
                    .parse()
                    .unwrap(),
            ),
            status,
            fault,
            latency: Duration::from_millis(12),
            body: Some(Bytes::from_static(
                br#"{"name":"Joe User","email":"joe.user@mail.com","taxId":"012345678"}"#,
            )),
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
        let mut times = Times::default();
        let mut out = Vec::new();
        let mut later = seen(Some(200), None);
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
        later.at += Duration::from_millis(1);
        write_line(&mut out, &later, LogFormat::Text, &mut times).unwrap();
        let text = String::from_utf8(out).unwrap();
        let times: Vec<&str> = text.lines().map(|l| l.split(' ').next().unwrap()).collect();
        assert_eq!(
            times,
            [
                "2025-12-06T05:46:40.123Z",
                "2025-12-06T05:46:40.123Z",
                "2025-12-06T05:46:40.124Z"
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
        log.send(Arc::new(seen(Some(200), None)));
        log.send(Arc::new(seen(Some(500), Some("status"))));
        // Dropped: every line sent is written before the drop returns.
        drop(log);
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.ends_with("500 12ms fault=status\n"), "{text}");
    }
}
