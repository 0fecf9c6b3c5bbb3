//! The HTTP sending engine shared by `fire` and `replay` (docs/architecture.md): requests prepared
//! before they go, blocking clients shared by a fixed pool of threads (keep-alive connections
//! are reused), `--rate` pacing, the outcome of every event, and the run's summary.
//!
//! The engine knows nothing about payloads: the caller gives it jobs (a call to synthesize, a
//! record to re-send) and a `prepare` function that turns one job into its requests. `prepare`
//! runs on the worker threads, so synthesis and encoding happen in parallel with the sending, and
//! the requests of one job (the events of one call) are sent in order, by one thread.

mod answer;
mod cacert;
mod report;
mod request;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{RecvTimeoutError, TryRecvError, sync_channel};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context;
use reqwest::blocking::Client;

pub use answer::{Answer, Keep, exchange};
pub use report::{
    Printer, dry_run_json, dry_run_text, event_json, event_pretty, excerpt, latency, summary_line,
};
pub use request::{
    Request, Target, USER_AGENT, header_map, parse_header, passed_on_headers, title_case,
};

/// Servetel gives a receiver 10 seconds (docs/wire.md, "It does not wait"): `--timeout`'s default, and the "over 10 s"
/// line of the summary.
pub const SERVETEL_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the printing thread naps when no message is waiting.
const NAP: Duration = Duration::from_millis(2);

/// After this many naps in a row (50 ms of quiet: a scenario's gap, a slow receiver) the printing
/// thread blocks on the queue instead, waking every [`QUIET_TICK`]: waiting costs no CPU.
const NAPS_BEFORE_BLOCKING: u32 = 25;

/// How often a blocked printing thread wakes to check for Ctrl-C and redraw a countdown.
const QUIET_TICK: Duration = Duration::from_millis(100);

/// How `fire` and `replay` print each event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// A line per event for people (status, latency, response excerpt); the summary on stderr.
    #[default]
    Pretty,
    /// One JSON object per event on stdout, and nothing else.
    Json,
}

/// How the client connects.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    pub timeout: Duration,
    /// Skip TLS certificate verification (`--insecure`).
    pub insecure: bool,
    /// A PEM file of extra root certificates (`--cacert`).
    pub cacert: Option<std::path::PathBuf>,
    /// Idle connections kept per host: the concurrency, so every worker keeps its own alive.
    pub pool: usize,
}

/// The clients of a run: one per core, each shared by its share of the worker threads.
/// A blocking reqwest client drives its connections from one background thread; with a single
/// client that thread is the bottleneck of a burst, with one per core the sending scales
/// (about +20% events/s on two cores). Connections are kept alive and reused either way.
///
/// Proxies come from `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` (reqwest's default); redirects are
/// not followed (a 3xx is what the receiver answered, as the platform logs it); header names go
/// out in title case (`Content-Type`), as senders usually write them.
pub fn clients(opts: &ClientOptions) -> anyhow::Result<Vec<Client>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    built(opts, cores.min(opts.pool.max(1)).clamp(1, 8))
}

/// One client for all of `opts.pool` (`listen --forward`, where the sending is not the work).
pub fn client(opts: &ClientOptions) -> anyhow::Result<Client> {
    Ok(built(opts, 1)?.remove(0))
}

/// `count` clients sharing `opts.pool` idle connections.
fn built(opts: &ClientOptions, count: usize) -> anyhow::Result<Vec<Client>> {
    let per_client = opts.pool.div_ceil(count).max(1);
    let certificates = match &opts.cacert {
        Some(path) => Some(read_certificates(path)?),
        None => None,
    };
    (0..count)
        .map(|_| build(opts, certificates.as_deref(), per_client))
        .collect()
}

fn build(
    opts: &ClientOptions,
    certificates: Option<&[rustls::pki_types::CertificateDer<'static>]>,
    idle_per_host: usize,
) -> anyhow::Result<Client> {
    let mut builder = Client::builder()
        .timeout(opts.timeout)
        .connect_timeout(opts.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .http1_title_case_headers()
        .pool_max_idle_per_host(idle_per_host)
        .tcp_nodelay(true);
    if opts.insecure {
        builder = builder.tls_danger_accept_invalid_certs(true);
    }
    if let (Some(certs), false) = (certificates, opts.insecure) {
        builder = builder.use_preconfigured_tls(cacert::tls_config(certs.to_vec())?);
    }
    builder.build().context("cannot set up the HTTP client")
}

fn read_certificates(
    path: &Path,
) -> anyhow::Result<Vec<rustls::pki_types::CertificateDer<'static>>> {
    use rustls::pki_types::pem::PemObject;
    let pem = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let certs = rustls::pki_types::CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("{e:?}"))
        .with_context(|| format!("{} is not a PEM certificate bundle", path.display()))?;
    if certs.is_empty() {
        anyhow::bail!(
            "{}: expected PEM certificates (-----BEGIN CERTIFICATE-----), found none",
            path.display()
        );
    }
    Ok(certs)
}

