//! Captured callbacks as calls (README, "Calls, not requests"), on captures the real `servetel
//! listen` wrote from real `servetel fire --scenario` runs, then edited the ways production goes
//! wrong: each edit draws exactly its diagnostic, the clean capture none.

mod common;

use std::io::BufReader;
use std::process::Stdio;
use std::sync::OnceLock;

use serde_json::{Map, Value};
use servetel::calls::{Call, Event, Grouper, arrival_ms};
use servetel::render::call_summary;
use servetel::timestamp;

/// The scenarios of the shared capture, in the order they were fired.
const FIRED: [(&str, usize); 4] = [
    ("inbound-answered", 5),
    ("ivr-dtmf", 7),
    ("inbound-answered", 5),
    // `click_to_call` on its live events, `clicktocall` on its hangup: one call, no split.
    ("click-to-call", 3),
];

/// `servetel listen --save c.ndjson` on port 0, running until dropped.
struct Listening {
    child: std::process::Child,
    url: String,
    dir: tempfile::TempDir,
}

impl Listening {
    fn start() -> Listening {
        let dir = tempfile::tempdir().unwrap();
        let save = dir.path().join("c.ndjson");
        let mut child = common::servetel_process()
            .args(["listen", "--port", "0", "--save", save.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let port = common::readiness_port(&mut BufReader::new(child.stderr.as_mut().unwrap()));
        let url = format!("http://127.0.0.1:{port}/servetel");
        Listening { child, url, dir }
    }

    fn save(&self) -> std::path::PathBuf {
        self.dir.path().join("c.ndjson")
    }

    /// `servetel fire --scenario NAME --speed max` into the listener. Every record is on disk
    /// before its request is answered, so fire's exit is enough to read them.
    fn fire(&self, scenario: &str) {
        let out = common::run(&[
            "fire",
            "--scenario",
            scenario,
            "--speed",
            "max",
            "--to",
            &self.url,
            "-q",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    }

    /// `servetel replay` of these records into the listener.
    fn replay(&self, records: &[Value]) {
        let file = self.dir.path().join("again.ndjson");
        let text: String = records.iter().map(|r| format!("{r}\n")).collect();
        std::fs::write(&file, text).unwrap();
        let out = common::run(&["replay", file.to_str().unwrap(), "--to", &self.url, "-q"]);
        assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    }

    fn records(&self) -> Vec<Value> {
        std::fs::read_to_string(self.save())
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The records listen saved from `fire --scenario` runs of these scenarios.
fn listen_and_fire(scenarios: &[&str]) -> Vec<Value> {
    let listening = Listening::start();
    for s in scenarios {
        listening.fire(s);
    }
    listening.records()
}

/// The clean capture, made once for every test.
fn capture() -> Vec<Value> {
    static CAPTURE: OnceLock<Vec<Value>> = OnceLock::new();
    CAPTURE
        .get_or_init(|| listen_and_fire(&FIRED.map(|(s, _)| s)))
        .clone()
}

/// The records as `calls` reads them: an NDJSON capture file, streamed through the grouper.
fn calls_of(records: &[Value]) -> Vec<Call> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.ndjson");
    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&file, text).unwrap();
    let mut grouper = Grouper::new();
    let mut calls = Vec::new();
    servetel::input::read_paths(
        &[file],
        &mut |item| {
            let (event, payload) = Event::from_item(item);
            let summary = payload.map(|p| call_summary::summary(&p, false));
            calls.extend(grouper.push(event, summary));
            true
        },
        &mut |err| panic!("{err:#}"),
    );
    calls.extend(grouper.finish());
    calls
}

/// Each call's diagnostic codes, comma-separated.
fn codes(calls: &[Call]) -> Vec<String> {
    calls
        .iter()
        .map(|c| {
            let names: Vec<_> = c.diagnostics.iter().map(|d| d.code.name()).collect();
            names.join(",")
        })
        .collect()
}

fn payload(record: &Value) -> Map<String, Value> {
    serde_json::from_str(record["body"].as_str().unwrap()).unwrap()
}

/// Rewrites a record's request body (what `calls` decodes) and its `payload` alike.
fn edit_body(record: &mut Value, edit: impl FnOnce(&mut Map<String, Value>)) {
    let mut p = payload(record);
    edit(&mut p);
    record["body"] = Value::String(serde_json::to_string(&p).unwrap());
    record["payload"] = Value::Object(p);
}

fn received_at(record: &Value) -> i64 {
    arrival_ms(record["received_at"].as_str().unwrap()).unwrap()
}

fn set_received_at(record: &mut Value, ms: i64) {
    record["received_at"] = Value::String(timestamp::format_rfc3339_utc(
        ms.div_euclid(1000),
        ms.rem_euclid(1000) as u32,
    ));
}

/// Moves a record `secs` later: its arrival and every stamp of its payload, as if the call
/// happened then.
fn shift(record: &mut Value, secs: i64) {
    fn stamps(v: &mut Value, secs: i64) {
        match v {
            Value::String(s) => {
                if let Some(t) = timestamp::parse(s) {
                    *s = timestamp::format(t.epoch + secs, t.dialect);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| stamps(i, secs)),
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    match v {
                        Value::Number(n) if k == "time" => {
                            *v = serde_json::json!(n.as_f64().unwrap() + secs as f64)
                        }
                        _ => stamps(v, secs),
                    }
                }
                if let Some(start) = map.get("start_stamp").and_then(timestamp::stamp_of) {
                    let (date, time) = timestamp::format_date_time(start.epoch);
                    for (k, v) in [("start_date", date), ("start_time", time)] {
                        if map.contains_key(k) {
                            map.insert(k.to_string(), Value::String(v));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let at = received_at(record);
    set_received_at(record, at + secs * 1000);
    edit_body(record, |p| {
        let mut v = Value::Object(std::mem::take(p));
        stamps(&mut v, secs);
        *p = match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        };
    });
}

/// Where call `n` (from 0) of the shared capture starts, and its records.
fn span_of(n: usize) -> std::ops::Range<usize> {
    let start: usize = FIRED[..n].iter().map(|(_, k)| k).sum();
    start..start + FIRED[n].1
}

fn position(records: &[Value], call: usize, trigger: &str) -> usize {
    span_of(call)
        .find(|i| records[*i]["trigger"] == trigger)
        .unwrap_or_else(|| panic!("call {call} has no {trigger}"))
}

#[test]
fn a_clean_capture_shows_each_call_in_order_without_diagnostics() {
    let records = capture();
    let calls = calls_of(&records);
    assert_eq!(calls.len(), 4);
    for (call, (scenario, n)) in calls.iter().zip(FIRED) {
        assert_eq!(call.events.len(), n, "{scenario}");
        let steps = servetel::scenario::lookup(scenario).unwrap().steps;
        let triggers: Vec<_> = call
            .events
            .iter()
            .map(|e| e.trigger.unwrap().which)
            .collect();
        assert_eq!(triggers, steps);
        assert!(call.diagnostics.is_empty(), "{:?}", call.diagnostics);
    }
    for (n, call) in calls.iter().enumerate() {
        let first = payload(&records[span_of(n).start]);
        assert_eq!(call.call_id.as_deref(), first["call_id"].as_str());
    }
    let text = servetel::render::calls::text(&calls[0]);
    assert!(
        text.contains("5 events") && text.contains("no problems"),
        "{text}"
    );
    // The header line is listen's call summary, drawn from the hangup.
    assert!(text.contains(" → ") && text.contains("talking"), "{text}");
    assert_eq!(text.matches("✓ valid").count(), 5, "{text}");
}

#[test]
fn a_re_sent_callback_draws_duplicate() {
    let mut records = capture();
    let at = position(&records, 0, "hangup");
    let mut again = records[at].clone();
    set_received_at(&mut again, received_at(&records[at]) + 3_200);
    again["seq"] = Value::from(records.len() as u64 + 1);
    records.insert(at + 1, again);
    let calls = calls_of(&records);
    assert_eq!(codes(&calls), ["duplicate", "", "", ""]);
    let message = &calls[0].diagnostics[0].message;
    assert!(
        message.contains("hangup") && message.contains("3.2 s"),
        "{message}"
    );
    assert_eq!(calls[0].events.len(), 6);
}

#[test]
fn the_hangup_before_the_answer_draws_order() {
    let mut records = capture();
    let (answer, hangup) = (
        position(&records, 1, "answered-by-agent"),
        position(&records, 1, "hangup"),
    );
    // The requests change places; arrival times and seq stay where they were.
    for key in ["body", "payload", "trigger", "verdict", "headers"] {
        let a = records[answer][key].clone();
        records[answer][key] = records[hangup][key].clone();
        records[hangup][key] = a;
    }
    let calls = calls_of(&records);
    assert_eq!(codes(&calls), ["", "order", "", ""]);
    let message = &calls[1].diagnostics[0].message;
    assert!(message.starts_with("answered-by-agent"), "{message}");
    assert!(message.contains("after hangup"), "{message}");
}

#[test]
fn a_key_press_after_the_queue_draws_order_by_the_stamps() {
    let mut records = capture();
    let (dtmf, dept) = (
        position(&records, 1, "dtmf-option"),
        position(&records, 1, "received-on-department"),
    );
    for key in ["body", "payload", "trigger", "verdict", "headers"] {
        let a = records[dtmf][key].clone();
        records[dtmf][key] = records[dept][key].clone();
        records[dept][key] = a;
    }
    let calls = calls_of(&records);
    assert_eq!(codes(&calls), ["", "order", "", ""]);
    let message = &calls[1].diagnostics[0].message;
    let date = payload(&records[dept])["date"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains(&date), "{message} names {date}");
}

#[test]
fn a_lost_hangup_draws_incomplete_once_the_capture_went_on() {
    let mut records = capture();
    records.remove(position(&records, 0, "hangup"));
    // The capture stopped right after: the hangup may still be coming.
    assert_eq!(codes(&calls_of(&records)), ["", "", "", ""]);
    // Three hours of traffic later, it is lost.
    for r in &mut records[span_of(1).start - 1..] {
        shift(r, 3 * 3600);
    }
    let calls = calls_of(&records);
    assert_eq!(codes(&calls), ["incomplete", "", "", ""]);
    let message = &calls[0].diagnostics[0].message;
    assert!(
        message.contains("answered-by-agent") && message.contains("3h 00m"),
        "{message}"
    );
}

#[test]
fn a_delivery_45_s_after_its_stamp_draws_late() {
    let mut records = capture();
    let at = position(&records, 2, "hangup");
    let end = timestamp::parse(payload(&records[at])["end_stamp"].as_str().unwrap()).unwrap();
    set_received_at(&mut records[at], (end.epoch + 45) * 1000);
    let calls = calls_of(&records);
    assert_eq!(codes(&calls), ["", "", "late", ""]);
    let message = &calls[2].diagnostics[0].message;
    assert!(
        message.contains("45.0 s") && message.contains("end_stamp"),
        "{message}"
    );
}

#[test]
fn a_hangup_under_another_call_id_joins_its_call_and_draws_split() {
    let mut records = capture();
    let at = position(&records, 0, "hangup");
    edit_body(&mut records[at], |p| {
        p["call_id"] = Value::from("1796000000.999999");
    });
    let calls = calls_of(&records);
    assert_eq!(codes(&calls), ["split", "", "", ""]);
    assert_eq!(calls[0].events.len(), 5);
    let message = &calls[0].diagnostics[0].message;
    assert!(
        message.contains("call_id") && message.contains("1796000000.999999"),
        "{message}"
    );
}

#[test]
fn an_event_with_errors_draws_invalid() {
    let mut records = capture();
    let at = position(&records, 2, "hangup");
    edit_body(&mut records[at], |p| {
        p["billsec"] = Value::from("thirty");
    });
    let calls = calls_of(&records);
    assert_eq!(codes(&calls), ["", "", "invalid", ""]);
    assert!(
        calls[2].diagnostics[0].message.contains("/billsec"),
        "{:?}",
        calls[2].diagnostics
    );
}

/// The first call of the capture again and again under fresh ids (call `n` is
/// `1796000000.{n:06}`), one every `every` seconds, as it arrived; `lose(n)` drops call `n`'s
/// hangup. Returns each call with whether it closed before the input ended, and the most calls
/// open at once.
fn stream(calls: u64, every: i64, lose: fn(u64) -> bool) -> (Vec<(Call, bool)>, usize) {
    let records = capture();
    let one: Vec<Value> = records[span_of(0)].to_vec();
    let mut grouper = Grouper::new();
    let (mut out, mut most_open, mut line) = (Vec::new(), 0, 0);
    for n in 0..calls {
        for r in &one {
            if lose(n) && r["trigger"] == "hangup" {
                continue;
            }
            let mut r = r.clone();
            shift(&mut r, n as i64 * every);
            edit_body(&mut r, |p| {
                p["call_id"] = Value::from(format!("1796000000.{n:06}"));
                p["uuid"] = Value::from(format!("6b0f{n:09x}"));
            });
            line += 1;
            let (event, payload) = Event::from_item(servetel::input::Item {
                origin: servetel::input::Origin {
                    source: "c.ndjson".into(),
                    line: Some(line),
                    index: None,
                },
                content: servetel::input::Content::Value(r),
            });
            let summary = payload.map(|p| call_summary::summary(&p, false));
            out.extend(grouper.push(event, summary).into_iter().map(|c| (c, true)));
            most_open = most_open.max(grouper.open_calls());
        }
    }
    out.extend(grouper.finish().into_iter().map(|c| (c, false)));
    (out, most_open)
}

#[test]
fn memory_follows_the_open_calls_not_the_input() {
    let (calls, most_open) = stream(1200, 1, |_| false);
    assert_eq!(calls.len(), 1200);
    let problems: Vec<_> = calls.iter().flat_map(|(c, _)| &c.diagnostics).collect();
    assert!(problems.is_empty(), "{problems:?}");
    // A call closes once 1,000 records (200 calls) and 60 s (60 calls) followed its hangup.
    assert!(most_open <= 202, "{most_open} calls open at once");
    let early = calls.iter().filter(|(_, early)| *early).count();
    assert!(early >= 990, "{early} closed before the end");
}

#[test]
fn a_hangup_lost_in_a_long_capture_closes_its_call_as_incomplete_while_reading() {
    // One call every 8 s for 2h 40m; every 100th loses its hangup.
    let (calls, most_open) = stream(1200, 8, |n| n % 100 == 0);
    assert_eq!(calls.len(), 1200);
    let number = |c: &Call| -> u64 { c.call_id.as_ref().unwrap()[11..].parse().unwrap() };
    for (call, early) in &calls {
        let n = number(call);
        let codes: Vec<_> = call.diagnostics.iter().map(|d| d.code.name()).collect();
        if n % 100 != 0 {
            assert!(codes.is_empty(), "call {n}: {codes:?}");
        } else if n <= 200 {
            // More than 2 h of capture followed: closed while reading, its hangup lost.
            assert_eq!(codes, ["incomplete"], "call {n}");
            assert!(early, "call {n} waited for the end of the input");
        } else if n >= 400 {
            // Less than 2 h followed: the hangup may still be coming.
            assert!(codes.is_empty(), "call {n}: {codes:?}");
        }
    }
    assert!(most_open <= 240, "{most_open} calls open at once");
}

#[test]
fn a_queue_ringing_a_second_agent_is_no_duplicate_but_the_same_ring_again_is() {
    let records = capture();
    let at = position(&records, 0, "dialed-on-agent");
    let ring = |edit: bool| {
        let mut records = records.clone();
        let mut again = records[at].clone();
        if edit {
            // The next agent of the queue, rung a few seconds later.
            edit_body(&mut again, |p| {
                let date = timestamp::parse(p["date"].as_str().unwrap()).unwrap();
                p["date"] = Value::from(timestamp::format_ist(date.epoch + 4));
                if let Some(Value::Array(flow)) = p.get_mut("call_flow") {
                    flow.push(serde_json::json!({"type": "Agent", "id": "0507000000009",
                        "name": "Meera Iyer", "dialst": "Dialed", "time": date.epoch + 4}));
                }
            });
        }
        set_received_at(&mut again, received_at(&records[at]) + 4_000);
        records.insert(at + 1, again);
        codes(&calls_of(&records))
    };
    assert_eq!(ring(true), ["", "", "", ""]);
    assert_eq!(ring(false), ["duplicate", "", "", ""]);
}

#[test]
fn a_direction_that_changes_within_a_call_draws_split() {
    let mut records = capture();
    let at = position(&records, 0, "answered-by-agent");
    edit_body(&mut records[at], |p| {
        p["direction"] = Value::from("outbound");
    });
    let calls = calls_of(&records);
    assert_eq!(codes(&calls), ["split", "", "", ""]);
    let message = &calls[0].diagnostics[0].message;
    assert!(
        message.contains("direction") && message.contains("outbound"),
        "{message}"
    );
}

#[test]
fn two_fired_calls_show_as_two_calls_and_a_replayed_duplicate_exits_1() {
    let listening = Listening::start();
    listening.fire("inbound-answered");
    listening.fire("inbound-answered");
    let save = listening.save();
    let save = save.to_str().unwrap();
    let out = common::run(&["calls", save]);
    let text = common::stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", common::stderr(&out));
    assert_eq!(text.matches("── call ").count(), 2, "{text}");
    assert_eq!(text.matches("5 events  ✓ no problems").count(), 2, "{text}");
    assert!(common::stderr(&out).contains("2 calls, 0 with problems"));

    // The platform re-sends the first call's hangup.
    let records = listening.records();
    let hangup = records.iter().find(|r| r["trigger"] == "hangup").unwrap();
    listening.replay(std::slice::from_ref(hangup));
    let out = common::run(&["calls", save]);
    let text = common::stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("6 events  ✗ 1 problem"), "{text}");
    assert!(
        text.contains("duplicate  hangup (seq 11) delivered again"),
        "{text}"
    );

    // --problems keeps that call, --call the one named, json one object per call.
    let out = common::run(&["calls", save, "--problems"]);
    assert_eq!(common::stdout(&out).matches("── call ").count(), 1);
    let first = hangup["payload"]["call_id"].as_str().unwrap();
    let out = common::run(&["calls", save, "--call", first, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> = common::stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["call_id"], first);
    assert_eq!(lines[0]["events"].as_array().unwrap().len(), 6);
    assert_eq!(lines[0]["diagnostics"][0]["code"], "duplicate");
    let second = records[5]["payload"]["call_id"].as_str().unwrap();
    let out = common::run(&["calls", save, "--call", second]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let out = common::run(&["calls", save, "--call", "1796000000.000000"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(common::stdout(&out).is_empty());
    assert!(common::stderr(&out).contains("no call has call_id or uuid \"1796000000.000000\""));
}

#[test]
fn since_keeps_the_calls_active_after_the_moment_given() {
    let mut records = capture();
    // The first call happened three hours ago, the others just now.
    for i in span_of(0) {
        shift(&mut records[i], -3 * 3600);
    }
    // The second call's first events arrived three hours ago, its hangup just now: active in
    // the last hour, so shown whole.
    let second = span_of(1);
    for record in &mut records[second.start..second.end - 1] {
        let at = received_at(record);
        set_received_at(record, at - 3 * 3600 * 1000);
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.ndjson");
    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&file, text).unwrap();
    let file = file.to_str().unwrap();
    let ids = |args: &[&str]| -> Vec<String> {
        let out = common::run(&[&["calls", file, "--format", "json"], args].concat());
        common::stdout(&out)
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap()["call_id"].to_string())
            .collect()
    };
    let all = ids(&[]);
    assert_eq!(all.len(), FIRED.len());
    assert_eq!(ids(&["--since", "1h"]), all[1..]);
    assert_eq!(ids(&["--since", "4h"]), all);
    let out = common::run(&["calls", file, "--since", "1h", "--format", "json"]);
    let straddling: Value =
        serde_json::from_str(common::stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(
        straddling["events"].as_array().unwrap().len(),
        FIRED[1].1,
        "the call active since then is shown whole, its old events too"
    );
    // An absolute moment two hours ago, as the IST the platform writes and as RFC 3339.
    let moment = timestamp::now() - 2 * 3600;
    let (date, time) = timestamp::format_date_time(moment);
    assert_eq!(ids(&["--since", &format!("{date} {time}")]), all[1..]);
    let rfc = timestamp::format_rfc3339_utc(moment, 0);
    assert_eq!(ids(&["--since", &rfc]), all[1..]);

    let out = common::run(&["calls", file, "--since", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("expected a time like 30m (ago)"),
        "{}",
        common::stderr(&out)
    );
}

#[test]
fn an_unreadable_path_exits_2() {
    let out = common::run(&["calls", "/nonexistent/c.ndjson"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("servetel: error: cannot read /nonexistent/c.ndjson"));
}

#[test]
fn every_scenario_fire_sends_follows_the_lifecycle() {
    use servetel::catalog::lifecycle;
    for s in servetel::scenario::SCENARIOS {
        let phases: Vec<_> = s
            .steps
            .iter()
            .map(|t| lifecycle::step(*t).unwrap().phase)
            .collect();
        assert!(phases.windows(2).all(|w| w[0] <= w[1]), "{}", s.name);
    }
}

/// listen's pretty printout shows the call as a whole after its hangup (the same block
/// `servetel calls` draws), and again, with its diagnostic, when the hangup is delivered twice.
#[test]
fn listen_prints_the_whole_call_after_its_hangup() {
    let dir = tempfile::tempdir().unwrap();
    let printed = dir.path().join("printed.txt");
    let save = dir.path().join("c.ndjson");
    let mut child = common::servetel_process()
        .args(["listen", "--port", "0", "--color", "never", "--save"])
        .arg(&save)
        .stdout(std::fs::File::create(&printed).unwrap())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let port = common::readiness_port(&mut BufReader::new(child.stderr.as_mut().unwrap()));
    let url = format!("http://127.0.0.1:{port}/servetel");
    let fired = common::run(&[
        "fire",
        "--scenario",
        "inbound-answered",
        "--speed",
        "max",
        "--to",
        &url,
        "-q",
    ]);
    assert_eq!(fired.status.code(), Some(0), "{}", common::stderr(&fired));
    // The platform delivers the hangup again.
    let saved = std::fs::read_to_string(&save).unwrap();
    let again = dir.path().join("again.ndjson");
    std::fs::write(&again, format!("{}\n", saved.lines().last().unwrap())).unwrap();
    let sent = common::run(&["replay", again.to_str().unwrap(), "--to", &url, "-q"]);
    assert_eq!(sent.status.code(), Some(0), "{}", common::stderr(&sent));
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    child.wait().unwrap();
    let text = std::fs::read_to_string(&printed).unwrap();
    let blocks: Vec<&str> = text.lines().filter(|l| l.starts_with("── call ")).collect();
    assert_eq!(blocks.len(), 2, "one per hangup delivered:\n{text}");
    assert!(
        blocks[0].contains("5 events") && blocks[0].contains("no problems"),
        "{text}"
    );
    // The whole call comes after its hangup's own printout.
    let at = text.find("── call ").unwrap();
    assert!(text[..at].contains(" hangup (detected)"), "{text}");
    assert!(
        blocks[1].contains("6 events") && blocks[1].contains("1 problem"),
        "{text}"
    );
    assert!(text[at..].contains("duplicate"), "{text}");
}

/// listen keeps its calls in a bounded grouper: past the bound the oldest calls are let go.
#[test]
fn a_grouper_sheds_its_oldest_calls_past_a_bound() {
    let mut grouper = Grouper::new();
    for n in 0..10 {
        let mut payload = Map::new();
        payload.insert("call_id".into(), Value::from(format!("17000000{n:02}.1")));
        payload.insert("uuid".into(), Value::from(format!("u{n}")));
        let (event, _) = Event::from_payload(format!("#{n}"), None, Ok(payload), None);
        grouper.push(event, None);
    }
    assert_eq!(grouper.open_calls(), 10);
    grouper.shed(4);
    assert_eq!(grouper.open_calls(), 4);
    let left: Vec<String> = grouper
        .finish()
        .into_iter()
        .filter_map(|c| c.call_id)
        .collect();
    assert_eq!(
        left,
        [
            "1700000006.1",
            "1700000007.1",
            "1700000008.1",
            "1700000009.1"
        ]
    );
}
