//! The case catalog of `servetel test` as data: the variations of one event (the docs payload,
//! the real default template, one row per real-world quirk of REALWORLD.md) and the cases of
//! whole calls. A row's `change` turns a synthesized payload into the case's payload with
//! `--set` edits only, so every failure can be sent again with `servetel fire … --set …`.
//!
//! Ids are part of the product: CI configs `--only` them. Add rows; never rename one.

use serde_json::{Map, Value, json};

use crate::catalog::{Outcome, Profile, Trigger};
use crate::edit::Edit;
use crate::encode::{Encoding, FormStyle};
use crate::synth::CallOutcome;

/// How a variation of one event changes the synthesized payload.
#[derive(Clone, Copy, Debug)]
pub enum Change {
    /// The payload as synthesized.
    None,
    /// `--set` edits computed from the payload; `None`: the case does not apply to it (the
    /// trigger does not send the keys it varies).
    Edits(fn(&Map<String, Value>) -> Option<Vec<Edit>>),
    /// Only the trigger's required variables, as a template holding nothing else sends them.
    OnlyRequired,
    /// Nested values as Go `fmt.Sprint` text (form and GET only).
    GoSprint,
}

/// One named variation of a single event.
#[derive(Debug)]
pub struct Variation {
    /// The last part of the case id: `placeholders` in `hangup/form/placeholders`.
    pub name: &'static str,
    /// One line for `--list` and the report: what arrives and why a handler must cope.
    pub description: &'static str,
    pub profile: Profile,
    /// How the call ends, where the trigger lets it choose.
    pub outcome: Option<CallOutcome>,
    pub change: Change,
    /// The encodings where the variation changes the bytes sent.
    pub wire: Wire,
}

/// Which encodings a variation is tried in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wire {
    Any,
    /// JSON only: in a form body or a query string every value is text anyway.
    Json,
    /// Form and GET only: what JSON cannot carry.
    Text,
}

