//! The rules (docs/rules.md, each code; docs/wire.md, why), checked against the catalog. Real traffic wins over the docs: numbers
//! as strings, `""` for absent, unions and JSON text are what the platform sends, not defects.

use serde_json::{Map, Value};

use super::detect::{call_connected, is_connected, present};
use super::finding::{Code, Finding, pointer};
use crate::catalog::{CallType, Kind, Outcome, Required, Trigger, Var, vocab};
use crate::timestamp::{self, Dialect, Stamp};

/// Findings of `payload` checked as `trigger`.
pub fn check(payload: &Map<String, Value>, trigger: &'static Trigger) -> Vec<Finding> {
    let mut out = Vec::new();
    let dialer = is_dialer_call(payload);
    for var in trigger.required() {
        let absent = payload.get(var.key).is_none_or(|v| v == "");
        if absent && !(var.required == Required::UnlessDialer && dialer) {
            let found = if payload.contains_key(var.key) {
                "\"\""
            } else {
                "no such key"
            };
            out.push(Finding::new(
                Code::Missing,
                pointer("", var.key),
                format!(
                    "expected `{}` ({}), which {} always carries; found {found}",
                    var.key, var.description, trigger.id
                ),
            ));
        }
    }
    for (key, value) in payload {
        let at = Loc::root(key);
        match trigger.var_for_key(key) {
            Some(var) => check_value(var, key, &at, value, &mut out),
            None => out.push(unknown(trigger, key, &at.path())),
        }
    }
    check_times(payload, &mut out);
    check_conditions(payload, trigger, &mut out);
    super::inconsistent::check(payload, &mut out);
    out
}

fn unknown(trigger: &Trigger, key: &str, path: &str) -> Finding {
    let names = trigger.variables().map(|v| v.key);
    let bare = key.trim_start_matches('$');
    let hint = match crate::suggest::closest(bare, names) {
        Some(near) if key.starts_with('$') => format!("keys carry no `$`: did you mean `{near}`?"),
        Some(near) => format!("did you mean `{near}`?"),
        None => "`servetel schema TRIGGER` lists the variables".to_string(),
    };
    Finding::new(
        Code::Unknown,
        path,
        format!(
            "{} is neither a variable of {} nor an observed extra: {hint}",
            super::finding::quoted(key),
            trigger.id
        ),
    )
}

/// Where a value sits in the payload. The JSON pointer is only built when a finding needs it:
/// most values have none, and validation runs for every key of every payload.
#[derive(Clone, Copy)]
struct Loc<'a> {
    parent: Option<&'a Loc<'a>>,
    segment: Segment<'a>,
}

