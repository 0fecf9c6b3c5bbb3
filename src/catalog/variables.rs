//! Every variable of the docs' tables, table by table, and the observed extras of real default
//! templates (docs/wire.md, "Values" and "Observed extras by trigger"). A row reads: name, docs type, wire kind, description,
//! then what differs from the usual (documented, always present, not required, key = name).

use super::DocsType::{self, *};
use super::Kind::{self, *};
use super::Presence::{self, *};
use super::TriggerId::{self, *};
use super::{Evidence, Group, GroupId, Required, Var};

const fn v(name: &'static str, docs_type: DocsType, kind: Kind, description: &'static str) -> Var {
    Var {
        name,
        key: name,
        docs_type,
        kind,
        presence: Always,
        required: Required::No,
        evidence: Evidence::Docs,
        offered_on: None,
        description,
    }
}

/// An observed extra: not in the docs.
const fn x(name: &'static str, kind: Kind, description: &'static str) -> Var {
    Var {
        evidence: Evidence::Observed,
        ..v(name, Undocumented, kind, description)
    }
}

/// A variable of an extended Smartflo/Acefone trigger that no payload shows (docs/wire.md,
/// "The extended Smartflo/Acefone triggers"): never required.
const fn i(name: &'static str, kind: Kind, description: &'static str) -> Var {
    Var {
        evidence: Evidence::Inferred,
        ..v(name, Undocumented, kind, description)
    }
}

impl Var {
    const fn req(self) -> Var {
        Var {
            required: Required::Yes,
            ..self
        }
    }
    const fn req_unless_dialer(self) -> Var {
        Var {
            required: Required::UnlessDialer,
            ..self
        }
    }
    const fn when(self, presence: Presence) -> Var {
        Var { presence, ..self }
    }
    const fn key(self, key: &'static str) -> Var {
        Var { key, ..self }
    }
    const fn on(self, triggers: &'static [TriggerId]) -> Var {
        Var {
            offered_on: Some(triggers),
            ..self
        }
    }
}

#[rustfmt::skip]
const LIVE: &[Var] = &[
    v("uuid", String, Uuid, "Unique ID of the call").req(),
    v("call_to_number", String, Phone, "Destination Number").req_unless_dialer(),
    v("caller_id_number", String, Phone, "Caller ID shown to customer").req(),
    v("start_stamp", String, Stamp, "Start Time of the call"),
    v("answer_agent_number", String, AgentNumber, "Number of the agent who answered the call")
        .when(OnlyOn(&[AnsweredByAgent])),
    v("ivr_id", Integer, Id, "Unique ID of the IVR").when(OnlyOn(&[AnsweredOnIvr])),
    v("ivr_name", String, Text, "Name of the IVR").when(OnlyOn(&[AnsweredOnIvr])),
    v("start_time", String, Time, "Start Time of Call"),
    v("start_date", String, Date, "Start Date of Call"),
    v("departments", ArrayOfObjects, RecordList("department"), "Details of departments which received the call")
        .when(OnlyOn(&[AnsweredByAgent])),
    v("ivrs", ArrayOfObjects, RecordList("ivr"), "Details of IVRs which received the call")
        .when(OnlyOn(&[AnsweredByAgent])),
    v("channel_id", String, Text, "Channel ID of the Call").when(OnlyOn(&[ReceivedOnServer])),
];

