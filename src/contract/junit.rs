//! The JUnit XML report (`--junit FILE`) that CI systems display: one `<testsuite>` per trigger
//! (and one for the per-call cases), one `<testcase>` per case, a `<failure>` with the request
//! sent and the response. The attributes are the ones the JUnit XSD (Ant's junit-4) requires.

use std::fmt::Write;

use super::CaseResult;

/// `text` safe inside an XML attribute or element.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 has no way to write most control characters: leave them out.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The report. `details` gives a failed case's request and response text; `timestamp` is the
/// run's start (ISO 8601), `hostname` where it ran.
pub fn report(
    results: &[CaseResult],
    details: &dyn Fn(&CaseResult) -> String,
    timestamp: &str,
    hostname: &str,
) -> String {
    let mut groups: Vec<(&str, Vec<&CaseResult>)> = Vec::new();
    for r in results {
        match groups.iter_mut().find(|(g, _)| *g == r.case.group) {
            Some((_, members)) => members.push(r),
            None => groups.push((r.case.group, vec![r])),
        }
    }
    let secs = |rs: &[&CaseResult]| -> f64 {
        rs.iter()
            .flat_map(|r| r.requests.iter())
            .map(|q| q.elapsed.as_secs_f64())
            .sum()
    };
    let all: Vec<&CaseResult> = results.iter().collect();
    let failures = results.iter().filter(|r| !r.passed).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"servetel test\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" time=\"{:.3}\">",
        results.len(),
        secs(&all)
    );
    for (id, (group, members)) in groups.iter().enumerate() {
        let failed = members.iter().filter(|r| !r.passed).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" id=\"{id}\" package=\"servetel\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\" time=\"{:.3}\" timestamp=\"{}\" hostname=\"{}\">",
            escape(group),
            members.len(),
            secs(members),
            escape(timestamp),
            escape(hostname)
        );
        out.push_str("    <properties/>\n");
        for r in members {
            let time: f64 = r.requests.iter().map(|q| q.elapsed.as_secs_f64()).sum();
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"servetel.{}\" time=\"{time:.3}\"",
                escape(&r.case.id),
                escape(group)
            );
            match &r.reason {
                None => out.push_str("/>\n"),
                Some(reason) => {
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                        escape(reason),
                        if r.requests.iter().any(|q| q.status.is_none()) {
                            "transport"
                        } else {
                            "response"
                        },
                        escape(&details(r))
                    );
                }
            }
        }
        out.push_str("    <system-out/>\n    <system-err/>\n  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape("<a href=\"x\">&'\u{1}</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
    }
}
