//! The run: `--concurrency` tasks on the lanes (one thread and one single-threaded runtime per
//! core), each taking a job, preparing it and sending its requests in order; `--rate` pacing
//! by absolute deadlines; the messages of the run handed to the calling thread, which prints.

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{RecvTimeoutError, SyncSender, TryRecvError, sync_channel};
use std::sync::{Mutex, PoisonError};
use std::task::Poll;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use reqwest::Url;

use super::answer::{answer, timed_out};
use super::client::{Clients, Lane};
use super::direct;
use super::{Keep, Message, Request, Sent, Settings, Skip, exchange_async};

/// How long the printing thread naps when no message is waiting.
const NAP: Duration = Duration::from_millis(2);

/// After this many naps in a row (50 ms of quiet: a scenario's gap, a slow receiver) the printing
/// thread blocks on the queue instead, waking every [`QUIET_TICK`]: waiting costs no CPU.
const NAPS_BEFORE_BLOCKING: u32 = 25;

/// How often a blocked printing thread wakes to check for Ctrl-C and redraw a countdown.
const QUIET_TICK: Duration = Duration::from_millis(100);

/// A lane hands its messages over in batches of at most this many, and whenever all its tasks
/// wait on the network: one hand-over per batch, not per event.
const BATCH: usize = 64;

/// How far behind its schedule `--rate` may fall and still catch up (a slow answer, a busy
/// machine); a longer stall starts the schedule afresh rather than sending a burst.
const CATCH_UP: Duration = Duration::from_millis(250);

/// Sends everything the jobs prepare, `settings.concurrency` at a time, and hands every message
/// to `on_message` on the calling thread, as it happens. `on_message` returns false to stop the
/// run (a closed stdout), and so does `settings.interrupt` (Ctrl-C): no new request starts after
/// that; the ones in flight finish.
///
/// `prepare` runs on the lanes, so synthesis and encoding happen beside the sending, and the
/// requests of one job (the events of one call) are sent in order, by one task.
pub fn run<J, P>(
    clients: &Clients,
    jobs: impl Iterator<Item = J> + Send,
    prepare: P,
    settings: &Settings,
    on_message: &mut dyn FnMut(Message) -> bool,
) where
    J: Send,
    P: Fn(J) -> Result<Vec<Request>, Skip> + Sync,
{
    let workers = settings.concurrency.max(1);
    let lanes = &clients.lanes[..clients.lanes.len().min(workers)];
    let shared = Shared {
        jobs: Mutex::new(jobs),
        prepare,
        stop: AtomicBool::new(false),
        pacer: settings.rate.map(Pacer::new),
        timeout: settings.timeout,
    };
    // Room for a nap's worth of small batches (a lane hands one over whenever it waits, which
    // at one connection is after every event); bounded, so a slow terminal cannot grow memory.
    let (tx, rx) = sync_channel::<Vec<Message>>((workers * 16).max(256));
    std::thread::scope(|scope| {
        for (n, lane) in lanes.iter().enumerate() {
            // The tasks are shared out evenly: 16 on two lanes is 8 and 8.
            let tasks = workers / lanes.len() + usize::from(n < workers % lanes.len());
            let (tx, shared) = (tx.clone(), &shared);
            scope.spawn(move || drive(lane, tasks, shared, tx));
        }
        drop(tx);
        print(&rx, &shared.stop, settings.interrupt, on_message);
        // Dropping the receiver fails the lanes' next hand-over: none of them blocks on a full
        // queue.
        drop(rx);
    });
}

/// What the tasks of every lane share.
struct Shared<I, P> {
    jobs: Mutex<I>,
    prepare: P,
    stop: AtomicBool,
    pacer: Option<Pacer>,
    timeout: Duration,
}

