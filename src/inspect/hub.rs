//! The hub: the records the inspector shows (bounded, the oldest let go first), the replay
//! attempts made from the page, and the pages subscribed to what comes next. `listen` publishes
//! into it from its workers, so publishing never waits: a subscriber whose queue is full is
//! dropped (its page reconnects and fetches the list again).

use std::collections::BTreeMap;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

use crate::calls::Event;

/// Records kept: the oldest go first past either bound.
const MAX_RECORDS: usize = 5_000;
const MAX_BYTES: usize = 64 * 1024 * 1024;
/// Replay attempts kept per record.
const MAX_ATTEMPTS: usize = 50;
/// Events a subscriber may fall behind before it is dropped.
const QUEUE: usize = 256;
/// Pages subscribed at once; one more is refused (each holds a thread).
pub const MAX_SUBSCRIBERS: usize = 32;

/// One record as the hub holds it: the capture record's JSON text, one line.
pub struct Stored {
    pub line: Arc<str>,
    pub attempts: Vec<Value>,
    /// The record as an event of `calls`, with its call summary line: made the first time the
    /// page asks for the calls, then kept (making it validates the payload again).
    pub event: Arc<EventCache>,
}

pub type EventCache = OnceLock<(Event, Option<String>)>;

/// A frame of the event stream, ready to write: `event: …\ndata: …\n\n`.
pub type Frame = Arc<str>;

#[derive(Default)]
struct Inner {
    records: BTreeMap<u64, Stored>,
    bytes: usize,
    subscribers: Vec<SyncSender<Frame>>,
}

#[derive(Default)]
pub struct Hub {
    inner: Mutex<Inner>,
}

impl Hub {
    pub fn new() -> Hub {
        Hub::default()
    }

    /// A capture record (one JSON line, its newline allowed), kept under its `seq` (else the
    /// next free number) and sent to every subscriber. Returns the number it is kept under.
    pub fn publish(&self, line: &[u8]) -> Option<u64> {
        let text = std::str::from_utf8(line).ok()?.trim_end();
        let seq = leading_seq(text);
        let mut inner = self.inner.lock().ok()?;
        let key = match seq {
            Some(s) if !inner.records.contains_key(&s) => s,
            _ => inner.records.keys().next_back().map_or(1, |last| last + 1),
        };
        // Numbered as kept, so that the page and the API name a record one way (offline, two
        // files may both have a `seq` 1).
        let line: Arc<str> = match seq == Some(key) {
            true => Arc::from(text),
            false => Arc::from(renumbered(text, key)?),
        };
        inner.bytes += line.len();
        inner.records.insert(
            key,
            Stored {
                line: line.clone(),
                attempts: Vec::new(),
                event: Arc::default(),
            },
        );
        while inner.records.len() > MAX_RECORDS || inner.bytes > MAX_BYTES {
            let Some((_, old)) = inner.records.pop_first() else {
                break;
            };
            inner.bytes -= old.line.len();
        }
        broadcast(&mut inner, || format!("event: record\ndata: {line}\n\n"));
        Some(key)
    }

