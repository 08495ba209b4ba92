//! From flags and environment variables to a configured client.

use trustly_customers::{Client, Credentials, Environment, RetryPolicy};

use crate::args::Global;
use crate::exit::Failure;

/// The environment variables the CLI reads. Credentials are only ever read from here.
pub(crate) const ACCESS_ID: &str = "TRUSTLY_ACCESS_ID";
pub(crate) const ACCESS_KEY: &str = "TRUSTLY_ACCESS_KEY";
pub(crate) const BASE_URL: &str = "TRUSTLY_BASE_URL";
pub(crate) const ENVIRONMENT: &str = "TRUSTLY_ENVIRONMENT";

/// Builds the client: the flags first, then `TRUSTLY_*` variables, then the defaults.
/// `env` looks a variable up (the process environment, or a map in tests).
pub(crate) fn client(
    global: &Global,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Client, Failure> {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    let (Some(access_id), Some(access_key)) = (set(ACCESS_ID), set(ACCESS_KEY)) else {
        return Err(Failure::usage(format!(
            "no credentials: set {ACCESS_ID} and {ACCESS_KEY} (never passed as flags)"
        )));
    };
    let mut builder = Client::builder(Credentials::new(access_id, access_key));
    let target = &global.target;
    if let Some(url) = target.base_url.clone().or_else(|| {
        // A flag naming the environment wins over a base URL from the environment.
        target
            .environment
            .is_none()
            .then(|| set(BASE_URL))
            .flatten()
    }) {
        builder = builder.base_url(&url);
    } else {
        let name = target
            .environment
            .clone()
            .or_else(|| set(ENVIRONMENT))
            .unwrap_or_else(|| "sandbox".into());
        let environment = match name.as_str() {
            "sandbox" => Environment::Sandbox,
            "production" => Environment::Production,
            other => {
                return Err(Failure::usage(format!(
                    "{ENVIRONMENT} must be sandbox or production, not {other:?}"
                )));
            }
        };
        builder = builder.environment(environment);
    }
    if let Some(timeout) = global.timeout {
        builder = builder.timeout(timeout);
    }
    if let Some(retries) = global.retries {
        builder = builder.retry_policy(RetryPolicy::default().max_retries(retries));
    }
    Ok(builder.build()?)
}
