//! What `fire` sends (SPEC 5.4): realistic calls from the synthesis engine, one event each or a
//! whole scenario, edited with `--set`, rendered through a webhook's template when one is given,
//! and encoded the way the portal sends them (POST JSON, POST form, GET query).
//!
//! Every call of a burst is a distinct call (its own uuid and call_id); the events of one call
//! share them. Without `--seed`, each call's first event happens now; with it, the calls are
//! exactly what `sample --seed` prints (dates and ids included), so a run can be repeated.

use std::sync::OnceLock;
use std::time::Duration;

use anyhow::anyhow;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use serde_json::{Map, Value};

use crate::catalog::Trigger;
use crate::edit::{self, Edit};
use crate::encode::Encoding;
use crate::scenario::Scenario;
use crate::send::{Request, Target};
use crate::synth::{self, CallOutcome, Options, Profile, Rng};
use crate::template::Template;

/// One trigger, or a whole call.
#[derive(Clone, Copy, Debug)]
pub enum What {
    Trigger(&'static Trigger),
    Scenario(&'static Scenario),
}

/// `--speed`: how a scenario's gaps are played.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// The call's own pace divided by this factor (1 = real time).
    Factor(f64),
    /// No waiting between events.
    Max,
}

/// `--speed 1`, `--speed 10`, `--speed 0.5`, `--speed max`.
pub fn parse_speed(s: &str) -> Result<Speed, String> {
    if s.trim().eq_ignore_ascii_case("max") {
        return Ok(Speed::Max);
    }
    match s.trim().trim_end_matches('x').parse::<f64>() {
        Ok(f) if f.is_finite() && f > 0.0 => Ok(Speed::Factor(f)),
        _ => Err(format!(
            "expected a factor above 0 (1 = real time, 10 = ten times faster) or max, found {s:?}"
        )),
    }
}

/// The `--method` of the portal's form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    #[value(name = "POST")]
    Post,
    #[value(name = "GET")]
    Get,
}

