//! Whether a breaking change is recorded in `CHANGELOG.md` under the next version.
//!
//! The next version is the changelog's first `## [...]` section (`[Unreleased]`, or the version
//! about to be released). A breaking change is recorded when that section has an entry that
//! says **Breaking** and that the old changelog did not have: an entry left from an earlier
//! change does not cover a new one.

use serde::Serialize;

/// The outcome of the check.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// The changelog, as named in messages.
    pub file: String,
    /// Whether the change needs a record (something is breaking).
    pub required: bool,
    /// The heading of the next version's section, when there is one.
    pub section: Option<String>,
    /// The new entries of that section that say they are breaking.
    pub entries: Vec<String>,
    /// Whether the check passes: nothing required, or at least one such entry.
    pub recorded: bool,
}

/// Checks `text` (the changelog now) against `base` (the changelog before the change, when
/// known). `required` says whether something is breaking.
pub fn check(file: &str, text: &str, base: Option<&str>, required: bool) -> Check {
    let section = next_section(text);
    let old: Vec<&str> = base
        .map(|b| b.lines().map(str::trim).collect())
        .unwrap_or_default();
    let entries: Vec<String> = section
        .as_ref()
        .map(|(_, lines)| {
            lines
                .iter()
                .map(|l| l.trim())
                .filter(|l| l.starts_with("- ") || l.starts_with("* "))
                .filter(|l| l.to_lowercase().contains("breaking"))
                .filter(|l| !old.contains(l))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Check {
        file: file.to_owned(),
        required,
        section: section.map(|(heading, _)| heading),
        recorded: !required || !entries.is_empty(),
        entries,
    }
}

/// The first `## [...]` heading and the lines under it, up to the next `## ` heading.
fn next_section(text: &str) -> Option<(String, Vec<&str>)> {
    let mut lines = text.lines();
    let heading = lines.by_ref().find(|l| l.starts_with("## ["))?;
    let body = lines.take_while(|l| !l.starts_with("## ")).collect();
    Some((heading.trim_start_matches("## ").trim().to_owned(), body))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "# Changelog\n\n## [Unreleased]\n\n- **Breaking:** an old one.\n\n## [0.1.0]\n\n- **Breaking:** older.\n";

    #[test]
    fn a_new_breaking_entry_in_the_next_section_records_the_change() {
        let now = BASE.replace(
            "an old one.\n",
            "an old one.\n- **Breaking:** `phone` is optional.\n",
        );
        let check = check("CHANGELOG.md", &now, Some(BASE), true);
        assert!(check.recorded);
        assert_eq!(check.section.as_deref(), Some("[Unreleased]"));
        assert_eq!(check.entries, ["- **Breaking:** `phone` is optional."]);
    }

    #[test]
    fn an_entry_the_old_changelog_had_does_not_record_a_new_change() {
        let check = check("CHANGELOG.md", BASE, Some(BASE), true);
        assert!(!check.recorded);
        assert!(check.entries.is_empty());
    }

    #[test]
    fn an_entry_under_an_older_version_does_not_count() {
        let now = BASE.replace("older.\n", "older.\n- **Breaking:** new but misplaced.\n");
        assert!(!check("CHANGELOG.md", &now, Some(BASE), true).recorded);
    }

    #[test]
    fn an_entry_that_does_not_say_breaking_does_not_count() {
        let now = BASE.replace("an old one.\n", "an old one.\n- `phone` is optional.\n");
        assert!(!check("CHANGELOG.md", &now, Some(BASE), true).recorded);
    }

    #[test]
    fn nothing_breaking_needs_no_entry_and_no_section() {
        let check = check("CHANGELOG.md", "# Changelog\n", None, false);
        assert!(check.recorded);
        assert_eq!(check.section, None);
        let check = super::check("CHANGELOG.md", "# Changelog\n", None, true);
        assert!(!check.recorded);
    }
}
