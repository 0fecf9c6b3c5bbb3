//! The JSON API the page uses (and tests call), behind the guard:
//! - `GET /api/records`: every record, a capture record each, oldest first;
//! - `GET /api/records/{seq}`: one; `GET /api/records/{seq}/view`: what the detail view draws of
//!   it (the call summary line, the flow timeline, its replay attempts);
//! - `GET /api/calls`: the records grouped into calls, as `calls --format json` says them, with
//!   each call's summary line and its text block;
//! - `POST /api/validate` `{"payload", "trigger"?}`: the payload's verdict, by the same rules;
//! - `POST /api/replay` `{"seq", "to"?, "payload"?}`: record `seq` sent again (to `listen
//!   --forward`'s app unless `to` says where), `payload` in place of its own re-encoded the way
//!   the record arrived; the attempt is kept with the record and returned;
//! - `GET /api/info`: where replays go by default.

use std::io::Read;
use std::sync::Arc;
use std::sync::OnceLock;

use reqwest::blocking::Client;
use serde_json::{Map, Value, json};

use super::Inspector;
use crate::calls::{Event, Grouper};
use crate::color::plain;
use crate::input::{Content, Item, Origin};
use crate::render::call_summary;
use crate::replay::{Entry, Replay};
use crate::send::{self, ClientOptions, Keep, Target};

/// Largest request body the API reads (an edited payload).
const MAX_BODY: usize = 2 * 1024 * 1024;

pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, value: &Value) -> Reply {
        Reply {
            status,
            content_type: "application/json",
            body: value.to_string().into_bytes(),
        }
    }

    pub fn error(status: u16, message: impl Into<String>) -> Reply {
        Reply::json(status, &json!({"error": message.into()}))
    }
}

pub fn route(method: &str, path: &str, request: &mut tiny_http::Request, ins: &Inspector) -> Reply {
    let parts: Vec<&str> = path.trim_start_matches("/api/").split('/').collect();
    match (method, parts.as_slice()) {
        ("GET", ["records"]) => records(ins),
        ("GET", ["records", seq]) => with_seq(seq, |seq| record(ins, seq)),
        ("GET", ["records", seq, "view"]) => with_seq(seq, |seq| view(ins, seq)),
        ("GET", ["calls"]) => calls(ins),
        ("GET", ["info"]) => Reply::json(
            200,
            &json!({
                "default_to": ins.default_to.as_ref().map(Target::as_str),
                "live": ins.live,
            }),
        ),
        ("POST", ["validate"]) => match body(request) {
            Ok(body) => validate(&body),
            Err(reply) => reply,
        },
        ("POST", ["replay"]) => match body(request) {
            Ok(body) => replay(ins, &body),
            Err(reply) => reply,
        },
        (_, ["records" | "calls" | "info" | "validate" | "replay", ..]) => {
            Reply::error(405, format!("{method} is not allowed here"))
        }
        _ => Reply::error(404, format!("no such API: {path}")),
    }
}

fn with_seq(text: &str, f: impl FnOnce(u64) -> Reply) -> Reply {
    match text.parse() {
        Ok(seq) => f(seq),
        Err(_) => Reply::error(400, format!("expected a record number, found {text:?}")),
    }
}

fn body(request: &mut tiny_http::Request) -> Result<Value, Reply> {
    let mut bytes = Vec::new();
    let read = request
        .as_reader()
        .take(MAX_BODY as u64 + 1)
        .read_to_end(&mut bytes);
    if read.is_err() || bytes.len() > MAX_BODY {
        return Err(Reply::error(413, "the request body is too large or broken"));
    }
    serde_json::from_slice(&bytes)
        .map_err(|e| Reply::error(400, format!("expected a JSON object: {e}")))
}

fn records(ins: &Inspector) -> Reply {
    let lines = ins.hub.lines();
    let mut body = Vec::with_capacity(lines.iter().map(|(_, l)| l.len() + 1).sum::<usize>() + 2);
    body.push(b'[');
    for (i, (_, line)) in lines.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(line.as_bytes());
    }
    body.push(b']');
    Reply {
        status: 200,
        content_type: "application/json",
        body,
    }
}

fn record(ins: &Inspector, seq: u64) -> Reply {
    match ins.hub.get(seq) {
        Some((line, _)) => Reply {
            status: 200,
            content_type: "application/json",
            body: line.as_bytes().to_vec(),
        },
        None => Reply::error(404, format!("no record {seq}")),
    }
}

/// An item of the input that `calls` and `replay` read, made of a kept line.
fn item(seq: u64, line: &str) -> Item {
    Item {
        origin: Origin {
            source: Arc::from("inspector"),
            line: Some(seq as usize),
            index: None,
        },
        content: Content::JsonText(line.to_string()),
    }
}

fn view(ins: &Inspector, seq: u64) -> Reply {
    let Some((line, attempts)) = ins.hub.get(seq) else {
        return Reply::error(404, format!("no record {seq}"));
    };
    let live = serde_json::from_str::<Value>(&line)
        .ok()
        .is_some_and(|r| call_summary::is_live(r["trigger"].as_str()));
    let payload = Entry::read(item(seq, &line), seq)
        .ok()
        .and_then(|e| e.payload.ok());
    Reply::json(
        200,
        &json!({
            "seq": seq,
            "summary": payload.as_ref().map(|p| plain(&call_summary::summary(p, false))),
            "timeline": payload.as_ref().and_then(|p| call_summary::timeline(p, false, live)).map(|t| plain(&t)),
            "attempts": attempts,
        }),
    )
}

