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
    let parsed = cmd::command()
        .color(choice)
        .try_get_matches_from(args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => return argument_error(err),
    };
    match cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            let code = exit::code_of(&err);
            if code != exit::SUCCESS {
                // Any URL an error quotes (a config's, a library's) is printed with secrets masked.
                let message = servetel::redact::urls_in(&format!("{err:#}"));
                servetel::say!("servetel: error: {message}");
            }
            ExitCode::from(code)
        }
    }
}

/// Help and version go out as clap writes them; an argument error gets the one error style of
/// every other error (`servetel: error: …`), clap's own text (the usage, the `--help` hint) after it.
fn argument_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        err.exit();
    }
    let text = err.render().to_string();
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("servetel: error: {text}").as_bytes(),
    );
    ExitCode::from(exit::USAGE)
}
