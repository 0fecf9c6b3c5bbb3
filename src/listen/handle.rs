//! One request, start to finish: read it (bounded), judge it (auth, size, decode, trigger,
//! validate, dedupe), pass it on (`--forward`), write its record, hand it to the printer
//! (`printer.rs`, another thread), and only then answer.

use std::sync::atomic::Ordering;

use serde_json::{Map, Value};

use super::http::{self, Problem};
use super::printer::Job;
use super::record::{self, CaptureRecord, Received};
use super::reply::{self, Reply};
use super::{Format, Shared};
use crate::send::Answer;
use crate::validate::{self, Verdict};

/// What was made of a request.
struct Judged {
    payload: Option<Map<String, Value>>,
    /// The payload mapped back to the variables through the webhook's template, if one applied:
    /// what the printout's call lines read (the tenant's keys name no variable).
    variables: Option<Map<String, Value>>,
    verdict: Verdict,
    status: u16,
}

/// Buffers a worker keeps from one request to the next, so the hot path does not ask the
/// allocator for them again.
#[derive(Default)]
pub(super) struct Scratch {
    /// The capture record as saved, with its newline.
    record: Vec<u8>,
}

impl Scratch {
    /// The largest buffer kept for the next request (a real record is a few KiB).
    const KEPT: usize = 256 * 1024;
}

pub(super) fn handle(
    mut request: tiny_http::Request,
    shared: &Shared,
    scratch: &mut Scratch,
) -> anyhow::Result<()> {
    let opts = &shared.opts;
    let mut received = received(&request, shared);
    let local = shared.http.local_addr();
    let body = http::read_body(&shared.http, &mut request, opts.max_body);
    let too_large = matches!(body.problem, Some(Problem::TooLarge)) && body.close;
    let close = body.close;
    let problem = body.problem;
    received.body = body.bytes;

    let mut judged = judge(&received, problem.as_ref(), shared);
    let counter = if judged.verdict.valid() {
        &shared.valid
    } else {
        &shared.invalid
    };
    counter.fetch_add(1, Ordering::SeqCst);
    if judged.status == 401 {
        shared.rejected.fetch_add(1, Ordering::SeqCst);
    }
    // Past --require-header and --max-body a request goes on to the app, whose answer becomes
    // the sender's.
    let forwarded = match &opts.forward {
        Some(forwarder) if problem.is_none() && judged.status != 401 => {
            Some(forwarder.forward(&received))
        }
        _ => None,
    };
    if let Some(f) = &forwarded {
        judged.status = f.status.unwrap_or(502);
    }

    // The record is serialized once into the worker's buffer and written from it.
    let masked_printout = opts.redact && opts.format == Format::Json;
    let masked =
        (opts.redact_saved || masked_printout).then(|| received.redacted(judged.payload.as_ref()));
    let as_saved = match (&masked, opts.redact_saved) {
        (Some((request, payload)), true) => (request, payload.as_ref()),
        _ => (&received, judged.payload.as_ref()),
    };
    let record = &mut scratch.record;
    write_record(record, as_saved, &judged, forwarded.as_ref(), shared)?;
    let unsaved = save(shared, &received, record)
        .err()
        .map(|e| format!("{e:#}"));
    if let Some(why) = &unsaved {
        // Never acknowledged, so the sender retries: nothing it was told is saved is lost.
        judged.status = 503;
        shared.unsaved.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut last) = shared.unsaved_why.lock() {
            *last = Some(why.clone());
        }
        // Printed and shown as it would have been saved, with the 503.
        write_record(record, as_saved, &judged, forwarded.as_ref(), shared)?;
    }
    // `--format json` prints the record: as saved, unless only one of saved and printed is masked.
    let printed = match opts.format {
        Format::Json if unsaved.is_none() && opts.redact_saved != masked_printout => {
            let as_printed = match &masked {
                Some((request, payload)) if masked_printout => (request, payload.as_ref()),
                _ => (&received, judged.payload.as_ref()),
            };
            let mut line = Vec::with_capacity(record.len());
            write_record(&mut line, as_printed, &judged, forwarded.as_ref(), shared)?;
            Some(line)
        }
        _ => None,
    };
    // The printout's place, taken once the record is saved: a sender's requests print in
    // the order they were answered; two workers saving at the same instant may print either way
    // round. From here on nothing returns early (the printer waits for every ticket).
    let ticket = shared.printer.ticket();
    let answer = answer(
        &received,
        &judged,
        forwarded.as_ref(),
        unsaved.as_deref(),
        shared,
    );
    let job = Job {
        received: &received,
        payload: judged.payload.as_ref(),
        variables: judged.variables.as_ref(),
        verdict: &judged.verdict,
        status: judged.status,
        forwarded: forwarded.as_ref(),
        line: Some(printed.as_deref().unwrap_or(record)),
        unsaved: unsaved.as_deref(),
    };
    // Drawn after the answer, so that it never holds up the sender; with --delay, while it waits.
    if !opts.delay.is_zero() {
        shared.printer.print(ticket, &job);
        std::thread::sleep(opts.delay);
    }
    if too_large {
        reply::send_and_abandon(request, &answer.as_reply(), local);
    } else {
        reply::send(request, &answer.as_reply(), close, local);
    }
    if opts.delay.is_zero() {
        shared.printer.print(ticket, &job);
    }
    // After the answer, so the page never holds up the sender; the record as saved.
    if let Some(hub) = &opts.inspect {
        hub.publish(record);
    }
    let seq = received.seq;
    if opts.count.is_some_and(|c| seq >= c) {
        shared.stop.store(true, Ordering::SeqCst);
    }
    // A huge request's buffer is not kept: its memory goes back once it is over.
    if record.capacity() > Scratch::KEPT {
        *record = Vec::new();
    }
    Ok(())
}

