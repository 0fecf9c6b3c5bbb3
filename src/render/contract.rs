//! What `servetel test` prints: `--list`, a line per case grouped by trigger, each failure
//! explained (the request sent, the answer, the command that sends it again), the summary, and
//! `--format json`'s object per case.

use std::time::Duration;

use colored::Colorize;
use serde_json::{Value, json};

use crate::contract::{Case, CaseResult};
use crate::redact;
use crate::send::{latency, title_case};

/// `args` as one line a POSIX shell reads back into the same words.
pub fn shell_line(args: &[String]) -> String {
    let quoted: Vec<String> = args
        .iter()
        .map(|a| {
            let plain = !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c));
            match plain {
                true => a.clone(),
                false => format!("'{}'", a.replace('\'', "'\\''")),
            }
        })
        .collect();
    quoted.join(" ")
}

/// `--list`: the cases grouped by trigger, a line each.
pub fn listing(cases: &[Case]) -> String {
    let width = cases.iter().map(|c| c.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    let mut group = "";
    for c in cases {
        if c.group != group {
            group = c.group;
            out.push_str(&format!("{}\n", group.bold()));
        }
        out.push_str(&format!("  {:<width$}  {}\n", c.id, c.description));
    }
    out.push_str(&format!("{} cases\n", cases.len()));
    out
}

/// `--list --format json`: an array of `{case, trigger, encoding, triggers, description}`.
pub fn listing_json(cases: &[Case]) -> Value {
    cases
        .iter()
        .map(|c| {
            json!({
                "case": c.id,
                "trigger": c.group,
                "encoding": c.encoding,
                "triggers": c.triggers().iter().map(|t| t.id).collect::<Vec<_>>(),
                "description": c.description,
            })
        })
        .collect()
}

/// The group heading printed before its first case.
pub fn group_heading(group: &str) -> String {
    group.bold().to_string()
}

/// One case: pass or fail, the status(es), the slowest latency, and the reason.
pub fn case_line(r: &CaseResult, width: usize) -> String {
    let mark = match r.passed {
        true => "✓".green().bold(),
        false => "✗".red().bold(),
    };
    let mut statuses: Vec<String> = Vec::new();
    for q in &r.requests {
        let s = q.status.map_or("ERR".to_string(), |s| s.to_string());
        if !statuses.contains(&s) {
            statuses.push(s);
        }
    }
    let status = statuses.join(",");
    let status = match r.passed {
        true => status.green().to_string(),
        false => status.yellow().to_string(),
    };
    let count = match r.requests.len() {
        0 | 1 => String::new(),
        n => format!(" ×{n}"),
    };
    let mut line = format!(
        "  {mark} {:<width$}  {status}{count}  {}",
        r.case.id,
        latency(r.slowest()).dimmed()
    );
    if let Some(reason) = &r.reason {
        line.push_str(&format!("  {}", reason.red()));
    }
    line
}

/// How much of a body a failure shows.
const BODY_SHOWN: usize = 600;

/// A failed case's request and answer, for people and for JUnit's `<failure>` (no color).
pub fn failure_text(r: &CaseResult, test_line: &str) -> String {
    let mut out = format!(
        "{}\n{}\n",
        r.case.description,
        r.reason.as_deref().unwrap_or("")
    );
    if let Some(q) = &r.failed_request {
        out.push_str(&format!("sent: {} {}\n", q.method, redact::url(&q.url)));
        for (name, value) in &q.headers {
            let value = String::from_utf8_lossy(value.as_bytes());
            out.push_str(&format!(
                "      {}: {}\n",
                title_case(name.as_str()),
                redact::header(name.as_str(), &value)
            ));
        }
        if !q.body.is_empty() {
            let text = String::from_utf8_lossy(&q.body);
            let shown: String = text.chars().take(BODY_SHOWN).collect();
            let more = match text.chars().count() > BODY_SHOWN {
                true => format!("… ({} bytes in all)", q.body.len()),
                false => String::new(),
            };
            out.push_str(&format!("      {shown}{more}\n"));
        }
        if let Some(a) = r
            .requests
            .iter()
            .find(|a| a.status.is_none() || !a.status.is_some_and(|s| (200..300).contains(&s)))
        {
            let got = match (a.status, &a.error) {
                (Some(s), _) => format!("{s} in {}  {}", latency(a.elapsed), a.excerpt),
                (None, Some(e)) => e.clone(),
                (None, None) => "no answer".into(),
            };
            out.push_str(&format!("got:  {}\n", got.trim_end()));
        }
    }
    if let Some(args) = &r.again {
        let mut words = vec!["servetel".to_string()];
        words.extend(args.iter().cloned());
        out.push_str(&format!("again: {}\n", shell_line(&words)));
    }
    out.push_str(&format!(
        "this case: {test_line} --only {}\n",
        shell_line(std::slice::from_ref(&r.case.id))
    ));
    out
}

/// A failure for people: the case id, then [`failure_text`] indented.
pub fn failure(r: &CaseResult, test_line: &str) -> String {
    let mut out = format!("{} {}\n", "✗".red().bold(), r.case.id.bold());
    for line in failure_text(r, test_line).lines() {
        out.push_str(&format!("    {}\n", line.trim_end()));
    }
    out
}

fn millis(d: Duration) -> f64 {
    (d.as_micros() as f64 / 10.0).round() / 100.0
}

/// `--format json`: the SPEC's object per case, plus its description and the fire line.
pub fn case_json(r: &CaseResult) -> Value {
    json!({
        "case": r.case.id,
        "trigger": r.case.group,
        "encoding": r.case.encoding,
        "passed": r.passed,
        "requests": r.requests.iter().map(|q| json!({
            "trigger": q.trigger,
            "status": q.status,
            "elapsed_ms": millis(q.elapsed),
            "error": q.error,
        })).collect::<Vec<_>>(),
        "reason": r.reason,
        "description": r.case.description,
        "seed": r.case.seed,
        "again": r.again.as_ref().map(|args| {
            let mut words = vec!["servetel".to_string()];
            words.extend(args.iter().cloned());
            shell_line(&words)
        }),
    })
}

/// The latency below which `percent` of the answers came (nearest rank).
fn percentile(sorted: &[Duration], percent: f64) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((percent / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

/// The summary: cases, passed, failed, p50/p99 of every answer, the slowest case.
pub fn summary(results: &[CaseResult], seed: u64, wall: Duration) -> String {
    let passed = results.iter().filter(|r| r.passed).count();
    let failed = results.len() - passed;
    let mut times: Vec<Duration> = results
        .iter()
        .flat_map(|r| r.requests.iter())
        .filter(|q| q.status.is_some())
        .map(|q| q.elapsed)
        .collect();
    times.sort_unstable();
    let p = |pc| percentile(&times, pc).map_or("-".to_string(), latency);
    let slowest = results
        .iter()
        .max_by_key(|r| r.slowest())
        .map(|r| format!(", slowest {} ({})", r.case.id, latency(r.slowest())))
        .unwrap_or_default();
    let verdict = match failed {
        0 => "all passed".green().bold().to_string(),
        _ => format!(
            "{} failed, {passed} passed",
            failed.to_string().red().bold()
        ),
    };
    format!(
        "{} cases: {verdict} in {:.1} s; p50 {}, p99 {}{slowest}; seed {seed}",
        results.len(),
        wall.as_secs_f64(),
        p(50.0),
        p(99.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_lines_read_back_as_the_same_words() {
        let args: Vec<String> = [
            "fire",
            "hangup",
            "--set",
            "answered_agent.name=Zoë D'Souza",
            "--set",
            "billsec:=30",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            shell_line(&args),
            "fire hangup --set 'answered_agent.name=Zoë D'\\''Souza' --set billsec:=30"
        );
    }
}
