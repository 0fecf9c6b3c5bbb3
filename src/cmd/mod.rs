//! One file per subcommand, each a small `run` between the CLI, the library and I/O.

mod calls;
mod completions;
mod convert;
mod fire;
mod init;
mod inspect;
mod listen;
mod replay;
mod sample;
mod schema;
mod send;
mod test;
mod triggers;
mod validate;

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::SyncSender;

use anyhow::Context;

pub use convert::command;

use crate::cli::{Cli, Command};
use servetel::input::{self, Item};

/// Set by the first Ctrl-C (or SIGTERM, SIGHUP: ctrlc's `termination` feature) of a command that
/// runs until stopped (listen, fire, replay), which then stops the way it would at its end; a
/// second one exits at once (130).
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

fn catch_ctrl_c() -> anyhow::Result<&'static AtomicBool> {
    let installed = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            std::process::exit(servetel::exit::INTERRUPTED.into());
        }
    });
    match installed {
        Ok(()) | Err(ctrlc::Error::MultipleHandlers) => Ok(&INTERRUPTED),
        Err(e) => Err(e).context("cannot handle Ctrl-C"),
    }
}

/// Runs the parsed command line; returns the exit code (README, "Exit codes").
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    // listen writes stdout from its workers: it must not find stdout locked by this thread.
    if let Command::Listen(args) = &cli.command {
        return listen::run(args, &cli.global);
    }
    if let Command::Inspect(args) = &cli.command {
        return inspect::run(args, &cli.global);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let code = match cli.command {
        Command::Triggers(args) => triggers::run(&args, &mut out)?,
        Command::Schema(args) => schema::run(&args, &mut out)?,
        Command::Sample(args) => sample::run(&args, &cli.global, &mut out)?,
        Command::Validate(args) => validate::run(&args, &cli.global, &mut out)?,
        Command::Listen(_) | Command::Inspect(_) => unreachable!("they returned above"),
        Command::Fire(args) => fire::run(&args, &cli.global, &mut out)?,
        Command::Replay(args) => replay::run(&args, &cli.global, &mut out)?,
        Command::Calls(args) => calls::run(&args, &cli.global, &mut out)?,
        Command::Test(args) => test::run(&args, &cli.global, &mut out)?,
        Command::Init(args) => init::run(&args, &cli.global, &mut out)?,
        Command::Completions(args) => completions::run(&args, &mut out)?,
    };
    out.flush()?;
    Ok(code)
}

/// `no payloads found in …`: what `validate` and `replay` answer (exit 2) when their PATHs held
/// nothing to read, unless `--allow-empty`. In CI a wrong path must not be a green build.
pub(crate) fn no_payloads_found(paths: &[PathBuf]) -> anyhow::Error {
    let walked = if paths.iter().any(|p| p.is_dir()) {
        format!(
            " (a folder is searched for .{} files)",
            input::PAYLOAD_EXTENSIONS.join(", .")
        )
    } else {
        String::new()
    };
    anyhow::anyhow!(
        "no payloads found in {}{walked}; --allow-empty accepts that",
        paths
            .iter()
            .map(|p| match p.to_str() {
                Some("-") => "standard input".to_string(),
                _ => p.display().to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Input items handed to a worker at once (validate, calls).
const BATCH: usize = 256;

/// Reads every PATH into numbered batches of [`BATCH`] items for the workers of validate and
/// calls, saying on stderr what cannot be read; true when some PATH could not be read.
pub(crate) fn read_in_batches(paths: &[PathBuf], work: SyncSender<(usize, Vec<Item>)>) -> bool {
    let mut unreadable = false;
    let mut report = |err: anyhow::Error| {
        servetel::say!("servetel: error: {err:#}");
        unreadable = true;
    };
    let (files, missing) = input::files(paths);
    missing.into_iter().for_each(&mut report);
    let mut seq = 0;
    let mut batch = Vec::with_capacity(BATCH);
    let mut sink = |item: Item| -> bool {
        batch.push(item);
        if batch.len() < BATCH {
            return true;
        }
        let open = work.send((seq, std::mem::take(&mut batch))).is_ok();
        seq += 1;
        open
    };
    input::read_paths(&files, &mut sink, &mut report);
    if !batch.is_empty() {
        let _ = work.send((seq, batch));
    }
    unreadable
}
