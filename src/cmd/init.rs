//! `servetel init`: writes a `[[webhook]]` that mirrors a portal entry. On a terminal it asks for
//! what the flags did not give; without one it never prompts, and names the missing flags.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, bail};
use dialoguer::{Input, Select};

use crate::cli::{ContentType, Global, InitArgs, Method};
use servetel::catalog::{TRIGGERS, lookup_trigger};
use servetel::config;
use servetel::encode::Encoding;

fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks until `check` accepts the answer, showing why it did not: a typo costs one answer, not
/// the whole run.
fn ask(
    prompt: &str,
    default: Option<&str>,
    check: impl FnMut(&String) -> Result<(), String>,
) -> anyhow::Result<String> {
    let mut input = Input::<String>::new()
        .with_prompt(prompt)
        .allow_empty(default.is_none())
        .validate_with(check);
    if let Some(d) = default {
        input = input.default(d.to_string());
    }
    input.interact_text().context("no answer")
}

/// A webhook name that is free in the file being added to.
fn check_name(name: &str, taken: &[String], file: &Path) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("expected a name, found nothing".to_string());
    }
    match taken.iter().any(|t| t == name) {
        true => Err(format!(
            "webhook `{name}` is already in {}: choose another name (or edit that entry)",
            file.display()
        )),
        false => Ok(()),
    }
}

/// `NAME: VALUE`, as the portal's static header is written.
fn parse_header(h: &str) -> Result<(String, String), String> {
    match h.split_once(':') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
        _ => Err(format!("expected 'NAME: VALUE', found {h:?}")),
    }
}

/// The file as it will be written: `existing` with `table` appended.
fn combined(existing: &str, table: &str) -> String {
    if existing.trim().is_empty() {
        format!(
            "# servetel webhook config: one [[webhook]] per portal entry (see `servetel init --help`)\n\n{table}"
        )
    } else {
        format!("{}\n\n{table}", existing.trim_end())
    }
}

fn choose(prompt: &str, items: &[&str]) -> anyhow::Result<usize> {
    Select::new()
        .with_prompt(prompt)
        .items(items)
        .default(0)
        .interact()
        .context("no answer")
}

pub fn run(args: &InitArgs, global: &Global, _out: &mut impl Write) -> anyhow::Result<u8> {
    let prompting = interactive();
    if !prompting {
        let missing: Vec<&str> = [
            ("--name", args.name.is_none()),
            ("--trigger", args.trigger.is_none()),
            ("--url", args.url.is_none()),
        ]
        .iter()
        .filter(|(_, m)| *m)
        .map(|(f, _)| *f)
        .collect();
        if !missing.is_empty() {
            bail!(
                "not a terminal, so nothing is asked: give {}",
                missing.join(", ")
            );
        }
    }
    let existing = match std::fs::read_to_string(&args.output) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", args.output.display())),
    };
    // A file that does not load is reported below, when the new entry is checked with it.
    let taken: Vec<String> = config::parse(&existing, &args.output)
        .map(|c| c.webhooks.into_iter().map(|w| w.name).collect())
        .unwrap_or_default();
    let name = match &args.name {
        Some(n) => {
            check_name(n, &taken, &args.output).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
            n.clone()
        }
        None => ask("Webhook name (as on the portal)", Some("crm-hangup"), |n| {
            check_name(n, &taken, &args.output)
        })?
        .trim()
        .to_string(),
    };
    let trigger = match &args.trigger {
        Some(t) => lookup_trigger(t)?,
        None => {
            let labels: Vec<String> = TRIGGERS
                .iter()
                .map(|t| format!("{:<28} {}", t.id, t.label))
                .collect();
            let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
            &TRIGGERS[choose("Trigger", &labels)?]
        }
    };
    let method = match args.method {
        Some(m) => m,
        None if prompting => {
            [Method::Post, Method::Get][choose("Request method", &["POST", "GET"])?]
        }
        None => Method::Post,
    };
    let encoding = match (method, args.content_type) {
        (Method::Get, _) => Encoding::Query,
        (Method::Post, None) if prompting => {
            [Encoding::Json, Encoding::Form][choose("Content type", &["json", "form"])?]
        }
        (Method::Post, None | Some(ContentType::Json)) => Encoding::Json,
        (Method::Post, Some(ContentType::Form)) => Encoding::Form,
    };
    // Each answer is checked as every command will load the file, so a prompt re-asks with the
    // reason instead of the run ending with nothing written.
    let loads = |url: &str, headers: &[(String, String)], template: Option<&str>| {
        let table = config::render_webhook(&name, trigger, encoding, url, headers, template);
        config::parse(&combined(&existing, &table), &args.output)
            .map(drop)
            .map_err(|e| format!("{e:#}"))
    };
    let url = match &args.url {
        Some(u) => u.clone(),
        None => ask(
            "URL the portal calls",
            Some("https://staging.example.com/servetel/hangup"),
            |u| loads(u, &[], None),
        )?,
    };
    let mut headers = args
        .headers
        .iter()
        .map(|h| parse_header(h).map_err(|e| anyhow::anyhow!("--header: {e}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    if prompting && args.headers.is_empty() {
        loop {
            let answer = ask(
                "Static header the portal sends (NAME: VALUE; empty when there is none left)",
                None,
                |h| match h.trim() {
                    "" => Ok(()),
                    h => parse_header(h).and_then(|h| loads(&url, &[h], None)),
                },
            )?;
            match answer.trim() {
                "" => break,
                h => headers.push(parse_header(h).map_err(anyhow::Error::msg)?),
            }
        }
    }
    let template = match args.template.as_deref() {
        Some("default") => None,
        Some(file) if file.starts_with('@') => Some(
            std::fs::read_to_string(&file[1..])
                .with_context(|| format!("cannot read template {}", &file[1..]))?,
        ),
        Some(text) => Some(text.to_string()),
        None if prompting => {
            let pasted = ask(
                "Body template (paste it from the portal, or leave `default`)",
                Some("default"),
                |t| match t.as_str() {
                    "default" => Ok(()),
                    t => loads(&url, &headers, Some(t)),
                },
            )?;
            (pasted != "default").then_some(pasted)
        }
        None => None,
    };
    let table = config::render_webhook(
        &name,
        trigger,
        encoding,
        &url,
        &headers,
        template.as_deref(),
    );
    // Check what is about to be written exactly as every command will load it.
    let combined = combined(&existing, &table);
    config::parse(&combined, &args.output)?;
    std::fs::write(&args.output, combined)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    if !global.quiet {
        let verb = if existing.trim().is_empty() {
            "wrote"
        } else {
            "added to"
        };
        servetel::say!(
            "servetel: {verb} {}: webhook `{name}` ({}, {} {})",
            args.output.display(),
            trigger.id,
            encoding.method(),
            servetel::redact::url(&url)
        );
    }
    Ok(servetel::exit::SUCCESS)
}
