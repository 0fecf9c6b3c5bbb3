//! `servetel replay` against a receiver on 127.0.0.1: unedited records arrive byte-exact, edits
//! keep the record's encoding, filters and the time and id rewrites do what they say, and
//! mistakes send nothing.

mod common;

use std::path::{Path, PathBuf};

use common::receiver::{Received, Receiver};
use common::{run, stderr, stdout};
use serde_json::{Value, json};

fn write_ndjson(dir: &Path, name: &str, records: &[Value]) -> PathBuf {
    let path = dir.join(name);
    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&path, text).unwrap();
    path
}

fn record(seq: u64, method: &str, path: &str, query: &str, ct: Option<&str>, body: &str) -> Value {
    let mut headers = vec![
        json!(["Host", "staging.example.com"]),
        json!(["User-Agent", "Go-http-client/1.1"]),
        json!(["Content-Length", body.len().to_string()]),
        json!(["X-Api-Key", "k1"]),
    ];
    if let Some(ct) = ct {
        headers.push(json!(["Content-Type", ct]));
    }
    json!({"seq": seq, "received_at": "2026-04-09T12:54:30.120+05:30", "remote_addr": "10.0.0.7:41000",
        "method": method, "path": path, "query": query, "headers": headers, "body": body,
        "payload": null, "trigger": null, "verdict": null, "response": {"status": 200, "delay_ms": 0}})
}

/// Three real-shaped captures: a Go-marshalled JSON body (sorted keys, `\u0026`), a form body
/// with nested JSON text and the trailing-space key, and a GET.
fn captures() -> Vec<Value> {
    let json_body = r#"{"answered_agent":{"id":"0507000000001","name":"Asha Rao","number":"0607000000001"},"billsec":"30","call_connected":"1","call_id":"1775719461.306731","call_to_number":"8012345678","caller_id_number":"9876500011","duration":"48","end_stamp":"2026-04-09 12:55:10","recording_url":"https://r.example/file/recording?callId=1775719461.306731\u0026type=rec","start_stamp":"2026-04-09 12:54:22","uuid":"69d7648e2a3f1"}"#;
    let form_body = "uuid=69d7648e2a3f2&call_to_number=8012345678&caller_id_number=%2B919876500012&start_stamp=2026-04-09+13%3A00%3A00&end_stamp=2026-04-09+13%3A00%3A40&duration=40&billsec=0&call_connected=0&answered_agent=&missed_agent=%5B%7B%22id%22%3A%220507000000002%22%2C%22name%22%3A%22Ravi%22%7D%5D&call_id=1775719800.111111&customer_no_with_prefix+=919876500012";
    let query = "uuid=69d7648e2a3f3&call_to_number=8012345678&caller_id_number=9876500013&digit_pressed=2&call_id=1775720000.222222&start_stamp=2026-04-09+13%3A03%3A20";
    vec![
        record(
            1,
            "POST",
            "/servetel/hangup",
            "",
            Some("application/json; charset=utf-8"),
            json_body,
        ),
        record(
            2,
            "POST",
            "/servetel/missed",
            "src=portal",
            Some("application/x-www-form-urlencoded"),
            form_body,
        ),
        record(3, "GET", "/servetel/dtmf", query, None, ""),
    ]
}

