//! Client for Trustly's (North America) Customers API.
//!
//! The generated `trustly-customers-api` client with what a payments backend needs on top:
//! configuration and credentials, safe retries, timeouts, tracing, and one matchable error
//! type whose messages never carry personal data.
//!
//! # Quickstart
//!
//! ```no_run
//! use trustly_customers::{Address, Client, Credentials, ErrorKind, ExternalId, NewCustomer};
//! use trustly_customers::CustomerPatch;
//!
//! # async fn example() -> Result<(), trustly_customers::Error> {
//! // Sandbox by default; `.base_url("http://127.0.0.1:8080/api/v1")` for a local emulator.
//! let client = Client::builder(Credentials::new("my-access-id", "my-access-key")).build()?;
//! // Or from TRUSTLY_ACCESS_ID / TRUSTLY_ACCESS_KEY / TRUSTLY_BASE_URL / TRUSTLY_ENVIRONMENT:
//! // let client = Client::from_env()?;
//!
//! // Create (or update) the customer the merchant knows as "4567890".
//! let new = NewCustomer::new(
//!     "Joe User",
//!     Address::new("US").address1("2000 Broadway St").city("Redwood City").state("CA").zip("94063"),
//!     "+16505551212",
//!     "joe.user@mail.com",
//! )
//! .tax_id("012345678");
//! let external_id = ExternalId::from("4567890");
//! let customer = client.upsert_customer_by_external_id(&external_id, &new).await?;
//! let id = customer.customer_id.clone().expect("Trustly assigns an id");
//!
//! // Remove the tax id (sent as `null`) and change the phone number; everything else stays.
//! // Update by id takes a whole record: this reads the customer, changes it, sends it back.
//! let patch = CustomerPatch::new().clear_tax_id().phone("+16505550000");
//! client.update_customer(&id, &patch).await?;
//!
//! // Not found is an error kind to match on, or an `Option` when looking up by external id.
//! match client.get_customer(&id).await {
//!     Ok(customer) => println!("{customer:?}"), // personal data redacted
//!     Err(e) if e.kind() == ErrorKind::NotFound => println!("gone"),
//!     Err(e) => return Err(e),
//! }
//! assert!(client.find_customer_by_external_id(&external_id).await?.is_some());
//! # Ok(())
//! # }
//! ```
//!
//! # How it is built
//!
//! The spec (`openapi/customers.yaml`) says everything about the API once; `cargo xtask
//! codegen` carries it into the code, and nothing here repeats it.
//!
//! - **The types are the generated ones**, re-exported: [`Customer`], [`Address`], the ids...
//!   They redact personal data (`x-pii`) in `Debug`, take their required
//!   properties in `new`, have a setter per optional property, carry `null` where the spec
//!   allows it ([`Nullable`]), use typed ids and [`Timestamp`]s, and read leniently (unknown
//!   properties are ignored). See the `trustly-customers-api` docs.
//! - **[`NewCustomer`]** is generated too: a `Customer` as a request carries it, without the
//!   server's own properties (`readOnly`); and **[`CustomerPatch`]**: changes to one (set,
//!   clear or leave each property), which [`Client::update_customer`] applies to the customer
//!   it reads before sending the whole record back with [`Client::replace_customer`].
//! - **Every operation is a generated method on [`Client`]** that calls the generated client's
//!   method (which builds the request) inside this crate's retries and tracing. A response
//!   that wraps one record (`{"customer": …}`) returns the record. An operation added to the
//!   spec is a method here after `cargo xtask codegen`, with nothing written by hand.
//! - **Credentials, user agent and timeout** are the generated client's settings, applied by
//!   its hooks to every request; [`Client::api`] is that generated client, authenticated.
//! - **By hand**: configuration ([`ClientBuilder`]), the retry policy ([`RetryPolicy`]), the
//!   error type ([`Error`]), tracing, and the few compound operations in `extras.rs`
//!   ([`Client::update_customer`], [`Client::find_customer_by_external_id`],
//!   [`Client::upsert_customer_by_external_id`]).
//!
//! # Retries
//!
//! On by default ([`RetryPolicy::default`]: 3 retries, 200 ms base delay, 5 s cap), for
//! transport failures, timeouts, 429, 502, 503 and 504, honouring `Retry-After`. Only requests
//! that are safe to repeat are retried, as the spec says of each operation: GETs, update by id
//! (`x-idempotent`), and create-or-update that names its customer by `externalId` (query or
//! body) or `customerId` (`x-idempotent-when-given`). A create-or-update naming neither would
//! create a second customer, so it is never retried once it may have reached the server (only
//! a failure to connect, when nothing was sent, is retried). Details on [`RetryPolicy`].
//!
//! # Timeouts
//!
//! [`DEFAULT_CONNECT_TIMEOUT`] (10 s) to connect and [`DEFAULT_TIMEOUT`] (30 s) per attempt,
//! covering the whole response. Retries get a fresh allowance each, so the longest a call can
//! take is about `(retries + 1) × timeout` plus the delays between attempts.
//!
//! # Errors
//!
//! One [`Error`] with a [`kind`](Error::kind) to match on ([`ErrorKind`]), the HTTP
//! [`status`](Error::status), Trustly's parsed [`api_errors`](Error::api_errors), and
//! [`is_retryable`](Error::is_retryable), and where the request went
//! ([`method`](Error::method), [`url`](Error::url): the operation's path with its ids as
//! placeholders, no query). Its `Display` is one line with no credentials or personal data
//! ([`Report`]); an undecodable response carries a [`BodyExcerpt`]: length, content type and a
//! masked shape, never a value. A 404 is [`ErrorKind::NotFound`] only with Trustly's error
//! body; without it, [`ErrorKind::NoSuchEndpoint`]: the base URL is wrong.
//!
//! # Credentials, whatever the server sends
//!
//! A server can quote a request back: its access key in a message, its `Authorization` header
//! in a body. Every text of an [`Error`] that came from an answer (its detail, Trustly's
//! `errors[]`, the body excerpt, its causes) passes the client's one [`Redactor`] as the error
//! is made, which replaces the access key, the access id and the `Authorization` token with
//! [`REDACTED`]. [`Client::redactor`] hands it to a program for what it shows besides (the
//! command line passes its failure line and its `-v` log through it). Only an error pays for
//! it: a call that succeeds never uses it.
//!
//! # Tracing
//!
//! Every call is one `tracing` span under target `trustly_customers`, named
//! `trustly_customers.call`, with fields `operation`, `method`, `status`, `attempt` and
//! `latency_ms`; each attempt logs an event (`debug`, or `info` when it will be retried). No
//! URL, id value, body or header is ever recorded, nor any text of an answer (a failed attempt
//! records its error's kind, not its text).
//!
//! # Tests and examples: feature `test-util`
//!
//! The module `test_util` hands out a [`Client`] wired to a local emulator (`trustly-customers-mock`)
//! started in the same process: `test_util::LocalEmulator::start().await` holds the emulator
//! and a client with its URL and credentials, for tests of code built on this crate with no
//! account and no network. It is for tests and examples, not for production: enable it under
//! `[dev-dependencies]` (`features = ["test-util"]`). The crate's own examples run on its
//! `test_util::connect`: the environment `TRUSTLY_*` names when credentials are set, else a
//! local emulator.
#![deny(missing_docs)]

mod call;
mod cause;
mod client;
mod config;
mod credentials;
mod error;
mod excerpt;
mod extras;
// Generated by `cargo xtask codegen` from the spec; never edited by hand (see the module docs
// of `lib.rs` of the generated crate for why rustfmt must leave it alone).
#[rustfmt::skip]
#[allow(clippy::all, missing_docs)]
mod generated;
mod redact;
mod retry;
mod retry_after;
// For tests and examples (feature `test-util`, off by default): a client of a local emulator.
#[cfg(feature = "test-util")]
pub mod test_util;

pub use client::Client;
pub use config::{ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT};
pub use credentials::Credentials;
pub use error::{Error, ErrorKind, Report, short_domain};
pub use excerpt::{BodyExcerpt, SHAPE_LIMIT};
pub use generated::*;
pub use redact::{MIN_SECRET_CHARS, REDACTED, Redactor};
pub use retry::RetryPolicy;
/// The generated crate: its client is [`Client::api`].
pub use trustly_customers_api as api;
pub use trustly_customers_api::types;
pub use trustly_customers_api::{Nullable, Timestamp};
