//! listen's printout: drawn by the worker once the answer is out (or, with `--delay`, while it
//! waits), then written by one printer thread in the order the records were saved. What must be
//! done in that order is done there too: the calls seen so far (`calls::Grouper`) and, after a
//! hangup, the whole-call block drawn from them. It flushes whenever it has caught up.
//!
//! **Bounded, nothing dropped.** The queue holds at most [`QUEUE`] printouts and [`QUEUE_BYTES`]
//! of text; when either is full the worker waits (back-pressure: a terminal slower than the
//! senders slows the answers down, never grows memory, never loses a line). The capture file
//! does not depend on it: a record is written before its printout is queued.

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvError, SyncSender, TryRecvError, sync_channel};
use std::thread::JoinHandle;
use std::time::Duration;

use colored::Colorize;
use serde_json::{Map, Value};

use super::Format;
use super::record::Received;
use crate::calls::{Event, Grouper};
use crate::render::call_summary::{self, View};
use crate::send::Answer;
use crate::validate::Verdict;

/// Printouts queued at most: a burst of a thousand callbacks is written without holding anyone up.
const QUEUE: usize = 1024;
/// Text queued at most, in bytes (a printout is a few KiB; `--headers` or a huge body make more).
const QUEUE_BYTES: usize = 64 << 20;

/// One request, as the printout draws it.
pub(super) struct Job<'a> {
    pub received: &'a Received,
    pub payload: Option<&'a Map<String, Value>>,
    /// The payload under the variables' names, when a webhook's template applied.
    pub variables: Option<&'a Map<String, Value>>,
    pub verdict: &'a Verdict,
    pub status: u16,
    pub forwarded: Option<&'a Answer>,
    /// `--format json`: the record line as printed (with its newline).
    pub line: Option<&'a [u8]>,
    /// Why the record could not be saved.
    pub unsaved: Option<&'a str>,
}

/// A printout on its way to the printer thread.
struct Printout {
    text: Vec<u8>,
    /// The event for the calls seen so far, and the call's summary line when it is a hangup
    /// (pretty output only).
    event: Option<(Event, Option<String>)>,
}

// A printout travels in the queue's slot (allocated once, with the queue), not boxed per request.
#[allow(clippy::large_enum_variant)]
enum Message {
    /// A printout and its place in the order (see [`Printer::ticket`]).
    Print(u64, Printout),
    /// Flush and end: every job handed over before it has been drawn.
    Drain,
}

/// How printouts are drawn.
#[derive(Clone, Copy)]
pub(super) struct Style {
    pub format: Format,
    pub quiet: bool,
    pub headers: bool,
    pub redact: bool,
}

/// The workers' end of the queue.
pub(super) struct Printer {
    style: Style,
    /// The next place in the printout's order.
    tickets: AtomicU64,
    queue: SyncSender<Message>,
    queued_bytes: Arc<AtomicUsize>,
}

impl Printer {
    /// Starts the printer thread, writing to stdout; join it after [`Printer::drain`].
    pub fn start(style: Style) -> (Printer, JoinHandle<()>) {
        let (queue, jobs) = sync_channel(QUEUE);
        let queued_bytes = Arc::new(AtomicUsize::new(0));
        let counter = queued_bytes.clone();
        let thread = std::thread::Builder::new()
            .name("printer".into())
            .spawn(move || run(style.format, &jobs, &counter))
            .expect("a thread for the printout");
        (
            Printer {
                style,
                tickets: AtomicU64::new(0),
                queue,
                queued_bytes,
            },
            thread,
        )
    }

    /// A place in the printout's order: taken right after the record is saved (the order lines
    /// come out in), and always followed by [`Printer::print`] with it, or the printer waits for it.
    pub fn ticket(&self) -> u64 {
        self.tickets.fetch_add(1, Ordering::AcqRel)
    }

