//! A stateful local emulator of Trustly's (North America) Customers API.
//!
//! It serves the four operations of `openapi/customers.yaml` under `/api/v1`, keeps the
//! customers it is sent, and answers like the API: create → get → update → list behaves as it
//! would against Trustly's sandbox, with no account and no network. Use it from tests and
//! examples through [`MockServer`], or run the `trustly-customers-mock` binary.
//!
//! ```no_run
//! use trustly_customers_mock::{Config, MockServer};
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! // Loopback, a free port, the default credentials, memory only.
//! let server = MockServer::start(Config::default()).await?;
//! let base_url = server.base_url(); // "http://127.0.0.1:PORT/api/v1"
//! let (id, key) = (server.access_id(), server.access_key());
//! // ... point a client at `base_url` with HTTP Basic `id`:`key` ...
//! # let _ = (base_url, id, key);
//! server.shutdown().await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Behaviour
//!
//! - HTTP Basic against [`Config::access_id`] / [`Config::access_key`] (defaults
//!   [`DEFAULT_ACCESS_ID`] / [`DEFAULT_ACCESS_KEY`]); otherwise 401 with code 375.
//! - Request bodies are checked against the spec's schemas (`Customer` for create-or-update,
//!   `CustomerUpdate` for update by id); each violation is one entry of the 400 error body,
//!   naming the field by JSON pointer, never quoting the value.
//! - Merges are top-level: a property sent replaces the stored value, `null` removes it, a
//!   property left out stays. `customerId`, `createdAt`, `updatedAt` and `merchantId` belong to
//!   the server; values sent for them are ignored (a `customerId` in a create-or-update body
//!   names the customer to update, and 404 when none has it).
//! - `externalId` is unique; an update that would give it to a second customer is a 400.
//! - Wrong content type 415, a body above [`Config::max_body_bytes`] 413, malformed JSON 400,
//!   an unknown path 404, a wrong method 405, all with Trustly's error body.
//!
//! # Design
//!
//! - **axum on tokio and hyper**: the most used Rust HTTP stack, maintained by the tokio
//!   project, and the runtime the generated client already uses, so tests run client and
//!   emulator on one runtime.
//! - **Records as JSON bytes** behind one `std::sync::RwLock`: reads copy bytes without
//!   serializing; the lock is never held across an `.await`, and a change (lookup, merge, check,
//!   insert) is one step under it, so parallel upserts of one `externalId` make one customer.
//! - **Data file** ([`Config::data`]): a SQLite database (bundled, WAL mode, flushed at every
//!   commit), one row per customer, written by one writer task. A change is answered only after
//!   a commit that includes it is on disk; changes that arrive during a commit share the next
//!   one (group commit), and a commit writes only the customers changed since the previous one,
//!   so its cost does not grow with the number of customers. The store is loaded into memory at
//!   start. A corrupt, foreign or unreadable file stops the start with
//!   [`StartError::DataFile`]; it is never written to. A JSON data file of the emulator's earlier
//!   format (`trustly-customers-mock/1`) is migrated at start and kept as `FILE.v1.bak`.
#![deny(missing_docs)]

mod auth;
mod clock;
mod config;
mod data_file;
mod database;
mod error_body;
// Not part of the API (feature `fuzzing`, off by default): the fuzz targets' way in to the
// router and the data file decoder, with no socket and no file.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod persist;
mod routes;
mod server;
mod start_error;
mod store;

#[cfg(test)]
mod routes_tests;

/// A new empty directory for one unit test, under the system's temporary directory.
#[cfg(test)]
fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "trustly-customers-mock-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
#[cfg(test)]
mod store_tests;

pub use config::{
    Config, DEFAULT_ACCESS_ID, DEFAULT_ACCESS_KEY, DEFAULT_MAX_BODY_BYTES, DEFAULT_MERCHANT_ID,
};
pub use server::{MockServer, ShutdownError};
pub use start_error::StartError;
