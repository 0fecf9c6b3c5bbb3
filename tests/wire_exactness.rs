//! validate reads the wire exactly (issue 19): observed extras only on the triggers they are seen
//! on, dates that do not exist, a BOM before NDJSON, and `duration` against ISO stamps. Payloads
//! are shaped like the field notes' (docs/wire.md quotes them).

mod common;

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};
use servetel::catalog::{self, Evidence, TRIGGERS};
use servetel::validate::{Code, validate};

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => unreachable!("payloads are objects"),
    }
}

/// The findings of a payload checked as `trigger` (detected when `None`), as (code, path).
fn findings(payload: Value, trigger: Option<&str>) -> Vec<(Code, String)> {
    let trigger = trigger.map(|id| catalog::find_trigger(id).expect("a trigger id"));
    validate(&object(payload), trigger)
        .findings
        .into_iter()
        .map(|f| (f.code, f.path))
        .collect()
}

fn messages(payload: Value, trigger: &str, code: Code) -> Vec<String> {
    validate(&object(payload), catalog::find_trigger(trigger))
        .findings
        .into_iter()
        .filter(|f| f.code == code)
        .map(|f| format!("{}: {}", f.path, f.message))
        .collect()
}

// ── 1. Observed extras by trigger ────────────────────────────────────────────────────────────

#[test]
fn the_click_to_call_answered_by_agent_shape_passes_strict() {
    let sample = common::root().join("samples/answered-by-agent/click-to-call.json");
    let out = common::run(&["validate", "--strict", sample.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        common::stdout(&out),
        common::stderr(&out)
    );
    assert!(common::stderr(&out).contains("1 valid, 0 invalid, 0 warnings"));

    // The same shape in Go's sorted key order, another tenant's numbers, detected, not given.
    let payload = json!({
        "answer_agent_number": "+919876500033",
        "billing_circle": {"operator": "Reliance Mobile GSM", "circle": "Delhi"},
        "call_id": "HYD1-D4-1790798403.486134",
        "call_status": "Answered by agent",
        "call_to_number": "919876500011",
        "caller_id_number": "+918069990002",
        "customer_no_with_prefix ": "0919876500011",
        "direction": "click_to_call",
        "start_stamp": "2026-09-30 21:30:03",
        "uuid": "6a9c2b3e7d0f1"
    });
    let verdict = validate(&object(payload), None);
    assert_eq!(verdict.trigger, Some("answered-by-agent"));
    assert!(verdict.findings.is_empty(), "{:?}", verdict.findings);
}

#[test]
fn hangup_family_extras_are_unknown_where_no_payload_shows_them() {
    // A DTMF event from an inbound IVR call, carrying hangup-template keys it never carries.
    let dtmf = json!({
        "uuid": "69d7585e0bc1a",
        "call_to_number": "+918069990001",
        "caller_id_number": "9876500011",
        "digit_pressed": "2",
        "date": "2026-04-09 12:54:31",
        "direction": "inbound",
        "call_id": "1775719461.306731",
        "billing_circle": {"operator": "Vodafone Idea", "circle": "Karnataka"},
        "outbound_sec": "0",
        "call_status": "answered"
    });
    let found = findings(dtmf, Some("dtmf-option"));
    let unknown: BTreeSet<&str> = found
        .iter()
        .filter(|(code, _)| *code == Code::Unknown)
        .map(|(_, path)| path.as_str())
        .collect();
    assert_eq!(
        unknown,
        BTreeSet::from(["/billing_circle", "/call_status", "/outbound_sec"]),
        "{found:?}"
    );

    // The prefixed-number key on a department event: not shown there either.
    let department = json!({
        "uuid": "69d7585e0bc1b",
        "call_to_number": "+918069990001",
        "caller_id_number": "9876500012",
        "date": "2026-04-09 12:55:02",
        "dept_id": "6418",
        "dept_name": "Sales",
        "call_id": "1775719502.118201",
        "customer_no_with_prefix ": "+919876500012"
    });
    assert_eq!(
        findings(department, None),
        vec![(Code::Unknown, "/customer_no_with_prefix ".to_string())]
    );
}

#[test]
fn a_missed_call_carries_the_whole_default_template_without_unknown_keys() {
    let missed = json!({
        "uuid": "69d7585e0bc1c", "call_to_number": "+918069990001", "caller_id_number": "9876500013",
        "start_stamp": "2026-04-09 13:02:10", "answer_stamp": "", "end_stamp": "2026-04-09 13:02:41",
        "billsec": "0", "digits_dialed": "", "direction": "inbound", "duration": "31",
        "answered_agent": "", "answered_agent_name": "", "answered_agent_number": "",
        "missed_agent": [{"id": "0507111", "name": "Asha", "number": "0607111"}],
        "call_flow": [{"type": "init", "value": "1775719930.200001", "time": "1775719930"}],
        "broadcast_lead_fields": "", "recording_url": "", "recording_name": "",
        "call_status": "missed", "call_id": "1775719930.200001", "outbound_sec": "0",
        "agent_ring_time": "18", "agent_transfer_ring_time": "0",
        "billing_circle": {"circle": "Delhi", "operator": "Bharti Airtel"}, "call_connected": "0",
        "aws_call_recording_identifier": "", "customer_no_with_prefix ": "09876500013",
        "campaign_name": "", "campaign_id": "", "customer_ring_time": "0",
        "reason_key": "noanswer", "hangup_cause_description": "No answer from user (user alerted)",
        "hangup_cause_code": "19", "hangup_cause_key": "NO_ANSWER", "ref_id": ""
    });
    assert_eq!(findings(missed, None), vec![]);
}

/// docs/wire.md's "Observed extras by trigger" table is the catalog's data, row by row: each
/// key's "offered on" column names exactly the triggers whose catalog offers it.
#[test]
fn the_extras_table_in_docs_matches_the_catalog() {
    let doc = std::fs::read_to_string(common::root().join("docs/wire.md")).unwrap();
    let section = doc
        .split("## Observed extras by trigger")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("docs/wire.md has the section");
    // The hangup family: missed, hangup, missed-or-answered and Smartflo/Acefone's three.
    let family: Vec<&str> = TRIGGERS
        .iter()
        .filter(|t| t.is_hangup_family())
        .map(|t| t.id)
        .collect();
    let mut documented = BTreeSet::new();
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let (keys, offered) = (cells[1], cells[2]);
        let expected: BTreeSet<&str> = TRIGGERS
            .iter()
            .map(|t| t.id)
            .filter(|id| {
                offered.contains("every trigger")
                    || (offered.contains("hangup family") && family.contains(id))
                    || offered
                        .split(|c: char| !(c.is_ascii_lowercase() || c == '-'))
                        .any(|word| word == *id)
            })
            .collect();
        for key in keys.split('`').skip(1).step_by(2) {
            if key.starts_with('$') {
                continue; // the variable a key stands for, not a key
            }
            let actual: BTreeSet<&str> = TRIGGERS
                .iter()
                .filter(|t| t.var_for_key(key).is_some())
                .map(|t| t.id)
                .collect();
            assert_eq!(actual, expected, "`{key}`: docs/wire.md says {offered:?}");
            documented.insert(key.trim_end().to_string());
        }
    }
    for t in TRIGGERS {
        for var in t.variables().filter(|v| v.evidence == Evidence::Observed) {
            assert!(
                documented.contains(var.key.trim_end()),
                "`{}` (on {}) has no row in docs/wire.md's extras table",
                var.key,
                t.id
            );
        }
    }
}

