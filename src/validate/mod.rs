//! Checking payloads: trigger detection (`detect`), the rules (`rules`), fields that contradict
//! each other (`inconsistent`), findings and verdicts (`finding`), payloads sent through a
//! tenant's template (`templated`). Pure functions over decoded payloads; reading files is
//! `input`'s job.

pub mod detect;
pub mod finding;
mod inconsistent;
mod rules;
pub mod templated;

use std::collections::HashSet;

use serde_json::{Map, Value};

pub use finding::{Code, Finding, Severity, Verdict};

use crate::catalog::Trigger;
use detect::Detection;

/// What [`check`] found.
pub struct Checked {
    pub verdict: Verdict,
    /// The dedupe key of the payload's call.
    pub dedupe_key: Option<String>,
    /// The payload under the variables' names, when `template` was mapped back: what listen's
    /// printout reads (mapped once, for the check and the printout alike).
    pub variables: Option<Map<String, Value>>,
}

/// Checks a payload as its webhook sends it (`template` mapped back first, findings under the
/// tenant's keys), else as it is: the verdict, the dedupe key of its call (read from the
/// variables, whatever the tenant named them) and the mapped-back payload.
pub fn check(
    payload: &Map<String, Value>,
    trigger: Option<&'static Trigger>,
    template: Option<&crate::template::Template>,
) -> Checked {
    match (template, trigger) {
        (Some(template), Some(trigger)) => {
            let (verdict, mapped) = templated::checked(template, payload, trigger);
            Checked {
                verdict,
                dedupe_key: Dedupe::key(&mapped),
                variables: Some(mapped),
            }
        }
        _ => Checked {
            verdict: validate(payload, trigger),
            dedupe_key: Dedupe::key(payload),
            variables: None,
        },
    }
}

/// Checks one payload against `given`, else against the trigger detected from its variables.
pub fn validate(payload: &Map<String, Value>, given: Option<&'static Trigger>) -> Verdict {
    let (trigger, detected) = match given {
        Some(t) => (t, false),
        None => match detect::detect(payload) {
            Detection::Found(t) => (t, true),
            Detection::Undecided(candidates) => return undecided(&candidates),
        },
    };
    let mut findings = rules::check(payload, trigger);
    findings.sort_by_key(|f| f.severity != Severity::Error); // errors first, otherwise in order
    Verdict {
        trigger: Some(trigger.id),
        detected,
        findings,
    }
}

fn undecided(candidates: &[&str]) -> Verdict {
    let named = match candidates {
        [] => "no trigger offers all of its keys".to_string(),
        some => format!("it could come from {}", some.join(", ")),
    };
    Verdict {
        trigger: None,
        detected: false,
        findings: vec![Finding::new(
            Code::Trigger,
            "",
            format!(
                "expected variables that tell the trigger (end_stamp, digit_pressed, dept_id…), found only shared ones: {named}; give --trigger (listen: also --route or --webhook)"
            ),
        )],
    }
}

/// A verdict for a payload that could not be decoded.
pub fn parse_failure(message: impl Into<String>) -> Verdict {
    Verdict {
        trigger: None,
        detected: false,
        findings: vec![Finding::new(Code::Parse, "", message)],
    }
}

/// Remembers the calls seen in one run: the same `call_id` (else `uuid`) and trigger again is a
/// re-sent callback (docs/wire.md: the platform does not deliver exactly once).
#[derive(Default)]
pub struct Dedupe {
    seen: HashSet<(String, &'static str)>,
}

impl Dedupe {
    /// The dedupe key of a payload, if it has one.
    pub fn key(payload: &Map<String, Value>) -> Option<String> {
        ["call_id", "uuid"]
            .iter()
            .find_map(|k| match payload.get(*k)? {
                Value::String(s) if !s.is_empty() => Some(format!("{k}={s}")),
                Value::Number(n) => Some(format!("{k}={n}")),
                _ => None,
            })
    }

    /// Adds a `duplicate` warning to the verdict when this call and trigger were seen before.
    pub fn check(&mut self, key: Option<String>, verdict: &mut Verdict) {
        let (Some(key), Some(trigger)) = (key, verdict.trigger) else {
            return;
        };
        if !self.seen.insert((key.clone(), trigger)) {
            let (field, value) = key.split_once('=').unwrap_or(("call_id", &key));
            verdict.findings.push(Finding::new(
                Code::Duplicate,
                format!("/{field}"),
                format!("{field} {value:?} was already seen for {trigger} in this run: a re-sent callback (dedupe on call_id)"),
            ));
        }
    }
}
