//! What a call's deliveries went through (README, "Calls, not requests"): each diagnostic a code
//! and one line with the numbers. Which triggers a call sends, in which order and with which stamp,
//! is the catalog's ([`crate::catalog::lifecycle`]); this file only compares a call's events with
//! it.

use crate::calls::{Call, Event};
use crate::catalog::lifecycle::{self, Phase};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// The same trigger delivered again (a re-sent callback).
    Duplicate,
    /// Arrived in an order the lifecycle or the events' own stamps contradict.
    Order,
    /// Live events, no hangup-family event, and the capture went on long enough for one.
    Incomplete,
    /// Arrived more than [`lifecycle::LATE_AFTER_SECS`] after its own stamp.
    Late,
    /// The events disagree on what cannot change within a call.
    Split,
    /// An event with errors.
    Invalid,
}

impl Code {
    pub fn name(self) -> &'static str {
        match self {
            Code::Duplicate => "duplicate",
            Code::Order => "order",
            Code::Incomplete => "incomplete",
            Code::Late => "late",
            Code::Split => "split",
            Code::Invalid => "invalid",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    /// One line: what happened, with how far apart and which stamps.
    pub message: String,
}

fn diag(code: Code, message: String) -> Diagnostic {
    Diagnostic { code, message }
}

/// `0.4 s`, `45.3 s`, `4m 05s`, `3h 00m`.
pub fn span(ms: i64) -> String {
    let ms = ms.abs();
    match ms {
        0..60_000 => format!("{:.1} s", ms as f64 / 1000.0),
        60_000..3_600_000 => format!("{}m {:02}s", ms / 60_000, ms / 1000 % 60),
        _ => format!("{}h {:02}m", ms / 3_600_000, ms / 60_000 % 60),
    }
}

/// `hangup (seq 5)`.
fn name(e: &Event) -> String {
    format!("{} ({})", e.trigger_name(), e.label())
}

/// For each event, the earlier event it repeats, if it is a re-sent callback: the same trigger
/// again, or, for a trigger a call can send several times, the same payload again.
pub fn duplicates(events: &[Event]) -> Vec<Option<usize>> {
    events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let trigger = e.trigger?.which;
            let repeats = e.step().is_some_and(|s| s.repeats);
            events[..i].iter().position(|earlier| {
                earlier.trigger.map(|t| t.which) == Some(trigger)
                    && (!repeats || earlier.fingerprint == e.fingerprint)
            })
        })
        .collect()
}

/// Every diagnostic of a closed call; `clock` is the capture time (epoch ms) at its closing.
pub fn diagnose(call: &Call, clock: Option<i64>) -> Vec<Diagnostic> {
    let events = &call.events;
    let dups = duplicates(events);
    let mut out = Vec::new();
    for (e, first) in events.iter().zip(&dups) {
        if let Some(first) = first {
            let earlier = &events[*first];
            let apart = match (earlier.arrival_ms, e.arrival_ms) {
                (Some(a), Some(b)) => {
                    format!(", {} after the first ({})", span(b - a), earlier.label())
                }
                _ => format!(", after {}", earlier.label()),
            };
            out.push(diag(
                Code::Duplicate,
                format!(
                    "{} delivered again{apart}: a re-sent callback (dedupe on call_id)",
                    name(e)
                ),
            ));
        }
    }
    out.extend(order(events, &dups));
    out.extend(incomplete(call, clock));
    out.extend(late(events));
    out.extend(split(events));
    for e in events.iter().filter(|e| e.errors > 0) {
        out.push(diag(
            Code::Invalid,
            format!(
                "{} has {} error{}: {}",
                name(e),
                e.errors,
                if e.errors == 1 { "" } else { "s" },
                e.first_error
                    .as_deref()
                    .unwrap_or("see `servetel validate`")
            ),
        ));
    }
    out
}

