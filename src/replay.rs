//! What `replay` sends (SPEC 5.5). A capture record goes out as it came in: same method, query,
//! body bytes and Content-Type (the path becomes the target's unless `--keep-path`). Edits
//! (`--set`, `--rebase-time`, `--new-ids`) change the decoded payload, which is then encoded again
//! the way the record arrived (JSON body, form body or GET query) and validated. Bare payloads go
//! out as POST JSON (form text files as POST form).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{anyhow, bail};
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use serde_json::{Map, Value};

use crate::catalog::{TRIGGERS, Trigger, lookup_trigger};
use crate::decode::decode_body;
use crate::edit::{self, Edit};
use crate::encode::{Encoding, to_form};
use crate::input::{Content, Item, Origin, RecordedRequest, is_capture_record, read_record};
use crate::send::{Request, Skip, Target, passed_on_headers};
use crate::synth::{Rng, ids};
use crate::timestamp;
use crate::validate::detect::{Detection, detect};

/// What one input item is.
#[derive(Clone, Debug)]
pub enum Kind {
    Record(RecordedRequest),
    /// A bare JSON payload; its original bytes when it came as compact text (an NDJSON line, a file).
    BareJson(Option<Vec<u8>>),
    /// A bare form/query text file.
    BareForm(Vec<u8>),
}

/// One input item, understood.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Its place among everything read, from 1: the event's number in the output.
    pub ordinal: u64,
    pub origin: Origin,
    pub kind: Kind,
    /// The decoded payload, or why it could not be decoded.
    pub payload: Result<Map<String, Value>, String>,
    /// The recorded trigger, else the detected one.
    pub trigger: Option<&'static Trigger>,
}

fn place(origin: &Origin) -> String {
    crate::render::findings::place(origin)
}

impl Entry {
    /// Reads one item of the input; an item that is neither a record nor a payload is skipped.
    pub fn read(item: Item, ordinal: u64) -> Result<Entry, Skip> {
        let skip = |reason: String| Skip {
            what: place(&item.origin),
            reason,
        };
        let (value, raw) = match item.content {
            Content::JsonText(text) => match serde_json::from_str::<Value>(&text) {
                Ok(v) => (v, Some(text.into_bytes())),
                Err(e) => return Err(skip(format!("not JSON: {e}"))),
            },
            Content::Value(v) => (v, None),
            Content::Document(bytes) => match decode_body(&bytes, None) {
                Ok(map) if bytes.trim_ascii_start().starts_with(b"{") => {
                    (Value::Object(map), Some(bytes.trim_ascii().to_vec()))
                }
                Ok(map) => {
                    let text = bytes.strip_suffix(b"\n").unwrap_or(&bytes);
                    let text = text.strip_suffix(b"\r").unwrap_or(text).to_vec();
                    return Ok(Entry::new(
                        ordinal,
                        item.origin,
                        Kind::BareForm(text),
                        Ok(map),
                        None,
                    ));
                }
                Err(e) => return Err(skip(e.to_string())),
            },
            Content::Broken(reason) => return Err(skip(reason)),
        };
        match value {
            Value::Object(map) if is_capture_record(&map) => {
                let record = read_record(map).map_err(skip)?;
                Ok(Entry::new(
                    ordinal,
                    item.origin,
                    Kind::Record(record.request),
                    record.payload,
                    record.trigger,
                ))
            }
            Value::Object(map) => Ok(Entry::new(
                ordinal,
                item.origin,
                Kind::BareJson(raw),
                Ok(map),
                None,
            )),
            _ => Err(skip(
                "expected a capture record or a payload object".to_string(),
            )),
        }
    }

    fn new(
        ordinal: u64,
        origin: Origin,
        kind: Kind,
        payload: Result<Map<String, Value>, String>,
        recorded: Option<&'static Trigger>,
    ) -> Entry {
        let trigger = recorded.or_else(|| match &payload {
            Ok(p) => match detect(p) {
                Detection::Found(t) => Some(t),
                Detection::Undecided(_) => None,
            },
            Err(_) => None,
        });
        Entry {
            ordinal,
            origin,
            kind,
            payload,
            trigger,
        }
    }

