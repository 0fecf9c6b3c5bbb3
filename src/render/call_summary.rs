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
    /// The payload under the variables' names, when it arrived through a webhook's template
    /// (`Template::map_back`): what the call's lines read. `None`: the payload itself.
    pub variables: Option<&'a Map<String, Value>>,
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

/// The talk time, drawn only when it fits in the call: `billsec`, else `outbound_sec` (dialer
/// calls send `billsec` ""), skipping one longer than `duration` (the `inconsistent` and `arith`
/// findings say what is wrong with it).
fn talk_time(p: &Map<String, Value>) -> Option<String> {
    let whole: Option<u64> = text(p, "duration").parse().ok();
    [text(p, "billsec"), text(p, "outbound_sec")]
        .into_iter()
        .filter(|t| {
            t.parse::<u64>()
                .is_ok_and(|t| whole.is_none_or(|whole| t <= whole))
        })
        .find_map(duration)
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
        // `Dialer (outbound)` already says its call type; `clicktocall` does not.
        parts.push(if direction.to_ascii_lowercase().contains(kind) {
            direction.to_string()
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
        parts.push(match talk_time(p) {
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

/// A step's epoch seconds: `1775719462`, `"1775719462.25"`, or Go's float64 text of a form body
/// (`"1.775719462e+09"`), read as a number so the exponent is not cut off.
fn step_time(step: &Value) -> Option<i64> {
    let time = step.get("time")?;
    let seconds = match time {
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        other => other.as_f64()?,
    };
    seconds.is_finite().then_some(seconds.trunc() as i64)
}

/// Whether `trigger` (an id) reports a call still going on, so its last agent may be ringing.
pub fn is_live(trigger: Option<&str>) -> bool {
    trigger
        .and_then(crate::catalog::find_trigger)
        .is_some_and(|t| t.outcome == crate::catalog::Outcome::Live)
}

/// The call flow as a timeline: `12:54:23 IVR Main IVR → 12:54:31 DTMF 1 → …`. On a `live`
/// event (the call goes on) an agent dialed last is still ringing; an agent the flow moved on
/// from, or any agent on a hangup, did not answer.
pub fn timeline(p: &Map<String, Value>, redact: bool, live: bool) -> Option<String> {
    let steps = p.get("call_flow")?.as_array()?;
    let times: Vec<Option<i64>> = steps.iter().map(step_time).collect();
    // Whether the flow went on after step `i`: a later step in a later second (a queue that
    // rings agents together writes them in the same second), or, untimed, any later step.
    let moved_on = |i: usize| {
        times[i + 1..].iter().any(|later| match (times[i], later) {
            (Some(t), Some(l)) => *l > t,
            _ => true,
        })
    };
    let items: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let get = |k: &str| {
                step.get(k)
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                    .unwrap_or_default()
            };
            let time = times[i].map(timestamp::format_ist_clock);
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
                _ if live && !moved_on(i) => label.push_str(" (ringing)"),
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
    match talk_time(p) {
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
    if let Some(p) = v.variables.or(v.payload) {
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
    let call = v.variables.or(v.payload);
    if brief {
        if let Some(p) = call {
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
    if let Some(p) = call {
        out.push_str(&format!("   {}\n", summary(p, v.redact)));
    }
    if let Some(f) = v.forwarded {
        out.push_str(&format!("   {}\n", forwarded(f)));
    }
    for f in &v.verdict.findings {
        out.push_str(&finding_line(f, "   "));
    }
    if let Some(flow) = call.and_then(|p| timeline(p, v.redact, is_live(v.verdict.trigger))) {
        out.push_str(&format!("   {} {flow}\n", "flow:".dimmed()));
    }
    if let Some(p) = v.payload {
        if v.redact {
            crate::render::json::write_object(&mut out, &redact::payload(p), "   ");
        } else {
            crate::render::json::write_object(&mut out, p, "   ");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(text: &str) -> Map<String, Value> {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn a_dialer_call_says_its_direction_once_and_no_talk_longer_than_the_call() {
        // outbound_sec 342 on a 164 s call: the `inconsistent` warning says so; the line shows
        // only what fits.
        let p = sample(include_str!("../../samples/hangup/dialer-call.json"));
        let line = summary(&p, false);
        assert!(line.contains("  ·  Dialer (outbound)  ·  "), "{line}");
        assert!(!line.contains("(outbound) (outbound)"), "{line}");
        assert!(line.contains("2m 44s in all  ·  "), "{line}");
        assert!(!line.contains("talking"), "{line}");
        assert_eq!(outcome(&p), "-");

        let mut coherent = p.clone();
        coherent.insert("outbound_sec".into(), "156".into());
        assert!(summary(&coherent, false).contains("2m 44s in all, 2m 36s talking"));
        assert_eq!(outcome(&coherent), "talked 2m 36s");
        coherent.insert("direction".into(), "clicktocall".into());
        assert!(summary(&coherent, false).contains("  ·  clicktocall (outbound)  ·  "));
    }

    #[test]
    fn on_a_live_event_the_agent_dialed_last_is_ringing() {
        let p = sample(include_str!("../../samples/dialed-on-agent/real.json"));
        let live = timeline(&p, false, true).unwrap();
        // A queue hunting one agent after another: the flow moved on from the first two.
        assert!(live.ends_with("Agent Sneha Kulkarni (ringing)"), "{live}");
        assert_eq!(live.matches("(ringing)").count(), 1, "{live}");
        assert_eq!(live.matches("(did not answer)").count(), 2, "{live}");
        // After the hangup nobody is still ringing.
        let over = timeline(&p, false, false).unwrap();
        assert_eq!(over.matches("(did not answer)").count(), 3, "{over}");
        assert!(!over.contains("ringing"), "{over}");
    }

    #[test]
    fn go_printed_epochs_place_the_steps_at_their_time() {
        let p = sample(
            r#"{"call_flow": [
                {"type": "init", "time": "1776829097"},
                {"type": "IVR", "name": "Sales Menu", "time": "1.776829098e+09"},
                {"type": "hangup", "time": 1776829598.5}]}"#,
        );
        let flow = timeline(&p, false, false).unwrap();
        assert!(
            flow.starts_with("09:08:17 init → 09:08:18 IVR Sales Menu"),
            "{flow}"
        );
        assert!(flow.ends_with("09:16:38 hangup"), "{flow}");
    }

    #[test]
    fn agents_rung_together_on_a_live_event_are_all_ringing() {
        let p = sample(
            r#"{"call_flow": [
                {"type": "Inbound Queue", "id": "2445", "name": "Onboarding", "time": 1786348852},
                {"type": "Agent", "name": "Asha Rao", "dialst": "Dialed", "time": 1786348852.25},
                {"type": "Agent", "name": "Ravi", "dialst": "Dialed", "time": "1786348852.75"}]}"#,
        );
        let live = timeline(&p, false, true).unwrap();
        assert_eq!(live.matches("(ringing)").count(), 2, "{live}");
    }
}
