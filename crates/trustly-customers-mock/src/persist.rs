//! Saving changes to the data file without writing it once per change.
//!
//! Group commit: a handler that changed the store asks for a save and waits until a write that
//! includes its change is on disk, then answers. One background task does the writes, one at a
//! time; every change made while a write is under way is covered by the next one. Under load
//! one write serves many requests, and an answered change is never lost by a crash.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::data_file;
use crate::store::Store;

/// What the writer has done: the newest store version on disk, and the newest that failed.
#[derive(Debug, Clone, Copy, Default)]
struct Progress {
    saved: u64,
    failed: u64,
}

/// The handle handlers use to wait for their change to be saved.
#[derive(Debug)]
pub(crate) struct Persister {
    wanted: watch::Sender<u64>,
    progress: watch::Receiver<Progress>,
}

/// The data file could not be written; the change is in memory only.
#[derive(Debug)]
pub(crate) struct SaveFailed;

impl Persister {
    /// Starts the writer task. `initial` is the store version already on disk.
    pub(crate) fn start(
        path: PathBuf,
        store: Arc<RwLock<Store>>,
        initial: u64,
    ) -> (Persister, JoinHandle<()>) {
        let (wanted_tx, mut wanted_rx) = watch::channel(initial);
        let (progress_tx, progress_rx) = watch::channel(Progress {
            saved: initial,
            failed: 0,
        });
        let task = tokio::spawn(async move {
            let mut saved = initial;
            // Ends when the Persister (the sender) is dropped and every request is covered.
            while wanted_rx.wait_for(|&v| v > saved).await.is_ok() {
                let (version, snapshot) = {
                    let store = store.read().unwrap_or_else(|e| e.into_inner());
                    (store.version(), store.snapshot())
                };
                let path = path.clone();
                let written = tokio::task::spawn_blocking(move || {
                    data_file::write_atomically(&path, &data_file::render(&snapshot))
                        .map_err(|e| format!("{}: {e}", path.display()))
                })
                .await;
                progress_tx.send_modify(|p| match written {
                    Ok(Ok(())) => p.saved = version,
                    Ok(Err(e)) => {
                        eprintln!("trustly-customers-mock: cannot write the data file {e}");
                        p.failed = version;
                    }
                    Err(_) => p.failed = version,
                });
                saved = version;
            }
        });
        (
            Persister {
                wanted: wanted_tx,
                progress: progress_rx,
            },
            task,
        )
    }

    /// Waits until store version `version` is on disk.
    pub(crate) async fn saved(&self, version: u64) -> Result<(), SaveFailed> {
        self.wanted.send_if_modified(|v| {
            let newer = version > *v;
            if newer {
                *v = version;
            }
            newer
        });
        let mut progress = self.progress.clone();
        let done = progress
            .wait_for(|p| p.saved >= version || p.failed >= version)
            .await
            .map_err(|_| SaveFailed)?;
        if done.saved >= version {
            Ok(())
        } else {
            Err(SaveFailed)
        }
    }
}
