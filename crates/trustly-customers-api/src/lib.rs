//! A typed client for Trustly's (North America) Customers API, generated from
//! `openapi/customers.yaml` by `cargo xtask codegen`.
//!
//! One async method per operation on [`Client`]; request and response bodies in [`types`];
//! every documented error status comes back as [`Error::ErrorResponse`] carrying the parsed
//! [`types::ErrorBody`].
//!
//! ```no_run
//! use trustly_customers_api::{Client, Error, RequestSettings, types};
//!
//! # async fn example() -> Result<(), Error<types::ErrorBody>> {
//! // Credentials, user agent and timeout go on every request through the client's settings.
//! let settings = RequestSettings::new().basic_auth("my-access-id", "my-access-key");
//! let client = Client::new("https://sandbox.trustly.one/api/v1", settings);
//!
//! // Look a customer up by the merchant's own id; an empty list means there is none.
//! let external_id = types::ExternalId::from("4567890");
//! let found = client.list_customers(None, Some(&external_id)).await?.into_inner();
//! let Some(customer) = found.customers.into_iter().next() else {
//!     return Ok(());
//! };
//! let id = customer.customer_id.clone().expect("Trustly assigns every customer an id");
//!
//! // Update by id takes the whole record: change the one read and send it back. The tax id
//! // is sent as `null`, which removes it.
//! let mut record = customer;
//! record.phone = "+16505550000".into();
//! record.tax_id = trustly_customers_api::Nullable::Null;
//! let updated = client.replace_customer(&id, &record).await?.into_inner().customer;
//! assert_eq!(updated.phone, "+16505550000");
//!
//! // Every documented error status carries Trustly's error body.
//! match client.get_customer(&"no-such-id".into()).await {
//!     Ok(response) => println!("found {:?}", response.customer), // personal data redacted
//!     Err(Error::ErrorResponse(e)) if e.status() == 404 => {
//!         println!("not found: code {}", e.errors[0].code)
//!     }
//!     Err(other) => return Err(other),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # What the spec carries into the code
//!
//! The generator (progenitor) writes the client; `cargo xtask codegen` then carries into it
//! what the spec says and the generator would otherwise drop (the spec's conventions, where
//! each may stand and what carries it, are the rows of `trustly_customers_spec::conventions`):
//!
//! - **`nullable`**: an optional nullable property is a [`Nullable`]: left out, `null` (which
//!   Trustly reads as "remove it") or a value. A plain `Option` could not send `null`.
//! - **`x-pii`**: `Debug` of a type with personal data shows whether each such value is there,
//!   never the value (`name: <redacted>`, `tax_id: Value(<redacted>)`).
//! - **`required`**: `Customer::new(name, address, phone, email)`, `Address::new(country)`:
//!   leaving a required property out is a compile error. Each optional property has a setter
//!   named after it (`.tax_id("…")`), and each nullable one a `clear_…` that sends `null`.
//!   Server-owned (`readOnly`) properties have no setter.
//! - **`x-known-values`**: Trustly's error codes are a [`types::ErrorCode`], with a constant
//!   per code the spec names (`ErrorCode::ACCESS_CONTROL`) to `match` on, and its `name()` and
//!   `description()`. A code the spec does not name decodes as itself, and a code prints as
//!   its number.
//! - **Ids** are types of their own ([`types::CustomerId`], [`types::ExternalId`], …): one
//!   cannot be passed for another. **Timestamps** are [`Timestamp`]s (epoch milliseconds on
//!   the wire, RFC 3339 when printed, [`std::time::SystemTime`] or, with the `jiff` feature,
//!   `jiff::Timestamp` when converted).
//!
//! # Why positional methods
//!
//! The generator can emit either positional methods (`client.get_customer(&id)`) or builders
//! (`client.get_customer().customer_id(&id).send()`). This crate uses positional methods:
//! every parameter is an argument, so leaving out a required one is a compile error, where the
//! builders report it only at run time when `send()` is called. They also keep the generated
//! module smaller, which keeps builds short.
//!
//! # Settings and hooks
//!
//! [`RequestSettings`] is the client's inner value: HTTP Basic credentials (a sensitive
//! header), user agent, a timeout per request, and an observer that sees every response
//! before its body is read. The generated client calls this crate's `ClientHooks` impl around
//! every request, which applies them; the generator is told to require that impl, so no
//! request can bypass it.
//!
//! # Path parameters
//!
//! A path parameter is sent as one path segment, percent-encoded, or not at all: a value that
//! cannot be one (empty, `.`, `..`, or with a backslash or a control character) would make the
//! URL address something else (`replace_customer` with an empty id would post to
//! `/customers/`, the create endpoint). The operation returns [`Error::InvalidRequest`] for
//! it, naming the parameter and what is wrong, before anything is sent.
//!
//! # A response whose body fails
//!
//! [`Error::ResponseBodyError`] and [`Error::InvalidResponsePayload`] carry no status or
//! headers; [`FailedResponseHead::take_response_head`] gives them, on the error, at once.
//!
//! # TLS
//!
//! The default feature `native-tls` uses the platform's TLS (OpenSSL on Linux). With
//! `default-features = false, features = ["rustls"]` the crate uses rustls instead, with no
//! system library. Without either, only plain `http://` URLs (a local emulator) can be reached.
//!
//! # What this crate leaves to the caller
//!
//! No retries and no tracing: the hand-written `trustly-customers` crate adds those on top of
//! this one, along with one error type whose messages never carry personal data (this crate's
//! [`Error`] prints response bodies it could not decode). Requests carry the headers the API
//! documents and no others: the generator's `api-version` header is left out.

// The generated module is private and re-exported whole: its path is an implementation detail,
// and this file is where hand-written docs and additions go. Generated code is never edited.
// rustfmt must leave it as prettyplease wrote it, or `cargo xtask codegen --check` would fail
// (and reindented doc comments would turn into code blocks).
#[rustfmt::skip]
#[allow(clippy::all, unreachable_pub, missing_debug_implementations)]
mod generated;

mod body_limit;
mod failed_response;
mod hooks;
mod nullable;
mod path_segment;
pub mod redact;
mod response;
mod settings;
mod timestamp;

pub use body_limit::is_response_too_large;
pub use failed_response::{FailedResponseHead, ResponseHead};
pub use generated::*;
pub use nullable::Nullable;
pub use progenitor_client::OperationInfo;
pub use settings::{DEFAULT_MAX_RESPONSE_BYTES, RequestSettings, ResponseObserver};
pub use timestamp::{OutOfRange, Timestamp};
