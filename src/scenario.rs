//! Whole calls as the ordered callbacks a real call produces (`fire --scenario`). A scenario is a
//! row of data: the triggers in the order the platform sends them and how the call ends. Every
//! event of one run of a scenario is rendered from one synthetic call, so they share its uuid,
//! call_id, numbers and clock, and the gaps between them are the call's own.

use anyhow::anyhow;

use crate::catalog::Trigger;
use crate::catalog::TriggerId::{self, *};
use crate::synth::CallOutcome;

#[derive(Debug)]
pub struct Scenario {
    /// What `--scenario` takes.
    pub name: &'static str,
    pub description: &'static str,
    pub outcome: CallOutcome,
    /// The triggers, in the order a real call sends them.
    pub steps: &'static [TriggerId],
}

pub static SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "inbound-answered",
        description: "an inbound call through the IVR, answered by an agent, then hung up",
        outcome: CallOutcome::Answered,
        steps: &[
            ReceivedOnServer,
            AnsweredOnIvr,
            DialedOnAgent,
            AnsweredByAgent,
            Hangup,
        ],
    },
    Scenario {
        name: "inbound-missed",
        description: "an inbound call through the IVR that no agent answers",
        outcome: CallOutcome::Missed,
        steps: &[ReceivedOnServer, AnsweredOnIvr, DialedOnAgent, Missed],
    },
    Scenario {
        name: "ivr-dtmf",
        description: "an inbound call whose caller presses a key in the IVR, is queued in a department and answered by an agent",
        outcome: CallOutcome::Answered,
        steps: &[
            ReceivedOnServer,
            AnsweredOnIvr,
            DtmfOption,
            ReceivedOnDepartment,
            DialedOnAgent,
            AnsweredByAgent,
            Hangup,
        ],
    },
    Scenario {
        name: "click-to-call",
        description: "an outbound click-to-call: the customer answers, the agent is bridged, then hang-up",
        outcome: CallOutcome::Answered,
        steps: &[AnsweredByCustomer, AnsweredByAgent, Hangup],
    },
];

impl Scenario {
    /// The triggers of the steps, in order.
    pub fn triggers(&self) -> Vec<&'static Trigger> {
        self.steps.iter().map(|id| id.trigger()).collect()
    }
}

/// The scenario with that name; an unknown name names the closest and lists them all.
pub fn lookup(name: &str) -> anyhow::Result<&'static Scenario> {
    let wanted = crate::catalog::normalize_name(name);
    if let Some(s) = SCENARIOS
        .iter()
        .find(|s| crate::catalog::normalize_name(s.name) == wanted)
    {
        return Ok(s);
    }
    let names: Vec<&str> = SCENARIOS.iter().map(|s| s.name).collect();
    let hint = match crate::suggest::closest(name, names.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("known scenarios: {}", names.join(", ")),
    };
    Err(anyhow!(
        "unknown scenario `{name}`: {hint} (`servetel fire --list-scenarios` lists them)"
    ))
}

/// `fire --list-scenarios`: name, description, the triggers in order.
pub fn listing() -> String {
    let width = SCENARIOS.iter().map(|s| s.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for s in SCENARIOS {
        out.push_str(&format!("{:<width$}  {}\n", s.name, s.description));
        let steps: Vec<&str> = s.triggers().iter().map(|t| t.id).collect();
        out.push_str(&format!("{:<width$}  {}\n", "", steps.join(" → ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{self, Options, Profile};

    #[test]
    fn scenario_names_resolve() {
        // Steps are `TriggerId`s, so each is a catalog trigger; the sequences themselves are
        // pinned once, by tests/fire.rs.
        assert_eq!(lookup("Click To Call").unwrap().name, "click-to-call");
        let err = lookup("inbound-answerd").unwrap_err().to_string();
        assert!(err.contains("did you mean `inbound-answered`?"), "{err}");
    }

    #[test]
    fn a_scenarios_events_follow_the_calls_clock() {
        for s in SCENARIOS {
            for seed in 0..50 {
                let triggers = s.triggers();
                let opts = Options {
                    seed,
                    outcome: Some(s.outcome),
                    profile: Profile::Real,
                    start: None,
                };
                let call = synth::generate_call(triggers[0], &opts).unwrap();
                let moments: Vec<i64> = triggers.iter().map(|t| synth::moment(&call, t)).collect();
                assert!(
                    moments.windows(2).all(|w| w[0] <= w[1]),
                    "{} seed {seed}: {moments:?}",
                    s.name
                );
            }
        }
    }
}
