//! `servetel test`: the receiver contract suite (README, "Prove your receiver in CI"). The cases
//! and their running are `servetel::contract`; this file turns the flags into senders, prints
//! the report as it goes, writes `--junit` and picks the exit code.

use std::io::Write;
use std::sync::atomic::Ordering;
use std::time::Instant;

use anyhow::{Context, bail};
use reqwest::header::HeaderMap;

use crate::cli::{self, Global, TestArgs, TestEncoding, TestFormat};
use servetel::contract::{self, CaseResult, Selection, Sender};
use servetel::encode::Encoding;
use servetel::render::contract as report;
use servetel::send::{self, Target};

/// Where `--list` pretends to send when no `--to` is given: listing sends nothing.
const NOWHERE: &str = "http://127.0.0.1:8080/";

/// User-Agent, the webhook's headers, then `--header` (which wins), as fire sends them.
fn headers(args: &TestArgs, configured: &[(String, String)]) -> anyhow::Result<HeaderMap> {
    super::send::headers_of(&args.headers, configured)
}

/// The senders the flags ask for: one per encoding to `--to`, or one per `--webhook`.
fn senders(args: &TestArgs, global: &Global) -> anyhow::Result<Vec<Sender>> {
    let to = match &args.to {
        Some(url) => Some(Target::parse(url)?),
        None => None,
    };
    if args.webhooks.is_empty() {
        let target = match (to, args.list) {
            (Some(t), _) => t,
            (None, true) => Target::parse(NOWHERE)?,
            (None, false) => bail!(
                "where to? give --to URL (for example --to http://127.0.0.1:8080/hook), or \
                 --webhook NAME to test as a servetel.toml webhook sends"
            ),
        };
        let encodings = match args.encoding.unwrap_or(TestEncoding::All) {
            TestEncoding::Json => vec![Encoding::Json],
            TestEncoding::Form => vec![Encoding::Form],
            TestEncoding::Query => vec![Encoding::Query],
            TestEncoding::All => vec![Encoding::Json, Encoding::Form, Encoding::Query],
        };
        let headers = headers(args, &[])?;
        let style = super::convert::form_style(
            args.form_style,
            &encodings,
            "--encoding json",
            super::convert::FORM_FIX,
        )?;
        return Ok(encodings
            .into_iter()
            .map(|encoding| Sender {
                target: target.clone(),
                encoding,
                form_style: style,
                template: None,
                headers: headers.clone(),
                webhook: None,
            })
            .collect());
    }
    let Some(config) = servetel::config::load(global.config.as_deref())? else {
        bail!("--webhook needs a config: write one with `servetel init`, or give --config PATH");
    };
    let chosen: Vec<&servetel::config::Webhook> = if args.webhooks.iter().any(|w| w == "all") {
        config.webhooks.iter().collect()
    } else {
        args.webhooks
            .iter()
            .map(|name| config.webhook(name))
            .collect::<anyhow::Result<_>>()?
    };
    let encodings: Vec<Encoding> = chosen.iter().map(|w| w.encoding).collect();
    let names: Vec<&str> = chosen.iter().map(|w| w.name.as_str()).collect();
    let style = super::convert::form_style(
        args.form_style,
        &encodings,
        &format!("--webhook {}", names.join(", ")),
        "choose a webhook whose content_type is \"form\" or method \"GET\"",
    )?;
    chosen
        .into_iter()
        .map(|w| {
            let target = match &to {
                Some(t) => t.clone(),
                None => Target::parse_flag(&format!("webhook `{}`'s url", w.name), &w.url)?,
            };
            Ok(Sender {
                target,
                encoding: w.encoding,
                form_style: style,
                template: w.template.clone(),
                headers: headers(args, &w.headers)?,
                webhook: Some((w.name.clone(), w.trigger)),
            })
        })
        .collect()
}

/// `servetel test …` that runs the same cases again (`--only ID` is added per case).
fn test_line(args: &TestArgs, global: &Global, seed: u64) -> String {
    let mut words = vec!["servetel".to_string(), "test".to_string()];
    if let Some(path) = &global.config {
        words.extend(["--config".into(), path.display().to_string()]);
    }
    if let Some(to) = &args.to {
        words.extend(["--to".into(), servetel::redact::url(to)]);
    }
    for w in &args.webhooks {
        words.extend(["--webhook".into(), w.clone()]);
    }
    if args.budget != send::SERVETEL_TIMEOUT {
        words.extend(["--budget".into(), format!("{}ms", args.budget.as_millis())]);
    }
    if let Some(check) = &args.check {
        words.extend(["--check".into(), check.clone()]);
    }
    if args.form_style == Some(cli::FormStyle::Go) {
        words.extend(["--form-style".into(), "go".into()]);
    }
    words.extend(["--seed".into(), seed.to_string()]);
    report::shell_line(&words)
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "localhost".to_string())
}

