//! Writing the generated file: only when its contents change, and atomically.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// What happened to the output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// It already held exactly this; it was not touched (its mtime is kept, so cargo does not
    /// rebuild the crate).
    Unchanged,
    /// It was replaced (or created).
    Changed,
}

/// The file's current contents, with Windows line endings read as Unix ones; `None` if absent.
pub fn read_existing(path: &Path) -> io::Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text.replace("\r\n", "\n"))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Writes `contents` to `path` unless it already holds them. The new contents go to a temporary
/// file beside it, flushed to disk, then renamed over it: a reader never sees half a file, and a
/// failure leaves the old file as it was.
pub fn write_if_changed(path: &Path, contents: &str) -> io::Result<Written> {
    if read_existing(path)?.as_deref() == Some(contents) {
        return Ok(Written::Unchanged);
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other("the output path names no file"))?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result.map(|()| Written::Changed)
}

/// A unified diff from the checked-in text to the freshly generated one.
pub fn unified_diff(path: &str, checked_in: &str, generated: &str) -> String {
    similar::TextDiff::from_lines(checked_in, generated)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{path} (checked in)"),
            &format!("{path} (generated from the spec)"),
        )
        .to_string()
}
