//! The capture record (SPEC 4): one JSON object per request, what `listen` saves and prints with
//! `--format json`, and what `validate` and `replay` read back.

use base64::Engine;
use serde_json::{Map, Value, json};

use crate::validate::Verdict;

/// A request as received, before it is answered.
pub struct Received {
    pub seq: u64,
    pub received_at: String,
    pub remote_addr: String,
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The record of a request and what was made of it.
pub fn record(
    req: &Received,
    payload: Option<&Map<String, Value>>,
    verdict: &Verdict,
    status: u16,
    delay_ms: u64,
) -> Value {
    let headers: Vec<Value> = req.headers.iter().map(|(k, v)| json!([k, v])).collect();
    let mut record = json!({
        "seq": req.seq,
        "received_at": req.received_at,
        "remote_addr": req.remote_addr,
        "method": req.method,
        "path": req.path,
        "query": req.query,
        "headers": headers,
    });
    match std::str::from_utf8(&req.body) {
        Ok(text) => record["body"] = json!(text),
        Err(_) => {
            record["body_base64"] =
                json!(base64::engine::general_purpose::STANDARD.encode(&req.body))
        }
    }
    record["payload"] = payload.map_or(Value::Null, |p| Value::Object(p.clone()));
    record["trigger"] = json!(verdict.trigger);
    record["verdict"] = verdict.to_json();
    record["response"] = json!({"status": status, "delay_ms": delay_ms});
    record
}

/// RFC 3339 with milliseconds, in UTC (`2026-04-09T07:24:22.123+00:00`).
pub fn now_rfc3339() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs() as i64;
    let (date, time) = crate::timestamp::format_date_time(secs - crate::timestamp::IST_OFFSET);
    format!("{date}T{time}.{:03}+00:00", now.subsec_millis())
}
