//! The report as Markdown, to paste into a pull request (or a CI job summary).

use std::fmt::Write as _;

use crate::rust::Level;
use crate::wire::{Class, Direction};
use crate::{Report, WireChangeAt};

/// The Markdown report.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Spec diff: `{}` → `{}`\n", report.base, report.head);
    let _ = writeln!(out, "{}\n", verdict(report));

    let w = &report.wire;
    let _ = writeln!(out, "### Wire\n");
    if w.changes.is_empty() {
        let _ = writeln!(out, "No change on the wire.\n");
    } else {
        let _ = writeln!(
            out,
            "{} breaking for clients · {} breaking for the server side · {} additive · {} documentation only\n",
            w.breaking_client, w.breaking_server, w.additive, w.documentation
        );
        let _ = writeln!(out, "| Class | Where | Change | Why |");
        let _ = writeln!(out, "|---|---|---|---|");
        for c in &w.changes {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                classes(&c.change.classes),
                cell(&place(c)),
                cell(&c.change.change),
                cell(&c.change.why)
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "### Rust\n");
    let _ = writeln!(out, "| Crate | Change | Version |");
    let _ = writeln!(out, "|---|---|---|");
    let v = &report.version;
    for c in &report.crates {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            c.name,
            emphasised(c.level),
            if c.level == Level::None {
                v.current.clone()
            } else {
                format!("{} → {}", v.current, c.level.next_version(&v.current))
            }
        );
    }
    let _ = writeln!(
        out,
        "\nAll crates share one version: {}.\n",
        if v.level == Level::None {
            format!("it stays {}", v.current)
        } else {
            format!("{} → **{}** ({})", v.current, v.next, v.level.label())
        }
    );
    for c in &report.crates {
        if c.changes.is_empty() && c.note.is_empty() {
            continue;
        }
        if c.level == Level::None {
            continue;
        }
        let _ = writeln!(out, "#### {} ({})\n", c.name, c.level.label());
        if !c.note.is_empty() {
            let _ = writeln!(out, "{}.\n", capitalised(&c.note));
        }
        for change in &c.changes {
            let _ = writeln!(
                out,
                "- {} `{}`: {} ({})",
                emphasised(change.level),
                change.item,
                code_span(&change.change),
                change.why
            );
        }
        if !c.changes.is_empty() {
            out.push('\n');
        }
    }
    if !report.surface_diff.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>The generated crate's surface (the snapshot's listing)</summary>\n\n```diff\n{}```\n\n</details>\n",
            report.surface_diff
        );
    }
    if let Some(check) = &report.changelog {
        let _ = writeln!(out, "### Changelog\n");
        let section = check
            .section
            .as_deref()
            .map(|s| format!("`{s}`"))
            .unwrap_or_else(|| "(no `## [...]` section)".to_owned());
        if !check.required {
            let _ = writeln!(out, "Nothing breaking, so nothing needs recording.\n");
        } else if check.recorded {
            let _ = writeln!(out, "Recorded in {} under {section}:\n", check.file);
            for e in &check.entries {
                let _ = writeln!(out, "{e}");
            }
            out.push('\n');
        } else {
            let _ = writeln!(
                out,
                "**Not recorded.** A breaking change needs a new entry that says **Breaking** under the next version ({section}) of {}.\n",
                check.file
            );
        }
    }
    out
}

fn verdict(report: &Report) -> String {
    let w = &report.wire;
    let v = &report.version;
    let mut parts = Vec::new();
    let changes = |n: usize, verb: &str| {
        if n == 1 {
            format!("1 wire change {verb}s")
        } else {
            format!("{n} wire changes {verb}")
        }
    };
    if w.breaking_client > 0 {
        parts.push(changes(w.breaking_client, "break") + " clients");
    }
    if w.breaking_server > 0 {
        parts.push(changes(w.breaking_server, "break") + " the server side");
    }
    let rust = report
        .crates
        .iter()
        .filter(|c| c.level == Level::Breaking)
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>();
    if !rust.is_empty() {
        parts.push(format!("breaking releases of {}", rust.join(", ")));
    }
    if report.breaking {
        format!(
            "**Breaking.** {}. The crates need {} → {}.",
            capitalised(&parts.join("; ")),
            v.current,
            v.next
        )
    } else if v.level == Level::None {
        "**Nothing changed.**".to_owned()
    } else {
        format!(
            "**Not breaking** ({}). The crates need {} → {}.",
            v.level.label(),
            v.current,
            v.next
        )
    }
}

fn place(c: &WireChangeAt) -> String {
    let mut text = format!("`{}`", c.change.location);
    let dirs: Vec<&str> = c
        .change
        .directions
        .iter()
        .map(|d| match d {
            Direction::Request => "requests",
            Direction::Response => "responses",
        })
        .collect();
    let ops = &c.change.operations;
    let mut context = Vec::new();
    if !dirs.is_empty() {
        context.push(dirs.join(" and "));
    }
    if !ops.is_empty() && !c.change.location.contains(ops[0].as_str()) {
        if ops.len() <= 2 {
            context.push(ops.join(", "));
        } else {
            context.push(format!("{} operations", ops.len()));
        }
    }
    if !context.is_empty() {
        let _ = write!(text, " in {}", context.join(", "));
    }
    let _ = write!(text, " ({})", c.source);
    text
}

fn classes(list: &[Class]) -> String {
    list.iter()
        .map(|c| {
            if c.is_breaking() {
                format!("**{}**", c.label())
            } else {
                c.label().to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn emphasised(level: Level) -> String {
    if level == Level::Breaking {
        format!("**{}**", level.label())
    } else {
        level.label().to_owned()
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// Text inside a table cell: pipes escaped, one line.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A code span that survives backticks inside it.
fn code_span(s: &str) -> String {
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}
