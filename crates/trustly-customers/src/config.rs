//! Configuration: where to connect, with which credentials, how patiently; and the builder
//! that makes a [`Client`] of it.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use trustly_customers_api::RequestSettings;

use crate::client::Client;
use crate::credentials::Credentials;
use crate::error::Error;
use crate::generated::Environment;
use crate::retry::RetryPolicy;

/// Default time allowed to open a connection (TCP and TLS): 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for one attempt, from sending the request to reading the whole
/// response: 30 seconds. Retries get a fresh allowance each.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The `User-Agent` sent unless another is configured.
pub const DEFAULT_USER_AGENT: &str = concat!("trustly-customers-rust/", env!("CARGO_PKG_VERSION"));

/// Builds a [`Client`]. Start with [`Client::builder`] or [`ClientBuilder::from_env`].
///
/// | setting | default |
/// |---|---|
/// | environment | [`Environment::Sandbox`] |
/// | connect timeout | [`DEFAULT_CONNECT_TIMEOUT`] (10 s) |
/// | timeout (per attempt, whole response) | [`DEFAULT_TIMEOUT`] (30 s) |
/// | user agent | [`DEFAULT_USER_AGENT`] |
/// | retries | [`RetryPolicy::default`]: 3 retries, 200 ms base, 5 s max |
/// | HTTP client | one built here: the TLS backend the crate's features choose (`native-tls` by default, or `rustls`), no redirects, the connect timeout above |
#[derive(Debug)]
pub struct ClientBuilder {
    credentials: Credentials,
    environment: Environment,
    connect_timeout: Duration,
    timeout: Duration,
    user_agent: String,
    retry_policy: RetryPolicy,
    max_response_bytes: Option<usize>,
    http_client: Option<reqwest::Client>,
}

impl Client {
    /// A builder with these credentials and every other setting at its default.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder::new(credentials)
    }

    /// A client configured from `TRUSTLY_*` environment variables (see
    /// [`ClientBuilder::from_env`]).
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }
}

impl ClientBuilder {
    fn new(credentials: Credentials) -> Self {
        Self {
            credentials,
            environment: Environment::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            retry_policy: RetryPolicy::default(),
            max_response_bytes: Some(trustly_customers_api::DEFAULT_MAX_RESPONSE_BYTES),
            http_client: None,
        }
    }

    /// A builder from the process environment:
    ///
    /// - `TRUSTLY_ACCESS_ID`, `TRUSTLY_ACCESS_KEY`: required;
    /// - `TRUSTLY_BASE_URL`: optional server URL (wins over `TRUSTLY_ENVIRONMENT`);
    /// - `TRUSTLY_ENVIRONMENT`: optional, one of [`Environment::NAMES`] (the first is the
    ///   default).
    ///
    /// A missing or empty credential, or an unknown environment name, is a
    /// [`Config`](crate::ErrorKind::Config) error naming the variable.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through `lookup` (for tests, or
    /// configuration kept elsewhere than the process environment).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let access_id = get("TRUSTLY_ACCESS_ID")
            .ok_or_else(|| Error::config("TRUSTLY_ACCESS_ID is not set"))?;
        let access_key = get("TRUSTLY_ACCESS_KEY")
            .ok_or_else(|| Error::config("TRUSTLY_ACCESS_KEY is not set"))?;
        let mut builder = Self::new(Credentials::new(access_id, access_key));
        if let Some(name) = get("TRUSTLY_ENVIRONMENT") {
            builder.environment = Environment::from_name(&name).ok_or_else(|| {
                Error::config(format!(
                    "TRUSTLY_ENVIRONMENT must be one of {} (or set TRUSTLY_BASE_URL)",
                    Environment::NAMES.join(", ")
                ))
            })?;
        }
        if let Some(url) = get("TRUSTLY_BASE_URL") {
            builder.environment = Environment::Custom(url.trim().to_owned());
        }
        Ok(builder)
    }

    /// The environment (server) to talk to.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// A custom server URL, such as `http://127.0.0.1:8080/api/v1`; the same as
    /// `.environment(Environment::Custom(url))`.
    pub fn base_url(mut self, url: &str) -> Self {
        self.environment = Environment::Custom(url.to_owned());
        self
    }

    /// Time allowed to open a connection. Applies only when this builder makes the HTTP client.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt, from sending to having read the whole response. Applied
    /// to every request, also with a caller-supplied HTTP client.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// When and how to retry; [`RetryPolicy::none`] switches retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// The largest response body the client reads: 4 MiB unless set
    /// ([`trustly_customers_api::DEFAULT_MAX_RESPONSE_BYTES`]), `None` for no limit. A larger
    /// body fails the call with [`ErrorKind::Decode`](crate::ErrorKind::Decode) once the limit
    /// is passed (at once when its `Content-Length` says so), before more of it is held in
    /// memory; it is not retried.
    pub fn max_response_bytes(mut self, limit: Option<usize>) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Use this `reqwest::Client` (to share a connection pool, add a proxy or root
    /// certificates). The credentials, user agent and timeout are still applied to every
    /// request; the connect timeout is the client's own.
    ///
    /// Its proxy settings are used as they are. The client this builder makes itself never
    /// sends plain `http` (allowed to loopback only) through a proxy, since the proxy would
    /// read the credentials and the customer data; a client passed in that reads proxies from
    /// the environment (reqwest's default) would. Build it with `.no_proxy()` for a plain
    /// `http` base URL.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Checks the configuration and builds the client. Nothing is sent.
    ///
    /// Refuses ([`Config`](crate::ErrorKind::Config)) a URL that does not parse, is neither
    /// `https` nor `http`, carries a user name or password, or is plain `http` to anything but
    /// loopback (127.0.0.0/8, ::1, `localhost`): credentials never cross a network in clear.
    pub fn build(self) -> Result<Client, Error> {
        let base = parse_base_url(self.environment.base_url())?;
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| Error::config("the user agent is not a valid header value"))?;
        let (id, key) = self.credentials.expose();
        // Credentials, user agent and timeout go on every request: as defaults of the HTTP
        // client when this builder makes it (once, not per request), else through the generated
        // client's hooks (`RequestSettings`), which a caller's client knows nothing of.
        let (http, settings) = match self.http_client {
            Some(client) => (
                client,
                RequestSettings::new()
                    .max_response_bytes(self.max_response_bytes)
                    .basic_auth(id, key)
                    .user_agent(user_agent)
                    .timeout(self.timeout),
            ),
            None => {
                let auth = self.credentials.authorization();
                let mut client = reqwest::Client::builder()
                    .default_headers(HeaderMap::from_iter([(AUTHORIZATION, auth)]))
                    .user_agent(user_agent)
                    .connect_timeout(self.connect_timeout)
                    .timeout(self.timeout)
                    // A redirect would be followed with a body and method of reqwest's choosing;
                    // Trustly's API does not redirect, so one is reported instead.
                    .redirect(reqwest::redirect::Policy::none());
                if base.scheme() == "http" {
                    // Plain http goes to loopback only (see `parse_base_url`). Through a proxy
                    // from `HTTP_PROXY` or `ALL_PROXY` it would leave the machine in clear
                    // text, credentials and all, and never reach the local server.
                    client = client.no_proxy();
                }
                let client = client.build().map_err(|e| {
                    Error::config("the HTTP client could not be built").with_source(e)
                })?;
                (
                    client,
                    RequestSettings::new().max_response_bytes(self.max_response_bytes),
                )
            }
        };
        // The generated client joins paths onto the base URL as text: no trailing slash.
        let base = base.as_str().trim_end_matches('/');
        let api = trustly_customers_api::Client::new_with_client(base, http, settings);
        Ok(Client::from_parts(
            api,
            self.retry_policy,
            self.credentials.redactor(),
        ))
    }
}

