//! Value vocabularies seen on the wire (docs/wire.md, "Vocabularies"): the spellings of directions, call
//! statuses and hangup causes, and what they mean in words.

use super::CallType;

/// India's country code, as live events prefix numbers with it (the hangup of the same call sends
/// the bare 10 digits; `customer_no_with_prefix` carries it without the `+`).
pub const COUNTRY_PREFIX: &str = "+91";

pub const INBOUND: &str = "inbound";
pub const OUTBOUND: &str = "outbound";
/// A click-to-call's `direction` on the hangup family.
pub const CLICK_TO_CALL: &str = "clicktocall";
/// A click-to-call's `direction` on live triggers.
pub const CLICK_TO_CALL_LIVE: &str = "click_to_call";

/// A dialer call's `direction` (docs/wire.md, "Dialer and broadcast calls").
pub const DIALER_INBOUND: &str = "Dialer (inbound)";
pub const DIALER_OUTBOUND: &str = "Dialer (outbound)";

/// Every spelling of `direction`, with the call type it means. Compared ignoring case, spaces,
/// `_` and `-` (see [`direction_call_type`]).
pub static DIRECTIONS: &[(&str, CallType)] = &[
    (INBOUND, CallType::Inbound),
    (OUTBOUND, CallType::Outbound),
    (CLICK_TO_CALL, CallType::Outbound),
    (CLICK_TO_CALL_LIVE, CallType::Outbound),
    (DIALER_INBOUND, CallType::Inbound),
    (DIALER_OUTBOUND, CallType::Outbound),
];

/// The call type a `direction` value means, or `None` for an unknown spelling.
pub fn direction_call_type(value: &str) -> Option<CallType> {
    // Compared character by character, without building strings: validation asks per payload.
    let fold = |s: &'static str| s.chars().filter(|c| !matches!(c, ' ' | '_' | '-'));
    let wanted = || {
        value
            .chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-'))
            .map(|c| c.to_ascii_lowercase())
    };
    DIRECTIONS
        .iter()
        .find(|(spelling, _)| fold(spelling).map(|c| c.to_ascii_lowercase()).eq(wanted()))
        .map(|(_, t)| *t)
}

/// `direction` values that mark a dialer (broadcast/campaign) call.
pub fn is_dialer_direction(value: &str) -> bool {
    let value = value.trim_start();
    value.len() >= 6 && value.as_bytes()[..6].eq_ignore_ascii_case(b"dialer")
}

pub const STATUS_ANSWERED: &str = "answered";
pub const STATUS_MISSED: &str = "missed";
pub const STATUS_ANSWERED_BY_AGENT: &str = "Answered by agent";
pub const STATUS_ANSWERED_BY_CUSTOMER: &str = "Answered by customer";
/// A click-to-call the customer did not answer (integrators map it; docs/wire.md, "Vocabularies").
pub const STATUS_MISSED_BY_CUSTOMER: &str = "missed by customer";

/// `call_status` values seen (lowercase on hangup triggers, title case on live ones).
pub static CALL_STATUSES: &[&str] = &[
    STATUS_ANSWERED,
    STATUS_MISSED,
    STATUS_ANSWERED_BY_AGENT,
    STATUS_ANSWERED_BY_CUSTOMER,
    STATUS_MISSED_BY_CUSTOMER,
    "dialed_on_customer",
];

/// A Q.850 hangup cause as the newer default templates send it.
#[derive(Debug, PartialEq, Eq)]
pub struct HangupCause {
    pub key: &'static str,
    pub code: &'static str,
    pub description: &'static str,
}

pub const NORMAL_CLEARING: HangupCause = HangupCause {
    key: "NORMAL_CLEARING",
    code: "16",
    description: "Normal call clearing",
};
pub const NO_ANSWER: HangupCause = HangupCause {
    key: "NO_ANSWER",
    code: "19",
    description: "No answer from user (user alerted)",
};

#[rustfmt::skip]
pub static HANGUP_CAUSES: &[HangupCause] = &[
    NORMAL_CLEARING,
    HangupCause { key: "USER_BUSY", code: "17", description: "User busy" },
    HangupCause { key: "NO_USER_RESPONSE", code: "18", description: "No user responding" },
    NO_ANSWER,
    HangupCause { key: "CALL_REJECTED", code: "21", description: "Call rejected" },
    HangupCause { key: "ORIGINATOR_CANCEL", code: "487", description: "Request terminated (caller cancelled)" },
    HangupCause { key: "INTERWORKING", code: "127", description: "Interworking, unspecified" },
    HangupCause { key: "UNSPECIFIED", code: "0", description: "Unspecified" },
];

/// Legacy `hangup_cause` values, as older templates send them.
pub const LEGACY_NORMAL_CLEARING: &str = "NormalClearing";
pub const LEGACY_DISCONNECTED_BY_CALLER: &str = "disconnected_by_caller";
/// `reason_key` values: who or what ended the call.
pub const REASON_CALLER_HUNG_UP: &str = "Call Disconnected By Caller";
pub const REASON_CALLEE_HUNG_UP: &str = "Call Disconnected By Callee";
pub const REASON_NO_ANSWER: &str = "noanswer";

/// Legacy `hangup_cause` values and `reason_key` values, in words for the call summary.
pub static HANGUP_WORDS: &[(&str, &str)] = &[
    (LEGACY_NORMAL_CLEARING, "normal hangup"),
    ("destination_hangup", "the called side hung up"),
    (LEGACY_DISCONNECTED_BY_CALLER, "the caller hung up"),
    ("disconnected_by_callee", "the called side hung up"),
    ("destination_not_set", "no destination was configured"),
    (REASON_CALLER_HUNG_UP, "the caller hung up"),
    (REASON_CALLEE_HUNG_UP, "the called side hung up"),
    (REASON_NO_ANSWER, "nobody answered"),
    ("cancel", "the caller gave up before an answer"),
    ("busy", "the line was busy"),
    ("chanunavail", "the agent's phone was unreachable"),
    ("rejected", "the call was rejected"),
];

/// The legacy `hangup_cause` text and the `reason_key` that go with a Q.850 cause, as older
/// templates and the newer ones word the same hangup. An answered call ends in a normal
/// clearing whoever hung up; a missed one says why it was not answered.
pub fn hangup_words(
    cause: &HangupCause,
    answered: bool,
    caller_hung_up: bool,
) -> (&'static str, &'static str) {
    if answered {
        let reason = match caller_hung_up {
            true => REASON_CALLER_HUNG_UP,
            false => REASON_CALLEE_HUNG_UP,
        };
        return (LEGACY_NORMAL_CLEARING, reason);
    }
    match cause.key {
        "USER_BUSY" => ("disconnected_by_callee", "busy"),
        "CALL_REJECTED" => ("disconnected_by_callee", "rejected"),
        "ORIGINATOR_CANCEL" => (LEGACY_DISCONNECTED_BY_CALLER, "cancel"),
        "INTERWORKING" => ("destination_hangup", "chanunavail"),
        _ => (LEGACY_DISCONNECTED_BY_CALLER, REASON_NO_ANSWER),
    }
}

/// The hangup cause with that key (`NO_ANSWER`) or code (`"19"`).
pub fn hangup_cause(key_or_code: &str) -> Option<&'static HangupCause> {
    HANGUP_CAUSES
        .iter()
        .find(|c| c.key.eq_ignore_ascii_case(key_or_code) || c.code == key_or_code)
}
