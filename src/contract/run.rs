//! Running one case: its requests are what `fire` would send (a `fire::Plan` builds them, so the
//! reproduce line `servetel fire … --seed N --set …` sends the same bytes), they go through the
//! sending engine (`send::run`, the burst at `--concurrency`), and `--check` runs after.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use serde_json::{Map, Value};

use super::cases::{CallCase, Change};
use super::{Case, Sender, Shape, judge};
use crate::catalog::{Profile, Trigger};
use crate::encode::{Encoding, FormStyle, has_nested};
use crate::fire::{Plan, Speed, What};
use crate::send::{self, Message, Request};
use crate::synth::CallOutcome;
use crate::template::Template;

/// How many distinct calls the burst case sends.
pub const BURST_CALLS: u64 = 20;

/// How a run goes.
#[derive(Debug)]
pub struct Options<'a> {
    /// Built with the budget as their timeout: the platform does not wait longer.
    pub clients: &'a send::Clients,
    pub budget: Duration,
    /// The burst's requests in flight at once.
    pub concurrency: usize,
    /// `--check CMD`, run by the shell after each case.
    pub check: Option<String>,
    pub interrupt: &'static AtomicBool,
    /// `--config PATH` as given, repeated in reproduce lines that name a webhook.
    pub config: Option<String>,
}

/// One request of a case, as it went.
#[derive(Clone, Debug)]
pub struct RequestResult {
    pub trigger: Option<&'static str>,
    pub status: Option<u16>,
    pub elapsed: Duration,
    pub error: Option<String>,
    pub excerpt: String,
}

/// One case, as it went.
#[derive(Debug)]
pub struct CaseResult {
    pub case: Case,
    pub passed: bool,
    /// Why it failed, naming the request when the case has several.
    pub reason: Option<String>,
    pub requests: Vec<RequestResult>,
    /// The first failing request, as it was sent.
    pub failed_request: Option<Request>,
    /// `servetel fire …` arguments that send this case's request(s) again; `None` when fire
    /// cannot (out of order, only the required variables).
    pub again: Option<Vec<String>>,
}

impl CaseResult {
    /// The slowest answer of the case.
    pub fn slowest(&self) -> Duration {
        self.requests
            .iter()
            .map(|r| r.elapsed)
            .max()
            .unwrap_or_default()
    }
}

/// A case ready to go.
struct Prepared {
    /// Jobs for the engine: one for most cases (its requests, in order), one per call for a burst.
    jobs: Vec<Vec<Request>>,
    /// The payloads sent, in order (SERVETEL_PAYLOAD).
    payloads: Vec<Map<String, Value>>,
    call_id: String,
    uuid: String,
    concurrency: usize,
    again: Option<Vec<String>>,
}

fn plan(case: &Case, what: What, sender: &Sender) -> Plan {
    Plan {
        what,
        seed: case.seed,
        now: None,
        outcome: None,
        profile: Profile::Real,
        encoding: sender.encoding,
        form_style: sender.form_style,
        edits: Vec::new(),
        template: sender.template.clone(),
        count: 1,
        speed: Speed::Max,
        pool: Default::default(),
        spec: Default::default(),
    }
}

/// A template of only the trigger's required variables (of the webhook's template, if any).
fn only_required(trigger: &Trigger, webhook: Option<&Template>) -> anyhow::Result<Template> {
    if let Some(t) = webhook {
        let mut t = t.clone();
        t.fields
            .retain(|f| f.single().is_some_and(|(var, _)| var.is_required()));
        return Ok(t);
    }
    let fields: Map<String, Value> = trigger
        .required()
        .map(|v| (v.key.to_string(), Value::String(format!("${}", v.name))))
        .collect();
    crate::template::parse(&Value::Object(fields).to_string(), trigger)
        .map_err(|problems| anyhow::anyhow!("{}", problems.join("; ")))
}

