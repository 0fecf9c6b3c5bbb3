//! `servetel listen`: a local receiver on tiny_http. A pool of workers shares one server; each
//! request is decoded, checked, written to disk, handed to the printer thread, and only then
//! answered (`handle.rs`), so an acknowledged callback is always on disk; the printout is drawn
//! off the workers (`printer.rs`), in the order the records were saved.

mod capture;
mod forward;
mod handle;
mod http;
mod printer;
pub mod record;
mod reply;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mimalloc as _; // `release_memory` calls into it

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
/// A worker added for a burst retires after this long without a request.
const RETIRE: Duration = Duration::from_secs(2);
/// After a stop, how long requests in flight get to finish: Servetel's own timeout. A request
/// still unanswered then was never acknowledged, so nothing acknowledged is lost.
const GRACE: Duration = Duration::from_secs(10);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The call in telephony terms, findings, the payload as colored JSON
    Pretty,
    /// One capture record per line, nothing else
    Json,
    /// One line per request, for bursts: time, method, path, trigger, verdict, the call, status
    Line,
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
    /// `-q` with pretty: the header and the call's summary line only.
    pub quiet: bool,
    pub redact: bool,
    pub redact_saved: bool,
    pub count: Option<u64>,
    pub timeout: Option<Duration>,
    /// `--inspect`: every record, once saved and answered, goes to the inspector's page too.
    pub inspect: Option<Arc<crate::inspect::Hub>>,
}

#[derive(Debug, Default)]
pub struct Summary {
    pub received: u64,
    pub valid: u64,
    pub invalid: u64,
    /// Requests answered 401 for want of `--require-header` (counted as valid or invalid too).
    pub rejected: u64,
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
    rejected: AtomicU64,
    unsaved: AtomicU64,
    unsaved_why: Mutex<Option<String>>,
    stop: AtomicBool,
    /// Requests being handled.
    in_flight: AtomicUsize,
    /// Worker threads alive.
    workers: AtomicUsize,
    /// Requests handled so far (a pool that finishes none while all are busy is stalled).
    finished: AtomicUsize,
    dedupe: Mutex<Dedupe>,
    save: Option<CaptureFile>,
    save_dir: Option<SaveDir>,
    printer: printer::Printer,
    http: Arc<http::Http>,
}

