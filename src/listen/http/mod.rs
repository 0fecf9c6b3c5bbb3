//! The listener's whole HTTP layer: the socket, the tiny_http servers, the connection policy,
//! the checks of a request's framing and the body reader. Nothing else in `listen` knows how
//! connections are kept, so this file is what a move to hyper would replace.
//!
//! Around tiny_http 0.12 (which stops accepting for good at its first accept error, keeps a
//! connection's thread for as long as the connection lives, and queues new connections behind
//! busy keep-alive ones):
//! - the descriptor limit is raised to the hard limit, and the listening socket is ours;
//! - its `SO_RCVTIMEO`, inherited by every accepted socket, is a per-connection idle limit;
//! - a "poke" (an empty self-connection) every `POKE` keeps `accept` from timing out on that
//!   same option, and makes tiny_http's pool pick up a connection queued behind busy ones;
//! - a watch builds a new server generation on the same socket when an accept loop dies
//!   (descriptors exhausted), while older generations are drained of their live connections.

mod sys;

pub use sys::close_peer;

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A connection silent this long (no request, or a stalled body) is closed, releasing its
/// thread and descriptors.
pub const IDLE_LIMIT: Duration = Duration::from_secs(5);
/// Pokes keep `accept` from timing out, and run connections stranded in tiny_http's queue:
/// often while requests come (that is when connections pile up), seldom when idle, because every
/// poke also wakes an idle pool thread, which then lives on for tiny_http's 5 s.
const POKE_BUSY: Duration = Duration::from_millis(20);
const POKE_IDLE: Duration = Duration::from_secs(1);
/// How long after a request the listener counts as busy.
const BUSY: Duration = Duration::from_secs(1);
/// Between two restarts of a dead accept loop (descriptors exhausted must not spin).
const BACKOFF: Duration = Duration::from_millis(50);
/// Connections waiting this long in the accept queue mean the accept loop is gone.
const STUCK: Duration = Duration::from_millis(300);
/// An old generation with no request for this long has no live connection left.
const QUIET: Duration = Duration::from_secs(30);
/// A header section larger than this is refused with 431.
pub const MAX_HEADER_SECTION: usize = 64 * 1024;
/// Past `--max-body`, a body is still read and thrown away up to this much, so the connection
/// stays in step for its next request; beyond it the connection is closed unread.
const DRAIN: usize = 64 * 1024 * 1024;
const CHUNK: usize = 16 * 1024;

struct Generation {
    server: tiny_http::Server,
    id: u64,
    /// When it last delivered a request (old generations are dropped once quiet).
    last: Mutex<Instant>,
}

/// The listening socket and the tiny_http servers that accept on it.
pub struct Http {
    addr: SocketAddr,
    current: Mutex<Arc<Generation>>,
    old: Mutex<Vec<Arc<Generation>>>,
    /// The generation whose accept loop was seen dead (0: none).
    dead: AtomicU64,
    stop: AtomicBool,
    started: Instant,
    /// Milliseconds from `started` to the last request delivered.
    last_request: AtomicU64,
    /// Connections (by peer address) being closed for broken framing: whatever tiny_http still
    /// parses off them is the rest of a body, never a request.
    condemned: Mutex<HashMap<SocketAddr, Instant>>,
    /// Held while a request is taken and its framing judged, so that a request that follows a
    /// broken one on the same connection is always judged after it.
    gate: Mutex<()>,
}

