//! What `fire` sends (docs/architecture.md): realistic calls from the synthesis engine, one event each or a
//! whole scenario, edited with `--set`, rendered through a webhook's template when one is given,
//! and encoded the way the portal sends them (POST JSON, POST form, GET query).
//!
//! Every call of a burst is a distinct call (its own uuid and call_id); the events of one call
//! share them. Without `--seed`, each call's first event happens now; with it, the calls are
//! exactly what `sample --seed` prints (dates and ids included), so a run can be repeated.

mod burst;

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use serde_json::{Map, Value};

use crate::catalog::Trigger;
use crate::edit::{self, Edit};
use crate::encode::{Encoding, FormStyle};
use crate::scenario::Scenario;
use crate::send::{Request, Target};
use crate::synth::{self, CallOutcome, CallSpec, Options, Profile};
use crate::template::Template;

/// One trigger, or a whole call.
#[derive(Clone, Copy, Debug)]
pub enum What {
    Trigger(&'static Trigger),
    Scenario(&'static Scenario),
}

/// `--speed`: how a scenario's gaps are played. Only the waiting changes: the payloads' stamps
/// always keep the call's own timeline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// The default: the call's gaps, each shortened to at most [`BRISK_GAP`], so a whole call
    /// plays in seconds while keeping its order and rhythm.
    Brisk,
    /// The call's own pace divided by this factor (1 = real time).
    Factor(f64),
    /// No waiting between events.
    Max,
}

/// The longest gap of the default pace.
pub const BRISK_GAP: Duration = Duration::from_secs(1);

impl Speed {
    /// How long to wait for a gap of `seconds` in the call's own time.
    pub fn wait(self, seconds: i64) -> Duration {
        let real = Duration::from_secs(seconds.max(0).unsigned_abs());
        match self {
            Speed::Brisk => real.min(BRISK_GAP),
            Speed::Factor(f) => real.div_f64(f),
            Speed::Max => Duration::ZERO,
        }
    }
}

/// One event of a call, before it is encoded.
#[derive(Clone, Debug)]
pub struct Event {
    pub trigger: &'static Trigger,
    /// Keyed by the default template's keys, `--set` applied.
    pub payload: Map<String, Value>,
    /// When it happens in the call (epoch seconds).
    pub at: i64,
}

/// Everything a `fire` run sends.
#[derive(Clone, Debug)]
pub struct Plan {
    pub what: What,
    pub seed: u64,
    /// Each call's first event happens at this instant; `None`: the seed's own dates.
    pub now: Option<i64>,
    pub outcome: Option<CallOutcome>,
    /// The call-level facts (`--caller`, `--agent`, `--talk`…) every call of the run has.
    pub spec: CallSpec,
    pub profile: Profile,
    pub encoding: Encoding,
    /// `--form-style`: how form and GET requests write nested values.
    pub form_style: FormStyle,
    /// `--set`: raw edits of the payloads, after synthesis.
    pub edits: Vec<Edit>,
    /// The webhook's own template (`--webhook`); `None`: the default template.
    pub template: Option<Template>,
    /// How many calls.
    pub count: u64,
    pub speed: Speed,
    /// Filled on first use: see [`POOL_SIZE`].
    pub pool: Pool,
}

impl Plan {
    pub fn triggers(&self) -> Vec<&'static Trigger> {
        match self.what {
            What::Trigger(t) => vec![t],
            What::Scenario(s) => s.triggers(),
        }
    }

    pub fn events_per_call(&self) -> u64 {
        match self.what {
            What::Trigger(_) => 1,
            What::Scenario(s) => s.steps.len() as u64,
        }
    }

    /// How many events the run sends.
    pub fn total(&self) -> u64 {
        self.count.saturating_mul(self.events_per_call())
    }

    /// The synthetic call number `index` (from 0).
    pub fn call(&self, index: u64) -> anyhow::Result<synth::Call> {
        let triggers = self.triggers();
        let first = triggers[0];
        let (outcome, spec) = match self.what {
            What::Trigger(_) => (self.outcome, self.spec.clone()),
            What::Scenario(s) => (Some(s.outcome), s.spec(&self.spec)),
        };
        let mut opts = Options {
            seed: self.seed.wrapping_add(index),
            outcome,
            profile: self.profile,
            start: None,
        };
        // `--at` is the call's start; else, without a seed, its first event happens now.
        if let (Some(now), None) = (self.now, self.spec.at) {
            // The same seed draws the same call whatever its start: place its first event now.
            opts.start = Some(now);
            let probe = synth::generate_call_with(first, &opts, &spec)?;
            opts.start = Some(now - (synth::moment(&probe, first) - probe.start));
        }
        let mut call = synth::generate_call_with(first, &opts, &spec)?;
        if self.count > 1 {
            (call.call_id, call.uuid) = self.burst_ids(index, call.start);
        }
        Ok(call)
    }

