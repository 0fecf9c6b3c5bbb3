//! `replay --filter KEY=VALUE`: which entries are replayed.

use anyhow::{anyhow, bail};

use super::Entry;
use crate::catalog::{Trigger, lookup_trigger};

/// `--filter KEY=VALUE`.
#[derive(Clone, Debug)]
pub enum Filter {
    Trigger(&'static Trigger),
    CallId(String),
    /// `seq=N..M`, `seq=N..`, `seq=..M`, `seq=N` (inclusive).
    Seq(Option<u64>, Option<u64>),
}

impl std::str::FromStr for Filter {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> anyhow::Result<Filter> {
        let Some((key, value)) = s.split_once('=') else {
            bail!("expected trigger=ID, call_id=X or seq=N..M, found `{s}`");
        };
        match key.trim() {
            "trigger" => Ok(Filter::Trigger(lookup_trigger(value.trim())?)),
            "call_id" => Ok(Filter::CallId(value.trim().to_string())),
            "seq" => {
                let number = |t: &str| -> anyhow::Result<Option<u64>> {
                    let t = t.trim();
                    if t.is_empty() {
                        return Ok(None);
                    }
                    t.parse()
                        .map(Some)
                        .map_err(|_| anyhow!("seq={value}: expected N, N..M, N.. or ..M"))
                };
                let (lo, hi) = match value.split_once("..") {
                    Some((lo, hi)) => (number(lo)?, number(hi.trim_start_matches('='))?),
                    None => {
                        let n = number(value)?;
                        (n, n)
                    }
                };
                if lo.is_none() && hi.is_none() {
                    bail!("seq={value}: expected N, N..M, N.. or ..M");
                }
                Ok(Filter::Seq(lo, hi))
            }
            other => {
                let hint = crate::suggest::closest(other, ["trigger", "call_id", "seq"])
                    .map(|k| format!(": did you mean `{k}`?"))
                    .unwrap_or_default();
                bail!("cannot filter on `{other}`{hint} (trigger=ID, call_id=X, seq=N..M)")
            }
        }
    }
}

impl Filter {
    fn key(&self) -> u8 {
        match self {
            Filter::Trigger(_) => 0,
            Filter::CallId(_) => 1,
            Filter::Seq(..) => 2,
        }
    }

    fn matches(&self, entry: &Entry) -> bool {
        match self {
            Filter::Trigger(t) => entry.trigger.is_some_and(|e| std::ptr::eq(e, *t)),
            Filter::CallId(id) => entry.call_id().as_deref() == Some(id.as_str()),
            Filter::Seq(lo, hi) => {
                let seq = entry.seq();
                lo.is_none_or(|lo| seq >= lo) && hi.is_none_or(|hi| seq <= hi)
            }
        }
    }
}

/// Whether an entry passes the filters: every key given must match, by any of its values.
pub fn selected(filters: &[Filter], entry: &Entry) -> bool {
    (0..3).all(|key| {
        let mut of_key = filters.iter().filter(|f| f.key() == key).peekable();
        of_key.peek().is_none() || of_key.any(|f| f.matches(entry))
    })
}