#[rustfmt::skip]
const HANGUP: &[Var] = &[
    v("uuid", String, Uuid, "Unique ID of the Call").req(),
    v("call_to_number", String, Phone, "Dialed number").req_unless_dialer(),
    v("caller_id_number", String, Phone, "Caller ID shown to customer").req(),
    v("start_stamp", String, Stamp, "Start time of the call").req(),
    v("answer_stamp", String, Stamp, "Answer time of the call on server").when(IfAnswered),
    v("end_stamp", String, Stamp, "End time of the call").req(),
    v("hangup_cause", String, Text, "Hang-up reason of the call"),
    v("billsec", String, Seconds, "Billed seconds"),
    v("digits_dialed", ArrayOfStrings, Digits, "Array containing DTMF input"),
    v("direction", String, Direction, "Call direction [inbound/outbound]"),
    v("duration", String, Seconds, "Call duration"),
    v("call_flow", Array, CallFlow, "Flow of the call").when(IfAgentAnswered),
    v("broadcast_lead_fields", Object, Record("broadcast_lead_fields"), "Will be present in case call type is broadcast and leads have custom fields")
        .when(IfBroadcast),
    v("answered_agent", Object, Agents, "Data of the agent who answered the call.").when(IfAgentAnswered),
    v("missed_agent", Object, Agents, "Data of the agent who missed the call.").when(IfAgentMissed),
    v("recording_url", String, Url, "URL for recording"),
    v("start_date", String, Date, "Start Date of Call"),
    v("start_time", String, Time, "Start time of the call"),
    v("bridged_duration", String, Seconds, "Duration of the call between an agent and a client (in seconds)"),
    v("call_connected", Integer, Flag, "Describes if the call was answered by any agent or not. 1: Answered, 0: Missed/Not Answered"),
];

#[rustfmt::skip]
const BROADCAST: &[Var] = &[
    v("field_0", String, Text, "Phone number of lead").when(IfBroadcast),
    v("field_1", String, Text, "Name of lead").when(IfBroadcast),
    v("field_2", String, Text, "Email ID of lead").when(IfBroadcast),
    v("field_3", String, Text, "Address of lead").when(IfBroadcast),
    v("field_4", String, Text, "Company name of lead").when(IfBroadcast),
    v("field_5", String, Text, "Custom detail for lead set by user").when(IfBroadcast),
    v("field_6", String, Text, "Custom detail for lead set by user").when(IfBroadcast),
    v("field_7", String, Text, "Custom detail for lead set by user").when(IfBroadcast),
    v("field_8", String, Text, "Custom detail for lead set by user").when(IfBroadcast),
    v("field_9", String, Text, "Custom detail for lead set by user").when(IfBroadcast),
    v("field_10", String, Text, "Custom detail for lead set by user").when(IfBroadcast),
    v("field_11", String, Text, "Custom detail for lead set by user").when(IfBroadcast),
    v("field_12", String, Text, "Custom detail for lead set by user").when(IfBroadcast),
    v("field_13", String, Text, "Custom detail for lead set by user").when(IfBroadcast),
    v("field_14", String, Text, "Custom detail for lead set by user").when(IfBroadcast),
    v("field_15", String, Text, "Custom detail for lead set by user").when(IfBroadcast),
];

#[rustfmt::skip]
const DTMF: &[Var] = &[
    v("uuid", String, Uuid, "Unique ID of the call").req(),
    v("call_to_number", String, Phone, "Dialed number").req_unless_dialer(),
    v("caller_id_number", String, Phone, "Caller ID shown to customer").req(),
    v("digit_pressed", String, Digit, "DTMF Option Pressed").req(),
    v("date", String, Stamp, "Time at which Option is pressed"),
];

#[rustfmt::skip]
const DIALED_ON_AGENT: &[Var] = &[
    v("uuid", String, Uuid, "Unique ID of the call").req(),
    v("call_to_number", String, Phone, "Destination Number").req_unless_dialer(),
    v("caller_id_number", String, Phone, "My Number on which client Called").req(),
    v("date", String, Stamp, "Time at which agent is called"),
    v("call_flow", Array, CallFlow, "Complete call flow of how call reached the agent"),
    v("dept_name", ArrayOfStrings, TextList, "Names of the department which received the calls").when(IfDepartment),
    v("ivr_name", ArrayOfStrings, TextList, "Names of the IVR's which received the call").when(IfIvr),
];

#[rustfmt::skip]
const DEPARTMENT: &[Var] = &[
    v("uuid", String, Uuid, "Unique ID of the call").req(),
    v("call_to_number", String, Phone, "My Number on which client called").req_unless_dialer(),
    v("caller_id_number", String, Phone, "Client's number").req(),
    v("date", String, Stamp, "Date time at which call was received on department"),
    v("call_flow", Array, CallFlow, "Complete call flow of how call reached the department"),
    v("dept_id", String, Id, "Unique ID of the department").req(),
    v("dept_name", String, Text, "Name of the department"),
    v("ivr_name", String, Text, "Name of the IVR through which call has been received"),
];

