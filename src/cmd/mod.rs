//! One file per subcommand, each a small `run` between the CLI, the library and I/O.

mod completions;
mod fire;
mod init;
mod listen;
mod replay;
mod sample;
mod schema;
mod triggers;
mod validate;

use std::io::Write;

use crate::cli::{Cli, Command};

/// Runs the parsed command line; returns the exit code (SPEC section 6).
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
        Command::Init(args) => init::run(&args, &cli.global, &mut out)?,
        Command::Completions(args) => completions::run(&args, &mut out)?,
    };
    out.flush()?;
    Ok(code)
}
