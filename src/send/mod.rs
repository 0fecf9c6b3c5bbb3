//! The HTTP sending engine shared by `fire`, `replay` and `test` (docs/architecture.md): requests
//! prepared before they go, `--concurrency` tasks on one single-threaded tokio runtime per core
//! (keep-alive connections reused by each lane), `--rate` pacing on an absolute schedule, the
//! outcome of every event, and the run's summary with its latencies in a fixed-memory histogram.
//!
//! The engine knows nothing about payloads: the caller gives it jobs (a call to synthesize, a
//! record to re-send) and a `prepare` function that turns one job into its requests. `prepare`
//! runs on the lanes, so synthesis and encoding happen in parallel with the sending, and the
//! requests of one job (the events of one call) are sent in order, by one task.

mod answer;
mod cacert;
mod client;
mod direct;
mod engine;
mod histogram;
mod report;
mod request;

use std::sync::atomic::AtomicBool;
use std::time::Duration;

pub use answer::{Answer, Keep, exchange, exchange_async};
pub use client::{ClientOptions, Clients, client, clients};
pub use engine::run;
use histogram::Histogram;
pub use report::{
    Printer, dry_run_json, dry_run_text, event_json, event_pretty, excerpt, latency, summary_line,
};
pub use request::{
    Request, Target, USER_AGENT, header_map, parse_header, passed_on_headers, title_case,
};

/// Servetel gives a receiver 10 seconds (docs/wire.md, "It does not wait"): `--timeout`'s default, and the "over 10 s"
/// line of the summary.
pub const SERVETEL_TIMEOUT: Duration = Duration::from_secs(10);

/// How `fire` and `replay` print each event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// A line per event for people (status, latency, response excerpt); the summary on stderr.
    #[default]
    Pretty,
    /// One JSON object per event on stdout, and nothing else.
    Json,
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
    /// Latencies of the events that got a response.
    latencies: Histogram,
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
            self.latencies.record(answer.elapsed);
        }
    }

    /// The latency below which `percent` of the responses came, nearest rank (within 0.1%:
    /// see [`Histogram`]).
    pub fn percentile(&self, percent: f64) -> Option<Duration> {
        self.latencies.percentile(percent)
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
        let near = |d: Option<Duration>, ms: f64| {
            let got = d.unwrap().as_secs_f64() * 1000.0;
            (got - ms).abs() <= ms / 1000.0
        };
        assert!(near(s.percentile(50.0), 50.0), "{:?}", s.percentile(50.0));
        assert!(near(s.percentile(99.0), 99.0), "{:?}", s.percentile(99.0));
        assert_eq!(s.exit_code(), 0);
        s.add(&answer(Some(500), 11_000));
        assert_eq!((s.non_2xx, s.over_10s), (1, 1));
        assert_eq!(s.exit_code(), 1);
        s.add(&answer(None, 1));
        assert_eq!(s.transport, 1);
        assert_eq!(s.exit_code(), 3, "a transport failure outranks a non-2xx");
        assert_eq!(Summary::default().percentile(50.0), None);
    }
}
