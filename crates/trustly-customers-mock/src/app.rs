//! What the handlers share: the store, the credentials and settings they answer with, and the
//! data file's writer.

use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::admin::TestBench;
use crate::auth::BasicAuth;
use crate::config::Config;
use crate::persist::{Persister, SaveFailed};
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

    /// With a data file, waits until store version `version` is on disk: an error when its
    /// save failed and the change was undone. Without one, a change is done once it is made.
    pub(crate) async fn saved(&self, version: u64) -> Result<(), SaveFailed> {
        match &self.persister {
            None => Ok(()),
            Some(persister) => persister.saved(version).await,
        }
    }

    /// Clears the customers, the faults and the journal; ids start again. With a data file,
    /// returns once every customer is deleted from it, in the commit that carries the reset.
    /// The store's version is read under the lock that clears it: a change made before is
    /// cleared, one made after stays, in memory and in the file alike.
    ///
    /// An error when the data file could not be written: the reset is undone with every
    /// change not on disk, so the customers are what the file holds; the faults and the
    /// journal stay cleared.
    pub(crate) async fn reset(&self) -> Result<(), String> {
        let version = {
            let mut store = self.write();
            store.clear();
            store.version()
        };
        self.bench.reset();
        self.saved(version).await.map_err(|SaveFailed| {
            "the data file could not be written, so no customer was deleted: the customers are \
             what the file holds (the faults and the journal are cleared)"
                .to_owned()
        })
    }
}