// ── 2. Dates that do not exist ───────────────────────────────────────────────────────────────

fn answered_call(start: &str, answer: &str, end: &str, duration: &str) -> Value {
    json!({
        "uuid": "69d7585e0bc1d", "call_to_number": "+918069990001", "caller_id_number": "+919876500014",
        "start_stamp": start, "answer_stamp": answer, "end_stamp": end,
        "billsec": "30", "duration": duration, "direction": "inbound", "call_status": "answered",
        "call_connected": "1", "call_id": "1775719462.306800",
        "answered_agent": {"id": "0507222", "name": "Ravi", "number": "0607222"}
    })
}

#[test]
fn impossible_dates_are_format_errors_that_name_the_stamp_in_every_dialect() {
    for (start, end) in [
        // ISO, the issue's own: 30 February.
        ("2026-02-30T11:05:00+05:30", "2026-03-02T11:06:00+05:30"),
        ("2026-13-01 10:00:00", "2027-01-01 10:01:00"),
        ("2026-04-09 24:00:00", "2026-04-10 00:01:00"),
        ("2026-04-09T12:60:00Z", "2026-04-09T13:01:00Z"),
        ("2/29/2026, 9:12:56 PM", "3/1/2026, 9:13:56 PM"),
        ("4/31/2026, 9:60:00 AM", "5/1/2026, 9:01:00 AM"),
        // 2100 is no leap year (divisible by 100, not by 400).
        ("2100-02-29T10:00:00+05:30", "2100-03-01T10:01:00+05:30"),
    ] {
        let call = answered_call(start, "", end, "60");
        let format = messages(call, "hangup", Code::Format);
        assert_eq!(format.len(), 1, "{start}: {format:?}");
        assert!(
            format[0].starts_with("/start_stamp: expected a date and time that exist")
                && format[0].contains(&format!("\"{start}\"")),
            "{start}: {format:?}"
        );
    }

    // 29 February in leap years, in each dialect, is a date like any other.
    for (start, end) in [
        ("2028-02-29T10:00:00+05:30", "2028-02-29T10:01:00+05:30"),
        ("2028-02-29 10:00:00", "2028-02-29 10:01:00"),
        ("2/29/2028, 11:59:59 PM", "3/1/2028, 12:00:59 AM"),
        ("2000-02-29T04:30:00Z", "2000-02-29T04:31:00Z"),
    ] {
        let call = answered_call(start, "", end, "60");
        assert_eq!(findings(call, Some("hangup")), vec![], "{start}");
    }
}

