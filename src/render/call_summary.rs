//! `listen`'s pretty output: one callback in the telephony user's terms. A header line (time,
//! method, path, trigger, verdict), the call in one line (who called whom, direction, agent,
//! duration and talk time, why it ended, recording), the findings, the call flow as a timeline,
//! then the payload as it arrived.

use colored::Colorize;
use serde_json::{Map, Value};

use crate::catalog::vocab;
use crate::redact;
use crate::render::findings::{count, finding_line, trigger_label};
use crate::send::Answer;
use crate::timestamp;
use crate::validate::Verdict;

/// What `listen` prints for one request.
pub struct View<'a> {
    pub time: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    pub headers: Option<&'a [(String, String)]>,
    pub payload: Option<&'a Map<String, Value>>,
    pub verdict: &'a Verdict,
    pub status: u16,
    /// The app's answer, with `listen --forward`.
    pub forwarded: Option<&'a Answer>,
    pub redact: bool,
}

fn text<'a>(p: &'a Map<String, Value>, key: &str) -> &'a str {
    p.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or("")
}

fn duration(secs: &str) -> Option<String> {
    let s: u64 = secs.parse().ok()?;
    Some(if s >= 60 {
        format!("{}m {}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    })
}

/// The agent who took the call: `answered_agent` (the last of an array), else the flow's
/// `dialst: Answered` step.
fn agent_name(p: &Map<String, Value>) -> Option<String> {
    let agent = match p.get("answered_agent")? {
        Value::Array(items) => items.last()?,
        other => other,
    };
    agent
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_string)
        .filter(|s| !s.is_empty())
}

/// The call in one line.
pub fn summary(p: &Map<String, Value>, redact: bool) -> String {
    let number = |k: &str| {
        let n = text(p, k);
        if n.is_empty() {
            "?".to_string()
        } else if redact {
            redact::number(n)
        } else {
            n.to_string()
        }
    };
    let mut parts = vec![format!(
        "{} → {}",
        number("caller_id_number"),
        number("call_to_number")
    )];
    let direction = text(p, "direction");
    if !direction.is_empty() {
        let kind = vocab::direction_call_type(direction).map_or("unknown direction", |t| t.name());
        parts.push(if kind == direction {
            kind.to_string()
        } else {
            format!("{direction} ({kind})")
        });
    }
    if let Some(name) = agent_name(p) {
        parts.push(format!(
            "agent {}",
            if redact { redact::name(&name) } else { name }
        ));
    } else if p.contains_key("answered_agent") {
        parts.push("no agent answered".to_string());
    }
    if let Some(d) = duration(text(p, "duration")) {
        let talk = [text(p, "billsec"), text(p, "outbound_sec")]
            .into_iter()
            .find_map(duration);
        parts.push(match talk {
            Some(t) if t != "0s" => format!("{d} in all, {t} talking"),
            _ => format!("{d} in all"),
        });
    }
    let cause = [text(p, "hangup_cause_key"), text(p, "hangup_cause_code")]
        .into_iter()
        .find_map(vocab::hangup_cause)
        .map(|c| c.description.to_lowercase());
    let reason = [text(p, "reason_key"), text(p, "hangup_cause")]
        .into_iter()
        .find_map(|r| {
            vocab::HANGUP_WORDS
                .iter()
                .find(|(k, _)| *k == r)
                .map(|(_, w)| w.to_string())
        });
    match (cause, reason) {
        (Some(c), Some(r)) => parts.push(format!("ended: {c}; {r}")),
        (Some(c), None) | (None, Some(c)) => parts.push(format!("ended: {c}")),
        (None, None) => {}
    }
    if p.contains_key("digit_pressed") {
        parts.push(format!("pressed {}", text(p, "digit_pressed")));
    }
    match text(p, "recording_url") {
        "" if p.contains_key("recording_url") => parts.push("no recording".to_string()),
        "" => {}
        _ => parts.push("recording ✓".to_string()),
    }
    parts.join("  ·  ")
}

/// The call flow as a timeline: `12:54:23 IVR Main IVR → 12:54:31 DTMF 1 → …`.
pub fn timeline(p: &Map<String, Value>, redact: bool) -> Option<String> {
    let steps = p.get("call_flow")?.as_array()?;
    let items: Vec<String> = steps
        .iter()
        .map(|step| {
            let get = |k: &str| {
                step.get(k)
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                    .unwrap_or_default()
            };
            let time = get("time")
                .split('.')
                .next()
                .and_then(|t| t.parse::<i64>().ok())
                .map(|t| timestamp::format_ist(t)[11..].to_string());
            let kind = get("type").replace('+', " ");
            let mut label = if kind.is_empty() {
                "step".to_string()
            } else {
                kind
            };
            let name = get("name");
            if !name.is_empty() {
                label.push(' ');
                label.push_str(&if redact && label.starts_with("Agent") {
                    redact::name(&name)
                } else {
                    name
                });
            }
            let input = get("input");
            if !input.is_empty() {
                label.push_str(&format!(" pressed {input}"));
            }
            match get("dialst").as_str() {
                "Answered" => label.push_str(" (took the call)"),
                "" => {}
                _ => label.push_str(" (did not answer)"),
            }
            match time {
                Some(t) => format!("{t} {label}"),
                None => label,
            }
        })
        .collect();
    (!items.is_empty()).then(|| items.join(" → "))
}

/// `↪ app http://127.0.0.1:3000/hook: 200 in 12 ms · {"ok":true}`
fn forwarded(f: &Answer) -> String {
    let answer = match (f.status, &f.error) {
        (Some(status), _) if status < 400 => status.to_string().green().to_string(),
        (Some(status), _) => status.to_string().red().bold().to_string(),
        (None, error) => format!(
            "{} ({})",
            "no answer".red().bold(),
            error.as_deref().unwrap_or("")
        ),
    };
    let mut line = format!(
        "{} app {}: {answer} in {} ms",
        "↪".dimmed(),
        redact::url(&f.url),
        f.elapsed.as_millis()
    );
    if !f.excerpt.is_empty() {
        line.push_str(&format!("  ·  {}", f.excerpt.dimmed()));
    }
    if f.too_slow() {
        line.push_str(&format!(
            "\n   {}",
            "warning: past Servetel's 10 s timeout: the platform would have given up on the app"
                .yellow()
        ));
    }
    line
}

/// `✓ valid`, `✓ valid (1 warning)`, `✗ 2 errors`.
fn verdict(v: &View<'_>) -> String {
    match (v.verdict.valid(), v.verdict.warnings()) {
        (true, 0) => "✓ valid".green().to_string(),
        (true, w) => format!("{} ({})", "✓ valid".green(), count(w, "warning")),
        (false, _) => format!("✗ {}", count(v.verdict.errors(), "error"))
            .red()
            .bold()
            .to_string(),
    }
}

/// The header line: `── 06:42:42.830 IST POST /hook  hangup  ✓ valid  → 200`.
fn header(v: &View<'_>) -> String {
    format!(
        "{} {} {} {}  {}  {}  → {}\n",
        "──".dimmed(),
        v.time.dimmed(),
        v.method.bold(),
        v.path,
        trigger_label(v.verdict).cyan(),
        verdict(v),
        v.status
    )
}

/// How the call went, in a word or three, for `--format line`: `talked 1m 2s`, `not answered`,
/// `pressed 1`, `-` when the payload does not say.
fn outcome(p: &Map<String, Value>) -> String {
    if p.contains_key("digit_pressed") {
        return format!("pressed {}", text(p, "digit_pressed"));
    }
    let talk = [text(p, "billsec"), text(p, "outbound_sec")]
        .into_iter()
        .find_map(duration);
    match talk {
        Some(t) if t != "0s" => format!("talked {t}"),
        Some(_) => "not answered".to_string(),
        None if p.contains_key("answered_agent") && agent_name(p).is_none() => {
            "not answered".to_string()
        }
        None => "-".to_string(),
    }
}

/// `listen --format line`: one request in one line, like `stripe listen`:
/// `06:42:42.830 IST  POST /hook  hangup  ✓ valid  6957886331 → 8005270434  agent Sanjay  talked 1m 2s  → 200`.
pub fn line(v: &View<'_>) -> String {
    let mut parts = vec![
        v.time.dimmed().to_string(),
        format!("{} {}", v.method.bold(), v.path),
        trigger_label(v.verdict).cyan().to_string(),
        verdict(v),
    ];
    if let Some(p) = v.payload {
        let number = |k: &str| match text(p, k) {
            "" => "?".to_string(),
            n if v.redact => redact::number(n),
            n => n.to_string(),
        };
        parts.push(format!(
            "{} → {}",
            number("caller_id_number"),
            number("call_to_number")
        ));
        parts.push(match agent_name(p) {
            Some(name) if v.redact => format!("agent {}", redact::name(&name)),
            Some(name) => format!("agent {name}"),
            None => "no agent".to_string(),
        });
        parts.push(outcome(p));
    }
    format!("{}  → {}\n", parts.join("  "), v.status)
}

/// Everything `listen` prints for one request; `brief` (`-q`): the header and the call's line.
pub fn render(v: &View<'_>, brief: bool) -> String {
    let mut out = header(v);
    if brief {
        if let Some(p) = v.payload {
            out.push_str(&format!("   {}\n", summary(p, v.redact)));
        }
        return out;
    }
    if let Some(headers) = v.headers {
        for (k, val) in headers {
            let val = match v.redact {
                true => redact::header(k, val),
                false => val.clone(),
            };
            out.push_str(&format!("   {}: {val}\n", k.dimmed()));
        }
    }
    if let Some(p) = v.payload {
        out.push_str(&format!("   {}\n", summary(p, v.redact)));
    }
    if let Some(f) = v.forwarded {
        out.push_str(&format!("   {}\n", forwarded(f)));
    }
    for f in &v.verdict.findings {
        out.push_str(&finding_line(f, "   "));
    }
    if let Some(p) = v.payload {
        if let Some(flow) = timeline(p, v.redact) {
            out.push_str(&format!("   {} {flow}\n", "flow:".dimmed()));
        }
        if v.redact {
            crate::render::json::write_object(&mut out, &redact::payload(p), "   ");
        } else {
            crate::render::json::write_object(&mut out, p, "   ");
        }
    }
    out
}
