//! The call lifecycle as data: which triggers one call can produce, in which order, and which
//! variable holds the moment each event happened. `calls` (README, "Calls, not requests") reads it
//! to say a delivery is out of order or late; no rule about the order of events is written anywhere
//! else.
//!
//! The phases are deliberately coarse. Within the routing phase (IVR, DTMF, department, agent
//! dialled) a real call can loop (a second key press, a queue that rings several agents), so the
//! order there is judged by the events' own stamps, which those triggers carry exactly.

/// The parts of a call, in the order they happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// The platform took the call.
    Arrived,
    /// IVR, auto-attendant, key presses, departments, agents rung.
    Routing,
    /// Someone picked up: the agent, or the customer on click-to-call.
    Answered,
    /// The hangup family: sent once the call is over.
    Ended,
    /// After the call: the agent's disposition of a dialer call.
    WrapUp,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::Arrived => "arrival",
            Phase::Routing => "routing",
            Phase::Answered => "answer",
            Phase::Ended => "hangup",
            Phase::WrapUp => "wrap-up",
        }
    }
}

/// Which variable tells when an event happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventStamp {
    /// The variable holds the moment the event fired (`end_stamp` of a hangup).
    At(&'static str),
    /// The variable holds an earlier moment only (`start_stamp` of `answered-by-agent`: the call
    /// started then, the agent answered later); it says nothing about lateness or order.
    NotBefore(&'static str),
}

impl EventStamp {
    pub fn field(self) -> &'static str {
        match self {
            EventStamp::At(f) | EventStamp::NotBefore(f) => f,
        }
    }

    pub fn is_exact(self) -> bool {
        matches!(self, EventStamp::At(_))
    }
}

/// One trigger's place in a call.
#[derive(Debug)]
pub struct Step {
    pub trigger: TriggerId,
    pub phase: Phase,
    /// Whether one call can send it more than once with different content (a second key
    /// press, another agent rung). Sent again with the same content, it is still a duplicate.
    pub repeats: bool,
    pub stamp: EventStamp,
}

use super::TriggerId::{self, *};

#[rustfmt::skip]
pub static LIFECYCLE: &[Step] = &[
    Step { trigger: ReceivedOnServer, phase: Phase::Arrived, repeats: false, stamp: EventStamp::At("start_stamp") },
    Step { trigger: AnsweredOnIvr, phase: Phase::Routing, repeats: false, stamp: EventStamp::NotBefore("start_stamp") },
    Step { trigger: ReceivedOnAutoAttendant, phase: Phase::Routing, repeats: true, stamp: EventStamp::NotBefore("start_stamp") },
    Step { trigger: DtmfOption, phase: Phase::Routing, repeats: true, stamp: EventStamp::At("date") },
    Step { trigger: ReceivedOnDepartment, phase: Phase::Routing, repeats: true, stamp: EventStamp::At("date") },
    Step { trigger: DialedOnAgent, phase: Phase::Routing, repeats: true, stamp: EventStamp::At("date") },
    Step { trigger: AnsweredByCustomer, phase: Phase::Answered, repeats: false, stamp: EventStamp::NotBefore("start_stamp") },
    Step { trigger: AnsweredByAgent, phase: Phase::Answered, repeats: false, stamp: EventStamp::NotBefore("start_stamp") },
    Step { trigger: Missed, phase: Phase::Ended, repeats: false, stamp: EventStamp::At("end_stamp") },
    Step { trigger: Hangup, phase: Phase::Ended, repeats: false, stamp: EventStamp::At("end_stamp") },
    Step { trigger: MissedOrAnswered, phase: Phase::Ended, repeats: false, stamp: EventStamp::At("end_stamp") },
    Step { trigger: AnsweredByAgentHangup, phase: Phase::Ended, repeats: false, stamp: EventStamp::At("end_stamp") },
    Step { trigger: MissedByAgentHangup, phase: Phase::Ended, repeats: false, stamp: EventStamp::At("end_stamp") },
    Step { trigger: MissedByCustomer, phase: Phase::Ended, repeats: false, stamp: EventStamp::At("end_stamp") },
    Step { trigger: DispositionUpdated, phase: Phase::WrapUp, repeats: true, stamp: EventStamp::NotBefore("start_stamp") },
    Step { trigger: ConnectedToAgent, phase: Phase::Answered, repeats: true, stamp: EventStamp::NotBefore("start_date") },
    Step { trigger: SessionCallAnswered, phase: Phase::Answered, repeats: false, stamp: EventStamp::NotBefore("start_stamp") },
];

/// Servetel gives up on a callback after 10 s (docs/wire.md, "The webhook a tenant configures"):
/// one arriving later than that after its own stamp was queued or retried, and an app timing out on
/// it would not notice.
pub const LATE_AFTER_SECS: i64 = 10;

/// How long after a call's last live event its hangup is surely due: longer than nearly every
/// real call lasts. A capture that goes on this long past a call without its hangup lost it.
pub const HANGUP_DUE_SECS: i64 = 2 * 3600;

/// The lifecycle step of a trigger (every trigger has one: a test holds them in step).
pub fn step(trigger: TriggerId) -> Option<&'static Step> {
    LIFECYCLE.iter().find(|s| s.trigger == trigger)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::TRIGGERS;

    #[test]
    fn every_trigger_has_one_step_and_the_hangup_family_ends_the_call() {
        for t in TRIGGERS {
            let steps: Vec<_> = LIFECYCLE.iter().filter(|s| s.trigger == t.which).collect();
            assert_eq!(steps.len(), 1, "{}", t.id);
            assert_eq!(
                steps[0].phase == Phase::Ended,
                t.is_hangup_family(),
                "{}",
                t.id
            );
            // The stamp named is one the trigger offers.
            assert!(t.variable(steps[0].stamp.field()).is_some(), "{}", t.id);
        }
        assert_eq!(LIFECYCLE.len(), TRIGGERS.len());
    }
}
