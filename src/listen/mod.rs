//! `servetel listen`: a local receiver on tiny_http. A fixed pool of workers shares one server;
//! each request is decoded, checked, written to disk and flushed, printed, and only then answered,
//! so an acknowledged callback is always on disk.

mod capture;
mod forward;
pub mod record;
mod reply;

use std::io::{BufWriter, Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::{Map, Value};

use crate::catalog::Trigger;
use crate::config::Config;
use crate::render::call_summary::{self, View};
use crate::validate::{self, Dedupe, Verdict};
use capture::CaptureFile;
pub use forward::{Forwarded, Forwarder};
use record::Received;
use reply::Reply;

/// Worker threads: one per core to start (each hand-off between threads costs, so fewer is
/// faster). A sender whose body trickles in holds a worker until it is read (tiny_http offers no
/// read timeout), so when every worker is busy and none has finished a request for a tick, the
/// pool doubles, up to `MAX_WORKERS`: slow or idle senders cannot hold up the rest.
const MAX_WORKERS: usize = 1024;
const TICK: Duration = Duration::from_millis(20);
/// After a stop, how long requests in flight get to finish: Servetel's own timeout. A request
/// still unanswered then was never acknowledged, so nothing acknowledged is lost.
const GRACE: Duration = Duration::from_secs(10);
const CHUNK: usize = 16 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The call in telephony terms, findings, the payload as colored JSON
    Pretty,
    /// One capture record per line, nothing else
    Json,
}

pub struct Options {
    pub host: String,
    pub port: u16,
    pub save: Option<PathBuf>,
    pub save_dir: Option<PathBuf>,
    pub trigger: Option<&'static Trigger>,
    pub routes: Vec<(String, &'static Trigger)>,
    /// The config webhook every request is checked as (else the one whose URL path matches).
    pub webhook: Option<String>,
    pub status: u16,
    pub delay: Duration,
    pub respond_body: Option<String>,
    /// The user's app, which every accepted request is passed on to.
    pub forward: Option<Forwarder>,
    pub require_header: Option<(String, String)>,
    pub max_body: usize,
    pub headers: bool,
    pub format: Format,
    pub redact: bool,
    pub redact_saved: bool,
    pub count: Option<u64>,
    pub timeout: Option<Duration>,
}

#[derive(Debug, Default)]
pub struct Summary {
    pub received: u64,
    pub valid: u64,
    pub invalid: u64,
    pub timed_out: bool,
}

struct Shared {
    opts: Options,
    config: Option<Config>,
    seq: AtomicU64,
    valid: AtomicU64,
    invalid: AtomicU64,
    stop: AtomicBool,
    /// Requests being handled: the last one out flushes the printed output (batched under load).
    in_flight: AtomicUsize,
    /// Worker threads alive.
    workers: AtomicUsize,
    /// Requests handled so far (a pool that finishes none while all are busy is stalled).
    finished: AtomicUsize,
    dedupe: Mutex<Dedupe>,
    save: Option<CaptureFile>,
    out: Mutex<BufWriter<std::io::Stdout>>,
}

/// Binds, announces `listening on http://HOST:PORT` on stderr, serves until Ctrl-C, `--count`
/// or `--timeout`.
pub fn serve(opts: Options, config: Option<Config>) -> anyhow::Result<Summary> {
    let addr = format!("{}:{}", opts.host, opts.port);
    let server = tiny_http::Server::http(&addr)
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    let bound = server
        .server_addr()
        .to_ip()
        .context("the server has an IP address")?;
    let save = opts.save.as_deref().map(CaptureFile::new).transpose()?;
    if let Some(dir) = &opts.save_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    if opts.delay >= Duration::from_secs(10) {
        eprintln!(
            "servetel: warning: --delay {:?} is at or past Servetel's 10 s timeout: the platform would give up",
            opts.delay
        );
    }
    let shared = Arc::new(Shared {
        opts,
        config,
        seq: AtomicU64::new(0),
        valid: AtomicU64::new(0),
        invalid: AtomicU64::new(0),
        stop: AtomicBool::new(false),
        in_flight: AtomicUsize::new(0),
        workers: AtomicUsize::new(0),
        finished: AtomicUsize::new(0),
        dedupe: Mutex::new(Dedupe::default()),
        save,
        out: Mutex::new(BufWriter::with_capacity(256 * 1024, std::io::stdout())),
    });
    {
        let shared = shared.clone();
        // The first Ctrl-C lets the requests in flight finish; a second one does not wait.
        ctrlc::set_handler(move || {
            if shared.stop.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        })
        .context("cannot handle Ctrl-C")?;
    }
    eprintln!("listening on http://{bound}");
    let server = Arc::new(server);
    let cores = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(2);
    for _ in 0..cores {
        spawn_worker(&server, &shared);
    }
    let mut finished = 0;
    let deadline = shared.opts.timeout.map(|t| Instant::now() + t);
    let mut timed_out = false;
    while !shared.stop.load(Ordering::SeqCst) {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            timed_out = true;
            shared.stop.store(true, Ordering::SeqCst);
        }
        std::thread::sleep(TICK);
        flush_output(&shared); // requests may overlap for longer than the eye waits
        let (done, workers) = (
            shared.finished.load(Ordering::SeqCst),
            shared.workers.load(Ordering::SeqCst),
        );
        if done == finished && shared.in_flight.load(Ordering::SeqCst) >= workers {
            for _ in 0..workers.min(MAX_WORKERS - workers) {
                spawn_worker(&server, &shared);
            }
        }
        finished = done;
    }
    let stopped = Instant::now();
    while shared.workers.load(Ordering::SeqCst) > 0 && stopped.elapsed() < GRACE {
        std::thread::sleep(Duration::from_millis(5));
    }
    flush_output(&shared);
    let received = shared.valid.load(Ordering::SeqCst) + shared.invalid.load(Ordering::SeqCst);
    Ok(Summary {
        received,
        valid: shared.valid.load(Ordering::SeqCst),
        invalid: shared.invalid.load(Ordering::SeqCst),
        timed_out: timed_out && shared.opts.count.is_some_and(|c| received < c),
    })
}

