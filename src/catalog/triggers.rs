//! The 11 triggers of Servetel's webhook documentation, then the six that only Smartflo and
//! Acefone portals offer (docs/wire.md, "The extended Smartflo/Acefone triggers").

use super::CallType::{Inbound, Outbound};
use super::GroupId::*;
use super::Platform::{Servetel, SmartfloAcefone};
use super::Sign::{AllSet, Set, Status};
use super::{CallType, Marker, Outcome, Stage, Trigger, vocab};

/// A trigger named in code: a typo is a compile error, not a failed lookup. The variant's
/// position is its row in [`TRIGGERS`] (a test holds the two in step).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TriggerId {
    ReceivedOnServer,
    AnsweredOnIvr,
    AnsweredByAgent,
    Missed,
    Hangup,
    MissedOrAnswered,
    DtmfOption,
    DialedOnAgent,
    ReceivedOnDepartment,
    ReceivedOnAutoAttendant,
    AnsweredByCustomer,
    AnsweredByAgentHangup,
    MissedByAgentHangup,
    MissedByCustomer,
    DispositionUpdated,
    ConnectedToAgent,
    SessionCallAnswered,
}

impl TriggerId {
    pub fn trigger(self) -> &'static Trigger {
        &TRIGGERS[self as usize]
    }
}

const IN: &[CallType] = &[Inbound];
const OUT: &[CallType] = &[Outbound];
const BOTH: &[CallType] = &[Inbound, Outbound];

/// The key order of the real default template of the hangup family (docs/wire.md, "What the catalog encodes"), by variable
/// name. `customer_number_with_prefix` travels under the key `"customer_no_with_prefix "`.
const HANGUP_DEFAULT_ORDER: &[&str] = &[
    "uuid",
    "call_to_number",
    "caller_id_number",
    "start_stamp",
    "answer_stamp",
    "end_stamp",
    "billsec",
    "digits_dialed",
    "direction",
    "duration",
    "answered_agent",
    "answered_agent_name",
    "answered_agent_number",
    "missed_agent",
    "call_flow",
    "broadcast_lead_fields",
    "recording_url",
    "recording_name",
    "call_status",
    "call_id",
    "outbound_sec",
    "agent_ring_time",
    "agent_transfer_ring_time",
    "billing_circle",
    "call_connected",
    "aws_call_recording_identifier",
    "customer_number_with_prefix",
    "campaign_name",
    "campaign_id",
    "customer_ring_time",
    "reason_key",
    "hangup_cause_description",
    "hangup_cause_code",
    "hangup_cause_key",
    "ref_id",
];

/// A sign no other trigger sends.
const fn only(sign: super::Sign) -> Marker {
    Marker {
        sign,
        shared_with: &[],
    }
}

/// What the hangup family sends and no live trigger does. Which of missed and hangup a payload is
/// comes from `call_connected` (else `answered_agent`), so the markers sit on missed-or-answered,
/// which sends the same variables as both. The extended hangup triggers send them too, and no
/// sign of their own: detection calls their payloads `hangup` or `missed` (the same rules apply),
/// and `--trigger`, a route or a webhook names them.
const HANGUP_MARKERS: &[Marker] = &[
    family(Set("end_stamp")),
    family(Set("hangup_cause")),
    family(Set("hangup_cause_key")),
    family(Set("billsec")),
    family(Set("call_connected")),
];

const fn family(sign: super::Sign) -> Marker {
    Marker {
        sign,
        shared_with: &[
            TriggerId::Missed,
            TriggerId::Hangup,
            TriggerId::AnsweredByAgentHangup,
            TriggerId::MissedByAgentHangup,
            TriggerId::MissedByCustomer,
        ],
    }
}

