//! `servetel init`: writes a `[[webhook]]` that mirrors a portal entry. On a terminal it asks for
//! what the flags did not give; without one it never prompts, and names the missing flags.

use std::io::{IsTerminal, Write};

use anyhow::{Context, bail};
use dialoguer::{Input, Select};

use crate::cli::{ContentType, Global, InitArgs, Method};
use servetel::catalog::{TRIGGERS, lookup_trigger};
use servetel::config;
use servetel::encode::Encoding;

fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

fn ask(prompt: &str, default: Option<&str>) -> anyhow::Result<String> {
    let mut input = Input::<String>::new().with_prompt(prompt);
    if let Some(d) = default {
        input = input.default(d.to_string());
    }
    input.interact_text().context("no answer")
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
    let name = match &args.name {
        Some(n) => n.clone(),
        None => ask("Webhook name (as on the portal)", Some("crm-hangup"))?,
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
    let url = match &args.url {
        Some(u) => u.clone(),
        None => ask(
            "URL the portal calls",
            Some("https://staging.example.com/servetel/hangup"),
        )?,
    };
    let headers = args
        .headers
        .iter()
        .map(|h| match h.split_once(':') {
            Some((k, v)) if !k.trim().is_empty() => {
                Ok((k.trim().to_string(), v.trim().to_string()))
            }
            _ => bail!("expected --header 'NAME: VALUE', found {h:?}"),
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
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
    let existing = match std::fs::read_to_string(&args.output) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", args.output.display())),
    };
    let combined = if existing.trim().is_empty() {
        format!(
            "# servetel webhook config: one [[webhook]] per portal entry (see `servetel init --help`)\n\n{table}"
        )
    } else {
        format!("{}\n\n{table}", existing.trim_end())
    };
    config::parse(&combined, &args.output)?;
    std::fs::write(&args.output, combined)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    if !global.quiet {
        let verb = if existing.trim().is_empty() {
            "wrote"
        } else {
            "added to"
        };
        eprintln!(
            "servetel: {verb} {}: webhook `{name}` ({}, {} {url})",
            args.output.display(),
            trigger.id,
            encoding.method()
        );
    }
    Ok(servetel::exit::SUCCESS)
}