/// The answer's status, content type and body, owned: the request's parts go to the printer
/// before it is sent.
struct Answered {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

impl Answered {
    fn as_reply(&self) -> Reply<'_> {
        Reply {
            status: self.status,
            content_type: &self.content_type,
            body: &self.body,
        }
    }
}

/// What listen answers: the app's answer with `--forward`, `--respond-body`, else
/// `{"ok":…,"seq":…}`; `{"ok":false,…,"error":…}` when the record could not be saved or the app
/// could not be reached.
fn answer(
    received: &Received,
    judged: &Judged,
    forwarded: Option<&Answer>,
    unsaved: Option<&str>,
    shared: &Shared,
) -> Answered {
    let json = |body: String| (body.into_bytes(), "application/json".to_string());
    let error = |error: &str| {
        json(serde_json::json!({"ok": false, "seq": received.seq, "error": error}).to_string())
    };
    let (body, content_type) = match (forwarded, &shared.opts.respond_body) {
        _ if unsaved.is_some() => error(&format!("not saved: {}", unsaved.unwrap_or_default())),
        (Some(f), _) if f.status.is_some() => (
            f.body.clone(),
            f.content_type
                .as_deref()
                .unwrap_or("application/octet-stream")
                .to_string(),
        ),
        (Some(f), _) => error(f.error.as_deref().unwrap_or_default()),
        (None, Some(text)) if (200..300).contains(&judged.status) => {
            (text.as_bytes().to_vec(), text_type(text).to_string())
        }
        (None, _) => json(format!(
            "{{\"ok\":{},\"seq\":{}}}",
            judged.status < 300,
            received.seq
        )),
    };
    Answered {
        status: judged.status,
        content_type,
        body,
    }
}

/// The request line and headers, numbered and stamped; the body comes after.
fn received(request: &tiny_http::Request, shared: &Shared) -> Received {
    let url = request.url();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    Received {
        seq: shared.seq.fetch_add(1, Ordering::SeqCst) + 1,
        received_at: record::now_rfc3339(),
        remote_addr: request
            .remote_addr()
            .map(|a| a.to_string())
            .unwrap_or_default(),
        method: request.method().as_str().to_string(),
        path: path.to_string(),
        query: query.to_string(),
        headers: request
            .headers()
            .iter()
            .map(|h| (h.field.as_str().to_string(), h.value.as_str().to_string()))
            .collect(),
        body: Vec::new(),
    }
}

