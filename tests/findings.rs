//! One realistic payload per finding code that the samples do not already cover, each checked
//! for its code, its JSON pointer and a message that says what was expected and found.

use serde_json::{Map, Value, json};
use servetel::catalog::find_trigger;
use servetel::decode::decode_request;
use servetel::validate::{Code, Dedupe, Finding, Severity, validate};

/// A real-looking missed call from the default template (docs/wire.md, "Values").
fn missed() -> Map<String, Value> {
    json!({
        "uuid": "69d76b2a1c3f0", "call_to_number": "8069871234", "caller_id_number": "9876500011",
        "start_stamp": "2026-04-09 12:54:22", "answer_stamp": "", "end_stamp": "2026-04-09 12:55:01",
        "billsec": "0", "digits_dialed": "", "direction": "inbound", "duration": "39",
        "answered_agent": "", "answered_agent_name": "", "answered_agent_number": "",
        "missed_agent": [{"id": "0507123456789", "name": "Asha Rao", "number": "0607123456789"}],
        "call_flow": [{"type": "init", "value": "1775719462.306731", "time": "1775719462"}],
        "broadcast_lead_fields": "", "recording_url": "", "call_status": "missed",
        "call_id": "1775719462.306731", "outbound_sec": "0", "call_connected": "0",
        "customer_no_with_prefix ": "919876500011", "campaign_name": "$campaign_name",
        "hangup_cause_key": "NO_ANSWER", "hangup_cause_code": "19", "reason_key": "noanswer", "ref_id": ""
    })
    .as_object()
    .unwrap()
    .clone()
}

fn with(mut p: Map<String, Value>, key: &str, value: Value) -> Map<String, Value> {
    p.insert(key.to_string(), value);
    p
}

fn only(findings: &[Finding], code: Code) -> &Finding {
    let found: Vec<&Finding> = findings.iter().filter(|f| f.code == code).collect();
    assert_eq!(found.len(), 1, "one {code:?} finding in {findings:#?}");
    found[0]
}

#[test]
fn a_real_missed_call_is_valid_and_detected() {
    let v = validate(&missed(), None);
    assert_eq!(
        (v.trigger, v.detected, v.valid()),
        (Some("missed"), true, true),
        "{:#?}",
        v.findings
    );
    let f = only(&v.findings, Code::Unresolved);
    assert_eq!(f.path, "/campaign_name");
    assert!(f.message.contains("$campaign_name"));
}

#[test]
fn warnings_name_what_they_saw() {
    let p = with(missed(), "caller_id_numbr", json!("x"));
    let v = validate(&p, None);
    let f = only(&v.findings, Code::Unknown);
    assert_eq!(
        (f.severity, f.path.as_str()),
        (Severity::Warning, "/caller_id_numbr")
    );
    assert!(
        f.message.contains("did you mean `caller_id_number`?"),
        "{}",
        f.message
    );

    let v = validate(&with(missed(), "$uuid", json!("a")), None);
    assert!(
        only(&v.findings, Code::Unknown)
            .message
            .contains("keys carry no `$`")
    );

    let v = validate(&with(missed(), "billsec", json!(0)), None);
    let f = only(&v.findings, Code::NumberType);
    assert_eq!(f.path, "/billsec");
    assert!(v.valid(), "number-type is a warning");

    let agent = json!({"id": "0507123456789", "name": "Asha Rao", "number": "0607123456789"});
    let v = validate(&with(missed(), "answered_agent_number", agent), None);
    assert_eq!(
        only(&v.findings, Code::Residue).path,
        "/answered_agent_number"
    );
    let v = validate(
        &with(missed(), "answered_agent_number", json!("_number")),
        None,
    );
    assert_eq!(
        only(&v.findings, Code::Residue).path,
        "/answered_agent_number"
    );
}

#[test]
fn conditions_follow_the_meaning_of_the_trigger() {
    let agent = json!({"id": "0507123456789", "name": "Asha Rao", "number": "0607123456789"});
    let hangup = find_trigger("hangup").unwrap();
    let v = validate(&with(missed(), "answered_agent", agent.clone()), None);
    let f = only(&v.findings, Code::Condition);
    assert_eq!(f.path, "/answered_agent");
    assert!(f.message.contains("call_connected 0"), "{}", f.message);
    let v = validate(&missed(), Some(hangup));
    assert!(
        only(&v.findings, Code::Condition)
            .message
            .contains("this is a `missed` call")
    );
    let moa = find_trigger("missed-or-answered").unwrap();
    assert!(
        validate(&missed(), Some(moa)).valid(),
        "missed-or-answered takes both"
    );
}

#[test]
fn only_shared_variables_cannot_name_a_trigger() {
    let p = json!({"uuid": "69d76b2a1c3f0", "call_to_number": "8069871234", "caller_id_number": "9876500011",
                   "start_stamp": "2026-04-09 12:54:22"});
    let v = validate(p.as_object().unwrap(), None);
    assert_eq!(v.trigger, None);
    let f = only(&v.findings, Code::Trigger);
    assert!(
        f.message.contains("received-on-server") && f.message.contains("--trigger"),
        "{}",
        f.message
    );
}

#[test]
fn nested_values_as_json_text_are_checked_as_their_structure() {
    let flow = r#"[{"type":"init","time":"1775719462"},{"type":"hangup","time":"soon"}]"#;
    let v = validate(&with(missed(), "call_flow", json!(flow)), None);
    assert_eq!(only(&v.findings, Code::Format).path, "/call_flow/1/time");
    let v = validate(&with(missed(), "missed_agent", json!("{not json")), None);
    assert_eq!(only(&v.findings, Code::Format).path, "/missed_agent");
}

