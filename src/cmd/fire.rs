//! `servetel fire`: synthesized callbacks sent to a URL (README, "Fire test callbacks"). The plan (`servetel::fire`) says
//! what to send, the engine (`servetel::send`) sends it; this file checks the flags, asks what a
//! terminal user left out, and nothing else.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use anyhow::{Context, anyhow, bail};
use dialoguer::{Confirm, Input, Select};
use reqwest::header::HeaderMap;

use crate::cli::{self, FireArgs, Global, Method};
use servetel::catalog::{Outcome, TRIGGERS, lookup_trigger};
use servetel::edit::Edit;
use servetel::encode::Encoding;
use servetel::fire::{Plan, Speed, What};
use servetel::input::Origin;
use servetel::scenario::{self, SCENARIOS};
use servetel::send::{self, Format, Skip, Target};
use servetel::synth::{self, AgentSpec, CallOutcome, CallSpec};

/// More events than this at a host that is not this machine asks first (`--yes` does not).
const ASK_ABOVE: u64 = 100;

fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// The encoding `--method` and `--encoding` ask for together.
fn encoding_of(
    method: Option<Method>,
    encoding: Option<cli::Encoding>,
) -> anyhow::Result<Encoding> {
    match (method, encoding) {
        (Some(Method::Get), None | Some(cli::Encoding::Query)) => Ok(Encoding::Query),
        (Some(Method::Get), Some(e)) => Err(anyhow!(
            "--method GET sends the payload in the query string: drop --encoding {}",
            if e == cli::Encoding::Json {
                "json"
            } else {
                "form"
            }
        )),
        (Some(Method::Post), Some(cli::Encoding::Query)) => Err(anyhow!(
            "--encoding query is a GET: use --method GET, or --encoding json|form for a POST"
        )),
        (_, Some(e)) => Ok(e.into()),
        (_, None) => Ok(Encoding::Json),
    }
}

/// What a terminal user chose when the flags did not say.
struct Asked {
    what: What,
    /// The pace a scenario's events go at.
    speed: Speed,
    outcome: Option<CallOutcome>,
    /// The call-level facts: the flags', and what the prompts set.
    spec: CallSpec,
    to: Option<String>,
}

/// One prompt for a call-level fact, offering what synthesis drew, re-asked until `parse` takes
/// the answer. `None` when the user kept the offered value.
fn ask_fact<T>(
    prompt: &str,
    drawn: String,
    parse: fn(&str) -> Result<T, String>,
) -> anyhow::Result<Option<T>> {
    let answer: String = Input::new()
        .with_prompt(prompt)
        .default(drawn.clone())
        .validate_with(|text: &String| parse(text).map(drop))
        .interact_text()
        .context("no answer")?;
    if answer.trim() == drawn {
        return Ok(None);
    }
    parse(&answer).map(Some).map_err(|e| anyhow!(e))
}

fn ask(args: &FireArgs, flags: &Asked, seed: u64, now: Option<i64>) -> anyhow::Result<Asked> {
    let mut items: Vec<String> = TRIGGERS
        .iter()
        .map(|t| format!("{:<28} {}", t.id, t.label))
        .collect();
    items.extend(
        SCENARIOS
            .iter()
            .map(|s| format!("{:<28} a whole call: {}", s.name, s.description)),
    );
    let picked = Select::new()
        .with_prompt("What to fire")
        .items(&items)
        .default(0)
        .interact()
        .context("no answer")?;
    let what = match TRIGGERS.get(picked) {
        Some(t) => What::Trigger(t),
        None => What::Scenario(&SCENARIOS[picked - TRIGGERS.len()]),
    };
    let mut speed = flags.speed;
    if let (What::Scenario(_), None) = (what, args.speed) {
        let i = Select::new()
            .with_prompt("At what pace")
            .items([
                "brisk: the call's gaps, each at most 1 s",
                "real: the call's own timing (minutes)",
                "max: no waiting",
            ])
            .default(0)
            .interact()
            .context("no answer")?;
        speed = [Speed::Brisk, Speed::Factor(1.0), Speed::Max][i];
    }
    let mut spec = flags.spec.clone();
    let mut outcome = flags.outcome;
    let implied = spec.implied_outcome().is_some();
    if let (What::Trigger(t), None, false) = (what, outcome, implied) {
        if t.outcome == Outcome::Either {
            let i = Select::new()
                .with_prompt("How does the call end")
                .items(["answered", "missed"])
                .default(0)
                .interact()
                .context("no answer")?;
            outcome = Some([CallOutcome::Answered, CallOutcome::Missed][i]);
        }
    }
    // The facts of the call, each offered as synthesis drew it: an answer changes the fact,
    // and every field that carries it follows (never one raw field).
    let preview = Plan {
        what,
        seed,
        now,
        outcome,
        spec: spec.clone(),
        profile: args.profile.into(),
        encoding: Encoding::Json,
        form_style: Default::default(),
        edits: Vec::new(),
        template: None,
        count: 1,
        speed,
        pool: Default::default(),
    };
    let call = preview.call(0)?;
    if spec.caller.is_none() {
        let prompt = "Caller's number (the customer)";
        spec.caller = ask_fact(prompt, call.customer.clone(), synth::spec::phone)?;
    }
    if spec.did.is_none() {
        let prompt = "Your number (the DID)";
        spec.did = ask_fact(prompt, call.did.clone(), synth::spec::phone)?;
    }
    if let (true, Some(last)) = (spec.agents.is_empty(), call.agents.last()) {
        let prompt = if call.answered {
            "Agent who took the call (NAME[:NUMBER])"
        } else {
            "Agent the call rang last, who missed it (NAME[:NUMBER])"
        };
        if let Some(agent) = ask_fact(prompt, last.name.clone(), synth::spec::agent)? {
            // The agents tried before stay as drawn.
            let before = &call.agents[..call.agents.len() - 1];
            spec.agents = before
                .iter()
                .map(|a| AgentSpec {
                    name: a.name.clone(),
                    phone: Some(a.phone.clone()),
                })
                .chain([agent])
                .collect();
        }
    }
    if call.answered && spec.talk.is_none() {
        let drawn = format!("{}s", call.talk_secs());
        spec.talk = ask_fact("Talk time (90s, 2m)", drawn, synth::spec::seconds)?;
    }
    let to = match &flags.to {
        Some(to) => Some(to.clone()),
        None => Some(
            Input::<String>::new()
                .with_prompt("Send to")
                .default("http://127.0.0.1:8080/".to_string())
                .interact_text()
                .context("no answer")?,
        ),
    };
    Ok(Asked {
        what,
        speed,
        outcome,
        spec,
        to,
    })
}

