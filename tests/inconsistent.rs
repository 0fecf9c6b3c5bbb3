//! The `inconsistent` warning (docs/rules.md): each rule fires on a contradiction, names the fields
//! on both sides, and stays quiet on the real-world exception beside it. The payloads are shaped
//! like REALWORLD's (field notes §3): one call per rule, not copies of one another.

mod common;

use serde_json::{Map, Value, json};
use servetel::catalog::find_trigger;
use servetel::validate::{Code, Finding, Severity, validate};

fn object(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn inconsistent(p: &Map<String, Value>, trigger: Option<&str>) -> Vec<Finding> {
    let v = validate(p, trigger.map(|t| find_trigger(t).unwrap()));
    v.findings
        .into_iter()
        .filter(|f| f.code == Code::Inconsistent)
        .collect()
}

fn one(p: &Map<String, Value>) -> Finding {
    let found = inconsistent(p, None);
    assert_eq!(found.len(), 1, "one inconsistent finding in {found:#?}");
    found.into_iter().next().unwrap()
}

/// An inbound call that went through an IVR to a queue, as the default hangup template sends it.
fn queue_call() -> Map<String, Value> {
    object(json!({
        "uuid": "69d8a1f2c04b1", "call_to_number": "8069871234", "caller_id_number": "9876500077",
        "start_stamp": "2026-04-10 11:02:10", "answer_stamp": "2026-04-10 11:02:31",
        "end_stamp": "2026-04-10 11:06:40", "billsec": "249", "direction": "inbound",
        "duration": "270",
        "answered_agent": {"id": "0507900100200", "name": "Vikram Singh", "number": "0607900100200"},
        "answered_agent_name": "Vikram Singh", "answered_agent_number": "+919876500066",
        "call_flow": [
            {"type": "init", "value": "1775799130.771204", "time": "1775799130"},
            {"type": "IVR", "id": "59726", "name": "Main IVR", "time": 1775799131},
            {"type": "Inbound Queue", "id": "7509", "name": "Sales", "time": 1775799136},
            {"type": "Agent", "id": "0507900100100", "name": "Arjun Iyer", "dialst": "Dialed", "num": "+919876500055", "time": 1775799136.25},
            {"type": "Agent", "id": "0507900100200", "name": "Vikram Singh", "dialst": "Answered", "num": "+919876500066", "time": 1775799151.25},
            {"type": "hangup", "time": 1775799400}
        ],
        "call_status": "answered", "call_id": "1775799130.771204", "outbound_sec": "249",
        "call_connected": "1", "hangup_cause_key": "NORMAL_CLEARING", "hangup_cause_code": "16"
    }))
}

#[test]
fn answered_on_a_call_that_is_not_connected_is_inconsistent() {
    // The shape of samples/hangup/invalid/condition--not-connected.json: "answered", yet
    // call_connected "0" and no answer time.
    let mut p = queue_call();
    for (k, v) in [
        ("call_connected", json!("0")),
        ("answered_agent", json!("")),
        ("answered_agent_name", json!("")),
        ("answer_stamp", json!("")),
        ("billsec", json!("0")),
        ("outbound_sec", json!("0")),
    ] {
        p.insert(k.into(), v);
    }
    let f = one(&p);
    assert_eq!(
        (f.severity, f.path.as_str()),
        (Severity::Warning, "/call_status")
    );
    assert!(f.message.contains("/call_connected \"0\""), "{}", f.message);
    // Detection reads call_connected (SPEC 5.2.1), so the payload is a missed call; the warning
    // is what says that its call_status disagrees.
    assert_eq!(validate(&p, None).trigger, Some("missed"));

    // Without the flag, only no agent and no answer time together say "not connected".
    p.remove("call_connected");
    assert!(one(&p).message.contains("/answer_stamp"));
    p.insert("answer_stamp".into(), json!("2026-04-10 11:02:31"));
    assert_eq!(inconsistent(&p, Some("hangup")), []);
}

#[test]
fn a_click_to_call_missed_by_the_customer_has_its_agent_leg_connected() {
    // Issue 19 item 5: call_status "missed" with call_connected "1" is what the platform sends
    // when the agent answered and the customer did not.
    let p = object(json!({
        "uuid": "69da2c64e0b7a", "call_to_number": "9876500011", "caller_id_number": "+918069990001",
        "start_stamp": "2026-04-11 16:10:36", "answer_stamp": "", "end_stamp": "2026-04-11 16:11:19",
        "billsec": "0", "direction": "clicktocall", "duration": "43",
        "answered_agent": {"id": "0507333000444", "name": "Priya Nair", "number": "0607333000444"},
        "answered_agent_name": "Priya Nair",
        "call_flow": [{"type": "ClickToCall", "name": "PJSIP%2F0607333000444", "time": "1775903436"}],
        "call_status": "missed", "call_connected": "1", "outbound_sec": "0",
        "call_id": "1775903436.486134", "reason_key": "noanswer", "hangup_cause_key": "NO_ANSWER"
    }));
    assert_eq!(inconsistent(&p, None), []);
    assert_eq!(inconsistent(&p, Some("missed-or-answered")), []);
}

#[test]
fn talk_time_longer_than_the_call_is_inconsistent_but_a_dialer_blank_billsec_is_not() {
    // A dialer call (REALWORLD §3: M/D/YYYY stamps, billsec "", agents as an array).
    let dialer = |outbound_sec: &str| {
        object(json!({
            "uuid": "6a97b26ce44df", "call_to_number": "", "caller_id_number": "918069871234",
            "start_stamp": "7/11/2026, 9:12:56 PM", "answer_stamp": "7/11/2026, 9:13:04 PM",
            "end_stamp": "7/11/2026, 9:15:40 PM", "billsec": "", "direction": "Dialer (outbound)",
            "duration": "164",
            "answered_agent": [{"id": "0505550005678", "name": "Vikram Singh", "number": "0607123456789"}],
            "broadcast_lead_fields": {"Phone_Number": "9876500011", "Name": "Meera Joshi"},
            "call_status": "answered", "call_id": "3f2b8c1e-7d4a-4e59-9a61-0c2f5d8e9b17",
            "outbound_sec": outbound_sec, "call_connected": "1"
        }))
    };
    let f = one(&dialer("342"));
    assert_eq!(f.path, "/outbound_sec");
    assert!(
        f.message.contains("/duration 164") && f.message.contains("342"),
        "{}",
        f.message
    );
    assert_eq!(inconsistent(&dialer("156"), None), []);

    // bridged_duration (the docs' variable) on an IVR call: 2 s of rounding is fine, more is not.
    let mut p = queue_call();
    p.insert("bridged_duration".into(), json!("272"));
    assert_eq!(inconsistent(&p, None), []);
    p.insert("bridged_duration".into(), json!("300"));
    assert_eq!(one(&p).path, "/bridged_duration");
}

#[test]
fn billsec_over_duration_stays_one_arith_error() {
    // The same talk time in billsec and outbound_sec, both over the call: one fact, one finding.
    let mut p = queue_call();
    p.insert("billsec".into(), json!("290"));
    p.insert("outbound_sec".into(), json!("290"));
    let v = validate(&p, None);
    let codes: Vec<Code> = v.findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, [Code::Arith], "{:#?}", v.findings);
    // A different figure in outbound_sec is its own contradiction.
    p.insert("outbound_sec".into(), json!("320"));
    assert_eq!(one(&p).path, "/outbound_sec");
}