/// The variations every trigger × encoding is tried with, in report order.
pub static VARIATIONS: &[Variation] = &[
    Variation {
        name: "docs",
        description: "only the variables Servetel's docs list for the trigger, in the docs' order (hangup triggers: hangup_cause too)",
        profile: Profile::Docs,
        outcome: Some(CallOutcome::Answered),
        change: Change::None,
        wire: Wire::Any,
    },
    Variation {
        name: "default",
        description: "the real default template: its key order and observed extras (hangup triggers: hangup_cause_key/_code/_description, no hangup_cause)",
        profile: Profile::Real,
        outcome: Some(CallOutcome::Answered),
        change: Change::None,
        wire: Wire::Any,
    },
    Variation {
        name: "missed",
        description: "the real default template of a call nobody answered: answer_stamp, answered_agent \"\", billsec \"0\"",
        profile: Profile::Real,
        outcome: Some(CallOutcome::Missed),
        change: Change::None,
        wire: Wire::Any,
    },
    Variation {
        name: "placeholders",
        description: "unresolved variables sent literally: \"campaign_name\": \"$campaign_name\"",
        profile: Profile::Real,
        outcome: Some(CallOutcome::Answered),
        change: Change::Edits(placeholders),
        wire: Wire::Any,
    },
    Variation {
        name: "empty-absent",
        description: "\"\" for absent, never null: missed_agent, broadcast_lead_fields, recording_url, ref_id, digits_dialed…",
        profile: Profile::Real,
        outcome: Some(CallOutcome::Answered),
        change: Change::Edits(empty_absent),
        wire: Wire::Any,
    },
    Variation {
        name: "trailing-space-key",
        description: "the key \"customer_no_with_prefix \" with its trailing space, holding the caller's 91… number",
        profile: Profile::Real,
        outcome: Some(CallOutcome::Answered),
        change: Change::Edits(trailing_space_key),
        wire: Wire::Any,
    },
    Variation {
        name: "answered-agent-empty",
        description: "answered_agent as \"\" (and answered_agent_name/_number \"\")",
        profile: Profile::Real,
        outcome: Some(CallOutcome::Answered),
        change: Change::Edits(answered_agent_empty),
        wire: Wire::Any,
    },
    Variation {
        name: "answered-agent-object",
        description: "answered_agent as one agent object {id, name, number, agent_number, dialst}",
        profile: Profile::Real,
        outcome: Some(CallOutcome::Answered),
        change: Change::Edits(answered_agent_object),
        wire: Wire::Any,
    },
    Variation {
        name: "answered-agent-array",
        description: "answered_agent as an array of agent objects (dialer calls: the last one handled the call)",
        profile: Profile::Real,
        outcome: Some(CallOutcome::Answered),
        change: Change::Edits(answered_agent_array),
        wire: Wire::Any,
    },
    Variation {
        name: "missed-agent-empty",
        description: "missed_agent as \"\": no agent missed the call",
        profile: Profile::Real,
        outcome: Some(CallOutcome::Missed),
        change: Change::Edits(missed_agent_empty),
        wire: Wire::Any,
    },
    Variation {
        name: "missed-agent-object",
        description: "missed_agent as one agent object",
        profile: Profile::Real,
        outcome: Some(CallOutcome::Missed),
        change: Change::Edits(missed_agent_object),
        wire: Wire::Any,
    },
    Variation {
        name: "missed-agent-array",
        description: "missed_agent as an array of the agents who were rung and did not answer",
        profile: Profile::Real,
        outcome: Some(CallOutcome::Missed),
        change: Change::Edits(missed_agent_array),
        wire: Wire::Any,
    },
    Variation {
        name: "numbers-as-numbers",
        description: "counts as JSON numbers (\"billsec\": 30) instead of the usual strings (\"30\")",
        profile: Profile::Real,
        outcome: Some(CallOutcome::Answered),
        change: Change::Edits(numbers_as_numbers),
        wire: Wire::Json,
    },
    Variation {
        name: "dialer-stamps",
        description: "the dialer's dialect: stamps like 7/11/2026, 9:12:56 PM and billsec \"\"",
        profile: Profile::Real,
        outcome: Some(CallOutcome::Answered),
        change: Change::Edits(dialer_stamps),
        wire: Wire::Any,
    },
    Variation {
        name: "names-devanagari",
        description: "agent, IVR and department names in Devanagari (अनीता शर्मा)",
        profile: Profile::Real,
        outcome: Some(CallOutcome::Answered),
        change: Change::Edits(names_devanagari),
        wire: Wire::Any,
    },
    Variation {
        name: "names-latin",
        description: "names in Latin script with diacritics and an apostrophe (Zoë D'Souza)",
        profile: Profile::Real,
        outcome: Some(CallOutcome::Answered),
        change: Change::Edits(names_latin),
        wire: Wire::Any,
    },
    Variation {
        name: "call-flow-200",
        description: "a call_flow of 200 steps (a long queue rotation): tens of kilobytes to store",
        profile: Profile::Real,
        outcome: Some(CallOutcome::Answered),
        change: Change::Edits(call_flow_200),
        wire: Wire::Any,
    },
    Variation {
        name: "go-sprint",
        description: "nested values as Go fmt.Sprint text, as one dispatcher sends them: map[id:… name:…], 1.775719462e+09",
        profile: Profile::Real,
        outcome: Some(CallOutcome::Answered),
        change: Change::GoSprint,
        wire: Wire::Text,
    },
    Variation {
        name: "only-required",
        description: "only the trigger's required variables: a tenant template that sends little",
        profile: Profile::Docs,
        outcome: Some(CallOutcome::Answered),
        change: Change::OnlyRequired,
        wire: Wire::Any,
    },
];

/// Whether `variation` is a case of `trigger`: its outcome is one the trigger reports, and the
/// `missed` row only where the same trigger reports both outcomes, and in the encodings of its
/// [`Wire`]. Under `--form-style go` every form and GET case already sends Go text: the
/// `go-sprint` row would repeat the plain case, so it is left out.
pub fn applies(
    variation: &Variation,
    trigger: &Trigger,
    encoding: Encoding,
    style: FormStyle,
) -> bool {
    let wire = match variation.wire {
        Wire::Any => true,
        Wire::Json => encoding == Encoding::Json,
        Wire::Text => encoding != Encoding::Json,
    };
    let repeated = matches!(variation.change, Change::GoSprint) && style == FormStyle::Go;
    wire && !repeated && (variation.name != "missed" || trigger.outcome == Outcome::Either)
}