pub fn run(args: &FireArgs, global: &Global, out: &mut impl Write) -> anyhow::Result<u8> {
    if args.list_scenarios {
        match args.send.format {
            cli::SendFormat::Pretty => write!(out, "{}", scenario::listing())?,
            cli::SendFormat::Json => writeln!(out, "{:#}", scenario::listing_json())?,
        }
        return Ok(servetel::exit::SUCCESS);
    }
    let config = match &args.webhook {
        Some(_) => servetel::config::load(global.config.as_deref())?,
        None => None,
    };
    let webhook = args
        .webhook
        .as_deref()
        .map(|name| servetel::config::webhook(config.as_ref(), name))
        .transpose()?;
    let set: Vec<Edit> = super::convert::parsed(&args.set)?;
    let prompting = interactive();
    let seed = args.seed.unwrap_or_else(synth::random_seed);
    let now = args.seed.is_none().then(servetel::timestamp::now);
    let mut asked = Asked {
        what: What::Trigger(&TRIGGERS[0]),
        speed: super::convert::speed(args.speed),
        outcome: args.outcome.map(Into::into),
        spec: super::convert::call_spec(&args.call)?,
        to: args
            .send
            .to
            .clone()
            .or_else(|| webhook.map(|w| w.url.clone())),
    };
    asked.what = match (&args.trigger, &args.scenario, webhook) {
        (Some(name), _, wh) => {
            let trigger = lookup_trigger(name)?;
            if let Some(wh) = wh.filter(|w| !std::ptr::eq(w.trigger, trigger)) {
                bail!(
                    "webhook `{}` sends {}, not {}: drop the trigger or the --webhook",
                    wh.name,
                    wh.trigger.id,
                    trigger.id
                );
            }
            What::Trigger(trigger)
        }
        (None, Some(name), _) => What::Scenario(scenario::lookup(name)?),
        (None, None, Some(wh)) => What::Trigger(wh.trigger),
        (None, None, None) if prompting => {
            asked = ask(args, &asked, seed, now)?;
            asked.what
        }
        (None, None, None) => bail!(
            "no trigger to fire, and no terminal to ask on: name one (`servetel triggers` lists \
             them) or give --scenario NAME (--list-scenarios)"
        ),
    };
    if args.speed.is_some() && !matches!(asked.what, What::Scenario(_)) {
        bail!(
            "--speed paces the events of a scenario, and one event has no gaps: give --scenario \
             NAME, or drop --speed"
        );
    }
    let Some(to) = asked.to.as_deref() else {
        bail!("where to? give --to URL (for example --to http://127.0.0.1:8080/hook)");
    };
    let target = Target::parse(to)?;
    let encoding = match webhook {
        Some(w) => w.encoding,
        None => encoding_of(args.method, args.encoding)?,
    };
    let (found, fix) = match (webhook, args.encoding) {
        (Some(w), _) => (
            format!("webhook `{}`", w.name),
            "give it content_type = \"form\" or method = \"GET\" in servetel.toml",
        ),
        (None, Some(_)) => ("--encoding json".to_string(), super::convert::FORM_FIX),
        (None, None) => (
            "--encoding json (the default)".to_string(),
            super::convert::FORM_FIX,
        ),
    };
    let form_style = super::convert::form_style(args.form_style, &[encoding], &found, fix)?;
    let headers = super::send::base_headers(&args.send, webhook.map_or(&[][..], |w| &w.headers))?;
    let plan = Plan {
        what: asked.what,
        seed,
        now,
        outcome: asked.outcome,
        spec: asked.spec,
        profile: args.profile.into(),
        encoding,
        form_style,
        edits: set,
        template: webhook.and_then(|w| w.template.clone()),
        count: args.count,
        speed: asked.speed,
        pool: Default::default(),
    };
    // Everything that can be wrong with the flags shows on the first call, before anything goes.
    let first = plan.requests(0, &target, &headers)?;
    if !plan.edits.is_empty() && !global.quiet {
        // What the edits made the call say that it did not say before (a contradiction, a
        // broken value); the real profile's own quirks are not news.
        let unedited = Plan {
            edits: Vec::new(),
            ..plan.clone()
        }
        .events(0)?;
        for (k, (event, before)) in plan.events(0)?.iter().zip(&unedited).enumerate() {
            let mut verdict = servetel::validate::validate(&event.payload, Some(event.trigger));
            let before = servetel::validate::validate(&before.payload, Some(before.trigger));
            verdict.findings.retain(|f| !before.findings.contains(f));
            if !verdict.findings.is_empty() {
                let origin = Origin {
                    source: Arc::from(format!("#{} {} (edited)", k + 1, event.trigger.id)),
                    line: None,
                    index: None,
                };
                let report = servetel::render::findings::report(&origin, &verdict);
                let _ = std::io::stderr().write_all(report.as_bytes());
            }
        }
    }
    let total = plan.total();
    if args.send.dry_run {
        return dry_run(&plan, &target, &headers, args.send.format.into(), out);
    }
    if total > ASK_ABOVE && !target.is_loopback() && !args.yes {
        let question = format!(
            "Fire {total} events at {}? It is not this machine",
            target.host()
        );
        if !prompting {
            bail!(
                "{total} events at {}, which is not this machine: give --yes to fire them \
                 without a terminal to ask on",
                target.host()
            );
        }
        if !Confirm::new()
            .with_prompt(question)
            .default(false)
            .interact()
            .context("no answer")?
        {
            servetel::say!("servetel: nothing sent");
            return Ok(servetel::exit::SUCCESS);
        }
    }
    if args.trigger.is_none() && args.scenario.is_none() && webhook.is_none() {
        // Asked interactively: show what goes before it goes.
        servetel::say!();
        for request in &first {
            let _ = std::io::stderr().write_all(send::dry_run_text(request).as_bytes());
        }
        if !Confirm::new()
            .with_prompt("Send it?")
            .default(true)
            .interact()
            .context("no answer")?
        {
            // Declining is an answer, not a failure: exit 0, as `git clean -i` quitting does.
            servetel::say!("servetel: nothing sent");
            return Ok(servetel::exit::SUCCESS);
        }
    }
    drop(first);
    if !global.quiet {
        let what = match plan.what {
            What::Trigger(t) => t.id.to_string(),
            What::Scenario(s) => format!("scenario {}", s.name),
        };
        let calls = if plan.count == 1 {
            String::new()
        } else {
            format!(", {} calls", plan.count)
        };
        let seed = match args.seed {
            Some(_) => String::new(),
            None => format!(" (seed {}; --seed repeats these calls)", plan.seed),
        };
        servetel::say!(
            "servetel: firing {total} event{} ({what}{calls}) at {}{seed}",
            if total == 1 { "" } else { "s" },
            target.shown()
        );
    }
    super::send::run(
        &args.send,
        global.quiet,
        Some(total),
        0..plan.count,
        |index| {
            plan.requests(index, &target, &headers).map_err(|e| Skip {
                what: format!("call {}", index + 1),
                reason: format!("{e:#}"),
            })
        },
        out,
    )
}

fn dry_run(
    plan: &Plan,
    target: &Target,
    headers: &HeaderMap,
    format: Format,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    for index in 0..plan.count {
        for request in plan.requests(index, target, headers)? {
            super::send::print_dry(out, &request, format)?;
        }
    }
    Ok(servetel::exit::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_and_encodings_combine_as_the_portal_allows() {
        assert_eq!(encoding_of(None, None).unwrap(), Encoding::Json);
        assert_eq!(
            encoding_of(Some(Method::Get), None).unwrap(),
            Encoding::Query
        );
        assert_eq!(
            encoding_of(Some(Method::Post), Some(cli::Encoding::Form)).unwrap(),
            Encoding::Form
        );
        assert!(encoding_of(Some(Method::Get), Some(cli::Encoding::Form)).is_err());
        assert!(encoding_of(Some(Method::Post), Some(cli::Encoding::Query)).is_err());
    }
}
