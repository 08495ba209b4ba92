//! What the handlers share: the store, the credentials and settings they answer with, and the
//! data file's writer.

use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::admin::TestBench;
use crate::auth::BasicAuth;
use crate::config::Config;
use crate::persist::Persister;
use crate::store::Store;

/// The state every handler of one emulator shares.
#[derive(Debug)]
pub(crate) struct App {
    /// A blocking lock is enough: it is never held across an `.await`, and every section under
    /// it is a short in-memory step (a map lookup, or one record's merge and check). Reads
    /// share it; a change takes it alone, so the lookup and the insert of an upsert are one
    /// step and parallel upserts of one `externalId` cannot both create.
    pub(crate) store: Arc<RwLock<Store>>,
    pub(crate) auth: BasicAuth,
    pub(crate) merchant_id: String,
    /// With a data file: the writer a change waits on before it is answered.
    pub(crate) persister: Option<Persister>,
    pub(crate) max_body_bytes: usize,
    /// Faults, the request journal, latency and the log.
    pub(crate) bench: TestBench,
}

impl App {
    /// The state the routes share, for `config`: what a server and the fuzz targets' emulator
    /// without a socket both build.
    pub(crate) fn new(
        config: &Config,
        store: Arc<RwLock<Store>>,
        persister: Option<Persister>,
    ) -> App {
        App {
            store,
            auth: BasicAuth::new(&config.access_id, &config.access_key),
            merchant_id: config.merchant_id.clone(),
            persister,
            max_body_bytes: config.max_body_bytes,
            bench: TestBench::new(config),
        }
    }

    /// The store, for a read.
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, Store> {
        // A panic under the lock cannot leave a half-made change: the store checks everything
        // before it changes anything. So a poisoned lock is still consistent.
        self.store.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The store, for a change.
    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(|e| e.into_inner())
    }
}
