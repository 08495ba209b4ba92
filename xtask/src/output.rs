//! Writing the generated files: only those whose contents change, atomically, all or none.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// The file's current contents, with Windows line endings read as Unix ones; `None` if absent.
pub fn read_existing(path: &Path) -> io::Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text.replace("\r\n", "\n"))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Writes each file whose contents change, as one step as far as a file system allows: every
/// new file is written and flushed beside its target first, and only when all are written are
/// they renamed over the old ones. A failure while writing (a missing directory, a full disk)
/// leaves every old file as it was. Returns how many files changed; an error names its path.
pub fn write_all_if_changed<'a>(
    files: &[(&'a Path, &str)],
) -> Result<usize, (&'a Path, io::Error)> {
    let mut staged: Vec<(std::path::PathBuf, &'a Path)> = Vec::new();
    let cleanup = |staged: &[(std::path::PathBuf, &Path)]| {
        for (temp, _) in staged {
            let _ = fs::remove_file(temp);
        }
    };
    for (path, contents) in files {
        let outcome = read_existing(path).and_then(|existing| {
            if existing.as_deref() == Some(*contents) {
                Ok(None)
            } else {
                stage(path, contents).map(Some)
            }
        });
        match outcome {
            Ok(Some(temp)) => staged.push((temp, path)),
            Ok(None) => {}
            Err(e) => {
                cleanup(&staged);
                return Err((*path, e));
            }
        }
    }
    let changed = staged.len();
    for (i, (temp, path)) in staged.iter().enumerate() {
        if let Err(e) = fs::rename(temp, path) {
            cleanup(&staged[i..]);
            return Err((*path, e));
        }
    }
    Ok(changed)
}

/// Writes `contents` to a temporary file beside `path`, flushed to disk.
fn stage(path: &Path, contents: &str) -> io::Result<std::path::PathBuf> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
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
        file.sync_all()
    })();
    match result {
        Ok(()) => Ok(temp),
        Err(e) => {
            let _ = fs::remove_file(&temp);
            Err(e)
        }
    }
}

/// A unified diff from the checked-in text to the freshly generated one.
pub fn unified_diff(path: &str, checked_in: &str, generated: &str) -> String {
    labelled_diff(
        &format!("{path} (checked in)"),
        &format!("{path} (generated from the spec)"),
        checked_in,
        generated,
    )
}

/// A unified diff from `old` (named `old_label`) to `new`.
pub fn labelled_diff(old_label: &str, new_label: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_label, new_label)
        .to_string()
}
