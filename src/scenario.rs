//! Whole calls as the ordered callbacks a real call produces (`fire --scenario`). A scenario is a
//! row of data: the triggers in the order the platform sends them and how the call ends. Every
//! event of one run of a scenario is rendered from one synthetic call, so they share its uuid,
//! call_id, numbers and clock, and the gaps between them are the call's own.

use anyhow::anyhow;

use crate::catalog::Trigger;
use crate::catalog::TriggerId::{self, *};
use crate::synth::{CallOutcome, CallSpec, Direction};

#[derive(Debug)]
pub struct Scenario {
    /// What `--scenario` takes.
    pub name: &'static str,
    pub description: &'static str,
    pub outcome: CallOutcome,
    /// The triggers, in the order a real call sends them.
    pub steps: &'static [TriggerId],
    /// The kind of call, when the scenario is about one (a dialer call); `--direction` given by
    /// the user wins.
    pub direction: Option<Direction>,
    /// A broadcast to a lead (`--broadcast` adds it to any scenario).
    pub broadcast: bool,
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
        direction: None,
        broadcast: false,
    },
    Scenario {
        name: "inbound-missed",
        description: "an inbound call through the IVR that no agent answers",
        outcome: CallOutcome::Missed,
        steps: &[ReceivedOnServer, AnsweredOnIvr, DialedOnAgent, Missed],
        direction: None,
        broadcast: false,
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
        direction: None,
        broadcast: false,
    },
    Scenario {
        name: "click-to-call",
        description: "an outbound click-to-call: the customer answers, the agent is bridged, then hang-up",
        outcome: CallOutcome::Answered,
        steps: &[AnsweredByCustomer, AnsweredByAgent, Hangup],
        direction: None,
        broadcast: false,
    },
    Scenario {
        name: "click-to-call-missed-by-customer",
        description: "an outbound click-to-call the customer does not answer (Smartflo/Acefone's own trigger, then the hangup)",
        outcome: CallOutcome::Missed,
        steps: &[MissedByCustomer, Missed],
        direction: None,
        broadcast: false,
    },
    Scenario {
        name: "agent-hangup",
        description: "an inbound call an agent answers, then Smartflo/Acefone's \"answered by agent (hangup)\" and the hangup",
        outcome: CallOutcome::Answered,
        steps: &[
            ReceivedOnServer,
            DialedOnAgent,
            AnsweredByAgent,
            AnsweredByAgentHangup,
            Hangup,
        ],
        direction: None,
        broadcast: false,
    },
    Scenario {
        name: "agent-missed",
        description: "an inbound call no agent answers: Smartflo/Acefone's \"missed by agent (hangup)\", then the hangup",
        outcome: CallOutcome::Missed,
        steps: &[ReceivedOnServer, DialedOnAgent, MissedByAgentHangup, Missed],
        direction: None,
        broadcast: false,
    },
    Scenario {
        name: "session-call",
        description: "an inbound call answered in an agent's session (Smartflo/Acefone), then hung up",
        outcome: CallOutcome::Answered,
        steps: &[ReceivedOnServer, SessionCallAnswered, Hangup],
        direction: None,
        broadcast: false,
    },
    Scenario {
        name: "dialer-answered",
        description: "a dialer campaign call: the lead answers, the dialer connects an agent, hang-up, the agent's disposition",
        outcome: CallOutcome::Answered,
        steps: &[ConnectedToAgent, Hangup, DispositionUpdated],
        direction: Some(Direction::Dialer),
        broadcast: false,
    },
    Scenario {
        name: "dialer-missed",
        description: "a dialer campaign call the lead does not answer: the hangup, then the disposition",
        outcome: CallOutcome::Missed,
        steps: &[Missed, DispositionUpdated],
        direction: Some(Direction::Dialer),
        broadcast: false,
    },
    Scenario {
        name: "broadcast",
        description: "a broadcast to a lead of a list: the lead answers, an agent is connected, hang-up with the lead's fields",
        outcome: CallOutcome::Answered,
        steps: &[ConnectedToAgent, Hangup],
        direction: Some(Direction::Dialer),
        broadcast: true,
    },
];

impl Scenario {
    /// The call-level facts of a run: the user's, with the scenario's kind of call where the
    /// user gave none.
    pub fn spec(&self, user: &CallSpec) -> CallSpec {
        CallSpec {
            direction: user.direction.or(self.direction),
            broadcast: user.broadcast || self.broadcast,
            ..user.clone()
        }
    }

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

/// `fire --list-scenarios --format json`: an array of `{name, description, outcome, steps,
/// dialer, broadcast}`, as
/// `triggers --format json` lists the triggers.
pub fn listing_json() -> serde_json::Value {
    SCENARIOS
        .iter()
        .map(|s| {
            serde_json::json!({
                "name": s.name,
                "description": s.description,
                "outcome": match s.outcome {
                    CallOutcome::Answered => "answered",
                    CallOutcome::Missed => "missed",
                },
                "steps": s.triggers().iter().map(|t| t.id).collect::<Vec<_>>(),
                "dialer": s.spec(&CallSpec::default()).dialer(),
                "broadcast": s.broadcast,
            })
        })
        .collect()
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
                let call =
                    synth::generate_call_with(triggers[0], &opts, &s.spec(&Default::default()))
                        .unwrap();
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
