//! What the user fixed about a call (`--caller`, `--agent`, `--talk`… on `sample` and `fire`):
//! facts of the call model, not fields. [`super::generate_call_with`] draws the call as usual
//! and puts these facts in place of what it drew, so every field that derives from a fact (the
//! agent's name in `answered_agent`, `answered_agent_name` and the call_flow; the talk time in
//! `billsec`, `duration` and the stamps) follows it. The parsers here are the flags' value
//! parsers: each error says what was expected and what was found, on one line.

use crate::catalog::vocab::{self, HangupCause};
use crate::synth::CallOutcome;

/// An agent named with `--agent NAME[:NUMBER]`; the number (the agent's phone) is drawn when
/// not given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentSpec {
    pub name: String,
    pub phone: Option<String>,
}

/// `--direction`: which kind of call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// A customer calls the tenant's number: IVR, department, agents.
    Inbound,
    /// An agent calls a customer from the tenant's number (`direction` `outbound`).
    Outbound,
    /// An outbound call placed with click-to-call: the agent's phone rings first, then the
    /// customer's (`clicktocall` at hangup, `click_to_call` live).
    ClickToCall,
    /// A dialer (campaign) call (docs/wire.md, "Dialer and broadcast calls"): `Dialer (outbound)`,
    /// or `Dialer (inbound)` where the trigger has inbound calls only; the dialer's stamps
    /// (`7/11/2026, 9:12:56 PM`), `answered_agent` as an array, `billsec` "", a UUID call_id.
    Dialer,
}

impl Direction {
    /// As `--direction` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
            Direction::ClickToCall => "click-to-call",
            Direction::Dialer => "dialer",
        }
    }
}

/// The call-level facts the user gave; `Default` is "draw everything", today's calls.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CallSpec {
    /// The customer's number, as [`phone`] normalizes it.
    pub caller: Option<String>,
    /// The tenant's number (DID), as [`phone`] normalizes it.
    pub did: Option<String>,
    /// Agents in the order they were dialed: on an answered call the last one took it.
    pub agents: Vec<AgentSpec>,
    /// Seconds of conversation (answered calls only).
    pub talk: Option<i64>,
    /// Seconds the last agent dialed rang (`agent_ring_time`).
    pub ring: Option<i64>,
    /// The call's start (epoch seconds).
    pub at: Option<i64>,
    pub direction: Option<Direction>,
    pub digit: Option<char>,
    pub hangup_cause: Option<&'static HangupCause>,
    /// A broadcast to a lead (`--broadcast`): a dialer call whose lead fields
    /// (`broadcast_lead_fields`, `field_0`…`field_15`) are set and whose `call_to_number` is "".
    pub broadcast: bool,
}

impl CallSpec {
    /// A dialer call: `--direction dialer`, or a broadcast (always a dialer's).
    pub fn dialer(&self) -> bool {
        self.broadcast || self.direction == Some(Direction::Dialer)
    }

    /// The outcome the facts imply, and the flag that implies it: talk time means answered,
    /// a busy or unanswered hangup cause means missed.
    pub fn implied_outcome(&self) -> Option<(CallOutcome, &'static str)> {
        if self.talk.is_some() {
            return Some((CallOutcome::Answered, "--talk"));
        }
        cause_outcome(self.hangup_cause?).map(|o| (o, "--hangup-cause"))
    }
}

/// The outcome a hangup cause belongs to; `None` for causes seen either way.
pub fn cause_outcome(cause: &HangupCause) -> Option<CallOutcome> {
    match cause.key {
        "NORMAL_CLEARING" => Some(CallOutcome::Answered),
        "INTERWORKING" | "UNSPECIFIED" => None,
        _ => Some(CallOutcome::Missed),
    }
}

const PHONE_EXPECTED: &str = "expected 6–15 digits with an optional +";

/// `--caller`, `--did`, an agent's NUMBER: 6–15 digits with an optional `+`, spaces and dashes
/// ignored. An Indian number (10 digits, or 12 starting with 91) is kept as its 10 national
/// digits, which the payloads then write in each field's own format (`+91…`, `91…`, bare);
/// any other number is kept as given (with its `+`).
pub fn phone(text: &str) -> Result<String, String> {
    let compact: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    let (plus, digits) = match compact.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    if !(6..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{PHONE_EXPECTED}, found {text:?}"));
    }
    let country = vocab::COUNTRY_PREFIX.trim_start_matches('+');
    Ok(match digits.strip_prefix(country) {
        Some(national) if national.len() == 10 => national.to_string(),
        _ if digits.len() == 10 && !plus => digits.to_string(),
        _ if plus => format!("+{digits}"),
        _ => digits.to_string(),
    })
}