    /// The `seq` a `--filter seq=` compares: the record's, else the place in the input.
    pub fn seq(&self) -> u64 {
        match &self.kind {
            Kind::Record(RecordedRequest { seq: Some(s), .. }) => *s,
            _ => self.ordinal,
        }
    }

    pub fn call_id(&self) -> Option<String> {
        id_text(self.payload.as_ref().ok()?.get("call_id")?)
    }
}

fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `--filter KEY=VALUE`.
#[derive(Clone, Debug)]
pub enum Filter {
    Trigger(&'static Trigger),
    CallId(String),
    /// `seq=N..M`, `seq=N..`, `seq=..M`, `seq=N` (inclusive).
    Seq(Option<u64>, Option<u64>),
}

impl std::str::FromStr for Filter {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> anyhow::Result<Filter> {
        let Some((key, value)) = s.split_once('=') else {
            bail!("expected trigger=ID, call_id=X or seq=N..M, found `{s}`");
        };
        match key.trim() {
            "trigger" => Ok(Filter::Trigger(lookup_trigger(value.trim())?)),
            "call_id" => Ok(Filter::CallId(value.trim().to_string())),
            "seq" => {
                let number = |t: &str| -> anyhow::Result<Option<u64>> {
                    let t = t.trim();
                    if t.is_empty() {
                        return Ok(None);
                    }
                    t.parse()
                        .map(Some)
                        .map_err(|_| anyhow!("seq={value}: expected N, N..M, N.. or ..M"))
                };
                let (lo, hi) = match value.split_once("..") {
                    Some((lo, hi)) => (number(lo)?, number(hi.trim_start_matches('='))?),
                    None => {
                        let n = number(value)?;
                        (n, n)
                    }
                };
                if lo.is_none() && hi.is_none() {
                    bail!("seq={value}: expected N, N..M, N.. or ..M");
                }
                Ok(Filter::Seq(lo, hi))
            }
            other => {
                let hint = crate::suggest::closest(other, ["trigger", "call_id", "seq"])
                    .map(|k| format!(": did you mean `{k}`?"))
                    .unwrap_or_default();
                bail!("cannot filter on `{other}`{hint} (trigger=ID, call_id=X, seq=N..M)")
            }
        }
    }
}

impl Filter {
    fn key(&self) -> u8 {
        match self {
            Filter::Trigger(_) => 0,
            Filter::CallId(_) => 1,
            Filter::Seq(..) => 2,
        }
    }

