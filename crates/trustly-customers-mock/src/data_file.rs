//! The `--data` file: what is at its path, and how it is opened. None yet: a new, empty
//! database. This emulator's database: opened as it is. A JSON file of the format before it
//! (`trustly-customers-mock/1`): migrated. Anything else: refused, and left as it was.
//!
//! The file is this emulator's alone from the moment it is looked at ([`lock`]): two emulators
//! never migrate, create or write the same file.

pub(crate) mod database;
pub(crate) mod json_v1;
mod lock;
mod paths;

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use database::{Database, SQLITE_HEADER};
use lock::DataFileLock;

use crate::store::Store;

/// An open data file and the store it holds.
#[derive(Debug)]
pub(crate) struct Opened {
    /// The file, open for saves, and its lock.
    pub(crate) database: Database,
    pub(crate) store: Store,
    /// Where a `trustly-customers-mock/1` file was kept when it was migrated at this start.
    pub(crate) migrated_from: Option<PathBuf>,
}

/// Takes the data file at `path` for this emulator, and opens it, or creates it (empty) when
/// there is none. An error says what is wrong with the file, never with a customer's data in
/// it, and leaves nothing behind: neither the lock nor a file of its own.
pub(crate) fn open(path: &Path) -> Result<Opened, String> {
    let lock = DataFileLock::take(path)?;
    let mut migrated_from = None;
    match kind(path)? {
        Kind::Missing => database::create(path, &Store::new())?,
        Kind::Sqlite => {}
        Kind::Empty => {
            return Err(
                "it is empty, not a data file of this emulator; remove it to start empty".into(),
            );
        }
        Kind::Other(text) if text.trim_ascii_start().first() != Some(&b'{') => {
            return Err("it is neither a SQLite database of this emulator nor a \
                 trustly-customers-mock/1 JSON file; move it away to start empty"
                .into());
        }
        Kind::Other(text) => migrated_from = Some(json_v1::migrate(path, &text)?),
    }
    let (database, store) = database::open_existing(path, lock)?;
    Ok(Opened {
        database,
        store,
        migrated_from,
    })
}

/// What is at the data file's path.
enum Kind {
    Missing,
    Empty,
    Sqlite,
    /// Anything else, read whole: a `trustly-customers-mock/1` file or something foreign.
    Other(Vec<u8>),
}

fn kind(path: &Path) -> Result<Kind, String> {
    let mut file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Kind::Missing),
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    let mut head = Vec::with_capacity(SQLITE_HEADER.len());
    (&mut file)
        .take(SQLITE_HEADER.len() as u64)
        .read_to_end(&mut head)
        .map_err(|e| format!("cannot read it: {e}"))?;
    if head.is_empty() {
        return Ok(Kind::Empty);
    }
    if head == SQLITE_HEADER {
        return Ok(Kind::Sqlite);
    }
    file.read_to_end(&mut head)
        .map_err(|e| format!("cannot read it: {e}"))?;
    Ok(Kind::Other(head))
}

#[cfg(test)]
mod tests {
    use super::kind;

    /// Only a file that is not there is a new data file: one that cannot be looked at (here
    /// its directory is a regular file) is an error.
    #[test]
    fn a_path_that_cannot_be_read_is_not_taken_for_a_missing_file() {
        let dir = crate::scratch_dir("database-unreadable");
        let file = dir.join("a-file");
        std::fs::write(&file, "x").unwrap();
        let error = kind(&file.join("customers.db")).err().unwrap();
        assert!(error.starts_with("cannot read it"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
