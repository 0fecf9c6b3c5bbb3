//! One synthetic call: who called whom, which IVR, department and agents it went through, and
//! when each step happened. Every event of the call (every trigger) is rendered from the same
//! `Call`, so a lifecycle shares its uuid, call_id, numbers and clock.

use super::ids;
use super::rng::Rng;
use super::spec::{CallSpec, Direction};
use crate::catalog::CallType;
use crate::catalog::vocab::HangupCause;

#[derive(Clone, Debug)]
pub struct Agent {
    /// `050…`, 13 digits.
    pub id: String,
    pub name: String,
    /// The extension id (`060…`, 13 digits) the agent object carries as `number`.
    pub extension: String,
    /// The agent's phone, 10 digits.
    pub phone: String,
    /// When the call started ringing this agent, and for how long it rang.
    pub dialed_at: i64,
    pub ring_secs: i64,
}

#[derive(Clone, Debug)]
pub struct Call {
    pub call_type: CallType,
    /// An outbound call placed with click-to-call (agent first, then the customer).
    pub click_to_call: bool,
    pub uuid: String,
    pub call_id: String,
    /// The customer's number and the tenant's number (DID): 10 national digits as drawn, or
    /// what `--caller`/`--did` gave (`spec::phone`: 10 digits, else as typed, `+` kept).
    pub customer: String,
    pub did: String,
    pub ivr: (String, String),
    pub department: (String, String),
    pub auto_attendant: (String, String),
    pub digit: char,
    /// Agents in the order they were dialed; the answering one is last.
    pub agents: Vec<Agent>,
    pub answered: bool,
    pub start: i64,
    pub ivr_answered_at: i64,
    pub dtmf_at: i64,
    pub department_at: i64,
    /// When the call was answered (by the agent inbound, by the customer on click-to-call).
    pub answered_at: Option<i64>,
    pub end: i64,
    pub customer_ring_secs: i64,
    pub recorded: bool,
    pub recording_token: String,
    pub aws_recording_id: String,
    pub billing_circle: (&'static str, &'static str),
    /// Who hung up an answered call: the caller (else the called side).
    pub caller_hung_up: bool,
    /// The Q.850 cause `--hangup-cause` gave; `None`: the usual one for the outcome.
    pub hangup_cause: Option<&'static HangupCause>,
    /// A dialer (campaign) call: the dialer's dialect (docs/wire.md, "Dialer and broadcast calls").
    pub dialer: bool,
    /// The campaign a dialer call belongs to: id and name.
    pub campaign: (String, String),
    /// The lead a broadcast called; `None` on every other call.
    pub lead: Option<Lead>,
    /// The disposition the agent set after a dialer call, and how long after the hangup.
    pub disposition: &'static str,
    pub wrap_up_secs: i64,
    /// A click-to-call the customer did not answer: the agent's leg is no missed agent.
    pub customer_missed: bool,
}

/// The lead of a broadcast: the documented columns of `broadcast_lead_fields`, and one custom
/// detail (`field_5`).
#[derive(Clone, Debug)]
pub struct Lead {
    pub name: String,
    pub email: String,
    pub address: String,
    pub company: String,
    pub note: String,
}

const AGENT_NAMES: &[&str] = &[
    "Asha Rao",
    "Vikram Singh",
    "Priya Nair",
    "Rahul Mehta",
    "Sneha Kulkarni",
    "Arjun Iyer",
    "Kavya Reddy",
    "Imran Khan",
];
const IVRS: &[&str] = &["Main IVR", "Support IVR", "Sales Menu"];
const DEPARTMENTS: &[&str] = &["Sales", "Support", "Billing", "Onboarding"];
const AUTO_ATTENDANTS: &[&str] = &["Office Hours AA", "After Hours AA"];
const LEADS: &[&str] = &["Meera Joshi", "Rohan Das", "Anita Pillai", "Suresh Babu"];
const CITIES: &[&str] = &["Pune", "Kochi", "Jaipur", "Lucknow"];
const COMPANIES: &[&str] = &[
    "Joshi & Sons",
    "Das Traders",
    "Pillai Exports",
    "Babu Motors",
];
const CAMPAIGNS: &[&str] = &["Diwali Renewals", "Loan Follow-up", "Policy Reminders"];
/// Dispositions an agent sets on an answered call; an unanswered one is `No Answer`.
const DISPOSITIONS: &[&str] = &["Interested", "Call Back", "Not Interested", "Converted"];
const NO_ANSWER: &str = "No Answer";