    fn matches(&self, entry: &Entry) -> bool {
        match self {
            Filter::Trigger(t) => entry.trigger.is_some_and(|e| std::ptr::eq(e, *t)),
            Filter::CallId(id) => entry.call_id().as_deref() == Some(id.as_str()),
            Filter::Seq(lo, hi) => {
                let seq = entry.seq();
                lo.is_none_or(|lo| seq >= lo) && hi.is_none_or(|hi| seq <= hi)
            }
        }
    }
}

/// Whether an entry passes the filters: every key given must match, by any of its values.
pub fn selected(filters: &[Filter], entry: &Entry) -> bool {
    (0..3).all(|key| {
        let mut of_key = filters.iter().filter(|f| f.key() == key).peekable();
        of_key.peek().is_none() || of_key.any(|f| f.matches(entry))
    })
}

/// `--rebase-time now|RFC3339` as an instant (epoch seconds).
pub fn parse_rebase(s: &str) -> Result<i64, String> {
    if s.trim().eq_ignore_ascii_case("now") {
        return Ok(timestamp::now());
    }
    timestamp::parse(s).map(|stamp| stamp.epoch).ok_or_else(|| {
        format!("expected now or an RFC 3339 time like 2026-04-09T12:54:22+05:30, found {s:?}")
    })
}

fn is_stamp_key(key: &str) -> bool {
    let key = key.trim();
    key.ends_with("_stamp") || key == "date"
}

/// The earliest stamp of a payload (epoch seconds): where its call starts.
pub fn earliest_stamp(payload: &Map<String, Value>) -> Option<i64> {
    let mut stamps: Vec<i64> = payload
        .iter()
        .filter(|(k, _)| is_stamp_key(k))
        .filter_map(|(_, v)| timestamp::stamp_of(v).map(|s| s.epoch))
        .collect();
    if let (Some(Value::String(d)), Some(Value::String(t))) =
        (payload.get("start_date"), payload.get("start_time"))
    {
        stamps.extend(timestamp::parse_date_time(d, t).map(|s| s.epoch));
    }
    stamps.into_iter().min()
}

/// A stamp moved by `delta` seconds, written in the dialect it came in.
fn shift_stamp(text: &str, delta: i64) -> Option<String> {
    let stamp = timestamp::parse(text)?;
    Some(timestamp::format(stamp.epoch + delta, stamp.dialect))
}

/// A call_flow `time` (an epoch as a string, an int or a float) moved by `delta` seconds.
fn shift_epoch(value: &Value, delta: i64) -> Option<Value> {
    match value {
        Value::Number(n) => {
            if let Some(i) = n.as_i64().filter(|i| timestamp::is_epoch_secs(*i)) {
                Some(Value::from(i + delta))
            } else {
                let f = n.as_f64().filter(|f| timestamp::is_epoch_secs(*f as i64))?;
                serde_json::Number::from_f64(f + delta as f64).map(Value::Number)
            }
        }
        Value::String(s) => {
            let (int, frac) = s.split_once('.').unwrap_or((s, ""));
            let i: i64 = int.parse().ok().filter(|i| timestamp::is_epoch_secs(*i))?;
            if !frac.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some(Value::String(if frac.is_empty() {
                (i + delta).to_string()
            } else {
                format!("{}.{frac}", i + delta)
            }))
        }
        _ => None,
    }
}

/// `--rebase-time`: every stamp-like field moved by `delta` seconds, each in its own dialect
/// (`*_stamp`, `date`, `start_date` + `start_time`, call_flow times).
pub fn shift_stamps(payload: &mut Map<String, Value>, delta: i64) {
    for (key, value) in payload.iter_mut() {
        if is_stamp_key(key) {
            match value {
                Value::String(s) => {
                    if let Some(shifted) = shift_stamp(s, delta) {
                        *s = shifted;
                    }
                }
                Value::Number(_) => {
                    if let Some(shifted) = shift_epoch(value, delta) {
                        *value = shifted;
                    }
                }
                _ => {}
            }
        }
    }
    if let (Some(Value::String(d)), Some(Value::String(t))) =
        (payload.get("start_date"), payload.get("start_time"))
    {
        if let Some(stamp) = timestamp::parse_date_time(d, t) {
            let (date, time) = timestamp::format_date_time_in(stamp.epoch + delta, stamp.dialect);
            payload.insert("start_date".into(), Value::String(date));
            payload.insert("start_time".into(), Value::String(time));
        }
    }
    if let Some(Value::Array(steps)) = payload.get_mut("call_flow") {
        for step in steps.iter_mut().filter_map(Value::as_object_mut) {
            for key in ["time", "anstime"] {
                if let Some(v) = step.get_mut(key) {
                    if let Some(shifted) = shift_epoch(v, delta) {
                        *v = shifted;
                    }
                }
            }
        }
    }
}

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

/// Checks `--set` keys before anything is sent: each must be a variable some trigger offers, or
/// a key of the first payload read. Unknown keys name the closest known one.
pub fn check_edit_keys(edits: &[Edit], first: Option<&Map<String, Value>>) -> anyhow::Result<()> {
    for e in edits {
        let head = e.head().trim();
        let in_payload = first.is_some_and(|p| p.keys().any(|k| k.trim() == head));
        let in_catalog = TRIGGERS
            .iter()
            .flat_map(|t| t.variables())
            .any(|v| v.name == head || v.key.trim() == head);
        if in_payload || in_catalog {
            continue;
        }
        let known = first
            .into_iter()
            .flat_map(|p| p.keys().map(String::as_str))
            .chain(TRIGGERS.iter().flat_map(|t| t.variables().map(|v| v.name)));
        return Err(edit::unknown_key(
            head,
            "no payload or trigger has such a key",
            known,
        ));
    }
    Ok(())
}

/// Everything a replay run does to each entry.
pub struct Replay {
    pub target: Target,
    pub keep_path: bool,
    /// `--header`: replaces a recorded header of the same name.
    pub headers: HeaderMap,
    pub filters: Vec<Filter>,
    pub edits: Vec<Edit>,
    /// `--rebase-time`, as seconds to add to every stamp.
    pub shift: Option<i64>,
    pub new_ids: Option<IdMinter>,
}

impl Replay {
    fn edited(&self) -> bool {
        !self.edits.is_empty() || self.shift.is_some() || self.new_ids.is_some()
    }