fn spawn_worker(server: &Arc<tiny_http::Server>, shared: &Arc<Shared>) {
    shared.workers.fetch_add(1, Ordering::SeqCst);
    let (server, shared) = (server.clone(), shared.clone());
    std::thread::spawn(move || {
        worker(&server, &shared);
        shared.workers.fetch_sub(1, Ordering::SeqCst);
    });
}

fn worker(server: &tiny_http::Server, shared: &Shared) {
    while !shared.stop.load(Ordering::SeqCst) {
        match server.recv_timeout(Duration::from_millis(100)) {
            Ok(Some(request)) => {
                shared.in_flight.fetch_add(1, Ordering::SeqCst);
                if let Err(err) = handle(request, shared) {
                    eprintln!("servetel: error: {err:#}");
                }
                shared.finished.fetch_add(1, Ordering::SeqCst);
                if shared.in_flight.fetch_sub(1, Ordering::SeqCst) == 1 {
                    flush_output(shared);
                }
            }
            Ok(None) => {}
            Err(_) => return,
        }
    }
}

/// Past `--max-body`, a body is still read and thrown away up to this much, so the connection
/// stays in step for its next request; beyond it the connection is given up.
const DRAIN: usize = 64 * 1024 * 1024;

/// The body, at most `max` bytes held; `None` when it is larger (the excess is read in
/// fixed-size chunks and discarded, up to `DRAIN`, never held).
fn read_body(
    reader: &mut dyn Read,
    declared: Option<usize>,
    max: usize,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut body = Vec::with_capacity(declared.unwrap_or(0).min(max));
    reader.take(max as u64 + 1).read_to_end(&mut body)?;
    if body.len() <= max {
        return Ok(Some(body));
    }
    let mut chunk = [0; CHUNK];
    let mut drained = body.len();
    while drained <= max.saturating_add(DRAIN) {
        match reader.read(&mut chunk)? {
            0 => break,
            n => drained += n,
        }
    }
    Ok(None)
}

