//! The clap types of `cli.rs` turned into the library's own option types (hurl's way: the library
//! never sees clap), and the value parsers that need the library attached to the command line.

use std::str::FromStr;

use clap::{Arg, CommandFactory};

use crate::cli::{self, Cli};
use servetel::edit::Edit;
use servetel::replay::Filter;
use servetel::{encode, fire, listen, send, synth};

/// The command line, with `--set` and `--filter` checked while clap parses (their errors read
/// as clap's, exit 2) by the library's own parsers, which `cli.rs` cannot name.
pub fn command() -> clap::Command {
    // In place: mut_subcommand and mut_arg would move what they change to the end (help order).
    Cli::command().mut_subcommands(|sub| {
        let name = sub.get_name().to_string();
        sub.mut_args(|arg| match (name.as_str(), arg.get_id().as_str()) {
            (_, "set") => checked::<Edit>(arg),
            ("replay", "filters") => checked::<Filter>(arg),
            _ => arg,
        })
    })
}

/// `arg` accepts only what `T` parses; the text is kept, and parsed again by [`parsed`].
fn checked<T>(arg: Arg) -> Arg
where
    T: FromStr<Err = anyhow::Error>,
{
    arg.value_parser(|text: &str| text.parse::<T>().map(|_| text.to_string()))
}

/// Values the command line already checked (see [`command`]), as the library's type.
pub fn parsed<T>(texts: &[String]) -> anyhow::Result<Vec<T>>
where
    T: FromStr<Err = anyhow::Error>,
{
    texts.iter().map(|t| t.parse()).collect()
}

impl From<cli::Encoding> for encode::Encoding {
    fn from(e: cli::Encoding) -> encode::Encoding {
        match e {
            cli::Encoding::Json => encode::Encoding::Json,
            cli::Encoding::Form => encode::Encoding::Form,
            cli::Encoding::Query => encode::Encoding::Query,
        }
    }
}

impl From<cli::Profile> for synth::Profile {
    fn from(p: cli::Profile) -> synth::Profile {
        match p {
            cli::Profile::Real => synth::Profile::Real,
            cli::Profile::Docs => synth::Profile::Docs,
        }
    }
}

impl From<cli::CallOutcome> for synth::CallOutcome {
    fn from(o: cli::CallOutcome) -> synth::CallOutcome {
        match o {
            cli::CallOutcome::Answered => synth::CallOutcome::Answered,
            cli::CallOutcome::Missed => synth::CallOutcome::Missed,
        }
    }
}

/// `--speed`, absent: the default pace.
pub fn speed(s: Option<cli::Speed>) -> fire::Speed {
    match s {
        None => fire::Speed::Brisk,
        Some(cli::Speed::Factor(f)) => fire::Speed::Factor(f),
        Some(cli::Speed::Max) => fire::Speed::Max,
    }
}

impl From<cli::ListenFormat> for listen::Format {
    fn from(f: cli::ListenFormat) -> listen::Format {
        match f {
            cli::ListenFormat::Pretty => listen::Format::Pretty,
            cli::ListenFormat::Json => listen::Format::Json,
            cli::ListenFormat::Line => listen::Format::Line,
        }
    }
}

impl From<cli::SendFormat> for send::Format {
    fn from(f: cli::SendFormat) -> send::Format {
        match f {
            cli::SendFormat::Pretty => send::Format::Pretty,
            cli::SendFormat::Json => send::Format::Json,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn clap_definition_is_consistent() {
        super::command().debug_assert();
    }
}
