//! One emulator per data file: `FILE.lock`, locked for as long as an emulator has the data file
//! open. A second emulator on the same file would overwrite the first one's changes with its
//! own.
//!
//! The lock is a file of its own: the data file itself is replaced when it is created or
//! migrated, and a lock on it would go with the old one. On Unix the lock file is removed when
//! it is released, so neither a stop nor a failed start leaves it behind (a `kill -9` does; the
//! next start takes it over).

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use super::paths::sibling;

/// How many times a lock file replaced between its opening and its locking (another emulator
/// released it meanwhile) is opened again before the start gives up.
const ATTEMPTS: usize = 10;

/// The data file's lock, held until this is dropped.
#[derive(Debug)]
pub(crate) struct DataFileLock {
    path: PathBuf,
    /// Closing it releases the lock.
    _file: File,
}

impl DataFileLock {
    /// Takes the lock of the data file at `data`; an error says why it cannot be had.
    pub(crate) fn take(data: &Path) -> Result<DataFileLock, String> {
        let path = lock_path(data);
        for _ in 0..ATTEMPTS {
            let file = fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| format!("cannot open its lock file {}: {e}", path.display()))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(format!(
                        "another emulator is using it (its lock file {} is held)",
                        path.display()
                    ));
                }
                Err(fs::TryLockError::Error(e)) => {
                    return Err(format!("cannot lock {}: {e}", path.display()));
                }
            }
            // The emulator that held it removed it before letting go: this file is no longer
            // the lock file, and a third emulator may hold a new one at its name.
            if is_at(&file, &path) {
                return Ok(DataFileLock { path, _file: file });
            }
        }
        Err(format!(
            "its lock file {} was replaced {ATTEMPTS} times while being locked",
            path.display()
        ))
    }
}

impl Drop for DataFileLock {
    /// Removes the lock file while it is still locked, then (as the file closes) releases it.
    fn drop(&mut self) {
        if cfg!(unix) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Where the lock of the data file at `data` lives: `FILE.lock`.
fn lock_path(data: &Path) -> PathBuf {
    sibling(data, ".lock")
}

/// Whether the open `file` is the one at `path` now. Only Unix removes lock files, so
/// elsewhere the file taken is always the one at its name.
fn is_at(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => super::paths::same_inode(&a, &b),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::fs;

    use super::{DataFileLock, is_at, lock_path};

    /// A lock file that was removed, or replaced by another, is not the one at its name.
    #[test]
    fn a_lock_file_removed_or_replaced_is_no_longer_the_one_at_its_name() {
        let dir = crate::scratch_dir("lock-replaced");
        let path = dir.join("customers.db.lock");
        let file = fs::File::create(&path).unwrap();
        assert!(is_at(&file, &path));
        fs::remove_file(&path).unwrap();
        assert!(!is_at(&file, &path), "removed");
        let _other = fs::File::create(&path).unwrap();
        assert!(!is_at(&file, &path), "replaced");
        fs::remove_dir_all(&dir).unwrap();
    }

    /// The lock file is there while the lock is held, and gone once it is released.
    #[test]
    fn the_lock_file_lives_as_long_as_the_lock() {
        let dir = crate::scratch_dir("lock-lifetime");
        let data = dir.join("customers.db");
        let lock = DataFileLock::take(&data).unwrap();
        assert!(lock_path(&data).exists());
        let second = DataFileLock::take(&data).unwrap_err();
        assert!(second.contains("another emulator"), "{second}");
        drop(lock);
        assert!(!lock_path(&data).exists());
        DataFileLock::take(&data).expect("free again");
        fs::remove_dir_all(&dir).unwrap();
    }
}