#[test]
fn the_agent_who_took_the_call_in_call_flow_must_be_the_answered_agent() {
    let mut p = queue_call();
    // The queue's first agent, who only rang, reported as the one who answered.
    p.insert(
        "answered_agent".into(),
        json!({"id": "0507900100100", "name": "Arjun Iyer", "number": "0607900100100"}),
    );
    p.insert("answered_agent_name".into(), json!("Arjun Iyer"));
    let f = one(&p);
    assert_eq!(f.path, "/call_flow/4");
    assert!(
        f.message.contains("\"Vikram Singh\"")
            && f.message.contains("/answered_agent (\"Arjun Iyer\""),
        "{}",
        f.message
    );

    // REALWORLD: the flow's step may spell the agent `Ravi`, the agent object `Ravi-Extension`,
    // and an id may arrive as an integer (its leading 0 gone).
    let mut p = queue_call();
    p.insert(
        "answered_agent".into(),
        json!({"id": "0507900100200", "name": "Ravi-Extension", "number": "Extension-0602123456789"}),
    );
    p.insert("answered_agent_name".into(), json!("Ravi"));
    let flow = p["call_flow"].as_array_mut().unwrap();
    flow[4]["name"] = json!("Ravi");
    assert_eq!(inconsistent(&p, None), []);
    let flow = p["call_flow"].as_array_mut().unwrap();
    flow[4]["id"] = json!(507900100200u64);
    flow[4]["name"] = json!("Ravi K");
    assert_eq!(inconsistent(&p, None), []);
    // An agent object with an extension id and no name is still the step's agent by its phone.
    let flow = p["call_flow"].as_array_mut().unwrap();
    flow[4]["num"] = json!("+919876500066");
    p.insert(
        "answered_agent".into(),
        json!({"id": "0607900100200", "agent_number": "9876500066"}),
    );
    assert_eq!(inconsistent(&p, None), []);
    p["answered_agent"]["agent_number"] = json!("9876500099");
    assert_eq!(one(&p).path, "/call_flow/4");
}