/// `servetel fire` arguments for `plan` through `sender`.
fn fire_line(plan: &Plan, sender: &Sender, config: Option<&str>) -> Vec<String> {
    let mut args = vec!["fire".to_string()];
    match (&sender.webhook, plan.what) {
        (Some((name, _)), _) => args.extend(["--webhook".into(), name.clone()]),
        (None, What::Trigger(t)) => args.push(t.id.to_string()),
        (None, What::Scenario(s)) => args.extend(["--scenario".into(), s.name.to_string()]),
    }
    if let Some(path) = config.filter(|_| sender.webhook.is_some()) {
        args.extend(["--config".into(), path.to_string()]);
    }
    args.extend([
        "--to".into(),
        // Printed, so masked like every URL servetel prints.
        crate::redact::url(sender.target.as_str()),
        "--seed".into(),
        plan.seed.to_string(),
    ]);
    if let Some(o) = plan.outcome {
        let o = match o {
            CallOutcome::Answered => "answered",
            CallOutcome::Missed => "missed",
        };
        args.extend(["--outcome".into(), o.into()]);
    }
    if plan.profile == Profile::Docs {
        args.extend(["--profile".into(), "docs".into()]);
    }
    if sender.webhook.is_none() {
        match plan.encoding {
            Encoding::Json => {}
            Encoding::Form => args.extend(["--encoding".into(), "form".into()]),
            Encoding::Query => args.extend(["--method".into(), "GET".into()]),
        }
    }
    if plan.form_style == FormStyle::Go && plan.encoding != Encoding::Json {
        args.extend(["--form-style".into(), "go".into()]);
    }
    if plan.count > 1 {
        args.extend(["--count".into(), plan.count.to_string()]);
    }
    if let What::Scenario(_) = plan.what {
        args.extend(["--speed".into(), "max".into()]);
    }
    for e in &plan.edits {
        let arg = match &e.value {
            Value::String(s) => format!("{}={s}", e.path),
            other => format!("{}:={other}", e.path),
        };
        args.extend(["--set".into(), arg]);
    }
    args
}

/// The payloads `plan` sends for call `index`, as they go (through the template).
fn payloads(plan: &Plan, index: u64) -> anyhow::Result<Vec<Map<String, Value>>> {
    Ok(plan
        .events(index)?
        .into_iter()
        .map(|e| match &plan.template {
            Some(t) => t.render(&e.payload),
            None => e.payload,
        })
        .collect())
}

/// An id of the call as the receiver got it: `""` when no payload sent carries it.
fn sent_id(plan: &Plan, index: u64, key: &str, sent: &[Map<String, Value>]) -> String {
    let Ok(events) = plan.events(index) else {
        return String::new();
    };
    let Some(id) = events
        .iter()
        .find_map(|e| e.payload.get(key).and_then(Value::as_str))
        .filter(|s| !s.is_empty())
    else {
        return String::new();
    };
    let carried = sent
        .iter()
        .any(|p| p.values().any(|v| v.as_str() == Some(id)));
    if carried {
        id.to_string()
    } else {
        String::new()
    }
}

