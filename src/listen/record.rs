//! The capture record (docs/capture-record.md): one JSON object per request, what `listen` saves and prints with
//! `--format json`, and what `validate` and `replay` read back.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::encode::{Encoding, to_form};
use crate::redact;
use crate::send::Answer;
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

/// The record of a request and what was made of it, serialized straight from borrowed parts
/// (it is written once per request, on the hot path), keys in the documented order (docs/capture-record.md, "Fields"). The writer only:
/// `validate` and `replay` read records back as [`crate::input::ReadRecord`], owned and lenient
/// (a hand-written record may lack fields), which a borrowed type cannot be.
#[derive(Serialize)]
pub struct CaptureRecord<'a> {
    seq: u64,
    received_at: &'a str,
    remote_addr: &'a str,
    method: &'a str,
    path: &'a str,
    query: &'a str,
    headers: &'a [(String, String)],
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a str>,
    /// The body when it is not UTF-8, so that nothing is lost.
    #[serde(skip_serializing_if = "Option::is_none")]
    body_base64: Option<String>,
    payload: Option<&'a Map<String, Value>>,
    trigger: Option<&'static str>,
    verdict: &'a Verdict,
    response: Response<'a>,
}

impl Received {
    /// The first value of header `name`, compared ignoring case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// This request with phone numbers, names and recording tokens masked (`--redact`,
    /// `--redact-saved`): the payload masked, the body or query re-encoded from it the way it
    /// arrived, credentials in headers masked (the masking is [`crate::redact`]'s; the
    /// re-encoding is the record's). A body that could not be decoded cannot be masked, so it
    /// is left out.
    pub fn redacted(
        &self,
        payload: Option<&Map<String, Value>>,
    ) -> (Received, Option<Map<String, Value>>) {
        let content_type = self.header("content-type");
        let masked = payload.map(redact::payload);
        let (mut query, mut body) = (self.query.clone(), Vec::new());
        if let Some(m) = &masked {
            match Encoding::of_request(&self.method, content_type, &self.query, Some(&self.body)) {
                Encoding::Query => query = to_form(m),
                encoding => body = encoding.encode(m).into_bytes(),
            }
        }
        let headers = self
            .headers
            .iter()
            .map(|(n, v)| (n.clone(), redact::header(n, v)))
            .collect();
        let request = Received {
            seq: self.seq,
            received_at: self.received_at.clone(),
            remote_addr: self.remote_addr.clone(),
            method: self.method.clone(),
            path: self.path.clone(),
            query,
            headers,
            body,
        };
        (request, masked)
    }
}

/// What listen answered.
#[derive(Serialize)]
pub struct Response<'a> {
    pub status: u16,
    pub delay_ms: u64,
    /// What the app made of it, with `--forward`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forward: Option<&'a Answer>,
}

impl<'a> CaptureRecord<'a> {
    pub fn new(
        req: &'a Received,
        payload: Option<&'a Map<String, Value>>,
        verdict: &'a Verdict,
        response: Response<'a>,
    ) -> CaptureRecord<'a> {
        let body = std::str::from_utf8(&req.body).ok();
        CaptureRecord {
            seq: req.seq,
            received_at: &req.received_at,
            remote_addr: &req.remote_addr,
            method: &req.method,
            path: &req.path,
            query: &req.query,
            headers: &req.headers,
            body,
            body_base64: body.is_none().then(|| STANDARD.encode(&req.body)),
            payload,
            trigger: verdict.trigger,
            verdict,
            response,
        }
    }
}

/// Now, as `received_at` says it: RFC 3339 in UTC with milliseconds.
pub fn now_rfc3339() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    crate::timestamp::format_rfc3339_utc(now.as_secs() as i64, now.subsec_millis())
}