#[rustfmt::skip]
const AUTO_ATTENDANT: &[Var] = &[
    v("uuid", String, Uuid, "Unique ID of the call").req(),
    v("call_to_number", String, Phone, "My Number on which client called").req_unless_dialer(),
    v("caller_id_number", String, Phone, "Client's number").req(),
    v("start_stamp", String, Stamp, "Date time on which call was received"),
    v("auto_attendant_id", String, Id, "Unique ID of auto attendant").req(),
    v("auto_attendant_name", String, Text, "Name of auto attendant"),
];

#[rustfmt::skip]
const CUSTOMER: &[Var] = &[
    v("uuid", String, Uuid, "Unique ID of the call").req(),
    v("call_to_number", String, Phone, "Dialed Number").req_unless_dialer(),
    v("caller_id_number", String, Phone, "Caller ID shown to customer").req(),
    v("start_stamp", String, Stamp, "Date time on which call was received"),
    v("direction", String, Direction, "Call direction"),
    v("answer_agent_number", String, AgentNumber, "Number of agent who answered the call"),
    v("billing_circle", Object, Record("billing_circle"), "Billing circle details (operator and circle)"),
    v("call_status", String, Text, "Status of call (Answered by customer)"),
];

/// The hangup family and, last, the live event of an agent answering: click-to-call
/// answered-by-agent payloads carry the customer's billing circle and prefixed number (reported
/// in issue 19).
const HANGUP_AND_AGENT: &[TriggerId] = &[
    Missed,
    Hangup,
    MissedOrAnswered,
    AnsweredByAgentHangup,
    MissedByAgentHangup,
    MissedByCustomer,
    AnsweredByAgent,
];
/// The hangup family: the triggers whose real default template the field notes list (§1), and
/// the Smartflo/Acefone hangup triggers, which send it too.
pub(super) const HANGUP_FAMILY: &[TriggerId] =
    HANGUP_AND_AGENT.split_at(HANGUP_AND_AGENT.len() - 1).0;

/// Smartflo/Acefone's "Call Connected to Agent (Dialer)": the dialer's `start_date` +
/// `start_time` pair is seen on it (§3); the agents and lead fields are the dialer call's.
#[rustfmt::skip]
const DIALER_CONNECTED: &[Var] = &[
    v("uuid", String, Uuid, "Unique ID of the call").req(),
    v("call_to_number", String, Phone, "Dialed number").req_unless_dialer(),
    v("caller_id_number", String, Phone, "Caller ID shown to customer").req(),
    x("start_date", Date, "Start date of the call: the dialer's 2/24/2026"),
    x("start_time", Time, "Start time of the call: the dialer's 2:19:58"),
    i("answered_agent", Agents, "The agents the dialer connected: an array, the last one has the call"),
    i("broadcast_lead_fields", Record("broadcast_lead_fields"), "The lead's columns, on broadcast calls")
        .when(IfBroadcast),
];

/// Smartflo/Acefone's "Disposition Status Updated (Dialer)": only its label is known; the
/// disposition itself is its sign.
#[rustfmt::skip]
const DISPOSITION: &[Var] = &[
    v("uuid", String, Uuid, "Unique ID of the call").req(),
    v("call_to_number", String, Phone, "Dialed number").req_unless_dialer(),
    v("caller_id_number", String, Phone, "Caller ID shown to customer").req(),
    i("start_stamp", Stamp, "Start time of the call: the dialer's 7/11/2026, 9:12:56 PM"),
    i("answered_agent", Agents, "The agents of the call: an array, the last one set the disposition")
        .when(IfAgentAnswered),
    i("disposition", Text, "The disposition status the agent set: Interested, Call Back…"),
];

