//! `replay --new-ids`: every call gets a fresh uuid and call_id, the same for all its callbacks,
//! shaped like the old ones and replaced everywhere they appear.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value};

use super::id_text;
use super::rebase::earliest_stamp;
use crate::synth::{Rng, ids};

/// `--new-ids`: fresh ids, the same fresh id for every callback of one call, never two calls
/// with the same one.
pub struct IdMinter {
    minted: Mutex<HashMap<String, String>>,
    counter: AtomicU64,
    base: u64,
    seed: u64,
}

impl IdMinter {
    pub fn new(seed: u64) -> IdMinter {
        IdMinter {
            minted: Mutex::new(HashMap::new()),
            counter: AtomicU64::new(0),
            base: Rng::new(seed).next_u64(),
            seed,
        }
    }

    /// The fresh id for `old` (of field `field`), shaped like it: `epoch.micros` call_ids keep a
    /// node prefix and take `epoch` (the call's start) as their seconds, 13-hex uuids start with
    /// the epoch in hex, UUIDs stay UUIDs, anything else keeps its shape with new digits.
    fn fresh(&self, field: &str, old: &str, epoch: Option<i64>) -> String {
        let key = format!("{field}\u{0}{old}");
        let mut minted = self
            .minted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(new) = minted.get(&key) {
            return new.clone();
        }
        let n = self
            .base
            .wrapping_add(self.counter.fetch_add(1, Ordering::Relaxed));
        let mut rng = Rng::new(self.seed ^ n);
        let new = shaped_like(old, epoch, n, &mut rng);
        minted.insert(key, new.clone());
        new
    }
}

fn shaped_like(old: &str, epoch: Option<i64>, n: u64, rng: &mut Rng) -> String {
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    // `1775719461.306731`, `HYD1-D4-1790798403.486134`
    let (prefix, tail) = old.rsplit_once('-').map_or(("", old), |(p, t)| (p, t));
    if let Some((secs, micros)) = tail.split_once('.') {
        let digits = secs.len() == 10 && secs.bytes().all(|b| b.is_ascii_digit());
        if let (true, Ok(old_secs)) = (digits, secs.parse::<i64>()) {
            if !micros.is_empty() {
                let dash = if prefix.is_empty() { "" } else { "-" };
                return format!(
                    "{prefix}{dash}{}",
                    ids::call_id(epoch.unwrap_or(old_secs), n)
                );
            }
        }
    }
    if old.len() == 13 && hex(old) {
        let old_start = i64::from_str_radix(&old[..8], 16).unwrap_or(0);
        return ids::uuid(epoch.unwrap_or(old_start), n);
    }
    // Anything else (a UUID, an id of the tenant's): the same shape, new digits.
    old.chars()
        .map(|c| match c {
            '0'..='9' => char::from(b'0' + (rng.next_u64() % 10) as u8),
            'a'..='f' => char::from_digit((rng.next_u64() % 16) as u32, 16).unwrap_or('0'),
            'A'..='F' => char::from_digit((rng.next_u64() % 16) as u32, 16)
                .unwrap_or('0')
                .to_ascii_uppercase(),
            other => other,
        })
        .collect()
}

/// Replaces `old` with `new` in every string of a value.
fn replace_in(value: &mut Value, old: &str, new: &str) {
    match value {
        Value::String(s) if s.contains(old) => *s = s.replace(old, new),
        Value::Array(items) => items.iter_mut().for_each(|v| replace_in(v, old, new)),
        Value::Object(map) => map.values_mut().for_each(|v| replace_in(v, old, new)),
        _ => {}
    }
}

/// `--new-ids` on one payload: `call_id` and `uuid` replaced everywhere they appear (the
/// recording URL, the call_flow's init step).
pub fn renew_ids(payload: &mut Map<String, Value>, minter: &IdMinter) {
    let epoch = earliest_stamp(payload);
    for field in ["call_id", "uuid"] {
        let Some(old) = payload.get(field).and_then(id_text) else {
            continue;
        };
        let new = minter.fresh(field, &old, epoch);
        payload.insert(field.to_string(), Value::String(new.clone()));
        if old.len() >= 8 {
            for value in payload.values_mut() {
                replace_in(value, &old, &new);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn new_ids_are_fresh_per_call_and_shared_by_its_callbacks() {
        let minter = IdMinter::new(1);
        let payload = |call_id: &str| {
            json!({"uuid": "69d7648e2a3f1", "call_id": call_id, "start_stamp": "2026-04-09 12:54:22",
                "recording_url": format!("https://r/file?callId={call_id}&type=rec")})
            .as_object()
            .unwrap()
            .clone()
        };
        let (mut a, mut b, mut c) = (
            payload("1775719461.306731"),
            payload("1775719461.306731"),
            payload("1775719461.999999"),
        );
        for p in [&mut a, &mut b, &mut c] {
            renew_ids(p, &minter);
        }
        assert_ne!(a["call_id"], "1775719461.306731");
        assert_eq!(a["call_id"], b["call_id"], "one call, one fresh id");
        assert_ne!(a["call_id"], c["call_id"]);
        let id = a["call_id"].as_str().unwrap();
        assert!(id.starts_with("1775719462."), "{id}");
        assert!(a["recording_url"].as_str().unwrap().contains(id));
        assert_eq!(a["uuid"].as_str().unwrap().len(), 13);
        let mut rng = Rng::new(3);
        let uuid = shaped_like("b350c341-248e-465a-a87b-4c7a9ce82c70", None, 1, &mut rng);
        assert_eq!(uuid.len(), 36);
        assert_eq!(uuid.matches('-').count(), 4);
        assert_eq!(
            shaped_like("HYD1-D4-1790798403.486134", None, 5, &mut rng),
            "HYD1-D4-1790798403.000005"
        );
    }
}
