//! What `replay` sends (docs/architecture.md). A capture record goes out as it came in: same method, query,
//! body bytes and Content-Type (the path becomes the target's unless `--keep-path`). Edits
//! (`--set`, `--rebase-time`, `--new-ids`) change the decoded payload, which is then encoded again
//! the way the record arrived (JSON body, form body or GET query; nested form values as JSON or Go
//! `fmt.Sprint` text, as they came) and validated. Bare payloads go out as POST JSON (form text
//! files as POST form) with the platform's User-Agent; a record keeps the headers it came with.
//!
//! The parts: `filter` (which entries), `rebase` (the time shift), `new_ids` (fresh call ids).

mod filter;
mod new_ids;
mod rebase;

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use serde_json::{Map, Value};

pub use filter::{Filter, selected};
pub use new_ids::{IdMinter, renew_ids};
pub use rebase::{earliest_stamp, shift_stamps};

use crate::catalog::Trigger;
use crate::edit::{self, Edit};
use crate::encode::{Encoding, FormStyle, to_form, to_form_with};
use crate::input::{Classified, Item, RecordedRequest};
use crate::send::{Request, Target, passed_on_headers};
use crate::validate::Verdict;
use crate::validate::detect::{Detection, detect};

/// How an entry arrived, which is how it goes out again.
#[derive(Clone, Debug)]
pub enum Arrival {
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
    pub arrival: Arrival,
    /// The decoded payload, or why it could not be decoded.
    pub payload: Result<Map<String, Value>, String>,
    /// The recorded trigger, else the detected one.
    pub trigger: Option<&'static Trigger>,
}

impl Entry {
    /// Reads one item of the input; an error says why it is neither a record nor a payload (the
    /// item is skipped). Where it came from stays with the caller, which reports it.
    pub fn read(item: Item, ordinal: u64) -> Result<Entry, String> {
        let (arrival, payload, recorded) = match item.classify()? {
            Classified::Record(record) => (
                Arrival::Record(record.request),
                record.payload,
                record.trigger,
            ),
            Classified::BareJson(map, raw) => (Arrival::BareJson(raw), Ok(map), None),
            Classified::BareForm(map, text) => (Arrival::BareForm(text), Ok(map), None),
        };
        let trigger = recorded.or_else(|| match &payload {
            Ok(p) => match detect(p) {
                Detection::Found(t) => Some(t),
                Detection::Undecided(_) => None,
            },
            Err(_) => None,
        });
        Ok(Entry {
            ordinal,
            arrival,
            payload,
            trigger,
        })
    }