/// The order detection tries the triggers' markers in: a payload that carries the markers of two
/// triggers is the earlier one's. Answered-by-customer comes before answered-by-agent, whose
/// `answer_agent_number` it sends too; department before dialed-on-agent, whose `date` and
/// `call_flow` it sends too; the live triggers before the hangup family; connected-to-agent after
/// it, whose payloads carry its sign (`start_date`, `start_time`, `answered_agent`) too.
pub static DETECTION_ORDER: &[TriggerId] = &[
    TriggerId::DtmfOption,
    TriggerId::ReceivedOnAutoAttendant,
    TriggerId::ReceivedOnDepartment,
    TriggerId::DialedOnAgent,
    TriggerId::ReceivedOnServer,
    TriggerId::AnsweredOnIvr,
    TriggerId::AnsweredByCustomer,
    TriggerId::AnsweredByAgent,
    TriggerId::DispositionUpdated,
    TriggerId::MissedOrAnswered,
    TriggerId::ConnectedToAgent,
];

/// The keys of the dialer's "connected" event, in the order synthesis writes them (no default
/// template of it was seen: docs/wire.md, "The extended Smartflo/Acefone triggers").
const CONNECTED_ORDER: &[&str] = &[
    "uuid",
    "call_to_number",
    "caller_id_number",
    "start_date",
    "start_time",
    "direction",
    "answered_agent",
    "broadcast_lead_fields",
    "call_id",
];

/// The keys of the disposition event, in the order synthesis writes them (none was seen).
const DISPOSITION_ORDER: &[&str] = &[
    "uuid",
    "call_to_number",
    "caller_id_number",
    "start_stamp",
    "direction",
    "answered_agent",
    "disposition",
    "call_id",
];

const LIVE_GROUPS: &[super::GroupId] = &[Live, Observed];
const HANGUP_GROUPS: &[super::GroupId] = &[Hangup, Broadcast, Observed];

