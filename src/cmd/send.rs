//! The sending plumbing `fire` and `replay` share: the headers the flags give, the engine the
//! flags configure, the run with its printer, and the dry run's printing.

use std::io::Write;
use std::sync::atomic::Ordering;

use anyhow::anyhow;
use reqwest::header::{HeaderMap, HeaderValue, USER_AGENT};

use crate::cli::SendArgs;
use servetel::send::{self, Format, Printer, Request, Skip};

/// `--header`, in the order given.
pub fn given_headers(send: &SendArgs) -> anyhow::Result<HeaderMap> {
    parse_given(&send.headers)
}

fn parse_given(texts: &[String]) -> anyhow::Result<HeaderMap> {
    let mut given = HeaderMap::new();
    for text in texts {
        let (name, value) = send::parse_header("--header", text)?;
        given.append(name, value);
    }
    Ok(given)
}

/// The headers every request carries: User-Agent, the webhook's, then `--header` (which wins).
pub fn base_headers(send: &SendArgs, configured: &[(String, String)]) -> anyhow::Result<HeaderMap> {
    headers_of(&send.headers, configured)
}

/// [`base_headers`] from the `--header` texts themselves (`servetel test` has no `SendArgs`).
pub fn headers_of(given: &[String], configured: &[(String, String)]) -> anyhow::Result<HeaderMap> {
    let mut headers = HeaderMap::new();
    headers.insert(USER_AGENT, HeaderValue::from_static(send::USER_AGENT));
    let configured = send::header_map(configured.iter().map(|(n, v)| (n.as_str(), v.as_str())))
        .map_err(|e| anyhow!("the webhook's headers: {e}"))?;
    let given = parse_given(given)?;
    for extra in [configured, given] {
        for name in extra.keys() {
            headers.remove(name);
        }
        for (name, value) in &extra {
            headers.append(name, value.clone());
        }
    }
    Ok(headers)
}

/// The clients and the run settings of `--timeout`, `--insecure`, `--cacert`, `--concurrency`,
/// `--rate`.
fn engine(send: &SendArgs) -> anyhow::Result<(send::Clients, send::Settings)> {
    let concurrency = usize::from(send.concurrency);
    let clients = send::clients(&send::ClientOptions {
        timeout: send.timeout,
        insecure: send.insecure,
        cacert: send.cacert.clone(),
        pool: concurrency,
    })?;
    let settings = send::Settings {
        concurrency,
        rate: send.rate,
        timeout: send.timeout,
        interrupt: super::catch_ctrl_c()?,
    };
    Ok((clients, settings))
}

/// Sends every job's requests as the flags say, printing each event; returns the exit code.
/// `total` is the number of events when known (it sizes the progress bar).
pub fn run<J: Send>(
    send: &SendArgs,
    quiet: bool,
    total: Option<u64>,
    jobs: impl Iterator<Item = J> + Send,
    prepare: impl Fn(J) -> Result<Vec<Request>, Skip> + Sync,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    let (clients, settings) = engine(send)?;
    let mut printer = Printer::new(send.format.into(), out, quiet, total);
    send::run(&clients, jobs, prepare, &settings, &mut |message| {
        printer.handle(message)
    });
    let interrupted = settings.interrupt.load(Ordering::SeqCst);
    // `-q` prints data and errors only: exit 130 tells a script it was stopped.
    if interrupted && !quiet {
        servetel::say!("servetel: stopped by Ctrl-C; no new request was started");
    }
    let summary = printer.finish()?;
    // A signal after the last event changed nothing: only a run cut short is "interrupted", so a
    // script never takes half a call for success.
    let all_sent = total.is_some_and(|n| summary.sent + summary.skipped >= n);
    Ok(if interrupted && !all_sent {
        servetel::exit::INTERRUPTED
    } else {
        summary.exit_code()
    })
}

/// One request of a dry run, as `--format` prints it.
pub fn print_dry(out: &mut impl Write, request: &Request, format: Format) -> anyhow::Result<()> {
    match format {
        Format::Pretty => writeln!(out, "{}", send::dry_run_text(request))?,
        Format::Json => send::dry_run_json(out, request)?,
    }
    Ok(())
}
