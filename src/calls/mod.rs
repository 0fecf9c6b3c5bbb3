//! Captured callbacks as calls (README, "Calls, not requests"): capture records and bare payloads
//! grouped by `call_id`, else `uuid`, in one pass over the input. What a call's events say about
//! how they were delivered is [`diagnose`]'s.
//!
//! Memory grows with the calls still open, not with the input. A call closes (is handed back by
//! [`Grouper::push`], diagnosed) when
//! - its hangup-family event is in and the input has moved on: at least [`LINGER_RECORDS`]
//!   records later *and* [`LINGER_MS`] of capture time later (re-sent callbacks come within
//!   seconds, docs/wire.md "The webhook a tenant configures"; a busy capture passes 1,000
//!   records in well under a minute), or
//! - it has no hangup and the capture went on [`lifecycle::HANGUP_DUE_SECS`] past its last
//!   event (checked every [`SWEEP_MS`] of capture time): its hangup is lost, not late, or
//! - the input ends ([`Grouper::finish`]), in the order the calls began.
//!
//! "Capture time" is the latest arrival (`received_at`) seen; for bare payloads, which have no
//! arrival, the events' own stamps stand in. An event for a call that was already closed starts
//! a new call: a callback re-sent after the call closed shows as a call of its own.
//!
//! An event is joined to an open call by its `call_id`, else its `uuid`, so a hangup that comes
//! with another `call_id` but the call's `uuid` lands in the call it belongs to, and `split`
//! says so. An input item that is no payload, or has neither id, is a call of one event.

pub mod diagnose;

use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};

use serde_json::{Map, Value};

use crate::catalog::{Trigger, find_trigger, lifecycle};
use crate::input::{Content, Item};
pub use diagnose::{Code, Diagnostic};

/// Records that must follow a hangup before its call closes.
pub const LINGER_RECORDS: u64 = 1000;
/// Capture time that must pass after a hangup before its call closes.
pub const LINGER_MS: i64 = 60_000;
/// How often (in capture time) open calls without a hangup are checked for a lost one: "lost" is
/// a matter of time, and a check costs one look at each open call.
pub const SWEEP_MS: i64 = 60_000;

/// When an event happened, by its own variable (see [`lifecycle::EventStamp`]).
#[derive(Clone, Debug)]
pub struct Stamped {
    pub field: &'static str,
    /// As sent: `2026-04-09 12:54:22`.
    pub text: String,
    pub epoch: i64,
    /// The moment of the event itself, not an earlier one.
    pub exact: bool,
}

/// One delivered callback, reduced to what grouping, diagnostics and rendering read.
#[derive(Clone, Debug)]
pub struct Event {
    /// Where it was read: `c.ndjson:12`.
    pub place: String,
    /// listen's `seq`, for capture records.
    pub seq: Option<u64>,
    /// listen's `received_at`, as recorded.
    pub received_at: Option<String>,
    /// `received_at` in epoch milliseconds.
    pub arrival_ms: Option<i64>,
    /// The trigger it was checked as: recorded by listen, else detected.
    pub trigger: Option<&'static Trigger>,
    pub stamp: Option<Stamped>,
    pub errors: usize,
    pub warnings: usize,
    /// The first error, as `code /path: message`.
    pub first_error: Option<String>,
    pub call_id: Option<String>,
    pub uuid: Option<String>,
    /// `start_stamp`, parsed: the same on every event of a call.
    pub start_epoch: Option<i64>,
    pub direction: Option<String>,
    /// A hash of the payload: the same callback sent again hashes the same.
    pub fingerprint: u64,
}

impl Event {
    /// How messages name it: `seq 5`, else where it was read.
    pub fn label(&self) -> String {
        match self.seq {
            Some(seq) => format!("seq {seq}"),
            None => self.place.clone(),
        }
    }

