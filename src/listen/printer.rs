//! listen's printout, on a thread of its own: what does not have to happen before the answer
//! (drawing the call, the whole-call block after a hangup, writing to a terminal that may be
//! slow) is done here, off the workers. Workers hand over a [`Job`] once the record is on disk and
//! go on to answer; the printer draws the jobs in the order they were handed over (the order the
//! records were saved) and flushes whenever it has caught up.
//!
//! **Bounded, nothing dropped.** The queue holds at most [`QUEUE`] jobs and [`QUEUE_BYTES`] of
//! bodies; when either is full the worker waits (back-pressure: a terminal slower than the
//! senders slows the answers down, never grows memory, never loses a line). The capture file
//! does not depend on it: a record is written before its job is queued.

use std::io::{BufWriter, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvError, SyncSender, TryRecvError, sync_channel};
use std::thread::JoinHandle;
use std::time::Duration;

use colored::Colorize;
use serde_json::{Map, Value};

use super::Format;
use super::record::Received;
use crate::calls::Grouper;
use crate::render::call_summary::{self, View};
use crate::send::Answer;
use crate::validate::Verdict;

/// Jobs queued at most: a burst of a thousand callbacks is drawn without holding anyone up.
const QUEUE: usize = 1024;
/// Bodies queued at most, in bytes: 1,024 bodies of `--max-body` would otherwise be a gigabyte.
const QUEUE_BYTES: usize = 64 << 20;

/// One request, as the printout draws it.
pub(super) struct Job {
    pub received: Received,
    pub payload: Option<Map<String, Value>>,
    /// The payload under the variables' names, when a webhook's template applied.
    pub variables: Option<Map<String, Value>>,
    pub verdict: Verdict,
    pub status: u16,
    pub forwarded: Option<Answer>,
    /// `--format json`: the record line as printed (with its newline).
    pub line: Option<Vec<u8>>,
    /// Why the record could not be saved.
    pub unsaved: Option<String>,
}

enum Message {
    Print(Box<Job>),
    /// Flush and end: every job handed over before it has been drawn.
    Drain,
}

/// What the printer thread draws with.
pub(super) struct Style {
    pub format: Format,
    pub quiet: bool,
    pub headers: bool,
    pub redact: bool,
}

/// The workers' end of the queue.
pub(super) struct Printer {
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
            .spawn(move || run(&style, &jobs, &counter))
            .expect("a thread for the printout");
        (
            Printer {
                queue,
                queued_bytes,
            },
            thread,
        )
    }

    /// Queues `job`; waits while the queue is full (see the module comment).
    pub fn print(&self, job: Job) {
        let bytes = job.received.body.len();
        loop {
            let queued = self.queued_bytes.load(Ordering::Acquire);
            // One body larger than the whole budget still goes, alone.
            if queued == 0 || queued + bytes <= QUEUE_BYTES {
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        self.queued_bytes.fetch_add(bytes, Ordering::AcqRel);
        // Fails only once the printer has ended (after a stop): nothing is left to print to.
        let _ = self.queue.send(Message::Print(Box::new(job)));
    }

    /// Asks the printer to draw what it holds, flush and end.
    pub fn drain(&self) {
        let _ = self.queue.send(Message::Drain);
    }
}

fn run(style: &Style, jobs: &Receiver<Message>, queued_bytes: &AtomicUsize) {
    let mut out = BufWriter::with_capacity(256 * 1024, std::io::stdout());
    // The calls seen so far, for the pretty printout's whole-call block after a hangup.
    let mut calls = (style.format == Format::Pretty).then(crate::calls::Grouper::new);
    let mut next = jobs.recv();
    while let Ok(Message::Print(job)) = next {
        let text = draw(style, calls.as_mut(), &job);
        let _ = out.write_all(
            text.as_ref()
                .map_or(job.line.as_deref().unwrap_or_default(), |t| t.as_bytes()),
        );
        queued_bytes.fetch_sub(job.received.body.len(), Ordering::AcqRel);
        drop(job);
        next = match jobs.try_recv() {
            Ok(message) => Ok(message),
            // Caught up: what was drawn goes out now (under load, in batches).
            Err(TryRecvError::Empty) => {
                let _ = out.flush();
                jobs.recv()
            }
            Err(TryRecvError::Disconnected) => Err(RecvError),
        };
    }
    let _ = out.flush();
}

/// The printout of one job: `None` with `--format json` (the record line is printed as it is).
/// `unsaved` is said under the header line, or on stderr beside `--format json`.
fn draw(style: &Style, calls: Option<&mut Grouper>, job: &Job) -> Option<String> {
    let received = &job.received;
    // Shown in the machine's zone, named (the payload's stamps are IST); the record keeps UTC.
    let time = crate::timestamp::clock_in(&received.received_at, crate::timestamp::local_zone())
        .unwrap_or_else(|| received.received_at.clone());
    let view = View {
        time: &time,
        method: &received.method,
        path: &received.path,
        headers: style.headers.then_some(received.headers.as_slice()),
        payload: job.payload.as_ref(),
        variables: job.variables.as_ref(),
        verdict: &job.verdict,
        status: job.status,
        forwarded: job.forwarded.as_ref(),
        redact: style.redact,
    };
    let mut pretty = match style.format {
        Format::Json => None,
        Format::Pretty => Some(call_summary::render(&view, style.quiet)),
        Format::Line => Some(call_summary::line(&view)),
    };
    if let Some(why) = &job.unsaved {
        let note = format!("not saved, answered 503 so the sender retries: {why}");
        match &mut pretty {
            Some(text) => {
                let at = text.find('\n').map_or(text.len(), |i| i + 1);
                text.insert_str(at, &format!("   {}\n", format!("✗ {note}").red().bold()));
            }
            None => eprintln!("servetel: error: request {}: {note}", received.seq),
        }
    }
    if let (Some(text), Some(calls)) = (&mut pretty, calls) {
        text.push_str(&whole_call(calls, job, style.redact));
    }
    pretty
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
fn whole_call(grouper: &mut Grouper, job: &Job, redact: bool) -> String {
    let received = &job.received;
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
        job.payload.as_ref(),
        &job.verdict,
        fingerprint,
    );
    let hangup = event.is_hangup_family();
    // The block's call line is drawn from the hangup (the call as a whole), and a block is only
    // ever drawn after one: other events need none, which spares a render per request.
    let summary = job
        .variables
        .as_ref()
        .or(job.payload.as_ref())
        .filter(|_| hangup)
        .map(|p| call_summary::summary(p, redact));
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
