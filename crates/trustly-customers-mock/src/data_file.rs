//! The `--data` file: reading it at start, and replacing it atomically.
//!
//! Layout: one JSON object, one customer per line so the file diffs well:
//!
//! ```text
//! {"format":"trustly-customers-mock/1","nextCustomerId":1000000003,"customers":[
//! {"name":"Joe User",...,"customerId":"1000000001",...},
//! {"name":"Ann User",...,"customerId":"1000000002",...}
//! ]}
//! ```
//!
//! A write goes to `FILE.tmp`, is flushed to disk (`fsync`), and is renamed over `FILE`; a crash
//! at any point leaves either the old file or the new one, never a mix. A leftover `FILE.tmp`
//! from a crash is never read, and is overwritten by the next write.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::store::{Snapshot, Store};

/// The `format` marker of the file; a file without it is refused rather than guessed at.
pub(crate) const FORMAT: &str = "trustly-customers-mock/1";

/// Where a write goes before it is renamed over the data file.
pub(crate) fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

/// Where the lock that keeps a second emulator off the data file lives. A file of its own: the
/// data file itself is replaced on every save, and a lock on it would go with the old one.
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

/// Reads the data file. `Ok(None)` when it does not exist yet; an error says what is wrong
/// (never with a customer's data in it).
pub(crate) fn load(path: &Path) -> Result<Option<Store>, String> {
    let text = match fs::read(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    parse_v1(&text).map(Some)
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
    if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(format!(
            "it is not a data file of this emulator (no \"format\": \"{FORMAT}\")"
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

/// The file's contents for a snapshot. Records are already JSON; they are joined, not
/// serialized again.
pub(crate) fn render(snapshot: &Snapshot) -> Vec<u8> {
    let size: usize = snapshot.records.iter().map(|r| r.len() + 2).sum();
    let mut out = Vec::with_capacity(size + 100);
    out.extend_from_slice(
        format!(
            "{{\"format\":\"{FORMAT}\",\"nextCustomerId\":{},\"customers\":[",
            snapshot.next_id
        )
        .as_bytes(),
    );
    for (i, record) in snapshot.records.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        out.extend_from_slice(record);
    }
    out.extend_from_slice(b"\n]}\n");
    out
}

/// Replaces the file with `contents`: temp file, fsync, rename, then fsync of the directory so
/// the rename itself survives a power cut.
///
/// The new file keeps the permissions of the one it replaces (a `chmod 600` on a file of tax
/// ids survives every save); a file created new is readable by its owner only, on Unix.
pub(crate) fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let temp = temp_path(path);
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temp)?;
    match fs::metadata(path) {
        Ok(existing) => file.set_permissions(existing.permissions())?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    file.write_all(contents)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&temp, path)?;
    // Not every platform can open a directory for syncing; the rename is done either way.
    if let Ok(dir) = File::open(directory_of(path)) {
        let _ = dir.sync_all();
    }
    Ok(())
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

    use super::{directory_of, write_atomically};

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

    /// A path that exists but cannot be looked at (here a symbolic link to itself) is not
    /// taken for a new file and replaced: whatever is there stays, and the error says why.
    #[cfg(unix)]
    #[test]
    fn a_data_file_that_cannot_be_looked_at_is_not_replaced() {
        let dir = std::env::temp_dir().join(format!(
            "trustly-customers-mock-data-file-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("data.json");
        std::os::unix::fs::symlink(&path, &path).unwrap();

        let error = write_atomically(&path, b"{}").unwrap_err();
        assert_ne!(error.kind(), std::io::ErrorKind::NotFound, "{error}");
        let still = std::fs::symlink_metadata(&path).unwrap();
        assert!(still.file_type().is_symlink(), "the link was replaced");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