    /// A replay attempt made for record `seq`, kept with it and sent to every subscriber.
    pub fn attempt(&self, seq: u64, attempt: &Value) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if let Some(stored) = inner.records.get_mut(&seq) {
            if stored.attempts.len() >= MAX_ATTEMPTS {
                stored.attempts.remove(0);
            }
            stored.attempts.push(attempt.clone());
        }
        broadcast(&mut inner, || format!("event: replay\ndata: {attempt}\n\n"));
    }

    /// The records' lines in `seq` order.
    pub fn lines(&self) -> Vec<(u64, Arc<str>)> {
        self.inner.lock().map_or_else(
            |_| Vec::new(),
            |inner| {
                inner
                    .records
                    .iter()
                    .map(|(k, s)| (*k, s.line.clone()))
                    .collect()
            },
        )
    }

    /// The records' lines with their event caches, in `seq` order.
    pub fn events(&self) -> Vec<(u64, Arc<str>, Arc<EventCache>)> {
        self.inner.lock().map_or_else(
            |_| Vec::new(),
            |inner| {
                inner
                    .records
                    .iter()
                    .map(|(k, s)| (*k, s.line.clone(), s.event.clone()))
                    .collect()
            },
        )
    }

    /// One record's line and its replay attempts.
    pub fn get(&self, seq: u64) -> Option<(Arc<str>, Vec<Value>)> {
        let inner = self.inner.lock().ok()?;
        let stored = inner.records.get(&seq)?;
        Some((stored.line.clone(), stored.attempts.clone()))
    }

    /// A new subscriber's queue; `None` when [`MAX_SUBSCRIBERS`] are subscribed.
    pub fn subscribe(&self) -> Option<Receiver<Frame>> {
        let mut inner = self.inner.lock().ok()?;
        inner
            .subscribers
            .retain(|s| s.try_send(Arc::from(": \n\n")).is_ok());
        if inner.subscribers.len() >= MAX_SUBSCRIBERS {
            return None;
        }
        let (tx, rx) = sync_channel(QUEUE);
        inner.subscribers.push(tx);
        Some(rx)
    }

    pub fn subscribers(&self) -> usize {
        self.inner.lock().map_or(0, |i| i.subscribers.len())
    }
}

/// To every subscriber that keeps up; the others are let go. The frame is only made when some
/// page is subscribed.
fn broadcast(inner: &mut Inner, frame: impl FnOnce() -> String) {
    if inner.subscribers.is_empty() {
        return;
    }
    let frame: Frame = Arc::from(frame());
    inner
        .subscribers
        .retain(|s| match s.try_send(frame.clone()) {
            Ok(()) => true,
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
        });
}

/// The record with `seq` set to `key`, first as listen writes it.
fn renumbered(text: &str, key: u64) -> Option<String> {
    let Value::Object(map) = serde_json::from_str::<Value>(text).ok()? else {
        return None;
    };
    let mut out = serde_json::Map::new();
    out.insert("seq".into(), key.into());
    out.extend(map.into_iter().filter(|(k, _)| k != "seq"));
    Some(Value::Object(out).to_string())
}

/// `{"seq":12,…`: listen writes `seq` first, so the hot path reads it without parsing the line.
fn leading_seq(line: &str) -> Option<u64> {
    let digits = line.strip_prefix("{\"seq\":")?;
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    match digits[..end].parse() {
        Ok(seq) => Some(seq),
        Err(_) => serde_json::from_str::<Value>(line)
            .ok()?
            .get("seq")?
            .as_u64(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_kept_by_seq_and_a_taken_seq_gets_the_next_free_one() {
        let hub = Hub::new();
        assert_eq!(hub.publish(b"{\"seq\":3,\"method\":\"POST\"}\n"), Some(3));
        assert_eq!(hub.publish(b"{\"seq\":3,\"method\":\"GET\"}"), Some(4));
        assert_eq!(hub.publish(b"{\"method\":\"GET\"}"), Some(5));
        assert!(
            hub.get(4).unwrap().0.starts_with("{\"seq\":4,"),
            "renumbered"
        );
        let keys: Vec<u64> = hub.lines().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, [3, 4, 5]);
        assert_eq!(&*hub.get(3).unwrap().0, "{\"seq\":3,\"method\":\"POST\"}");
    }

    #[test]
    fn a_subscriber_that_stops_reading_is_dropped_and_publishing_never_waits() {
        let hub = Hub::new();
        let slow = hub.subscribe().unwrap();
        let started = std::time::Instant::now();
        for seq in 1..=(QUEUE as u64 + 10) {
            hub.publish(format!("{{\"seq\":{seq}}}").as_bytes());
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(hub.subscribers(), 0, "the full queue let go of it");
        // What it had queued is still readable, then its stream ends.
        assert_eq!(slow.iter().count(), QUEUE);
    }

    #[test]
    fn the_hub_is_bounded() {
        let hub = Hub::new();
        for seq in 1..=(MAX_RECORDS as u64 + 5) {
            hub.publish(format!("{{\"seq\":{seq}}}").as_bytes());
        }
        let lines = hub.lines();
        assert_eq!(lines.len(), MAX_RECORDS);
        assert_eq!(lines[0].0, 6, "the oldest went first");
    }
}
