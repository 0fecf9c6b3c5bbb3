//! Which trigger sent a payload, inferred from the variables present (SPEC 5.2.1): the body never
//! names its trigger. Each rule names variables only one trigger (or the hangup family) offers.

use serde_json::{Map, Value};

use crate::catalog::TriggerId::{self, *};
use crate::catalog::{TRIGGERS, Trigger};

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

fn trigger(id: TriggerId) -> Detection {
    Detection::Found(id.trigger())
}

/// Infers the trigger. Never returns `missed-or-answered`: it sends the same variables as both.
pub fn detect(payload: &Map<String, Value>) -> Detection {
    let has = |key: &str| present(payload, key);
    let status = text(payload, "call_status").trim().to_ascii_lowercase();
    if has("digit_pressed") {
        return trigger(DtmfOption);
    }
    if has("auto_attendant_id") || has("auto_attendant_name") {
        return trigger(ReceivedOnAutoAttendant);
    }
    if has("dept_id") {
        return trigger(ReceivedOnDepartment);
    }
    if has("date") && has("call_flow") {
        return trigger(DialedOnAgent);
    }
    if has("channel_id") {
        return trigger(ReceivedOnServer);
    }
    if has("ivr_id") {
        return trigger(AnsweredOnIvr);
    }
    // Before `answer_agent_number`, which answered-by-customer payloads carry too.
    if status == "answered by customer" {
        return trigger(AnsweredByCustomer);
    }
    if has("departments")
        || has("ivrs")
        || has("answer_agent_number")
        || status == "answered by agent"
    {
        return trigger(AnsweredByAgent);
    }
    if [
        "end_stamp",
        "hangup_cause",
        "hangup_cause_key",
        "billsec",
        "call_connected",
    ]
    .iter()
    .any(|k| has(k))
    {
        return trigger(if is_connected(payload) {
            Hangup
        } else {
            Missed
        });
    }
    let candidates = TRIGGERS
        .iter()
        .filter(|t| t.which != MissedOrAnswered)
        .filter(|t| payload.keys().all(|k| t.var_for_key(k).is_some()))
        .map(|t| t.id)
        .collect();
    Detection::Undecided(candidates)
}