    /// The request an entry becomes; `None` when the filters leave it out.
    pub fn prepare(&self, entry: Entry) -> Result<Option<Request>, Skip> {
        if !selected(&self.filters, &entry) {
            return Ok(None);
        }
        let Entry {
            ordinal,
            origin,
            kind,
            payload,
            trigger,
        } = entry;
        let skip = |reason: String| Skip {
            what: place(&origin),
            reason,
        };
        let mut note = None;
        let (payload, edited_payload) = if self.edited() {
            let mut p = payload.map_err(|e| skip(format!("cannot edit it: {e}")))?;
            edit::apply(&mut p, &self.edits, trigger).map_err(|e| {
                skip(format!(
                    "{e:#} (--filter trigger=… replays only the records that have it)"
                ))
            })?;
            if let Some(delta) = self.shift {
                shift_stamps(&mut p, delta);
            }
            if let Some(minter) = &self.new_ids {
                renew_ids(&mut p, minter);
            }
            let verdict = crate::validate::validate(&p, trigger);
            if !verdict.findings.is_empty() {
                let mut origin = origin.clone();
                origin.source = format!("{} (edited)", origin.source).into();
                let report = crate::render::findings::report(&origin, &verdict);
                note = Some(report.trim_end().to_string());
            }
            (Err(String::new()), Some(p))
        } else {
            (payload, None)
        };
        let call_id = edited_payload
            .as_ref()
            .or(payload.as_ref().ok())
            .and_then(|p| p.get("call_id"))
            .and_then(id_text);
        let mut headers = HeaderMap::new();
        let recorded = matches!(kind, Kind::Record(_));
        let (method, url, body) = match kind {
            Kind::Record(rec) => {
                headers = passed_on_headers(&rec.headers)
                    .map_err(|e| skip(format!("cannot re-send it: {e}")))?;
                let method = reqwest::Method::from_bytes(rec.method.as_bytes())
                    .map_err(|_| skip(format!("{:?} is not an HTTP method", rec.method)))?;
                let encoding = rec.encoding();
                let (query, body) = match (&edited_payload, rec.body) {
                    (None, Some(body)) => (rec.query.clone(), body),
                    (Some(p), _) if encoding == Encoding::Query => (to_form(p), Vec::new()),
                    (Some(p), _) => (rec.query.clone(), encoding.encode(p).into_bytes()),
                    // A record that kept only its payload: sent the way its method sends one.
                    (None, None) => {
                        let p = payload.as_ref().map_err(|e| skip(e.clone()))?;
                        match encoding {
                            Encoding::Query if rec.query.is_empty() => (to_form(p), Vec::new()),
                            Encoding::Query => (rec.query.clone(), Vec::new()),
                            e => (rec.query.clone(), e.encode(p).into_bytes()),
                        }
                    }
                };
                if !body.is_empty() && !headers.contains_key(CONTENT_TYPE) {
                    if let Some(ct) = encoding.content_type() {
                        headers.insert(CONTENT_TYPE, HeaderValue::from_static(ct));
                    }
                }
                let url = if self.keep_path {
                    self.target.with_path(&rec.path, &query)
                } else {
                    self.target.with_query(&query)
                };
                (method, url, body)
            }
            Kind::BareJson(raw) => {
                let body = match (&edited_payload, raw) {
                    (None, Some(raw)) => raw,
                    (Some(p), _) => Encoding::Json.encode(p).into_bytes(),
                    (None, None) => {
                        let p = payload.as_ref().map_err(|e| skip(e.clone()))?;
                        Encoding::Json.encode(p).into_bytes()
                    }
                };
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                (reqwest::Method::POST, self.target.with_query(""), body)
            }
            Kind::BareForm(raw) => {
                let body = match &edited_payload {
                    None => raw,
                    Some(p) => Encoding::Form.encode(p).into_bytes(),
                };
                headers.insert(
                    CONTENT_TYPE,
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                );
                (reqwest::Method::POST, self.target.with_query(""), body)
            }
        };
        if !recorded {
            headers.insert(
                USER_AGENT,
                HeaderValue::from_static(crate::send::USER_AGENT),
            );
        }
        for name in self.headers.keys() {
            headers.remove(name);
        }
        for (name, value) in &self.headers {
            headers.append(name, value.clone());
        }
        Ok(Some(Request {
            seq: ordinal,
            trigger: trigger.map(|t| t.id),
            call_id,
            method,
            url,
            headers,
            body,
            wait: std::time::Duration::ZERO,
            note,
        }))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use serde_json::json;

    fn entry(value: Value) -> Entry {
        let text = value.to_string();
        Entry::read(
            Item {
                origin: Origin {
                    source: Arc::from("t.ndjson"),
                    line: Some(1),
                    index: None,
                },
                content: Content::JsonText(text),
            },
            1,
        )
        .unwrap()
    }

    fn replay() -> Replay {
        Replay {
            target: Target::parse("http://127.0.0.1:9/to").unwrap(),
            keep_path: false,
            headers: HeaderMap::new(),
            filters: Vec::new(),
            edits: Vec::new(),
            shift: None,
            new_ids: None,
        }
    }

    fn form_record() -> Value {
        json!({"seq": 4, "method": "POST", "path": "/hook", "query": "k=v",
            "headers": [["Host", "x"], ["Content-Type", "application/x-www-form-urlencoded"],
                        ["X-Api-Key", "abc"], ["Content-Length", "60"]],
            "body": "uuid=a1&call_id=1775719461.306731&start_stamp=2026-04-09+12%3A54%3A22&billsec=5",
            "trigger": "hangup"})
    }

    #[test]
    fn unedited_records_go_out_byte_exact() {
        let r = replay().prepare(entry(form_record())).unwrap().unwrap();
        assert_eq!(r.method, reqwest::Method::POST);
        assert_eq!(r.url, "http://127.0.0.1:9/to?k=v");
        assert_eq!(
            r.body,
            b"uuid=a1&call_id=1775719461.306731&start_stamp=2026-04-09+12%3A54%3A22&billsec=5"
        );
        assert_eq!(
            r.headers["content-type"],
            "application/x-www-form-urlencoded"
        );
        assert_eq!(r.headers["x-api-key"], "abc");
        assert!(!r.headers.contains_key("host") && !r.headers.contains_key("content-length"));
        assert_eq!(r.trigger, Some("hangup"));
        assert_eq!(r.call_id.as_deref(), Some("1775719461.306731"));
        let mut keep = replay();
        keep.keep_path = true;
        let r = keep.prepare(entry(form_record())).unwrap().unwrap();
        assert_eq!(r.url, "http://127.0.0.1:9/to/hook?k=v");
    }

    #[test]
    fn edits_keep_the_records_encoding() {
        let mut r = replay();
        r.edits = vec!["billsec=7".parse().unwrap()];
        let req = r.prepare(entry(form_record())).unwrap().unwrap();
        let body = String::from_utf8(req.body).unwrap();
        assert!(body.contains("billsec=7"), "{body}");
        assert!(body.starts_with("uuid=a1&"), "still form: {body}");
        let get = json!({"method": "GET", "path": "/h", "query": "uuid=a1&billsec=5", "body": "",
            "headers": []});
        let req = r.prepare(entry(get)).unwrap().unwrap();
        assert_eq!(req.url, "http://127.0.0.1:9/to?uuid=a1&billsec=7");
        assert!(req.body.is_empty());
    }

    #[test]
    fn filters_select_by_trigger_call_and_seq() {
        let e = entry(form_record());
        let f = |s: &str| -> Vec<Filter> { vec![s.parse().unwrap()] };
        assert!(selected(&f("trigger=hangup"), &e));
        assert!(!selected(&f("trigger=missed"), &e));
        assert!(selected(&f("call_id=1775719461.306731"), &e));
        assert!(selected(&f("seq=2..4"), &e));
        assert!(selected(&f("seq=4"), &e));
        assert!(!selected(&f("seq=5.."), &e));
        assert!(selected(&f("seq=..4"), &e));
        let both = vec![
            "trigger=missed".parse().unwrap(),
            "trigger=hangup".parse().unwrap(),
        ];
        assert!(selected(&both, &e), "the same key: any");
        let and = vec!["trigger=hangup".parse().unwrap(), "seq=1".parse().unwrap()];
        assert!(!selected(&and, &e), "different keys: all");
        assert!("sequence=1".parse::<Filter>().is_err());
        assert!("seq=a..b".parse::<Filter>().is_err());
    }

    #[test]
    fn rebasing_keeps_intervals_and_dialects() {
        let mut p =
            json!({"start_stamp": "2026-04-09 12:54:22", "end_stamp": "2026-04-09 12:55:22",
            "date": "4/9/2026, 12:54:22 PM", "start_date": "4/9/2026", "start_time": "12:54:22",
            "call_flow": [{"type": "init", "time": "1775719462"}, {"time": 1775719463},
                          {"time": 1775719464.25}]})
            .as_object()
            .unwrap()
            .clone();
        assert_eq!(earliest_stamp(&p), Some(1_775_719_462));
        shift_stamps(&mut p, 3600);
        assert_eq!(p["start_stamp"], "2026-04-09 13:54:22");
        assert_eq!(p["end_stamp"], "2026-04-09 13:55:22");
        assert_eq!(p["date"], "4/9/2026, 1:54:22 PM");
        assert_eq!(
            (&p["start_date"], &p["start_time"]),
            (&json!("4/9/2026"), &json!("13:54:22"))
        );
        assert_eq!(p["call_flow"][0]["time"], "1775723062");
        assert_eq!(p["call_flow"][1]["time"], 1_775_723_063);
        assert_eq!(p["call_flow"][2]["time"], 1_775_723_064.25);
    }

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

    #[test]
    fn unknown_edit_keys_are_refused_before_anything_is_sent() {
        let first = json!({"callID": "x"}).as_object().unwrap().clone();
        assert!(check_edit_keys(&["callID=y".parse().unwrap()], Some(&first)).is_ok());
        assert!(check_edit_keys(&["billsec=1".parse().unwrap()], Some(&first)).is_ok());
        let err = check_edit_keys(&["bilsec=1".parse().unwrap()], Some(&first))
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean `billsec`?"), "{err}");
    }

    #[test]
    fn bare_payloads_go_as_post_json_byte_for_byte() {
        let line = r#"{"uuid":"a","call_id":"1.2","end_stamp":"2026-04-09 12:54:22"}"#;
        let e = Entry::read(
            Item {
                origin: Origin {
                    source: Arc::from("p.ndjson"),
                    line: Some(3),
                    index: None,
                },
                content: Content::JsonText(line.into()),
            },
            3,
        )
        .unwrap();
        let r = replay().prepare(e).unwrap().unwrap();
        assert_eq!(r.body, line.as_bytes());
        assert_eq!(r.headers["content-type"], "application/json");
        assert_eq!(r.method, reqwest::Method::POST);
        assert_eq!(r.seq, 3);
    }
}
