//! Client for Trustly's (North America) Customers API.
//!
//! A hand-written layer over the generated `trustly-customers-api` crate, adding what a
//! payments backend needs and the generator leaves out: authentication, typed ids, merge
//! patches that can remove a property, safe retries, timeouts, tracing, one matchable error
//! type, and `Debug` output that never shows personal data.
//!
//! # Quickstart
//!
//! ```no_run
//! use trustly_customers::{
//!     Address, Client, Credentials, CustomerPatch, ErrorKind, ExternalId, NewCustomer, Patch,
//! };
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
//! let external_id = ExternalId::new("4567890");
//! let customer = client.upsert_customer_by_external_id(&external_id, &new).await?;
//! let id = customer.customer_id.clone().expect("Trustly assigns an id");
//!
//! // Remove the tax id and change the phone number; everything else stays.
//! let patch = CustomerPatch {
//!     tax_id: Patch::Clear,
//!     phone: Some("+16505550000".into()),
//!     ..CustomerPatch::new()
//! };
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
//! # Design choices
//!
//! - **Requests are built with reqwest here, not by the generated client.** The generated
//!   client cannot send an explicit `null` (its `Option` fields skip `None`, and Trustly reads
//!   `null` as "remove this property"), has fixed, empty hooks (so no per-request credentials,
//!   retries or tracing), and applies a silent 15 s timeout. Its `ErrorBody` type still decodes
//!   error responses, and the generated client itself is one call away: [`Client::raw`] shares
//!   this client's connection pool (see there for what it does about credentials).
//! - **Required fields are constructor arguments** ([`NewCustomer::new`], [`Address::new`],
//!   [`DriverLicense::new`]): a missing one is a compile error, not a 400.
//! - **Three states for a patch** ([`Patch`]): unchanged (absent), clear (`null`), set (value).
//!   The four properties every customer must have can be replaced but not cleared.
//! - **Timestamps are [`jiff::Timestamp`]**, epoch milliseconds on the wire.
//! - **Lenient reading, strict writing**: a [`Customer`] from the server tolerates unknown
//!   properties and `null`s; a [`NewCustomer`] or [`CustomerPatch`] read from a file refuses
//!   unknown properties, naming them.
//! - **Credentials** ([`Credentials`]) are secrets: never in `Debug`, `Display` or logs, sent
//!   as a sensitive header, and refused over plain `http://` except to loopback.
//!
//! # Retries
//!
//! On by default ([`RetryPolicy::default`]: 3 retries, 200 ms base delay, 5 s cap), for
//! transport failures, timeouts, 429, 502, 503 and 504, honouring `Retry-After`. Only requests
//! that are safe to repeat are retried: GETs, update by id, and create-or-update that names its
//! customer by `externalId` (query or body) or `customerId`. A create-or-update naming neither
//! would create a second customer, so it is never retried once it may have reached the server
//! (only a failure to connect, when nothing was sent, is retried). Details on [`RetryPolicy`].
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
//! [`is_retryable`](Error::is_retryable). Its `Display` is one line with no credentials,
//! personal data or URLs; an undecodable response carries a [`BodyExcerpt`]: length, content
//! type and a masked shape, never a value.
//!
//! # Tracing
//!
//! Every call is one `tracing` span under target `trustly_customers`, named
//! `trustly_customers.call`, with fields `operation`, `method`, `status`, `attempt` and
//! `latency_ms`; each attempt logs an event (`debug`, or `info` when it will be retried). No
//! URL, id value, body or header is ever recorded.
#![deny(missing_docs)]

mod client;
mod config;
mod customer;
mod error;
mod excerpt;
mod ids;
mod patch;
mod redact;
mod retry;

pub use client::{Client, ListFilter};
pub use config::{
    ClientBuilder, Credentials, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT,
    Environment,
};
pub use customer::{Address, CustomData, Customer, DriverLicense, NewCustomer, Vip};
pub use error::{ApiErrorDetail, Error, ErrorKind};
pub use excerpt::{BodyExcerpt, SHAPE_LIMIT};
pub use ids::{CustomerId, ExternalId, MerchantId};
pub use patch::{CustomerPatch, Patch};
pub use retry::RetryPolicy;
/// The generated crate, re-exported for [`Client::raw`] users.
pub use trustly_customers_api as api;
