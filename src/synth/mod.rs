//! The synthesis engine: realistic, self-consistent, seeded payloads for any trigger. `sample`
//! prints one; `fire` sends them. The same seed gives the same payload in every version.
//!
//! A payload is one event of one [`Call`]: the call is drawn first (`call.rs`), with the facts
//! the user fixed put in place of their draws (`spec.rs`: `--caller`, `--agent`, `--talk`…), and
//! every field is then derived from the call (`fields.rs`), so no field contradicts another.

mod call;
mod fields;
pub mod ids;
mod rng;
pub mod spec;

use anyhow::bail;
use serde_json::{Map, Value};

pub use call::{Agent, Call};
use fields::Event;
pub use rng::Rng;
pub use spec::{AgentSpec, CallSpec, Direction};

pub use crate::catalog::Profile;
use crate::catalog::{CallType, Outcome, Trigger, Var};

/// `--outcome`: how the call ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallOutcome {
    Answered,
    Missed,
}

impl CallOutcome {
    pub fn name(self) -> &'static str {
        match self {
            CallOutcome::Answered => "answered",
            CallOutcome::Missed => "missed",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub seed: u64,
    pub outcome: Option<CallOutcome>,
    pub profile: Profile,
    /// The call's start (epoch seconds); by default a business-hours moment picked by the seed.
    pub start: Option<i64>,
}

/// 2026-04-01 00:00 IST: synthetic calls start within the 180 days after it.
const EPOCH_BASE: i64 = 1_774_981_800;

/// Whether a call of this trigger is answered, given what the user asked for.
pub fn resolve_outcome(
    trigger: &Trigger,
    wanted: Option<CallOutcome>,
    rng: &mut Rng,
) -> anyhow::Result<bool> {
    let answered = match (trigger.outcome, wanted) {
        (Outcome::Answered, Some(CallOutcome::Missed)) => bail!(
            "`{}` is only sent for answered calls: drop --outcome missed{}",
            trigger.id,
            if trigger.is_hangup_family() {
                ", or use the `missed` or `missed-or-answered` trigger"
            } else {
                ""
            }
        ),
        (Outcome::Missed | Outcome::CustomerMissed, Some(CallOutcome::Answered)) => bail!(
            "`{}` is only sent for missed calls: drop --outcome, or use the `hangup` or `missed-or-answered` trigger",
            trigger.id
        ),
        (Outcome::Answered, _) => true,
        (Outcome::Missed | Outcome::CustomerMissed, _) => false,
        (_, Some(o)) => o == CallOutcome::Answered,
        (Outcome::Either, None) => rng.chance(50),
        (Outcome::Live, None) => rng.chance(70),
    };
    Ok(answered)
}

/// A new call that the trigger could report: a call type it has, the outcome asked for.
pub fn generate_call(trigger: &Trigger, opts: &Options) -> anyhow::Result<Call> {
    generate_call_with(trigger, opts, &CallSpec::default())
}

/// The outcome asked for with `--outcome` (or a scenario's), checked against the one the
/// call-level facts imply (`--talk` means answered).
fn wanted_outcome(
    trigger: &Trigger,
    asked: Option<CallOutcome>,
    spec: &CallSpec,
) -> anyhow::Result<Option<CallOutcome>> {
    let Some((implied, flag)) = spec.implied_outcome() else {
        return Ok(asked);
    };
    if asked.is_some() {
        // The trigger refuses the outcome asked for before a fact contradicts it (no draw:
        // an outcome given is not drawn).
        resolve_outcome(trigger, asked, &mut Rng::new(0))?;
    }
    match asked {
        Some(o) if o != implied => bail!(
            "{flag} is a fact of {} calls, and this call is {}: drop {flag}, or ask for an {} call",
            implied.name(),
            o.name(),
            implied.name()
        ),
        Some(_) => return Ok(asked),
        _ => {}
    }
    let fits = match trigger.outcome {
        Outcome::Answered => implied == CallOutcome::Answered,
        Outcome::Missed | Outcome::CustomerMissed => implied == CallOutcome::Missed,
        Outcome::Live | Outcome::Either => true,
    };
    if !fits {
        bail!(
            "{flag} is a fact of {} calls, and `{}` is only sent for {} ones: drop {flag}",
            implied.name(),
            trigger.id,
            if implied == CallOutcome::Answered {
                "missed"
            } else {
                "answered"
            }
        );
    }
    Ok(Some(implied))
}

/// A new call as [`generate_call`] draws it, with the call-level facts of `spec` (`--caller`,
/// `--agent`, `--talk`…) in place of what was drawn for them; every field derives from the
/// call, so each follows its fact. A default `spec` gives exactly [`generate_call`]'s call.
pub fn generate_call_with(
    trigger: &Trigger,
    opts: &Options,
    spec: &CallSpec,
) -> anyhow::Result<Call> {
    let mut rng = Rng::new(opts.seed);
    let outcome = wanted_outcome(trigger, opts.outcome, spec)?;
    let answered = resolve_outcome(trigger, outcome, &mut rng)?;
    let mut call_type = match trigger.call_types {
        [only] => *only,
        _ if rng.chance(75) => CallType::Inbound,
        _ => CallType::Outbound,
    };
    // A trigger sent only on dialer calls makes its call a dialer call.
    let forced;
    let spec = if trigger.stage.dialer_only() && !spec.dialer() {
        if let Some(d) = spec.direction {
            bail!(
                "`{}` is only sent on dialer calls: drop --direction {}",
                trigger.id,
                d.name()
            );
        }
        forced = CallSpec {
            direction: Some(Direction::Dialer),
            ..spec.clone()
        };
        &forced
    } else {
        spec
    };
    if let (true, Some(d)) = (spec.broadcast, spec.direction) {
        if d != Direction::Dialer {
            bail!(
                "--broadcast is a dialer call: drop --direction {}",
                d.name()
            );
        }
    }
    if spec.broadcast && !trigger.allows(CallType::Outbound) {
        bail!(
            "`{}` is only sent on inbound calls, and a broadcast calls out to its leads: drop --broadcast",
            trigger.id
        );
    }
    // A broadcast is a dialer call whatever `--direction` left unsaid.
    if let Some(direction) = spec
        .direction
        .or(spec.broadcast.then_some(Direction::Dialer))
    {
        call_type = match direction {
            Direction::Inbound => CallType::Inbound,
            Direction::Outbound | Direction::ClickToCall => CallType::Outbound,
            // A campaign calls out, unless the trigger only reports inbound calls.
            Direction::Dialer if trigger.allows(CallType::Outbound) => CallType::Outbound,
            Direction::Dialer => CallType::Inbound,
        };
        let click_to_call_only = trigger.stage == crate::catalog::Stage::AnsweredByCustomer
            || trigger.outcome == Outcome::CustomerMissed;
        if !trigger.allows(call_type) || (click_to_call_only && direction != Direction::ClickToCall)
        {
            let only = if click_to_call_only {
                "click-to-call"
            } else {
                trigger.call_types[0].name()
            };
            bail!(
                "`{}` is only sent on {only} calls: drop --direction {}",
                trigger.id,
                direction.name()
            );
        }
    }
    let drawn_start = opts.start.unwrap_or_else(|| {
        EPOCH_BASE + rng.range(0, 179) * 86_400 + rng.range(9 * 3600, 20 * 3600)
    });
    let start = spec.at.unwrap_or(drawn_start);
    let mut call = Call::generate_with(&mut rng, call_type, answered, start, spec);
    call.customer_missed = trigger.outcome == Outcome::CustomerMissed;
    Ok(call)
}

/// One payload for `trigger`, synthesized from `opts.seed`.
pub fn synthesize(trigger: &Trigger, opts: &Options) -> anyhow::Result<Map<String, Value>> {
    synthesize_with(trigger, opts, &CallSpec::default())
}

/// One payload for `trigger`, synthesized from `opts.seed` with the call-level facts of `spec`.
pub fn synthesize_with(
    trigger: &Trigger,
    opts: &Options,
    spec: &CallSpec,
) -> anyhow::Result<Map<String, Value>> {
    let call = generate_call_with(trigger, opts, spec)?;
    Ok(render(&call, trigger, opts.profile))
}

/// The value `var` takes at `trigger`'s event of `call`, whether or not the profile's default
/// template carries it: what a tenant's own template renders (`template::Template::render_with`).
pub fn value(call: &Call, trigger: &Trigger, profile: Profile, var: &Var) -> Value {
    Event {
        call,
        trigger,
        profile,
    }
    .value(var)
}

/// The payload `trigger` sends for `call`, in the profile's template.
pub fn render(call: &Call, trigger: &Trigger, profile: Profile) -> Map<String, Value> {
    let event = Event {
        call,
        trigger,
        profile,
    };
    trigger
        .template(profile)
        .into_iter()
        .map(|var| (var.key.to_string(), event.value(var)))
        .collect()
}

/// The instant (epoch seconds) at which `trigger` fires in `call`'s life: what a lifecycle of
/// events (`fire --scenario`) waits between one callback and the next.
pub fn moment(call: &Call, trigger: &Trigger) -> i64 {
    Event {
        call,
        trigger,
        profile: Profile::Real,
    }
    .at()
}

/// The seed to use when the user gave none: different on every run.
pub fn random_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    Rng::new(nanos ^ u64::from(std::process::id())).next_u64()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{GROUPS, TRIGGERS, Var};

