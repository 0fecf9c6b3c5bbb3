//! One file per subcommand, each a small `run` between the CLI, the library and I/O.

mod calls;
mod completions;
mod convert;
mod fire;
mod init;
mod listen;
mod replay;
mod sample;
mod schema;
mod send;
mod triggers;
mod validate;

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;

pub use convert::command;

use crate::cli::{Cli, Command};

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
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let code = match cli.command {
        Command::Triggers(args) => triggers::run(&args, &mut out)?,
        Command::Schema(args) => schema::run(&args, &mut out)?,
        Command::Sample(args) => sample::run(&args, &cli.global, &mut out)?,
        Command::Validate(args) => validate::run(&args, &cli.global, &mut out)?,
        Command::Listen(_) => unreachable!("listen returned above"),
        Command::Fire(args) => fire::run(&args, &cli.global, &mut out)?,
        Command::Replay(args) => replay::run(&args, &cli.global, &mut out)?,
        Command::Calls(args) => calls::run(&args, &cli.global, &mut out)?,
        Command::Init(args) => init::run(&args, &cli.global, &mut out)?,
        Command::Completions(args) => completions::run(&args, &mut out)?,
    };
    out.flush()?;
    Ok(code)
}