/// In the order of the portal's form (Servetel's 11, then Smartflo/Acefone's own), which is the
/// order of [`TriggerId`].
pub static TRIGGERS: &[Trigger] = &[
    Trigger {
        which: TriggerId::ReceivedOnServer,
        id: "received-on-server",
        label: "Call received on Server",
        platform: Servetel,
        aliases: &["call received", "received on server"],
        description: "When a call is received on Server",
        call_types: IN,
        outcome: Outcome::Live,
        stage: Stage::ReceivedOnServer,
        groups: LIVE_GROUPS,
        markers: &[only(Set("channel_id"))],
        default_order: None,
    },
    Trigger {
        which: TriggerId::AnsweredOnIvr,
        id: "answered-on-ivr",
        label: "Call answered on IVR",
        platform: Servetel,
        aliases: &["answered on ivr", "ivr answered"],
        description: "When a call is answered on IVR",
        call_types: BOTH,
        outcome: Outcome::Live,
        stage: Stage::AnsweredOnIvr,
        groups: LIVE_GROUPS,
        markers: &[only(Set("ivr_id"))],
        default_order: None,
    },
    Trigger {
        which: TriggerId::AnsweredByAgent,
        id: "answered-by-agent",
        label: "Call answered by Agent",
        platform: Servetel,
        aliases: &["answered by agent", "agent answered"],
        description: "When a call is answered by Agent",
        call_types: BOTH,
        outcome: Outcome::Answered,
        stage: Stage::AnsweredByAgent,
        groups: LIVE_GROUPS,
        markers: &[
            only(Set("departments")),
            only(Set("ivrs")),
            Marker {
                sign: Set("answer_agent_number"),
                shared_with: &[TriggerId::AnsweredByCustomer],
            },
            only(Status(vocab::STATUS_ANSWERED_BY_AGENT)),
        ],
        default_order: None,
    },
    Trigger {
        which: TriggerId::Missed,
        id: "missed",
        label: "Call Missed",
        platform: Servetel,
        aliases: &[
            "Call hangup (Missed)",
            "Call hangup (Missed) (deprecated)",
            "call hangup missed",
            "missed call",
        ],
        description: "When a call hung up due to being missed",
        call_types: BOTH,
        outcome: Outcome::Missed,
        stage: Stage::HungUp,
        groups: HANGUP_GROUPS,
        markers: &[],
        default_order: Some(HANGUP_DEFAULT_ORDER),
    },
    Trigger {
        which: TriggerId::Hangup,
        id: "hangup",
        label: "Call Hangup",
        platform: Servetel,
        aliases: &[
            "Call hangup (Answered)",
            "Call hangup (Answered) (deprecated)",
            "call hangup answered",
            "answered call",
        ],
        description: "When a call is answered and then hung up",
        call_types: BOTH,
        outcome: Outcome::Answered,
        stage: Stage::HungUp,
        groups: HANGUP_GROUPS,
        markers: &[],
        default_order: Some(HANGUP_DEFAULT_ORDER),
    },
    Trigger {
        which: TriggerId::MissedOrAnswered,
        id: "missed-or-answered",
        label: "Call Missed or Answered",
        platform: Servetel,
        aliases: &[
            "Call hangup (Missed or Answered)",
            "Call hangup (Missed or Answered) (deprecated)",
            "call hangup both",
            "hangup both",
        ],
        description: "When a call is either hung up due to missed or after being answered",
        call_types: BOTH,
        outcome: Outcome::Either,
        stage: Stage::HungUp,
        groups: HANGUP_GROUPS,
        markers: HANGUP_MARKERS,
        default_order: Some(HANGUP_DEFAULT_ORDER),
    },
    Trigger {
        which: TriggerId::DtmfOption,
        id: "dtmf-option",
        label: "DTMF Option",
        platform: Servetel,
        aliases: &["dtmf", "dtmf pressed", "ivr option"],
        description: "When DTMF Option is pressed on IVR",
        // The docs say outbound only; Smartflo sends it for both (docs/wire.md, "What the catalog encodes").
        call_types: BOTH,
        outcome: Outcome::Live,
        stage: Stage::DtmfPressed,
        groups: &[Dtmf, Observed],
        markers: &[only(Set("digit_pressed"))],
        default_order: None,
    },
    Trigger {
        which: TriggerId::DialedOnAgent,
        id: "dialed-on-agent",
        label: "Dialed on Agent",
        platform: Servetel,
        aliases: &["call dialed on agent", "agent dialed"],
        description: "When call is Dialed on Agent",
        call_types: IN,
        outcome: Outcome::Live,
        stage: Stage::DialedOnAgent,
        groups: &[DialedOnAgent, Observed],
        markers: &[Marker {
            sign: AllSet(&["date", "call_flow"]),
            shared_with: &[TriggerId::ReceivedOnDepartment],
        }],
        default_order: None,
    },
    Trigger {
        which: TriggerId::ReceivedOnDepartment,
        id: "received-on-department",
        label: "Received on Department",
        platform: Servetel,
        aliases: &["call received on department", "department"],
        description: "When Call is received on department",
        call_types: IN,
        outcome: Outcome::Live,
        stage: Stage::ReceivedOnDepartment,
        groups: &[Department, Observed],
        markers: &[only(Set("dept_id"))],
        default_order: None,
    },
    Trigger {
        which: TriggerId::ReceivedOnAutoAttendant,
        id: "received-on-auto-attendant",
        label: "Received on Auto Attendant",
        platform: Servetel,
        aliases: &["call received on auto attendant", "auto attendant"],
        description: "When Call is received on auto attendant",
        call_types: IN,
        outcome: Outcome::Live,
        stage: Stage::ReceivedOnAutoAttendant,
        groups: &[AutoAttendant, Observed],
        markers: &[
            only(Set("auto_attendant_id")),
            only(Set("auto_attendant_name")),
        ],
        default_order: None,
    },
    Trigger {
        which: TriggerId::AnsweredByCustomer,
        id: "answered-by-customer",
        label: "Call answered by Customer",
        platform: Servetel,
        aliases: &[
            "Call answered by Customer (Click to Call)",
            "answered by customer",
            "customer answered",
        ],
        description: "When call is answered by customer in Click to Call",
        call_types: OUT,
        outcome: Outcome::Answered,
        stage: Stage::AnsweredByCustomer,
        groups: &[Customer, Observed],
        markers: &[only(Status(vocab::STATUS_ANSWERED_BY_CUSTOMER))],
        default_order: None,
    },
    Trigger {
        which: TriggerId::AnsweredByAgentHangup,
        id: "answered-by-agent-hangup",
        label: "Call answered by Agent (Hangup)",
        platform: SmartfloAcefone,
        aliases: &["answered by agent hangup", "agent answered hangup"],
        description: "When a call an agent answered is hung up",
        call_types: BOTH,
        outcome: Outcome::Answered,
        stage: Stage::HungUp,
        groups: HANGUP_GROUPS,
        markers: &[],
        default_order: Some(HANGUP_DEFAULT_ORDER),
    },
    Trigger {
        which: TriggerId::MissedByAgentHangup,
        id: "missed-by-agent-hangup",
        label: "Call missed by Agent (Hangup)",
        platform: SmartfloAcefone,
        aliases: &[
            "missed by agent hangup",
            "agent missed hangup",
            "missed by agent",
        ],
        description: "When a call no agent answered is hung up",
        call_types: BOTH,
        outcome: Outcome::Missed,
        stage: Stage::HungUp,
        groups: HANGUP_GROUPS,
        markers: &[],
        default_order: Some(HANGUP_DEFAULT_ORDER),
    },
    Trigger {
        which: TriggerId::MissedByCustomer,
        id: "missed-by-customer",
        label: "Call missed by Customer (Click to Call)",
        platform: SmartfloAcefone,
        aliases: &[
            "missed by customer",
            "customer missed",
            "click to call missed",
        ],
        description: "When the customer does not answer a click-to-call",
        call_types: OUT,
        outcome: Outcome::CustomerMissed,
        stage: Stage::HungUp,
        groups: HANGUP_GROUPS,
        markers: &[],
        default_order: Some(HANGUP_DEFAULT_ORDER),
    },
    Trigger {
        which: TriggerId::DispositionUpdated,
        id: "disposition-updated",
        label: "Disposition Status Updated (Dialer)",
        platform: SmartfloAcefone,
        aliases: &[
            "disposition status updated",
            "disposition updated",
            "disposition",
        ],
        description: "When an agent sets the disposition of a dialer call",
        call_types: BOTH,
        outcome: Outcome::Either,
        stage: Stage::Disposed,
        groups: &[Disposition, Observed],
        markers: &[only(Set("disposition"))],
        default_order: Some(DISPOSITION_ORDER),
    },
    Trigger {
        which: TriggerId::ConnectedToAgent,
        id: "connected-to-agent",
        label: "Call Connected to Agent (Dialer)",
        platform: SmartfloAcefone,
        aliases: &[
            "connected to agent",
            "dialer connected",
            "call connected to agent",
        ],
        description: "When a dialer call is connected to an agent",
        call_types: BOTH,
        outcome: Outcome::Answered,
        stage: Stage::ConnectedToAgent,
        groups: &[DialerConnected, Broadcast, Observed],
        // The hangup family sends these three too (and tells itself by its own markers first).
        markers: &[Marker {
            sign: AllSet(&["start_date", "start_time", "answered_agent"]),
            shared_with: super::variables::HANGUP_FAMILY,
        }],
        default_order: Some(CONNECTED_ORDER),
    },
    Trigger {
        which: TriggerId::SessionCallAnswered,
        id: "session-call-answered",
        label: "Session Call Answered",
        platform: SmartfloAcefone,
        aliases: &["session answered", "session call"],
        description: "When a call of an agent's session is answered",
        call_types: BOTH,
        outcome: Outcome::Answered,
        stage: Stage::AnsweredByAgent,
        // Nothing tells it from the shared live variables: `--trigger`, a route or a webhook does.
        groups: LIVE_GROUPS,
        markers: &[],
        default_order: None,
    },
];