#[derive(Clone, Copy)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> Loc<'a> {
    fn root(key: &'a str) -> Loc<'a> {
        Loc {
            parent: None,
            segment: Segment::Key(key),
        }
    }

    fn child(&'a self, key: &'a str) -> Loc<'a> {
        Loc {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    fn index(&'a self, i: usize) -> Loc<'a> {
        Loc {
            parent: Some(self),
            segment: Segment::Index(i),
        }
    }

    fn path(&self) -> String {
        let parent = self.parent.map(Loc::path).unwrap_or_default();
        match self.segment {
            Segment::Key(key) => pointer(&parent, key),
            Segment::Index(i) => format!("{parent}/{i}"),
        }
    }
}

/// A short description of a value for messages.
pub fn found(value: &Value) -> String {
    match value {
        Value::String(s) if s.chars().count() > 40 => {
            format!("{:?}…", s.chars().take(40).collect::<String>())
        }
        Value::String(s) => format!("{s:?}"),
        Value::Object(_) => "an object".into(),
        Value::Array(_) => "an array".into(),
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}

/// `$campaign_name` sent literally: the variable's name.
pub(super) fn placeholder(s: &str) -> Option<&str> {
    let name = s.strip_prefix('$')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() || first == '_')
        .then_some(())
        .filter(|_| chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .map(|_| name)
}

/// Dialer/broadcast calls: a `Dialer (…)` direction, or lead fields.
fn is_dialer_call(payload: &Map<String, Value>) -> bool {
    let direction = payload
        .get("direction")
        .and_then(Value::as_str)
        .unwrap_or("");
    vocab::is_dialer_direction(direction)
        || payload
            .get("broadcast_lead_fields")
            .is_some_and(|v| v != "")
}

/// A nested value sent as text (JSON, or Go's `fmt.Sprint`), decoded; `None` when it is not.
pub(super) fn nested(key: &str, s: &str) -> Option<Value> {
    crate::decode::decode_nested_text(key, s)
}

fn check_value(var: &Var, key: &str, at: &Loc<'_>, value: &Value, out: &mut Vec<Finding>) {
    if value == "" {
        return; // absent
    }
    if let Value::String(s) = value {
        if let Some(name) = placeholder(s) {
            let message = if name == var.name || name == key {
                format!("`{s}` was sent literally: the platform left the placeholder unresolved")
            } else {
                format!(
                    "`{s}` was sent literally: an unresolved placeholder (the variable is `${}`)",
                    var.name
                )
            };
            out.push(Finding::new(Code::Unresolved, at.path(), message));
            return;
        }
        if s.starts_with('_') && key.trim_end().ends_with(s.as_str()) {
            out.push(Finding::new(Code::Residue, at.path(),
                format!("{s:?} is what the platform's prefix substitution leaves when a shorter variable is expanded inside `${}`", var.name),
            ));
            return;
        }
    }
    if value.is_null() {
        out.push(Finding::new(
            Code::Type,
            at.path(),
            "expected a value or \"\" for absent, found null (the platform never sends null)",
        ));
        return;
    }
    check_kind(var.kind, key, at, value, out);
}

fn type_error(at: &Loc<'_>, expected: &str, value: &Value) -> Finding {
    Finding::new(
        Code::Type,
        at.path(),
        format!("expected {expected}, found {}", found(value)),
    )
}

fn number_type(at: &Loc<'_>, value: &Value) -> Finding {
    // Written at its size: real traffic has a few of these in most payloads (numbers where the
    // platform sends strings), and `format!` would regrow the message twice for each.
    let number = value.to_string();
    let mut message = String::with_capacity(64 + 2 * number.len());
    message.push_str("expected a string (the platform sends \"");
    message.push_str(&number);
    message.push_str("\"), found the JSON number ");
    message.push_str(&number);
    Finding::new(Code::NumberType, at.path(), message)
}

fn format_error(at: &Loc<'_>, expected: &str, value: &Value) -> Finding {
    Finding::new(
        Code::Format,
        at.path(),
        format!("expected {expected}, found {}", found(value)),
    )
}

/// What an impossible date or time (30 February, hour 24) is told: its spelling is right.
const NO_SUCH_DATE: &str = "a date and time that exist (month 1-12, a day of that month, 29 February only in leap years, hour 0-23, minute and second 0-59)";

/// The expectation a stamp that does not parse is told: the dialects, or, when it is spelled
/// like one but names no real moment, that the date must exist.
fn stamp_expectation(s: &str) -> &'static str {
    if timestamp::is_impossible(s) {
        NO_SUCH_DATE
    } else {
        STAMP_FORMATS
    }
}

const STAMP_FORMATS: &str = "a time as YYYY-MM-DD HH:MM:SS (IST), M/D/YYYY, h:mm:ss AM, ISO 8601 with an offset or epoch seconds";
const AGENT_IN_NUMBER: &str = "an agent object where a number belongs: the platform expanded `$answered_agent` inside `$answered_agent_number`";
const AGENT_TEXT_IN_NUMBER: &str = "an agent object (as JSON text) where a number belongs: the platform expanded `$answered_agent` inside `$answered_agent_number`";
const PHONE: &str = "a phone number of 6 to 15 digits with an optional +";
const SECONDS: &str = "a non-negative whole number of seconds";
const DIGIT: &str = "one DTMF key: 0-9, * or #";

fn check_kind(kind: Kind, key: &str, at: &Loc<'_>, value: &Value, out: &mut Vec<Finding>) {
    // A nested value can arrive as JSON text, also inside a JSON body: check the structure.
    if kind.holds_structure() {
        if let Value::String(s) = value {
            let t = s.trim_start();
            if t.starts_with(['{', '[']) || t.starts_with("map[") {
                match nested(key, s) {
                    Some(inner) => check_kind(kind, key, at, &inner, out),
                    None => out.push(format_error(at, "JSON text of an object or array", value)),
                }
                return;
            }
        }
    }
    match (kind, value) {
        (Kind::Any, _) => {}
        (Kind::AgentNumber, Value::Object(_)) => {
            out.push(Finding::new(Code::Residue, at.path(), AGENT_IN_NUMBER))
        }
        (Kind::AgentNumber, Value::String(s)) if s.trim_start().starts_with('{') => {
            out.push(Finding::new(Code::Residue, at.path(), AGENT_TEXT_IN_NUMBER))
        }
        (_, Value::Bool(_)) if !matches!(kind, Kind::Any) => {
            out.push(type_error(at, "a string", value))
        }
        (
            Kind::Uuid
            | Kind::CallId
            | Kind::Id
            | Kind::Text
            | Kind::AgentNumber
            | Kind::Uuid4
            | Kind::Hex32,
            Value::Object(_) | Value::Array(_),
        ) => out.push(type_error(at, "a string", value)),
        (
            Kind::Uuid | Kind::CallId | Kind::Id | Kind::Text | Kind::AgentNumber,
            Value::Number(_),
        ) => out.push(number_type(at, value)),
        (Kind::Uuid4 | Kind::Hex32, Value::Number(_)) => {
            out.push(type_error(at, "a string", value))
        }
        (Kind::Hex32, Value::String(s))
            if !(s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())) =>
        {
            out.push(format_error(at, "32 hex digits", value))
        }
        (Kind::Phone, Value::String(s)) if !is_phone(s) => out.push(format_error(at, PHONE, value)),
        (Kind::Phone, Value::Number(n)) => {
            out.push(number_type(at, value));
            if !n.as_u64().is_some_and(|n| is_phone(&n.to_string())) {
                out.push(format_error(at, "a phone number of 6 to 15 digits", value));
            }
        }
        (Kind::Stamp, Value::String(s)) if timestamp::parse(s).is_none() => {
            out.push(format_error(at, stamp_expectation(s), value))
        }
        (Kind::Stamp, Value::Number(n)) => {
            out.push(number_type(at, value));
            if !n.as_i64().is_some_and(timestamp::is_epoch_secs) {
                out.push(format_error(at, STAMP_FORMATS, value));
            }
        }
        (Kind::Date, Value::String(s)) if timestamp::parse_date_time(s, "00:00:00").is_none() => {
            let shaped = timestamp::is_impossible(&format!("{s} 00:00:00"))
                || timestamp::is_impossible(&format!("{s}, 1:00:00 AM"));
            let expected = if shaped {
                NO_SUCH_DATE
            } else {
                "a date as YYYY-MM-DD or M/D/YYYY"
            };
            out.push(format_error(at, expected, value))
        }
        (Kind::Time, Value::String(s)) if timestamp::parse_date_time("2000-01-01", s).is_none() => {
            let shaped = timestamp::is_impossible(&format!("2000-01-01 {s:0>8}"));
            let expected = if shaped {
                NO_SUCH_DATE
            } else {
                "a time of day as HH:MM:SS"
            };
            out.push(format_error(at, expected, value))
        }
        (Kind::Seconds, Value::String(s)) if !is_whole(s) => {
            out.push(format_error(at, &format!("{SECONDS}, as a string"), value))
        }
        (Kind::Seconds, Value::Number(n)) => {
            out.push(number_type(at, value));
            if n.as_u64().is_none() {
                out.push(format_error(at, SECONDS, value));
            }
        }
        (Kind::Flag, Value::String(s)) if !matches!(s.trim(), "0" | "1") => {
            out.push(format_error(at, "\"1\" or \"0\"", value))
        }
        (Kind::Flag, Value::Number(n)) => {
            out.push(number_type(at, value));
            if !matches!(n.as_u64(), Some(0 | 1)) {
                out.push(format_error(at, "1 or 0", value));
            }
        }
        (Kind::Digit, Value::String(s)) if !is_digit_key(s) => {
            out.push(format_error(at, DIGIT, value))
        }
        (Kind::Digit, Value::Number(n)) => {
            out.push(number_type(at, value));
            if n.as_u64().is_none_or(|d| d > 9) {
                out.push(format_error(at, DIGIT, value));
            }
        }
        (Kind::Direction, Value::String(s)) if vocab::direction_call_type(s).is_none() => {
            let known: Vec<&str> = vocab::DIRECTIONS.iter().map(|(d, _)| *d).collect();
            out.push(Finding::new(
                Code::Enum,
                at.path(),
                format!(
                    "expected one of {}, found {}",
                    known.join(", "),
                    found(value)
                ),
            ));
        }
        (Kind::Url, Value::String(s)) if !is_http_url(s) => {
            out.push(format_error(at, "an http(s) URL", value))
        }
        (
            Kind::Phone
            | Kind::Stamp
            | Kind::Date
            | Kind::Time
            | Kind::Seconds
            | Kind::Flag
            | Kind::Digit
            | Kind::Direction
            | Kind::Url,
            Value::Object(_) | Value::Array(_),
        ) => out.push(type_error(at, scalar_name(kind), value)),
        (Kind::Date | Kind::Time | Kind::Direction | Kind::Url, Value::Number(_)) => {
            out.push(type_error(at, scalar_name(kind), value))
        }
        (Kind::Agents, Value::Object(agent)) => check_agent(agent, at, out),
        (Kind::Agents, Value::Array(agents)) => each_object(
            agents,
            at,
            "an agent object {id, name, number}",
            out,
            check_agent,
        ),
        (Kind::Agents, _) => out.push(type_error(
            at,
            "an agent object, an array of them, or \"\"",
            value,
        )),
        (Kind::CallFlow, Value::Array(steps)) => {
            each_object(steps, at, "a call-flow step object", out, check_step)
        }
        (Kind::CallFlow, _) => out.push(type_error(at, "an array of call-flow steps", value)),
        (Kind::Record(_), Value::Object(_)) => {}
        (Kind::Record(shape), _) => out.push(type_error(at, &format!("a {shape} object"), value)),
        (Kind::RecordList(_), Value::Array(items)) => {
            each_object(items, at, "an object", out, |_, _, _| {})
        }
        (Kind::RecordList(shape), _) => out.push(type_error(
            at,
            &format!("an array of {shape} objects"),
            value,
        )),
        (Kind::Digits | Kind::TextList, Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                if item.is_object() || item.is_array() {
                    out.push(type_error(&at.index(i), "a string", item));
                }
            }
        }
        (Kind::Digits | Kind::TextList, Value::Object(_)) => {
            out.push(type_error(at, "an array of strings", value))
        }
        _ => {}
    }
}