#[test]
fn an_answered_agent_name_that_names_nobody_in_answered_agent_is_inconsistent() {
    // Issue 12: the agent object renamed, answered_agent_name left on the old agent.
    let mut p = queue_call();
    p.insert("answered_agent_name".into(), json!("Priya Nair"));
    let f = one(&p);
    assert_eq!(f.path, "/answered_agent_name");
    assert!(
        f.message.contains("/answered_agent/name \"Vikram Singh\"")
            && f.message.contains("\"Priya Nair\""),
        "{}",
        f.message
    );

    // Abbreviated names (REALWORLD §3) are the same agent; so is a dialer call's last agent.
    for name in ["Vikram", "Vikram S", "vikram singh", "V Singh"] {
        p.insert("answered_agent_name".into(), json!(name));
        assert_eq!(inconsistent(&p, None), [], "{name}");
    }
    p.insert(
        "answered_agent".into(),
        json!([{"id": "0505550001234", "name": "Asha Rao"}, {"id": "0507900100200", "name": "Vikram Singh"}]),
    );
    p.insert("answered_agent_name".into(), json!("Vikram Singh"));
    assert_eq!(inconsistent(&p, None), []);
    // A literal placeholder says nothing about the agent.
    p.insert("answered_agent_name".into(), json!("$answered_agent_name"));
    assert_eq!(inconsistent(&p, None), []);
}

#[test]
fn strict_fails_the_payload_and_the_samples_named_in_issue_12_draw_it() {
    let root = common::root();
    let not_connected = root.join("samples/hangup/invalid/condition--not-connected.json");
    let dialer = root.join("samples/hangup/dialer-call.json");
    for (path, field) in [(&not_connected, "/call_status"), (&dialer, "/outbound_sec")] {
        let path = path.to_str().unwrap();
        let out = common::run(&["validate", "--format", "json", path]);
        let result: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
        assert_eq!(result["valid"], true, "a warning: {result}");
        assert!(
            result["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["code"] == "inconsistent"
                    && f["path"] == field
                    && f["severity"] == "warning"),
            "{result}"
        );
        let out = common::run(&["validate", "--strict", path]);
        assert_eq!(out.status.code(), Some(1), "{}", common::stdout(&out));
        assert!(common::stdout(&out).contains("error   inconsistent"));
    }
}

#[test]
fn realworld_examples_draw_no_inconsistent() {
    let dir = common::root().join("tests/fixtures/realworld");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let p: Map<String, Value> =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let v = validate(&p, None);
        assert!(v.valid(), "{}: {:#?}", path.display(), v.findings);
        assert!(
            v.findings.iter().all(|f| f.code != Code::Inconsistent),
            "{}: {:#?}",
            path.display(),
            v.findings
        );
        checked += 1;
    }
    assert!(checked >= 4, "{checked} fixtures");
}
