//! A burst (`fire -n N`): at most [`POOL_SIZE`] calls are synthesized and encoded once, and each
//! goes out again under fresh ids, spliced into its encoded text where the old ones sat.

use std::sync::OnceLock;

use anyhow::anyhow;
use reqwest::header::HeaderMap;

use super::{Encoded, Plan};
use crate::send::{Request, Target};
use crate::synth::{self, Rng};

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

impl Plan {
    /// The requests of call `index` of a burst: a pooled call under the ids of call `index`.
    pub(super) fn burst_requests(
        &self,
        index: u64,
        target: &Target,
        headers: &HeaderMap,
    ) -> anyhow::Result<Vec<Request>> {
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

    /// The ids of call `index` of a burst: distinct for every call (a counter), shaped as the
    /// platform's (`epoch.micros`, 13 hex digits starting with the epoch).
    pub(super) fn burst_ids(&self, index: u64, start: i64) -> (String, String) {
        let n = Rng::new(self.seed ^ 0x05EE_D1D5)
            .next_u64()
            .wrapping_add(index);
        (synth::ids::call_id(start, n), synth::ids::uuid(start, n))
    }
}

/// An id in an encoded event: byte offset, length, and whether it is the call_id (else the uuid).
pub(super) type Spot = (usize, usize, bool);

/// Where `call_id` and `uuid` occur in `text`, in order, never overlapping.
pub(super) fn id_spots(text: &str, call_id: &str, uuid: &str) -> Vec<Spot> {
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
pub(super) struct Swap<'a> {
    call_id: (&'a str, &'a str),
    uuid: (&'a str, &'a str),
}

impl Swap<'_> {
    /// A pooled event's text and call_id under this call's ids.
    pub(super) fn apply(&self, event: &Encoded) -> (String, Option<String>) {
        let text = splice(&event.text, &event.spots, self.call_id.1, self.uuid.1);
        let call_id = event.call_id.as_ref().map(|c| match c == self.call_id.0 {
            true => self.call_id.1.to_string(),
            false => c.clone(),
        });
        (text, call_id)
    }
}
