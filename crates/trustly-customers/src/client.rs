//! The client and its operations: one method per API operation, each a traced, retried call.
//!
//! Requests are built here with reqwest rather than through the generated client, for three
//! things the generated client cannot do: send `null` (its optional fields skip `None`), let us
//! attach credentials per request (its hooks are fixed and empty), and retry with a timeout per
//! attempt. The generated client stays reachable through [`Client::raw`], on the same
//! connection pool, and its `ErrorBody` type decodes error responses here.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use reqwest::{Method, StatusCode, Url};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tracing::{Instrument, field};

use crate::config::{ClientBuilder, Credentials};
use crate::customer::{Customer, NewCustomer};
use crate::error::{ApiErrorDetail, Error, ErrorKind};
use crate::excerpt::{BodyExcerpt, decode_failure};
use crate::ids::{CustomerId, ExternalId};
use crate::patch::CustomerPatch;
use crate::retry::{Repeatable, RetryPolicy, parse_retry_after};

/// A client for the Customers API. Cheap to clone: clones share one connection pool.
///
/// Build one with [`Client::builder`] or [`Client::from_env`].
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    base: Url,
    http: reqwest::Client,
    owns_http: bool,
    auth: HeaderValue,
    user_agent: HeaderValue,
    timeout: Duration,
    retry: RetryPolicy,
    raw: trustly_customers_api::Client,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.as_str())
            .field("credentials", &"<redacted>")
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("own_http_client", &self.inner.owns_http)
            .finish()
    }
}

/// Which customers [`Client::list_customers`] returns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    external_id: Option<ExternalId>,
    customer_id: Option<CustomerId>,
}

impl ListFilter {
    /// Every customer of the merchant account (Trustly does not page this list).
    pub fn all() -> Self {
        Self::default()
    }

    /// Only the customer with this external id.
    pub fn external_id(mut self, id: ExternalId) -> Self {
        self.external_id = Some(id);
        self
    }

    /// Only the customer with this customer id.
    pub fn customer_id(mut self, id: CustomerId) -> Self {
        self.customer_id = Some(id);
        self
    }
}

#[derive(Deserialize)]
struct CustomerEnvelope {
    customer: Customer,
}

#[derive(Deserialize)]
struct CustomerListEnvelope {
    customers: Vec<Customer>,
}

/// One operation's fixed facts, for tracing and retry decisions.
struct Call {
    operation: &'static str,
    method: Method,
    url: Url,
    /// Serialized once; each attempt sends a copy.
    body: Option<Vec<u8>>,
    repeatable: Repeatable,
}

