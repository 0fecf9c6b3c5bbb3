//! One request, start to finish: read it (bounded), judge it (auth, size, decode, trigger,
//! validate, dedupe), pass it on (`--forward`), write its record, print it, and only then answer.

use std::io::Write;
use std::sync::atomic::Ordering;

use colored::Colorize;
use serde_json::{Map, Value};

use super::http::{self, Problem};
use super::record::{self, CaptureRecord, Received};
use super::reply::{self, Reply};
use super::{Format, Shared};
use crate::render::call_summary::{self, View};
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

pub(super) fn handle(mut request: tiny_http::Request, shared: &Shared) -> anyhow::Result<()> {
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

    let (saved, mut printed) = record_lines(&received, &judged, forwarded.as_ref(), shared)?;
    let unsaved = save(shared, &received, &saved)
        .err()
        .map(|e| format!("{e:#}"));
    if let Some(why) = &unsaved {
        // Never acknowledged, so the sender retries: nothing it was told is saved is lost.
        judged.status = 503;
        shared.unsaved.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut last) = shared.unsaved_why.lock() {
            *last = Some(why.clone());
        }
        printed = Some(record_lines(&received, &judged, forwarded.as_ref(), shared)?.0);
    }
    let printed = printed.as_deref().unwrap_or(&saved);
    print(
        shared,
        &received,
        &judged,
        forwarded.as_ref(),
        printed,
        unsaved.as_deref(),
    );
    if !opts.delay.is_zero() {
        std::thread::sleep(opts.delay);
    }
    let own_body;
    let (body, content_type) = match (&forwarded, &opts.respond_body) {
        _ if unsaved.is_some() => {
            let error = format!("not saved: {}", unsaved.as_deref().unwrap_or_default());
            own_body =
                serde_json::json!({"ok": false, "seq": received.seq, "error": error}).to_string();
            (own_body.as_bytes(), "application/json")
        }
        (Some(f), _) if f.status.is_some() => (
            f.body.as_slice(),
            f.content_type
                .as_deref()
                .unwrap_or("application/octet-stream"),
        ),
        (Some(f), _) => {
            let error = f.error.as_deref().unwrap_or_default();
            own_body =
                serde_json::json!({"ok": false, "seq": received.seq, "error": error}).to_string();
            (own_body.as_bytes(), "application/json")
        }
        (None, Some(text)) if (200..300).contains(&judged.status) => {
            (text.as_bytes(), text_type(text))
        }
        (None, _) => {
            own_body = format!(
                "{{\"ok\":{},\"seq\":{}}}",
                judged.status < 300,
                received.seq
            );
            (own_body.as_bytes(), "application/json")
        }
    };
    let answer = Reply {
        status: judged.status,
        content_type,
        body,
    };
    if too_large {
        reply::send_and_abandon(request, &answer, local);
    } else {
        reply::send(request, &answer, close, local);
    }
    // After the answer, so the page never holds up the sender; the record as saved.
    if let Some(hub) = &opts.inspect {
        hub.publish(if unsaved.is_some() { printed } else { &saved });
    }
    if opts.count.is_some_and(|c| received.seq >= c) {
        shared.stop.store(true, Ordering::SeqCst);
    }
    Ok(())
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
    let (mut verdict, key) = validate::check(&payload, trigger, template);
    if let (true, Ok(mut seen)) = (dedupe, shared.dedupe.lock()) {
        seen.check(key, &mut verdict);
    }
    Judged {
        variables: template
            .filter(|_| trigger.is_some())
            .map(|t| t.map_back(&payload).0),
        payload: Some(payload),
        verdict,
        status: opts.status,
    }
}