    /// The `seq` a `--filter seq=` compares: the record's, else the place in the input.
    pub fn seq(&self) -> u64 {
        match &self.arrival {
            Arrival::Record(RecordedRequest { seq: Some(s), .. }) => *s,
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

/// What an entry becomes.
pub struct Prepared {
    pub request: Request,
    /// The edited payload's verdict, when the run edits (the caller shows its findings).
    pub verdict: Option<Verdict>,
}

/// The payload an entry goes out with: as it was read, or edited (then encoded again).
enum Payload {
    AsRead(Result<Map<String, Value>, String>),
    Edited(Map<String, Value>),
}

impl Payload {
    fn get(&self) -> Result<&Map<String, Value>, String> {
        match self {
            Payload::AsRead(read) => read.as_ref().map_err(Clone::clone),
            Payload::Edited(p) => Ok(p),
        }
    }
}

/// A request before `--header` is laid over it.
struct Draft {
    method: reqwest::Method,
    url: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Replay {
    fn edits(&self) -> bool {
        !self.edits.is_empty() || self.shift.is_some() || self.new_ids.is_some()
    }

    /// The request an entry becomes; `None` when the filters leave it out. An error says why
    /// the entry cannot be sent.
    pub fn prepare(&self, entry: Entry) -> Result<Option<Prepared>, String> {
        if !selected(&self.filters, &entry) {
            return Ok(None);
        }
        let Entry {
            ordinal,
            arrival,
            payload,
            trigger,
        } = entry;
        let (payload, verdict) = if self.edits() {
            let edited = self.edited(payload, trigger)?;
            let verdict = crate::validate::validate(&edited, trigger);
            (Payload::Edited(edited), Some(verdict))
        } else {
            (Payload::AsRead(payload), None)
        };
        self.request(ordinal, arrival, trigger, payload, verdict)
            .map(Some)
    }

    /// The request an entry becomes with `payload` in place of its own (the inspector's
    /// edit-and-replay): encoded again the way the entry arrived, and validated. No filters.
    pub fn prepare_with(
        &self,
        entry: Entry,
        payload: Map<String, Value>,
    ) -> Result<Prepared, String> {
        let verdict = crate::validate::validate(&payload, entry.trigger);
        let payload = Payload::Edited(payload);
        self.request(
            entry.ordinal,
            entry.arrival,
            entry.trigger,
            payload,
            Some(verdict),
        )
    }

    /// The request of an entry whose payload is settled (as read, or edited).
    fn request(
        &self,
        ordinal: u64,
        arrival: Arrival,
        trigger: Option<&'static Trigger>,
        payload: Payload,
        verdict: Option<Verdict>,
    ) -> Result<Prepared, String> {
        let call_id = payload
            .get()
            .ok()
            .and_then(|p| p.get("call_id"))
            .and_then(id_text);
        let mut draft = match arrival {
            Arrival::Record(rec) => self.record(rec, &payload)?,
            Arrival::BareJson(raw) => self.bare(raw, Encoding::Json, &payload)?,
            Arrival::BareForm(text) => self.bare(Some(text), Encoding::Form, &payload)?,
        };
        for name in self.headers.keys() {
            draft.headers.remove(name);
        }
        for (name, value) in &self.headers {
            draft.headers.append(name, value.clone());
        }
        let request = Request {
            seq: ordinal,
            trigger: trigger.map(|t| t.id),
            call_id,
            method: draft.method,
            url: draft.url,
            headers: draft.headers,
            body: draft.body,
            wait: std::time::Duration::ZERO,
            note: None,
        };
        Ok(Prepared { request, verdict })
    }

    /// `--set`, `--rebase-time` and `--new-ids` applied to a payload.
    fn edited(
        &self,
        payload: Result<Map<String, Value>, String>,
        trigger: Option<&'static Trigger>,
    ) -> Result<Map<String, Value>, String> {
        let mut p = payload.map_err(|e| format!("cannot edit it: {e}"))?;
        edit::apply(&mut p, &self.edits, trigger).map_err(|e| {
            format!("{e:#} (--filter trigger=… replays only the records that have it)")
        })?;
        if let Some(delta) = self.shift {
            shift_stamps(&mut p, delta);
        }
        if let Some(minter) = &self.new_ids {
            renew_ids(&mut p, minter);
        }
        Ok(p)
    }

    /// A capture record: its method, query, headers and bytes, unless edited (then its
    /// payload encoded again the way it travelled).
    fn record(&self, rec: RecordedRequest, payload: &Payload) -> Result<Draft, String> {
        let mut headers =
            passed_on_headers(&rec.headers).map_err(|e| format!("cannot re-send it: {e}"))?;
        let method = reqwest::Method::from_bytes(rec.method.as_bytes())
            .map_err(|_| format!("{:?} is not an HTTP method", rec.method))?;
        let encoding = rec.encoding();
        // Nested values go out again as they came: JSON text, or the Go dispatcher's text (read
        // only for an edited record: one sent as read goes byte for byte).
        let style = match (payload, encoding, &rec.body) {
            (Payload::AsRead(_), ..) => FormStyle::Json,
            (_, Encoding::Query, _) => FormStyle::of_form(rec.query.as_bytes()),
            (_, Encoding::Form, Some(body)) => FormStyle::of_form(body),
            _ => FormStyle::Json,
        };
        let (query, body) = match (payload, rec.body) {
            (Payload::AsRead(_), Some(body)) => (rec.query.clone(), body),
            (Payload::Edited(p), _) if encoding == Encoding::Query => {
                (to_form_with(p, style), Vec::new())
            }
            (Payload::Edited(p), _) => (
                rec.query.clone(),
                encoding.encode_with(p, style).into_bytes(),
            ),
            // A record that kept only its payload: sent the way its method sends one.
            (Payload::AsRead(_), None) => {
                let p = payload.get()?;
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
        Ok(Draft {
            method,
            url,
            headers,
            body,
        })
    }

    /// A bare payload: a POST of its text as read, or of the edited payload, as `encoding`.
    fn bare(
        &self,
        raw: Option<Vec<u8>>,
        encoding: Encoding,
        payload: &Payload,
    ) -> Result<Draft, String> {
        let style = match (payload, encoding, &raw) {
            (Payload::Edited(_), Encoding::Form, Some(text)) => FormStyle::of_form(text),
            _ => FormStyle::Json,
        };
        let body = match (payload, raw) {
            (Payload::AsRead(_), Some(raw)) => raw,
            (p, _) => encoding.encode_with(p.get()?, style).into_bytes(),
        };
        let content_type = encoding.content_type().unwrap_or("application/json");
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers.insert(
            USER_AGENT,
            HeaderValue::from_static(crate::send::USER_AGENT),
        );
        Ok(Draft {
            method: reqwest::Method::POST,
            url: self.target.with_query(""),
            headers,
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::input::{Content, Origin};
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
        let r = replay()
            .prepare(entry(form_record()))
            .unwrap()
            .unwrap()
            .request;
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
        let r = keep.prepare(entry(form_record())).unwrap().unwrap().request;
        assert_eq!(r.url, "http://127.0.0.1:9/to/hook?k=v");
    }

    #[test]
    fn edits_keep_the_records_encoding() {
        let mut r = replay();
        r.edits = vec!["billsec=7".parse().unwrap()];
        let req = r.prepare(entry(form_record())).unwrap().unwrap().request;
        let body = String::from_utf8(req.body).unwrap();
        assert!(body.contains("billsec=7"), "{body}");
        assert!(body.starts_with("uuid=a1&"), "still form: {body}");
        let get = json!({"method": "GET", "path": "/h", "query": "uuid=a1&billsec=5", "body": "",
            "headers": []});
        let req = r.prepare(entry(get)).unwrap().unwrap().request;
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
        let r = replay().prepare(e).unwrap().unwrap().request;
        assert_eq!(r.body, line.as_bytes());
        assert_eq!(r.headers["content-type"], "application/json");
        assert_eq!(r.method, reqwest::Method::POST);
        assert_eq!(r.seq, 3);
    }
}