/// The calling thread's part: every message to `on_message` until the lanes are done.
fn print(
    rx: &std::sync::mpsc::Receiver<Vec<Message>>,
    stop: &AtomicBool,
    interrupt: &AtomicBool,
    on_message: &mut dyn FnMut(Message) -> bool,
) {
    let mut naps = 0;
    loop {
        if interrupt.load(Ordering::Relaxed) {
            stop.store(true, Ordering::Relaxed);
        }
        let batch = match rx.try_recv() {
            Ok(batch) => batch,
            Err(TryRecvError::Disconnected) => return,
            Err(TryRecvError::Empty) => {
                // The lanes are busy: a moment to flush, then a short nap. Napping rather than
                // blocking on the queue spares the lanes a wake-up per hand-over (a context
                // switch each, on two shared cores); a message waits at most the nap. A long
                // quiet blocks.
                if !on_message(Message::Idle) {
                    stop.store(true, Ordering::Relaxed);
                    return;
                }
                naps += 1;
                if naps < NAPS_BEFORE_BLOCKING {
                    std::thread::sleep(NAP);
                    continue;
                }
                match rx.recv_timeout(QUIET_TICK) {
                    Ok(batch) => batch,
                    Err(RecvTimeoutError::Timeout) => continue,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        };
        naps = 0;
        for message in batch {
            if !on_message(message) {
                stop.store(true, Ordering::Relaxed);
                return;
            }
        }
    }
}

/// One lane: its tasks, polled together on this thread, and their messages handed over in
/// batches (see [`BATCH`]).
fn drive<J, I, P>(lane: &Lane, tasks: usize, shared: &Shared<I, P>, tx: SyncSender<Vec<Message>>)
where
    I: Iterator<Item = J> + Send,
    P: Fn(J) -> Result<Vec<Request>, Skip> + Sync,
{
    let outbox = Outbox {
        batch: std::cell::RefCell::new(Vec::with_capacity(BATCH)),
        tx,
        stop: &shared.stop,
    };
    lane.runtime.block_on(async {
        let mut all: FuturesUnordered<_> = (0..tasks)
            .map(|_| task(&lane.client, shared, &outbox))
            .collect();
        // Polls the tasks; whenever every one of them waits (on the network, a timer), what they
        // said so far goes to the printer.
        let mut run = pin!(async { while all.next().await.is_some() {} });
        std::future::poll_fn(|cx| match run.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(()),
            Poll::Pending => {
                outbox.flush();
                Poll::Pending
            }
        })
        .await;
    });
    outbox.flush();
}

/// A lane's messages on their way to the printer.
struct Outbox<'a> {
    batch: std::cell::RefCell<Vec<Message>>,
    tx: SyncSender<Vec<Message>>,
    stop: &'a AtomicBool,
}

impl Outbox<'_> {
    /// Queues a message; false once the run is stopping.
    fn say(&self, message: Message) -> bool {
        let full = {
            let mut batch = self.batch.borrow_mut();
            batch.push(message);
            batch.len() >= BATCH
        };
        if full {
            self.flush();
        }
        !self.stop.load(Ordering::Relaxed)
    }

    fn flush(&self) {
        let batch = std::mem::take(&mut *self.batch.borrow_mut());
        if !batch.is_empty() && self.tx.send(batch).is_err() {
            self.stop.store(true, Ordering::Relaxed);
        }
    }
}