/// Binds, announces `listening on http://HOST:PORT` on stderr, serves until `interrupt` is set
/// (Ctrl-C, SIGTERM), `--count` or `--timeout`.
pub fn serve(
    opts: Options,
    config: Option<Config>,
    interrupt: &AtomicBool,
) -> anyhow::Result<Summary> {
    let addr = format!("{}:{}", opts.host, opts.port);
    let http = http::Http::bind(&addr).map_err(|e| {
        let hint = match e.to_string().contains("in use") {
            true => " (another listener? --port 0 picks a free port)",
            false => "",
        };
        anyhow::anyhow!("cannot listen on {addr}: {e}{hint}")
    })?;
    let bound = http.local_addr();
    let save = opts.save.as_deref().map(CaptureFile::new).transpose()?;
    let save_dir = opts.save_dir.as_deref().map(SaveDir::open).transpose()?;
    if opts.delay >= Duration::from_secs(10) {
        crate::say!(
            "servetel: warning: --delay {:?} is at or past Servetel's 10 s timeout: the platform would give up",
            opts.delay
        );
    }
    let (printer, printing) = printer::Printer::start(printer::Style {
        format: opts.format,
        quiet: opts.quiet,
        headers: opts.headers,
        redact: opts.redact,
    });
    let shared = Arc::new(Shared {
        opts,
        config,
        seq: AtomicU64::new(0),
        valid: AtomicU64::new(0),
        invalid: AtomicU64::new(0),
        rejected: AtomicU64::new(0),
        unsaved: AtomicU64::new(0),
        unsaved_why: Mutex::new(None),
        stop: AtomicBool::new(false),
        in_flight: AtomicUsize::new(0),
        workers: AtomicUsize::new(0),
        finished: AtomicUsize::new(0),
        dedupe: Mutex::new(Dedupe::default()),
        save,
        save_dir,
        printer,
        http,
    });
    crate::say!("listening on http://{bound}");
    let cores = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(2);
    for _ in 0..cores {
        spawn_worker(&shared, None);
    }
    let mut finished = 0;
    let (mut last_collect, mut last_change) = (Instant::now(), Instant::now());
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
        let (done, workers) = (
            shared.finished.load(Ordering::SeqCst),
            shared.workers.load(Ordering::SeqCst),
        );
        if done == finished && shared.in_flight.load(Ordering::SeqCst) >= workers {
            for _ in 0..workers.min(MAX_WORKERS - workers) {
                spawn_worker(&shared, Some(cores));
            }
        }
        // After a burst, once the pool has shrunk back and nothing has come for a while, the
        // allocator is asked to hand the memory of the burst (and of the threads that ended)
        // back to the system: it keeps it otherwise.
        if done != finished {
            last_change = Instant::now();
        }
        // tiny_http's own threads end up to 5 s after their connections, so it is asked again
        // every RETIRE for a while.
        let quiet = last_change.elapsed();
        let after_burst = done > 0 && workers <= cores && quiet > RETIRE && quiet < 6 * RETIRE;
        if after_burst && last_collect.elapsed() > RETIRE {
            release_memory();
            last_collect = Instant::now();
        }
        finished = done;
    }
    let stopped = Instant::now();
    while shared.workers.load(Ordering::SeqCst) > 0 && stopped.elapsed() < GRACE {
        std::thread::sleep(Duration::from_millis(5));
    }
    shared.http.stop();
    // Everything handed over is printed before the summary.
    shared.printer.drain();
    let _ = printing.join();
    let received = shared.valid.load(Ordering::SeqCst) + shared.invalid.load(Ordering::SeqCst);
    Ok(Summary {
        received,
        valid: shared.valid.load(Ordering::SeqCst),
        invalid: shared.invalid.load(Ordering::SeqCst),
        rejected: shared.rejected.load(Ordering::SeqCst),
        unsaved: shared.unsaved.load(Ordering::SeqCst),
        unsaved_why: shared
            .unsaved_why
            .lock()
            .ok()
            .and_then(|mut why| why.take()),
        timed_out: timed_out && shared.opts.count.is_some_and(|c| received < c),
    })
}

/// A worker; one spawned for a burst (`retire_above`: the pool's resting size) ends once it
/// has had nothing to do for `RETIRE` while the pool is larger than that.
fn spawn_worker(shared: &Arc<Shared>, retire_above: Option<usize>) {
    shared.workers.fetch_add(1, Ordering::SeqCst);
    let shared = shared.clone();
    std::thread::spawn(move || {
        worker(&shared, retire_above);
        shared.workers.fetch_sub(1, Ordering::SeqCst);
    });
}

fn worker(shared: &Shared, retire_above: Option<usize>) {
    let mut last_request = Instant::now();
    let mut scratch = handle::Scratch::default();
    while !shared.stop.load(Ordering::SeqCst) {
        // Workers take turns waiting for a request (http.rs): with many, each waits briefly.
        let many = shared.workers.load(Ordering::Relaxed) > 2 * retire_above.unwrap_or(2);
        let wait = Duration::from_millis(if many { 5 } else { 50 });
        match shared.http.recv(wait) {
            Some(request) => {
                shared.in_flight.fetch_add(1, Ordering::SeqCst);
                if let Err(err) = handle::handle(request, shared, &mut scratch) {
                    crate::say!("servetel: error: {err:#}");
                }
                shared.finished.fetch_add(1, Ordering::SeqCst);
                shared.in_flight.fetch_sub(1, Ordering::SeqCst);
                last_request = Instant::now();
            }
            None => {
                if let Some(rest) = retire_above {
                    let workers = shared.workers.load(Ordering::SeqCst);
                    if last_request.elapsed() >= RETIRE && workers > rest {
                        return;
                    }
                }
            }
        }
    }
}

fn release_memory() {
    // mimalloc is linked in with the binary's allocator; `force` also frees what ended threads
    // left behind.
    unsafe extern "C" {
        fn mi_collect(force: bool);
    }
    // SAFETY: a plain call into the allocator, safe from any thread.
    unsafe { mi_collect(true) };
}
