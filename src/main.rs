use std::process::ExitCode;

mod cli;
mod cmd;

use clap::FromArgMatches;
use cli::Cli;
use servetel::{color, exit};

// Validation and listening allocate per payload from several threads; mimalloc is markedly faster
// there than the system allocator (scripts/bench.sh measures it).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().collect();
    // Color is decided once, before clap speaks, so help and errors obey --color too.
    let color_on = color::init(color::when_from_args(&args));
    let choice = if color_on {
        clap::ColorChoice::Always
    } else {
        clap::ColorChoice::Never
    };
    let matches = cmd::command().color(choice).get_matches_from(args);
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    match cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            let code = exit::code_of(&err);
            if code != exit::SUCCESS {
                eprintln!("servetel: error: {err:#}");
            }
            ExitCode::from(code)
        }
    }
}
