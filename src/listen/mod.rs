//! `servetel listen`: a local receiver on tiny_http. A fixed pool of workers shares one server;
//! each request is decoded, checked, written to disk and flushed, printed, and only then answered,
//! so an acknowledged callback is always on disk.

pub mod record;

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::{Map, Value};

use crate::catalog::Trigger;
use crate::config::Config;
use crate::render::call_summary::{self, View};
use crate::validate::{self, Dedupe, Verdict};
use record::Received;

/// Workers: enough that a few slow or idle senders cannot hold up the rest.
const WORKERS: usize = 16;
const CHUNK: usize = 64 * 1024;

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
    pub require_header: Option<(String, String)>,
    pub max_body: usize,
    pub headers: bool,
    pub format: Format,
    pub redact: bool,
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
    dedupe: Mutex<Dedupe>,
    save: Option<Mutex<BufWriter<File>>>,
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
    let save = match &opts.save {
        Some(path) => Some(Mutex::new(BufWriter::new(
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .with_context(|| format!("cannot open {}", path.display()))?,
        ))),
        None => None,
    };
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
        dedupe: Mutex::new(Dedupe::default()),
        save,
        out: Mutex::new(BufWriter::new(std::io::stdout())),
    });
    {
        let shared = shared.clone();
        ctrlc::set_handler(move || shared.stop.store(true, Ordering::SeqCst))
            .context("cannot handle Ctrl-C")?;
    }
    eprintln!("listening on http://{bound}");
    let server = Arc::new(server);
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (server, shared) = (server.clone(), shared.clone());
            std::thread::spawn(move || worker(&server, &shared))
        })
        .collect();
    let deadline = shared.opts.timeout.map(|t| Instant::now() + t);
    let mut timed_out = false;
    while !shared.stop.load(Ordering::SeqCst) {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            timed_out = true;
            shared.stop.store(true, Ordering::SeqCst);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    for w in workers {
        let _ = w.join();
    }
    if let Some(save) = &shared.save {
        save.lock()
            .map_err(|_| anyhow::anyhow!("save file lock poisoned"))?
            .flush()?;
    }
    let received = shared.valid.load(Ordering::SeqCst) + shared.invalid.load(Ordering::SeqCst);
    Ok(Summary {
        received,
        valid: shared.valid.load(Ordering::SeqCst),
        invalid: shared.invalid.load(Ordering::SeqCst),
        timed_out: timed_out && shared.opts.count.is_some_and(|c| received < c),
    })
}

fn worker(server: &tiny_http::Server, shared: &Shared) {
    while !shared.stop.load(Ordering::SeqCst) {
        match server.recv_timeout(Duration::from_millis(100)) {
            Ok(Some(request)) => {
                if let Err(err) = handle(request, shared) {
                    eprintln!("servetel: error: {err:#}");
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

/// The body, read in fixed-size chunks; `None` when it is larger than `max` (the excess is read
/// and discarded, up to `DRAIN`, never held).
fn read_body(reader: &mut dyn Read, max: usize) -> std::io::Result<Option<Vec<u8>>> {
    let mut body = Vec::new();
    let mut chunk = vec![0; CHUNK];
    let mut total = 0;
    loop {
        let n = reader.read(&mut chunk)?;
        total += n;
        if n == 0 || total > max.saturating_add(DRAIN) {
            return Ok((total <= max).then_some(body));
        }
        if total <= max {
            body.extend_from_slice(&chunk[..n]);
        }
    }
}

fn json_response(status: u16, body: String) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let header = tiny_http::Header::from_bytes(&b"Content-Type"[..], &b"application/json"[..])
        .expect("a valid header");
    tiny_http::Response::from_string(body)
        .with_status_code(status)
        .with_header(header)
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
        read_body(request.as_reader(), opts.max_body)?
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
    let delay_ms = opts.delay.as_millis() as u64;
    let record = record::record(&received, payload.as_ref(), &verdict, status, delay_ms);
    let line = serde_json::to_string(&record)?;
    save(shared, &received, &line)?;
    print(shared, &received, payload.as_ref(), &verdict, status, &line);
    if !opts.delay.is_zero() {
        std::thread::sleep(opts.delay);
    }
    let body = match (&opts.respond_body, status) {
        (Some(text), 200..=299) => text.clone(),
        _ => format!("{{\"ok\":{},\"seq\":{}}}", status < 300, received.seq),
    };
    if too_large {
        // tiny_http would allocate the whole declared body to drain it when the request is
        // dropped: answer, then abandon the connection instead (see README, known limits).
        let stream = request.upgrade("close", json_response(status, body));
        std::mem::forget(stream);
    } else {
        let _ = request.respond(json_response(status, body));
    }
    if opts.count.is_some_and(|c| received.seq >= c) {
        shared.stop.store(true, Ordering::SeqCst);
    }
    Ok(())
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
        None => c.by_path(&received.path),
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

fn save(shared: &Shared, received: &Received, line: &str) -> anyhow::Result<()> {
    if let Some(save) = &shared.save {
        let mut file = save
            .lock()
            .map_err(|_| anyhow::anyhow!("save file lock poisoned"))?;
        file.write_all(line.as_bytes())?;
        file.write_all(b"\n")?;
        file.flush().context("cannot write the capture file")?;
    }
    if let Some(dir) = &shared.opts.save_dir {
        let path = dir.join(format!("{:06}.json", received.seq));
        std::fs::write(&path, format!("{line}\n"))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

fn print(
    shared: &Shared,
    received: &Received,
    payload: Option<&Map<String, Value>>,
    verdict: &Verdict,
    status: u16,
    line: &str,
) {
    let text = match shared.opts.format {
        Format::Json => format!("{line}\n"),
        Format::Pretty => call_summary::render(&View {
            time: received.received_at.get(11..23).unwrap_or(""),
            method: &received.method,
            path: &received.path,
            headers: shared.opts.headers.then_some(received.headers.as_slice()),
            payload,
            verdict,
            status,
            redact: shared.opts.redact,
        }),
    };
    if let Ok(mut out) = shared.out.lock() {
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }
}
