//! `servetel fire` against a receiver on 127.0.0.1 that records what arrives: every trigger in
//! every encoding arrives decodable and valid, scenarios arrive in order as one call, `--set`
//! reaches nested fields, mistakes send nothing, and each failure has its exit code.

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::receiver::{Received, Receiver};
use common::{run, stderr, stdout};
use serde_json::{Map, Value};
use servetel::catalog::{TRIGGERS, find_trigger};
use servetel::validate::validate;

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

/// The three ways the portal sends a webhook: flags, method, Content-Type.
const ENCODINGS: &[(&[&str], &str, Option<&str>)] = &[
    (&[], "POST", Some("application/json")),
    (
        &["--encoding", "form"],
        "POST",
        Some("application/x-www-form-urlencoded"),
    ),
    (&["--method", "GET"], "GET", None),
];

#[test]
fn every_trigger_in_every_encoding_arrives_decodable_and_valid() {
    let receiver = Receiver::start();
    let mut sent = Vec::new();
    for trigger in TRIGGERS {
        for (flags, method, content_type) in ENCODINGS {
            let url = receiver.url(&format!("/hook/{}", trigger.id));
            let mut args = vec!["fire", trigger.id, "--to", &url, "--seed", "11"];
            args.extend_from_slice(flags);
            let out = run(&args);
            assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
            sent.push((trigger, *method, *content_type));
        }
    }
    let received = receiver.assert_hits(sent.len());
    let mut capture = String::new();
    for (i, (r, (trigger, method, content_type))) in received.iter().zip(&sent).enumerate() {
        assert_eq!(r.path(), format!("/hook/{}", trigger.id));
        assert_eq!(r.method, *method, "{}", trigger.id);
        assert_eq!(r.header("content-type"), *content_type, "{}", trigger.id);
        if *method == "GET" {
            assert!(r.body.is_empty() && !r.query().is_empty());
        }
        let verdict = validate(&r.payload(), Some(trigger));
        assert!(
            verdict.valid(),
            "{} {method}: {:?}",
            trigger.id,
            verdict.findings
        );
        capture.push_str(&r.capture_record(i + 1, Some(trigger.id)).to_string());
        capture.push('\n');
    }
    // And `servetel validate` agrees, reading them as capture records.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("capture.ndjson");
    std::fs::write(&file, capture).unwrap();
    let out = run(&["validate", "--format", "json", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let results = json_lines(&stdout(&out));
    assert_eq!(results.len(), sent.len());
    for (result, (trigger, ..)) in results.iter().zip(&sent) {
        assert_eq!(result["trigger"], trigger.id);
        assert_eq!(result["valid"], true, "{result}");
    }
}

/// A receiver written the way integrators write them: Python's http.server, `json.loads` for
/// JSON bodies, `parse_qs` for form bodies and query strings, nested values read as JSON text.
const PYTHON_RECEIVER: &str = r#"
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

class Hook(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.record(parse_qs(urlparse(self.path).query, keep_blank_values=True), True)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Type", "").startswith("application/json"):
            self.record(json.loads(body), False)
        else:
            self.record(parse_qs(body.decode(), keep_blank_values=True), True)

    def record(self, data, form):
        fields = {}
        for key, value in data.items():
            if form:
                value = value[0]
                if value[:1] in ("{", "["):
                    value = json.loads(value)
            fields[key] = value
        print(json.dumps({"path": urlparse(self.path).path, "fields": fields}), flush=True)
        reply = b'{"ok":true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
"#;

#[test]
fn an_integrators_python_receiver_reads_every_field() {
    let Ok(mut python) = Command::new("python3")
        .arg("-c")
        .arg(PYTHON_RECEIVER)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        eprintln!("python3 is not installed: skipping the Python receiver test");
        return;
    };
    let mut lines = BufReader::new(python.stdout.take().unwrap());
    let mut first = String::new();
    lines.read_line(&mut first).unwrap();
    let port: u16 = first.trim().strip_prefix("PORT ").unwrap().parse().unwrap();
    let mut expected = Vec::new();
    let mut seen = Vec::new();
    for trigger in TRIGGERS {
        let sample = run(&["sample", trigger.id, "--seed", "5"]);
        let sample: Map<String, Value> = serde_json::from_slice(&sample.stdout).unwrap();
        for (flags, ..) in ENCODINGS {
            let url = format!("http://127.0.0.1:{port}/{}", trigger.id);
            let mut args = vec!["fire", trigger.id, "--to", &url, "--seed", "5", "-q"];
            args.extend_from_slice(flags);
            let out = run(&args);
            assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
            expected.push((trigger.id, flags.is_empty(), sample.clone()));
            // Read as it goes: a receiver whose stdout pipe is full stops answering.
            let mut line = String::new();
            lines.read_line(&mut line).unwrap();
            seen.push(serde_json::from_str::<Value>(&line).unwrap());
        }
    }
    python.kill().unwrap();
    python.wait().unwrap();
    for (got, (id, is_json, sample)) in seen.iter().zip(&expected) {
        assert_eq!(got["path"], format!("/{id}"));
        let fields = got["fields"].as_object().unwrap();
        // Form and query values are text: a JSON number in the sample arrives as its digits.
        let want: Map<String, Value> = sample
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    Value::Number(n) if !is_json => Value::String(n.to_string()),
                    other => other.clone(),
                };
                (k.clone(), v)
            })
            .collect();
        assert_eq!(fields, &want, "{id} (json: {is_json})");
    }
}