fn handle(mut request: tiny_http::Request, shared: &Shared) -> anyhow::Result<()> {
    let opts = &shared.opts;
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|h| (h.field.as_str().to_string(), h.value.as_str().to_string()))
        .collect();
    let mut received = Received {
        seq: shared.seq.fetch_add(1, Ordering::SeqCst) + 1,
        received_at: record::now_rfc3339(),
        remote_addr: request
            .remote_addr()
            .map(|a| a.to_string())
            .unwrap_or_default(),
        method: request.method().as_str().to_string(),
        path: path.to_string(),
        query: query.to_string(),
        headers,
        body: Vec::new(),
    };
    let header = |name: &str| {
        received
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let content_type = header("content-type").map(str::to_string);
    let rejected = opts
        .require_header
        .as_ref()
        .filter(|(name, value)| header(name) != Some(value.as_str()))
        .map(|(name, _)| {
            format!("rejected: the request lacks the header `{name}` with the required value")
        });
    // A declared length too large to drain is refused unread.
    let too_large = request
        .body_length()
        .is_some_and(|n| n > opts.max_body.saturating_add(DRAIN));
    let body = if too_large {
        None
    } else {
        {
            let declared = request.body_length();
            read_body(request.as_reader(), declared, opts.max_body)?
        }
    };
    let oversize = body.is_none();
    received.body = body.unwrap_or_default();
    let (payload, verdict, status) = match rejected {
        Some(why) => (None, validate::parse_failure(why), 401),
        None if oversize => {
            let why = format!(
                "expected a body of at most {} bytes (--max-body), found a larger one",
                opts.max_body
            );
            (None, validate::parse_failure(why), 413)
        }
        None => check(&received, content_type.as_deref(), shared),
    };
    if verdict.valid() {
        shared.valid.fetch_add(1, Ordering::SeqCst);
    } else {
        shared.invalid.fetch_add(1, Ordering::SeqCst);
    }
    // A request that got past --require-header and --max-body goes on to the app, whose answer
    // becomes the sender's.
    let forwarded = match &opts.forward {
        Some(forwarder) if !matches!(status, 401 | 413) => Some(forwarder.forward(&received)),
        _ => None,
    };
    let status = forwarded
        .as_ref()
        .map_or(status, |f| f.status.unwrap_or(502));
    let delay_ms = opts.delay.as_millis() as u64;
    let response = || record::Response {
        status,
        delay_ms,
        forward: forwarded.as_ref(),
    };
    let mut line = serde_json::to_vec(&record::Record::new(
        &received,
        payload.as_ref(),
        &verdict,
        response(),
    ))?;
    line.push(b'\n');
    // The masked record, for --redact-saved (the file) and --redact (a --format json printout).
    let masked_line = if opts.redact_saved || (opts.redact && opts.format == Format::Json) {
        let (masked, masked_payload) = received.redacted(payload.as_ref());
        let mut masked_line = serde_json::to_vec(&record::Record::new(
            &masked,
            masked_payload.as_ref(),
            &verdict,
            response(),
        ))?;
        masked_line.push(b'\n');
        Some(masked_line)
    } else {
        None
    };
    let saved = masked_line
        .as_ref()
        .filter(|_| opts.redact_saved)
        .unwrap_or(&line);
    save(shared, &received, saved)?;
    let line = masked_line
        .as_ref()
        .filter(|_| opts.redact)
        .unwrap_or(&line);
    print(
        shared,
        &received,
        payload.as_ref(),
        &verdict,
        status,
        forwarded.as_ref(),
        line,
    );
    if !opts.delay.is_zero() {
        std::thread::sleep(opts.delay);
    }
    let own_body;
    let (body, content_type) = match (&forwarded, &opts.respond_body) {
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
        (None, Some(text)) if (200..300).contains(&status) => (text.as_bytes(), text_type(text)),
        (None, _) => {
            own_body = format!("{{\"ok\":{},\"seq\":{}}}", status < 300, received.seq);
            (own_body.as_bytes(), "application/json")
        }
    };
    let answer = Reply {
        status,
        content_type,
        body,
    };
    if too_large {
        reply::send_and_abandon(request, &answer);
    } else {
        reply::send(request, &answer);
    }
    if opts.count.is_some_and(|c| received.seq >= c) {
        shared.stop.store(true, Ordering::SeqCst);
    }
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

/// Decodes, picks the trigger (--trigger, a --route, a config webhook by path, detection) and
/// validates; 400 when the body cannot be decoded.
fn check(
    received: &Received,
    content_type: Option<&str>,
    shared: &Shared,
) -> (Option<Map<String, Value>>, Verdict, u16) {
    let opts = &shared.opts;
    let payload = match crate::decode::decode_request(
        &received.method,
        content_type,
        &received.query,
        &received.body,
    ) {
        Ok(p) => p,
        Err(e) => return (None, validate::parse_failure(e.to_string()), 400),
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
    let mut verdict = match (opts.trigger.or(route), webhook) {
        (Some(t), _) => validate::validate(&payload, Some(t)),
        (None, Some(w)) => match &w.template {
            Some(template) => template.validate(&payload, w.trigger),
            None => validate::validate(&payload, Some(w.trigger)),
        },
        (None, None) => validate::validate(&payload, None),
    };
    if let Ok(mut dedupe) = shared.dedupe.lock() {
        dedupe.check(Dedupe::key(&payload), &mut verdict);
    }
    (Some(payload), verdict, opts.status)
}

/// `line` is the capture record with its newline.
fn save(shared: &Shared, received: &Received, line: &[u8]) -> anyhow::Result<()> {
    if let Some(capture) = &shared.save {
        capture.append(line)?;
    }
    if let Some(dir) = &shared.opts.save_dir {
        let path = dir.join(format!("{:06}.json", received.seq));
        std::fs::write(&path, line).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

fn print(
    shared: &Shared,
    received: &Received,
    payload: Option<&Map<String, Value>>,
    verdict: &Verdict,
    status: u16,
    forwarded: Option<&Forwarded>,
    line: &[u8],
) {
    let pretty = match shared.opts.format {
        Format::Json => None,
        Format::Pretty => Some(call_summary::render(&View {
            time: received.received_at.get(11..23).unwrap_or(""),
            method: &received.method,
            path: &received.path,
            headers: shared.opts.headers.then_some(received.headers.as_slice()),
            payload,
            verdict,
            status,
            forwarded,
            redact: shared.opts.redact,
        })),
    };
    if let Ok(mut out) = shared.out.lock() {
        let _ = out.write_all(pretty.as_ref().map_or(line, |text| text.as_bytes()));
    }
}

fn flush_output(shared: &Shared) {
    if let Ok(mut out) = shared.out.lock() {
        let _ = out.flush();
    }
}
