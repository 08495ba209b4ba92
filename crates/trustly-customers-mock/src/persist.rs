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

/// What the writer has done: the newest store version on disk, and the latest range of
/// versions undone by a failed save, `(undone_after, undone_to]`.
#[derive(Debug, Clone, Copy, Default)]
struct Progress {
    saved: u64,
    undone_after: u64,
    undone_to: u64,
}

impl Progress {
    /// Whether the change that made store version `version` is settled, and how: `Some(true)`
    /// on disk, `Some(false)` undone, `None` not yet known.
    fn outcome(&self, version: u64) -> Option<bool> {
        if version > self.undone_after && version <= self.undone_to {
            Some(false)
        } else if self.saved >= version {
            Some(true)
        } else {
            None
        }
    }
}

/// The handle handlers use to wait for their change to be saved.
#[derive(Debug)]
pub(crate) struct Persister {
    wanted: watch::Sender<u64>,
    progress: watch::Receiver<Progress>,
}

/// The data file could not be written; the change was undone.
#[derive(Debug)]
pub(crate) struct SaveFailed;

/// How many times the last write at shutdown is tried, and how long apart.
const FINAL_ATTEMPTS: u32 = 3;
const FINAL_RETRY_DELAY: std::time::Duration = std::time::Duration::from_millis(200);

impl Persister {
    /// Starts the writer task. `initial` is the store version already on disk. The task ends
    /// once the `Persister` is dropped and every change is on disk; its result says whether
    /// every change was (an error names what is in memory only).
    pub(crate) fn start(
        path: PathBuf,
        store: Arc<RwLock<Store>>,
        initial: u64,
    ) -> (Persister, JoinHandle<Result<(), String>>) {
        let (wanted_tx, mut wanted_rx) = watch::channel(initial);
        let (progress_tx, progress_rx) = watch::channel(Progress {
            saved: initial,
            ..Progress::default()
        });
        let task = tokio::spawn(async move {
            // What the data file holds, and the store version it matches.
            let mut on_disk = read(&store).snapshot();
            let mut on_disk_version = initial;
            // Every version up to this one is on disk or undone.
            let mut settled = initial;
            // Ends when the Persister (the sender) is dropped and every request is covered.
            while wanted_rx.wait_for(|&v| v > settled).await.is_ok() {
                let (version, snapshot) = {
                    let store = read(&store);
                    (store.version(), store.snapshot())
                };
                match write(&path, &snapshot).await {
                    Ok(()) => {
                        progress_tx.send_modify(|p| p.saved = version);
                        (on_disk, on_disk_version, settled) = (snapshot, version, version);
                    }
                    Err(e) => {
                        // Undo every change not on disk, so that nothing answered 500 stays
                        // visible, and nothing read afterwards is missing from the file.
                        let mut store = store.write().unwrap_or_else(|e| e.into_inner());
                        let newest = store.version();
                        store.restore(&on_disk);
                        eprintln!(
                            "trustly-customers-mock: cannot write the data file {e}; the \
                             changes since the last save are undone"
                        );
                        progress_tx.send_modify(|p| {
                            p.undone_after = on_disk_version;
                            p.undone_to = newest;
                        });
                        (on_disk_version, settled) = (store.version(), store.version());
                    }
                }
            }
            // Stopping. A change whose request was given up before it asked for a save is in
            // memory only: written now, or reported.
            let (version, snapshot) = {
                let store = read(&store);
                (store.version(), store.snapshot())
            };
            if version == on_disk_version {
                return Ok(());
            }
            let mut last = String::new();
            for attempt in 1..=FINAL_ATTEMPTS {
                match write(&path, &snapshot).await {
                    Ok(()) => return Ok(()),
                    Err(e) => last = e,
                }
                if attempt < FINAL_ATTEMPTS {
                    tokio::time::sleep(FINAL_RETRY_DELAY).await;
                }
            }
            Err(format!(
                "changes in memory could not be written to the data file {last}"
            ))
        });
        (
            Persister {
                wanted: wanted_tx,
                progress: progress_rx,
            },
            task,
        )
    }

    /// Waits until store version `version` is on disk; an error when it was undone instead.
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
            .wait_for(|p| p.outcome(version).is_some())
            .await
            .map_err(|_| SaveFailed)?;
        match done.outcome(version) {
            Some(true) => Ok(()),
            _ => Err(SaveFailed),
        }
    }
}

