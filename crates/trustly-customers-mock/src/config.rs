//! What a [`MockServer`](crate::MockServer) is started with.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::time::Duration;

use crate::admin::access_log::LogFormat;

/// The `accessId` the emulator accepts unless configured otherwise. Local use only.
pub const DEFAULT_ACCESS_ID: &str = "local-access-id";
/// The `accessKey` the emulator accepts unless configured otherwise. Local use only.
pub const DEFAULT_ACCESS_KEY: &str = "local-access-key";
/// The `merchantId` set on every customer unless configured otherwise (Trustly's example value).
pub const DEFAULT_MERCHANT_ID: &str = "1002463580";
/// The largest request body accepted unless configured otherwise: 64 KiB, far above any real
/// customer, small enough that a runaway client cannot exhaust memory.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;

/// Settings of an emulator. `Debug` shows everything but the access key.
#[derive(Clone)]
pub struct Config {
    /// Address to listen on. Default `127.0.0.1:0`: loopback, a free port chosen by the system.
    pub listen: SocketAddr,
    /// The HTTP Basic username requests must carry. Default [`DEFAULT_ACCESS_ID`].
    pub access_id: String,
    /// The HTTP Basic password requests must carry. Default [`DEFAULT_ACCESS_KEY`].
    pub access_key: String,
    /// The `merchantId` set on every customer. Default [`DEFAULT_MERCHANT_ID`].
    pub merchant_id: String,
    /// A file keeping the customers across restarts: a SQLite database, created when missing
    /// (an earlier `trustly-customers-mock/1` JSON file there is migrated, and kept as
    /// `FILE.v1.bak`). Default `None`: memory only.
    pub data: Option<PathBuf>,
    /// Request bodies above this size get 413. Default [`DEFAULT_MAX_BODY_BYTES`].
    pub max_body_bytes: usize,
    /// A delay added to every request to the API, uniform over the range (millisecond steps).
    /// Default `None`.
    pub latency: Option<RangeInclusive<Duration>>,
    /// A file of customers loaded at start: `{"customers": [...]}`, each entry a `Customer` as
    /// a create takes it (a `customerId` in it is kept). Default `None`.
    pub seed: Option<PathBuf>,
    /// A line on stderr for each request to the API, in this format. Default `None`: no log
    /// (the binary's default is [`LogFormat::Text`]).
    pub log: Option<LogFormat>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            access_id: DEFAULT_ACCESS_ID.to_owned(),
            access_key: DEFAULT_ACCESS_KEY.to_owned(),
            merchant_id: DEFAULT_MERCHANT_ID.to_owned(),
            data: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            latency: None,
            seed: None,
            log: None,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("access_id", &self.access_id)
            .field("access_key", &"<redacted>")
            .field("merchant_id", &self.merchant_id)
            .field("data", &self.data)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("latency", &self.latency)
            .field("seed", &self.seed)
            .field("log", &self.log)
            .finish()
    }
}