/// Replays `records` (written to an NDJSON file) to a fresh receiver with `flags`; the run must
/// succeed. Returns the receiver, to check what arrived.
fn replayed(records: &[Value], path: &str, flags: &[&str]) -> Receiver {
    let dir = tempfile::tempdir().unwrap();
    let file = write_ndjson(dir.path(), "calls.ndjson", records);
    let receiver = Receiver::start();
    let url = receiver.url(path);
    let out = run(&[&["replay", file.to_str().unwrap(), "--to", &url], flags].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    receiver
}

#[test]
fn unedited_records_arrive_byte_exact() {
    let dir = tempfile::tempdir().unwrap();
    let records = captures();
    let file = write_ndjson(dir.path(), "calls.ndjson", &records);
    let receiver = Receiver::start();
    let url = receiver.url("/replayed");
    let out = run(&[
        "replay",
        file.to_str().unwrap(),
        "--to",
        &url,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let received = receiver.assert_hits(3);
    for (r, rec) in received.iter().zip(&records) {
        assert_eq!(r.method, rec["method"]);
        assert_eq!(r.path(), "/replayed");
        assert_eq!(r.query(), rec["query"].as_str().unwrap());
        assert_eq!(r.body, rec["body"].as_str().unwrap().as_bytes());
        let recorded_ct = rec["headers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h[0] == "Content-Type")
            .map(|h| h[1].as_str().unwrap());
        assert_eq!(r.header("content-type"), recorded_ct);
        assert_eq!(r.header("x-api-key"), Some("k1"), "tenant headers go along");
        assert_eq!(r.header("user-agent"), Some("Go-http-client/1.1"));
        assert_ne!(r.header("host"), Some("staging.example.com"));
    }
    let events: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events[0]["trigger"], "hangup", "detected");
    assert_eq!(events[1]["trigger"], "missed");
    assert_eq!(events[2]["trigger"], "dtmf-option");
    assert_eq!(events[0]["call_id"], "1775719461.306731");

    // --keep-path: the recorded paths, below the target's.
    let out = run(&[
        "replay",
        file.to_str().unwrap(),
        "--to",
        &receiver.url("/base"),
        "--keep-path",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let paths: Vec<String> = receiver.assert_hits(6)[3..]
        .iter()
        .map(|r| r.target.clone())
        .collect();
    assert_eq!(
        paths,
        [
            "/base/servetel/hangup",
            "/base/servetel/missed?src=portal",
            format!(
                "/base/servetel/dtmf?{}",
                records[2]["query"].as_str().unwrap()
            )
            .as_str()
        ]
    );
}

#[test]
fn fired_callbacks_captured_then_replayed_arrive_byte_exact() {
    // What `fire` sent, captured as records, replayed: the same bytes again, in every encoding.
    let first = Receiver::start();
    for flags in [
        &[][..],
        &["--encoding", "form"][..],
        &["--method", "GET"][..],
    ] {
        let url = first.url("/hook");
        let mut args = vec!["fire", "missed-or-answered", "--to", &url];
        args.extend_from_slice(flags);
        assert_eq!(run(&args).status.code(), Some(0));
    }
    let fired = first.assert_hits(3);
    let records: Vec<Value> = fired
        .iter()
        .enumerate()
        .map(|(i, r)| r.capture_record(i + 1, Some("missed-or-answered")))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = write_ndjson(dir.path(), "fired.ndjson", &records);
    let second = Receiver::start();
    let out = run(&[
        "replay",
        file.to_str().unwrap(),
        "--to",
        &second.url("/hook"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for (again, before) in second.assert_hits(3).iter().zip(&fired) {
        assert_eq!(again.method, before.method);
        assert_eq!(again.target, before.target);
        assert_eq!(again.body, before.body);
        assert_eq!(again.header("content-type"), before.header("content-type"));
    }
}

#[test]
fn set_edits_keep_the_records_encoding_and_show_findings() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_ndjson(dir.path(), "calls.ndjson", &captures());
    let receiver = Receiver::start();
    let out = run(&[
        "replay",
        file.to_str().unwrap(),
        "--to",
        &receiver.url("/hook"),
        "--set",
        "caller_id_number=9000000001",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let received = receiver.assert_hits(3);
    assert_eq!(
        received[0].header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert!(serde_json::from_slice::<Value>(&received[0].body).is_ok());
    assert_eq!(
        received[1].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(
        received[1].body.starts_with(b"uuid=69d7648e2a3f2&"),
        "still form"
    );
    assert!(
        String::from_utf8_lossy(&received[1].body).contains("customer_no_with_prefix+="),
        "the trailing-space key survives"
    );
    assert_eq!(received[2].method, "GET");
    assert!(received[2].body.is_empty());
    for r in &received {
        assert_eq!(r.payload()["caller_id_number"], "9000000001");
    }
    // The nested value of the form body is still JSON text, and decodes to the structure.
    assert_eq!(received[1].payload()["missed_agent"][0]["name"], "Ravi");

    // An edit that breaks the payload is shown before it goes.
    let out = run(&[
        "replay",
        file.to_str().unwrap(),
        "--to",
        &receiver.url("/hook"),
        "--filter",
        "seq=1",
        "--set",
        "billsec=abc",
    ]);
    assert_eq!(out.status.code(), Some(0));
    receiver.assert_hits(4);
    let err = stderr(&out);
    assert!(err.contains("format") && err.contains("/billsec"), "{err}");
}

#[test]
fn bare_payloads_go_as_post_json() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        r#"{"uuid":"69d7648e2a3f1","call_id":"1.1","call_to_number":"8012345678","caller_id_number":"9876500011","digit_pressed":"1"}"#,
        r#"{"uuid":"69d7648e2a3f2","call_id":"1.2","call_to_number":"8012345678","caller_id_number":"9876500011","digit_pressed":"2"}"#,
    ];
    let file = dir.path().join("bare.ndjson");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let receiver = Receiver::start();
    let out = run(&[
        "replay",
        file.to_str().unwrap(),
        "--to",
        &receiver.url("/hook"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let received = receiver.assert_hits(2);
    for (r, line) in received.iter().zip(lines) {
        assert_eq!(r.method, "POST");
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.body, line.as_bytes());
    }
}

#[test]
fn filters_pick_by_trigger_call_and_seq() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_ndjson(dir.path(), "calls.ndjson", &captures());
    let file = file.to_str().unwrap();
    let receiver = Receiver::start();
    let url = receiver.url("/hook");
    let count = |filters: &[&str]| {
        let mut args = vec!["replay", file, "--to", &url, "--format", "json"];
        for f in filters {
            args.extend(["--filter", f]);
        }
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out).lines().count()
    };
    assert_eq!(count(&["trigger=missed"]), 1);
    assert_eq!(count(&["trigger=missed", "trigger=hangup"]), 2);
    assert_eq!(count(&["seq=2..3"]), 2);
    assert_eq!(count(&["call_id=1775719461.306731"]), 1);
    // Filters that match no record send nothing, and say so with exit 1.
    let out = run(&[
        "replay",
        file,
        "--to",
        &url,
        "--format",
        "json",
        "--filter",
        "trigger=hangup",
        "--filter",
        "seq=2..",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 0);
    receiver.assert_hits(6);
    let out = run(&["replay", file, "--to", &url, "--filter", "trigger=hangp"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `hangup`?"));
}

#[test]
fn rebase_time_moves_every_stamp_and_keeps_the_intervals() {
    let receiver = replayed(
        &captures(),
        "/hook",
        &["--rebase-time", "2026-12-01T10:00:00+05:30"],
    );
    let received = receiver.assert_hits(3);
    let p: Vec<_> = received.iter().map(Received::payload).collect();
    assert_eq!(p[0]["start_stamp"], "2026-12-01 10:00:00");
    assert_eq!(p[0]["end_stamp"], "2026-12-01 10:00:48");
    assert_eq!(
        p[1]["start_stamp"], "2026-12-01 10:05:38",
        "5 min 38 s after the first"
    );
    assert_eq!(p[2]["start_stamp"], "2026-12-01 10:08:58");
    assert_eq!(received[2].method, "GET", "still a GET");
}

#[test]
fn new_ids_are_fresh_and_shared_by_a_calls_callbacks() {
    let mut records = captures();
    // A second callback of the first call: same call_id and uuid.
    let mut again = records[0].clone();
    again["seq"] = json!(4);
    records.push(again);
    let receiver = replayed(&records, "/hook", &["--new-ids"]);
    let p: Vec<_> = receiver
        .assert_hits(4)
        .iter()
        .map(Received::payload)
        .collect();
    assert_ne!(p[0]["call_id"], "1775719461.306731");
    assert_eq!(p[0]["call_id"], p[3]["call_id"], "one call, one new id");
    assert_eq!(p[0]["uuid"], p[3]["uuid"]);
    assert_ne!(p[0]["call_id"], p[1]["call_id"]);
    assert_ne!(p[0]["uuid"], "69d7648e2a3f1");
    let new_id = p[0]["call_id"].as_str().unwrap();
    assert!(p[0]["recording_url"].as_str().unwrap().contains(new_id));
}

#[test]
fn mistakes_send_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_ndjson(dir.path(), "calls.ndjson", &captures());
    let file = file.to_str().unwrap();
    let receiver = Receiver::start();
    let url = receiver.url("/hook");
    let out = run(&["replay", file, "--to", &url, "--set", "caler_id_number=1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `caller_id_number`?"),
        "{}",
        stderr(&out)
    );
    let missing = dir.path().join("nope.ndjson");
    let out = run(&["replay", file, missing.to_str().unwrap(), "--to", &url]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nope.ndjson"));
    let out = run(&["replay", file]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["replay", file, "--to", &url, "--dry-run"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out).matches("X-Api-Key: ****").count(), 3);
    receiver.assert_hits(0);
}

#[test]
fn replay_exit_codes_are_fires() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_ndjson(dir.path(), "calls.ndjson", &captures());
    let receiver = Receiver::answering(500, std::time::Duration::ZERO);
    let out = run(&["replay", file.to_str().unwrap(), "--to", &receiver.url("/")]);
    assert_eq!(out.status.code(), Some(1));
    receiver.assert_hits(3);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = run(&[
        "replay",
        file.to_str().unwrap(),
        "--to",
        &format!("http://127.0.0.1:{port}/"),
    ]);
    assert_eq!(out.status.code(), Some(3));
}