fn read(store: &RwLock<Store>) -> std::sync::RwLockReadGuard<'_, Store> {
    store.read().unwrap_or_else(|e| e.into_inner())
}

/// Writes `snapshot` to the data file, off the async threads.
async fn write(path: &std::path::Path, snapshot: &crate::store::Snapshot) -> Result<(), String> {
    let (path, contents) = (path.to_owned(), data_file::render(snapshot));
    tokio::task::spawn_blocking(move || {
        data_file::write_atomically(&path, &contents)
            .map_err(|e| format!("{}: {e}", path.display()))
    })
    .await
    .unwrap_or_else(|e| Err(format!("the writer failed: {e}")))
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, RwLock};
    use std::time::Duration;

    use super::{Persister, Progress};
    use crate::store::Store;

    /// `initial` is what the data file already holds: a wait for it (a request that changed
    /// nothing) ends at once, with nothing written.
    #[tokio::test]
    async fn the_version_already_on_disk_at_start_counts_as_saved() {
        let dir = scratch("initial");
        let path = dir.join("data.json");
        // A store with one change, taken to be on disk already.
        let store = store_with_a_change();
        let on_disk = store.version();
        assert!(on_disk > 0);
        let (persister, task) =
            Persister::start(path.clone(), Arc::new(RwLock::new(store)), on_disk);

        let waited = tokio::time::timeout(Duration::from_secs(5), persister.saved(on_disk)).await;
        assert!(
            matches!(waited, Ok(Ok(()))),
            "a wait for the version on disk did not end at once: {waited:?}"
        );
        drop(persister);
        assert_eq!(task.await.unwrap(), Ok(()));
        assert!(!path.exists(), "nothing was to be written");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A store with one customer more than `Store::new()`.
    fn store_with_a_change() -> Store {
        let mut store = Store::new();
        let body = serde_json::json!({"name": "Joe User", "address": {"country": "US"},
            "phone": "+16505551212", "email": "joe.user@mail.com"});
        let serde_json::Value::Object(body) = body else {
            unreachable!()
        };
        store.create_or_update(None, body, "1002463580", 0).unwrap();
        store
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "trustly-customers-mock-persist-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A change in memory that no request waited for (its request was given up) is written
    /// when the writer stops.
    #[tokio::test]
    async fn a_change_no_request_waited_for_is_written_at_stop() {
        let dir = scratch("stop");
        let path = dir.join("data.json");
        let store = Arc::new(RwLock::new(Store::new()));
        let (persister, task) = Persister::start(path.clone(), store.clone(), 0);
        *store.write().unwrap() = store_with_a_change();
        drop(persister);
        assert_eq!(task.await.unwrap(), Ok(()));
        let written = std::fs::read_to_string(&path).expect("the change was written at stop");
        assert!(written.contains("Joe User"), "{written}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The last write at stop is tried three times, a pause apart, before the writer gives up
    /// and says so.
    #[tokio::test]
    async fn the_last_write_is_tried_again_after_a_pause_before_giving_up() {
        let dir = scratch("give-up");
        // A directory that does not exist: every write fails.
        let path = dir.join("missing").join("data.json");
        let store = Arc::new(RwLock::new(Store::new()));
        let (persister, task) = Persister::start(path, store.clone(), 0);
        *store.write().unwrap() = store_with_a_change();
        let started = std::time::Instant::now();
        drop(persister);
        let error = task.await.unwrap().unwrap_err();
        assert!(error.contains("could not be written"), "{error}");
        let pauses = super::FINAL_ATTEMPTS - 1;
        assert!(
            started.elapsed() >= super::FINAL_RETRY_DELAY * pauses,
            "{pauses} pauses between the attempts, took {:?}",
            started.elapsed()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_version_is_settled_by_a_save_or_by_an_undo_that_covers_it() {
        let p = Progress {
            saved: 7,
            undone_after: 3,
            undone_to: 5,
        };
        // (version, outcome)
        for (version, outcome) in [
            (2, Some(true)),
            (3, Some(true)),
            (4, Some(false)),
            (5, Some(false)),
            (6, Some(true)),
            (7, Some(true)),
            (8, None),
        ] {
            assert_eq!(p.outcome(version), outcome, "version {version}");
        }
    }
}
