//! `inconsistent` (docs/rules.md): fields of one payload that contradict each other where real
//! senders agree. Each rule fires only on a contradiction no real payload shows, and stays quiet
//! when a side is absent, a placeholder or unreadable (those draw their own findings): a false
//! warning on real traffic would teach users to ignore the code.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::detect::call_connected;
use super::finding::{Code, Finding};
use super::rules::{found, nested, placeholder, seconds};

/// Talk time may exceed `duration` by this much before it contradicts it: the slack the `arith`
/// rule gives `duration` against end − start, as the platform rounds each figure on its own.
const TALK_SLACK: i64 = 2;

pub(super) fn check(payload: &Map<String, Value>, out: &mut Vec<Finding>) {
    answered_but_not_connected(payload, out);
    talk_over_duration(payload, out);
    let answered_agent = structure(payload, "answered_agent");
    let agents = agents_of(answered_agent.as_deref());
    let flow = structure(payload, "call_flow");
    flow_agent_not_answered_agent(&answered_steps(flow.as_deref()), &agents, out);
    name_of_nobody(payload, &agents, out);
}

fn inconsistent(path: impl Into<String>, message: String) -> Finding {
    Finding::new(Code::Inconsistent, path, message)
}

/// A text value that says something: not absent, not a placeholder, not prefix residue.
fn said(value: Option<&Value>) -> Option<&str> {
    let s = value?.as_str()?.trim();
    (!s.is_empty() && placeholder(s).is_none() && !s.starts_with('_')).then_some(s)
}

/// `call_status` "answered" on a call the payload itself says was not connected. Only "answered":
/// "missed" on a connected call is real (a click-to-call missed by the customer has its agent leg
/// connected), and the live statuses ("Answered by agent") come before the call is connected.
fn answered_but_not_connected(payload: &Map<String, Value>, out: &mut Vec<Finding>) {
    let Some(status) = said(payload.get("call_status")) else {
        return;
    };
    if !status.eq_ignore_ascii_case("answered") {
        return;
    }
    let empty = |key: &str| payload.get(key).is_some_and(|v| v == "");
    let against = match call_connected(payload) {
        Some(false) => "/call_connected \"0\" (not connected)",
        Some(true) => return,
        // Without the flag, only both signs of an unanswered call together: no agent and no
        // answer time.
        None if empty("answered_agent") && empty("answer_stamp") => {
            "/answered_agent \"\" and /answer_stamp \"\" (nobody answered)"
        }
        None => return,
    };
    out.push(inconsistent(
        "/call_status",
        format!("expected call_status \"answered\" only on a connected call, found {against}"),
    ));
}

/// Talk time longer than the whole call: `duration` includes IVR and ring time, so `outbound_sec`
/// and `bridged_duration` fit in it. `billsec` over `duration` is already an `arith` error and is
/// not said twice, nor is the same figure again in another field; a field that is `""` (dialer
/// calls send `billsec` "") is absent, not zero.
fn talk_over_duration(payload: &Map<String, Value>, out: &mut Vec<Finding>) {
    let Some(duration) = seconds(payload, "duration") else {
        return;
    };
    let billsec = seconds(payload, "billsec").filter(|b| *b > duration);
    for key in ["outbound_sec", "bridged_duration"] {
        let talk = seconds(payload, key).filter(|t| *t > duration + TALK_SLACK);
        if let Some(talk) = talk.filter(|t| Some(*t) != billsec) {
            out.push(inconsistent(
                format!("/{key}"),
                format!("expected {key} (talk time) at most /duration {duration} (the whole call, ring time included), found {talk}"),
            ));
        }
    }
}

/// An object or array variable, decoded when it arrived as JSON or Go text.
fn structure<'a>(payload: &'a Map<String, Value>, key: &str) -> Option<Cow<'a, Value>> {
    match payload.get(key)? {
        Value::String(s) => nested(key, s).map(Cow::Owned),
        other => Some(Cow::Borrowed(other)),
    }
}

/// An agent of `answered_agent` and the JSON pointer of its object.
type Agent<'a> = (String, &'a Map<String, Value>);

/// The agents of `answered_agent`: an object, or an array of them on dialer calls.
fn agents_of(value: Option<&Value>) -> Vec<Agent<'_>> {
    match value {
        Some(Value::Object(agent)) => vec![("/answered_agent".to_string(), agent)],
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| Some((format!("/answered_agent/{i}"), item.as_object()?)))
            .collect(),
        _ => Vec::new(),
    }
}

/// An id as text: agent ids arrive as strings or integers.
fn id(agent: &Map<String, Value>, key: &str) -> Option<String> {
    match agent.get(key)? {
        Value::Number(n) => Some(n.to_string()),
        other => said(Some(other)).map(str::to_string),
    }
}

/// The same id, whichever way it was sent: the integer `507222` is the string `"0507222"`.
fn same_id(a: &str, b: &str) -> bool {
    a.trim_start_matches('0') == b.trim_start_matches('0')
}

/// The last ten digits of a phone: `+919876500033`, `919876500033` and `9876500033` are one number.
fn phone_tail(s: &str) -> Option<&str> {
    let digits = s.strip_prefix('+').unwrap_or(s);
    (digits.len() >= 10 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| &digits[digits.len() - 10..])
}