fn parse_base_url(raw: &str) -> Result<Url, Error> {
    let url = Url::parse(raw.trim())
        .map_err(|e| Error::config(format!("the base URL does not parse: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(
            "the base URL must not carry a user name or password; pass Credentials instead",
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::config(format!(
                "refusing to send credentials over plain http to {}: use https (plain http is \
                 allowed only to loopback addresses)",
                url.host_str().unwrap_or("?")
            )));
        }
        other => {
            return Err(Error::config(format!(
                "the base URL scheme must be https (or http to loopback), not `{other}`"
            )));
        }
    }
    if url.cannot_be_a_base() || url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(
            "the base URL must be a server URL such as https://sandbox.trustly.one/api/v1 \
             (no query or fragment)",
        ));
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    // IPv6 hosts come bracketed (`[::1]`).
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn lookup<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn from_env_requires_both_credentials_naming_the_variable() {
        let e = ClientBuilder::from_lookup(lookup(&[("TRUSTLY_ACCESS_ID", "id")])).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
        assert!(e.to_string().contains("TRUSTLY_ACCESS_KEY"), "{e}");
        let e = ClientBuilder::from_lookup(lookup(&[("TRUSTLY_ACCESS_KEY", "k")])).unwrap_err();
        assert!(e.to_string().contains("TRUSTLY_ACCESS_ID"), "{e}");
    }

    #[test]
    fn from_env_reads_environment_and_base_url() {
        let b = ClientBuilder::from_lookup(lookup(&[
            ("TRUSTLY_ACCESS_ID", "id"),
            ("TRUSTLY_ACCESS_KEY", "key"),
            ("TRUSTLY_ENVIRONMENT", "Production"),
        ]))
        .unwrap();
        assert_eq!(b.environment, Environment::Production);
        let b = ClientBuilder::from_lookup(lookup(&[
            ("TRUSTLY_ACCESS_ID", "id"),
            ("TRUSTLY_ACCESS_KEY", "key"),
            ("TRUSTLY_ENVIRONMENT", "production"),
            ("TRUSTLY_BASE_URL", "http://127.0.0.1:9/api/v1"),
        ]))
        .unwrap();
        assert_eq!(
            b.environment,
            Environment::Custom("http://127.0.0.1:9/api/v1".into())
        );
        let e = ClientBuilder::from_lookup(lookup(&[
            ("TRUSTLY_ACCESS_ID", "id"),
            ("TRUSTLY_ACCESS_KEY", "key"),
            ("TRUSTLY_ENVIRONMENT", "staging"),
        ]))
        .unwrap_err();
        assert!(e.to_string().contains("TRUSTLY_ENVIRONMENT"), "{e}");
    }

    #[test]
    fn plain_http_only_to_loopback() {
        for ok in [
            "http://127.0.0.1:8080/api/v1",
            "http://127.8.9.10/api/v1",
            "http://[::1]:80/api/v1",
            "http://localhost:1/api/v1",
            "https://example.com/api/v1",
        ] {
            assert!(parse_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1/api/v1",
            "http://example.com/api/v1",
            "http://localhost.example.com/api/v1",
            "ftp://127.0.0.1/",
            "https://id:key@example.com/api/v1",
            "https://id@example.com/api/v1",
            "https://:key@example.com/api/v1",
            "https://example.com/api/v1?x=1",
            "https://example.com/api/v1#top",
            "not a url",
        ] {
            let e = parse_base_url(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Config, "{bad}");
        }
    }
}
