//! One operation, end to end: the generated client's method, repeated as the operation and the
//! retry policy allow, inside one tracing span, its failure made into this crate's [`Error`].
//!
//! The generated operation methods (`generated.rs`) all come through [`Client::call`].

use std::future::Future;
use std::time::Instant;

use serde::de::DeserializeOwned;
use tracing::level_filters::LevelFilter;
use tracing::{Instrument, field};
use trustly_customers_api::{ResponseValue, types::ErrorBody};

use crate::client::Client;
use crate::error::{Error, Request};

/// How safe it is to send an operation's request again, as the spec says
/// (`x-idempotent`, `x-idempotent-when-given`, or its HTTP method).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Repeatable {
    /// Repeating it has the same effect as sending it once.
    Always,
    /// Only if it provably never left (the connection could not be made).
    OnlyIfUnsent,
}

impl Repeatable {
    /// `Always` when the request names what it acts on, else `OnlyIfUnsent`.
    pub(crate) fn when(named: bool) -> Repeatable {
        if named {
            Repeatable::Always
        } else {
            Repeatable::OnlyIfUnsent
        }
    }

    /// Whether a request of this kind that failed with `error` may be sent again.
    pub(crate) fn allows_retry_of(self, error: &Error) -> bool {
        match self {
            Repeatable::Always => error.is_retryable(),
            Repeatable::OnlyIfUnsent => error.is_connect(),
        }
    }
}

/// Whether an identifier is given: present and not empty (an empty id names nothing).
pub(crate) fn given<T: AsRef<str> + ?Sized>(value: Option<&T>) -> bool {
    value.is_some_and(|v| !v.as_ref().is_empty())
}

