//! The files beside the data file, and the JSON format it had before it became a database.
//!
//! `trustly-customers-mock/1`, read only to migrate it ([`crate::database::open`]): one JSON
//! object, one customer per line:
//!
//! ```text
//! {"format":"trustly-customers-mock/1","nextCustomerId":1000000003,"customers":[
//! {"name":"Joe User",...,"customerId":"1000000001",...},
//! {"name":"Ann User",...,"customerId":"1000000002",...}
//! ]}
//! ```

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::store::Store;

/// The `format` marker of a JSON data file; a file without it is refused rather than guessed
/// at.
pub(crate) const FORMAT_V1: &str = "trustly-customers-mock/1";

/// Where a new file is built before it is renamed into place.
pub(crate) fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

/// Where the lock that keeps a second emulator off the data file lives. A file of its own: the
/// data file itself is replaced when it is created or migrated, and a lock on it would go with
/// the old one.
pub(crate) fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

/// Takes the data file for this emulator alone, for as long as the returned file is open. A
/// second emulator on the same file would overwrite the first one's changes with its own.
pub(crate) fn lock(path: &Path) -> Result<File, String> {
    let lock_path = lock_path(path);
    let file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(|e| format!("cannot open its lock file {}: {e}", lock_path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(format!(
            "another emulator is using it (its lock file {} is held)",
            lock_path.display()
        )),
        Err(fs::TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", lock_path.display())),
    }
}

/// Decodes a `trustly-customers-mock/1` file's bytes, checking every record; an error says
/// what is wrong and where, never with a customer's data in it.
pub(crate) fn parse_v1(text: &[u8]) -> Result<Store, String> {
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
    Store::from_records(next_id, customers)
}

/// Makes the rename of a file into `path`'s directory survive a power cut. Not every platform
/// can open a directory for syncing; the rename is done either way.
pub(crate) fn sync_directory_of(path: &Path) {
    if let Ok(dir) = File::open(directory_of(path)) {
        let _ = dir.sync_all();
    }
}

/// The directory whose entry for `path` a rename changes: the one to sync after it. A bare
/// file name is in the current directory (its parent is the empty path, which cannot be
/// opened).
fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::directory_of;

    #[test]
    fn the_directory_synced_after_a_rename_is_the_one_holding_the_file() {
        assert_eq!(directory_of(Path::new("data.json")), Path::new("."));
        assert_eq!(directory_of(Path::new("./data.json")), Path::new("."));
        assert_eq!(
            directory_of(Path::new("/var/lib/data.json")),
            Path::new("/var/lib")
        );
        assert_eq!(directory_of(Path::new("dir/data.json")), Path::new("dir"));
    }
}