/// `--agent NAME[:NUMBER]`.
pub fn agent(text: &str) -> Result<AgentSpec, String> {
    let (name, phone_text) = match text.rsplit_once(':') {
        Some((name, number)) => (name, Some(number)),
        None => (text, None),
    };
    let name = name.trim();
    if name.is_empty() {
        return Err(format!(
            "expected NAME or NAME:NUMBER (--agent \"Ravi Kumar:9876500022\"), found {text:?}"
        ));
    }
    let phone = phone_text
        .map(|n| {
            phone(n).map_err(|_| {
                format!(
                    "expected NAME:NUMBER with NUMBER {PHONE_EXPECTED}, found {n:?} in {text:?}"
                )
            })
        })
        .transpose()?;
    Ok(AgentSpec {
        name: name.to_string(),
        phone,
    })
}

/// `--talk`, `--ring`: a duration as `units::duration` reads it (`90s`, `2m`), in whole seconds
/// from 1 s to 24 h.
pub fn seconds(text: &str) -> Result<i64, String> {
    let d = crate::units::duration(text)?;
    let secs = d.as_secs_f64().round() as i64;
    if !(1..=86_400).contains(&secs) {
        return Err(format!(
            "expected a duration from 1s to 24h (90s, 2m), found {text:?}"
        ));
    }
    Ok(secs)
}

/// `--at`: `now`, an RFC 3339 time (`2026-04-09T12:54:22+05:30`) or the payloads' own
/// `2026-04-09 12:54:22`, read as IST like every stamp the platform sends.
pub fn at(text: &str) -> Result<i64, String> {
    if text.trim().eq_ignore_ascii_case("now") {
        return Ok(crate::timestamp::now());
    }
    crate::timestamp::parse(text)
        .map(|stamp| stamp.epoch)
        .ok_or_else(|| {
            format!(
                "expected now, an RFC 3339 time (2026-04-09T12:54:22+05:30) or \
                 2026-04-09 12:54:22 (IST), found {text:?}"
            )
        })
}

/// `--digit`: one DTMF key.
pub fn digit(text: &str) -> Result<char, String> {
    let mut chars = text.trim().chars();
    match (chars.next(), chars.next()) {
        (Some(c @ ('0'..='9' | '*' | '#')), None) => Ok(c),
        _ => Err(format!(
            "expected one DTMF key (0–9, * or #), found {text:?}"
        )),
    }
}

/// `--hangup-cause`: a `hangup_cause_key` (`USER_BUSY`) or its code (`17`).
pub fn hangup_cause(text: &str) -> Result<&'static HangupCause, String> {
    vocab::hangup_cause(text.trim()).ok_or_else(|| {
        let keys: Vec<&str> = vocab::HANGUP_CAUSES.iter().map(|c| c.key).collect();
        format!("expected one of {}, found {text:?}", keys.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_values_are_read_as_users_type_them() {
        assert_eq!(phone("9876543210").unwrap(), "9876543210");
        assert_eq!(phone("+91 98765 43210").unwrap(), "9876543210");
        assert_eq!(phone("919876543210").unwrap(), "9876543210");
        assert_eq!(phone("+14155550100").unwrap(), "+14155550100");
        assert_eq!(phone("22345678").unwrap(), "22345678");
        let err = phone("abc").unwrap_err();
        assert_eq!(
            err,
            "expected 6–15 digits with an optional +, found \"abc\""
        );
        assert!(phone("12345").is_err());
        assert_eq!(
            agent("Ravi Kumar:+919876500022").unwrap(),
            AgentSpec {
                name: "Ravi Kumar".into(),
                phone: Some("9876500022".into())
            }
        );
        assert_eq!(agent("Ravi Kumar").unwrap().phone, None);
        assert!(agent("Ravi:12ab").unwrap_err().contains("\"12ab\""));
        assert!(agent(":9876500022").is_err());
        assert_eq!(seconds("2m"), Ok(120));
        assert!(seconds("0").is_err());
        assert!(seconds("soon").is_err());
        assert_eq!(at("2026-04-09 12:54:22"), at("2026-04-09T12:54:22+05:30"));
        assert!(at("tomorrow").is_err());
        assert_eq!(digit("#"), Ok('#'));
        assert!(digit("12").is_err());
        assert_eq!(hangup_cause("17").unwrap().key, "USER_BUSY");
        assert!(hangup_cause("BUSY").unwrap_err().contains("USER_BUSY"));
    }
}
