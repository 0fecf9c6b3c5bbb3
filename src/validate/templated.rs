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
    let rename = |path: &str| -> Option<String> {
        renames
            .iter()
            .filter(|(from, _)| under(path, from))
            .max_by_key(|(from, _)| from.len())
            .map(|(from, to)| format!("{to}{}", &path[from.len()..]))
    };
    for finding in &mut verdict.findings {
        if let Some(path) = rename(&finding.path) {
            finding.path = path;
        }
        // `inconsistent` names the other side's field in its message: the tenant's key too.
        if finding.code == Code::Inconsistent {
            finding.message = renamed_pointers(&finding.message, &rename);
        }
    }
    (verdict, mapped)
}

/// `message` with each JSON pointer in it (a `/` that starts a word, up to a space, `,`, `)` or
/// `"`) renamed by `rename` where it has a new name.
fn renamed_pointers(message: &str, rename: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find('/') {
        let starts_word = at == 0 || rest[..at].ends_with([' ', '(']);
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find([' ', ',', ')', '"']).unwrap_or(rest.len());
        let (pointer, after) = rest.split_at(end.max(1));
        match rename(pointer).filter(|_| starts_word) {
            Some(renamed) => out.push_str(&renamed),
            None => out.push_str(pointer),
        }
        rest = after;
    }
    out.push_str(rest);
    out
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

    #[test]
    fn an_inconsistent_finding_names_both_fields_under_the_tenant_keys() {
        let t = parse(
            r#"{"id": "$uuid", "from": "$caller_id_number", "to": "$call_to_number", "status": "$call_status", "connected": "$call_connected", "started": "$start_stamp", "ended": "$end_stamp"}"#,
            hangup(),
        )
        .unwrap();
        let received = json!({"id": "69d76b2a1c3f0", "from": "9876500011", "to": "8069871234",
            "status": "answered", "connected": "0", "started": "2026-04-09 12:54:22", "ended": "2026-04-09 12:55:01"});
        let v = validate(&t, received.as_object().unwrap(), hangup());
        let f = v
            .findings
            .iter()
            .find(|f| f.code == Code::Inconsistent)
            .unwrap_or_else(|| panic!("{:#?}", v.findings));
        assert_eq!(f.path, "/status");
        assert!(f.message.contains("/connected \"0\""), "{}", f.message);
        assert!(!f.message.contains("call_connected"), "{}", f.message);
    }
}
