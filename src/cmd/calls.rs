//! `servetel calls`: captured callbacks as calls, with what their delivery went through. Inputs
//! are read on one thread, turned into events (decoded, validated) on the others in batches, and
//! grouped in input order here; a call is printed when it closes (see [`crate::calls`]).

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use anyhow::Context;

use crate::cli::{CallsArgs, Format, Global};
use servetel::calls::{Call, Event, Grouper};
use servetel::input::Item;
use servetel::render::call_summary;

/// Events with the call summary line of their payload, drawn on the workers.
type Events = Vec<(Event, Option<String>)>;

#[derive(Default)]
struct Tally {
    calls: usize,
    with_problems: usize,
    /// Diagnostics by code, in the order codes first appeared.
    codes: Vec<(&'static str, usize)>,
}

pub fn run(args: &CallsArgs, global: &Global, out: &mut impl Write) -> anyhow::Result<u8> {
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8);
    let (work_tx, work_rx) = sync_channel::<(usize, Vec<Item>)>(workers * 2);
    let (done_tx, done_rx) = sync_channel::<(usize, Events)>(workers * 2);
    let (tally, unreadable) = std::thread::scope(|scope| -> anyhow::Result<(Tally, bool)> {
        // Only the workers hold the queues' far ends: when the printer stops (a closed pipe),
        // the workers stop, and the reader's next send fails instead of blocking.
        let work_rx = Arc::new(Mutex::new(work_rx));
        for _ in 0..workers {
            let (work_rx, done_tx) = (work_rx.clone(), done_tx.clone());
            scope.spawn(move || worker(&work_rx, &done_tx));
        }
        drop((work_rx, done_tx));
        let reader = scope.spawn(|| super::read_in_batches(&args.paths, work_tx));
        let tally = group_in_order(done_rx, args, out)?;
        Ok((tally, reader.join().expect("the reader does not panic")))
    })?;
    if let Some(id) = &args.call {
        if tally.calls == 0 && !unreadable {
            servetel::say!("servetel: no call has call_id or uuid {id:?} in the input");
            return Ok(servetel::exit::NO);
        }
    }
    if !global.quiet {
        let codes: Vec<String> = tally
            .codes
            .iter()
            .map(|(code, n)| format!("{n} {code}"))
            .collect();
        servetel::say!(
            "{}, {} with problems{}",
            servetel::render::findings::count(tally.calls, "call"),
            tally.with_problems,
            match codes.is_empty() {
                true => String::new(),
                false => format!(": {}", codes.join(", ")),
            }
        );
    }
    Ok(if unreadable {
        servetel::exit::USAGE
    } else if tally.with_problems > 0 {
        servetel::exit::NO
    } else {
        servetel::exit::SUCCESS
    })
}

fn worker(work: &Mutex<Receiver<(usize, Vec<Item>)>>, done: &SyncSender<(usize, Events)>) {
    loop {
        let next = work.lock().map(|rx| rx.recv());
        let Ok(Ok((seq, items))) = next else { return };
        let events = items
            .into_iter()
            .map(|item| {
                let (event, payload) = Event::from_item(item);
                (event, payload.map(|p| call_summary::summary(&p, false)))
            })
            .collect();
        if done.send((seq, events)).is_err() {
            return;
        }
    }
}

fn group_in_order(
    done: Receiver<(usize, Events)>,
    args: &CallsArgs,
    out: &mut impl Write,
) -> anyhow::Result<Tally> {
    let mut pending = BTreeMap::new();
    let mut next = 0;
    let mut grouper = Grouper::new();
    let mut printer = Printer {
        args,
        out,
        tally: Tally::default(),
        broken_pipe: false,
    };
    for (seq, batch) in done {
        pending.insert(seq, batch);
        while let Some(batch) = pending.remove(&next) {
            next += 1;
            for (event, summary) in batch {
                for call in grouper.push(event, summary) {
                    printer.call(&call)?;
                }
            }
        }
    }
    for call in grouper.finish() {
        printer.call(&call)?;
    }
    printer.out.flush().ok();
    Ok(printer.tally)
}

struct Printer<'a, W: Write> {
    args: &'a CallsArgs,
    out: &'a mut W,
    tally: Tally,
    broken_pipe: bool,
}

impl<W: Write> Printer<'_, W> {
    /// Counts a closed call and prints it, unless `--call`, `--since` or `--problems` leaves it out.
    fn call(&mut self, call: &Call) -> anyhow::Result<()> {
        if self
            .args
            .call
            .as_deref()
            .is_some_and(|id| !call.is_named(id))
        {
            return Ok(());
        }
        if self
            .args
            .since
            .is_some_and(|since| !call.active_since(since))
        {
            return Ok(());
        }
        self.tally.calls += 1;
        if !call.diagnostics.is_empty() {
            self.tally.with_problems += 1;
        }
        for d in &call.diagnostics {
            match self
                .tally
                .codes
                .iter_mut()
                .find(|(c, _)| *c == d.code.name())
            {
                Some(entry) => entry.1 += 1,
                None => self.tally.codes.push((d.code.name(), 1)),
            }
        }
        if self.broken_pipe || (self.args.problems && call.diagnostics.is_empty()) {
            return Ok(());
        }
        let written = match self.args.format {
            Format::Json => {
                serde_json::to_writer(&mut *self.out, &servetel::render::calls::json(call))
                    .map_err(std::io::Error::from)
                    .and_then(|()| self.out.write_all(b"\n"))
            }
            Format::Text => self
                .out
                .write_all(servetel::render::calls::text(call).as_bytes()),
        };
        match written {
            Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => {
                self.broken_pipe = true;
                Ok(())
            }
            other => other.context("cannot write the calls"),
        }
    }
}