    pub fn trigger_name(&self) -> &'static str {
        self.trigger.map_or("unknown trigger", |t| t.id)
    }

    /// Its place in a call's life, when its trigger is known.
    pub fn step(&self) -> Option<&'static lifecycle::Step> {
        lifecycle::step(self.trigger?.which)
    }

    pub fn is_hangup_family(&self) -> bool {
        self.trigger.is_some_and(|t| t.is_hangup_family())
    }

    /// Capture time at this event: its arrival, else its own stamp.
    fn clock(&self) -> Option<i64> {
        self.arrival_ms
            .or_else(|| self.stamp.as_ref().map(|s| s.epoch * 1000))
    }

    /// An input item (capture record or bare payload) as an event, with its payload.
    pub fn from_item(item: Item) -> (Event, Option<Map<String, Value>>) {
        let place = item.origin.place();
        let value = match item.content {
            Content::JsonText(text) => crate::decode::parse_json(&text).map_err(|e| e.to_string()),
            Content::Value(value) => Ok(value),
            other => {
                let decoded = Item {
                    origin: item.origin,
                    content: other,
                }
                .decode();
                return Event::from_payload(place, None, decoded.payload, decoded.recorded_trigger);
            }
        };
        match value {
            Ok(Value::Object(map)) if crate::input::is_capture_record(&map) => {
                let received_at = map
                    .get("received_at")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                match crate::input::read_record(map) {
                    Ok(record) => {
                        let mut made =
                            Event::from_payload(place, received_at, record.payload, record.trigger);
                        made.0.seq = record.request.seq;
                        made
                    }
                    Err(e) => Event::from_payload(place, received_at, Err(e), None),
                }
            }
            Ok(value) => {
                let decoded = Item {
                    origin: item.origin,
                    content: Content::Value(value),
                }
                .decode();
                Event::from_payload(place, None, decoded.payload, decoded.recorded_trigger)
            }
            Err(e) => Event::from_payload(place, None, Err(e), None),
        }
    }

    /// A decoded payload (or why there is none) as an event: validated, its stamps read.
    pub fn from_payload(
        place: String,
        received_at: Option<String>,
        payload: Result<Map<String, Value>, String>,
        recorded: Option<&'static Trigger>,
    ) -> (Event, Option<Map<String, Value>>) {
        let verdict = match &payload {
            Ok(p) => crate::validate::validate(p, recorded),
            Err(e) => crate::validate::parse_failure(e.clone()),
        };
        let fingerprint = {
            let mut h = std::hash::DefaultHasher::new();
            match &payload {
                Ok(p) => serde_json::to_string(p).unwrap_or_default().hash(&mut h),
                Err(_) => place.hash(&mut h),
            }
            h.finish()
        };
        let event = Event::judged(
            place,
            received_at,
            payload.as_ref().ok(),
            &verdict,
            fingerprint,
        );
        (event, payload.ok())
    }

    /// A payload already judged (listen has its verdict) as an event. `fingerprint` is the same
    /// for the same callback sent again (a hash of its payload, or of its body).
    pub fn judged(
        place: String,
        received_at: Option<String>,
        p: Option<&Map<String, Value>>,
        verdict: &crate::validate::Verdict,
        fingerprint: u64,
    ) -> Event {
        let first_error = verdict
            .findings
            .iter()
            .find(|f| f.severity == crate::validate::Severity::Error)
            .map(|f| match f.path.as_str() {
                "" => format!("{} {}", f.code.name(), f.message),
                path => format!("{} {path}: {}", f.code.name(), f.message),
            });
        let text = |k: &str| {
            p.and_then(|p| match p.get(k)? {
                Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
        };
        let trigger = verdict.trigger.and_then(find_trigger);
        let stamp = trigger
            .and_then(|t| lifecycle::step(t.which))
            .and_then(|step| {
                let value = p?.get(step.stamp.field())?;
                Some(Stamped {
                    field: step.stamp.field(),
                    text: value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_string),
                    epoch: crate::timestamp::stamp_of(value)?.epoch,
                    exact: step.stamp.is_exact(),
                })
            });
        Event {
            arrival_ms: received_at.as_deref().and_then(arrival_ms),
            received_at,
            seq: None,
            trigger,
            stamp,
            errors: verdict.errors(),
            warnings: verdict.warnings(),
            first_error,
            call_id: text("call_id"),
            uuid: text("uuid"),
            start_epoch: p
                .and_then(|p| p.get("start_stamp"))
                .and_then(crate::timestamp::stamp_of)
                .map(|s| s.epoch),
            direction: text("direction"),
            fingerprint,
            place,
        }
    }
}

/// `2026-04-09T07:24:22.123+00:00` in epoch milliseconds (the parser keeps whole seconds).
pub fn arrival_ms(received_at: &str) -> Option<i64> {
    let secs = crate::timestamp::parse(received_at)?.epoch;
    let millis = received_at
        .split_once('.')
        .map(|(_, frac)| {
            let digits: String = frac
                .chars()
                .take_while(char::is_ascii_digit)
                .chain("000".chars())
                .take(3)
                .collect();
            digits.parse::<i64>().unwrap_or(0)
        })
        .unwrap_or(0);
    Some(secs * 1000 + millis)
}

