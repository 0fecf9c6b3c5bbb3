//! `servetel test`, the receiver contract suite (SPEC 5.7): realistic callbacks in every shape the
//! platform sends, judged the way the platform judges them (a 2xx within its 10 s).
//!
//! - `cases.rs`: the catalog as data (the variations of one event, the per-call cases);
//! - this file: the cases of a run (which triggers, encodings, webhooks, `--only`), their ids and
//!   seeds;
//! - `run.rs`: a case's requests (built by `fire`'s plan, so `servetel fire … --seed …` sends
//!   the same bytes again), sent through the sending engine, then `--check`;
//! - `judge.rs`: pass or fail, and a reason that names what the receiver did wrong;
//! - `junit.rs`: the JUnit XML report. The pretty and JSON reports are `render/contract.rs`.

pub mod cases;
mod judge;
pub mod junit;
mod run;

use reqwest::header::HeaderMap;

use crate::catalog::{TRIGGERS, Trigger};
use crate::encode::{Encoding, FormStyle};
use crate::send::Target;
use crate::template::Template;

pub use cases::{CallCase, VARIATIONS, Variation};
pub use judge::Verdict;
pub use run::{CaseResult, Options, RequestResult, run};

/// Where and how one kind of request goes: `--to` with one encoding, or one `--webhook`.
#[derive(Debug)]
pub struct Sender {
    pub target: Target,
    pub encoding: Encoding,
    /// `--form-style`: how form and GET cases write nested values.
    pub form_style: FormStyle,
    /// The webhook's template; `None`: the default template.
    pub template: Option<Template>,
    /// Every request's headers (User-Agent, the webhook's, `--header`).
    pub headers: HeaderMap,
    /// The webhook this is (its trigger only); `None`: `--to`, every trigger.
    pub webhook: Option<(String, &'static Trigger)>,
}

/// What a case sends.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// One event of `trigger`, varied.
    Event {
        trigger: &'static Trigger,
        variation: &'static Variation,
    },
    /// Several requests of a call; `trigger` is the event that Duplicate and Burst send.
    Call {
        case: CallCase,
        trigger: &'static Trigger,
    },
}

/// One case of a run.
#[derive(Clone, Debug)]
pub struct Case {
    /// Stable: `hangup/form/placeholders`, `call/json/duplicate` (`@WEBHOOK` when two selected
    /// webhooks would share it).
    pub id: String,
    /// The report's group: the trigger id, or `call`.
    pub group: &'static str,
    pub encoding: &'static str,
    pub description: String,
    /// The case's own seed, from the run's seed and its id: cases differ, runs repeat.
    pub seed: u64,
    pub shape: Shape,
    /// Index into the run's senders.
    pub sender: usize,
}

impl Case {
    /// The triggers this case sends, in order.
    pub fn triggers(&self) -> Vec<&'static Trigger> {
        match self.shape {
            Shape::Event { trigger, .. } => vec![trigger],
            Shape::Call { case, trigger } => match case {
                CallCase::Scenario(name) => crate::scenario::lookup(name)
                    .map(|s| s.triggers())
                    .unwrap_or_default(),
                CallCase::OutOfOrder => crate::scenario::lookup("inbound-answered")
                    .map(|s| s.triggers())
                    .unwrap_or_default(),
                CallCase::Duplicate | CallCase::Burst => vec![trigger],
            },
        }
    }
}

/// The encoding's name in case ids.
pub fn encoding_name(e: Encoding) -> &'static str {
    match e {
        Encoding::Json => "json",
        Encoding::Form => "form",
        Encoding::Query => "query",
    }
}

/// Which cases of the catalog a run has.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// `--trigger`; empty: Servetel's 11 (and the trigger of each webhook sender), as
    /// `servetel triggers` lists them without `--all`.
    pub triggers: Vec<&'static Trigger>,
    /// `--only` globs; empty: all.
    pub only: Vec<String>,
}

