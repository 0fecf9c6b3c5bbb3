//! `servetel listen`: a local receiver on tiny_http. A pool of workers shares one server; each
//! request is decoded, checked, written to disk, printed, and only then answered (`handle.rs`),
//! so an acknowledged callback is always on disk.

mod capture;
mod forward;
mod handle;
pub mod record;
mod reply;

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::catalog::Trigger;
use crate::config::Config;
use crate::validate::Dedupe;
use capture::{CaptureFile, SaveDir};
pub use forward::Forwarder;

/// Worker threads: one per core to start (each hand-off between threads costs, so fewer is
/// faster). A sender whose body trickles in holds a worker until it is read (tiny_http offers no
/// read timeout), so when every worker is busy and none has finished a request for a tick, the
/// pool doubles, up to `MAX_WORKERS`: slow or idle senders cannot hold up the rest.
const MAX_WORKERS: usize = 1024;
const TICK: Duration = Duration::from_millis(20);
/// After a stop, how long requests in flight get to finish: Servetel's own timeout. A request
/// still unanswered then was never acknowledged, so nothing acknowledged is lost.
const GRACE: Duration = Duration::from_secs(10);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    /// Records that could not be written (their requests were answered 503), and the last reason.
    pub unsaved: u64,
    pub unsaved_why: Option<String>,
    pub timed_out: bool,
}

struct Shared {
    opts: Options,
    config: Option<Config>,
    seq: AtomicU64,
    valid: AtomicU64,
    invalid: AtomicU64,
    unsaved: AtomicU64,
    unsaved_why: Mutex<Option<String>>,
    stop: AtomicBool,
    /// Requests being handled: the last one out flushes the printed output (batched under load).
    in_flight: AtomicUsize,
    /// Worker threads alive.
    workers: AtomicUsize,
    /// Requests handled so far (a pool that finishes none while all are busy is stalled).
    finished: AtomicUsize,
    dedupe: Mutex<Dedupe>,
    save: Option<CaptureFile>,
    save_dir: Option<SaveDir>,
    out: Mutex<BufWriter<std::io::Stdout>>,
}

/// Binds, announces `listening on http://HOST:PORT` on stderr, serves until `interrupt` is set
/// (Ctrl-C, SIGTERM), `--count` or `--timeout`.
pub fn serve(
    opts: Options,
    config: Option<Config>,
    interrupt: &AtomicBool,
) -> anyhow::Result<Summary> {
    let addr = format!("{}:{}", opts.host, opts.port);
    let server = tiny_http::Server::http(&addr).map_err(|e| {
        let hint = match e.to_string().contains("in use") {
            true => " (another listener? --port 0 picks a free port)",
            false => "",
        };
        anyhow::anyhow!("cannot listen on {addr}: {e}{hint}")
    })?;
    let bound = server
        .server_addr()
        .to_ip()
        .context("the server has an IP address")?;
    let save = opts.save.as_deref().map(CaptureFile::new).transpose()?;
    let save_dir = opts.save_dir.as_deref().map(SaveDir::open).transpose()?;
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
        unsaved: AtomicU64::new(0),
        unsaved_why: Mutex::new(None),
        stop: AtomicBool::new(false),
        in_flight: AtomicUsize::new(0),
        workers: AtomicUsize::new(0),
        finished: AtomicUsize::new(0),
        dedupe: Mutex::new(Dedupe::default()),
        save,
        save_dir,
        out: Mutex::new(BufWriter::with_capacity(256 * 1024, std::io::stdout())),
    });
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
        if interrupt.load(Ordering::SeqCst) {
            shared.stop.store(true, Ordering::SeqCst); // in-flight requests finish (GRACE)
        }
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
        unsaved: shared.unsaved.load(Ordering::SeqCst),
        unsaved_why: shared
            .unsaved_why
            .lock()
            .ok()
            .and_then(|mut why| why.take()),
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
                if let Err(err) = handle::handle(request, shared) {
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

fn flush_output(shared: &Shared) {
    if let Ok(mut out) = shared.out.lock() {
        let _ = out.flush();
    }
}
