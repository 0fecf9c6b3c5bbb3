//! `calls`' output (README, "Calls, not requests"): per call a header, the call in one line (the
//! same summary listen prints, [`super::call_summary::summary`], drawn when its events were read),
//! its events in arrival order and its diagnostics; or one JSON object per call.

use colored::Colorize;
use serde_json::{Value, json};

use crate::calls::{Call, Event, diagnose};
use crate::render::findings::count;

/// The widest trigger id (`received-on-auto-attendant`), so that the columns line up.
const TRIGGER_WIDTH: usize = 26;

/// `+3 ms`, `+12.4 s`, `+4m 59s`: the time since the previous event arrived.
fn gap(ms: i64) -> String {
    match ms {
        ..0 => format!("-{}", diagnose::span(ms)),
        0..1000 => format!("+{ms} ms"),
        _ => format!("+{}", diagnose::span(ms)),
    }
}

/// Arrival on listen's clock: the machine's zone, named (`06:42:42.830 IST`; the stamps beside
/// it are IST, the same clock on a machine in India).
fn arrival(ms: i64) -> String {
    crate::timestamp::clock(ms, crate::timestamp::local_zone())
}

/// Each event's gap since the previous one, when both arrival times are known.
fn gaps(events: &[Event]) -> Vec<Option<i64>> {
    let mut previous = None;
    events
        .iter()
        .map(|e| {
            let g = match (previous, e.arrival_ms) {
                (Some(p), Some(a)) => Some(a - p),
                _ => None,
            };
            previous = e.arrival_ms.or(previous);
            g
        })
        .collect()
}

fn verdict(e: &Event) -> String {
    match (e.errors, e.warnings) {
        (0, 0) => "✓ valid".green().to_string(),
        (0, w) => format!("{} ({})", "✓ valid".green(), count(w, "warning")),
        (n, _) => format!("✗ {}", count(n, "error")).red().bold().to_string(),
    }
}

/// The call as people read it, with its newline.
pub fn text(call: &Call) -> String {
    text_with(call, &call.diagnostics)
}

/// [`text`] with these diagnostics (listen's open call, diagnosed as it stands, is not copied).
pub fn text_with(call: &Call, diagnostics: &[diagnose::Diagnostic]) -> String {
    let id = match (&call.call_id, &call.uuid) {
        (Some(c), Some(u)) => format!("call {}  {}", c.bold(), format!("uuid {u}").dimmed()),
        (Some(c), None) => format!("call {}", c.bold()),
        (None, Some(u)) => format!("call {}", format!("uuid {u}").bold()),
        (None, None) => "no call_id or uuid".yellow().to_string(),
    };
    let state = match diagnostics.len() {
        0 => "✓ no problems".green().to_string(),
        n => format!("✗ {}", count(n, "problem"))
            .red()
            .bold()
            .to_string(),
    };
    let mut out = format!(
        "{} {id}  {}  {state}\n",
        "──".dimmed(),
        count(call.events.len(), "event")
    );
    if let Some(line) = &call.summary {
        out.push_str(&format!("   {line}\n"));
    }
    let dups = diagnose::duplicates(&call.events);
    for ((e, g), dup) in call.events.iter().zip(gaps(&call.events)).zip(&dups) {
        let stamp = match &e.stamp {
            Some(s) => format!("{} {}", s.field, s.text),
            None => "no stamp".to_string(),
        };
        let mut line = format!(
            "   {:<16}  {:<TRIGGER_WIDTH$}  {:>9}  {}",
            e.arrival_ms.map_or_else(|| "-".to_string(), arrival),
            e.trigger_name(),
            g.map_or_else(String::new, gap),
            format!("{stamp:<31}").dimmed(),
        );
        line.push_str(&format!("  {}", verdict(e)));
        if let Some(first) = dup {
            line.push_str(&format!(
                "  {}",
                format!("again, as {}", call.events[*first].label()).yellow()
            ));
        }
        out.push_str(&line);
        out.push('\n');
    }
    for d in diagnostics {
        out.push_str(&format!(
            "   {} {}\n",
            format!("{:<10}", d.code.name()).red(),
            d.message
        ));
    }
    out
}

/// `{"call_id", "uuid", "events": [...], "diagnostics": [{"code", "message"}]}`.
pub fn json(call: &Call) -> Value {
    let dups = diagnose::duplicates(&call.events);
    let events: Vec<Value> = call
        .events
        .iter()
        .zip(gaps(&call.events))
        .zip(&dups)
        .map(|((e, g), dup)| {
            json!({
                "source": e.place,
                "seq": e.seq,
                "received_at": e.received_at,
                "trigger": e.trigger.map(|t| t.id),
                "gap_ms": g,
                "stamp": e.stamp.as_ref().map(|s| json!({
                    "field": s.field,
                    "value": s.text,
                    "exact": s.exact,
                })),
                "valid": e.errors == 0,
                "errors": e.errors,
                "warnings": e.warnings,
                "repeats": dup.map(|i| call.events[i].label()),
            })
        })
        .collect();
    json!({
        "call_id": call.call_id,
        "uuid": call.uuid,
        "events": events,
        "diagnostics": call.diagnostics.iter().map(|d| json!({
            "code": d.code.name(),
            "message": d.message,
        })).collect::<Vec<_>>(),
    })
}
