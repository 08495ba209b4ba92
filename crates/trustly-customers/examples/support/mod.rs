//! Where the examples connect: the environment named by `TRUSTLY_*` variables when
//! credentials are set, otherwise a local emulator started in this process.

use trustly_customers::{Client, ClientBuilder, Credentials, Error};
use trustly_customers_mock::{Config, MockServer};

/// A client, and the emulator it talks to when no credentials are set (keep it alive).
pub(crate) async fn connect(
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> Result<(Client, Option<MockServer>), Error> {
    if std::env::var_os("TRUSTLY_ACCESS_ID").is_some() {
        let builder = ClientBuilder::from_env()?;
        let client = configure(builder).build()?;
        println!("talking to {}", client.base_url());
        return Ok((client, None));
    }
    let server = MockServer::start(Config::default())
        .await
        .expect("the local emulator starts on a free loopback port");
    let client = configure(
        Client::builder(Credentials::new(server.access_id(), server.access_key()))
            .base_url(&server.base_url()),
    )
    .build()?;
    println!(
        "no TRUSTLY_ACCESS_ID set: talking to the local emulator at {}",
        client.base_url()
    );
    Ok((client, Some(server)))
}

/// An external id no earlier run has used, so runs against a real sandbox do not collide.
pub(crate) fn fresh_external_id(prefix: &str) -> trustly_customers::ExternalId {
    trustly_customers::ExternalId::from(format!("{prefix}-{:016x}", fastrand::u64(..)))
}