/// The outcome to synthesize `variation` of `trigger` with: its own, unless the trigger only
/// ever reports the other.
pub fn outcome(variation: &Variation, trigger: &Trigger) -> Option<CallOutcome> {
    match trigger.outcome {
        o if o.is_fixed() => None,
        _ => variation.outcome,
    }
}

/// A per-call case: several requests that a call produces, judged together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallCase {
    /// Each scenario's events in order (`fire --scenario`).
    Scenario(&'static str),
    /// The hangup delivered twice, as the platform's retry does: both must be 2xx.
    Duplicate,
    /// The hangup arrives before answered-by-agent.
    OutOfOrder,
    /// Distinct calls' hangups at `--concurrency`.
    Burst,
}

impl CallCase {
    pub fn name(self) -> String {
        match self {
            CallCase::Scenario(s) => s.to_string(),
            CallCase::Duplicate => "duplicate".into(),
            CallCase::OutOfOrder => "out-of-order".into(),
            CallCase::Burst => "burst".into(),
        }
    }

    pub fn description(self) -> String {
        match self {
            CallCase::Scenario(s) => {
                let scenario = crate::scenario::lookup(s).expect("a scenario of the table");
                format!("a whole call, its events in order: {}", scenario.description)
            }
            CallCase::Duplicate => {
                "the same hangup delivered twice (the platform retries): both must be 2xx, dedupe on call_id".into()
            }
            CallCase::OutOfOrder => {
                "an answered call whose hangup arrives before its answered-by-agent".into()
            }
            CallCase::Burst => "distinct calls' hangups at once, --concurrency at a time".into(),
        }
    }
}

/// The per-call cases, in report order.
pub fn call_cases() -> Vec<CallCase> {
    let mut cases: Vec<CallCase> = crate::scenario::SCENARIOS
        .iter()
        .map(|s| CallCase::Scenario(s.name))
        .collect();
    cases.extend([CallCase::Duplicate, CallCase::OutOfOrder, CallCase::Burst]);
    cases
}

// The changes, one per quirk. Each sets only keys the payload has (`--set` refuses others).

fn set(path: &str, value: Value) -> Edit {
    Edit {
        path: path.to_string(),
        value,
    }
}

/// `Some(edits)` when there is at least one.
fn some(edits: Vec<Edit>) -> Option<Vec<Edit>> {
    (!edits.is_empty()).then_some(edits)
}

fn text<'p>(p: &'p Map<String, Value>, key: &str) -> &'p str {
    p.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn placeholders(p: &Map<String, Value>) -> Option<Vec<Edit>> {
    let keys = [
        "campaign_name",
        "campaign_id",
        "recording_name",
        "agent_transfer_ring_time",
        "reason_key",
        "ref_id",
        "custom_identifier",
    ];
    some(
        keys.iter()
            .filter(|k| p.contains_key(**k))
            .map(|k| set(k, json!(format!("${k}"))))
            .collect(),
    )
}

fn empty_absent(p: &Map<String, Value>) -> Option<Vec<Edit>> {
    // answered_agent and answer_stamp have their own cases (a "" answer_stamp belongs to a
    // missed call: the `missed` case).
    let keys = [
        "missed_agent",
        "broadcast_lead_fields",
        "recording_url",
        "recording_name",
        "ref_id",
        "digits_dialed",
        "billing_circle",
    ];
    some(
        keys.iter()
            .filter(|k| p.contains_key(**k))
            .map(|k| set(k, json!("")))
            .collect(),
    )
}

fn trailing_space_key(p: &Map<String, Value>) -> Option<Vec<Edit>> {
    let key = "customer_no_with_prefix ";
    let caller = text(p, "caller_id_number");
    (p.contains_key(key) && !caller.is_empty()).then(|| {
        vec![set(
            key,
            json!(format!("91{}", caller.trim_start_matches("+91"))),
        )]
    })
}