/// The cases for `senders`, in report order (trigger by trigger, then the calls).
pub fn catalog(senders: &[Sender], seed: u64, selection: &Selection) -> Vec<Case> {
    let wanted = |t: &Trigger| match selection.triggers.is_empty() {
        true => {
            t.platform == crate::catalog::Platform::Servetel
                || senders
                    .iter()
                    .any(|s| s.webhook.as_ref().is_some_and(|(_, w)| std::ptr::eq(*w, t)))
        }
        false => selection.triggers.iter().any(|w| std::ptr::eq(*w, t)),
    };
    let mut cases = Vec::new();
    for trigger in TRIGGERS.iter().filter(|t| wanted(t)) {
        for (index, sender) in senders.iter().enumerate() {
            if sender
                .webhook
                .as_ref()
                .is_some_and(|(_, t)| !std::ptr::eq(*t, trigger))
            {
                continue;
            }
            let encoding = encoding_name(sender.encoding);
            for variation in VARIATIONS
                .iter()
                .filter(|v| cases::applies(v, trigger, sender.encoding, sender.form_style))
            {
                cases.push(Case {
                    id: format!("{}/{encoding}/{}", trigger.id, variation.name),
                    group: trigger.id,
                    encoding,
                    description: variation.description.to_string(),
                    seed: 0,
                    shape: Shape::Event { trigger, variation },
                    sender: index,
                });
            }
        }
    }
    let hangup = crate::catalog::find_trigger("hangup").expect("hangup is a trigger");
    for (index, sender) in senders.iter().enumerate() {
        let encoding = encoding_name(sender.encoding);
        // A webhook sends one trigger: its calls are the retry and the burst of that trigger.
        let (calls, trigger) = match &sender.webhook {
            None => (cases::call_cases(), hangup),
            Some((_, t)) => (vec![CallCase::Duplicate, CallCase::Burst], *t),
        };
        for case in calls {
            let c = Case {
                id: format!("call/{encoding}/{}", case.name()),
                group: "call",
                encoding,
                description: case.description(),
                seed: 0,
                shape: Shape::Call { case, trigger },
                sender: index,
            };
            if c.triggers().iter().any(|t| wanted(t)) {
                cases.push(c);
            }
        }
    }
    // Two webhooks of one trigger and encoding: their cases carry the webhook's name.
    let mut counts = std::collections::HashMap::new();
    for c in &cases {
        *counts.entry(c.id.clone()).or_insert(0) += 1;
    }
    for c in &mut cases {
        if counts[&c.id] > 1 {
            if let Some((name, _)) = &senders[c.sender].webhook {
                c.id = format!("{}@{name}", c.id);
            }
        }
        c.seed = case_seed(seed, &c.id);
    }
    cases.retain(|c| run::applies(c, senders));
    cases.retain(|c| selection.only.is_empty() || selection.only.iter().any(|g| glob(g, &c.id)));
    cases
}

/// A case's seed: the run's, mixed with its id (FNV-1a), kept below 2^53 so JSON readers keep
/// it exact.
pub fn case_seed(seed: u64, id: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for byte in id.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash >> 11
}

/// `--only`'s glob: `*` any run of characters, `?` one; anything else itself.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Classic backtracking over the last `*`: linear enough for ids.
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to(encoding: Encoding) -> Sender {
        Sender {
            target: Target::parse("http://127.0.0.1:9/hook").unwrap(),
            encoding,
            form_style: FormStyle::Json,
            template: None,
            headers: HeaderMap::new(),
            webhook: None,
        }
    }

    #[test]
    fn globs_match_case_ids() {
        assert!(glob("hangup/*", "hangup/form/placeholders"));
        assert!(glob("*/form/*", "hangup/form/placeholders"));
        assert!(glob("hangup/?son/docs", "hangup/json/docs"));
        assert!(!glob("hangup/*", "missed/json/docs"));
        assert!(glob("*", ""));
        assert!(!glob("a", "ab"));
    }

    #[test]
    fn ids_are_unique_and_seeds_follow_the_run_seed() {
        let senders = [to(Encoding::Json), to(Encoding::Form), to(Encoding::Query)];
        let cases = catalog(&senders, 7, &Selection::default());
        let ids: std::collections::HashSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), cases.len());
        assert!(ids.contains("hangup/form/placeholders"));
        assert!(ids.contains("call/query/duplicate"));
        let again = catalog(&senders, 7, &Selection::default());
        assert_eq!(cases[3].seed, again[3].seed);
        let other = catalog(&senders, 8, &Selection::default());
        assert_ne!(cases[3].seed, other[3].seed);
        assert_ne!(cases[3].seed, cases[4].seed);
    }

    #[test]
    fn selection_narrows_by_trigger_and_glob() {
        let senders = [to(Encoding::Json)];
        let hangup = crate::catalog::find_trigger("hangup").unwrap();
        let selection = Selection {
            triggers: vec![hangup],
            only: vec![],
        };
        let cases = catalog(&senders, 1, &selection);
        assert!(
            cases
                .iter()
                .all(|c| c.triggers().iter().any(|t| t.id == "hangup"))
        );
        assert!(cases.iter().any(|c| c.id == "call/json/burst"));
        let only = Selection {
            triggers: vec![],
            only: vec!["*/placeholders".into()],
        };
        let cases = catalog(&senders, 1, &only);
        assert!(!cases.is_empty());
        assert!(cases.iter().all(|c| c.id.ends_with("/placeholders")));
    }
}
