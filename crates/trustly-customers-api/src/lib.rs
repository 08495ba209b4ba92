//! A typed client for Trustly's (North America) Customers API, generated from
//! `openapi/customers.yaml` by `cargo xtask codegen`.
//!
//! One async method per operation on [`Client`]; request and response bodies in [`types`];
//! every documented error status comes back as [`Error::ErrorResponse`] carrying the parsed
//! [`types::ErrorBody`].
//!
//! ```no_run
//! use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
//! use trustly_customers_api::{Client, Error, types};
//!
//! # async fn example() -> Result<(), Error<types::ErrorBody>> {
//! // Trustly authenticates with HTTP Basic: base64("accessId:accessKey"). The generated client
//! // does not apply the spec's security scheme, so the header goes on the `reqwest::Client`.
//! let mut auth = HeaderValue::from_static("Basic bXktYWNjZXNzLWlkOm15LWFjY2Vzcy1rZXk=");
//! auth.set_sensitive(true);
//! let http = reqwest::Client::builder()
//!     .default_headers(HeaderMap::from_iter([(AUTHORIZATION, auth)]))
//!     .build()
//!     .expect("a client with these settings builds");
//! let client = Client::new_with_client("https://sandbox.trustly.one/api/v1", http);
//!
//! // Look a customer up by the merchant's own id; an empty list means there is none.
//! let found = client.list_customers(None, Some("4567890")).await?.into_inner();
//! let Some(customer) = found.customers.into_iter().next() else {
//!     return Ok(());
//! };
//! let id = customer.customer_id.clone().unwrap_or_default();
//!
//! // Change one property: a `CustomerUpdate` carries only what it sets.
//! let patch = types::CustomerUpdate {
//!     phone: Some("+16505550000".into()),
//!     ..Default::default()
//! };
//! let updated = client.update_customer(&id, &patch).await?.into_inner().customer;
//! assert_eq!(updated.phone, "+16505550000");
//!
//! // Every documented error status carries Trustly's error body.
//! match client.get_customer("no-such-id").await {
//!     Ok(response) => println!("found {}", response.customer.name),
//!     Err(Error::ErrorResponse(e)) if e.status() == 404 => {
//!         println!("not found: code {}", e.errors[0].code)
//!     }
//!     Err(other) => return Err(other),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Why positional methods
//!
//! The generator can emit either positional methods (`client.get_customer(&id)`) or builders
//! (`client.get_customer().customer_id(&id).send()`). This crate uses positional methods:
//! every parameter is an argument, so leaving out a required one is a compile error, where the
//! builders report it only at run time when `send()` is called. They also keep the generated
//! module less than half the size, which keeps builds short. Request bodies are plain structs
//! with public fields, so a missing required field is a compile error too.
//!
//! # TLS
//!
//! The default feature `native-tls` uses the platform's TLS (OpenSSL on Linux). With
//! `default-features = false, features = ["rustls"]` the crate uses rustls instead, with no
//! system library. Without either, only plain `http://` URLs (a local emulator) can be reached.
//!
//! # What this crate leaves to the caller
//!
//! It is generated code and only that: no authentication, no retries, no redaction of personal
//! data in `Debug`, and `Option` fields cannot send an explicit `null` (which Trustly reads as
//! "remove this property"). The hand-written `trustly-customers` crate adds those; this one stays
//! usable on its own for anything that crate does not cover.
//!
//! Every request also carries an `api-version: 1.0.0` header (the spec's `info.version`), which
//! the generator adds unconditionally.

// The generated module is private and re-exported whole: its path is an implementation detail,
// and this file is where hand-written docs and additions go. Generated code is never edited.
// rustfmt must leave it as prettyplease wrote it, or `cargo xtask codegen --check` would fail
// (and reindented doc comments would turn into code blocks).
#[rustfmt::skip]
#[allow(clippy::all, unreachable_pub, missing_debug_implementations)]
mod generated;

pub use generated::*;
