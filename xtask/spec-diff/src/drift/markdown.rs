//! The drift report as Markdown: a verdict, then the differences grouped by operation and
//! schema, each with both documents' `file:line` and its reason.

use std::fmt::Write as _;

use trustly_customers_spec::conventions::TRUSTLY;

use super::{Difference, DriftReport, Status};

/// The Markdown report.
pub fn markdown(report: &DriftReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Drift: `{}` against Trustly's `{}`\n",
        report.ours, report.theirs
    );
    let _ = writeln!(
        out,
        "{} new · {} stale decision(s) · {} recorded\n",
        report.new, report.stale, report.recorded
    );
    let _ = writeln!(out, "{}\n", verdict(report));
    let _ = writeln!(
        out,
        "Each difference reads from Trustly's document to the spec: `added` is only in the spec, \
         `removed` only in Trustly's document, `a → b` is Trustly's `a` and the spec's `b`.\n"
    );
    let mut groups: Vec<&str> = Vec::new();
    for d in &report.differences {
        if !groups.contains(&d.group.as_str()) {
            groups.push(&d.group);
        }
    }
    groups.sort_by_key(|g| (order(g), *g));
    for group in groups {
        let _ = writeln!(out, "### {group}\n");
        let mut in_group: Vec<&Difference> = report
            .differences
            .iter()
            .filter(|d| d.group == group)
            .collect();
        // What needs a look first.
        in_group.sort_by_key(|d| match d.status {
            Status::New => 0,
            Status::StaleDecision => 1,
            Status::Recorded => 2,
        });
        for d in in_group {
            let _ = writeln!(out, "{}", line(d));
        }
        out.push('\n');
    }
    out
}

fn verdict(report: &DriftReport) -> String {
    if report.is_clean() {
        "Every difference from Trustly's document is a recorded decision.".to_owned()
    } else if report.new > 0 {
        format!(
            "**Trustly's document and the spec differ where no decision says why**: change the \
             spec, or record the decision (`{}` where the difference is).",
            TRUSTLY.name
        )
    } else {
        "**A recorded decision matches no difference**: Trustly's document changed; remove the \
         decision, or change the spec."
            .to_owned()
    }
}

/// The document first, then operations, then schemas.
fn order(group: &str) -> u8 {
    if group == "document" {
        0
    } else if group.starts_with("path") || group.starts_with("operation") {
        1
    } else {
        2
    }
}

fn line(d: &Difference) -> String {
    let mut text = format!(
        "- **{}** `{}` {}: {}. Ours {}",
        d.status.label(),
        d.kind,
        d.place,
        d.change,
        d.ours.location
    );
    if let Some(theirs) = &d.theirs {
        let _ = write!(text, ", Trustly's {}", theirs.location);
    }
    if let Some(decision) = &d.decision {
        let _ = write!(
            text,
            ". Trustly's document: {} (decision at {})",
            decision.trustly, decision.at.location
        );
    }
    let _ = write!(text, ". Why: {}", d.reason);
    text
}
