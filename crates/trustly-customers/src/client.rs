//! The client: the generated client, configured, with a retry policy and the redactor of its
//! credentials. It is built by `config.rs` (`Client::builder`, beside the builder); its
//! operation methods are generated (`generated.rs`); a few compound ones are in `extras.rs`.

use std::fmt;

use trustly_customers_api::ClientInfo;

use crate::redact::Redactor;
use crate::retry::RetryPolicy;

/// A client for the Customers API: one method per operation of the spec, each authenticated,
/// traced, and retried as far as repeating it is safe. Cheap to clone: clones share one
/// connection pool.
///
/// Build one with [`Client::builder`] or [`Client::from_env`].
#[derive(Clone)]
pub struct Client {
    api: trustly_customers_api::Client,
    retry: RetryPolicy,
    redactor: Redactor,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("settings", self.api.inner())
            .field("retry", &self.retry)
            .finish()
    }
}

impl Client {
    pub(crate) fn from_parts(
        api: trustly_customers_api::Client,
        retry: RetryPolicy,
        redactor: Redactor,
    ) -> Client {
        Client {
            api,
            retry,
            redactor,
        }
    }

    /// The generated client every operation goes through, for calling it directly: the same
    /// connection pool, credentials, user agent and timeout, with neither retries nor tracing.
    pub fn api(&self) -> &trustly_customers_api::Client {
        &self.api
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.api.baseurl()
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The redactor of this client's credentials, which every text it shows has passed (its
    /// errors' `Display`, `Debug`, body excerpts and causes): for a program to pass what it
    /// shows besides (its own log lines, say) through the same one.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }
}