/// One call: its events in arrival order, its header line, and (once closed) what its deliveries
/// went through.
#[derive(Clone, Debug)]
pub struct Call {
    /// The first `call_id` (else `uuid`) its events carried.
    pub call_id: Option<String>,
    pub uuid: Option<String>,
    pub events: Vec<Event>,
    /// The call in one line, as the caller drew it from the hangup-family event's payload (the
    /// call as a whole), else from the latest event's (`render::call_summary::summary`). A line,
    /// not the payload: an open call holds a few hundred bytes, not a decoded payload.
    pub summary: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// The ids registered for it while open (more than one when its events disagree).
    keys: Vec<(IdKind, String)>,
    /// Record number and capture time of its first hangup-family event.
    ended_at: Option<(u64, Option<i64>)>,
    last_clock: Option<i64>,
}

impl Call {
    /// Whether `id` is this call's `call_id` or `uuid` (any of them, for a split call).
    pub fn is_named(&self, id: &str) -> bool {
        self.events
            .iter()
            .any(|e| e.call_id.as_deref() == Some(id) || e.uuid.as_deref() == Some(id))
    }

    /// Whether an event of the call happened at or after `since` (epoch seconds): when it
    /// arrived, for capture records; by its own stamp, for bare payloads, which have no arrival.
    pub fn active_since(&self, since: i64) -> bool {
        self.events.iter().any(|e| {
            e.clock()
                .map(|ms| ms.div_euclid(1000))
                .or(e.start_epoch)
                .is_some_and(|at| at >= since)
        })
    }