/// What a scalar kind is, for "expected …" messages.
fn scalar_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Phone => "a phone number (a string)",
        Kind::Stamp => "a time stamp (a string)",
        Kind::Date => "a date (a string)",
        Kind::Time => "a time of day (a string)",
        Kind::Seconds => "a number of seconds (a string)",
        Kind::Flag => "\"1\" or \"0\"",
        Kind::Digit => "a DTMF key (a string)",
        Kind::Direction => "a direction (a string)",
        Kind::Url => "a URL (a string)",
        _ => "a string",
    }
}

/// Every item of an array that must hold objects: each object checked by `check`, anything
/// else a `type` error naming `what`.
fn each_object(
    items: &[Value],
    at: &Loc<'_>,
    what: &str,
    out: &mut Vec<Finding>,
    check: fn(&Map<String, Value>, &Loc<'_>, &mut Vec<Finding>),
) {
    for (i, item) in items.iter().enumerate() {
        let p = at.index(i);
        match item {
            Value::Object(object) => check(object, &p, out),
            other => out.push(type_error(&p, what, other)),
        }
    }
}

fn check_agent(agent: &Map<String, Value>, at: &Loc<'_>, out: &mut Vec<Finding>) {
    for (key, value) in agent {
        if value.is_object() || value.is_array() {
            out.push(type_error(&at.child(key), "a string", value));
        }
    }
}

fn check_step(step: &Map<String, Value>, at: &Loc<'_>, out: &mut Vec<Finding>) {
    if let Some(time) = step.get("time") {
        let ok = match time {
            Value::String(s) => {
                s.is_empty() || s.trim().parse::<f64>().is_ok() || placeholder(s).is_some()
            }
            Value::Number(_) => true,
            _ => false,
        };
        if !ok {
            out.push(format_error(
                &at.child("time"),
                "epoch seconds (a string, an integer or a float)",
                time,
            ));
        }
    }
}

fn is_phone(s: &str) -> bool {
    let digits = s.strip_prefix('+').unwrap_or(s);
    (6..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

fn is_whole(s: &str) -> bool {
    !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_digit_key(s: &str) -> bool {
    matches!(s.as_bytes(), [b'0'..=b'9' | b'*' | b'#'])
}

fn is_http_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &s[8..]
    } else if lower.starts_with("http://") {
        &s[7..]
    } else {
        return false;
    };
    !rest.is_empty() && !rest.starts_with('/') && !s.contains(char::is_whitespace)
}

/// A stamp-like field, parsed; `None` when absent or unparsable (reported elsewhere).
fn stamp(payload: &Map<String, Value>, key: &str) -> Option<Stamp> {
    match payload.get(key)? {
        Value::String(s) if placeholder(s).is_some() => None,
        value => timestamp::stamp_of(value),
    }
}

pub(super) fn seconds(payload: &Map<String, Value>, key: &str) -> Option<i64> {
    match payload.get(key)? {
        Value::String(s) if is_whole(s) => s.parse().ok(),
        Value::Number(n) => n.as_i64(),
        _ => None,
    }
}

/// Time order and arithmetic, on parsed instants (never strings).
fn check_times(payload: &Map<String, Value>, out: &mut Vec<Finding>) {
    let start = stamp(payload, "start_stamp").or_else(|| {
        let text = |k: &str| payload.get(k).and_then(Value::as_str).unwrap_or("");
        timestamp::parse_date_time(text("start_date"), text("start_time"))
    });
    let (answer, end) = (stamp(payload, "answer_stamp"), stamp(payload, "end_stamp"));
    let show = |key: &str| found(payload.get(key).unwrap_or(&Value::Null));
    // Each stamp at or after the last one set before it: start <= answer <= end, or start <= end
    // on a call without an answer stamp.
    let order = [
        ("start_stamp", start),
        ("answer_stamp", answer),
        ("end_stamp", end),
    ];
    let mut previous: Option<(&str, Stamp)> = None;
    for (key, stamp) in order {
        let Some(stamp) = stamp else { continue };
        if let Some((before, earlier)) = previous {
            if earlier.epoch > stamp.epoch {
                out.push(Finding::new(
                    Code::Order,
                    format!("/{key}"),
                    format!(
                        "expected {key} at or after {before} {}, found {}",
                        show(before),
                        show(key)
                    ),
                ));
            }
        }
        previous = Some((key, stamp));
    }
    let duration = seconds(payload, "duration");
    if let (Some(billsec), Some(duration)) = (seconds(payload, "billsec"), duration) {
        if billsec > duration {
            out.push(Finding::new(
                Code::Arith,
                "/billsec",
                format!(
                    "expected billsec (talk time) at most duration {duration}, found {billsec}"
                ),
            ));
        }
    }
    // Held on `YYYY-MM-DD HH:MM:SS` and ISO stamps, mixed too: both parse to instants, so `Z`,
    // `+05:30` and offset-less IST compare right. Dialer-dialect calls are not held to it (their
    // clock differs), nor epoch stamps (docs/wire.md, "Timestamps"; docs/rules.md, `arith`).
    let held = |d: Dialect| matches!(d, Dialect::Servetel | Dialect::Iso);
    if let (Some(s), Some(e), Some(duration)) = (start, end, duration) {
        if held(s.dialect) && held(e.dialect) {
            let span = e.epoch - s.epoch;
            if (duration - span).abs() > 2 {
                out.push(Finding::new(
                    Code::Arith,
                    "/duration",
                    format!("expected duration to equal end_stamp - start_stamp = {span} s (within 2 s), found {duration}"),
                ));
            }
        }
    }
}

/// The docs' presence rules and the trigger's meaning.
fn check_conditions(payload: &Map<String, Value>, trigger: &Trigger, out: &mut Vec<Finding>) {
    let flag = call_connected(payload);
    let has_agent = present(payload, "answered_agent");
    if flag == Some(false) && has_agent {
        out.push(Finding::new(
            Code::Condition,
            "/answered_agent",
            "expected no answered_agent on a call with call_connected 0, found an agent",
        ));
    }
    if trigger.is_hangup_family() {
        let connected = is_connected(payload);
        match trigger.outcome {
            Outcome::Missed if connected => out.push(Finding::new(
                Code::Condition,
                if flag == Some(true) { "/call_connected" } else { "/answered_agent" },
                "expected a missed call (call_connected 0, no answered_agent), found a connected one: this is a `hangup`",
            )),
            Outcome::Answered if !connected && (flag.is_some() || payload.contains_key("answered_agent")) => {
                out.push(Finding::new(
                    Code::Condition,
                    if flag.is_some() { "/call_connected" } else { "/answered_agent" },
                    "expected an answered call (call_connected 1 or an answered_agent), found neither: this is a `missed` call",
                ))
            }
            _ => {}
        }
    }
    if let Some(direction) = payload.get("direction").and_then(Value::as_str) {
        if let Some(call_type) = vocab::direction_call_type(direction) {
            if !trigger.allows(call_type) {
                let other = match call_type {
                    CallType::Inbound => "outbound",
                    CallType::Outbound => "inbound",
                };
                out.push(Finding::new(
                    Code::Condition,
                    "/direction",
                    format!("expected an {other} call ({} has no {} calls), found direction {direction:?}", trigger.id, call_type.name()),
                ));
            }
        }
    }
}