/// An agent object like the ones the payload carries, numbered so each differs.
fn agent(n: u64, name: &str) -> Value {
    json!({
        "id": format!("05053007{:05}", 4269 + n),
        "name": name,
        "number": format!("06014264{:05}", 6399 + n),
        "agent_number": format!("+9191462365{:02}", n % 100),
        "dialst": if n == 0 { "Answered" } else { "Dialed" },
    })
}

fn answered_agent_empty(p: &Map<String, Value>) -> Option<Vec<Edit>> {
    p.contains_key("answered_agent").then(|| {
        [
            "answered_agent",
            "answered_agent_name",
            "answered_agent_number",
        ]
        .iter()
        .filter(|k| p.contains_key(**k))
        .map(|k| set(k, json!("")))
        .collect()
    })
}

fn answered_agent_object(p: &Map<String, Value>) -> Option<Vec<Edit>> {
    let name = match p.get("answered_agent") {
        Some(Value::Object(a)) => a.get("name").and_then(Value::as_str).unwrap_or("Asha Rao"),
        Some(_) => "Asha Rao",
        None => return None,
    };
    Some(vec![set("answered_agent", agent(0, name))])
}

fn answered_agent_array(p: &Map<String, Value>) -> Option<Vec<Edit>> {
    p.contains_key("answered_agent").then(|| {
        let mut first = agent(1, "Vikram Singh");
        first["dialst"] = json!("Answered");
        vec![set(
            "answered_agent",
            json!([first, agent(0, "Priya Nair")]),
        )]
    })
}

fn missed_agent_empty(p: &Map<String, Value>) -> Option<Vec<Edit>> {
    p.contains_key("missed_agent")
        .then(|| vec![set("missed_agent", json!(""))])
}

fn missed_agent_object(p: &Map<String, Value>) -> Option<Vec<Edit>> {
    p.contains_key("missed_agent").then(|| {
        let mut one = agent(2, "Kavya Reddy");
        one.as_object_mut().map(|a| a.remove("dialst"));
        vec![set("missed_agent", one)]
    })
}

fn missed_agent_array(p: &Map<String, Value>) -> Option<Vec<Edit>> {
    p.contains_key("missed_agent").then(|| {
        let agents: Vec<Value> = [(2, "Kavya Reddy"), (3, "Imran Khan")]
            .into_iter()
            .map(|(n, name)| {
                let mut a = agent(n, name);
                a.as_object_mut().map(|a| a.remove("dialst"));
                a
            })
            .collect();
        vec![set("missed_agent", Value::Array(agents))]
    })
}

fn numbers_as_numbers(p: &Map<String, Value>) -> Option<Vec<Edit>> {
    let keys = [
        "billsec",
        "duration",
        "outbound_sec",
        "agent_ring_time",
        "customer_ring_time",
        "call_connected",
        "hangup_cause_code",
        "agent_transfer_ring_time",
    ];
    some(
        keys.iter()
            .filter_map(|k| {
                let n: i64 = text(p, k).parse().ok()?;
                Some(set(k, json!(n)))
            })
            .collect(),
    )
}

fn dialer_stamps(p: &Map<String, Value>) -> Option<Vec<Edit>> {
    let mut edits: Vec<Edit> = ["start_stamp", "answer_stamp", "end_stamp"]
        .iter()
        .filter_map(|k| {
            let stamp = crate::timestamp::parse(text(p, k))?;
            Some(set(k, json!(crate::timestamp::format_dialer(stamp.epoch))))
        })
        .collect();
    if edits.is_empty() {
        return None;
    }
    if p.contains_key("billsec") {
        edits.push(set("billsec", json!("")));
    }
    Some(edits)
}

