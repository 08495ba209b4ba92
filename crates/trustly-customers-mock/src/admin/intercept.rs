//! What the test bench does around each request to the API: the fault that applies, the
//! latency, then the journal and the log. With no fault set, no `--latency` and no log, a
//! request pays for an atomic load, two clocks and a journal entry.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};

use super::faults::{Fault, FaultKind};
use super::request_log::{Seen, Target};
use crate::app::App;
use crate::connection::Hangup;
use crate::error_body::ApiError;
use crate::request::{Received, receive};

/// Runs `next` (the operation's handler) for `operation`, or the fault that applies instead.
pub(crate) async fn intercept(
    State(app): State<Arc<App>>,
    operation: &'static str,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let at = SystemTime::now();
    let bench = &app.bench;
    let fault = bench.faults.take(operation);
    let (mut parts, body) = request.into_parts();
    let method = parts.method.clone();
    let target = Target::of(&parts.uri);
    let hangup = parts
        .extensions
        .remove::<ConnectInfo<Hangup>>()
        .map(|ConnectInfo(h)| h);
    let delay = fault
        .as_ref()
        .and_then(|f| f.delay_ms)
        .map(Duration::from_millis)
        .or_else(|| bench.latency());
    let fault_name = fault.as_ref().and_then(fault_name);

    let (response, body) = match fault {
        // Not acted on: the body is read (so the journal has it), then the fault.
        Some(Fault {
            status: Some(status),
            retry_after,
            ..
        }) => {
            let body = whole(receive(body, app.max_body_bytes).await);
            pause(delay).await;
            (Some(injected(status, retry_after)), body)
        }
        Some(Fault {
            fault: Some(FaultKind::Drop),
            ..
        }) => {
            let body = whole(receive(body, app.max_body_bytes).await);
            pause(delay).await;
            (None, body)
        }
        fault => {
            let (body, copy) = tee(&method, body, app.max_body_bytes);
            let response = next.run(Request::from_parts(parts, body)).await;
            pause(delay).await;
            let body = copy.and_then(|c| c.taken());
            let dropped = fault.is_some_and(|f| f.fault == Some(FaultKind::DropAfterCommit));
            ((!dropped).then_some(response), body)
        }
    };
    let seen = Arc::new(Seen {
        at,
        operation,
        method,
        target,
        status: response.as_ref().map(|r| r.status().as_u16()),
        fault: fault_name,
        latency: started.elapsed(),
        body,
    });
    if let Some(log) = &bench.log {
        log.send(seen.clone());
    }
    bench.requests.push(seen);
    match response {
        Some(response) => response,
        None => {
            // Nothing is sent: the connection refuses the write of this answer and is closed.
            if let Some(hangup) = hangup {
                hangup.pull();
            }
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The journal's and the log's name of what `fault` does.
fn fault_name(fault: &Fault) -> Option<&'static str> {
    match (fault.status, fault.fault, fault.delay_ms) {
        (Some(_), _, _) => Some("status"),
        (None, Some(kind), _) => Some(kind.as_str()),
        (None, None, Some(_)) => Some("delay"),
        (None, None, None) => None,
    }
}

async fn pause(delay: Option<Duration>) {
    if let Some(delay) = delay.filter(|d| !d.is_zero()) {
        tokio::time::sleep(delay).await;
    }
}

fn whole(received: Received) -> Option<Bytes> {
    match received {
        Received::Whole(bytes) => Some(bytes),
        Received::TooLarge | Received::Unreadable => None,
    }
}

/// The answer of a `status` fault: Trustly's error body with a code that fits the status,
/// and `Retry-After` when asked.
fn injected(status: u16, retry_after: Option<u64>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = ApiError::injected(status).into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// The body a handler reads, with a copy kept for the journal; none for a GET, which has none.
fn tee(method: &Method, body: Body, limit: usize) -> (Body, Option<Arc<Copy>>) {
    if *method == Method::GET {
        return (body, None);
    }
    let copy = Arc::new(Copy {
        bytes: Mutex::new(Some(Vec::new())),
        limit,
    });
    let tee = Tee {
        inner: body,
        copy: copy.clone(),
    };
    (Body::new(tee), Some(copy))
}

/// What a handler read of the body, up to the emulator's limit.
struct Copy {
    /// `None` once the body went past `limit`.
    bytes: Mutex<Option<Vec<u8>>>,
    limit: usize,
}

impl Copy {
    fn add(&self, data: &[u8]) {
        let mut bytes = self.bytes.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(kept) = bytes.as_mut() {
            if kept.len() + data.len() > self.limit {
                *bytes = None;
            } else {
                kept.extend_from_slice(data);
            }
        }
    }

    fn taken(&self) -> Option<Bytes> {
        self.bytes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .map(Bytes::from)
    }
}

/// A request body that copies what is read of it.
struct Tee {
    inner: Body,
    copy: Arc<Copy>,
}

impl http_body::Body for Tee {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_frame(cx);
        if let Poll::Ready(Some(Ok(frame))) = &polled
            && let Some(data) = frame.data_ref()
        {
            this.copy.add(data);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