fn prepare(case: &Case, sender: &Sender, opts: &Options<'_>) -> anyhow::Result<Option<Prepared>> {
    let config = opts.config.as_deref();
    let mut concurrency = 1;
    let (plan, calls, again) = match case.shape {
        Shape::Event { trigger, variation } => {
            let mut plan = plan(case, What::Trigger(trigger), sender);
            plan.outcome = super::cases::outcome(variation, trigger);
            plan.profile = variation.profile;
            let mut again = true;
            match variation.change {
                Change::None => {}
                Change::Edits(edits) => {
                    let base = plan.events(0)?.remove(0).payload;
                    match edits(&base) {
                        Some(edits) => plan.edits = edits,
                        None => return Ok(None),
                    }
                }
                Change::OnlyRequired => {
                    plan.template = Some(only_required(trigger, sender.template.as_ref())?);
                    again = false;
                }
                // Only a payload with a nested value reads differently as Go text.
                Change::GoSprint => {
                    if !payloads(&plan, 0)?.iter().any(has_nested) {
                        return Ok(None);
                    }
                    plan.form_style = FormStyle::Go;
                }
            }
            (plan, 1, again)
        }
        Shape::Call {
            case: call,
            trigger,
        } => match call {
            CallCase::Scenario(_) | CallCase::OutOfOrder if sender.webhook.is_none() => {
                let name = match call {
                    CallCase::Scenario(name) => name,
                    _ => "inbound-answered",
                };
                let scenario = crate::scenario::lookup(name)?;
                let plan = plan(case, What::Scenario(scenario), sender);
                (plan, 1, call != CallCase::OutOfOrder)
            }
            CallCase::Scenario(_) | CallCase::OutOfOrder => return Ok(None),
            CallCase::Duplicate => (plan(case, What::Trigger(trigger), sender), 1, true),
            CallCase::Burst => {
                let mut plan = plan(case, What::Trigger(trigger), sender);
                plan.count = BURST_CALLS;
                concurrency = opts.concurrency;
                (plan, BURST_CALLS, true)
            }
        },
    };
    let mut jobs = Vec::new();
    let mut sent = Vec::new();
    for index in 0..calls {
        jobs.push(plan.requests(index, &sender.target, &sender.headers)?);
        sent.extend(payloads(&plan, index)?);
    }
    let last = calls - 1;
    let call_id = sent_id(&plan, last, "call_id", &sent);
    let uuid = sent_id(&plan, last, "uuid", &sent);
    if let Shape::Call { case: call, .. } = case.shape {
        let requests = &mut jobs[0];
        match call {
            CallCase::Duplicate => {
                let mut retry = requests[0].clone();
                retry.seq = 2;
                requests.push(retry);
                sent.push(sent[0].clone());
            }
            CallCase::OutOfOrder => {
                // The hangup (last) overtakes answered-by-agent (the one before it).
                let n = requests.len();
                requests.swap(n - 1, n - 2);
                sent.swap(n - 1, n - 2);
                for (k, r) in requests.iter_mut().enumerate() {
                    r.seq = k as u64 + 1;
                }
            }
            _ => {}
        }
    }
    Ok(Some(Prepared {
        jobs,
        payloads: sent,
        call_id,
        uuid,
        concurrency,
        again: again.then(|| fire_line(&plan, sender, config)),
    }))
}

/// Whether `case` has anything to send (a quirk whose keys the trigger's payload lacks has not).
pub(super) fn applies(case: &Case, senders: &[Sender]) -> bool {
    let clients = send::Clients::default();
    static NEVER: AtomicBool = AtomicBool::new(false);
    let opts = Options {
        clients: &clients,
        budget: Duration::ZERO,
        concurrency: 1,
        check: None,
        interrupt: &NEVER,
        config: None,
    };
    // A case that cannot be prepared is kept: running it reports why.
    !matches!(prepare(case, &senders[case.sender], &opts), Ok(None))
}

/// Where SERVETEL_PAYLOAD files go for one run; removed at its end.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> anyhow::Result<Scratch> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("servetel-test-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {} for --check", dir.display()))?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `--check` after `case`: the shell runs it with the case's environment.
fn run_check(
    command: &str,
    case: &Case,
    prepared: &Prepared,
    dir: &Path,
) -> anyhow::Result<Option<String>> {
    let path = dir.join("payload.ndjson");
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(&path).with_context(|| format!("cannot write {}", path.display()))?,
    );
    for p in &prepared.payloads {
        serde_json::to_writer(&mut file, p)?;
        file.write_all(b"\n")?;
    }
    file.flush()?;
    drop(file);
    // The event sent last (out of order: answered-by-agent, after the hangup).
    let trigger = prepared
        .jobs
        .iter()
        .flatten()
        .last()
        .and_then(|r| r.trigger)
        .unwrap_or("");
    let mut shell = if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.arg("/C");
        c
    } else {
        let mut c = std::process::Command::new("sh");
        c.arg("-c");
        c
    };
    let output = shell
        .arg(command)
        .env("SERVETEL_CASE", &case.id)
        .env("SERVETEL_TRIGGER", trigger)
        .env("SERVETEL_CALL_ID", &prepared.call_id)
        .env("SERVETEL_UUID", &prepared.uuid)
        .env("SERVETEL_PAYLOAD", &path)
        .stdin(std::process::Stdio::null())
        .output()
        .with_context(|| format!("cannot run --check {command:?}"))?;
    Ok(judge::check(output.status.code(), &output.stderr))
}

