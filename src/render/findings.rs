//! The text report of `validate`: a line per payload, its findings indented, colored by severity.

use colored::Colorize;

use crate::input::Origin;
use crate::validate::{Severity, Verdict};

/// `file.ndjson:12`, `file.json[3]` (array element) or `file.json`.
pub fn place(origin: &Origin) -> String {
    match (origin.line, origin.index) {
        (Some(line), _) => format!("{}:{line}", origin.source),
        (None, Some(index)) => format!("{}[{index}]", origin.source),
        (None, None) => origin.source.to_string(),
    }
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// The header line and the findings of one payload.
pub fn report(origin: &Origin, verdict: &Verdict) -> String {
    let trigger = match (verdict.trigger, verdict.detected) {
        (Some(t), true) => format!("{t} (detected)"),
        (Some(t), false) => t.to_string(),
        (None, _) => "no trigger".to_string(),
    };
    let status = if verdict.valid() {
        let warnings = verdict.warnings();
        if warnings == 0 {
            "valid".green().to_string()
        } else {
            format!("{}, {}", "valid".green(), count(warnings, "warning"))
        }
    } else {
        let mut s = count(verdict.errors(), "error").red().bold().to_string();
        if verdict.warnings() > 0 {
            s.push_str(&format!(", {}", count(verdict.warnings(), "warning")));
        }
        s
    };
    let mut out = format!("{}: {}: {status}\n", place(origin).bold(), trigger.cyan());
    for f in &verdict.findings {
        let severity = match f.severity {
            Severity::Error => "error  ".red().bold(),
            Severity::Warning => "warning".yellow(),
        };
        let path = if f.path.is_empty() {
            "(payload)".to_string()
        } else {
            f.path.clone()
        };
        out.push_str(&format!(
            "  {severity} {:<11} {}: {}\n",
            f.code.name(),
            path.dimmed(),
            f.message
        ));
    }
    out
}
