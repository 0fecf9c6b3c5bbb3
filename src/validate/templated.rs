//! Checking a payload that arrived through the tenant's own body template: mapped back to the
//! variables first, its findings reported under the tenant's key names.

use serde_json::{Map, Value};

use super::finding::pointer;
use super::{Code, Verdict};
use crate::catalog::Trigger;
use crate::template::Template;

/// The verdict of a payload received through `template`, and the payload mapped back to variable
/// names (what a dedupe key is read from). A required variable the template does not carry is
/// not `missing`: the platform never sends what the template leaves out.
pub fn checked(
    template: &Template,
    received: &Map<String, Value>,
    trigger: &'static Trigger,
) -> (Verdict, Map<String, Value>) {
    let (mapped, renames) = template.map_back(received);
    let renames: Vec<(String, String)> = renames
        .into_iter()
        .map(|(from, key)| (from, pointer("", &key)))
        .collect();
    let mut verdict = super::validate(&mapped, Some(trigger));
    let carried = |path: &str| {
        let key = path.strip_prefix('/').unwrap_or(path);
        template.variables().any(|v| v.key == key)
    };
    verdict
        .findings
        .retain(|f| f.code != Code::Missing || carried(&f.path));
    let under = |path: &str, from: &str| {
        path.strip_prefix(from)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    for finding in &mut verdict.findings {
        if let Some((from, to)) = renames
            .iter()
            .filter(|(from, _)| under(&finding.path, from))
            .max_by_key(|(from, _)| from.len())
        {
            finding.path = format!("{to}{}", &finding.path[from.len()..]);
        }
    }
    (verdict, mapped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::TriggerId;
    use crate::template::parse;
    use serde_json::json;

    fn hangup() -> &'static Trigger {
        TriggerId::Hangup.trigger()
    }

    fn validate(t: &Template, received: &Map<String, Value>, trigger: &'static Trigger) -> Verdict {
        checked(t, received, trigger).0
    }

    #[test]
    fn renders_and_maps_back_with_findings_under_the_tenant_keys() {
        let t = parse(r#"{"callID": "$uuid", "agent": "$answered_agent.name", "from": "$caller_id_number", "secs": "$billsec", "end": "$end_stamp"}"#, hangup()).unwrap();
        let payload = json!({"uuid": "69d76b2a1c3f0", "caller_id_number": "9876500011", "billsec": "30",
            "answered_agent": {"id": "1", "name": "Asha Rao"}, "end_stamp": "2026-04-09 12:55:01"});
        let rendered = t.render(payload.as_object().unwrap());
        assert_eq!(
            Value::Object(rendered.clone()),
            json!({"callID": "69d76b2a1c3f0", "agent": "Asha Rao", "from": "9876500011", "secs": "30", "end": "2026-04-09 12:55:01"})
        );
        let v = validate(&t, &rendered, hangup());
        assert!(
            v.findings.iter().all(|f| f.code != Code::Missing),
            "{:#?}",
            v.findings
        );
        let mut bad = rendered.clone();
        bad.insert("secs".into(), json!("thirty"));
        bad.insert("callID".into(), json!(""));
        let v = validate(&t, &bad, hangup());
        let paths: Vec<(&str, Code)> = v
            .findings
            .iter()
            .map(|f| (f.path.as_str(), f.code))
            .collect();
        assert!(paths.contains(&("/secs", Code::Format)), "{paths:?}");
        assert!(paths.contains(&("/callID", Code::Missing)), "{paths:?}");
        assert!(
            !paths
                .iter()
                .any(|(p, c)| *c == Code::Missing && *p == "/call_to_number"),
            "not carried, not missing: {paths:?}"
        );
    }
}
