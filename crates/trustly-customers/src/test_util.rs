//! A [`Client`] wired to a local emulator started in this process, for tests and examples
//! (feature `test-util`, off by default).
//!
//! [`LocalEmulator`] is the emulator of `trustly-customers-mock` on a free loopback port and a
//! client for it, with the emulator's credentials: what a test of code built on this crate
//! needs to run every operation without an account or a network. [`connect`] is what the
//! crate's examples run on: the server the `TRUSTLY_*` variables name when credentials are set,
//! else a local emulator.
//!
//! ```
//! use trustly_customers::test_util::LocalEmulator;
//! use trustly_customers::{Address, NewCustomer};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), trustly_customers::Error> {
//! let emulator = LocalEmulator::start().await;
//! let client = emulator.client();
//! let new = NewCustomer::new("Joe User", Address::new("US"), "+16505551212", "joe@mail.com");
//! let created = client.create_or_update_customer(None, &new).await?;
//! let fetched = client.get_customer(created.customer_id.as_ref().unwrap()).await?;
//! assert_eq!(fetched, created);
//! # Ok(())
//! # }
//! ```
//!
//! The emulator is a test bench too: [`LocalEmulator::server`] injects faults
//! ([`MockServer::add_fault`]: an error status, a delay, a connection closed before or after
//! the write), reads the request journal ([`MockServer::requests`]) and resets
//! ([`MockServer::reset`]), so a test sees what its code does when Trustly misbehaves. The
//! example `lost_answer` shows the worst case, a write whose answer was lost.
//!
//! Enable it for tests only:
//!
//! ```toml
//! [dev-dependencies]
//! trustly-customers = { version = "0.1", features = ["test-util"] }
//! ```

use std::fmt;

pub use trustly_customers_mock::{
    ActiveFault, Config, Fault, FaultKind, LogFormat, MockServer, RecordedRequest, ResetError,
    ShutdownError,
};

use trustly_customers_api::types::ExternalId;

use crate::client::Client;
use crate::config::ClientBuilder;
use crate::credentials::Credentials;
use crate::error::Error;

/// The emulator on a free loopback port, started in this process, and a client for it with
/// its credentials. The emulator stops when this is dropped (or at [`shutdown`](Self::shutdown)).
#[derive(Debug)]
pub struct LocalEmulator {
    server: MockServer,
    client: Client,
}

impl LocalEmulator {
    /// An emulator with its default settings ([`Config::default`]: memory only, the default
    /// credentials) and a client for it with every other setting at its default.
    ///
    /// # Panics
    ///
    /// If the emulator cannot start (no loopback port to listen on).
    pub async fn start() -> LocalEmulator {
        LocalEmulator::start_with(|builder| builder).await
    }

    /// [`start`](Self::start), with the client's builder changed by `configure` first (its
    /// retry policy or timeout, say).
    ///
    /// # Panics
    ///
    /// As [`start`](Self::start), and if `configure` makes a builder that does not build.
    pub async fn start_with(
        configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
    ) -> LocalEmulator {
        LocalEmulator::start_with_config(Config::default(), configure).await
    }

    /// An emulator with `config` (other credentials, or a data file, say), and a client for it
    /// with `config`'s credentials, its builder changed by `configure`.
    ///
    /// # Panics
    ///
    /// If the emulator cannot start with `config` (its data file cannot be opened, say), or
    /// `configure` makes a builder that does not build.
    pub async fn start_with_config(
        config: Config,
        configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
    ) -> LocalEmulator {
        LocalEmulator::try_start(config, configure)
            .await
            .unwrap_or_else(|e| panic!("a client of the local emulator could not be built: {e}"))
    }

    /// The emulator started (or a panic: it has nothing to say to the client's error type),
    /// and the client built, or the error of its builder.
    async fn try_start(
        config: Config,
        configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
    ) -> Result<LocalEmulator, Error> {
        let server = MockServer::start(config)
            .await
            .unwrap_or_else(|e| panic!("the local emulator could not start: {e}"));
        let client = configure(builder_for(&server)).build()?;
        Ok(LocalEmulator { server, client })
    }

    /// The client, with the emulator's URL and credentials.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The emulator itself: its address and credentials.
    pub fn server(&self) -> &MockServer {
        &self.server
    }

    /// The emulator's base URL, such as `http://127.0.0.1:PORT/api/v1`.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// A builder for another client of this emulator: its URL and credentials, every other
    /// setting at its default.
    pub fn builder(&self) -> ClientBuilder {
        builder_for(&self.server)
    }

    /// Stops the emulator, after saving every change if it has a data file. The client stays
    /// usable, and finds nothing listening.
    pub async fn shutdown(self) -> Result<(), ShutdownError> {
        self.server.shutdown().await
    }
}

fn builder_for(server: &MockServer) -> ClientBuilder {
    Client::builder(Credentials::new(server.access_id(), server.access_key()))
        .base_url(&server.base_url())
}

/// Where [`connect`] connected: the server the `TRUSTLY_*` variables name, or a local emulator.
#[derive(Debug)]
pub enum Connection {
    /// Credentials were set: a client of the environment they name (see
    /// [`ClientBuilder::from_env`]).
    Environment(Client),
    /// No `TRUSTLY_ACCESS_ID` was set: a local emulator, which stops when this is dropped.
    Emulator(LocalEmulator),
}

impl Connection {
    /// The client.
    pub fn client(&self) -> &Client {
        match self {
            Connection::Environment(client) => client,
            Connection::Emulator(emulator) => emulator.client(),
        }
    }
}

impl fmt::Display for Connection {
    /// Where requests go, for a program to say so.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Connection::Environment(client) => write!(f, "{}", client.base_url()),
            Connection::Emulator(emulator) => write!(
                f,
                "the local emulator at {} (no TRUSTLY_ACCESS_ID set)",
                emulator.base_url()
            ),
        }
    }
}

/// A client of the environment the `TRUSTLY_*` variables name when `TRUSTLY_ACCESS_ID` is set
/// ([`ClientBuilder::from_env`]), else of a local emulator started in this process; its builder
/// changed by `configure` either way. What the crate's examples run on, so that each runs with
/// no account and against a sandbox alike.
///
/// # Errors
///
/// A [`Config`](crate::ErrorKind::Config) error when the variables are set but wrong, or the
/// builder `configure` makes does not build.
///
/// # Panics
///
/// As [`LocalEmulator::start`], when it starts one.
pub async fn connect(
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> Result<Connection, Error> {
    if std::env::var_os("TRUSTLY_ACCESS_ID").is_some() {
        let client = configure(ClientBuilder::from_env()?).build()?;
        return Ok(Connection::Environment(client));
    }
    let emulator = LocalEmulator::try_start(Config::default(), configure).await?;
    Ok(Connection::Emulator(emulator))
}

/// An external id no earlier run has used (`PREFIX-` and 16 random hex digits), so that runs
/// against a real sandbox, which keeps what they create, do not meet each other's customers.
pub fn fresh_external_id(prefix: &str) -> ExternalId {
    ExternalId::from(format!("{prefix}-{:016x}", fastrand::u64(..)))
}