    /// Draws `job` on this thread and queues it in the place of `ticket`; waits while the queue
    /// is full (see the module comment).
    pub fn print(&self, ticket: u64, job: &Job<'_>) {
        let printout = draw(&self.style, job);
        let bytes = printout.text.len();
        loop {
            let queued = self.queued_bytes.load(Ordering::Acquire);
            // One printout larger than the whole budget still goes, alone.
            if queued == 0 || queued + bytes <= QUEUE_BYTES {
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        self.queued_bytes.fetch_add(bytes, Ordering::AcqRel);
        // Fails only once the printer has ended (after a stop): nothing is left to print to.
        let _ = self.queue.send(Message::Print(ticket, printout));
    }

    /// Asks the printer to draw what it holds, flush and end.
    pub fn drain(&self) {
        let _ = self.queue.send(Message::Drain);
    }
}

fn run(format: Format, queue: &Receiver<Message>, queued_bytes: &AtomicUsize) {
    let mut out = BufWriter::with_capacity(256 * 1024, std::io::stdout());
    // The calls seen so far, for the pretty printout's whole-call block after a hangup.
    let mut calls = (format == Format::Pretty).then(Grouper::new);
    // Printouts that came before their turn (a worker still drawing an earlier one): at most
    // one per worker.
    let mut early = BTreeMap::new();
    let mut turn = 0;
    let mut write = |out: &mut BufWriter<_>, printout: Printout| {
        let _ = out.write_all(&printout.text);
        if let (Some(calls), Some((event, summary))) = (&mut calls, printout.event) {
            let _ = out.write_all(whole_call(calls, event, summary).as_bytes());
        }
        queued_bytes.fetch_sub(printout.text.len(), Ordering::AcqRel);
    };
    let mut next = queue.recv();
    while let Ok(Message::Print(ticket, printout)) = next {
        early.insert(ticket, printout);
        while let Some(printout) = early.remove(&turn) {
            write(&mut out, printout);
            turn += 1;
        }
        next = match queue.try_recv() {
            Ok(message) => Ok(message),
            // Caught up: what was written goes out now (under load, in batches of a tick).
            Err(TryRecvError::Empty) => {
                let _ = out.flush();
                wait(queue)
            }
            Err(TryRecvError::Disconnected) => Err(RecvError),
        };
    }
    // At the end, a worker that never finished (stuck past the grace) holds no one up.
    for (_, printout) in std::mem::take(&mut early) {
        write(&mut out, printout);
    }
    let _ = out.flush();
}

/// Printouts are waited for by looking every `TICK`, for `POLLS` ticks, before the thread sleeps
/// until one comes: under load a worker's hand-over then never has to wake it (a system call and
/// a switch of threads per request), and its writes go out a tick's worth at a time; idle, it
/// costs nothing.
const TICK: Duration = Duration::from_millis(1);
const POLLS: usize = 50;

fn wait(queue: &Receiver<Message>) -> Result<Message, RecvError> {
    for _ in 0..POLLS {
        std::thread::sleep(TICK);
        match queue.try_recv() {
            Ok(message) => return Ok(message),
            Err(TryRecvError::Disconnected) => return Err(RecvError),
            Err(TryRecvError::Empty) => {}
        }
    }
    queue.recv()
}

/// The printout of one request, and its event for the calls seen so far. With `--format json`
/// the record line as it is; `unsaved` is said under the header line, or on stderr beside it.
fn draw(style: &Style, job: &Job<'_>) -> Printout {
    let received = job.received;
    // Shown in the machine's zone, named (the payload's stamps are IST); the record keeps UTC.
    let time = crate::timestamp::clock_in(&received.received_at, crate::timestamp::local_zone())
        .unwrap_or_else(|| received.received_at.clone());
    let view = View {
        time: &time,
        method: &received.method,
        path: &received.path,
        headers: style.headers.then_some(received.headers.as_slice()),
        payload: job.payload,
        variables: job.variables,
        verdict: job.verdict,
        status: job.status,
        forwarded: job.forwarded,
        redact: style.redact,
    };
    let mut text = match style.format {
        Format::Json => None,
        Format::Pretty => Some(call_summary::render(&view, style.quiet)),
        Format::Line => Some(call_summary::line(&view)),
    };
    if let Some(why) = job.unsaved {
        let note = format!("not saved, answered 503 so the sender retries: {why}");
        match &mut text {
            Some(text) => {
                let at = text.find('\n').map_or(text.len(), |i| i + 1);
                text.insert_str(at, &format!("   {}\n", format!("✗ {note}").red().bold()));
            }
            None => crate::say!("servetel: error: request {}: {note}", received.seq),
        }
    }
    let event = (style.format == Format::Pretty).then(|| event(job, style.redact));
    Printout {
        text: text.map_or_else(|| job.line.unwrap_or_default().to_vec(), String::into_bytes),
        event,
    }
}

/// The request as an event of its call, and the call's summary line when it is a hangup (the
/// block's call line is drawn from the hangup, the call as a whole; other events need none).
fn event(job: &Job<'_>, redact: bool) -> (Event, Option<String>) {
    let received = job.received;
    let fingerprint = {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        received.body.hash(&mut h);
        received.query.hash(&mut h);
        h.finish()
    };
    let event = Event::judged(
        format!("#{}", received.seq),
        Some(received.received_at.clone()),
        job.payload,
        job.verdict,
        fingerprint,
    );
    let summary = job
        .variables
        .or(job.payload)
        .filter(|_| event.is_hangup_family())
        .map(|p| call_summary::summary(p, redact));
    (event, summary)
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
fn whole_call(grouper: &mut Grouper, event: Event, summary: Option<String>) -> String {
    let hangup = event.is_hangup_family();
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
            .map_or_else(String::new, |(call, diagnostics)| {
                crate::render::calls::text_with(call, &diagnostics)
            }),
        _ => String::new(),
    }
}