/// One of the `--concurrency` tasks: jobs until there are none, each job's requests in order.
async fn task<J, I, P>(client: &reqwest::Client, shared: &Shared<I, P>, outbox: &Outbox<'_>)
where
    I: Iterator<Item = J>,
    P: Fn(J) -> Result<Vec<Request>, Skip>,
{
    let stop = &shared.stop;
    let mut own = Own::default();
    while !stop.load(Ordering::Relaxed) {
        let next = shared
            .jobs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .next();
        let Some(job) = next else { break };
        let requests = match (shared.prepare)(job) {
            Ok(requests) => requests,
            Err(skip) => {
                outbox.say(Message::Skipped(skip));
                continue;
            }
        };
        for mut request in requests {
            if let Some(note) = request.note.take() {
                if !outbox.say(Message::Note(note)) {
                    break;
                }
            }
            if !request.wait.is_zero() {
                let waiting = Message::Waiting {
                    seq: request.seq,
                    trigger: request.trigger,
                    wait: request.wait,
                };
                if !outbox.say(waiting) {
                    break;
                }
                // The printer shows the countdown now, not when the batch fills.
                outbox.flush();
                pause(request.wait, stop).await;
            }
            if stop.load(Ordering::Relaxed) {
                break;
            }
            if let Some(pacer) = &shared.pacer {
                pacer.wait().await;
            }
            let sent = send(client, request, shared.timeout, &mut own).await;
            if !outbox.say(Message::Sent(sent)) {
                break;
            }
        }
    }
}

/// The last URL a task parsed, and whether it goes direct (a burst sends every request to the
/// same one).
#[derive(Default)]
struct Parsed(Option<(String, Url, bool)>);

impl Parsed {
    fn get(&mut self, text: &str) -> Option<(Url, bool)> {
        match &self.0 {
            Some((t, url, direct)) if t == text => Some((url.clone(), *direct)),
            _ => {
                let url = Url::parse(text).ok()?;
                let direct = direct::applies(&url);
                self.0 = Some((text.to_string(), url.clone(), direct));
                Some((url, direct))
            }
        }
    }
}

/// What a task keeps from one request to the next.
#[derive(Default)]
struct Own {
    parsed: Parsed,
    connection: direct::Connection,
}

/// Sends one request of a run: on the task's own connection to a plain http:// target
/// ([`direct`]), else through reqwest.
async fn send(
    client: &reqwest::Client,
    request: Request,
    timeout: Duration,
    own: &mut Own,
) -> Sent {
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
    let parsed = own.parsed.get(&url);
    let answer = match parsed {
        Some((target, true)) => {
            let started = Instant::now();
            let exchange = own
                .connection
                .exchange(method.clone(), &target, headers, body);
            let result = match tokio::time::timeout(timeout, exchange).await {
                Ok(Ok((status, bytes))) => Ok((status, None, bytes)),
                Ok(Err(failure)) => Err(failure.text()),
                Err(_) => {
                    own.connection.reset();
                    Err(timed_out(timeout))
                }
            };
            answer(url, Keep::Excerpt, started.elapsed(), result)
        }
        _ => {
            exchange_async(url, timeout, Keep::Excerpt, |url| {
                // A URL that does not parse goes as text: reqwest's error then says why.
                let builder = match parsed {
                    Some((url, _)) => client.request(method.clone(), url),
                    None => client.request(method.clone(), url),
                };
                let builder = builder.headers(headers);
                Ok(match body.is_empty() {
                    true => builder,
                    false => builder.body(body),
                })
            })
            .await
        }
    };
    Sent {
        seq,
        trigger,
        call_id,
        method,
        answer,
    }
}

/// Sleeps `wait`, waking early when the run is stopped.
async fn pause(wait: Duration, stop: &AtomicBool) {
    let until = Instant::now() + wait;
    while !stop.load(Ordering::Relaxed) {
        let now = Instant::now();
        if now >= until {
            return;
        }
        tokio::time::sleep((until - now).min(QUIET_TICK)).await;
    }
}

/// `--rate`: request n goes at `start + n / rate`, whichever task sends it. A request that finds
/// its moment past goes at once, and the next ones keep the schedule, so the rate does not drift
/// below the target (a sleep of `1/rate` after each request would, by each sleep's overshoot).
struct Pacer {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl Pacer {
    fn new(rate: f64) -> Pacer {
        Pacer {
            interval: Duration::from_secs_f64(1.0 / rate),
            next: Mutex::new(None),
        }
    }

    /// The moment of the next request, asked at `now`.
    fn slot(&self, now: Instant) -> Instant {
        let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
        let slot = match *next {
            Some(at) if at + CATCH_UP >= now => at,
            // The first request, or a stall longer than CATCH_UP: the schedule starts now.
            _ => now,
        };
        *next = Some(slot + self.interval);
        slot
    }

    async fn wait(&self) {
        let now = Instant::now();
        let slot = self.slot(now);
        if slot > now {
            tokio::time::sleep_until(slot.into()).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pacer_keeps_an_absolute_schedule() {
        let pacer = Pacer::new(100.0);
        let start = Instant::now();
        let ms = Duration::from_millis;
        assert_eq!(pacer.slot(start), start);
        // Asked late (each request took 13 ms), the slots stay on the 10 ms grid: no drift.
        for n in 1..=10u32 {
            assert_eq!(pacer.slot(start + ms(13) * n), start + ms(10) * n);
        }
        // Asked early, a request waits for its slot.
        assert_eq!(pacer.slot(start + ms(50)), start + ms(110));
        // After a stall longer than CATCH_UP the schedule starts afresh, without a burst.
        let later = start + ms(2_000);
        assert_eq!(pacer.slot(later), later);
        assert_eq!(pacer.slot(later), later + ms(10));
    }
}