/// Events (re-sent ones aside) that arrived after one that comes later in a call: by the
/// lifecycle's phases, else by the exact stamps of both.
fn order(events: &[Event], dups: &[Option<usize>]) -> Vec<Diagnostic> {
    let phase = |e: &Event| e.step().map(|s| s.phase);
    let firsts: Vec<&Event> = events
        .iter()
        .zip(dups)
        .filter(|(_, d)| d.is_none())
        .map(|(e, _)| e)
        .collect();
    let mut out = Vec::new();
    for (i, e) in firsts.iter().enumerate() {
        let earlier = &firsts[..i];
        if let Some(p) = phase(e) {
            if let Some(before) = earlier
                .iter()
                .find(|b| phase(b).is_some_and(|q: Phase| q > p))
            {
                out.push(diag(
                    Code::Order,
                    format!(
                        "{} arrived after {}, but a call's {} comes before its {}",
                        name(e),
                        name(before),
                        p.name(),
                        phase(before).map_or("", Phase::name)
                    ),
                ));
                continue;
            }
        }
        let Some(stamp) = e.stamp.as_ref().filter(|s| s.exact) else {
            continue;
        };
        if let Some((before, theirs)) = earlier.iter().find_map(|b| {
            let s = b
                .stamp
                .as_ref()
                .filter(|s| s.exact && s.epoch > stamp.epoch)?;
            Some((b, s))
        }) {
            out.push(diag(
                Code::Order,
                format!(
                    "{} arrived after {}, but its {} {} is {} earlier than that one's {} {}",
                    name(e),
                    name(before),
                    stamp.field,
                    stamp.text,
                    span((theirs.epoch - stamp.epoch) * 1000),
                    theirs.field,
                    theirs.text
                ),
            ));
        }
    }
    out
}

fn incomplete(call: &Call, clock: Option<i64>) -> Option<Diagnostic> {
    if call.events.iter().any(Event::is_hangup_family) {
        return None;
    }
    let last = call.events.iter().rev().find(|e| e.trigger.is_some())?;
    let went_on = clock? - call.last_clock?;
    let due = lifecycle::HANGUP_DUE_SECS * 1000;
    (went_on > due).then(|| {
        diag(
            Code::Incomplete,
            format!(
                "no hangup-family event: the last event is {}, and the capture went on {} past it (a hangup is due within {})",
                name(last),
                span(went_on),
                span(due)
            ),
        )
    })
}

fn late(events: &[Event]) -> Vec<Diagnostic> {
    let limit = lifecycle::LATE_AFTER_SECS * 1000;
    events
        .iter()
        .filter_map(|e| {
            let stamp = e.stamp.as_ref().filter(|s| s.exact)?;
            let after = e.arrival_ms? - stamp.epoch * 1000;
            (after > limit).then(|| {
                diag(
                    Code::Late,
                    format!(
                        "{} arrived {} after its {} {} (Servetel gives up on a callback after {} s)",
                        name(e),
                        span(after),
                        stamp.field,
                        stamp.text,
                        lifecycle::LATE_AFTER_SECS
                    ),
                )
            })
        })
        .collect()
}

/// Reads one value an event carries (borrowed where the event holds it as text: this runs for
/// every event of a call each time listen draws it).
type Reads = for<'e> fn(&'e Event) -> Option<std::borrow::Cow<'e, str>>;

/// One diagnostic per value that cannot change within a call and does.
fn split(events: &[Event]) -> Vec<Diagnostic> {
    use std::borrow::Cow;
    fn direction(e: &Event) -> Option<Cow<'_, str>> {
        // `clicktocall` and `click_to_call` are one call type, sent on one call.
        e.direction.as_ref().map(|d| {
            crate::catalog::vocab::direction_call_type(d)
                .map_or_else(|| Cow::Owned(d.to_lowercase()), |t| Cow::Borrowed(t.name()))
        })
    }
    fn stamp(e: &Event) -> Option<Cow<'_, str>> {
        e.start_epoch
            .map(|t| Cow::Owned(crate::timestamp::format_ist(t)))
    }
    let fields: [(&str, Reads); 4] = [
        ("call_id", |e| e.call_id.as_deref().map(Cow::Borrowed)),
        ("uuid", |e| e.uuid.as_deref().map(Cow::Borrowed)),
        ("start_stamp", stamp),
        ("direction", direction),
    ];
    let mut out = Vec::new();
    for (field, value) in &fields {
        // One stamp on every event (the usual case) is not written out once per event.
        if *field == "start_stamp"
            && events
                .windows(2)
                .all(|w| w[0].start_epoch == w[1].start_epoch)
        {
            continue;
        }
        // Each distinct value, in order of first appearance: how many events, the first.
        let mut seen: Vec<(Cow<'_, str>, usize, &Event)> = Vec::new();
        for e in events {
            let Some(v) = value(e) else { continue };
            match seen.iter_mut().find(|(s, _, _)| *s == v) {
                Some(entry) => entry.1 += 1,
                None => seen.push((v, 1, e)),
            }
        }
        if seen.len() > 1 {
            let parts: Vec<String> = seen
                .iter()
                .map(|(v, n, first)| {
                    format!(
                        "{v:?} on {n} event{} from {}",
                        if *n == 1 { "" } else { "s" },
                        name(first)
                    )
                })
                .collect();
            out.push(diag(
                Code::Split,
                format!(
                    "the events disagree on {field}, which cannot change within a call: {}",
                    parts.join(", ")
                ),
            ));
        }
    }
    out
}
