use anyhow::{Context, bail};

use crate::cli::{Global, ListenArgs};
use servetel::catalog::lookup_trigger;
use servetel::listen::{self, Options};

pub fn run(args: &ListenArgs, global: &Global) -> anyhow::Result<u8> {
    let config = servetel::config::load(global.config.as_deref())?;
    let trigger = args.trigger.as_deref().map(lookup_trigger).transpose()?;
    let mut routes = Vec::new();
    for route in &args.routes {
        let Some((path, id)) = route.split_once('=') else {
            bail!("expected --route PATH=TRIGGER, found {route:?}");
        };
        routes.push((path.to_string(), lookup_trigger(id)?));
    }
    if let Some(name) = &args.webhook {
        servetel::config::webhook(config.as_ref(), name)?; // an unknown name fails now, not per request
    }
    let require_header = match &args.require_header {
        Some(text) => {
            servetel::send::parse_header("--require-header", text)?; // a name and value HTTP allows
            let (name, value) = text.split_once(':').unwrap_or_default();
            Some((name.trim().to_string(), value.trim().to_string()))
        }
        None => None,
    };
    let respond_body = match args.respond_body.as_deref() {
        Some(file) if file.starts_with('@') => Some(
            std::fs::read_to_string(&file[1..])
                .with_context(|| format!("cannot read {}", &file[1..]))?,
        ),
        other => other.map(str::to_string),
    };
    let save_where: Vec<String> = [args.save.as_ref(), args.save_dir.as_ref()]
        .into_iter()
        .flatten()
        .map(|p| p.display().to_string())
        .collect();
    let inspect = match &args.inspect {
        Some(addr) => Some(super::inspect::start(
            addr,
            args.forward.as_deref(),
            true,
            global,
        )?),
        None => None,
    };
    let summary = listen::serve(
        Options {
            host: args.host.clone(),
            port: args.port,
            save: args.save.clone(),
            save_dir: args.save_dir.clone(),
            trigger,
            routes,
            webhook: args.webhook.clone(),
            status: args.status,
            delay: args.delay.unwrap_or_default(),
            respond_body,
            forward: args
                .forward
                .as_deref()
                .map(listen::Forwarder::new)
                .transpose()?,
            require_header,
            max_body: args.max_body,
            headers: args.headers,
            format: args.format.into(),
            quiet: global.quiet,
            redact: args.redact,
            redact_saved: args.redact_saved,
            count: args.count,
            timeout: args.timeout,
            inspect,
        },
        config,
        super::catch_ctrl_c()?,
    )?;
    if !global.quiet {
        let place = save_where.join(" and ");
        let why = summary.unsaved_why.as_deref().unwrap_or_default();
        let saved = match (summary.received, summary.unsaved) {
            _ if save_where.is_empty() => "not saved (--save FILE.ndjson keeps them)".to_string(),
            (0, _) => format!("nothing to save in {place}"),
            (_, 0) => format!("saved to {place}"),
            (all, unsaved) if unsaved >= all => {
                format!("none saved: {unsaved} answered 503, the last because {why}")
            }
            (all, unsaved) => format!(
                "{} saved to {place}, {unsaved} not (answered 503, the last because {why})",
                all - unsaved
            ),
        };
        let rejected = match summary.rejected {
            0 => String::new(),
            n => format!(", {n} rejected (401: no --require-header)"),
        };
        servetel::say!(
            "received {}: {} valid, {} invalid{rejected}; {saved}",
            summary.received,
            summary.valid,
            summary.invalid
        );
    }
    Ok(if summary.timed_out {
        servetel::exit::TIMEOUT
    } else if (args.count.is_some() || args.timeout.is_some())
        && summary.invalid + summary.rejected > 0
    {
        // A sender that lacks the header is as broken as one that sends a bad payload.
        servetel::exit::NO
    } else {
        servetel::exit::SUCCESS
    })
}