impl Client {
    /// Sends the operation `id` (the generated method's name, such as `get_customer`), an HTTP
    /// `method` request to `path` (the spec's, placeholders and all), with `send` (one generated method call per attempt), retrying as
    /// `repeatable` and the retry policy allow, inside one tracing span; returns the decoded
    /// answer.
    ///
    /// Each layer of futures a value passes through on its way out copies it: an answer of one
    /// record comes in an envelope that holds the record boxed (`passes::envelopes` of the
    /// xtask), so what passes through the layers is small.
    pub(crate) async fn call<T, F, Fut>(
        &self,
        (id, method, path): (&'static str, &'static str, &'static str),
        repeatable: Repeatable,
        send: F,
    ) -> Result<T, Error>
    where
        T: DeserializeOwned,
        F: Fn() -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, trustly_customers_api::Error<ErrorBody>>>,
    {
        let span = tracing::info_span!(
            target: "trustly_customers",
            "trustly_customers.call",
            operation = id,
            method,
            url = field::Empty,
            status = field::Empty,
            attempt = field::Empty,
            latency_ms = field::Empty,
        );
        if span.is_disabled() {
            // No subscriber takes the span: there is nothing to enter at every poll, and
            // nothing to record.
            self.attempts((id, method, path), repeatable, send, None)
                .await
        } else {
            // Where the request goes, placeholders for its ids (as its error says it): worked
            // out only when a subscriber takes the span.
            span.record("url", Request::new(method, self.base_url(), path).url());
            let recorded = span.clone();
            self.attempts((id, method, path), repeatable, send, Some(&recorded))
                .instrument(span)
                .await
        }
    }

    /// The attempts of one call, inside its span (`span`, when a subscriber takes it).
    async fn attempts<T, F, Fut>(
        &self,
        (id, method, path): (&'static str, &'static str, &'static str),
        repeatable: Repeatable,
        send: F,
        span: Option<&tracing::Span>,
    ) -> Result<T, Error>
    where
        T: DeserializeOwned,
        F: Fn() -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, trustly_customers_api::Error<ErrorBody>>>,
    {
        // The one clock reading of a call that succeeds at once (none when nothing could
        // report a duration): the first attempt starts with the call, and durations are worked
        // out only for a span or event that is on.
        let started = Start::now();
        let mut attempt_started = started;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let failure = match send().await {
                Ok(value) => {
                    let status = value.status().as_u16();
                    let answer = value.into_inner();
                    tracing::debug!(
                        target: "trustly_customers",
                        attempt, status, elapsed_ms = ms_since(attempt_started),
                        "attempt succeeded"
                    );
                    record_outcome(span, attempt, Some(status), started);
                    return Ok(answer);
                }
                Err(e) => e,
            };
            // Made after the `match`, not in its arm: a `match`'s scrutinee (here the whole
            // result, some 780 bytes) stays in the future across an `await` in an arm, and
            // making the error awaits an unexpected response's body, a future of its own. In
            // the arm, the two would add some 770 bytes to every call's future, and so to
            // every task that makes a call.
            // Its texts pass the client's redactor as it is made: from here on, nothing of
            // the answer that could hold a credential is left in it.
            let error = Error::from_generated::<T>(failure, self.redactor()).await;
            let status = error.status();
            let delay = if repeatable.allows_retry_of(&error) {
                self.retry_policy().delay_before(attempt, &error)
            } else {
                None
            };
            let Some(delay) = delay else {
                tracing::debug!(
                    target: "trustly_customers",
                    attempt, status, elapsed_ms = ms_since(attempt_started), kind = ?error.kind(),
                    "attempt failed; not retrying"
                );
                record_outcome(span, attempt, status, started);
                let request = Request::new(method, self.base_url(), path);
                return Err(error.with_operation(id, attempt).with_request(request));
            };
            tracing::info!(
                target: "trustly_customers",
                attempt, status, elapsed_ms = ms_since(attempt_started), kind = ?error.kind(),
                retry_in_ms = delay.as_millis() as u64,
                "attempt failed; retrying"
            );
            tokio::time::sleep(delay).await;
            attempt_started = Start::now();
        }
    }
}

/// When a call or one of its attempts started, for the durations its span and events report.
///
/// The clock is read only if a subscriber is installed that takes some span or event (of any
/// target): with none, reading it at every call would be work that nothing sees.
#[derive(Clone, Copy)]
struct Start(Option<Instant>);

impl Start {
    fn now() -> Start {
        Start((LevelFilter::current() != LevelFilter::OFF).then(Instant::now))
    }
}

/// Milliseconds since `start`, for a span field or an event (whose fields are worked out only
/// when a subscriber takes it); none if the clock was not read then (a subscriber installed
/// during the call), which leaves the field out.
fn ms_since(start: Start) -> Option<f64> {
    start.0.map(|at| at.elapsed().as_secs_f64() * 1e3)
}

/// Records the call's outcome on its span (if a subscriber takes it), once, at the end: the
/// span describes the call.
fn record_outcome(span: Option<&tracing::Span>, attempt: u32, status: Option<u16>, started: Start) {
    let Some(span) = span else { return };
    span.record("attempt", attempt);
    if let Some(status) = status {
        span.record("status", status);
    }
    if let Some(latency) = ms_since(started) {
        span.record("latency_ms", latency);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every task that makes a call holds its future: the client's layers (retries, span,
    /// error making) add little to the generated operation's (see `attempts`, where the
    /// error is made).
    #[test]
    fn a_call_future_is_little_larger_than_the_generated_operations() {
        use crate::{Credentials, CustomerId};
        let client = Client::builder(Credentials::new("id", "key"))
            .base_url("http://127.0.0.1:9/api/v1")
            .build()
            .unwrap();
        let id = CustomerId::from("1002580963");
        let generated = std::mem::size_of_val(&client.api().get_customer(&id));
        let call = std::mem::size_of_val(&client.get_customer(&id));
        assert!(
            call <= generated + 512,
            "the call's future is {call} bytes, the generated operation's {generated}"
        );
    }

    #[test]
    fn an_identifier_is_given_only_when_present_and_not_empty() {
        assert!(given(Some("e1")));
        assert!(!given(Some("")));
        assert!(!given::<str>(None));
    }
}
