//! What the test bench does around each request to the API: the fault that applies, the
//! latency, then the journal and the log.
//!
//! It wraps each operation's handler itself ([`intercepted`]) rather than as a middleware
//! layer, and with no fault and no `--latency` (the common case) it adds no future of its own:
//! the handler's future is polled with the journal entry beside it. A layer
//! (`axum::middleware::from_fn`), or an `async` wrapper, cloned the inner service or boxed one
//! more future for every request, which cost GET by id a measurable share of its rate. So a
//! request pays for an atomic load (no fault), two readings of the monotonic clock, and a
//! journal entry and a log line copied into buffers that are reused.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::handler::Handler;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use http_body::{Frame, SizeHint};
use smallvec::SmallVec;

use super::faults::{Fault, FaultKind};
use super::request_log::{Outcome, Seen, target};
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
    H::Future: Unpin,
    T: 'static,
{
    on(
        filter,
        Intercepted {
            operation,
            handler,
            handles: PhantomData,
        },
    )
}

/// An operation's handler with the test bench around it.
struct Intercepted<H, T> {
    operation: &'static str,
    handler: H,
    /// What `handler` extracts (axum's marker of which `Handler` impl it uses).
    handles: PhantomData<fn() -> T>,
}

impl<H: Clone, T> Clone for Intercepted<H, T> {
    fn clone(&self) -> Self {
        Intercepted {
            operation: self.operation,
            handler: self.handler.clone(),
            handles: PhantomData,
        }
    }
}

impl<H, T> Handler<T, Arc<App>> for Intercepted<H, T>
where
    H: Handler<T, Arc<App>>,
    H::Future: Unpin,
    T: 'static,
{
    type Future = Answer<H::Future>;

    fn call(self, mut request: Request, app: Arc<App>) -> Answer<H::Future> {
        let fault = app.bench.faults.take(self.operation);
        if fault.is_none() && app.bench.latency.is_none() {
            let mut entry = Entry::new(app.clone(), self.operation, &request, None);
            entry.tee(&mut request);
            return Answer::Handled {
                answer: self.handler.call(request, app),
                entry: Some(entry),
            };
        }
        Answer::Intercepted(Box::pin(intercept(
            app,
            self.operation,
            fault,
            request,
            self.handler,
        )))
    }
}

/// The answer to an API request.
#[expect(
    clippy::large_enum_variant,
    reason = "`Handled` is the common case: boxing its entry would allocate for every request"
)]
enum Answer<F> {
    /// The handler's, with the request's journal entry, made when it is ready.
    Handled { answer: F, entry: Option<Entry> },
    /// With a fault or `--latency`: [`intercept`]'s.
    Intercepted(Pin<Box<dyn Future<Output = Response> + Send>>),
}

impl<F: Future<Output = Response> + Unpin> Future for Answer<F> {
    type Output = Response;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        match self.get_mut() {
            Answer::Handled { answer, entry } => {
                let response = ready!(Pin::new(answer).poll(cx));
                if let Some(entry) = entry {
                    entry.outcome.status = Some(response.status().as_u16());
                }
                // Dropped here, where it is, into the journal and the log, before the answer
                // goes out.
                *entry = None;
                Poll::Ready(response)
            }
            Answer::Intercepted(answer) => answer.as_mut().poll(cx),
        }
    }
}

/// Runs `handler` (the operation's) for `operation`, or `fault` instead, with the delay of the
/// fault or of `--latency`.
async fn intercept<H, T>(
    app: Arc<App>,
    operation: &'static str,
    fault: Option<Fault>,
    request: Request,
    handler: H,
) -> Response
where
    H: Handler<T, Arc<App>>,
{
    let delay = fault
        .as_ref()
        .and_then(|f| f.delay_ms)
        .map(Duration::from_millis)
        .or_else(|| app.bench.latency());
    let limit = app.max_body_bytes;
    let mut entry = Entry::new(
        app.clone(),
        operation,
        &request,
        fault.as_ref().and_then(fault_name),
    );
    let response = match fault {
        // Not acted on: the body is read (so the journal has it), then the fault.
        Some(Fault {
            status: Some(status),
            retry_after,
            ..
        }) => {
            entry.body = whole(receive(request.into_body(), limit).await);
            pause(delay).await;
            Some(injected(status, retry_after))
        }
        Some(Fault {
            fault: Some(FaultKind::Drop),
            ..
        }) => {
            entry.body = whole(receive(request.into_body(), limit).await);
            pause(delay).await;
            None
        }
        fault => {
            let mut request = request;
            entry.tee(&mut request);
            let response = handler.call(request, app).await;
            pause(delay).await;
            let dropped = fault.is_some_and(|f| f.fault == Some(FaultKind::DropAfterCommit));
            (!dropped).then_some(response)
        }
    };
    entry.outcome.status = response.as_ref().map(|r| r.status().as_u16());
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
struct Entry {
    app: Arc<App>,
    arrived: Instant,
    /// Its latency is set when the entry is dropped.
    outcome: Outcome,
    /// The request's path and query, copied: in place when short, as an API path is. (A clone
    /// of hyper's `Uri` shares its read buffer, and its first clone allocates to do so.)
    target: SmallVec<[u8; 64]>,
    /// Where the path ends in `target`.
    path_len: usize,
    /// The body, when the test bench read it itself.
    body: Option<Bytes>,
    /// The copy of what the handler read of the body.
    copy: Option<Arc<Copy>>,
}

impl Entry {
    fn new(
        app: Arc<App>,
        operation: &'static str,
        request: &Request,
        fault: Option<&'static str>,
    ) -> Entry {
        let (target, path_len) = target(request.uri());
        Entry {
            app,
            arrived: Instant::now(),
            outcome: Outcome {
                operation,
                method: request.method().clone(),
                status: None,
                fault,
                latency: Duration::ZERO,
            },
            target: SmallVec::from_slice(target.as_bytes()),
            path_len,
            body: None,
            copy: None,
        }
    }

    /// Has `request`'s body copied for this entry as the handler reads it. (In place: a
    /// request moved in and out is a copy of a few hundred bytes, for every request.)
    fn tee(&mut self, request: &mut Request) {
        if self.outcome.method == Method::GET {
            // A GET has no body.
            return;
        }
        let copy = Arc::new(Copy {
            bytes: Mutex::new(Some(Vec::new())),
            limit: self.app.max_body_bytes,
        });
        self.copy = Some(copy.clone());
        let inner = std::mem::take(request.body_mut());
        *request.body_mut() = Body::new(Tee { inner, copy });
    }
}

impl Drop for Entry {
    fn drop(&mut self) {
        let body = match self.copy.take() {
            Some(copy) => copy.taken(),
            None => self.body.take(),
        };
        self.outcome.latency = self.arrived.elapsed();
        let seen = Seen {
            arrived: self.arrived,
            target: &self.target,
            path_len: self.path_len,
            outcome: &self.outcome,
        };
        let bench = &self.app.bench;
        if let Some(log) = &bench.log {
            log.send(&seen);
        }
        bench.requests.push(&seen, body);
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