#[test]
fn impossible_dates_in_date_fields_and_pairs_are_format_errors_too() {
    let dtmf = json!({
        "uuid": "69d7585e0bc1e", "call_to_number": "+918069990001", "caller_id_number": "9876500015",
        "digit_pressed": "#", "date": "2026-06-31 10:00:00"
    });
    let format = messages(dtmf, "dtmf-option", Code::Format);
    assert!(
        format.len() == 1
            && format[0].starts_with("/date: expected a date and time that exist")
            && format[0].contains("2026-06-31"),
        "{format:?}"
    );
    // A stamp in no dialect at all is still told the dialects.
    let dtmf = json!({
        "uuid": "69d7585e0bc1e", "call_to_number": "+918069990001", "caller_id_number": "9876500015",
        "digit_pressed": "#", "date": "2026-06-30T10:00:00"
    });
    let format = messages(dtmf, "dtmf-option", Code::Format);
    assert!(
        format.len() == 1 && format[0].contains("ISO 8601 with an offset"),
        "{format:?}"
    );

    // A dialer "connected"-style pair on an IVR event: 2/30 is no date, 24:00:00 no time.
    let ivr = json!({
        "uuid": "69d7585e0bc1f", "call_to_number": "+918069990001", "caller_id_number": "9876500016",
        "ivr_id": "59726", "ivr_name": "Main IVR", "start_date": "2/30/2026", "start_time": "24:00:00"
    });
    let format = messages(ivr, "answered-on-ivr", Code::Format);
    assert_eq!(format.len(), 2, "{format:?}");
    assert!(
        format[0].starts_with("/start_date: expected a date and time that exist")
            && format[1].starts_with("/start_time: expected a date and time that exist"),
        "{format:?}"
    );
}

// ── 3. A BOM before NDJSON ───────────────────────────────────────────────────────────────────

#[test]
fn a_bom_at_the_start_of_an_ndjson_file_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let lines = concat!(
        "{\"uuid\":\"69d7585e0bc20\",\"call_to_number\":\"+918069990001\",\"caller_id_number\":\"9876500017\",\"digit_pressed\":\"1\",\"date\":\"2026-04-09 12:54:31\"}\n",
        "{\"uuid\":\"69d7585e0bc21\",\"call_to_number\":\"+918069990001\",\"caller_id_number\":\"9876500018\",\"channel_id\":\"PJSIP/trunk-0000a1\",\"start_stamp\":\"2026-04-09 12:56:02\"}\n",
    );
    // Windows editors write one; a `.ndjson` name and a sniffed one go through different paths.
    for name in ["captures.ndjson", "captures.log"] {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("\u{feff}{lines}")).unwrap();
        let out = common::run(&["validate", "--format", "json", path.to_str().unwrap()]);
        let stdout = common::stdout(&out);
        assert_eq!(out.status.code(), Some(0), "{name}: {stdout}");
        let results: Vec<Value> = stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let seen: Vec<(Value, Value)> = results
            .iter()
            .map(|r| (r["line"].clone(), r["trigger"].clone()))
            .collect();
        assert_eq!(
            seen,
            vec![
                (json!(1), json!("dtmf-option")),
                (json!(2), json!("received-on-server"))
            ],
            "{name}"
        );
    }
}

// ── 4. ISO stamps and `arith` ────────────────────────────────────────────────────────────────

#[test]
fn duration_is_held_to_end_minus_start_on_iso_stamps_compared_as_instants() {
    // 07:24:22Z is 12:54:22 IST: start in UTC, answer offset-less IST, end with +05:30. The call
    // lasts 100 s; a wall-clock reading would make it 5 h 30 min longer.
    let (start, answer, end) = (
        "2026-04-09T07:24:22Z",
        "2026-04-09 12:54:50",
        "2026-04-09T12:56:02+05:30",
    );
    for (duration, off) in [
        ("100", false),
        ("102", false),
        ("98", false),
        ("103", true),
        ("97", true),
    ] {
        let arith = messages(
            answered_call(start, answer, end, duration),
            "hangup",
            Code::Arith,
        );
        if off {
            assert!(
                arith.len() == 1
                    && arith[0].starts_with("/duration: ")
                    && arith[0].contains("= 100 s"),
                "duration {duration}: {arith:?}"
            );
        } else {
            assert_eq!(arith, Vec::<String>::new(), "duration {duration}");
        }
    }

    // ISO at both ends, a negative offset and fractional seconds: still instants.
    let arith = messages(
        answered_call(
            "2026-04-09T01:54:22.500-05:30",
            "",
            "2026-04-09T07:34:22Z",
            "40",
        ),
        "hangup",
        Code::Arith,
    );
    assert!(
        arith.len() == 1 && arith[0].contains("= 600 s"),
        "{arith:?}"
    );

    // The dialer dialect stays exempt (its clock differs): the rule names the two it holds.
    let dialer = answered_call(
        "4/9/2026, 12:54:22 PM",
        "",
        "2026-04-09T12:56:02+05:30",
        "400",
    );
    assert_eq!(
        messages(dialer, "hangup", Code::Arith),
        Vec::<String>::new()
    );
}