fn calls(ins: &Inspector) -> Reply {
    let mut grouper = Grouper::new();
    let mut closed = Vec::new();
    for (seq, line, cache) in ins.hub.events() {
        let (event, summary) = cache
            .get_or_init(|| {
                let (mut event, payload): (Event, _) = Event::from_item(item(seq, &line));
                event.seq = Some(seq);
                (event, payload.map(|p| call_summary::summary(&p, false)))
            })
            .clone();
        closed.extend(grouper.push(event, summary));
    }
    closed.extend(grouper.finish());
    let calls: Vec<Value> = closed
        .iter()
        .map(|call| {
            let mut value = crate::render::calls::json(call);
            if let Value::Object(map) = &mut value {
                map.insert("summary".into(), json!(call.summary.as_deref().map(plain)));
                map.insert(
                    "text".into(),
                    json!(plain(&crate::render::calls::text(call))),
                );
            }
            value
        })
        .collect();
    Reply::json(200, &Value::Array(calls))
}

fn validate(body: &Value) -> Reply {
    let Some(payload) = body.get("payload").and_then(Value::as_object) else {
        return Reply::error(400, "expected {\"payload\": {…}}");
    };
    let trigger = body
        .get("trigger")
        .and_then(Value::as_str)
        .and_then(crate::catalog::find_trigger);
    let verdict = crate::validate::validate(payload, trigger);
    Reply::json(200, &verdict.to_json())
}

fn replay(ins: &Inspector, body: &Value) -> Reply {
    let Some(seq) = body.get("seq").and_then(Value::as_u64) else {
        return Reply::error(
            400,
            "expected {\"seq\": N, \"to\"?: URL, \"payload\"?: {…}}",
        );
    };
    let Some((line, _)) = ins.hub.get(seq) else {
        return Reply::error(404, format!("no record {seq}"));
    };
    // The app of `--forward` gets the recorded path below its own, as forwarding does; a URL
    // typed in is used as given, as `replay --to` does.
    let (target, keep_path) = match body.get("to").and_then(Value::as_str) {
        Some(to) if !to.trim().is_empty() => match Target::parse(to) {
            Ok(t) => (t, false),
            Err(e) => return Reply::error(400, format!("{e:#}")),
        },
        _ => match &ins.default_to {
            Some(t) => (t.clone(), true),
            None => {
                return Reply::error(
                    400,
                    "where to? give \"to\" (listen --forward sets a default)",
                );
            }
        },
    };
    let edited: Option<Map<String, Value>> = match body.get("payload") {
        None | Some(Value::Null) => None,
        Some(Value::Object(p)) => Some(p.clone()),
        Some(_) => return Reply::error(400, "expected \"payload\" to be a JSON object"),
    };
    let entry = match Entry::read(item(seq, &line), seq) {
        Ok(e) => e,
        Err(e) => return Reply::error(422, format!("record {seq} cannot be read: {e}")),
    };
    let replay = Replay {
        target,
        keep_path,
        headers: Default::default(),
        filters: Vec::new(),
        edits: Vec::new(),
        shift: None,
        new_ids: None,
    };
    let was_edited = edited.is_some();
    let prepared = match edited {
        Some(p) => replay.prepare_with(entry, p),
        None => replay
            .prepare(entry)
            .and_then(|p| p.ok_or_else(|| "filtered out".into())),
    };
    let prepared = match prepared {
        Ok(p) => p,
        Err(e) => return Reply::error(422, format!("record {seq} cannot be sent: {e}")),
    };
    let request = prepared.request;
    let client = match replay_client() {
        Ok(c) => c,
        Err(e) => return Reply::error(500, format!("{e:#}")),
    };
    let (method, headers, sent) = (
        request.method.clone(),
        request.headers.clone(),
        request.body.clone(),
    );
    let answer = send::exchange(request.url, send::SERVETEL_TIMEOUT, Keep::Excerpt, |url| {
        let mut builder = client.request(method.clone(), url).headers(headers.clone());
        if !sent.is_empty() {
            builder = builder.body(sent.clone());
        }
        Ok(builder)
    });
    let attempt = json!({
        "seq": seq,
        "at": now(),
        "edited": was_edited,
        "method": method.as_str(),
        "headers": headers.iter().map(|(n, v)| json!([send::title_case(n.as_str()), v.to_str().unwrap_or("")])).collect::<Vec<_>>(),
        "body": String::from_utf8_lossy(&sent),
        "verdict": prepared.verdict.map(|v| v.to_json()),
        "answer": answer,
    });
    ins.hub.attempt(seq, &attempt);
    Reply::json(200, &attempt)
}

fn replay_client() -> anyhow::Result<&'static Client> {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    if let Some(c) = CLIENT.get() {
        return Ok(c);
    }
    let client = send::client(&ClientOptions {
        timeout: send::SERVETEL_TIMEOUT,
        insecure: false,
        cacert: None,
        pool: 4,
    })?;
    Ok(CLIENT.get_or_init(|| client))
}

/// Now in RFC 3339, UTC, as a capture record's `received_at` says it.
fn now() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    crate::timestamp::format_rfc3339_utc(now.as_secs() as i64, now.subsec_millis())
}