/// The capture record as saved, and as printed by `--format json` when that differs, each with
/// its newline: the masked record where `--redact-saved` or `--redact` ask for it, else the
/// record as received.
fn record_lines(
    received: &Received,
    judged: &Judged,
    forwarded: Option<&Answer>,
    shared: &Shared,
) -> anyhow::Result<(Vec<u8>, Option<Vec<u8>>)> {
    let opts = &shared.opts;
    let line = |received: &Received, payload: Option<&Map<String, Value>>| {
        let response = record::Response {
            status: judged.status,
            delay_ms: opts.delay.as_millis() as u64,
            forward: forwarded,
        };
        let mut line = serde_json::to_vec(&CaptureRecord::new(
            received,
            payload,
            &judged.verdict,
            response,
        ))?;
        line.push(b'\n');
        anyhow::Ok(line)
    };
    let plain = line(received, judged.payload.as_ref())?;
    let masked_printout = opts.redact && opts.format == Format::Json;
    if !opts.redact_saved && !masked_printout {
        return Ok((plain, None));
    }
    let (masked, masked_payload) = received.redacted(judged.payload.as_ref());
    let masked = line(&masked, masked_payload.as_ref())?;
    Ok(match (opts.redact_saved, masked_printout) {
        (true, true) => (masked, None),
        (true, false) => (masked, Some(plain)),
        (false, _) => (plain, Some(masked)),
    })
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

/// Into the shared output buffer, which the last request in flight flushes. `unsaved` is why the
/// record could not be saved: said under the header line, or on stderr beside `--format json`.
fn print(
    shared: &Shared,
    received: &Received,
    judged: &Judged,
    forwarded: Option<&Answer>,
    line: &[u8],
    unsaved: Option<&str>,
) {
    // Shown in the machine's zone, named (the payload's stamps are IST); the record keeps UTC.
    let time = crate::timestamp::clock_in(&received.received_at, crate::timestamp::local_zone())
        .unwrap_or_else(|| received.received_at.clone());
    let view = View {
        time: &time,
        method: &received.method,
        path: &received.path,
        headers: shared.opts.headers.then_some(received.headers.as_slice()),
        payload: judged.payload.as_ref(),
        variables: judged.variables.as_ref(),
        verdict: &judged.verdict,
        status: judged.status,
        forwarded,
        redact: shared.opts.redact,
    };
    let mut pretty = match shared.opts.format {
        Format::Json => None,
        Format::Pretty => Some(call_summary::render(&view, shared.opts.quiet)),
        Format::Line => Some(call_summary::line(&view)),
    };
    if let Some(why) = unsaved {
        let note = format!("not saved, answered 503 so the sender retries: {why}");
        match &mut pretty {
            Some(text) => {
                let at = text.find('\n').map_or(text.len(), |i| i + 1);
                text.insert_str(at, &format!("   {}\n", format!("✗ {note}").red().bold()));
            }
            None => eprintln!("servetel: error: request {}: {note}", received.seq),
        }
    }
    if let Some(text) = &mut pretty {
        text.push_str(&whole_call(shared, received, judged));
    }
    if let Ok(mut out) = shared.out.lock() {
        let _ = out.write_all(pretty.as_ref().map_or(line, |text| text.as_bytes()));
    }
}

/// Calls listen keeps open for the whole-call block: enough for any real tenant's calls in flight,
/// a bound on memory under a burst of distinct calls (a few hundred bytes each).
const OPEN_CALLS: usize = 10_000;
/// Events a call may gather before listen lets it go: a real call has a handful; one callback
/// sent over and over (a load test) would otherwise be drawn whole after every delivery.
const CALL_EVENTS: usize = 16;

/// After a call's hangup-family event, the call as a whole: its events so far in arrival order and
/// its delivery diagnostics (`render::calls`, as `servetel calls` draws it). Empty for other events,
/// and for a call of one event (its printout above is already the whole of it).
fn whole_call(shared: &Shared, received: &Received, judged: &Judged) -> String {
    let Some(calls) = &shared.calls else {
        return String::new();
    };
    let fingerprint = {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        received.body.hash(&mut h);
        received.query.hash(&mut h);
        h.finish()
    };
    let event = crate::calls::Event::judged(
        format!("#{}", received.seq),
        Some(received.received_at.clone()),
        judged.payload.as_ref(),
        &judged.verdict,
        fingerprint,
    );
    let hangup = event.is_hangup_family();
    // The block's call line is drawn from the hangup (the call as a whole), and a block is only
    // ever drawn after one: other events need none, which spares a render per request.
    let summary = judged
        .variables
        .as_ref()
        .or(judged.payload.as_ref())
        .filter(|_| hangup)
        .map(|p| call_summary::summary(p, shared.opts.redact));
    let Ok(mut grouper) = calls.lock() else {
        return String::new();
    };
    let pushed = event.clone();
    grouper.push(event, summary);
    grouper.shed(OPEN_CALLS);
    match grouper.events_of(&pushed) {
        n if n > CALL_EVENTS => {
            grouper.forget(&pushed);
            String::new()
        }
        2.. if hangup => grouper
            .current(&pushed)
            .map_or_else(String::new, |call| crate::render::calls::text(&call)),
        _ => String::new(),
    }
}