/// Runs the cases in order, handing each result to `on_case` as it comes (false stops the
/// run); returns them all. A Ctrl-C stops it between requests.
pub fn run(
    cases: &[Case],
    senders: &[Sender],
    opts: &Options<'_>,
    on_case: &mut dyn FnMut(&CaseResult) -> bool,
) -> anyhow::Result<Vec<CaseResult>> {
    let scratch = match opts.check {
        Some(_) => Some(Scratch::new()?),
        None => None,
    };
    let mut results = Vec::with_capacity(cases.len());
    for case in cases {
        if opts.interrupt.load(Ordering::SeqCst) {
            break;
        }
        let sender = &senders[case.sender];
        let prepared = match prepare(case, sender, opts) {
            Ok(Some(p)) => p,
            Ok(None) => continue,
            Err(e) => {
                let result = CaseResult {
                    case: case.clone(),
                    passed: false,
                    reason: Some(format!("cannot be prepared: {e:#}")),
                    requests: Vec::new(),
                    failed_request: None,
                    again: None,
                };
                let go_on = on_case(&result);
                results.push(result);
                if go_on {
                    continue;
                }
                break;
            }
        };
        let sent_requests: Vec<Request> = prepared.jobs.iter().flatten().cloned().collect();
        let mut answers: Vec<(u64, send::Answer)> = Vec::with_capacity(sent_requests.len());
        let settings = send::Settings {
            concurrency: prepared.concurrency,
            rate: None,
            timeout: opts.budget,
            interrupt: opts.interrupt,
        };
        send::run(
            opts.clients,
            prepared.jobs.clone().into_iter(),
            Ok,
            &settings,
            &mut |message| {
                if let Message::Sent(sent) = message {
                    answers.push((sent.seq, sent.answer));
                }
                true
            },
        );
        answers.sort_by_key(|(seq, _)| *seq);
        if answers.len() < sent_requests.len() && opts.interrupt.load(Ordering::SeqCst) {
            break;
        }
        let mut reason = None;
        let mut failed_request = None;
        let many = sent_requests.len() > 1;
        for (seq, answer) in &answers {
            let Some(request) = sent_requests.iter().find(|r| r.seq == *seq) else {
                continue;
            };
            if reason.is_some() {
                break;
            }
            if let Some(why) = judge::answer(answer, opts.budget, sender.encoding) {
                reason = Some(match many {
                    true => format!(
                        "request {seq} of {} ({}): {why}",
                        sent_requests.len(),
                        request.trigger.unwrap_or("-")
                    ),
                    false => why,
                });
                failed_request = Some(request.clone());
            }
        }
        if answers.len() < sent_requests.len() && reason.is_none() {
            reason = Some(format!(
                "only {} of {} requests were sent",
                answers.len(),
                sent_requests.len()
            ));
        }
        if let (Some(command), Some(dir)) = (&opts.check, &scratch) {
            if let Some(why) = run_check(command, case, &prepared, &dir.0)? {
                reason = Some(match reason {
                    Some(r) => format!("{r}; {why}"),
                    None => why,
                });
                if failed_request.is_none() {
                    failed_request = sent_requests.first().cloned();
                }
            }
        }
        let requests = answers
            .iter()
            .map(|(seq, a)| RequestResult {
                trigger: sent_requests
                    .iter()
                    .find(|r| r.seq == *seq)
                    .and_then(|r| r.trigger),
                status: a.status,
                elapsed: a.elapsed,
                error: a.error.clone(),
                excerpt: a.excerpt.clone(),
            })
            .collect();
        let result = CaseResult {
            case: case.clone(),
            passed: reason.is_none(),
            reason,
            requests,
            failed_request,
            again: prepared.again,
        };
        let go_on = on_case(&result);
        results.push(result);
        if !go_on {
            break;
        }
    }
    Ok(results)
}
