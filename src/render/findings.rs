//! The text report of `validate`: a line per payload, its findings indented, colored by severity.

use colored::Colorize;

use crate::input::Origin;
use std::io::{self, Write};

use crate::validate::{Finding, Severity, Verdict};

/// `1 warning`, `3 payloads`.
pub fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// What a payload was checked as: `hangup`, `hangup (detected)`, `no trigger`.
pub fn trigger_label(verdict: &Verdict) -> String {
    match (verdict.trigger, verdict.detected) {
        (Some(t), true) => format!("{t} (detected)"),
        (Some(t), false) => t.to_string(),
        (None, _) => "no trigger".to_string(),
    }
}

/// `{indent}error   format      /billsec: expected …`, colored by severity, with its newline.
pub fn finding_line(f: &Finding, indent: &str) -> String {
    let severity = match f.severity {
        Severity::Error => "error  ".red().bold(),
        Severity::Warning => "warning".yellow(),
    };
    format!(
        "{indent}{severity} {:<11} {}: {}\n",
        f.code.name(),
        f.shown_path().dimmed(),
        f.message
    )
}

/// The header line and the findings of one payload.
pub fn report(origin: &Origin, verdict: &Verdict) -> String {
    let trigger = trigger_label(verdict);
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
    let mut out = format!("{}: {}: {status}\n", origin.place().bold(), trigger.cyan());
    for f in &verdict.findings {
        out.push_str(&finding_line(f, "  "));
    }
    out
}

/// One `validate --format json` result (docs/rules.md, "Where findings show"), written field by field: this runs once per
/// payload, and building a `serde_json::Value` first costs more than checking the payload.
pub fn write_json_result(
    out: &mut impl Write,
    origin: &Origin,
    verdict: &Verdict,
) -> io::Result<()> {
    let string =
        |out: &mut dyn Write, s: &str| serde_json::to_writer(out, s).map_err(io::Error::from);
    out.write_all(b"{\"source\":")?;
    string(out, &origin.source)?;
    match origin.line {
        Some(line) => write!(out, ",\"line\":{line}")?,
        None => out.write_all(b",\"line\":null")?,
    }
    if let Some(index) = origin.index {
        write!(out, ",\"index\":{index}")?;
    }
    out.write_all(b",\"trigger\":")?;
    match verdict.trigger {
        Some(t) => string(out, t)?,
        None => out.write_all(b"null")?,
    }
    write!(
        out,
        ",\"detected\":{},\"valid\":{},\"findings\":[",
        verdict.detected,
        verdict.valid()
    )?;
    for (i, f) in verdict.findings.iter().enumerate() {
        let severity = f.severity.name();
        let comma = if i == 0 { "" } else { "," };
        write!(
            out,
            "{comma}{{\"severity\":\"{severity}\",\"code\":\"{}\",\"path\":",
            f.code.name()
        )?;
        string(out, &f.path)?;
        out.write_all(b",\"message\":")?;
        string(out, &f.message)?;
        out.write_all(b"}")?;
    }
    out.write_all(b"]}")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::validate::{Code, Finding};

    #[test]
    fn json_result_is_the_verdict_json_with_its_place() {
        let origin = Origin {
            source: Arc::from("a \"b\".ndjson"),
            line: Some(3),
            index: None,
        };
        let verdict = Verdict {
            trigger: Some("missed"),
            detected: true,
            findings: vec![Finding::new(Code::Order, "/answer_stamp", "expected \"x\"")],
        };
        let mut out = Vec::new();
        write_json_result(&mut out, &origin, &verdict).unwrap();
        let written: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let mut expected = serde_json::json!({"source": "a \"b\".ndjson", "line": 3});
        expected
            .as_object_mut()
            .unwrap()
            .extend(verdict.to_json().as_object().unwrap().clone());
        assert_eq!(written, expected);
    }
}
