//! From flags and environment variables to a configured client.

use trustly_customers::{Client, ClientBuilder, Environment, RetryPolicy};

use crate::exit::Failure;
use crate::options::Global;

/// The credential variables. Credentials are only ever read from the environment.
pub(crate) const ACCESS_ID: &str = "TRUSTLY_ACCESS_ID";
pub(crate) const ACCESS_KEY: &str = "TRUSTLY_ACCESS_KEY";

/// Builds the client: the flags first, then the `TRUSTLY_*` variables (read as the library's
/// `ClientBuilder::from_env` reads them), then the library's defaults. `env` looks a variable up
/// (the process environment, or a map in tests).
pub(crate) fn client(
    global: &Global,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Client, Failure> {
    let set = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    if set(ACCESS_ID).is_none() || set(ACCESS_KEY).is_none() {
        // Named together: an operator fixing one would otherwise meet the other next.
        return Err(Failure::usage(format!(
            "no credentials: set {ACCESS_ID} and {ACCESS_KEY} (never passed as flags)"
        )));
    }
    let mut builder = ClientBuilder::from_lookup(&env)?;
    // A flag naming the server wins over TRUSTLY_BASE_URL and TRUSTLY_ENVIRONMENT.
    if let Some(url) = &global.base_url {
        builder = builder.base_url(url);
    }
    if let Some(name) = &global.environment {
        let environment = Environment::from_name(name).ok_or_else(|| {
            Failure::usage(format!(
                "--env must be one of {}, not {name:?}",
                Environment::NAMES.join(", ")
            ))
        })?;
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