    pub fn has_hangup(&self) -> bool {
        self.ended_at.is_some()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum IdKind {
    CallId,
    Uuid,
}

/// Groups a stream of events into calls; see the module doc for when a call closes.
#[derive(Default)]
pub struct Grouper {
    open: HashMap<u64, Call>,
    ids: HashMap<(IdKind, String), u64>,
    /// Calls whose hangup is in, in the order it came.
    ended: VecDeque<u64>,
    next: u64,
    records: u64,
    clock: Option<i64>,
    /// Capture time of the last sweep for lost hangups.
    swept: Option<i64>,
}

impl Grouper {
    pub fn new() -> Grouper {
        Grouper::default()
    }

    /// How many calls are open (what memory grows with).
    pub fn open_calls(&self) -> usize {
        self.open.len()
    }

    /// Adds one event and the call summary line of its payload; returns the calls that closed,
    /// diagnosed.
    pub fn push(&mut self, event: Event, summary: Option<String>) -> Vec<Call> {
        self.records += 1;
        if let Some(c) = event.clock() {
            self.clock = Some(self.clock.map_or(c, |now| now.max(c)));
        }
        let wanted = [
            event.call_id.clone().map(|v| (IdKind::CallId, v)),
            event.uuid.clone().map(|v| (IdKind::Uuid, v)),
        ];
        let mut closed = Vec::new();
        if wanted.iter().all(Option::is_none) {
            let mut call = self.new_call(event, summary);
            call.diagnostics = diagnose::diagnose(&call, self.clock);
            closed.push(call);
        } else {
            let found = wanted
                .iter()
                .flatten()
                .find_map(|k| self.ids.get(k))
                .copied();
            let id = match found {
                Some(id) => id,
                None => {
                    let id = self.next;
                    self.next += 1;
                    id
                }
            };
            let hangup = event.is_hangup_family();
            let clock = event.clock();
            let records = self.records;
            let call = self.open.entry(id).or_insert_with(|| Call {
                call_id: event.call_id.clone(),
                uuid: event.uuid.clone(),
                events: Vec::new(),
                summary: None,
                diagnostics: Vec::new(),
                keys: Vec::new(),
                ended_at: None,
                last_clock: None,
            });
            // An id already taken by another open call stays with it: `split` tells.
            for key in wanted.into_iter().flatten() {
                if let std::collections::hash_map::Entry::Vacant(slot) = self.ids.entry(key) {
                    call.keys.push(slot.key().clone());
                    slot.insert(id);
                }
            }
            if clock.is_some() {
                call.last_clock = clock;
            }
            if hangup || !call.has_hangup() {
                if let Some(line) = summary {
                    call.summary = Some(line);
                }
            }
            call.events.push(event);
            if hangup && call.ended_at.is_none() {
                call.ended_at = Some((records, clock));
                self.ended.push_back(id);
            }
        }
        self.close_ended(&mut closed);
        if let Some(now) = self.clock {
            if self.swept.is_none_or(|then| now - then >= SWEEP_MS) {
                self.swept = Some(now);
                self.sweep(&mut closed);
            }
        }
        closed
    }

    /// The open call `event` (just pushed) belongs to, diagnosed as it stands: what `listen`
    /// prints when a call's hangup arrives (the call as a whole), without closing it, so that a
    /// re-sent callback still joins it.
    pub fn current(&self, event: &Event) -> Option<(&Call, Vec<diagnose::Diagnostic>)> {
        let call = self.open.get(&self.id_of(event)?)?;
        Some((call, diagnose::diagnose(call, self.clock)))
    }

    /// How many events the open call of `event` holds (0: none open).
    pub fn events_of(&self, event: &Event) -> usize {
        self.id_of(event)
            .and_then(|id| self.open.get(&id))
            .map_or(0, |c| c.events.len())
    }

    /// Lets the open call of `event` go (a listener's call that grew past what is worth keeping:
    /// the same callback sent over and over, as a load test does).
    pub fn forget(&mut self, event: &Event) {
        if let Some(id) = self.id_of(event) {
            self.close(id);
        }
    }

    fn id_of(&self, event: &Event) -> Option<u64> {
        [
            event.call_id.clone().map(|v| (IdKind::CallId, v)),
            event.uuid.clone().map(|v| (IdKind::Uuid, v)),
        ]
        .into_iter()
        .flatten()
        .find_map(|k| self.ids.get(&k).copied())
    }

    /// Closes calls until at most `limit` are open, those whose hangup is in first (in the order
    /// it came), then the oldest: for a listener that runs for days, memory stays bounded
    /// whatever the traffic. The closed calls are dropped (listen has printed them already).
    pub fn shed(&mut self, limit: usize) {
        while self.open.len() > limit {
            let id = match self.ended.pop_front() {
                Some(id) => id,
                None => match self.open.keys().min() {
                    Some(&id) => id,
                    None => return,
                },
            };
            self.close(id);
        }
    }

    /// The input is over: every open call closes, in the order the calls began.
    pub fn finish(mut self) -> Vec<Call> {
        let mut ids: Vec<u64> = self.open.keys().copied().collect();
        ids.sort_unstable();
        ids.into_iter().filter_map(|id| self.close(id)).collect()
    }

    fn new_call(&mut self, event: Event, summary: Option<String>) -> Call {
        Call {
            call_id: event.call_id.clone(),
            uuid: event.uuid.clone(),
            ended_at: event
                .is_hangup_family()
                .then_some((self.records, event.clock())),
            last_clock: event.clock(),
            events: vec![event],
            summary,
            diagnostics: Vec::new(),
            keys: Vec::new(),
        }
    }

    fn close_ended(&mut self, closed: &mut Vec<Call>) {
        while let Some(&id) = self.ended.front() {
            let Some((at, clock)) = self.open.get(&id).and_then(|c| c.ended_at) else {
                self.ended.pop_front(); // closed already (by the sweep)
                continue;
            };
            let records_on = self.records - at >= LINGER_RECORDS;
            let time_on = match (clock, self.clock) {
                (Some(then), Some(now)) => now - then >= LINGER_MS,
                _ => true,
            };
            if !(records_on && time_on) {
                break;
            }
            self.ended.pop_front();
            closed.extend(self.close(id));
        }
    }

    /// Closes the calls without a hangup whose hangup is long overdue.
    fn sweep(&mut self, closed: &mut Vec<Call>) {
        let Some(now) = self.clock else { return };
        let due = lifecycle::HANGUP_DUE_SECS * 1000;
        let mut lost: Vec<u64> = self
            .open
            .iter()
            .filter(|(_, c)| !c.has_hangup() && c.last_clock.is_some_and(|t| now - t > due))
            .map(|(id, _)| *id)
            .collect();
        lost.sort_unstable();
        closed.extend(lost.into_iter().filter_map(|id| self.close(id)));
    }

    fn close(&mut self, id: u64) -> Option<Call> {
        let mut call = self.open.remove(&id)?;
        for key in call.keys.drain(..) {
            if self.ids.get(&key) == Some(&id) {
                self.ids.remove(&key);
            }
        }
        call.diagnostics = diagnose::diagnose(&call, self.clock);
        Some(call)
    }
}
