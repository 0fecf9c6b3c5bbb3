//! `servetel replay`: captured callbacks re-sent to a URL (README, "Re-send captured callbacks"). Inputs are read on one
//! thread and streamed to the senders, which decode, edit and send in parallel; what a record
//! becomes is `servetel::replay`'s business.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;

use anyhow::bail;

use crate::cli::{Global, ReplayArgs};
use servetel::input::{self, Item, Origin};
use servetel::render::findings;
use servetel::replay::{Entry, IdMinter, Prepared, Replay, earliest_stamp};
use servetel::send::{Format, Request, Skip, Target};

/// One input item on its way to a sender: already read (the first ones), or raw.
enum Job {
    Read(Origin, Result<Entry, String>),
    Raw(u64, Item),
}

/// An entry's request, its edited payload's findings as the note printed with it.
fn with_note(origin: &Origin, prepared: Prepared) -> Request {
    let Prepared {
        mut request,
        verdict,
    } = prepared;
    if let Some(verdict) = verdict.filter(|v| !v.findings.is_empty()) {
        let mut origin = origin.clone();
        origin.source = format!("{} (edited)", origin.source).into();
        let report = findings::report(&origin, &verdict);
        request.note = Some(report.trim_end().to_string());
    }
    request
}

/// Items go to the senders in batches: one hand-over per item would cost a thread wake-up each.
/// Standard input goes item by item, so that a live stream (`tail -f … |`) is not held back.
const BATCH: usize = 256;

/// Feeds every item of every file to `tx`, numbered from 1; true when a file could not be read.
fn read_all(files: &[PathBuf], tx: std::sync::mpsc::SyncSender<Vec<(u64, Item)>>) -> bool {
    let mut ordinal = 0;
    let mut unreadable = false;
    let mut batch = Vec::with_capacity(BATCH);
    let mut sink = |item: Item| -> bool {
        let stdin = item.origin.source.as_ref() == "-";
        ordinal += 1;
        batch.push((ordinal, item));
        if stdin || batch.len() == BATCH {
            return tx.send(std::mem::take(&mut batch)).is_ok();
        }
        true
    };
    input::read_paths(files, &mut sink, &mut |err| {
        servetel::say!("servetel: error: {err:#}");
        unreadable = true;
    });
    if !batch.is_empty() {
        let _ = tx.send(batch);
    }
    unreadable
}

pub fn run(args: &ReplayArgs, global: &Global, out: &mut impl Write) -> anyhow::Result<u8> {
    let Some(to) = &args.send.to else {
        bail!("where to? give --to URL (for example --to http://127.0.0.1:8080/hook)");
    };
    let target = Target::parse(to)?;
    let headers = super::send::given_headers(&args.send)?;
    let (files, unreadable) = input::files(&args.paths);
    // An unreadable PATH stops the run before anything is sent.
    if let Some(err) = unreadable.into_iter().next() {
        return Err(err);
    }
    let (tx, rx) = sync_channel::<Vec<(u64, Item)>>(16);
    let unreadable = AtomicBool::new(false);
    std::thread::scope(|scope| -> anyhow::Result<u8> {
        let mut reader = Some(scope.spawn(|| {
            if read_all(&files, tx) {
                unreadable.store(true, Ordering::Relaxed);
            }
        }));
        // The first record that reads: what --set keys and --rebase-time are checked against.
        let mut ahead = Vec::new();
        let mut first = None;
        let mut items = rx.into_iter().flatten();
        for (ordinal, item) in items.by_ref() {
            let origin = item.origin.clone();
            let read = Entry::read(item, ordinal);
            let decoded = read
                .as_ref()
                .ok()
                .and_then(|e| e.payload.as_ref().ok())
                .cloned();
            ahead.push(Job::Read(origin, read));
            if let Some(payload) = decoded {
                first = Some(payload);
                break;
            }
        }
        if ahead.is_empty() {
            // The input ended before its first item: nothing to send is no success, as in
            // `validate` (a PATH that could not be read has said so already).
            if let Some(reader) = reader.take() {
                reader.join().expect("the reader does not panic");
            }
            if !unreadable.load(Ordering::Relaxed) && !args.allow_empty {
                return Err(super::no_payloads_found(&args.paths));
            }
        }
        let edits = super::convert::parsed(&args.set)?;
        servetel::edit::check_keys(&edits, first.as_ref())?;
        let shift = match (args.rebase_time, &first) {
            (None, _) => None,
            (Some(at), Some(payload)) => match earliest_stamp(payload) {
                Some(start) => Some(at - start),
                None => bail!(
                    "--rebase-time: the first record has no stamp (start_stamp, end_stamp, date…) \
                     to move"
                ),
            },
            (Some(_), None) => None,
        };
        let replay = Replay {
            target,
            keep_path: args.keep_path,
            headers,
            filters: super::convert::parsed(&args.filters)?,
            edits,
            shift,
            new_ids: args
                .new_ids
                .then(|| IdMinter::new(servetel::synth::random_seed())),
        };
        // Entries the filters let through: none at all is a "no", not a silent `sent 0 events`.
        let matched = AtomicU64::new(0);
        let jobs = ahead
            .into_iter()
            .chain(items.map(|(ordinal, item)| Job::Raw(ordinal, item)));
        let prepare = |job: Job| -> Result<Vec<Request>, Skip> {
            let (origin, read) = match job {
                Job::Read(origin, read) => (origin, read),
                Job::Raw(ordinal, item) => (item.origin.clone(), Entry::read(item, ordinal)),
            };
            let skip = |reason: String| Skip {
                what: origin.place(),
                reason,
            };
            let prepared = replay.prepare(read.map_err(skip)?).map_err(skip)?;
            if prepared.is_some() {
                matched.fetch_add(1, Ordering::Relaxed);
            }
            Ok(prepared
                .map(|p| with_note(&origin, p))
                .into_iter()
                .collect())
        };
        let code = if args.send.dry_run {
            dry_run(jobs, prepare, args.send.format.into(), global.quiet, out)?
        } else {
            if !global.quiet {
                servetel::say!(
                    "servetel: replaying {} to {}",
                    args.paths
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    replay.target.shown()
                );
            }
            super::send::run(&args.send, global.quiet, None, jobs, prepare, out)?
        };
        if let Some(reader) = reader {
            reader.join().expect("the reader does not panic");
        }
        let nothing_matched = !args.filters.is_empty()
            && matched.load(Ordering::Relaxed) == 0
            && code == servetel::exit::SUCCESS;
        if nothing_matched {
            servetel::say!(
                "servetel: nothing matched {}: no record was sent",
                args.filters
                    .iter()
                    .map(|f| format!("--filter {f}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
        Ok(match code {
            servetel::exit::NETWORK | servetel::exit::INTERRUPTED => code,
            _ if unreadable.load(Ordering::Relaxed) => servetel::exit::USAGE,
            _ if nothing_matched => servetel::exit::NO,
            _ => code,
        })
    })
}

fn dry_run(
    jobs: impl Iterator<Item = Job>,
    prepare: impl Fn(Job) -> Result<Vec<Request>, Skip>,
    format: Format,
    quiet: bool,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    let mut code = servetel::exit::SUCCESS;
    for job in jobs {
        match prepare(job) {
            Ok(requests) => {
                for mut request in requests {
                    if let Some(note) = request.note.take().filter(|_| !quiet) {
                        servetel::say!("{note}");
                    }
                    super::send::print_dry(out, &request, format)?;
                }
            }
            Err(skip) => {
                servetel::say!("servetel: {}: {}", skip.what, skip.reason);
                code = servetel::exit::NO;
            }
        }
    }
    Ok(code)
}
