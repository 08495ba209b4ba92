//! What the test bench does around each request to the API: the fault that applies, the
//! latency, then the journal and the log. With no fault set, no `--latency` and no log, a
//! request pays for an atomic load, two clocks and a journal entry.
//!
//! It wraps each operation's handler itself ([`intercepted`]) rather than as a middleware
//! layer: a layer (`axum::middleware::from_fn`) clones the inner service and boxes one more
//! future for every request, which cost GET by id a measurable share of its rate.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::handler::Handler;
use axum::http::{HeaderValue, Method, StatusCode, header, request};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use http_body::{Frame, SizeHint};

use super::TestBench;
use super::faults::{Fault, FaultKind};
use super::request_log::{Seen, Target};
use crate::app::App;
use crate::connection::Unanswered;
use crate::error_body::ApiError;
use crate::request::{Received, receive};

/// The route of `operation` for `filter`: `handler`, with the test bench around it.
pub(crate) fn intercepted<H, T>(
    filter: MethodFilter,
    operation: &'static str,
    handler: H,
) -> MethodRouter<Arc<App>>
where
    H: Handler<T, Arc<App>>,
    T: 'static,
{
    on(
        filter,
        move |State(app): State<Arc<App>>, request: Request| async move {
            let state = app.clone();
            intercept(&app, operation, request, move |request| {
                handler.call(request, state)
            })
            .await
        },
    )
}

/// Runs `handler` (the operation's) for `operation`, or the fault that applies instead.
async fn intercept<F, Fut>(
    app: &App,
    operation: &'static str,
    request: Request,
    handler: F,
) -> Response
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Response>,
{
    let bench = &app.bench;
    let fault = bench.faults.take(operation);
    let (parts, body) = request.into_parts();
    let delay = fault
        .as_ref()
        .and_then(|f| f.delay_ms)
        .map(Duration::from_millis)
        .or_else(|| bench.latency());
    let mut entry = Entry::new(
        bench,
        operation,
        &parts,
        fault.as_ref().and_then(fault_name),
    );

    let response = match fault {
        // Not acted on: the body is read (so the journal has it), then the fault.
        Some(Fault {
            status: Some(status),
            retry_after,
            ..
        }) => {
            entry.body = whole(receive(body, app.max_body_bytes).await);
            pause(delay).await;
            Some(injected(status, retry_after))
        }
        Some(Fault {
            fault: Some(FaultKind::Drop),
            ..
        }) => {
            entry.body = whole(receive(body, app.max_body_bytes).await);
            pause(delay).await;
            None
        }
        fault => {
            let (body, copy) = tee(&parts.method, body, app.max_body_bytes);
            entry.copy = copy;
            let response = handler(Request::from_parts(parts, body)).await;
            pause(delay).await;
            let dropped = fault.is_some_and(|f| f.fault == Some(FaultKind::DropAfterCommit));
            (!dropped).then_some(response)
        }
    };
    entry.status = response.as_ref().map(|r| r.status().as_u16());
    // Into the journal and the log before the answer goes out: a test that reads the journal
    // once it has its answer finds this request there.
    drop(entry);
    match response {
        Some(response) => response,
        None => {
            // Nothing is sent: the connection refuses the write of this answer and is closed.
            let mut unanswered = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            unanswered.extensions_mut().insert(Unanswered);
            unanswered
        }
    }
}

/// One request's journal entry while it is served. It goes into the journal and the log when
/// dropped: once the answer is made, or when the request is abandoned half way because the
/// client hung up (during a delay, say), which hyper signals by dropping the request's future.
/// Such a request was never answered, so its `status` stays `None`.
struct Entry<'a> {
    bench: &'a TestBench,
    at: SystemTime,
    started: Instant,
    operation: &'static str,
    method: Method,
    target: Target,
    fault: Option<&'static str>,
    status: Option<u16>,
    /// The body, when the test bench read it itself.
    body: Option<Bytes>,
    /// The copy of what the handler read of the body.
    copy: Option<Arc<Copy>>,
}

impl<'a> Entry<'a> {
    fn new(
        bench: &'a TestBench,
        operation: &'static str,
        parts: &request::Parts,
        fault: Option<&'static str>,
    ) -> Entry<'a> {
        Entry {
            bench,
            at: SystemTime::now(),
            started: Instant::now(),
            operation,
            method: parts.method.clone(),
            target: Target::of(&parts.uri),
            fault,
            status: None,
            body: None,
            copy: None,
        }
    }
}

impl Drop for Entry<'_> {
    fn drop(&mut self) {
        let body = match self.copy.take() {
            Some(copy) => copy.taken(),
            None => self.body.take(),
        };
        let seen = Arc::new(Seen {
            at: self.at,
            operation: self.operation,
            method: std::mem::replace(&mut self.method, Method::GET),
            target: std::mem::take(&mut self.target),
            status: self.status,
            fault: self.fault,
            latency: self.started.elapsed(),
            body,
        });
        if let Some(log) = &self.bench.log {
            log.send(seen.clone());
        }
        self.bench.requests.push(seen);
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
