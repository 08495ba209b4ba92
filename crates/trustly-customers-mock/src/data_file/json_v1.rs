//! The JSON format the data file had before it became a database, `trustly-customers-mock/1`,
//! read only to migrate it: one JSON object, one customer per line.
//!
//! ```text
//! {"format":"trustly-customers-mock/1","nextCustomerId":1000000003,"customers":[
//! {"name":"Joe User",...,"customerId":"1000000001",...},
//! {"name":"Ann User",...,"customerId":"1000000002",...}
//! ]}
//! ```

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::database;
use super::paths::{sibling, temp_path};
use crate::load;
use crate::store::Store;

/// The `format` marker of a JSON data file; a file without it is refused rather than guessed
/// at.
const FORMAT_V1: &str = "trustly-customers-mock/1";

/// Decodes a `trustly-customers-mock/1` file's bytes, checking every record; an error says
/// what is wrong and where, never with a customer's data in it.
pub(crate) fn parse(text: &[u8]) -> Result<Store, String> {
    let value: Value = serde_json::from_slice(text).map_err(|e| {
        format!(
            "it is not valid JSON (line {}, column {}): it may be damaged; move it away to start empty",
            e.line(),
            e.column()
        )
    })?;
    if value.get("format").and_then(Value::as_str) != Some(FORMAT_V1) {
        return Err(format!(
            "it is not a data file of this emulator (no \"format\": \"{FORMAT_V1}\")"
        ));
    }
    let next_id = value
        .get("nextCustomerId")
        .and_then(Value::as_u64)
        .ok_or("`nextCustomerId` is missing or not a number")?;
    let Some(Value::Array(customers)) = value.get("customers").cloned() else {
        return Err("`customers` is missing or not a list".into());
    };
    load::from_json_records(next_id, customers)
}

/// Replaces the `trustly-customers-mock/1` file at `path`, whose contents are `text`, with a
/// database of the same customers; returns where the JSON file is kept.
///
/// Its customers are checked, its contents are kept as `FILE.v1.bak` (a hard link, or a copy
/// where links cannot be made), and a new database takes its place by a rename. A crash
/// before the rename leaves the JSON file at `path`, and the next start migrates it again.
pub(crate) fn migrate(path: &Path, text: &[u8]) -> Result<PathBuf, String> {
    let store = parse(text)?;
    let backup = backup_path(path);
    keep_a_copy(path, &backup)?;
    database::create(path, &store)?;
    Ok(backup)
}

/// Where a migrated `trustly-customers-mock/1` file is kept: `FILE.v1.bak`.
fn backup_path(path: &Path) -> PathBuf {
    sibling(path, ".v1.bak")
}

/// Keeps the file at `path` as `backup` too. A `backup` that is already the same file (a
/// migration stopped after this step) is fine; any other file of that name is not replaced.
fn keep_a_copy(path: &Path, backup: &Path) -> Result<(), String> {
    let refused = |e: io::Error| {
        format!(
            "cannot keep the old file as {}: {e}; nothing was changed",
            backup.display()
        )
    };
    match fs::hard_link(path, backup) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            if same_file(path, backup) {
                Ok(())
            } else {
                Err(format!(
                    "cannot keep the old file as {}: a different file of that name exists; \
                     move it away, nothing was changed",
                    backup.display()
                ))
            }
        }
        Err(_) => {
            // A file system without hard links: a copy, written whole before it gets the name.
            let temp = temp_path(backup);
            fs::copy(path, &temp).map_err(refused)?;
            fs::File::open(&temp)
                .and_then(|f| f.sync_all())
                .map_err(refused)?;
            fs::rename(&temp, backup).map_err(refused)
        }
    }
}

/// Whether `a` and `b` name one file: the same inode on Unix, the same contents elsewhere.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        match (fs::metadata(a), fs::metadata(b)) {
            (Ok(a), Ok(b)) => super::paths::same_inode(&a, &b),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        matches!((fs::read(a), fs::read(b)), (Ok(a), Ok(b)) if a == b)
    }
}

#[cfg(test)]
mod tests {
    use super::keep_a_copy;

    /// A failure to keep the old file is reported as what it is, not as a name taken.
    #[test]
    fn a_failed_copy_of_the_old_file_says_why() {
        let dir = crate::scratch_dir("database-copy");
        let error =
            keep_a_copy(&dir.join("missing.json"), &dir.join("missing.json.v1.bak")).unwrap_err();
        assert!(!error.contains("a different file"), "{error}");
        assert!(error.contains("nothing was changed"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
