//! The files beside the data file, by name, and the sync that makes a rename into its directory
//! durable.

use std::fs::File;
use std::path::{Path, PathBuf};

/// `path` with `suffix` appended to its file name: `FILE.tmp`, `FILE.lock`, `FILE-wal`.
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Whether two files' metadata are of one file: the same device and inode.
#[cfg(unix)]
pub(crate) fn same_inode(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Where a new file is built before it is renamed into place: `FILE.tmp`.
pub(crate) fn temp_path(path: &Path) -> PathBuf {
    sibling(path, ".tmp")
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

    use super::{directory_of, sibling};

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

    #[test]
    fn a_sibling_is_named_after_the_file_in_its_directory() {
        assert_eq!(
            sibling(Path::new("dir/customers.db"), "-wal"),
            Path::new("dir/customers.db-wal")
        );
        assert_eq!(
            sibling(Path::new("customers.db"), ".lock"),
            Path::new("customers.db.lock")
        );
    }
}
