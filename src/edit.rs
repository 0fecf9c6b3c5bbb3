//! `--set KEY=VALUE`: edits a payload after synthesis (or a captured one before a replay).
//! `KEY` is a top-level key or a dotted path (`answered_agent.name`, `call_flow.0.time`);
//! `KEY=` sets `""`; `KEY:=JSON` sets raw JSON (xh's convention), e.g. `call_connected:=1`.

use anyhow::{Context, bail};
use serde_json::{Map, Value};

use crate::catalog::{TRIGGERS, Trigger};

/// One parsed `--set`.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    pub path: String,
    pub value: Value,
}

impl Edit {
    /// The top-level key the edit starts at: `answered_agent` for `answered_agent.name`.
    pub fn head(&self) -> &str {
        self.path.split('.').next().unwrap_or_default()
    }
}

/// The error for a `--set` key nothing has: `where_` says where it was looked for, `known` are
/// the keys and variable names that exist there (the closest is offered).
pub fn unknown_key<'a>(
    head: &str,
    where_: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> anyhow::Error {
    let hint = match crate::suggest::closest(head, known) {
        Some(k) => format!("did you mean `{k}`?"),
        None => "`servetel schema TRIGGER` lists the variables".to_string(),
    };
    anyhow::anyhow!("cannot set `{head}`: {where_}: {hint}")
}

impl std::str::FromStr for Edit {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> anyhow::Result<Edit> {
        let (path, value) = match (s.find(":="), s.find('=')) {
            (Some(raw), Some(eq)) if raw < eq => {
                let json = &s[raw + 2..];
                let value = serde_json::from_str(json)
                    .with_context(|| format!("`{json}` after `:=` is not JSON"))?;
                (&s[..raw], value)
            }
            (_, Some(eq)) => (&s[..eq], Value::String(s[eq + 1..].to_string())),
            _ => bail!("expected KEY=VALUE or KEY:=JSON, found `{s}`"),
        };
        if path.trim().is_empty() {
            bail!("expected KEY=VALUE, found `{s}` with no key");
        }
        Ok(Edit {
            path: path.to_string(),
            value,
        })
    }
}

/// Applies the edits in order. A key that is neither in the payload nor a variable of the
/// trigger is an error naming the nearest known key; nothing is applied then.
pub fn apply(
    payload: &mut Map<String, Value>,
    edits: &[Edit],
    trigger: Option<&Trigger>,
) -> anyhow::Result<()> {
    let mut edited = payload.clone();
    for edit in edits {
        let mut segments = edit.path.split('.');
        let head = segments.next().unwrap_or_default();
        let key = resolve_key(&edited, head, trigger)?;
        let rest: Vec<&str> = segments.collect();
        if rest.is_empty() {
            edited.insert(key, edit.value.clone());
            continue;
        }
        let mut slot = edited.get_mut(&key).expect("resolved keys exist");
        let mut walked = key.clone();
        for segment in rest {
            if slot.is_string() {
                // Nested values sent as JSON text are edited as the structure they hold.
                if let Ok(inner @ (Value::Object(_) | Value::Array(_))) =
                    serde_json::from_str::<Value>(slot.as_str().unwrap_or_default())
                {
                    *slot = inner;
                }
            }
            if step(slot, segment).is_none() {
                bail!(
                    "cannot set `{}`: `{walked}` has no `{segment}`: {}",
                    edit.path,
                    describe(slot, segment, &walked)
                );
            }
            slot = step(slot, segment).expect("checked just above");
            walked = format!("{walked}.{segment}");
        }
        *slot = edit.value.clone();
    }
    *payload = edited;
    Ok(())
}

/// Why `segment` is not found in `value`, with the nearest key when there is one.
fn describe(value: &Value, segment: &str, walked: &str) -> String {
    match value {
        Value::Object(m) => {
            let keys: Vec<&str> = m.keys().map(String::as_str).collect();
            match crate::suggest::closest(segment, keys.iter().copied()) {
                Some(k) => format!("did you mean `{walked}.{k}`?"),
                None => format!("its keys are {}", keys.join(", ")),
            }
        }
        Value::Array(a) => format!("it is an array of {} items", a.len()),
        Value::String(s) if s.is_empty() => "it is \"\" (absent) here".into(),
        other => format!("it is {other}"),
    }
}

fn step<'v>(value: &'v mut Value, segment: &str) -> Option<&'v mut Value> {
    match value {
        Value::Object(map) => map.get_mut(segment),
        Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?),
        _ => None,
    }
}

