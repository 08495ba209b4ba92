//! Saving changes to the data file without a write per change.
//!
//! Group commit: a handler that changed the store asks for a save and waits until a write that
//! includes its change is on disk, then answers. One background task does the writes, one at a
//! time; every change made while a write is under way is covered by the next one. Under load
//! one write serves many requests, and an answered change is never lost by a crash. A write
//! holds the customers changed since the previous one, not the whole store.

use std::sync::{Arc, RwLock};

use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use crate::data_file::database::Database;
use crate::journal::Unsaved;
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
    /// Starts the writer task, which saves to `database` every change `store` keeps (see
    /// [`Store::keep_unsaved`]). `initial` is the store version already on disk. The task ends
    /// once the `Persister` is dropped and every change is on disk; its result says whether
    /// every change was (an error names what is in memory only).
    pub(crate) fn start(
        database: Database,
        store: Arc<RwLock<Store>>,
        initial: u64,
    ) -> (Persister, JoinHandle<Result<(), String>>) {
        let (wanted_tx, mut wanted_rx) = watch::channel(initial);
        let (progress_tx, progress_rx) = watch::channel(Progress {
            saved: initial,
            ..Progress::default()
        });
        let task = tokio::spawn(async move {
            let writer = Writer::start(database)?;
            // The store version the data file matches.
            let mut on_disk_version = initial;
            // Every version up to this one is on disk or undone.
            let mut settled = initial;
            // Ends when the Persister (the sender) is dropped and every request is covered.
            while wanted_rx.wait_for(|&v| v > settled).await.is_ok() {
                let unsaved = Arc::new(lock(&store).take_unsaved());
                match writer.write(&unsaved).await {
                    Ok(()) => {
                        let version = unsaved.version;
                        progress_tx.send_modify(|p| p.saved = version);
                        (on_disk_version, settled) = (version, version);
                    }
                    Err(e) => {
                        // Undo every change not on disk, so that nothing answered 500 stays
                        // visible, and nothing read afterwards is missing from the file.
                        let mut store = lock(&store);
                        let newest = store.version();
                        store.undo(&unsaved);
                        eprintln!(
                            "trustly-customers-mock: cannot write to the data file ({e}); the \
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
            let unsaved = Arc::new(lock(&store).take_unsaved());
            let mut outcome = Ok(());
            if !unsaved.is_empty() {
                outcome = Err(String::new());
                for attempt in 1..=FINAL_ATTEMPTS {
                    match writer.write(&unsaved).await {
                        Ok(()) => {
                            outcome = Ok(());
                            break;
                        }
                        Err(e) => outcome = Err(e),
                    }
                    if attempt < FINAL_ATTEMPTS {
                        tokio::time::sleep(FINAL_RETRY_DELAY).await;
                    }
                }
            }
            writer.close().await;
            outcome.map_err(|last| {
                format!("changes in memory could not be written to the data file: {last}")
            })
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

fn lock(store: &RwLock<Store>) -> std::sync::RwLockWriteGuard<'_, Store> {
    store.write().unwrap_or_else(|e| e.into_inner())
}

/// The thread that writes to the data file: saves are blocking SQLite calls, kept off the async
/// threads. One long-lived thread owns the connection, so saves run one at a time, in order,
/// with no lock around the connection, and memory does not grow with a pool of threads taking
/// turns at it.
struct Writer {
    saves: std::sync::mpsc::Sender<Save>,
    /// Says that the thread has closed the connection and ended.
    closed: oneshot::Receiver<()>,
}

/// A save for the writer thread: what to write, and where to say how it went.
type Save = (Arc<Unsaved>, oneshot::Sender<Result<(), String>>);

impl Writer {
    /// Starts the thread; it ends when [`Writer::close`] is called or the `Writer` dropped.
    fn start(mut database: Database) -> Result<Writer, String> {
        let (saves, queue) = std::sync::mpsc::channel::<Save>();
        let (closing, closed) = oneshot::channel();
        std::thread::Builder::new()
            .name("data-file-writer".into())
            .spawn(move || {
                for (unsaved, done) in queue {
                    let _ = done.send(database.save(&unsaved).map_err(|e| e.to_string()));
                }
                // Closing the last connection folds the log into the file and removes it.
                drop(database);
                let _ = closing.send(());
            })
            .map_err(|e| format!("cannot start the data file writer: {e}"))?;
        Ok(Writer { saves, closed })
    }

    /// Ends the thread and waits until the data file is closed: whole on its own, with no log
    /// beside it.
    async fn close(self) {
        drop(self.saves);
        let _ = self.closed.await;
    }

    /// Writes `unsaved` to the data file.
    async fn write(&self, unsaved: &Arc<Unsaved>) -> Result<(), String> {
        let (done, outcome) = oneshot::channel();
        self.saves
            .send((unsaved.clone(), done))
            .map_err(|_| "the data file writer has stopped".to_owned())?;
        outcome
            .await
            .unwrap_or_else(|_| Err("the data file writer has stopped".into()))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::{Arc, RwLock};
    use std::time::Duration;

    use super::{Persister, Progress};
    use crate::data_file::{self, database::BUSY_TIMEOUT, database::Database};
    use crate::store::Store;

    /// `initial` is what the data file already holds: a wait for it (a request that changed
    /// nothing) ends at once, with nothing written.
    #[tokio::test]
    async fn the_version_already_on_disk_at_start_counts_as_saved() {
        let dir = crate::scratch_dir("persist-initial");
        let (database, mut store) = open(&dir);
        // A change, taken to be on disk already: not kept as unsaved.
        add_a_customer(&mut store);
        store.keep_unsaved();
        let on_disk = store.version();
        assert!(on_disk > 0);
        let (persister, task) = Persister::start(database, Arc::new(RwLock::new(store)), on_disk);

        let waited = tokio::time::timeout(Duration::from_secs(5), persister.saved(on_disk)).await;
        assert!(
            matches!(waited, Ok(Ok(()))),
            "a wait for the version on disk did not end at once: {waited:?}"
        );
        drop(persister);
        assert_eq!(task.await.unwrap(), Ok(()));
        assert_eq!(open(&dir).1.len(), 0, "nothing was to be written");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Adds a customer to `store`.
    fn add_a_customer(store: &mut Store) {
        let body = serde_json::json!({"name": "Joe User", "address": {"country": "US"},
            "phone": "+16505551212", "email": "joe.user@mail.com"});
        let serde_json::Value::Object(body) = body else {
            unreachable!()
        };
        store.create_or_update(None, body, "1002463580", 0).unwrap();
    }

    /// The data file in `dir` (created empty the first time) and the store it holds, keeping
    /// its changes for the writer.
    fn open(dir: &Path) -> (Database, Store) {
        let opened = data_file::open(&dir.join("data.db")).unwrap();
        let mut store = opened.store;
        store.keep_unsaved();
        (opened.database, store)
    }

    /// A change in memory that no request waited for (its request was given up) is written
    /// when the writer stops.
    #[tokio::test]
    async fn a_change_no_request_waited_for_is_written_at_stop() {
        let dir = crate::scratch_dir("persist-stop");
        let (database, store) = open(&dir);
        let store = Arc::new(RwLock::new(store));
        let (persister, task) = Persister::start(database, store.clone(), 0);
        add_a_customer(&mut store.write().unwrap());
        drop(persister);
        assert_eq!(task.await.unwrap(), Ok(()));
        assert_eq!(open(&dir).1.len(), 1, "the change was written at stop");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The last write at stop is tried three times, a pause apart, before the writer gives up
    /// and says so.
    #[tokio::test]
    async fn the_last_write_is_tried_again_after_a_pause_before_giving_up() {
        let dir = crate::scratch_dir("persist-give-up");
        let (database, store) = open(&dir);
        // Another connection holds the write lock: every write fails at once.
        let blocker = rusqlite::Connection::open(dir.join("data.db")).unwrap();
        blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
        let store = Arc::new(RwLock::new(store));
        let (persister, task) = Persister::start(database, store.clone(), 0);
        add_a_customer(&mut store.write().unwrap());
        let started = std::time::Instant::now();
        drop(persister);
        let error = task.await.unwrap().unwrap_err();
        assert!(error.contains("could not be written"), "{error}");
        assert!(error.contains("locked"), "SQLite's reason: {error}");
        // Each attempt waits for the lock first, then gives up.
        let pauses = super::FINAL_ATTEMPTS - 1;
        let least = super::FINAL_RETRY_DELAY * pauses + BUSY_TIMEOUT * super::FINAL_ATTEMPTS;
        assert!(
            started.elapsed() >= least,
            "{pauses} pauses between the attempts: at least {least:?}, took {:?}",
            started.elapsed()
        );
        drop(blocker);
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