#[test]
fn form_bodies_with_go_sprint_text_and_brackets_decode_and_validate() {
    let body = "uuid=69d76b2a1c3f0&call_to_number=8069871234&caller_id_number=9876500011\
        &start_stamp=2026-04-09+12%3A54%3A22&answer_stamp=2026-04-09+12%3A54%3A40&end_stamp=2026-04-09+12%3A56%3A22\
        &billsec=102&duration=120&call_connected=1&direction=inbound\
        &answered_agent=map%5Bid%3A0507123456789+name%3AAsha+Rao+number%3A0607123456789%5D\
        &missed_agent%5B0%5D%5Bname%5D=Vikram+Singh&missed_agent%5B0%5D%5Bid%5D=0507000000001";
    let p = decode_request(
        "POST",
        Some("application/x-www-form-urlencoded"),
        "",
        body.as_bytes(),
    )
    .unwrap();
    assert_eq!(
        p["answered_agent"]["name"], "Asha Rao",
        "Go text split on known sub-fields"
    );
    assert_eq!(p["missed_agent"][0]["name"], "Vikram Singh");
    let v = validate(&p, None);
    assert_eq!(v.trigger, Some("hangup"));
    assert!(v.valid(), "{:#?}", v.findings);
}

#[test]
fn go_marshalled_json_with_escapes_is_read_like_any_json() {
    let body = br#"{"billing_circle":{"circle":"Andhra Pradesh \u0026 Telangana","operator":"BSNL"},"billsec":"0","call_connected":"0","call_to_number":"8069871234","caller_id_number":"9876500011","duration":"10","end_stamp":"2026-04-09 12:54:32","start_stamp":"2026-04-09 12:54:22","uuid":"69d76b2a1c3f0"}"#;
    let p = decode_request("POST", Some("application/json"), "", body).unwrap();
    assert_eq!(p["billing_circle"]["circle"], "Andhra Pradesh & Telangana");
    let v = validate(&p, None);
    assert_eq!(
        (v.trigger, v.valid()),
        (Some("missed"), true),
        "{:#?}",
        v.findings
    );
}

#[test]
fn the_dialer_dialect_is_parsed_and_not_held_to_end_minus_start() {
    let p = with(
        with(
            with(missed(), "start_stamp", json!("7/11/2026, 9:12:56 PM")),
            "end_stamp",
            json!("7/11/2026, 9:13:30 PM"),
        ),
        "duration",
        json!("90"),
    );
    let p = with(
        with(p, "direction", json!("Dialer (outbound)")),
        "call_to_number",
        json!(""),
    );
    let v = validate(&p, None);
    assert!(v.valid(), "{:#?}", v.findings);
    let p = with(p, "end_stamp", json!("7/11/2026, 9:12:50 PM"));
    assert_eq!(
        only(&validate(&p, None).findings, Code::Order).path,
        "/end_stamp"
    );
}

#[test]
fn a_resent_callback_is_a_duplicate() {
    let mut dedupe = Dedupe::default();
    let p = missed();
    let mut first = validate(&p, None);
    dedupe.check(Dedupe::key(&p), &mut first);
    assert!(first.findings.iter().all(|f| f.code != Code::Duplicate));
    let mut again = validate(&p, None);
    dedupe.check(Dedupe::key(&p), &mut again);
    let f = only(&again.findings, Code::Duplicate);
    assert_eq!(f.path, "/call_id");
    assert!(again.valid(), "a duplicate is a warning");
}

#[test]
fn stamps_that_run_backwards_are_an_order_finding_on_the_later_stamp() {
    let (at, before, after) = (
        "2026-04-09 12:54:30",
        "2026-04-09 12:54:10",
        "2026-04-09 12:56:00",
    );
    let answered = with(
        with(missed(), "answer_stamp", json!(at)),
        "end_stamp",
        json!(after),
    );
    let orders = |p: &Map<String, Value>| -> Vec<(String, String)> {
        validate(p, find_trigger("hangup"))
            .findings
            .into_iter()
            .filter(|f| f.code == Code::Order)
            .map(|f| (f.path, f.message))
            .collect()
    };
    assert_eq!(orders(&answered), []);
    // Answered before the call started.
    let early = with(
        answered.clone(),
        "start_stamp",
        json!("2026-04-09 12:55:00"),
    );
    assert_eq!(
        orders(&early),
        [(
            "/answer_stamp".to_string(),
            format!(
                "expected answer_stamp at or after start_stamp \"2026-04-09 12:55:00\", found \"{at}\""
            )
        )]
    );
    // Ended before it was answered.
    let late = with(answered, "end_stamp", json!(before));
    assert_eq!(
        orders(&late),
        [(
            "/end_stamp".to_string(),
            format!("expected end_stamp at or after answer_stamp \"{at}\", found \"{before}\"")
        )]
    );
    // Never answered: the end is held to the start.
    let unanswered = with(missed(), "end_stamp", json!(before));
    assert_eq!(
        orders(&unanswered),
        [(
            "/end_stamp".to_string(),
            "expected end_stamp at or after start_stamp \"2026-04-09 12:54:22\", found \"2026-04-09 12:54:10\"".to_string()
        )]
    );
}

#[test]
fn every_code_has_its_row_and_its_section_in_docs_rules_md() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let rules = std::fs::read_to_string(root.join("docs/rules.md")).unwrap();
    for code in Code::ALL {
        let name = code.name();
        let severity = code.severity().name();
        assert!(
            rules.contains(&format!("| `{name}` | {severity} |")),
            "docs/rules.md's summary has no `{name}` row ({severity})"
        );
        assert!(
            rules.contains(&format!("### `{name}`")),
            "docs/rules.md has no section for `{name}`"
        );
    }
}