/// The payload key `head` names: itself, itself without stray spaces (`customer_no_with_prefix`
/// finds `"customer_no_with_prefix "`), or a variable of the trigger by name.
fn resolve_key(
    payload: &Map<String, Value>,
    head: &str,
    trigger: Option<&Trigger>,
) -> anyhow::Result<String> {
    if payload.contains_key(head) {
        return Ok(head.to_string());
    }
    if let Some(key) = payload.keys().find(|k| k.trim() == head.trim()) {
        return Ok(key.clone());
    }
    if let Some(var) = trigger.and_then(|t| t.variable(head)) {
        return Ok(var.key.to_string());
    }
    let known = payload.keys().map(String::as_str).chain(
        trigger
            .into_iter()
            .flat_map(|t| t.variables().map(|v| v.name)),
    );
    Err(unknown_key(head, "the payload has no such key", known))
}

/// Checks `--set` keys before anything is sent: each must be a variable some trigger offers, or
/// a key of the first payload read. Unknown keys name the closest known one.
pub fn check_keys(edits: &[Edit], first: Option<&Map<String, Value>>) -> anyhow::Result<()> {
    for e in edits {
        let head = e.head().trim();
        let in_payload = first.is_some_and(|p| p.keys().any(|k| k.trim() == head));
        let in_catalog = TRIGGERS
            .iter()
            .flat_map(|t| t.variables())
            .any(|v| v.name == head || v.key.trim() == head);
        if in_payload || in_catalog {
            continue;
        }
        let known = first
            .into_iter()
            .flat_map(|p| p.keys().map(String::as_str))
            .chain(TRIGGERS.iter().flat_map(|t| t.variables().map(|v| v.name)));
        return Err(unknown_key(
            head,
            "no payload or trigger has such a key",
            known,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payload() -> Map<String, Value> {
        json!({"uuid": "a", "answered_agent": {"id": "1", "name": "Asha"},
               "call_flow": [{"type": "init"}], "customer_no_with_prefix ": "91",
               "missed_agent": "", "json_text": "{\"k\":\"v\"}"})
        .as_object()
        .unwrap()
        .clone()
    }

    fn set(p: &mut Map<String, Value>, s: &str) -> anyhow::Result<()> {
        apply(p, &[s.parse()?], None)
    }

    #[test]
    fn sets_top_level_nested_and_raw_values() {
        let mut p = payload();
        set(&mut p, "uuid=b").unwrap();
        set(&mut p, "answered_agent.name=Ravi").unwrap();
        set(&mut p, "call_flow.0.type=IVR").unwrap();
        set(&mut p, "customer_no_with_prefix=9198").unwrap();
        set(&mut p, "uuid:=7").unwrap();
        set(&mut p, "json_text.k=w").unwrap();
        assert_eq!(p["uuid"], json!(7));
        assert_eq!(p["answered_agent"]["name"], "Ravi");
        assert_eq!(p["call_flow"][0]["type"], "IVR");
        assert_eq!(p["customer_no_with_prefix "], "9198");
        assert_eq!(p["json_text"]["k"], "w");
        set(&mut p, "uuid=").unwrap();
        assert_eq!(p["uuid"], "");
    }

    #[test]
    fn unknown_keys_fail_with_a_suggestion_and_change_nothing() {
        let mut p = payload();
        let err = apply(
            &mut p,
            &["uuid=z".parse().unwrap(), "uuidd=x".parse().unwrap()],
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("did you mean `uuid`?"), "{err}");
        assert_eq!(p["uuid"], "a", "a failed --set list applies nothing");
        let err = set(&mut p, "answered_agent.nme=x").unwrap_err().to_string();
        assert!(err.contains("answered_agent.name"), "{err}");
        let err = set(&mut p, "missed_agent.name=x").unwrap_err().to_string();
        assert!(err.contains("\"\" (absent)"), "{err}");
    }

    #[test]
    fn malformed_edits_are_refused() {
        assert!("novalue".parse::<Edit>().is_err());
        assert!("=x".parse::<Edit>().is_err());
        assert!("a:={bad".parse::<Edit>().is_err());
    }

    #[test]
    fn unknown_edit_keys_are_refused_before_anything_is_sent() {
        let first = json!({"callID": "x"}).as_object().unwrap().clone();
        assert!(check_keys(&["callID=y".parse().unwrap()], Some(&first)).is_ok());
        assert!(check_keys(&["billsec=1".parse().unwrap()], Some(&first)).is_ok());
        let err = check_keys(&["bilsec=1".parse().unwrap()], Some(&first))
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean `billsec`?"), "{err}");
    }
}
