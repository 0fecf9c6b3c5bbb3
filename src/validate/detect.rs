//! Which trigger sent a payload, inferred from the variables present (docs/wire.md, "Trigger detection"): the body never
//! names its trigger. The signs that tell each trigger are the catalog's (`Trigger::markers`).

use serde_json::{Map, Value};

use crate::catalog::TriggerId::{Hangup, Missed, MissedOrAnswered};
use crate::catalog::{DETECTION_ORDER, Sign, TRIGGERS, Trigger};

/// The outcome of detection.
pub enum Detection {
    Found(&'static Trigger),
    /// No rule matched: these triggers offer every variable present.
    Undecided(Vec<&'static str>),
}

/// Set: neither absent nor `""` (nor `null`, which the platform never sends).
pub fn present(payload: &Map<String, Value>, key: &str) -> bool {
    payload.get(key).is_some_and(|v| v != "" && !v.is_null())
}

fn text<'a>(payload: &'a Map<String, Value>, key: &str) -> &'a str {
    payload.get(key).and_then(Value::as_str).unwrap_or("")
}

/// `call_connected` as a flag: `"1"`/`1` or `"0"`/`0`; `None` when absent or anything else.
pub fn call_connected(payload: &Map<String, Value>) -> Option<bool> {
    match payload.get("call_connected")? {
        Value::String(s) if matches!(s.trim(), "0" | "1") => Some(s.trim() == "1"),
        Value::Number(n) => n.as_u64().filter(|n| *n <= 1).map(|n| n == 1),
        _ => None,
    }
}

/// `call_connected` 1, else (no flag) a non-empty `answered_agent`.
pub fn is_connected(payload: &Map<String, Value>) -> bool {
    call_connected(payload).unwrap_or_else(|| present(payload, "answered_agent"))
}

/// Whether the payload shows the sign.
fn shows(payload: &Map<String, Value>, sign: &Sign) -> bool {
    match sign {
        Sign::Set(key) => present(payload, key),
        Sign::AllSet(keys) => keys.iter().all(|key| present(payload, key)),
        Sign::Status(status) => text(payload, "call_status")
            .trim()
            .eq_ignore_ascii_case(status),
    }
}

/// Infers the trigger: the first in the catalog's detection order whose markers the payload
/// shows. Never returns `missed-or-answered`: it sends the same variables as both, and
/// `call_connected` (else `answered_agent`) tells which.
pub fn detect(payload: &Map<String, Value>) -> Detection {
    let found = DETECTION_ORDER
        .iter()
        .map(|id| id.trigger())
        .find(|t| t.markers.iter().any(|m| shows(payload, &m.sign)));
    match found {
        Some(t) if t.which == MissedOrAnswered => Detection::Found(if is_connected(payload) {
            Hangup.trigger()
        } else {
            Missed.trigger()
        }),
        Some(t) => Detection::Found(t),
        None => Detection::Undecided(
            TRIGGERS
                .iter()
                .filter(|t| t.which != MissedOrAnswered)
                .filter(|t| payload.keys().all(|k| t.var_for_key(k).is_some()))
                .map(|t| t.id)
                .collect(),
        ),
    }
}
