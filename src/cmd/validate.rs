//! `servetel validate`: every payload of every input gets a verdict. Inputs are read on this
//! thread in batches, decoded and checked on the others, and printed in input order; memory stays
//! flat whatever the input size (bounded queues, NDJSON streamed).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{Format, Global, ValidateArgs};
use servetel::catalog::{Trigger, lookup_trigger};
use servetel::input::{Item, Origin};
use servetel::render::findings;
use servetel::template::Template;
use servetel::validate::{self, Dedupe, Verdict};

/// One checked payload, on its way to the printer.
pub struct Checked {
    pub origin: Origin,
    pub verdict: Verdict,
    dedupe_key: Option<String>,
}

#[derive(Default)]
struct Tally {
    checked: usize,
    valid: usize,
    invalid: usize,
    warnings: usize,
}

/// What every payload is checked against: a trigger, and the webhook's template if any.
#[derive(Clone, Copy)]
struct Against<'c> {
    trigger: Option<&'static Trigger>,
    template: Option<&'c Template>,
}

fn check(item: Item, against: Against<'_>) -> Checked {
    let origin = item.origin.clone();
    let decoded = item.decode();
    let (verdict, dedupe_key) = match decoded.payload {
        Ok(payload) => {
            let checked = validate::check(
                &payload,
                against.trigger.or(decoded.recorded_trigger),
                against.template,
            );
            (checked.verdict, checked.dedupe_key)
        }
        Err(message) => (validate::parse_failure(message), None),
    };
    Checked {
        origin,
        verdict,
        dedupe_key,
    }
}

pub fn run(args: &ValidateArgs, global: &Global, out: &mut impl Write) -> anyhow::Result<u8> {
    // The config only matters for --webhook: a broken ./servetel.toml must not fail a run that
    // does not use it (one named with --config or SERVETEL_CONFIG is still read).
    let config = match (&args.webhook, &global.config) {
        (None, None) => None,
        _ => servetel::config::load(global.config.as_deref())?,
    };
    let against = match &args.webhook {
        Some(name) => {
            let webhook = servetel::config::webhook(config.as_ref(), name)?;
            Against {
                trigger: Some(webhook.trigger),
                template: webhook.template.as_ref(),
            }
        }
        None => Against {
            trigger: args.trigger.as_deref().map(lookup_trigger).transpose()?,
            template: None,
        },
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths.clone()
    };
    if paths.iter().any(|p| p.as_os_str() == "-") && std::io::stdin().is_terminal() {
        servetel::say!(
            "servetel: reading payloads from standard input (give PATHs, or pipe NDJSON in)"
        );
    }
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8);
    let (work_tx, work_rx) = sync_channel::<(usize, Vec<Item>)>(workers * 2);
    let (done_tx, done_rx) = sync_channel::<(usize, Vec<Checked>)>(workers * 2);
    let (tally, unreadable) = std::thread::scope(|scope| -> anyhow::Result<(Tally, bool)> {
        // Only the workers hold the queues' far ends: when the printer stops early (--max-errors
        // or a closed pipe), the workers stop, and the reader's next send fails instead of blocking.
        let work_rx = Arc::new(Mutex::new(work_rx));
        for _ in 0..workers {
            let (work_rx, done_tx) = (work_rx.clone(), done_tx.clone());
            scope.spawn(move || worker(&work_rx, &done_tx, against));
        }
        drop((work_rx, done_tx));
        let reader = scope.spawn(|| super::read_in_batches(&paths, work_tx));
        let tally = print_in_order(done_rx, args, global, out)?;
        Ok((tally, reader.join().expect("the reader does not panic")))
    })?;
    if tally.checked == 0 && !unreadable && !args.allow_empty {
        return Err(super::no_payloads_found(&paths));
    }
    if !global.quiet {
        servetel::say!(
            "checked {}: {} valid, {} invalid, {}",
            servetel::render::findings::count(tally.checked, "payload"),
            tally.valid,
            tally.invalid,
            servetel::render::findings::count(tally.warnings, "warning")
        );
    }
    Ok(if unreadable {
        servetel::exit::USAGE
    } else if tally.invalid > 0 {
        servetel::exit::NO
    } else {
        servetel::exit::SUCCESS
    })
}

fn worker(
    work: &Mutex<Receiver<(usize, Vec<Item>)>>,
    done: &SyncSender<(usize, Vec<Checked>)>,
    against: Against<'_>,
) {
    loop {
        let next = work.lock().map(|rx| rx.recv());
        let Ok(Ok((seq, items))) = next else { return };
        let checked = items.into_iter().map(|item| check(item, against)).collect();
        if done.send((seq, checked)).is_err() {
            return;
        }
    }
}

fn print_in_order(
    done: Receiver<(usize, Vec<Checked>)>,
    args: &ValidateArgs,
    global: &Global,
    out: &mut impl Write,
) -> anyhow::Result<Tally> {
    let mut pending = BTreeMap::new();
    let mut next = 0;
    let mut tally = Tally::default();
    let mut dedupe = Dedupe::default();
    let mut broken_pipe = false;
    // indicatif draws only on a terminal, at most 20 times a second, and erases its line when done.
    let progress = if std::io::stderr().is_terminal() && !global.quiet {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
            .with_style(ProgressStyle::with_template("checked {msg}…").expect("a valid template"))
    } else {
        ProgressBar::hidden()
    };
    let shared_terminal = !progress.is_hidden() && std::io::stdout().is_terminal();
    'batches: for (seq, batch) in done {
        pending.insert(seq, batch);
        while let Some(batch) = pending.remove(&next) {
            next += 1;
            for mut item in batch {
                if args.max_errors.is_some_and(|max| tally.invalid >= max) {
                    if !global.quiet {
                        progress.suspend(|| {
                            servetel::say!(
                                "servetel: stopped after {} (--max-errors)",
                                findings::count(tally.invalid, "invalid payload")
                            )
                        });
                    }
                    break 'batches;
                }
                dedupe.check(item.dedupe_key.take(), &mut item.verdict);
                if args.strict {
                    item.verdict.make_strict();
                }
                tally.checked += 1;
                tally.warnings += item.verdict.warnings();
                if item.verdict.valid() {
                    tally.valid += 1;
                } else {
                    tally.invalid += 1;
                }
                if broken_pipe {
                    continue;
                }
                let shows = args.format == Format::Json || !item.verdict.valid() || global.verbose;
                let written = if shared_terminal && shows {
                    // Report and progress share the screen: the line goes above the progress.
                    progress.suspend(|| {
                        write_one(out, &item, args.format, global.verbose)
                            .and_then(|()| out.flush())
                    })
                } else {
                    write_one(out, &item, args.format, global.verbose)
                };
                if let Err(err) = written {
                    if err.kind() == std::io::ErrorKind::BrokenPipe {
                        broken_pipe = true;
                    } else {
                        return Err(err).context("cannot write the report");
                    }
                }
            }
            if !progress.is_hidden() {
                progress.set_message(findings::count(tally.checked, "payload"));
            }
        }
    }
    progress.finish_and_clear();
    out.flush().ok();
    Ok(tally)
}

fn write_one(
    out: &mut impl Write,
    item: &Checked,
    format: Format,
    verbose: bool,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            findings::write_json_result(out, &item.origin, &item.verdict)?;
            out.write_all(b"\n")
        }
        Format::Text if !item.verdict.valid() || verbose => {
            out.write_all(findings::report(&item.origin, &item.verdict).as_bytes())
        }
        Format::Text => Ok(()),
    }
}