impl Http {
    /// Raises the descriptor limit, binds `addr` and starts accepting.
    pub fn bind(addr: &str) -> io::Result<Arc<Http>> {
        sys::raise_descriptor_limit();
        quiet_tiny_http_panics();
        let listener = TcpListener::bind(addr)?;
        sys::set_idle_limit(&listener, IDLE_LIMIT)?;
        let bound = listener.local_addr()?;
        let first = generation(listener.try_clone()?, 1)?;
        let http = Arc::new(Http {
            addr: bound,
            current: Mutex::new(Arc::new(first)),
            old: Mutex::new(Vec::new()),
            dead: AtomicU64::new(0),
            stop: AtomicBool::new(false),
            started: Instant::now(),
            last_request: AtomicU64::new(0),
            condemned: Mutex::new(HashMap::new()),
            gate: Mutex::new(()),
        });
        let watched = http.clone();
        std::thread::spawn(move || watched.watch(listener));
        let poked = http.clone();
        std::thread::spawn(move || poked.poke());
        Ok(http)
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops the watch and the pokes (the servers stop when dropped).
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    /// The next request from any generation, waiting at most about `timeout` once it is this
    /// worker's turn to wait (one waits at a time: keep `timeout` short when workers are many).
    pub fn recv(&self, timeout: Duration) -> Option<tiny_http::Request> {
        let request = self.next_request(timeout);
        if request.is_some() {
            let now = self.started.elapsed().as_millis() as u64;
            self.last_request.store(now, Ordering::Relaxed);
        }
        request
    }

    fn next_request(&self, timeout: Duration) -> Option<tiny_http::Request> {
        let _gate = self.gate.lock().ok()?;
        let request = self.any_request(timeout)?;
        let peer = request.remote_addr().copied()?;
        let condemned = self.condemned.lock().is_ok_and(|c| c.contains_key(&peer));
        if condemned {
            // Dropped: tiny_http's answer to it waits for the broken request's, after which the
            // connection is shut down, so the sender never sees one.
            return None;
        }
        // Judged the moment it is taken: tiny_http may already be parsing what follows a small
        // body, and another worker may take that next.
        if framing(&request).is_err() {
            self.condemn(&request);
        }
        Some(request)
    }

    /// Marks the connection of `request` as ending: see `condemned`.
    fn condemn(&self, request: &tiny_http::Request) {
        let Some(peer) = request.remote_addr().copied() else {
            return;
        };
        if let Ok(mut condemned) = self.condemned.lock() {
            // A peer address can come back only long after its connection closed.
            condemned.retain(|_, at| at.elapsed() < QUIET);
            condemned.insert(peer, Instant::now());
        }
    }

    fn any_request(&self, timeout: Duration) -> Option<tiny_http::Request> {
        let old: Vec<_> = self.old.lock().map(|o| o.clone()).unwrap_or_default();
        for generation in &old {
            if let Ok(Some(request)) = generation.server.try_recv() {
                touch(generation);
                return Some(request);
            }
        }
        // While old generations may still deliver, they are polled often.
        let timeout = if old.is_empty() {
            timeout
        } else {
            timeout.min(Duration::from_millis(10))
        };
        let current = self.current.lock().ok()?.clone();
        match current.server.recv_timeout(timeout) {
            Ok(Some(request)) => Some(request),
            Ok(None) => None,
            Err(_) => {
                // Its accept loop is gone (the error it died of is in the queue): the watch
                // replaces it.
                self.dead.store(current.id, Ordering::SeqCst);
                None
            }
        }
    }

    fn watch(&self, listener: TcpListener) {
        let mut spare = listener.try_clone().ok();
        let mut backoff = BACKOFF;
        let mut started = Instant::now();
        let mut queue = (0, Instant::now());
        while !self.stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(10));
            // tiny_http's accept thread can also die without a word (it panics when it cannot
            // duplicate an accepted socket, out of descriptors): connections then wait in the
            // accept queue, which a live loop empties at once.
            let queued = sys::accept_queue(&listener);
            if queued == 0 || queued < queue.0 {
                queue = (queued, Instant::now());
            } else if queue.1.elapsed() > STUCK {
                let current_id = self.current.lock().map(|c| c.id).unwrap_or(0);
                self.dead.store(current_id, Ordering::SeqCst);
                queue = (queued, Instant::now());
            }
            // A spare descriptor is kept ready: when descriptors run out, `try_clone` fails too.
            if spare.is_none() {
                spare = listener.try_clone().ok();
            }
            let current_id = self.current.lock().map(|c| c.id).unwrap_or(0);
            if self.dead.load(Ordering::SeqCst) == current_id {
                let Some(socket) = spare.take() else { continue };
                // A loop that dies again soon after its restart waits longer each time.
                backoff = match started.elapsed() > Duration::from_secs(1) {
                    true => BACKOFF,
                    false => (backoff * 2).min(Duration::from_millis(800)),
                };
                std::thread::sleep(backoff);
                match generation(socket, current_id + 1) {
                    Ok(next) => {
                        started = Instant::now();
                        if let (Ok(mut current), Ok(mut old)) =
                            (self.current.lock(), self.old.lock())
                        {
                            let previous = std::mem::replace(&mut *current, Arc::new(next));
                            touch(&previous);
                            old.push(previous);
                        }
                    }
                    Err(_) => continue,
                }
            }
            if let Ok(mut old) = self.old.lock() {
                old.retain(|g| g.last.lock().is_ok_and(|l| l.elapsed() < QUIET));
            }
        }
    }

    fn poke(&self) {
        let target = SocketAddr::new(loopback_of(self.addr.ip()), self.addr.port());
        let mut last_poke = Instant::now();
        while !self.stop.load(Ordering::SeqCst) {
            std::thread::sleep(POKE_BUSY);
            let last = Duration::from_millis(self.last_request.load(Ordering::Relaxed));
            let busy = self.started.elapsed().saturating_sub(last) < BUSY;
            if busy || last_poke.elapsed() >= POKE_IDLE {
                last_poke = Instant::now();
                // Refused or out of descriptors: the watch deals with it.
                let _ = TcpStream::connect_timeout(&target, POKE_IDLE);
            }
        }
    }
}