/// 3 when nothing got an answer and the endpoint was never reached; else 1 on a failure.
fn exit_code(results: &[CaseResult]) -> u8 {
    let requests: Vec<_> = results.iter().flat_map(|r| r.requests.iter()).collect();
    let unreachable = !requests.is_empty()
        && requests.iter().all(|q| {
            q.status.is_none() && !q.error.as_deref().unwrap_or("").starts_with("timed out")
        });
    if unreachable {
        servetel::exit::NETWORK
    } else if results.iter().any(|r| !r.passed) {
        servetel::exit::NO
    } else {
        servetel::exit::SUCCESS
    }
}

pub fn run(args: &TestArgs, global: &Global, out: &mut impl Write) -> anyhow::Result<u8> {
    let senders = senders(args, global)?;
    let triggers = args
        .triggers
        .iter()
        .map(|name| servetel::catalog::lookup_trigger(name))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let selection = Selection {
        triggers,
        only: args.only.clone(),
    };
    let seed = args.seed.unwrap_or_else(servetel::synth::random_seed);
    let cases = contract::catalog(&senders, seed, &selection);
    if cases.is_empty() {
        bail!(
            "no case matches {}: `servetel test --list` lists them",
            match args.only.is_empty() {
                true => "the --trigger and --webhook given".to_string(),
                false => format!("--only {}", args.only.join(" --only ")),
            }
        );
    }
    if args.list {
        match args.format {
            TestFormat::Pretty => write!(out, "{}", report::listing(&cases))?,
            TestFormat::Json => writeln!(out, "{:#}", report::listing_json(&cases))?,
        }
        return Ok(servetel::exit::SUCCESS);
    }
    let concurrency = usize::from(args.concurrency);
    let clients = send::clients(&send::ClientOptions {
        timeout: args.budget,
        insecure: args.insecure,
        cacert: args.cacert.clone(),
        pool: concurrency,
    })?;
    let interrupt = super::catch_ctrl_c()?;
    let opts = contract::Options {
        clients: &clients,
        budget: args.budget,
        concurrency,
        check: args.check.clone(),
        interrupt,
        config: global.config.as_ref().map(|p| p.display().to_string()),
    };
    if !global.quiet {
        let targets: Vec<String> = senders
            .iter()
            .map(|s| servetel::redact::url(s.target.as_str()))
            .fold(Vec::new(), |mut all, t| {
                if !all.contains(&t) {
                    all.push(t);
                }
                all
            });
        let repeat = match args.seed {
            Some(_) => String::new(),
            None => format!("; --seed {seed} repeats them"),
        };
        servetel::say!(
            "servetel: testing {}: {} cases (seed {seed}{repeat})",
            targets.join(", "),
            cases.len()
        );
    }
    let started = Instant::now();
    let width = cases.iter().map(|c| c.id.len()).max().unwrap_or(0);
    let mut group = "";
    let mut written: std::io::Result<()> = Ok(());
    let results = contract::run(&cases, &senders, &opts, &mut |r| {
        let line = match args.format {
            TestFormat::Pretty => {
                let mut text = String::new();
                if r.case.group != group {
                    group = r.case.group;
                    text.push_str(&report::group_heading(group));
                    text.push('\n');
                }
                text.push_str(&report::case_line(r, width));
                text
            }
            TestFormat::Json => report::case_json(r).to_string(),
        };
        written = writeln!(out, "{line}").and_then(|()| out.flush());
        written.is_ok()
    })?;
    if let Err(e) = written {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Ok(servetel::exit::SUCCESS);
        }
        return Err(e.into());
    }
    let again = test_line(args, global, seed);
    if args.format == TestFormat::Pretty {
        let failed: Vec<&CaseResult> = results.iter().filter(|r| !r.passed).collect();
        if !failed.is_empty() {
            writeln!(out, "\nFailures:")?;
            for r in failed {
                write!(out, "\n{}", report::failure(r, &again))?;
            }
        }
        out.flush()?;
    }
    if let Some(path) = &args.junit {
        let now = servetel::timestamp::format_rfc3339_utc(servetel::timestamp::now(), 0);
        let xml = contract::junit::report(
            &results,
            &|r| report::failure_text(r, &again),
            now.get(..19).unwrap_or(&now),
            &hostname(),
        );
        std::fs::write(path, xml)
            .with_context(|| format!("cannot write the JUnit report to {}", path.display()))?;
    }
    if !global.quiet {
        servetel::say!("{}", report::summary(&results, seed, started.elapsed()));
    }
    let interrupted = interrupt.load(Ordering::SeqCst) && results.len() < cases.len();
    if interrupted {
        servetel::say!(
            "servetel: stopped by Ctrl-C after {} of {} cases",
            results.len(),
            cases.len()
        );
        return Ok(servetel::exit::INTERRUPTED);
    }
    Ok(exit_code(&results))
}
