//! The registry as the docs list it: a Markdown table, or a plain list for a comment. The docs
//! that list the conventions hold one of these renderings between `<!-- conventions -->` and
//! `<!-- /conventions -->`, and a workspace test holds each to it.

use super::{ALL, Convention};

/// A Markdown table with a row per convention: name, where it may stand, its value, what it
/// means and what carries it into the code. No trailing newline.
pub fn markdown_table() -> String {
    let mut lines = vec![
        "| name | where | value | meaning | carried by |".to_owned(),
        "| --- | --- | --- | --- | --- |".to_owned(),
    ];
    for c in ALL {
        let carriers: Vec<String> = c.carried_by.iter().map(|p| format!("`{p}`")).collect();
        lines.push(format!(
            "| `{}` | {} | {} | {} | {} |",
            c.name,
            c.describe_places(),
            c.value.describe(),
            c.meaning,
            carriers.join(", ")
        ));
    }
    lines.join("\n")
}

/// A plain list, for a comment in a file that is not Markdown (the spec's header): each
/// convention's name, then what it means, where it may stand and its value, wrapped to
/// `width` columns. No trailing newline.
pub fn plain_list(width: usize) -> String {
    let column = ALL.iter().map(|c| c.name.len()).max().unwrap_or(0) + INDENT.len() + 2;
    let mut lines = Vec::new();
    for c in ALL {
        let text = describe(c);
        let mut line = format!("{INDENT}{}", c.name);
        let mut words = text.split(' ').peekable();
        while words.peek().is_some() {
            line = format!("{line:<column$}");
            let mut first = true;
            while let Some(word) = words.peek() {
                // A word longer than the line still goes on it, alone.
                if !first && line.len() + 1 + word.len() > width {
                    break;
                }
                if !first {
                    line.push(' ');
                }
                line.push_str(word);
                first = false;
                words.next();
            }
            lines.push(std::mem::take(&mut line));
        }
    }
    lines.join("\n")
}

/// Where the list's names start.
const INDENT: &str = "  ";

/// "personal data: … . On a component schema, or …: `true` or `false`."
fn describe(c: &Convention) -> String {
    format!(
        "{}. On {}: {}.",
        c.meaning,
        c.describe_places(),
        c.value.describe()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_a_row_per_convention() {
        let table = markdown_table();
        assert_eq!(table.lines().count(), 2 + ALL.len());
        for c in ALL {
            assert!(table.contains(&format!("| `{}` |", c.name)), "{}", c.name);
        }
    }

    #[test]
    fn the_list_wraps_under_its_text_column() {
        let list = plain_list(60);
        let column = "  x-idempotent-when-given  ".len();
        for line in list.lines() {
            assert!(line.len() <= 60, "too long: {line:?}");
            assert!(!line.ends_with(' '), "trailing space: {line:?}");
            let (name, text) = line.split_at(column);
            assert!(!text.starts_with(' '), "{line:?}");
            assert!(name.trim().is_empty() || ALL.iter().any(|c| c.name == name.trim()));
        }
        let names: Vec<&str> = list
            .lines()
            .filter_map(|l| {
                l.split_whitespace()
                    .next()
                    .filter(|_| !l.starts_with("   "))
            })
            .collect();
        let all: Vec<&str> = ALL.iter().map(|c| c.name).collect();
        assert_eq!(names, all, "each name once, in order");
    }
}