/// Every name the payload shows a person: agents', IVRs', departments', also inside `call_flow`
/// and agent arrays, so the call stays one call (the agent who answered in `call_flow` is the
/// `answered_agent`; servetel's own `inconsistent` rule holds the case to that).
fn renamed(p: &Map<String, Value>, person: &str, place: &str) -> Option<Vec<Edit>> {
    let is_name = |key: &str| {
        key.ends_with("name") && !key.starts_with("recording") && key != "campaign_name"
    };
    let shown = |value: &Value| {
        value
            .as_str()
            .is_some_and(|s| !s.is_empty() && !s.starts_with('$'))
    };
    let mut edits = Vec::new();
    for (key, value) in p {
        match value {
            Value::String(_) if is_name(key) && shown(value) => {
                let who = if key.contains("agent") { person } else { place };
                edits.push(set(key, json!(who)));
            }
            Value::Object(o) if o.get("name").is_some_and(Value::is_string) => {
                edits.push(set(&format!("{key}.name"), json!(person)));
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let Some(item) = item.as_object() else {
                        continue;
                    };
                    let agent = key.contains("agent") || item.get("type") == Some(&json!("Agent"));
                    for (field, v) in item {
                        if is_name(field) && shown(v) {
                            let who = if agent && field == "name" {
                                person
                            } else {
                                place
                            };
                            edits.push(set(&format!("{key}.{i}.{field}"), json!(who)));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    some(edits)
}

fn names_devanagari(p: &Map<String, Value>) -> Option<Vec<Edit>> {
    renamed(p, "अनीता शर्मा", "मुख्य आईवीआर")
}

fn names_latin(p: &Map<String, Value>) -> Option<Vec<Edit>> {
    renamed(p, "Zoë D'Souza", "Atención Çliente")
}

fn call_flow_200(p: &Map<String, Value>) -> Option<Vec<Edit>> {
    if !p.contains_key("call_flow") {
        return None;
    }
    let call_id = text(p, "call_id");
    let start: i64 = call_id
        .split('.')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_775_719_461);
    let mut steps = vec![json!({"type": "init", "value": call_id, "time": start.to_string()})];
    let names = ["Asha Rao", "Vikram Singh", "Priya Nair", "Rahul Mehta"];
    for i in 1..199i64 {
        let last = i == 198;
        steps.push(json!({
            "type": "Agent",
            "id": format!("05053007{:05}", i % 4),
            "name": names[(i % 4) as usize],
            "dialst": if last { "Answered" } else { "Dialed" },
            "num": format!("+9191462365{:02}", i % 4),
            "time": start + i,
        }));
    }
    steps.push(json!({"type": "hangup", "time": start + 400}));
    Some(vec![set("call_flow", Value::Array(steps))])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variation_names_are_unique_and_id_safe() {
        let mut seen = std::collections::HashSet::new();
        for v in VARIATIONS {
            assert!(seen.insert(v.name), "{} twice", v.name);
            assert!(
                v.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                v.name
            );
        }
    }

    #[test]
    fn a_renamed_call_names_its_answering_agent_the_same_everywhere() {
        let trigger = crate::catalog::TriggerId::Hangup.trigger();
        let opts = crate::synth::Options {
            seed: 1,
            outcome: Some(CallOutcome::Answered),
            profile: Profile::Real,
            start: None,
        };
        let mut p = crate::synth::synthesize(trigger, &opts).unwrap();
        let drawn = p["answered_agent_name"].as_str().unwrap().to_string();
        let edits = names_latin(&p).unwrap();
        crate::edit::apply(&mut p, &edits, Some(trigger)).unwrap();
        let text = Value::Object(p.clone()).to_string();
        assert!(!text.contains(&drawn), "{drawn} left in {text}");
        let flow = p["call_flow"].as_array().unwrap();
        let answered = flow.iter().find(|s| s["dialst"] == "Answered").unwrap();
        assert_eq!(answered["name"], "Zoë D'Souza");
        let ivr = flow.iter().find(|s| s["type"] == "IVR").unwrap();
        assert_eq!(ivr["name"], "Atención Çliente");
    }

    #[test]
    fn the_long_call_flow_has_200_steps_and_one_answer() {
        let p = json!({"call_flow": [], "call_id": "1775719461.306731"});
        let edits = call_flow_200(p.as_object().unwrap()).unwrap();
        let steps = edits[0].value.as_array().unwrap();
        assert_eq!(steps.len(), 200);
        let answered = steps.iter().filter(|s| s["dialst"] == "Answered").count();
        assert_eq!(answered, 1);
    }
}