/// The extras real default templates carry, each offered on the triggers the evidence shows it
/// on (docs/wire.md, "Observed extras by trigger", has the evidence row by row). A row without
/// `.on(…)` is offered on every trigger. Where a docs table already holds the variable (billing
/// circle and call status on answered-by-customer, direction on the hangup family), the docs row wins.
#[rustfmt::skip]
const OBSERVED: &[Var] = &[
    x("call_id", CallId, "Call id, stable across all triggers of one call: the dedupe key"),
    x("direction", Direction, "Call direction: inbound, outbound, clicktocall/click_to_call, Dialer (…)"),
    x("call_status", Text, "answered, missed, Answered by agent, Answered by customer…")
        .on(HANGUP_AND_AGENT),
    x("did_number", Phone, "The tenant's number (DID) the call went through"),
    x("ref_id", Uuid4, "Reference id of a click-to-call API request").when(IfApiCall).on(HANGUP_FAMILY),
    x("custom_identifier", Any, "Whatever the click-to-call API caller passed").when(IfApiCall),
    x("async", Any, "Click-to-call API flag, passed through").when(IfApiCall),
    x("get_call_id", Any, "Click-to-call API flag, passed through").when(IfApiCall),
    x("answered_agent_name", Text, "Name of the agent who answered, or \"\"").when(IfAgentAnswered).on(HANGUP_FAMILY),
    x("answered_agent_number", AgentNumber, "Number of the agent who answered, or \"\"").when(IfAgentAnswered).on(HANGUP_FAMILY),
    x("agent_number", AgentNumber, "Number of the agent on the call").on(HANGUP_FAMILY),
    x("outbound_sec", Seconds, "Talk time in seconds (\"0\" on every missed call)").on(HANGUP_FAMILY),
    x("agent_ring_time", Seconds, "Seconds the agent's phone rang").on(HANGUP_FAMILY),
    x("agent_transfer_ring_time", Seconds, "Seconds a transfer target rang").on(HANGUP_FAMILY),
    x("customer_ring_time", Seconds, "Seconds the customer's phone rang").on(HANGUP_FAMILY),
    x("billing_circle", Record("billing_circle"), "Billing circle of the customer's number: operator and circle")
        .on(HANGUP_AND_AGENT),
    x("hangup_cause_key", Text, "Q.850 cause name: NORMAL_CLEARING, NO_ANSWER…").on(HANGUP_FAMILY),
    x("hangup_cause_code", Seconds, "Q.850 cause code as a string: \"16\", \"19\"").on(HANGUP_FAMILY),
    x("hangup_cause_description", Text, "Q.850 cause in words").on(HANGUP_FAMILY),
    x("reason_key", Text, "Who or what ended the call: Call Disconnected By Caller, noanswer, busy…").on(HANGUP_FAMILY),
    x("recording_name", Text, "File name of the call recording").on(HANGUP_FAMILY),
    x("aws_call_recording_identifier", Hex32, "Storage id of the recording: 32 hex digits, or \"\"").on(HANGUP_FAMILY),
    x("customer_number_with_prefix", Text, "Customer number with its dialing prefix")
        .key("customer_no_with_prefix ").on(HANGUP_AND_AGENT),
    x("campaign_name", Text, "Dialer campaign name").when(IfCampaign).on(HANGUP_FAMILY),
    x("campaign_id", Id, "Dialer campaign id").when(IfCampaign).on(HANGUP_FAMILY),
];

#[rustfmt::skip]
pub static GROUPS: &[Group] = &[
    Group { id: GroupId::Live, title: "Call Received on Server/ Answered on IVR/ Agent", vars: LIVE },
    Group { id: GroupId::Hangup, title: "Call hangup Missed/ Answered/ Both", vars: HANGUP },
    Group { id: GroupId::Broadcast, title: "For broadcast", vars: BROADCAST },
    Group { id: GroupId::Dtmf, title: "DTMF Option", vars: DTMF },
    Group { id: GroupId::DialedOnAgent, title: "Dialed on Agent", vars: DIALED_ON_AGENT },
    Group { id: GroupId::Department, title: "Received on Department", vars: DEPARTMENT },
    Group { id: GroupId::AutoAttendant, title: "Received on Auto Attendant", vars: AUTO_ATTENDANT },
    Group { id: GroupId::Customer, title: "Call Answered by Customer", vars: CUSTOMER },
    Group { id: GroupId::DialerConnected, title: "Call Connected to Agent (Dialer), Smartflo/Acefone", vars: DIALER_CONNECTED },
    Group { id: GroupId::Disposition, title: "Disposition Status Updated (Dialer), Smartflo/Acefone", vars: DISPOSITION },
    Group { id: GroupId::Observed, title: "observed extras, by trigger", vars: OBSERVED },
];