/// How a run goes.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Requests in flight at once (worker threads).
    pub concurrency: usize,
    /// Events per second, for all workers together.
    pub rate: Option<f64>,
    /// The client's timeout, named in timeout errors.
    pub timeout: Duration,
    /// Set when the user interrupts the run (Ctrl-C, caught by the command).
    pub interrupt: &'static AtomicBool,
}

/// A job that produced nothing to send, and why.
#[derive(Debug)]
pub struct Skip {
    /// Which job: `calls.ndjson:12`, `call 3`.
    pub what: String,
    pub reason: String,
}

/// One event of a run as it went: which event it was, and the answer it got.
#[derive(Debug)]
pub struct Sent {
    pub seq: u64,
    pub trigger: Option<&'static str>,
    pub call_id: Option<String>,
    pub method: reqwest::Method,
    pub answer: Answer,
}

/// What the workers tell the printing thread.
#[derive(Debug)]
pub enum Message {
    /// An event went out and this came back.
    Sent(Sent),
    /// The next event of a call waits for its moment (a scenario's gap).
    Waiting {
        seq: u64,
        trigger: Option<&'static str>,
        wait: Duration,
    },
    /// A job produced nothing to send.
    Skipped(Skip),
    /// Something to tell the user before an event goes (the findings of an edited payload).
    Note(String),
    /// Nothing happened for a moment: a time to flush what was printed.
    Idle,
}

/// Spreads requests evenly over time: each takes the next free slot, `1/rate` after the last.
struct Pacer {
    interval: Duration,
    next: Mutex<Instant>,
}

impl Pacer {
    fn new(rate: f64) -> Pacer {
        Pacer {
            interval: Duration::from_secs_f64(1.0 / rate),
            next: Mutex::new(Instant::now()),
        }
    }

    fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
            let slot = (*next).max(Instant::now());
            *next = slot + self.interval;
            slot
        };
        let now = Instant::now();
        if slot > now {
            std::thread::sleep(slot - now);
        }
    }
}

/// Sleeps `wait`, waking early when the run is stopped.
fn pause(wait: Duration, stop: &AtomicBool) {
    let until = Instant::now() + wait;
    while !stop.load(Ordering::Relaxed) {
        let now = Instant::now();
        if now >= until {
            return;
        }
        std::thread::sleep((until - now).min(Duration::from_millis(100)));
    }
}

