//! From flags and environment variables to a configured client.

use trustly_customers::{Client, ClientBuilder, Environment, RetryPolicy};

use crate::exit::Failure;
use crate::options::Global;
use crate::sources::{ACCESS_ID, ACCESS_KEY, ServerSource};

/// Builds the client: the flags first, then the `TRUSTLY_*` variables (read as the library's
/// `ClientBuilder::from_env` reads them), then the library's defaults. `env` looks a variable up
/// (the process environment, or a map in tests). Returns the client and where its server
/// came from.
pub(crate) fn client(
    global: &Global,
    env: impl Fn(&str) -> Option<String>,
) -> Result<(Client, ServerSource), Failure> {
    let set = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    let source = ServerSource::of(global, |name| set(name).is_some());
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
    Ok((builder.build()?, source))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::{BASE_URL, ENVIRONMENT};

    #[test]
    fn the_servers_source_is_named_as_the_client_chooses_the_server() {
        let flag = |base_url: bool, env: bool| Global {
            base_url: base_url.then(|| "http://127.0.0.1:1/api/v1".to_owned()),
            environment: env.then(|| "production".to_owned()),
            ..Global::default()
        };
        let none = |_: &str| false;
        let all = |_: &str| true;
        let only_environment = |name: &str| name == ENVIRONMENT;
        for (global, set, source) in [
            (
                flag(true, false),
                &all as &dyn Fn(&str) -> bool,
                "--base-url",
            ),
            (flag(false, true), &all, "--env"),
            (flag(false, false), &all, BASE_URL),
            (flag(false, false), &only_environment, ENVIRONMENT),
            (flag(false, false), &none, "the default, --env sandbox"),
        ] {
            assert_eq!(ServerSource::of(&global, set).to_string(), source);
        }
        // And as the client is then built: the variable it names is the one it read.
        let env = |name: &str| {
            (name == ENVIRONMENT || name == ACCESS_ID || name == ACCESS_KEY)
                .then(|| "production".to_owned())
        };
        let (client, source) = client(&Global::default(), env).unwrap();
        assert_eq!(source.to_string(), ENVIRONMENT);
        assert_eq!(client.base_url(), Environment::Production.base_url());
    }
}
