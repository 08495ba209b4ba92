//! Where the command line's settings come from: the environment variables it reads, and the
//! source of the server's URL, as failures name them. A leaf: the client's configuration
//! (`connect`) and the failures' texts (`exit`) both read it.

use crate::options::Global;

/// The credential variables. Credentials are only ever read from the environment.
pub(crate) const ACCESS_ID: &str = "TRUSTLY_ACCESS_ID";
pub(crate) const ACCESS_KEY: &str = "TRUSTLY_ACCESS_KEY";

/// Where the server's URL came from, as a failure names it: a flag, a variable, or the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ServerSource(&'static str);

impl std::fmt::Display for ServerSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl ServerSource {
    /// Where the server comes from, in the order the client is configured (below).
    pub(crate) fn of(global: &Global, set: impl Fn(&str) -> bool) -> ServerSource {
        ServerSource(if global.base_url.is_some() {
            "--base-url"
        } else if global.environment.is_some() {
            "--env"
        } else if set(BASE_URL) {
            BASE_URL
        } else if set(ENVIRONMENT) {
            ENVIRONMENT
        } else {
            "the default, --env sandbox"
        })
    }
}

/// The variables naming the server, read by the library's `ClientBuilder::from_lookup`.
pub(crate) const BASE_URL: &str = "TRUSTLY_BASE_URL";
pub(crate) const ENVIRONMENT: &str = "TRUSTLY_ENVIRONMENT";