/// Sends everything the jobs prepare, `settings.concurrency` at a time, and hands every message
/// to `on_message` on the calling thread, as it happens. `on_message` returns false to stop the
/// run (a closed stdout), and so does `settings.interrupt` (Ctrl-C): no new request starts after
/// that.
pub fn run<J, P>(
    clients: &[Client],
    jobs: impl Iterator<Item = J> + Send,
    prepare: P,
    settings: &Settings,
    on_message: &mut dyn FnMut(Message) -> bool,
) where
    J: Send,
    P: Fn(J) -> Result<Vec<Request>, Skip> + Sync,
{
    let workers = settings.concurrency.max(1);
    let jobs = Mutex::new(jobs);
    let stop = AtomicBool::new(false);
    let pacer = settings.rate.map(Pacer::new);
    let (tx, rx) = sync_channel::<Message>(workers * 256);
    std::thread::scope(|scope| {
        for worker in 0..workers {
            let client = &clients[worker % clients.len()];
            let tx = tx.clone();
            let (jobs, stop, pacer, prepare) = (&jobs, &stop, &pacer, &prepare);
            scope.spawn(move || {
                let alive = |message| {
                    if tx.send(message).is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                    !stop.load(Ordering::Relaxed)
                };
                while !stop.load(Ordering::Relaxed) {
                    let next = jobs.lock().unwrap_or_else(PoisonError::into_inner).next();
                    let Some(job) = next else { break };
                    let requests = match prepare(job) {
                        Ok(requests) => requests,
                        Err(skip) => {
                            alive(Message::Skipped(skip));
                            continue;
                        }
                    };
                    for mut request in requests {
                        if let Some(note) = request.note.take() {
                            if !alive(Message::Note(note)) {
                                break;
                            }
                        }
                        if !request.wait.is_zero() {
                            let waiting = Message::Waiting {
                                seq: request.seq,
                                trigger: request.trigger,
                                wait: request.wait,
                            };
                            if !alive(waiting) {
                                break;
                            }
                            pause(request.wait, stop);
                        }
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        if let Some(pacer) = pacer {
                            pacer.wait();
                        }
                        if !alive(Message::Sent(send(client, request, settings.timeout))) {
                            break;
                        }
                    }
                }
            });
        }
        drop(tx);
        let mut naps = 0;
        loop {
            if settings.interrupt.load(Ordering::Relaxed) {
                stop.store(true, Ordering::Relaxed);
            }
            let message = match rx.try_recv() {
                Ok(message) => message,
                Err(TryRecvError::Disconnected) => break,
                Err(TryRecvError::Empty) => {
                    // The senders are busy: a moment to flush, then a short nap. Napping rather
                    // than blocking on the queue spares the senders a wake-up per event (a
                    // context switch each, which at tens of thousands a second is most of the
                    // cost on two cores); a message waits at most the nap. A long quiet blocks.
                    if !on_message(Message::Idle) {
                        stop.store(true, Ordering::Relaxed);
                        break;
                    }
                    naps += 1;
                    if naps < NAPS_BEFORE_BLOCKING {
                        std::thread::sleep(NAP);
                        continue;
                    }
                    match rx.recv_timeout(QUIET_TICK) {
                        Ok(message) => message,
                        Err(RecvTimeoutError::Timeout) => continue,
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
            };
            naps = 0;
            if !on_message(message) {
                stop.store(true, Ordering::Relaxed);
                break;
            }
        }
        // Dropping the receiver fails the workers' next send: none of them blocks on a full queue.
        drop(rx);
    });
}

/// Sends one request of a run.
fn send(client: &Client, request: Request, timeout: Duration) -> Sent {
    let Request {
        seq,
        trigger,
        call_id,
        method,
        url,
        headers,
        body,
        ..
    } = request;
    let answer = exchange(url, timeout, Keep::Excerpt, |url| {
        let mut builder = client.request(method.clone(), url).headers(headers);
        if !body.is_empty() {
            builder = builder.body(body);
        }
        Ok(builder)
    });
    Sent {
        seq,
        trigger,
        call_id,
        method,
        answer,
    }
}

/// The tally of a run: sent, 2xx, non-2xx, transport errors, over 10 s, latencies.
#[derive(Debug, Default)]
pub struct Summary {
    pub sent: u64,
    pub ok: u64,
    pub non_2xx: u64,
    pub transport: u64,
    pub over_10s: u64,
    /// Jobs that produced nothing to send (an unreadable line, an edit that does not apply).
    pub skipped: u64,
    /// Latencies of the events that got a response, in microseconds.
    latencies: Vec<u64>,
}

impl Summary {
    pub fn add(&mut self, answer: &Answer) {
        self.sent += 1;
        match answer.status {
            Some(_) if answer.is_success() => self.ok += 1,
            Some(_) => self.non_2xx += 1,
            None => self.transport += 1,
        }
        if answer.too_slow() {
            self.over_10s += 1;
        }
        if answer.status.is_some() {
            self.latencies
                .push(u64::try_from(answer.elapsed.as_micros()).unwrap_or(u64::MAX));
        }
    }

    /// The latency below which `percent` of the responses came, nearest rank.
    pub fn percentile(&mut self, percent: f64) -> Option<Duration> {
        if self.latencies.is_empty() {
            return None;
        }
        if !self.latencies.is_sorted() {
            self.latencies.sort_unstable();
        }
        let rank = ((percent / 100.0) * self.latencies.len() as f64).ceil() as usize;
        let index = rank.clamp(1, self.latencies.len()) - 1;
        Some(Duration::from_micros(self.latencies[index]))
    }

    /// 3 when any event failed on the way, else 1 when any was not answered 2xx (or
    /// could not be prepared), else 0.
    pub fn exit_code(&self) -> u8 {
        if self.transport > 0 {
            crate::exit::NETWORK
        } else if self.non_2xx > 0 || self.skipped > 0 {
            crate::exit::NO
        } else {
            crate::exit::SUCCESS
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: Option<u16>, ms: u64) -> Answer {
        Answer {
            url: "http://127.0.0.1/".into(),
            status,
            elapsed: Duration::from_millis(ms),
            error: status.is_none().then(|| "cannot connect".to_string()),
            excerpt: String::new(),
            content_type: None,
            body: Vec::new(),
        }
    }

    #[test]
    fn summary_counts_and_exit_codes() {
        let mut s = Summary::default();
        for ms in 1..=100 {
            s.add(&answer(Some(200), ms));
        }
        assert_eq!((s.sent, s.ok), (100, 100));
        assert_eq!(s.percentile(50.0), Some(Duration::from_millis(50)));
        assert_eq!(s.percentile(99.0), Some(Duration::from_millis(99)));
        assert_eq!(s.exit_code(), 0);
        s.add(&answer(Some(500), 11_000));
        assert_eq!((s.non_2xx, s.over_10s), (1, 1));
        assert_eq!(s.exit_code(), 1);
        s.add(&answer(None, 1));
        assert_eq!(s.transport, 1);
        assert_eq!(s.exit_code(), 3, "a transport failure outranks a non-2xx");
        assert_eq!(Summary::default().percentile(50.0), None);
    }

    #[test]
    fn the_pacer_spaces_requests() {
        let pacer = Pacer::new(100.0);
        let started = Instant::now();
        for _ in 0..6 {
            pacer.wait();
        }
        // Six slots at 10 ms apart: the last starts 50 ms after the first (never earlier).
        assert!(started.elapsed() >= Duration::from_millis(50));
    }
}