/// tiny_http's threads panic on some errors (an accept thread out of descriptors); the watch
/// recovers from that, so the panic message is not the user's business.
fn quiet_tiny_http_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info
            .location()
            .is_some_and(|l| l.file().contains("tiny_http"))
        {
            previous(info);
        }
    }));
}

fn touch(generation: &Generation) {
    if let Ok(mut last) = generation.last.lock() {
        *last = Instant::now();
    }
}

fn generation(socket: TcpListener, id: u64) -> io::Result<Generation> {
    let server = tiny_http::Server::from_listener(socket, None).map_err(io::Error::other)?;
    Ok(Generation {
        server,
        id,
        last: Mutex::new(Instant::now()),
    })
}

fn loopback_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        other => other,
    }
}

/// Why a request's body was not taken.
#[derive(Debug)]
pub enum Problem {
    /// Over `--max-body`: 413.
    TooLarge,
    /// Framing that cannot be trusted or a body cut off: this status, and why.
    Refused(u16, String),
}

/// A request's body as read, and whether its connection must end after the answer.
pub struct Body {
    pub bytes: Vec<u8>,
    pub problem: Option<Problem>,
    pub close: bool,
}

impl Body {
    fn refused(status: u16, why: impl Into<String>) -> Body {
        Body {
            bytes: Vec::new(),
            problem: Some(Problem::Refused(status, why.into())),
            close: true,
        }
    }
}

enum Framing {
    Length(usize),
    Chunked,
    Upgrade(usize),
}

/// The framing a request declares, checked before it is trusted.
fn framing(request: &tiny_http::Request) -> Result<Framing, Body> {
    let headers = request.headers();
    let section: usize = headers
        .iter()
        .map(|h| h.field.as_str().as_str().len() + h.value.as_str().len() + 4)
        .sum::<usize>()
        + request.url().len();
    if section > MAX_HEADER_SECTION {
        return Err(Body::refused(
            431,
            format!("the header section is larger than {MAX_HEADER_SECTION} bytes"),
        ));
    }
    let values = |name: &'static str| -> Vec<String> {
        headers
            .iter()
            .filter(|h| h.field.equiv(name))
            .map(|h| h.value.as_str().trim().to_string())
            .collect()
    };
    let lengths = values("Content-Length");
    let encodings = values("Transfer-Encoding");
    let length = match lengths.first() {
        None => None,
        Some(first) => {
            // `Content-Length: 5, 5` and repeated equal headers are one length; two different
            // ones would let the rest of a body pass for a second request.
            let mut all = lengths.iter().flat_map(|v| v.split(',')).map(str::trim);
            let parsed: Option<usize> = first.split(',').next().and_then(|v| v.trim().parse().ok());
            match parsed {
                Some(n) if all.all(|v| v.parse() == Ok(n)) => Some(n),
                Some(_) => {
                    return Err(Body::refused(400, "two different Content-Length headers"));
                }
                None => {
                    return Err(Body::refused(
                        400,
                        format!("Content-Length `{first}` is not a length"),
                    ));
                }
            }
        }
    };
    if let Some(encoding) = encodings.first() {
        if encodings.len() > 1 || !encoding.eq_ignore_ascii_case("chunked") {
            return Err(Body::refused(
                501,
                format!(
                    "Transfer-Encoding `{}` is not supported (only chunked)",
                    encodings.join(", ")
                ),
            ));
        }
        if length.is_some() {
            return Err(Body::refused(
                400,
                "both Content-Length and Transfer-Encoding",
            ));
        }
    }
    let upgrade = headers
        .iter()
        .filter(|h| h.field.equiv("Connection"))
        .any(|h| h.value.as_str().to_ascii_lowercase().contains("upgrade"));
    Ok(match (upgrade, encodings.is_empty()) {
        // tiny_http hands an upgrading request the raw stream: its body is read by its length.
        (true, true) => Framing::Upgrade(length.unwrap_or(0)),
        (true, false) => return Err(Body::refused(400, "a chunked body on an upgrade request")),
        (false, false) => Framing::Chunked,
        (false, true) => Framing::Length(length.unwrap_or(0)),
    })
}

