//! The clap types of `cli.rs` turned into the library's own option types (hurl's way: the library
//! never sees clap), and the value parsers that need the library attached to the command line.

use std::str::FromStr;

use clap::{Arg, CommandFactory};

use crate::cli::{self, Cli};
use servetel::edit::Edit;
use servetel::replay::Filter;
use servetel::synth::spec;
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
            ("sample" | "fire", _) => call_fact(arg),
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

/// A call-level flag (`cli::CallArgs`) checked by its parser in `synth::spec`.
fn call_fact(arg: Arg) -> Arg {
    fn by<T: 'static>(arg: Arg, parse: fn(&str) -> Result<T, String>) -> Arg {
        arg.value_parser(move |text: &str| parse(text).map(|_| text.to_string()))
    }
    match arg.get_id().as_str() {
        "caller" | "did" => by(arg, spec::phone),
        "agents" => by(arg, spec::agent),
        "talk" | "ring" => by(arg, spec::seconds),
        "at" => by(arg, spec::at),
        "digit" => by(arg, spec::digit),
        "hangup_cause" => by(arg, spec::hangup_cause),
        _ => arg,
    }
}

/// The call-level flags as the library's `CallSpec` (each was checked while clap parsed).
pub fn call_spec(args: &cli::CallArgs) -> anyhow::Result<synth::CallSpec> {
    fn one<T>(
        text: &Option<String>,
        parse: fn(&str) -> Result<T, String>,
    ) -> anyhow::Result<Option<T>> {
        text.as_deref()
            .map(parse)
            .transpose()
            .map_err(anyhow::Error::msg)
    }
    let agents = args.agents.iter().map(|a| spec::agent(a));
    Ok(synth::CallSpec {
        caller: one(&args.caller, spec::phone)?,
        did: one(&args.did, spec::phone)?,
        agents: agents
            .collect::<Result<_, _>>()
            .map_err(anyhow::Error::msg)?,
        talk: one(&args.talk, spec::seconds)?,
        ring: one(&args.ring, spec::seconds)?,
        at: one(&args.at, spec::at)?,
        direction: match args.direction {
            None => None,
            Some(cli::Direction::Inbound) => Some(synth::Direction::Inbound),
            Some(cli::Direction::Outbound) => Some(synth::Direction::Outbound),
            Some(cli::Direction::ClickToCall) => Some(synth::Direction::ClickToCall),
            Some(cli::Direction::Dialer) => Some(synth::Direction::Dialer),
        },
        broadcast: args.broadcast,
        digit: one(&args.digit, spec::digit)?,
        hangup_cause: one(&args.hangup_cause, spec::hangup_cause)?,
    })
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

/// What `--form-style go` needs when the flags chose JSON bodies.
pub const FORM_FIX: &str = "add --encoding form (a form body) or --encoding query (GET)";

/// `--form-style` for requests that travel as `encodings`. Go text lives only in form bodies and
/// GET queries: `go` where every request is a JSON body would change nothing, so it is a usage
/// error (as xh refuses `--form` with `--json`) rather than a silent no-op; `found` says what
/// chose JSON (`--encoding json`), `fix` what to change. `json` is what JSON bodies do anyway:
/// accepted.
pub fn form_style(
    flag: Option<cli::FormStyle>,
    encodings: &[encode::Encoding],
    found: &str,
    fix: &str,
) -> anyhow::Result<encode::FormStyle> {
    match flag {
        None | Some(cli::FormStyle::Json) => Ok(encode::FormStyle::Json),
        Some(cli::FormStyle::Go) if encodings.iter().all(|e| *e == encode::Encoding::Json) => {
            anyhow::bail!(
                "--form-style go writes the nested values of form bodies and GET query strings, \
                 found {found}, which sends JSON bodies: {fix}"
            )
        }
        Some(cli::FormStyle::Go) => Ok(encode::FormStyle::Go),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn clap_definition_is_consistent() {
        super::command().debug_assert();
    }
}
