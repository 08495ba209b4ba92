//! The repository speaks only of itself: no tracked file names a path outside it, such as a
//! directory beside the clone, which a user's clone does not have.

use std::path::{Component, Path, PathBuf};
use std::process::Command;

/// A directory beside the clone that the project's authors have and its users do not (spelt
/// in two pieces, so that this file does not name it).
const BESIDE: &str = concat!("/sha", "red/");
const ABSOLUTE: &str = concat!("/work", "/sha", "red");

/// The workspace root (this crate is `tests/` in it).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_path_buf()
}

/// The tracked files, as `git ls-files` lists them.
fn tracked_files(root: &Path) -> Vec<PathBuf> {
    let out = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output()
        .expect("git runs (the check reads the tracked files)");
    assert!(out.status.success(), "git ls-files failed");
    out.stdout
        .split(|b| *b == 0)
        .filter(|name| !name.is_empty())
        .map(|name| PathBuf::from(String::from_utf8_lossy(name).into_owned()))
        .collect()
}

/// Each `../…` path in `text` (a run of `../` and the name after it), with its line number.
fn parent_paths(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("../") {
            // A run that begins mid-word (`a../`) is not a path.
            let starts_path = at == 0 || !rest[..at].ends_with(|c: char| c.is_alphanumeric());
            let tail = &rest[at..];
            let len = tail
                .find(|c: char| !(c.is_alphanumeric() || "./_-".contains(c)))
                .unwrap_or(tail.len());
            if starts_path {
                found.push((number + 1, tail[..len].to_owned()));
            }
            rest = &tail[len.max(3)..];
        }
    }
    found
}

/// Whether `path`, taken from the directory `dir` (relative to the root), leaves the root.
fn leaves_the_root(dir: &Path, path: &str) -> bool {
    let mut depth = dir.components().count() as isize;
    for component in Path::new(path).components() {
        match component {
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            _ => {}
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

#[test]
fn no_tracked_file_points_outside_the_repository() {
    let root = root();
    let mut outside = Vec::new();
    let files = tracked_files(&root);
    assert!(files.len() > 100, "the tracked files: {}", files.len());
    for file in files {
        let Ok(text) = std::fs::read_to_string(root.join(&file)) else {
            continue; // not text
        };
        let dir = file.parent().unwrap_or(Path::new(""));
        for (line, path) in parent_paths(&text) {
            if leaves_the_root(dir, &path) || path.contains(BESIDE) {
                outside.push(format!("{}:{line}: {path}", file.display()));
            }
        }
        for (number, line) in text.lines().enumerate() {
            if line.contains(ABSOLUTE) {
                outside.push(format!("{}:{}: {ABSOLUTE}", file.display(), number + 1));
            }
        }
    }
    assert!(
        outside.is_empty(),
        "paths outside the repository:\n{}",
        outside.join("\n")
    );
}

#[test]
fn the_check_finds_a_path_outside() {
    let beside = format!("..{BESIDE}reference/api.md");
    assert_eq!(
        parent_paths(&format!("see {beside}, not a../b")),
        [(1, beside.clone())]
    );
    assert!(leaves_the_root(Path::new(""), &beside));
    assert!(leaves_the_root(Path::new("crates/x"), &"../".repeat(3)));
    assert!(!leaves_the_root(Path::new("crates/x"), "../../openapi"));
}
