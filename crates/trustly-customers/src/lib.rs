//! Client for Trustly's (North America) Customers API.
//!
//! PLACEHOLDER
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
