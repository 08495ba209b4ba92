//! Starting and stopping an emulator.

use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::admin::faults::{ActiveFault, Fault};
use crate::admin::request_log::RecordedRequest;
use crate::app::App;
use crate::config::Config;
use crate::connection::{self, HangupListener};
use crate::data_file;
use crate::persist::Persister;
use crate::routes::{self, BASE_PATH};
use crate::seed;
use crate::start_error::StartError;
use crate::store::Store;

/// A running emulator. Stop it with [`MockServer::shutdown`]; dropping it stops it too (in the
/// background, without waiting).
pub struct MockServer {
    local_addr: SocketAddr,
    access_id: String,
    access_key: String,
    /// What the handlers share; `None` once [`MockServer::shutdown`] has let it go, so that
    /// the data file's writer can finish.
    app: Option<Arc<App>>,
    stop: Option<oneshot::Sender<()>>,
    serving: Option<JoinHandle<()>>,
    persisting: Option<JoinHandle<Result<(), String>>>,
}

/// Why [`MockServer::shutdown`] could not leave every change in the data file.
#[derive(Debug)]
pub struct ShutdownError(String);

impl fmt::Display for ShutdownError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ShutdownError {}

/// Why [`MockServer::reset`] did not clear the customers: the data file could not be written.
/// None was deleted (the reset was undone, with every change not yet in the file); the faults
/// and the journal are cleared.
#[derive(Debug)]
pub struct ResetError(String);