    /// The events of call number `index`, in order, with `--set` applied.
    pub fn events(&self, index: u64) -> anyhow::Result<Vec<Event>> {
        self.events_of(&self.call(index)?)
    }

    fn events_of(&self, call: &synth::Call) -> anyhow::Result<Vec<Event>> {
        let mut events: Vec<Event> = self
            .triggers()
            .into_iter()
            .map(|trigger| Event {
                trigger,
                payload: synth::render(call, trigger, self.profile),
                at: synth::moment(call, trigger),
            })
            .collect();
        apply_edits(&mut events, &self.edits)?;
        Ok(events)
    }

    /// The events of `call`, encoded for the wire.
    fn encoded(&self, call: &synth::Call) -> anyhow::Result<Vec<Encoded>> {
        let events = self.events_of(call)?;
        Ok(events
            .into_iter()
            .map(|event| {
                let call_id = match event.payload.get("call_id") {
                    Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                    _ => None,
                };
                // A tenant's template may hold variables the default one leaves out: those
                // take the call's own value (edited keys keep their edit).
                let payload = match &self.template {
                    Some(t) => t.render_with(|var| {
                        let edited = event.payload.get(var.key).cloned();
                        edited
                            .or_else(|| Some(synth::value(call, event.trigger, self.profile, var)))
                    }),
                    None => event.payload,
                };
                Encoded {
                    trigger: event.trigger,
                    at: event.at,
                    call_id,
                    text: self.encoding.encode_with(&payload, self.form_style),
                    spots: Vec::new(),
                }
            })
            .collect())
    }

    /// The requests of call number `index`, ready to go to `target`. `headers` are sent with
    /// every request (User-Agent, `--header`, the webhook's); Content-Type follows the encoding
    /// unless they set it.
    pub fn requests(
        &self,
        index: u64,
        target: &Target,
        headers: &HeaderMap,
    ) -> anyhow::Result<Vec<Request>> {
        if self.count == 1 {
            let call = self.call(index)?;
            return Ok(self.build(index, &self.encoded(&call)?, None, target, headers));
        }
        self.burst_requests(index, target, headers)
    }

    fn build(
        &self,
        index: u64,
        events: &[Encoded],
        swap: Option<Swap<'_>>,
        target: &Target,
        headers: &HeaderMap,
    ) -> Vec<Request> {
        let per_call = self.events_per_call();
        let mut previous: Option<i64> = None;
        let mut requests = Vec::with_capacity(events.len());
        // Every event of the call carries the same headers: Content-Type settled once.
        let mut headers = headers.clone();
        if let Some(ct) = self.encoding.content_type() {
            headers
                .entry(CONTENT_TYPE)
                .or_insert(HeaderValue::from_static(ct));
        }
        for (k, event) in events.iter().enumerate() {
            let wait = previous.map_or(Duration::ZERO, |before| self.speed.wait(event.at - before));
            previous = Some(event.at);
            let (text, call_id) = match &swap {
                None => (event.text.clone(), event.call_id.clone()),
                Some(swap) => swap.apply(event),
            };
            let (url, body) = match self.encoding {
                Encoding::Query => (target.with_query(&text), Vec::new()),
                _ => (target.as_str().to_string(), text.into_bytes()),
            };
            requests.push(Request {
                seq: index * per_call + k as u64 + 1,
                trigger: Some(event.trigger.id),
                call_id,
                method: match self.encoding.method() {
                    "GET" => reqwest::Method::GET,
                    _ => reqwest::Method::POST,
                },
                url,
                headers: headers.clone(),
                body,
                wait,
                note: None,
            });
        }
        requests
    }
}

pub use burst::{POOL_SIZE, Pool};
use burst::{Spot, Swap};

/// One event, encoded: the body (or the query string of a GET).
#[derive(Clone, Debug)]
struct Encoded {
    trigger: &'static Trigger,
    at: i64,
    /// The payload's `call_id`, after `--set`.
    call_id: Option<String>,
    text: String,
    /// Where the call's ids sit in `text` (pooled calls only).
    spots: Vec<Spot>,
}