/// The encoding `--method` and `--encoding` ask for together.
pub fn encoding_of(method: Option<Method>, encoding: Option<Encoding>) -> anyhow::Result<Encoding> {
    match (method, encoding) {
        (Some(Method::Get), None | Some(Encoding::Query)) => Ok(Encoding::Query),
        (Some(Method::Get), Some(e)) => Err(anyhow!(
            "--method GET sends the payload in the query string: drop --encoding {}",
            if e == Encoding::Json { "json" } else { "form" }
        )),
        (Some(Method::Post), Some(Encoding::Query)) => Err(anyhow!(
            "--encoding query is a GET: use --method GET, or --encoding json|form for a POST"
        )),
        (_, Some(e)) => Ok(e),
        (_, None) => Ok(Encoding::Json),
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
    pub profile: Profile,
    pub encoding: Encoding,
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
        let outcome = match self.what {
            What::Trigger(_) => self.outcome,
            What::Scenario(s) => Some(s.outcome),
        };
        let mut opts = Options {
            seed: self.seed.wrapping_add(index),
            outcome,
            profile: self.profile,
            start: None,
        };
        if let Some(now) = self.now {
            // The same seed draws the same call whatever its start: place its first event now.
            opts.start = Some(now);
            let probe = synth::generate_call(first, &opts)?;
            opts.start = Some(now - (synth::moment(&probe, first) - probe.start));
        }
        let mut call = synth::generate_call(first, &opts)?;
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
                let payload = match &self.template {
                    Some(t) => t.render(&event.payload),
                    None => event.payload,
                };
                Encoded {
                    trigger: event.trigger,
                    at: event.at,
                    call_id,
                    text: self.encoding.encode(&payload),
                    spots: Vec::new(),
                }
            })
            .collect())
    }

    /// The calls a burst is made of, rendered once (see [`Pool`]).
    fn pool(&self) -> &[Result<Pooled, String>] {
        self.pool.0.get_or_init(|| {
            (0..self.count.min(POOL_SIZE))
                .map(|j| {
                    let call = self.call(j).map_err(|e| format!("{e:#}"))?;
                    let mut events = self.encoded(&call).map_err(|e| format!("{e:#}"))?;
                    for event in &mut events {
                        event.spots = id_spots(&event.text, &call.call_id, &call.uuid);
                    }
                    Ok(Pooled {
                        call_id: call.call_id,
                        uuid: call.uuid,
                        start: call.start,
                        events,
                    })
                })
                .collect()
        })
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
        let pool = self.pool();
        let pooled = pool[(index % pool.len() as u64) as usize]
            .as_ref()
            .map_err(|e| anyhow!("{e}"))?;
        let (call_id, uuid) = self.burst_ids(index, pooled.start);
        let swap = Swap {
            call_id: (&pooled.call_id, &call_id),
            uuid: (&pooled.uuid, &uuid),
        };
        Ok(self.build(index, &pooled.events, Some(swap), target, headers))
    }

    /// The ids of call `index` of a burst: distinct for every call (a counter), shaped as the
    /// platform's (`epoch.micros`, 13 hex digits starting with the epoch).
    fn burst_ids(&self, index: u64, start: i64) -> (String, String) {
        let n = Rng::new(self.seed ^ 0x05EE_D1D5)
            .next_u64()
            .wrapping_add(index);
        (synth::ids::call_id(start, n), synth::ids::uuid(start, n))
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
            let wait = match (previous, self.speed) {
                (None, _) | (_, Speed::Max) => Duration::ZERO,
                (Some(before), Speed::Factor(f)) => {
                    Duration::from_secs_f64((event.at - before).max(0) as f64 / f)
                }
            };
            previous = Some(event.at);
            let (text, call_id) = match &swap {
                None => (event.text.clone(), event.call_id.clone()),
                Some(swap) => (
                    splice(&event.text, &event.spots, swap.call_id.1, swap.uuid.1),
                    event.call_id.as_ref().map(|c| match c == swap.call_id.0 {
                        true => swap.call_id.1.to_string(),
                        false => c.clone(),
                    }),
                ),
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

/// How many distinct calls a burst synthesizes. Synthesis costs more than sending (about 12 µs
/// a call against 15 µs of HTTP on this kind of machine), so a burst renders at most this many
/// calls once and sends each again under fresh ids: every call of the burst is still a distinct
/// call (its own uuid and call_id, everywhere they appear), and its numbers, agents and timing
/// come from one of these.
pub const POOL_SIZE: u64 = 512;

/// The pre-rendered calls of a burst, made on first use.
#[derive(Clone, Debug, Default)]
pub struct Pool(OnceLock<Vec<Result<Pooled, String>>>);

#[derive(Clone, Debug)]
pub struct Pooled {
    call_id: String,
    uuid: String,
    start: i64,
    events: Vec<Encoded>,
}

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

/// An id in an encoded event: byte offset, length, and whether it is the call_id (else the uuid).
type Spot = (usize, usize, bool);

/// Where `call_id` and `uuid` occur in `text`, in order, never overlapping.
fn id_spots(text: &str, call_id: &str, uuid: &str) -> Vec<Spot> {
    let mut spots: Vec<Spot> = text
        .match_indices(call_id)
        .map(|(at, m)| (at, m.len(), true))
        .chain(text.match_indices(uuid).map(|(at, m)| (at, m.len(), false)))
        .collect();
    spots.sort_unstable();
    let mut end = 0;
    spots.retain(|&(at, len, _)| {
        let keep = at >= end;
        if keep {
            end = at + len;
        }
        keep
    });
    spots
}

/// `text` with its ids replaced: a burst's copy of a pooled call.
fn splice(text: &str, spots: &[Spot], call_id: &str, uuid: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8 * spots.len());
    let mut from = 0;
    for &(at, len, is_call_id) in spots {
        out.push_str(&text[from..at]);
        out.push_str(if is_call_id { call_id } else { uuid });
        from = at + len;
    }
    out.push_str(&text[from..]);
    out
}

/// The ids of a pooled call and the ones it is sent under this time.
struct Swap<'a> {
    call_id: (&'a str, &'a str),
    uuid: (&'a str, &'a str),
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
            profile: Profile::Real,
            encoding: Encoding::Json,
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

    #[test]
    fn methods_and_encodings_combine_as_the_portal_allows() {
        assert_eq!(encoding_of(None, None).unwrap(), Encoding::Json);
        assert_eq!(
            encoding_of(Some(Method::Get), None).unwrap(),
            Encoding::Query
        );
        assert_eq!(
            encoding_of(Some(Method::Post), Some(Encoding::Form)).unwrap(),
            Encoding::Form
        );
        assert!(encoding_of(Some(Method::Get), Some(Encoding::Form)).is_err());
        assert!(encoding_of(Some(Method::Post), Some(Encoding::Query)).is_err());
        assert_eq!(parse_speed("max"), Ok(Speed::Max));
        assert_eq!(parse_speed("10"), Ok(Speed::Factor(10.0)));
        assert!(parse_speed("0").is_err());
    }
}