const CIRCLES: &[(&str, &str)] = &[
    ("Reliance Mobile GSM", "Delhi"),
    ("Bharti Airtel", "Mumbai"),
    ("Vodafone Idea", "Karnataka"),
    ("BSNL Mobile", "Andhra Pradesh & Telangana"),
    ("Reliance Jio", "Maharashtra & Goa"),
];

/// A 10-digit Indian mobile number.
fn mobile(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(&['6', '7', '8', '9']), rng.digits(9))
}

impl Call {
    /// A new call of the given type and outcome. `start` is the call's first second (epoch).
    pub fn generate(rng: &mut Rng, call_type: CallType, answered: bool, start: i64) -> Call {
        Call::generate_with(rng, call_type, answered, start, &CallSpec::default())
    }

    /// A new call as [`Call::generate`] draws it, with the facts of `spec` in place of what was
    /// drawn for them. The draws stay in their order (a fact replaces its draw after it is
    /// made), so a flag changes what derives from its fact and nothing else; only `--agent`
    /// naming more or fewer agents than were drawn draws for as many agents as it names.
    pub fn generate_with(
        rng: &mut Rng,
        call_type: CallType,
        answered: bool,
        start: i64,
        spec: &CallSpec,
    ) -> Call {
        let outbound = call_type == CallType::Outbound;
        // Synthesis's outbound calls are click-to-call unless `--direction outbound` says not;
        // a plain outbound call keeps the same timeline (agent leg, then the customer's phone).
        // A dialer's outbound calls are the dialer's, not click-to-call.
        let click_to_call =
            outbound && spec.direction != Some(Direction::Outbound) && !spec.dialer();
        let ivr_answered_at = start + 1;
        let dtmf_at = ivr_answered_at + rng.range(4, 12);
        let department_at = dtmf_at + 1;
        let first_dial = if outbound { start } else { department_at };
        let tried = if answered {
            rng.range(1, 3)
        } else {
            rng.range(1, 2)
        };
        let dialed = match spec.agents.len() {
            0 => tried,
            n => n as i64,
        };
        let mut agents = Vec::new();
        let mut t = first_dial;
        for i in 0..dialed {
            let last = i == dialed - 1;
            let answers_now = answered && last;
            let mut ring_secs = if answers_now {
                rng.range(3, 12)
            } else {
                rng.range(15, 25)
            };
            if let (true, Some(ring)) = (last, spec.ring) {
                ring_secs = ring;
            }
            let mut agent = Agent {
                id: format!("050{}", rng.digits(10)),
                name: rng.pick(AGENT_NAMES).to_string(),
                extension: format!("060{}", rng.digits(10)),
                phone: mobile(rng),
                dialed_at: t,
                ring_secs,
            };
            if let Some(given) = spec.agents.get(i as usize) {
                agent.name.clone_from(&given.name);
                if let Some(phone) = &given.phone {
                    agent.phone.clone_from(phone);
                }
            }
            agents.push(agent);
            t += ring_secs;
        }
        // On an outbound call the agent's leg rings first; then the customer's phone rings.
        let customer_ring_secs = if outbound { rng.range(4, 20) } else { 0 };
        let answered_at = answered.then_some(t + customer_ring_secs);
        let end = match answered_at {
            Some(at) => {
                let drawn = rng.range(20, 600);
                at + spec.talk.unwrap_or(drawn)
            }
            None => t + customer_ring_secs,
        };
        let recorded = answered || rng.chance(50);
        let mut call = Call {
            call_type,
            click_to_call,
            // Drawn as before (five hex digits, then six decimal ones): seeds keep their calls.
            uuid: ids::uuid(start, u64::from_str_radix(&rng.hex(5), 16).unwrap_or(0)),
            call_id: ids::call_id(start, rng.range(100_000, 999_999) as u64),
            customer: mobile(rng),
            did: format!("80{}", rng.digits(8)),
            ivr: (
                rng.range(10_000, 99_999).to_string(),
                rng.pick(IVRS).to_string(),
            ),
            department: (
                rng.range(1_000, 9_999).to_string(),
                rng.pick(DEPARTMENTS).to_string(),
            ),
            auto_attendant: (
                rng.range(10_000, 99_999).to_string(),
                rng.pick(AUTO_ATTENDANTS).to_string(),
            ),
            digit: *rng.pick(&['1', '2', '3', '4', '9', '0']),
            agents,
            answered,
            start,
            ivr_answered_at,
            dtmf_at,
            department_at,
            answered_at,
            end,
            customer_ring_secs,
            recorded,
            recording_token: rng.hex(24),
            aws_recording_id: rng.hex(32),
            billing_circle: *rng.pick(CIRCLES),
            caller_hung_up: rng.chance(50),
            hangup_cause: spec.hangup_cause,
            dialer: spec.dialer(),
            campaign: (String::new(), String::new()),
            lead: None,
            disposition: NO_ANSWER,
            wrap_up_secs: 0,
            customer_missed: false,
        };
        // Drawn after everything else, so a seed keeps the rest of its call.
        let (campaign_id, campaign) = (rng.range(1_000, 9_999), rng.pick(CAMPAIGNS));
        let call_id = super::ids::uuid4(&rng.hex(32));
        let name = rng.pick(LEADS).to_string();
        let lead = Lead {
            email: format!(
                "{}@example.in",
                name.split(' ').next().unwrap_or("lead").to_lowercase()
            ),
            name,
            address: rng.pick(CITIES).to_string(),
            company: rng.pick(COMPANIES).to_string(),
            note: format!("renewal due in {} days", rng.range(3, 30)),
        };
        let disposition = *rng.pick(DISPOSITIONS);
        let wrap_up_secs = rng.range(5, 45);
        if call.dialer {
            call.campaign = (campaign_id.to_string(), campaign.to_string());
            call.call_id = call_id;
        }
        call.disposition = if answered { disposition } else { NO_ANSWER };
        call.wrap_up_secs = wrap_up_secs;
        if spec.broadcast {
            call.lead = Some(lead);
        }
        if let Some(caller) = &spec.caller {
            call.customer.clone_from(caller);
        }
        if let Some(did) = &spec.did {
            call.did.clone_from(did);
        }
        if let Some(digit) = spec.digit {
            call.digit = digit;
        }
        call
    }

    /// The agent who took the call, if any.
    pub fn answering_agent(&self) -> Option<&Agent> {
        self.answered.then(|| self.agents.last()).flatten()
    }

    /// Agents who were dialed and did not answer.
    pub fn missed_agents(&self) -> &[Agent] {
        if self.customer_missed {
            return &[];
        }
        let taken = usize::from(self.answered);
        &self.agents[..self.agents.len() - taken]
    }

    /// Seconds of conversation.
    pub fn talk_secs(&self) -> i64 {
        self.answered_at.map_or(0, |at| self.end - at)
    }

    /// Passes through an IVR (inbound calls do; outbound ones do not).
    pub fn has_ivr(&self) -> bool {
        self.call_type == CallType::Inbound
    }

    /// The agent on the call: the one who took it, else the last one dialed.
    pub fn last_agent(&self) -> Option<&Agent> {
        self.agents.last()
    }
}