/// Applies the edits to the events of one call. On a single event an edit that does not apply
/// is an error ("did you mean"); in a scenario an edit applies to the events that carry its key
/// (`digit_pressed` only to dtmf-option) and is an error only when none does.
pub fn apply_edits(events: &mut [Event], edits: &[Edit]) -> anyhow::Result<()> {
    if let [event] = events {
        return edit::apply(&mut event.payload, edits, Some(event.trigger));
    }
    for e in edits {
        let mut applied = false;
        for event in events.iter_mut() {
            let one = std::slice::from_ref(e);
            applied |= edit::apply(&mut event.payload, one, Some(event.trigger)).is_ok();
        }
        if applied {
            continue;
        }
        // The key is known to an event but its path is not: that event's error says why.
        let head = e.head();
        let has_head = |ev: &Event| {
            ev.payload.keys().any(|k| k.trim() == head.trim())
                || ev.trigger.variable(head).is_some()
        };
        if let Some(event) = events.iter_mut().find(|ev| has_head(ev)) {
            return edit::apply(
                &mut event.payload,
                std::slice::from_ref(e),
                Some(event.trigger),
            );
        }
        let known = events.iter().flat_map(|ev| {
            ev.payload
                .keys()
                .map(String::as_str)
                .chain(ev.trigger.variables().map(|v| v.name))
        });
        return Err(edit::unknown_key(
            head,
            "no event of the scenario has such a key",
            known,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::find_trigger;
    use crate::scenario;

    fn plan(what: What, count: u64) -> Plan {
        Plan {
            what,
            seed: 7,
            now: None,
            outcome: None,
            spec: CallSpec::default(),
            profile: Profile::Real,
            encoding: Encoding::Json,
            form_style: FormStyle::Json,
            edits: Vec::new(),
            template: None,
            count,
            speed: Speed::Factor(1.0),
            pool: Pool::default(),
        }
    }

    fn hangup() -> What {
        What::Trigger(find_trigger("hangup").unwrap())
    }

    #[test]
    fn one_seeded_event_is_the_sample_of_that_seed() {
        let p = plan(hangup(), 1);
        let opts = Options {
            seed: 7,
            outcome: None,
            profile: Profile::Real,
            start: None,
        };
        let sample = synth::synthesize(find_trigger("hangup").unwrap(), &opts).unwrap();
        assert_eq!(p.events(0).unwrap()[0].payload, sample);
    }

    #[test]
    fn without_a_seed_the_event_happens_now() {
        let mut p = plan(hangup(), 1);
        p.now = Some(1_790_000_000);
        let events = p.events(0).unwrap();
        assert_eq!(events[0].at, 1_790_000_000);
        assert_eq!(
            events[0].payload["end_stamp"],
            crate::timestamp::format_ist(1_790_000_000)
        );
    }

    #[test]
    fn a_burst_is_distinct_calls() {
        let p = plan(hangup(), 5000);
        let mut ids = std::collections::HashSet::new();
        let mut uuids = std::collections::HashSet::new();
        for i in 0..5000 {
            let call = p.call(i).unwrap();
            assert!(ids.insert(call.call_id.clone()), "{}", call.call_id);
            assert!(uuids.insert(call.uuid.clone()));
            assert_eq!(call.uuid.len(), 13);
        }
    }

    #[test]
    fn a_scenario_shares_one_call_and_waits_its_gaps() {
        let s = scenario::lookup("inbound-answered").unwrap();
        let p = plan(What::Scenario(s), 1);
        let target = Target::parse("http://127.0.0.1:9/hook").unwrap();
        let requests = p.requests(0, &target, &HeaderMap::new()).unwrap();
        let triggers: Vec<_> = requests.iter().map(|r| r.trigger.unwrap()).collect();
        assert_eq!(
            triggers,
            s.triggers().iter().map(|t| t.id).collect::<Vec<_>>()
        );
        assert!(requests.iter().all(|r| r.call_id == requests[0].call_id));
        assert!(requests[0].wait.is_zero());
        assert!(requests[4].wait >= Duration::from_secs(20), "talk time");
        let mut brisk = p.clone();
        brisk.speed = Speed::Brisk;
        let requests = brisk.requests(0, &target, &HeaderMap::new()).unwrap();
        assert!(requests[1..].iter().all(|r| r.wait <= BRISK_GAP));
        assert_eq!(requests[4].wait, BRISK_GAP, "the talk time, shortened");
        let mut fast = p.clone();
        fast.speed = Speed::Max;
        let requests = fast.requests(0, &target, &HeaderMap::new()).unwrap();
        assert!(requests.iter().all(|r| r.wait.is_zero()));
        assert_eq!(
            requests.iter().map(|r| r.seq).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
    }

    #[test]
    fn scenario_edits_apply_where_the_key_is() {
        let s = scenario::lookup("ivr-dtmf").unwrap();
        let mut p = plan(What::Scenario(s), 1);
        p.edits = vec!["digit_pressed=5".parse().unwrap()];
        let events = p.events(0).unwrap();
        let dtmf = events
            .iter()
            .find(|e| e.trigger.id == "dtmf-option")
            .unwrap();
        assert_eq!(dtmf.payload["digit_pressed"], "5");
        p.edits = vec!["digit_presed=5".parse().unwrap()];
        let err = p.events(0).unwrap_err().to_string();
        assert!(err.contains("did you mean"), "{err}");
    }
}