#[test]
fn scenarios_arrive_in_order_as_one_call() {
    // The scenario sequences (README, "Play a whole call"), written here and nowhere else in the tests.
    for (name, steps) in [
        (
            "inbound-answered",
            &[
                "received-on-server",
                "answered-on-ivr",
                "dialed-on-agent",
                "answered-by-agent",
                "hangup",
            ][..],
        ),
        (
            "inbound-missed",
            &[
                "received-on-server",
                "answered-on-ivr",
                "dialed-on-agent",
                "missed",
            ][..],
        ),
        (
            "ivr-dtmf",
            &[
                "received-on-server",
                "answered-on-ivr",
                "dtmf-option",
                "received-on-department",
                "dialed-on-agent",
                "answered-by-agent",
                "hangup",
            ][..],
        ),
        (
            "click-to-call",
            &["answered-by-customer", "answered-by-agent", "hangup"][..],
        ),
        (
            "click-to-call-missed-by-customer",
            &["missed-by-customer", "missed"][..],
        ),
        (
            "agent-hangup",
            &[
                "received-on-server",
                "dialed-on-agent",
                "answered-by-agent",
                "answered-by-agent-hangup",
                "hangup",
            ][..],
        ),
        (
            "agent-missed",
            &[
                "received-on-server",
                "dialed-on-agent",
                "missed-by-agent-hangup",
                "missed",
            ][..],
        ),
        (
            "session-call",
            &["received-on-server", "session-call-answered", "hangup"][..],
        ),
        (
            "dialer-answered",
            &["connected-to-agent", "hangup", "disposition-updated"][..],
        ),
        ("dialer-missed", &["missed", "disposition-updated"][..]),
        ("broadcast", &["connected-to-agent", "hangup"][..]),
    ] {
        let receiver = Receiver::start();
        let url = receiver.url("/servetel");
        let out = run(&[
            "fire",
            "--scenario",
            name,
            "--speed",
            "max",
            "--to",
            &url,
            "--format",
            "json",
        ]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let received = receiver.assert_hits(steps.len());
        let events = json_lines(&stdout(&out));
        let triggers: Vec<&str> = events
            .iter()
            .map(|e| e["trigger"].as_str().unwrap())
            .collect();
        assert_eq!(triggers, steps, "{name}");
        let payloads: Vec<_> = received.iter().map(Received::payload).collect();
        for (p, step) in payloads.iter().zip(steps) {
            let verdict = validate(p, find_trigger(step));
            assert!(verdict.valid(), "{name} {step}: {:?}", verdict.findings);
            assert_eq!(p["call_id"], payloads[0]["call_id"], "{name} {step}");
            assert_eq!(p["uuid"], payloads[0]["uuid"], "{name} {step}");
        }
        // The body never names the trigger: each arrived in the order the steps say, which
        // detection confirms where the variables tell.
        let detected: Vec<_> = payloads.iter().map(|p| validate(p, None).trigger).collect();
        assert_eq!(detected.last().unwrap(), &Some(*steps.last().unwrap()));
    }
}

#[test]
fn scenario_gaps_follow_the_calls_own_clock_unless_sped_up() {
    let dry = |speed: &str| {
        let out = run(&[
            "fire",
            "--scenario",
            "inbound-answered",
            "--seed",
            "3",
            "--speed",
            speed,
            "--to",
            "http://127.0.0.1:9/",
            "--dry-run",
            "--format",
            "json",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        json_lines(&stdout(&out))
            .iter()
            .map(|r| r["wait_ms"].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    let real = dry("1");
    assert_eq!(real[0], 0);
    assert!(real[4] >= 20_000, "talk time before the hangup: {real:?}");
    let fast = dry("10");
    assert_eq!(fast[4], real[4] / 10);
    assert!(dry("max").iter().all(|w| *w == 0));
}

#[test]
fn set_reaches_nested_fields_in_every_encoding() {
    let receiver = Receiver::start();
    let url = receiver.url("/hook");
    for flags in [
        &[][..],
        &["--encoding", "form"][..],
        &["--method", "GET"][..],
    ] {
        let mut args = vec![
            "fire",
            "hangup",
            "--to",
            &url,
            "--set",
            "answered_agent.name=Zoya Khan",
            "--set",
            "call_flow.0.type=start",
            "--set",
            "billing_circle.circle=Kerala",
            "--set",
            "recording_url=",
            "--set",
            "call_connected=1",
        ];
        args.extend_from_slice(flags);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    for r in receiver.assert_hits(3) {
        let p = r.payload();
        assert_eq!(p["answered_agent"]["name"], "Zoya Khan", "{}", r.method);
        assert_eq!(p["call_flow"][0]["type"], "start");
        assert_eq!(p["billing_circle"]["circle"], "Kerala");
        assert_eq!(p["recording_url"], "");
    }
}

#[test]
fn unknown_set_keys_send_nothing() {
    let receiver = Receiver::start();
    let url = receiver.url("/hook");
    for (args, hint) in [
        (
            vec!["fire", "hangup", "--to", &url, "--set", "bilsec=3"],
            "did you mean `billsec`?",
        ),
        (
            vec![
                "fire",
                "hangup",
                "--outcome",
                "answered",
                "--to",
                &url,
                "--set",
                "answered_agent.nme=x",
            ],
            "did you mean `answered_agent.name`?",
        ),
        (
            vec![
                "fire",
                "--scenario",
                "ivr-dtmf",
                "--speed",
                "max",
                "--to",
                &url,
                "--set",
                "digit_presed=5",
            ],
            "did you mean `digit_pressed`?",
        ),
        (
            vec![
                "fire", "hangup", "--count", "50", "--to", &url, "--set", "uuidd=x",
            ],
            "did you mean `uuid`?",
        ),
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(hint), "{err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
    }
    receiver.assert_hits(0);
}

/// `--set` is raw: an edit that breaks the call is shown before anything goes, and only what the
/// edit broke (the real profile's own literal placeholders are no news).
#[test]
fn a_set_that_breaks_the_call_shows_its_findings_first() {
    let dry = |set: &str| {
        let out = run(&[
            "fire",
            "hangup",
            "--seed",
            "7",
            "--dry-run",
            "--to",
            "http://127.0.0.1:9/h",
            "--set",
            set,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stderr(&out)
    };
    let err = dry("billsec=9999");
    assert!(err.contains("#1 hangup (edited)"), "{err}");
    assert!(err.contains("/billsec"), "{err}");
    assert!(!err.contains("unresolved"), "not the edit's doing: {err}");
    let err = dry("recording_name=greeting.mp3");
    assert!(!err.contains("(edited)"), "a harmless edit: {err}");
}

/// The call-level flags reach a whole scenario: every event says the same caller and agent.
#[test]
fn call_facts_reach_every_event_of_a_scenario() {
    let receiver = Receiver::start();
    let url = receiver.url("/hook");
    let out = run(&[
        "fire",
        "--scenario",
        "inbound-answered",
        "--speed",
        "max",
        "--to",
        &url,
        "--caller",
        "+91 98765 43210",
        "--agent",
        "Asha Rao",
        "--agent",
        "Ravi Kumar:9876500022",
        "--talk",
        "90s",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for r in receiver.assert_hits(5) {
        let p = r.payload();
        let caller = p["caller_id_number"].as_str().unwrap();
        assert!(caller.ends_with("9876543210"), "{caller}");
        let body = Value::Object(p.clone()).to_string();
        for step in p
            .get("call_flow")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if step["type"] == "Agent" {
                assert!(
                    ["Asha Rao", "Ravi Kumar"].contains(&step["name"].as_str().unwrap()),
                    "{body}"
                );
            }
        }
        if p.contains_key("end_stamp") {
            assert_eq!(p["answered_agent_name"], "Ravi Kumar");
            assert_eq!(p["answered_agent_number"], "9876500022");
            assert_eq!(p["missed_agent"][0]["name"], "Asha Rao");
            assert_eq!(p["billsec"], "90");
        }
        if p.contains_key("answer_agent_number") {
            assert_eq!(p["answer_agent_number"], "+919876500022");
            assert_eq!(p["call_status"], "Answered by agent");
        }
    }
}

#[test]
fn non_2xx_answers_exit_1() {
    let receiver = Receiver::answering(503, Duration::ZERO);
    let url = receiver.url("/hook");
    let out = run(&[
        "fire", "missed", "--count", "3", "--to", &url, "--format", "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    receiver.assert_hits(3);
    for event in json_lines(&stdout(&out)) {
        assert_eq!(event["status"], 503);
        assert_eq!(event["error"], Value::Null);
    }
    assert!(stderr(&out).contains("3 non-2xx"), "{}", stderr(&out));
}

#[test]
fn an_unreachable_port_exits_3() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/hook");
    let out = run(&["fire", "hangup", "--to", &url, "--format", "json"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let events = json_lines(&stdout(&out));
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["status"], Value::Null);
    let error = events[0]["error"].as_str().unwrap();
    assert!(error.contains("cannot connect"), "{error}");
    assert!(
        stderr(&out).contains("1 transport error"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_receiver_slower_than_the_timeout_exits_3() {
    let receiver = Receiver::answering(200, Duration::from_secs(4));
    let url = receiver.url("/slow");
    let out = run(&["fire", "hangup", "--to", &url, "--timeout", "1s"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    receiver.assert_hits(1);
    assert!(
        stdout(&out).contains("timed out after 1 s"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn tls_to_a_plain_http_port_exits_3() {
    // A plain TCP listener: the TLS handshake gets no TLS answer.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut hello = [0u8; 5];
        stream.read_exact(&mut hello).unwrap();
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        hello[0]
    });
    let url = format!("https://127.0.0.1:{port}/hook");
    let out = run(&["fire", "hangup", "--to", &url, "--format", "json"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(
        accepted.join().unwrap(),
        0x16,
        "a TLS handshake record arrived"
    );
    let event = &json_lines(&stdout(&out))[0];
    let error = event["error"].as_str().unwrap();
    assert!(error.contains("TLS"), "{error}");
}

#[test]
fn a_burst_delivers_exactly_n_distinct_calls() {
    // More than twice the 512 calls fire synthesizes: most go out again under fresh ids.
    const N: usize = 1200;
    let receiver = Receiver::start();
    let url = receiver.url("/hook");
    let out = run(&[
        "fire",
        "hangup",
        "--count",
        &N.to_string(),
        "--concurrency",
        "8",
        "--to",
        &url,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let received = receiver.assert_hits(N);
    let payloads: Vec<Map<String, Value>> = received.iter().map(Received::payload).collect();
    let id = |p: &Map<String, Value>, key: &str| p[key].as_str().unwrap().to_string();
    let call_ids: HashSet<String> = payloads.iter().map(|p| id(p, "call_id")).collect();
    let uuids: HashSet<String> = payloads.iter().map(|p| id(p, "uuid")).collect();
    assert_eq!((call_ids.len(), uuids.len()), (N, N));
    for p in &payloads {
        let recording = p["recording_url"].as_str().unwrap();
        assert!(
            recording.is_empty() || recording.contains(&id(p, "call_id")),
            "the fresh call_id wherever the call's id appears: {recording}"
        );
    }
    let events = json_lines(&stdout(&out));
    let seqs: HashSet<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=N as u64).collect());
    let reported: HashSet<String> = events
        .iter()
        .map(|e| e["call_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(reported, call_ids);
}

#[test]
fn dry_run_prints_the_exact_requests_and_sends_nothing() {
    let receiver = Receiver::start();
    let url = receiver.url("/hook");
    let out = run(&[
        "fire",
        "hangup",
        "--seed",
        "9",
        "--to",
        &url,
        "--header",
        "X-API-Key: s3cret",
        "--dry-run",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    receiver.assert_hits(0);
    let text = stdout(&out);
    assert!(text.contains(&format!("POST {url}")), "{text}");
    assert!(text.contains("Content-Type: application/json"), "{text}");
    assert!(text.contains("X-Api-Key: ****"), "{text}");
    assert!(!text.contains("s3cret"), "the secret is masked: {text}");
    let sample = stdout(&run(&["sample", "hangup", "--seed", "9"]));
    let sample: Value = serde_json::from_str(&sample).unwrap();
    let body = text.lines().find(|l| l.starts_with('{')).unwrap();
    assert_eq!(serde_json::from_str::<Value>(body).unwrap(), sample);

    // Sent for real, the header carries its value.
    let out = run(&[
        "fire",
        "hangup",
        "--to",
        &url,
        "--header",
        "X-API-Key: s3cret",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let received = receiver.assert_hits(1);
    assert_eq!(received[0].header("x-api-key"), Some("s3cret"));
}

#[test]
fn without_a_terminal_nothing_is_asked() {
    let out = run(&["fire", "--to", "http://127.0.0.1:9/"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no terminal to ask on"),
        "{}",
        stderr(&out)
    );
    let out = run(&["fire", "hangup"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--to URL"), "{}", stderr(&out));
    // Many events at a host that is not this machine: --yes, or nothing.
    let out = run(&[
        "fire",
        "hangup",
        "--count",
        "101",
        "--to",
        "http://192.0.2.1/",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("--yes") && err.lines().count() == 1, "{err}");
}

#[test]
fn list_scenarios_names_every_scenario() {
    let out = run(&["fire", "--list-scenarios"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let listed: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let scenarios: Vec<&str> = servetel::scenario::SCENARIOS
        .iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(listed, scenarios, "{text}");
    assert!(scenarios.contains(&"dialer-answered") && scenarios.contains(&"broadcast"));
}

#[test]
fn a_webhook_of_the_config_sends_through_its_template() {
    let receiver = Receiver::start();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("servetel.toml");
    std::fs::write(
        &config,
        format!(
            r#"
[[webhook]]
name = "crm-hangup"
trigger = "hangup"
method = "POST"
content_type = "form"
url = "{}"
headers = {{ "X-Api-Key" = "k1" }}
template = '''{{"callID": "$call_id", "from": "$caller_id_number", "agent": "$answered_agent.name"}}'''
"#,
            receiver.url("/crm")
        ),
    )
    .unwrap();
    let out = run(&[
        "--config",
        config.to_str().unwrap(),
        "fire",
        "--webhook",
        "crm-hangup",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = &receiver.assert_hits(1)[0];
    assert_eq!(r.path(), "/crm");
    assert_eq!(r.header("x-api-key"), Some("k1"));
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let p = r.payload();
    let keys: Vec<&str> = p.keys().map(String::as_str).collect();
    assert_eq!(keys, ["callID", "from", "agent"]);
    assert!(!p["agent"].as_str().unwrap().is_empty());
}

/// A callback fired through a tenant's template arrives under the tenant's keys; listen's line
/// for it reads the call through the same template (it printed `? → ?` and `no agent`).
#[test]
fn listen_summarizes_a_templated_callback_from_its_variables() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("servetel.toml");
    std::fs::write(
        &config,
        r#"
[[webhook]]
name = "crm-hangup"
trigger = "hangup"
method = "POST"
content_type = "json"
url = "http://127.0.0.1:9/crm"
template = '''{"callID": "$call_id", "from": "$caller_id_number", "to": "$call_to_number", "agent": "$answered_agent.name", "talk": "$billsec", "dir": "$direction"}'''
"#,
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let common::Spawned {
        mut child,
        port,
        stdout,
        ..
    } = common::spawn_listening(common::servetel_process().args([
        "--config",
        config,
        "listen",
        "--port",
        "0",
        "--webhook",
        "crm-hangup",
        "--format",
        "line",
        "--count",
        "1",
    ]));
    let out = run(&[
        "--config",
        config,
        "fire",
        "--webhook",
        "crm-hangup",
        "--to",
        &format!("http://127.0.0.1:{port}/crm"),
        "--seed",
        "7",
        "--direction",
        "inbound",
        "--caller",
        "9876543210",
        "--agent",
        "Ravi Kumar",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    child.wait().unwrap();
    let line = stdout.join().unwrap();
    assert!(line.contains("9876543210 → "), "{line}");
    assert!(line.contains("agent Ravi Kumar"), "{line}");
    assert!(!line.contains("? → ?"), "{line}");
}

#[test]
fn ctrl_c_stops_a_call_at_its_own_pace_and_still_prints_the_summary() {
    let receiver = Receiver::start();
    let child = common::servetel_process()
        .args([
            "fire",
            "--scenario",
            "inbound-answered",
            "--seed",
            "3",
            "--speed",
            "real",
        ])
        .args(["--to", &receiver.url("/hook")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first event goes at once; the next ones wait for the call's own gaps (seconds).
    let started = std::time::Instant::now();
    while receiver.received().is_empty() && started.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let interrupt = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupt.success());
    let out = child.wait_with_output().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "it did not wait out the gaps"
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("stopped by Ctrl-C"), "{err}");
    assert!(err.contains("2xx"), "the summary: {err}");
    assert_eq!(
        out.status.code(),
        Some(130),
        "interrupted before every event was sent (what was sent got 2xx)"
    );
    let sent = receiver.received().len();
    assert!((1..5).contains(&sent), "{sent} of 5 events");
    receiver.assert_hits(sent);
}

/// Issue 14's "done when": a dialer call fired into `listen --save` prints as a dialer call, is
/// detected event by event, and the capture validates.
#[test]
fn a_dialer_call_fired_into_listen_is_a_coherent_dialer_call() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("x.ndjson");
    let common::Spawned {
        mut child,
        port,
        stdout: printout,
        stderr: mut logs,
    } = common::spawn_listening(common::servetel_process().args([
        "listen",
        "--port",
        "0",
        "--save",
        save.to_str().unwrap(),
        "--count",
        "3",
    ]));
    let out = run(&[
        "fire",
        "--scenario",
        "dialer-answered",
        "--speed",
        "max",
        "--seed",
        "8",
        "--to",
        &format!("http://127.0.0.1:{port}/hook"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // stderr stays open (and is read) until listen exits: its summary goes there.
    let status = child.wait().unwrap();
    let mut log = String::new();
    std::io::Read::read_to_string(&mut logs, &mut log).unwrap();
    assert_eq!(status.code(), Some(0), "every event was valid: {log}");
    let printed = printout.join().unwrap();
    for shown in [
        "connected-to-agent (detected)",
        "hangup (detected)",
        "disposition-updated (detected)",
        "Dialer (outbound)",
        "\"billsec\": \"\"",
    ] {
        assert!(printed.contains(shown), "{shown}: {printed}");
    }
    let out = run(&["validate", "--format", "json", save.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let results = json_lines(&stdout(&out));
    let triggers: Vec<&str> = results
        .iter()
        .map(|r| r["trigger"].as_str().unwrap())
        .collect();
    assert_eq!(
        triggers,
        ["connected-to-agent", "hangup", "disposition-updated"]
    );
    // The only findings are the placeholder the real template sends on purpose.
    for r in &results {
        for f in r["findings"].as_array().unwrap() {
            assert_eq!(f["code"], "unresolved", "{r}");
        }
    }
}