impl Client {
    /// A builder with these credentials and every other setting at its default.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder::new(credentials)
    }

    /// A client configured from `TRUSTLY_*` environment variables (see
    /// [`ClientBuilder::from_env`]).
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_parts(
        base: Url,
        http: reqwest::Client,
        owns_http: bool,
        auth: HeaderValue,
        user_agent: HeaderValue,
        timeout: Duration,
        retry: RetryPolicy,
    ) -> Self {
        // The generated client joins paths onto the base URL as text: no trailing slash.
        let raw_base = base.as_str().trim_end_matches('/').to_owned();
        let raw = trustly_customers_api::Client::new_with_client(&raw_base, http.clone());
        Client {
            inner: Arc::new(Inner {
                base,
                http,
                owns_http,
                auth,
                user_agent,
                timeout,
                retry,
                raw,
            }),
        }
    }

    /// The generated client, for anything this crate does not cover. It shares this client's
    /// connection pool and base URL.
    ///
    /// When the builder made the HTTP client, the credentials are one of its default headers
    /// (marked sensitive), so raw calls are authenticated. With a client passed to
    /// [`ClientBuilder::http_client`], raw calls send only what that client sends. Raw calls
    /// are not retried or traced by this crate, and its `Debug`/`Display` are not redacted.
    pub fn raw(&self) -> &trustly_customers_api::Client {
        &self.inner.raw
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.base.as_str()
    }

    /// Creates a customer, or updates the one the body names by `customerId` or `externalId`
    /// (`POST /customers`).
    ///
    /// Retried only when the body names its customer; a body naming none creates a customer
    /// each time it arrives, so it is retried only if the connection could not be opened.
    pub async fn create_or_update_customer(
        &self,
        customer: &NewCustomer,
    ) -> Result<Customer, Error> {
        let repeatable = if customer.names_its_customer() {
            Repeatable::Yes
        } else {
            Repeatable::OnlyIfUnsent
        };
        let call = Call {
            operation: "create_or_update_customer",
            method: Method::POST,
            url: self.url(&["customers"]),
            body: Some(json_body(customer)?),
            repeatable,
        };
        Ok(self.execute::<CustomerEnvelope>(call).await?.customer)
    }

    /// Creates or updates the customer with this external id (`POST /customers?externalId=…`).
    /// Safe to repeat, so retried; an empty external id names no customer, so then it is
    /// retried only as [`create_or_update_customer`](Self::create_or_update_customer) would be.
    pub async fn upsert_customer_by_external_id(
        &self,
        external_id: &ExternalId,
        customer: &NewCustomer,
    ) -> Result<Customer, Error> {
        let repeatable = if !external_id.as_str().is_empty() || customer.names_its_customer() {
            Repeatable::Yes
        } else {
            Repeatable::OnlyIfUnsent
        };
        let mut url = self.url(&["customers"]);
        url.query_pairs_mut()
            .append_pair("externalId", external_id.as_str());
        let call = Call {
            operation: "upsert_customer_by_external_id",
            method: Method::POST,
            url,
            body: Some(json_body(customer)?),
            repeatable,
        };
        Ok(self.execute::<CustomerEnvelope>(call).await?.customer)
    }

    /// The customer with this id (`GET /customers/{customerId}`); [`ErrorKind::NotFound`] if
    /// there is none.
    pub async fn get_customer(&self, id: &CustomerId) -> Result<Customer, Error> {
        let call = Call {
            operation: "get_customer",
            method: Method::GET,
            url: self.url(&["customers", path_segment(id)?]),
            body: None,
            repeatable: Repeatable::Yes,
        };
        Ok(self.execute::<CustomerEnvelope>(call).await?.customer)
    }

    /// The customer with this external id, or `None` (`GET /customers?externalId=…`).
    ///
    /// An empty list and a 404 both mean "none", so this works with a server that answers
    /// either way. Only a customer whose `externalId` is this one counts: a server (or a proxy)
    /// that ignored the filter and answered with other customers must not make this return
    /// someone else, whom a caller would then update.
    pub async fn find_customer_by_external_id(
        &self,
        external_id: &ExternalId,
    ) -> Result<Option<Customer>, Error> {
        let filter = ListFilter::all().external_id(external_id.clone());
        let call = self.list_call("find_customer_by_external_id", &filter);
        match self.execute::<CustomerListEnvelope>(call).await {
            Ok(list) => Ok(list
                .customers
                .into_iter()
                .find(|c| c.external_id.as_ref() == Some(external_id))),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The customers matching the filter (`GET /customers`).
    pub async fn list_customers(&self, filter: &ListFilter) -> Result<Vec<Customer>, Error> {
        let call = self.list_call("list_customers", filter);
        Ok(self.execute::<CustomerListEnvelope>(call).await?.customers)
    }

    /// Applies a merge patch to the customer with this id (`POST /customers/{customerId}`):
    /// fields set overwrite, fields cleared are removed, the rest stay. Safe to repeat.
    pub async fn update_customer(
        &self,
        id: &CustomerId,
        patch: &CustomerPatch,
    ) -> Result<Customer, Error> {
        let call = Call {
            operation: "update_customer",
            method: Method::POST,
            url: self.url(&["customers", path_segment(id)?]),
            body: Some(json_body(patch)?),
            repeatable: Repeatable::Yes,
        };
        Ok(self.execute::<CustomerEnvelope>(call).await?.customer)
    }

    fn list_call(&self, operation: &'static str, filter: &ListFilter) -> Call {
        let mut url = self.url(&["customers"]);
        if filter.external_id.is_some() || filter.customer_id.is_some() {
            let mut query = url.query_pairs_mut();
            if let Some(id) = &filter.external_id {
                query.append_pair("externalId", id.as_str());
            }
            if let Some(id) = &filter.customer_id {
                query.append_pair("customerId", id.as_str());
            }
        }
        Call {
            operation,
            method: Method::GET,
            url,
            body: None,
            repeatable: Repeatable::Yes,
        }
    }

    /// The base URL with path segments appended, each percent-encoded (an id containing `/`
    /// or `?` stays one segment).
    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.inner.base.clone();
        {
            let mut path = url
                .path_segments_mut()
                .expect("checked in the builder: a base URL");
            path.pop_if_empty();
            path.extend(segments);
        }
        url
    }

    /// Sends a call, retrying as the policy and the call allow, inside one tracing span.
    async fn execute<T: DeserializeOwned>(&self, call: Call) -> Result<T, Error> {
        let span = tracing::info_span!(
            target: "trustly_customers",
            "trustly_customers.call",
            operation = call.operation,
            method = %call.method,
            status = field::Empty,
            attempt = field::Empty,
            latency_ms = field::Empty,
        );
        let started = Instant::now();
        let operation = call.operation;
        async move {
            let mut attempt = 0u32;
            let mut last_status: Option<u16>;
            let result = loop {
                attempt += 1;
                let attempt_started = Instant::now();
                let outcome = self.attempt::<T>(&call).await;
                let status = match &outcome {
                    Ok((_, status)) => Some(*status),
                    Err(e) => e.status(),
                };
                last_status = status;
                let elapsed_ms = attempt_started.elapsed().as_secs_f64() * 1e3;
                match outcome {
                    Ok((value, _)) => {
                        tracing::debug!(target: "trustly_customers", attempt, status, elapsed_ms, "attempt succeeded");
                        break Ok(value);
                    }
                    Err(error) => {
                        let delay = if call.repeatable.allows_retry_of(&error) {
                            self.inner.retry.delay_before(attempt, &error)
                        } else {
                            None
                        };
                        match delay {
                            Some(delay) => {
                                tracing::info!(
                                    target: "trustly_customers",
                                    attempt, status, elapsed_ms, kind = ?error.kind(),
                                    retry_in_ms = delay.as_millis() as u64,
                                    "attempt failed; retrying"
                                );
                                tokio::time::sleep(delay).await;
                            }
                            None => {
                                tracing::debug!(
                                    target: "trustly_customers",
                                    attempt, status, elapsed_ms, kind = ?error.kind(),
                                    "attempt failed; not retrying"
                                );
                                break Err(error.with_operation(operation, attempt));
                            }
                        }
                    }
                }
            };
            // Recorded once, at the end: the span describes the call's outcome.
            let span = tracing::Span::current();
            span.record("attempt", attempt);
            if let Some(status) = last_status {
                span.record("status", status);
            }
            span.record("latency_ms", started.elapsed().as_secs_f64() * 1e3);
            result
        }
        .instrument(span)
        .await
    }

    /// One attempt: send, read the whole body (within the timeout), classify, decode.
    async fn attempt<T: DeserializeOwned>(&self, call: &Call) -> Result<(T, u16), Error> {
        let inner = &*self.inner;
        let mut request = inner.http.request(call.method.clone(), call.url.clone());
        if !inner.owns_http {
            // A caller-supplied client knows nothing of our credentials, user agent or
            // timeout. Our own client carries all three already (one timer per request, not
            // two).
            request = request
                .timeout(inner.timeout)
                .header(ACCEPT, HeaderValue::from_static("application/json"))
                .header(AUTHORIZATION, inner.auth.clone())
                .header(USER_AGENT, inner.user_agent.clone());
        }
        if let Some(body) = &call.body {
            request = request
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body.clone());
        }
        let response = request.send().await.map_err(transport_error)?;
        let status = response.status();
        // Only what may be needed later is kept of the headers (no copy of the whole map).
        let content_type = response.headers().get(CONTENT_TYPE).cloned();
        let retry_after = if status.is_success() {
            None
        } else {
            parse_retry_after(response.headers())
        };
        let body = response.bytes().await.map_err(transport_error)?;
        let content_type = content_type.as_ref().and_then(|v| v.to_str().ok());

        if status.is_success() {
            return serde_json::from_slice::<T>(&body)
                .map(|value| (value, status.as_u16()))
                .map_err(|e| {
                    Error::new(ErrorKind::Decode, decode_failure::<T>(&body, &e))
                        .with_status(status.as_u16())
                        .with_excerpt(BodyExcerpt::of(&body, content_type))
                });
        }
        Err(status_error(status, retry_after, &body, content_type))
    }
}