/// Reads the body against its declared framing, at most `max` bytes held (the excess is read in
/// fixed-size chunks and discarded, up to `DRAIN`, never held). A body shorter than declared, or
/// a chunked body cut off, is refused (400): it is never acknowledged.
#[inline(never)] // a step of its own in scripts/steps.sh
pub fn read_body(http: &Http, request: &mut tiny_http::Request, max: usize) -> Body {
    let body = read_framed(request, max, http.addr);
    if body.close {
        http.condemn(request);
    }
    body
}

fn read_framed(request: &mut tiny_http::Request, max: usize, local: SocketAddr) -> Body {
    let declared = match framing(request) {
        Ok(f) => f,
        Err(refused) => return refused,
    };
    let (limit, chunked, close) = match declared {
        Framing::Length(n) if n > max.saturating_add(DRAIN) => {
            return Body {
                bytes: Vec::new(),
                problem: Some(Problem::TooLarge),
                close: true,
            };
        }
        Framing::Length(n) => (Some(n), false, false),
        Framing::Upgrade(n) => (Some(n), false, true),
        Framing::Chunked => (None, true, false),
    };
    let mut bytes = Vec::with_capacity(limit.unwrap_or(0).min(max));
    let mut chunk = vec![0; CHUNK];
    let mut total = 0usize;
    let reader = request.as_reader();
    let ended = loop {
        let want = match limit {
            Some(n) if total >= n => break Ok(()),
            Some(n) => (n - total).min(CHUNK),
            None => CHUNK,
        };
        match reader.read(&mut chunk[..want]) {
            Ok(0) => break Ok(()),
            Ok(n) => {
                if bytes.len() < max + 1 {
                    let keep = n.min(max + 1 - bytes.len());
                    bytes.extend_from_slice(&chunk[..keep]);
                }
                total += n;
                if total > max.saturating_add(DRAIN) {
                    return Body {
                        bytes: Vec::new(),
                        problem: Some(Problem::TooLarge),
                        close: true,
                    };
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => break Err(e),
        }
    };
    let short = limit.is_some_and(|n| total < n);
    match ended {
        Err(e)
            if chunked
                && e.kind() == io::ErrorKind::InvalidInput
                && !request
                    .remote_addr()
                    .is_some_and(|&peer| sys::peer_finished(peer, local)) =>
        {
            // The decoder stops at a trailer section (valid HTTP/1.1 it does not parse): the
            // chunks before it are the body; the stream is out of step, so the connection ends.
            return finish(bytes, max, true);
        }
        Err(e) => {
            return Body::refused(400, format!("the body could not be read: {e}"));
        }
        Ok(()) if short => {
            return Body::refused(
                400,
                format!(
                    "the body ended after {total} of the {} bytes its Content-Length declares",
                    limit.unwrap_or(0)
                ),
            );
        }
        // tiny_http's decoder reports a chunk cut off as a normal end: a peer that has already
        // hung up when the body "ended" may have been cut off, so it is not acknowledged.
        Ok(())
            if chunked
                && request
                    .remote_addr()
                    .is_some_and(|&peer| sys::peer_finished(peer, local)) =>
        {
            return Body::refused(400, "the chunked body was cut off");
        }
        Ok(()) => {}
    }
    finish(bytes, max, close)
}

fn finish(bytes: Vec<u8>, max: usize, close: bool) -> Body {
    if bytes.len() > max {
        return Body {
            bytes: Vec::new(),
            problem: Some(Problem::TooLarge),
            close,
        };
    }
    Body {
        bytes,
        problem: None,
        close,
    }
}