/// The step agrees with the agent: the same id, the same phone (the step's `num` and the agent's
/// `agent_number` or `number`), or names that may be the same person. When neither ids nor
/// names can be compared it agrees: nothing says otherwise.
fn same_agent(step: &Map<String, Value>, agent: &Map<String, Value>) -> bool {
    let ids = (id(step, "id"), id(agent, "id"));
    if let (Some(a), Some(b)) = &ids {
        if same_id(a, b) {
            return true;
        }
    }
    let step_phone = said(step.get("num")).and_then(phone_tail);
    let agent_phones = ["agent_number", "number"].map(|k| said(agent.get(k)).and_then(phone_tail));
    if step_phone.is_some() && agent_phones.contains(&step_phone) {
        return true;
    }
    match (said(step.get("name")), said(agent.get("name"))) {
        (Some(a), Some(b)) => names_agree(a, b),
        _ => !matches!(ids, (Some(_), Some(_))),
    }
}

/// The Agent steps of `call_flow` marked `dialst` "Answered" (a queue rings several agents; only
/// that mark says who took the call), with their index.
fn answered_steps(flow: Option<&Value>) -> Vec<(usize, &Map<String, Value>)> {
    let Some(Value::Array(steps)) = flow else {
        return Vec::new();
    };
    let is = |step: &Map<String, Value>, key: &str, want: &str| {
        step.get(key)
            .and_then(Value::as_str)
            .is_some_and(|s| s.trim().eq_ignore_ascii_case(want))
    };
    steps
        .iter()
        .enumerate()
        .filter_map(|(i, step)| Some((i, step.as_object()?)))
        .filter(|(_, step)| is(step, "type", "Agent") && is(step, "dialst", "Answered"))
        .collect()
}

/// The agent who took the call in `call_flow` is none of `answered_agent`. With several answered
/// steps (a transfer) one agreeing is enough.
fn flow_agent_not_answered_agent(
    steps: &[(usize, &Map<String, Value>)],
    agents: &[Agent<'_>],
    out: &mut Vec<Finding>,
) {
    let Some((first, step)) = steps.first() else {
        return;
    };
    if agents.is_empty()
        || steps
            .iter()
            .any(|(_, s)| agents.iter().any(|(_, a)| same_agent(s, a)))
    {
        return;
    }
    let who = |m: &Map<String, Value>| {
        let name = said(m.get("name")).map(|n| format!("{n:?}"));
        let id = id(m, "id").map(|i| format!("id {i}"));
        [name, id]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    };
    let theirs: Vec<String> = agents
        .iter()
        .map(|(path, a)| format!("{path} ({})", who(a)))
        .collect();
    out.push(inconsistent(
        format!("/call_flow/{first}"),
        format!(
            "expected the agent who took the call in call_flow (dialst \"Answered\": {}) to be the answered_agent, found {}",
            who(step),
            theirs.join(", ")
        ),
    ));
}

/// `answered_agent_name` names none of the agents in `answered_agent`.
fn name_of_nobody(payload: &Map<String, Value>, agents: &[Agent<'_>], out: &mut Vec<Finding>) {
    let Some(name) = said(payload.get("answered_agent_name")) else {
        return;
    };
    let named: Vec<(String, &str)> = agents
        .iter()
        .filter_map(|(path, a)| Some((format!("{path}/name"), said(a.get("name"))?)))
        .collect();
    if named.is_empty() || named.iter().any(|(_, n)| names_agree(name, n)) {
        return;
    }
    let theirs: Vec<String> = named
        .iter()
        .map(|(path, n)| format!("{path} {}", found(&Value::from(*n))))
        .collect();
    out.push(inconsistent(
        "/answered_agent_name",
        format!(
            "expected answered_agent_name to name an agent of answered_agent ({}), found {name:?}",
            theirs.join(", ")
        ),
    ));
}

/// The words of a name, lowercased: split on anything that is not a letter or a digit (spaces,
/// `-`, `.`, `+` for a space, `%20`), so `Ravi-Extension` is `ravi extension`.
fn words(name: &str) -> Vec<String> {
    let mut text = name.to_lowercase();
    for escape in ["%20", "%2d", "%2e", "%5f"] {
        text = text.replace(escape, " ");
    }
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether two spellings may name the same person: every word of one starts a word of the other
/// (`Ravi K` and `Ravi Kumar`, `Ravi` and `Ravi-Extension`, `Kumar Ravi`), or is its initials
/// (`RK`). Conservative on purpose: a false warning costs more than a missed one.
pub(super) fn names_agree(a: &str, b: &str) -> bool {
    let (a, b) = (words(a), words(b));
    let covered = |short: &[String], long: &[String]| {
        let initials: String = long.iter().filter_map(|w| w.chars().next()).collect();
        short
            .iter()
            .all(|w| long.iter().any(|l| l.starts_with(w.as_str())) || *w == initials)
    };
    a.is_empty() || b.is_empty() || covered(&a, &b) || covered(&b, &a)
}

#[cfg(test)]
mod tests {
    use super::names_agree;

    #[test]
    fn names_agree_on_abbreviations_and_suffixes_only() {
        for (a, b) in [
            ("Ravi", "Ravi-Extension"),
            ("Ravi K", "Ravi Kumar"),
            ("Kumar Ravi", "ravi kumar"),
            ("RK", "Ravi Kumar"),
            ("Ravi%20Kumar", "Ravi Kumar"),
            ("Asha", "Asha Rao"),
        ] {
            assert!(names_agree(a, b), "{a} / {b}");
            assert!(names_agree(b, a), "{b} / {a}");
        }
        for (a, b) in [
            ("Arjun Iyer", "Vikram Singh"),
            ("Priya Nair", "Ravi Kumar"),
            ("Agent 1", "Agent 2"),
        ] {
            assert!(!names_agree(a, b), "{a} / {b}");
        }
    }
}