/// A customer id as a path segment. Empty, `.` and `..` are refused: the URL would drop or
/// resolve them and address `/customers` itself, so a get would read the list and an update
/// would create a new customer from the patch.
fn path_segment(id: &CustomerId) -> Result<&str, Error> {
    match id.as_str() {
        "" | "." | ".." => Err(Error::config("a customer id cannot be empty, `.` or `..`")),
        id => Ok(id),
    }
}

fn json_body<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value).map_err(|_| Error::config("the request body could not be serialized"))
}

fn transport_error(error: reqwest::Error) -> Error {
    // The URL can carry an external id; it stays out of every message.
    let error = error.without_url();
    let kind = if error.is_timeout() {
        ErrorKind::Timeout
    } else {
        ErrorKind::Transport
    };
    let detail = if error.is_timeout() {
        "no complete response within the timeout"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_body() || error.is_decode() {
        "the response body could not be read"
    } else {
        "the request could not be completed"
    };
    Error::new(kind, detail).with_source(error)
}

fn status_error(
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &[u8],
    content_type: Option<&str>,
) -> Error {
    let code = status.as_u16();
    let kind = Error::kind_for_status(code);
    let mut error = Error::new(kind, "")
        .with_status(code)
        .with_retry_after(retry_after);
    // Trustly's error body; the generated type is the spec's own definition of it. A body that
    // is not one (a proxy's HTML page) leaves the list empty: the status says enough.
    match serde_json::from_slice::<trustly_customers_api::types::ErrorBody>(body) {
        Ok(parsed) => {
            error = error.with_api_errors(
                parsed
                    .errors
                    .into_iter()
                    .map(|e| ApiErrorDetail {
                        domain: e.domain,
                        code: i64::from(e.code),
                        message: e.message,
                        location: e.location,
                    })
                    .collect(),
            );
        }
        Err(_) if !body.is_empty() => {
            error = error.with_excerpt(BodyExcerpt::of(body, content_type))
        }
        Err(_) => {}
    }
    if kind == ErrorKind::Decode {
        // A redirect or other non-error status this API never sends.
        error = Error::new(ErrorKind::Decode, format!("unexpected HTTP status {code}"))
            .with_status(code);
    }
    error
}