    /// A variable renamed in the catalog but not in `fields.rs` would fall through to `""` on
    /// every call: each row of the catalog must get a value on some call of a trigger that sends
    /// it, unless the catalog says it belongs to calls synthesis never makes.
    #[test]
    fn every_catalog_variable_gets_a_value_on_some_call() {
        let set = |v: &Value| match v {
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(o) => !o.is_empty(),
            Value::Null => false,
            _ => true,
        };
        let mut unset: Vec<(&str, &Var)> = Vec::new();
        for group in GROUPS {
            for var in group.vars {
                let senders: Vec<_> = TRIGGERS
                    .iter()
                    .filter(|t| t.variables().any(|v| std::ptr::eq(v, var)) && t.sends(var))
                    .collect();
                assert!(
                    !senders.is_empty(),
                    "{}: {} is sent by no trigger",
                    group.title,
                    var.name
                );
                let valued = senders.iter().any(|trigger| {
                    (0..40).any(|seed| {
                        [Profile::Real, Profile::Docs].into_iter().any(|profile| {
                            let outcome = match trigger.outcome {
                                o if o.is_fixed() => None,
                                _ if seed % 2 == 0 => Some(CallOutcome::Answered),
                                _ => Some(CallOutcome::Missed),
                            };
                            let opts = Options {
                                seed,
                                outcome,
                                profile,
                                start: None,
                            };
                            let call = generate_call(trigger, &opts).unwrap();
                            set(&Event {
                                call: &call,
                                trigger,
                                profile,
                            }
                            .value(var))
                        })
                    })
                });
                if !valued && !var.presence.only_on_special_calls() {
                    unset.push((group.title, var));
                }
            }
        }
        let names: Vec<String> = unset
            .iter()
            .map(|(group, var)| format!("{group}: {}", var.name))
            .collect();
        assert!(names.is_empty(), "always \"\" in synthesis: {names:#?}");
    }
}