impl fmt::Display for ResetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ResetError {}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("local_addr", &self.local_addr)
            .field("access_id", &self.access_id)
            .field("access_key", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Binds the listening socket, loads the data file (if any) and starts serving on the
    /// current tokio runtime.
    ///
    /// A start that fails leaves nothing behind. The socket comes first, so a port in use
    /// fails the start before the data file is looked at; a data file refused is left as it
    /// was, and its lock file is removed.
    pub async fn start(config: Config) -> Result<MockServer, StartError> {
        if config.merchant_id.is_empty() {
            return Err(StartError::Config(
                "the merchant id must not be empty".into(),
            ));
        }
        if config.access_id.contains(':') {
            return Err(StartError::Config(
                "the access id must not contain ':' (HTTP Basic could not carry it)".into(),
            ));
        }
        // The socket first: a port that is taken changes nothing on disk.
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| StartError::Bind {
                    addr: config.listen,
                    source,
                })?;
        let local_addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: config.listen,
            source,
        })?;
        let (store, database) = match &config.data {
            None => (Store::new(), None),
            Some(path) => {
                let opened = open_data_file(path).await?;
                if let Some(backup) = &opened.migrated_from {
                    eprintln!(
                        "trustly-customers-mock: {} was a trustly-customers-mock/1 JSON file; \
                         it is now a SQLite database, and the JSON file is kept as {}",
                        path.display(),
                        backup.display()
                    );
                }
                let mut store = opened.store;
                store.keep_unsaved();
                (store, Some(opened.database))
            }
        };
        let initial_version = store.version();
        let mut store = store;
        if let Some(path) = &config.seed {
            // Into the store before anything is served; with a data file, saved below.
            seed::load(path, &mut store, &config.merchant_id).map_err(|problem| {
                StartError::Seed {
                    path: path.clone(),
                    problem,
                }
            })?;
        }
        let seeded_version = store.version();
        let store = Arc::new(RwLock::new(store));
        let (persister, persisting) = match database {
            None => (None, None),
            Some(database) => {
                let (p, task) = Persister::start(database, store.clone(), initial_version);
                (Some(p), Some(task))
            }
        };
        // The seed was read and is valid; a failure to write it is the data file's (the binary
        // exits 1 for it, and 4 only for a bad seed file).
        if let (Some(seed), Some(data), Some(persister)) = (&config.seed, &config.data, &persister)
            && seeded_version > initial_version
            && persister.saved(seeded_version).await.is_err()
        {
            return Err(StartError::DataFile {
                path: data.clone(),
                problem: format!(
                    "the customers of seed file {} could not be written to it",
                    seed.display()
                ),
            });
        }
        let app = Arc::new(App::new(&config, store, persister));
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let serving_app = app.clone();
        let serving = tokio::spawn(async move {
            let router = routes::router(serving_app, trustly_customers_spec::document());
            let result = connection::serve(HangupListener(listener), router, async {
                // A dropped sender (the MockServer was dropped) stops the server too.
                let _ = stop_rx.await;
            })
            .await;
            if let Err(e) = result {
                eprintln!("trustly-customers-mock: the server stopped: {e}");
            }
            // `app`, and with it the persister's handle, is dropped here: the writer task
            // finishes the write under way and ends.
        });
        Ok(MockServer {
            local_addr,
            access_id: config.access_id,
            access_key: config.access_key,
            app: Some(app),
            stop: Some(stop_tx),
            serving: Some(serving),
            persisting,
        })
    }

    /// The base URL to give a client, like a server URL of the spec:
    /// `http://127.0.0.1:PORT/api/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}{BASE_PATH}", self.local_addr)
    }

    /// The address the emulator listens on (with the port the system chose for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The HTTP Basic username it accepts.
    pub fn access_id(&self) -> &str {
        &self.access_id
    }

    /// The HTTP Basic password it accepts.
    pub fn access_key(&self) -> &str {
        &self.access_key
    }

    fn app(&self) -> &App {
        // Only `shutdown`, which takes the server, lets it go.
        self.app.as_deref().expect("the emulator is running")
    }

    /// Injects `fault`, after those already set: `POST /__admin/faults` in process. Its id, or
    /// what is wrong with it (an operation the spec does not have, say).
    pub fn add_fault(&self, fault: Fault) -> Result<u64, String> {
        self.app().bench.add_fault(fault)
    }

    /// The faults set, in the order they apply, with the uses each has left.
    pub fn faults(&self) -> Vec<ActiveFault> {
        self.app().bench.faults.all()
    }

    /// Removes fault `id`; whether there was one.
    pub fn remove_fault(&self, id: u64) -> bool {
        self.app().bench.faults.remove(id)
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.app().bench.faults.clear(false);
    }

    /// The request journal: the last [`KEPT_REQUESTS`](crate::KEPT_REQUESTS) requests to the
    /// API, oldest first; fewer when their bodies pass
    /// [`KEPT_REQUEST_BODY_BYTES`](crate::KEPT_REQUEST_BODY_BYTES).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.app().bench.requests.all()
    }

    /// Empties the request journal.
    pub fn clear_requests(&self) {
        self.app().bench.requests.clear();
    }

    /// Clears the customers, the faults and the journal; ids start again:
    /// `POST /__admin/reset` in process. With a data file, every customer is deleted from it
    /// in one commit, and this returns once that commit is on disk: after a restart over the
    /// file there is no customer, and ids start again as on a new file. A change made while
    /// the reset is under way lands before it (and is cleared) or after it (and stays).
    ///
    /// # Errors
    ///
    /// [`ResetError`] when the data file could not be written: no customer was deleted.
    pub async fn reset(&self) -> Result<(), ResetError> {
        self.app().reset().await.map_err(ResetError)
    }

    /// Stops accepting connections, lets requests under way finish, and returns once every
    /// change is in the data file. An error says that some could not be written (after a few
    /// tries): they are lost when the process ends.
    pub async fn shutdown(mut self) -> Result<(), ShutdownError> {
        // The data file's writer ends once every holder of the state has let it go.
        self.app = None;
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(serving) = self.serving.take() {
            let _ = serving.await;
        }
        match self.persisting.take() {
            None => Ok(()),
            Some(persisting) => match persisting.await {
                Ok(outcome) => outcome.map_err(ShutdownError),
                Err(e) => Err(ShutdownError(format!("the data file writer failed: {e}"))),
            },
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The data file and the store it holds; a new empty file when there is none yet (so a
/// directory that cannot be written is found now, not at the first change).
async fn open_data_file(path: &std::path::Path) -> Result<data_file::Opened, StartError> {
    let path = path.to_owned();
    let blocking_path = path.clone();
    let outcome = tokio::task::spawn_blocking(move || data_file::open(&blocking_path))
        .await
        .unwrap_or_else(|e| Err(format!("reading it failed: {e}")));
    outcome.map_err(|problem| StartError::DataFile { path, problem })
}