/// 413 over `--max-body`, 400 when the body cannot be decoded; else the payload checked against
/// its trigger (`--trigger`, a `--route`, the config webhook it came from, or detection),
/// duplicates flagged, answered with `--status`. Without the `--require-header` it is answered
/// 401 with an `auth` finding, the payload judged all the same: the record's verdict is then what
/// `validate` says of the saved record, and the record says it was rejected.
fn judge(received: &Received, problem: Option<&Problem>, shared: &Shared) -> Judged {
    let rejected = shared
        .opts
        .require_header
        .as_ref()
        .filter(|(name, value)| received.header(name) != Some(value.as_str()));
    let mut judged = judge_payload(received, problem, shared, rejected.is_none());
    if let Some((name, _)) = rejected {
        let why = format!(
            "rejected with 401: expected the header `{name}` with the required value, found {}",
            match received.header(name) {
                Some(_) => "another value",
                None => "no such header",
            }
        );
        // After the errors, first of the warnings: errors lead every list (docs/rules.md).
        let at = judged.verdict.errors();
        let finding = validate::Finding::new(validate::Code::Auth, "", why);
        judged.verdict.findings.insert(at, finding);
        judged.status = 401;
    }
    judged
}

/// The payload's own verdict; `dedupe` off for a rejected request, whose retry with the header
/// is the first delivery.
fn judge_payload(
    received: &Received,
    problem: Option<&Problem>,
    shared: &Shared,
    dedupe: bool,
) -> Judged {
    let opts = &shared.opts;
    let failed = |why: String, status| Judged {
        payload: None,
        variables: None,
        verdict: validate::parse_failure(why),
        status,
    };
    match problem {
        Some(Problem::TooLarge) => {
            let why = format!(
                "expected a body of at most {} bytes (--max-body), found a larger one",
                opts.max_body
            );
            return failed(why, 413);
        }
        Some(Problem::Refused(status, why)) => return failed(why.clone(), *status),
        None => {}
    }
    let content_type = received.header("content-type");
    let payload = match crate::decode::decode_request(
        &received.method,
        content_type,
        &received.query,
        &received.body,
    ) {
        Ok(p) => p,
        Err(e) => return failed(e.to_string(), 400),
    };
    let route = opts
        .routes
        .iter()
        .find(|(p, _)| *p == received.path)
        .map(|(_, t)| *t);
    let webhook = shared.config.as_ref().and_then(|c| match &opts.webhook {
        Some(name) => c.webhook(name).ok(),
        None => c.for_request(&received.method, &received.path, &received.headers),
    });
    let (trigger, template) = match (opts.trigger.or(route), webhook) {
        (Some(t), _) => (Some(t), None),
        (None, Some(w)) => (Some(w.trigger), w.template.as_ref()),
        (None, None) => (None, None),
    };
    let checked = validate::check(&payload, trigger, template);
    let mut verdict = checked.verdict;
    if let (true, Ok(mut seen)) = (dedupe, shared.dedupe.lock()) {
        seen.check(checked.dedupe_key, &mut verdict);
    }
    Judged {
        variables: checked.variables,
        payload: Some(payload),
        verdict,
        status: opts.status,
    }
}

/// Serializes the capture record of `received` (as saved or as printed: masked or not) into
/// `line`, replacing what it held, with its newline.
fn write_record(
    line: &mut Vec<u8>,
    (received, payload): (&Received, Option<&Map<String, Value>>),
    judged: &Judged,
    forwarded: Option<&Answer>,
    shared: &Shared,
) -> anyhow::Result<()> {
    let response = record::Response {
        status: judged.status,
        delay_ms: shared.opts.delay.as_millis() as u64,
        forward: forwarded,
    };
    line.clear();
    serde_json::to_writer(
        &mut *line,
        &CaptureRecord::new(received, payload, &judged.verdict, response),
    )?;
    line.push(b'\n');
    Ok(())
}

/// `--respond-body`'s content type: JSON when it looks like JSON.
fn text_type(text: &str) -> &'static str {
    if text.trim_start().starts_with(['{', '[']) {
        "application/json"
    } else {
        "text/plain; charset=utf-8"
    }
}

/// `line` is the capture record with its newline; written to every place asked for, the first
/// failure returned.
fn save(shared: &Shared, received: &Received, line: &[u8]) -> anyhow::Result<()> {
    let file = shared.save.as_ref().map(|c| c.append(line));
    let dir = shared
        .save_dir
        .as_ref()
        .map(|d| d.write(&received.received_at, received.seq, line).map(drop));
    file.into_iter().chain(dir).collect()
}
