//! The inspector's JSON API against the real binary (SPEC 5.9, issue 17): what listen receives
//! shows up, grouped into calls; validate and replay (edited, re-encoded the way the record
//! arrived) work; the token, Host and Origin are enforced; a page that stops reading the event
//! stream never slows listen.

mod common;
mod inspector;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::receiver::Receiver;
use serde_json::{Value, json};

fn listen_inspecting(extra: &[&str]) -> inspector::Inspected {
    let mut args = vec![
        "listen",
        "--port",
        "0",
        "--inspect",
        "127.0.0.1:0",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    inspector::spawn(&args)
}

#[test]
fn a_fired_scenario_appears_as_five_records_and_one_call() {
    let ins = listen_inspecting(&[]);
    assert!(ins.base.starts_with("http://127.0.0.1:"), "{}", ins.base);
    assert_eq!(ins.token.len(), 32);
    ins.fire(&["--scenario", "inbound-answered", "--speed", "max"]);
    let records = ins.records(5);
    let seqs: Vec<u64> = records.iter().map(|r| r["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5]);
    assert!(
        records
            .iter()
            .all(|r| r["method"] == "POST" && r["path"] == "/hook")
    );
    let (status, last) = ins.get("/api/records/5");
    assert_eq!(status, 200);
    assert_eq!(last["trigger"], "hangup");
    assert_eq!(last["response"]["status"], 200);
    assert_eq!(ins.get("/api/records/99").0, 404);

    let (_, view) = ins.get("/api/records/5/view");
    let summary = view["summary"].as_str().unwrap();
    assert!(summary.contains("inbound"), "{summary}");
    assert!(!summary.contains('\x1b'), "no terminal colors: {summary:?}");

    let (_, calls) = ins.get("/api/calls");
    let calls = calls.as_array().unwrap();
    assert_eq!(calls.len(), 1, "{calls:?}");
    let events: Vec<u64> = calls[0]["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(events, [1, 2, 3, 4, 5]);
    assert!(calls[0]["summary"].as_str().unwrap().contains("inbound"));
}

#[test]
fn validate_answers_the_findings_with_their_paths() {
    let ins = listen_inspecting(&[]);
    let payload = json!({"uuid": "a1", "call_id": "1775719461.306731", "billsec": "five",
        "start_stamp": "2026-04-09 12:54:22", "end_stamp": "2026-04-09 12:55:22"});
    let (status, verdict) = ins.post(
        "/api/validate",
        &json!({"payload": payload, "trigger": "hangup"}),
    );
    assert_eq!(status, 200, "{verdict}");
    assert_eq!(verdict["trigger"], "hangup");
    assert_eq!(verdict["valid"], false);
    let paths: Vec<&str> = verdict["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert!(paths.contains(&"/billsec"), "{paths:?}");
    let (status, _) = ins.post("/api/validate", &json!({"payload": [1]}));
    assert_eq!(status, 400);
}

#[test]
fn an_edited_replay_goes_to_the_forward_app_encoded_the_way_the_record_arrived() {
    let app = Receiver::start();
    let ins = listen_inspecting(&["--forward", &app.url("/app")]);
    ins.fire(&["hangup", "--encoding", "form"]);
    ins.records(1);
    let (_, record) = ins.get("/api/records/1");
    let mut payload = record["payload"].as_object().unwrap().clone();
    payload.insert("billsec".into(), json!("4242"));

    let (status, attempt) = ins.post("/api/replay", &json!({"seq": 1, "payload": payload}));
    assert_eq!(status, 200, "{attempt}");
    assert_eq!(attempt["answer"]["status"], 200, "{attempt}");
    assert_eq!(attempt["edited"], true);
    let hits = app.assert_hits(2); // the forwarded original, then the replay
    let replayed = &hits[1];
    assert_eq!(
        replayed.path(),
        "/app/hook",
        "the app's path, then the recorded one"
    );
    assert_eq!(
        replayed.header("content-type"),
        Some("application/x-www-form-urlencoded"),
        "form, as the record arrived"
    );
    let body = String::from_utf8(replayed.body.clone()).unwrap();
    assert!(body.contains("billsec=4242"), "{body}");
    assert_eq!(replayed.payload()["billsec"], "4242");
    // The attempt stays with the record.
    let (_, view) = ins.get("/api/records/1/view");
    assert_eq!(view["attempts"].as_array().unwrap().len(), 1);
}

#[test]
fn an_unedited_replay_to_a_typed_url_is_byte_exact() {
    let target = Receiver::start();
    let ins = listen_inspecting(&[]);
    ins.fire(&["answered-by-agent"]);
    let records = ins.records(1);
    let (status, attempt) = ins.post(
        "/api/replay",
        &json!({"seq": 1, "to": target.url("/typed")}),
    );
    assert_eq!(status, 200, "{attempt}");
    let hit = &target.assert_hits(1)[0];
    assert_eq!(hit.path(), "/typed");
    assert_eq!(hit.body, records[0]["body"].as_str().unwrap().as_bytes());
    // Without --forward and without "to" there is nowhere to send it.
    let (status, why) = ins.post("/api/replay", &json!({"seq": 1}));
    assert_eq!(status, 400, "{why}");
}

/// One request with the given headers: its status.
fn status_of(
    ins: &inspector::Inspected,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> u16 {
    let mut request = ins.client.request(method.parse().unwrap(), ins.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if method == "POST" {
        request = request
            .header("Content-Type", "application/json")
            .body(r#"{"seq": 1, "payload": {"billsec": "1"}}"#);
    }
    request.send().unwrap().status().as_u16()
}

#[test]
fn the_token_host_and_origin_are_enforced() {
    let app = Receiver::start();
    let ins = listen_inspecting(&["--forward", &app.url("/")]);
    ins.fire(&["hangup"]);
    ins.records(1);
    let token = ins.token.clone();
    let with_token = format!("/api/records?token={token}");
    assert_eq!(
        status_of(&ins, "GET", "/", &[]),
        401,
        "the page needs the token"
    );
    assert_eq!(status_of(&ins, "GET", "/api/records", &[]), 401);
    assert_eq!(status_of(&ins, "GET", "/api/records?token=0123", &[]), 403);
    assert_eq!(status_of(&ins, "GET", &with_token, &[]), 200);
    assert_eq!(
        status_of(&ins, "GET", &format!("/?token={token}"), &[]),
        200
    );
    // DNS rebinding: a name that resolves here, but is not the inspector's.
    let port = ins.base.rsplit(':').next().unwrap().to_string();
    let rebound = format!("evil.example:{port}");
    assert_eq!(
        status_of(&ins, "GET", &with_token, &[("Host", &rebound)]),
        403
    );
    // CSRF: a page elsewhere cannot replay, even knowing the token.
    let headers = [
        ("X-Servetel-Token", token.as_str()),
        ("Origin", "http://evil.example"),
    ];
    assert_eq!(status_of(&ins, "POST", "/api/replay", &headers), 403);
    let own = ins.base.clone();
    let headers = [
        ("X-Servetel-Token", token.as_str()),
        ("Origin", own.as_str()),
    ];
    assert_eq!(status_of(&ins, "POST", "/api/replay", &headers), 200);
    app.assert_hits(2); // the forwarded one and the one allowed replay, not the refused one
    // The page is given its token as a cookie, which then suffices.
    let page = ins
        .client
        .get(ins.url(&format!("/?token={token}")))
        .send()
        .unwrap();
    let cookie = page.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap();
    assert_eq!(status_of(&ins, "GET", "/app.js", &[("Cookie", pair)]), 200);
}

/// Opens the event stream on a raw socket; returns it after the response head.
fn subscribe(ins: &inspector::Inspected) -> BufReader<TcpStream> {
    let address = ins.base.trim_start_matches("http://").to_string();
    let mut stream = TcpStream::connect(&address).unwrap();
    let head = format!(
        "GET /api/events?token={} HTTP/1.1\r\nHost: {address}\r\n\r\n",
        ins.token
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    while line != "\r\n" {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line.to_ascii_lowercase().starts_with("content-type") {
            assert!(line.contains("text/event-stream"), "{line}");
        }
    }
    reader
}

#[test]
fn the_event_stream_sends_each_record_as_it_is_answered() {
    let ins = listen_inspecting(&[]);
    let mut events = subscribe(&ins);
    ins.fire(&["missed"]);
    let mut line = String::new();
    let started = Instant::now();
    loop {
        line.clear();
        events.read_line(&mut line).unwrap();
        if line.starts_with("data: {") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no record event"
        );
    }
    let record: Value = serde_json::from_str(line.trim_start_matches("data: ")).unwrap();
    assert_eq!(record["seq"], 1);
    assert_eq!(record["trigger"], "missed");
}

#[test]
fn a_page_that_stops_reading_events_never_slows_listen() {
    let ins = listen_inspecting(&[]);
    let stalled = subscribe(&ins); // never read from here on
    let started = Instant::now();
    // Large events fill the socket's buffers and the subscriber's queue long before the end.
    ins.fire(&["hangup", "--count", "2000"]);
    let elapsed = started.elapsed();
    ins.records(2000);
    assert!(
        elapsed < Duration::from_secs(60),
        "2000 events took {elapsed:?}"
    );
    // The hub let it go: what it had queued drains, then the stream's last chunk ends it.
    let mut stalled = stalled.into_inner();
    stalled
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let mut rest = Vec::new();
    let mut buf = vec![0; 64 * 1024];
    while !rest.ends_with(b"\r\n0\r\n\r\n") {
        let n = stalled.read(&mut buf).expect("the stream ends within 15 s");
        assert!(n > 0, "the connection closed instead of ending the stream");
        rest.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&rest);
    assert!(
        text.matches("event: record").count() < 2000,
        "it was dropped before the end"
    );
}

#[test]
fn inspect_serves_saved_captures_offline() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("calls.ndjson");
    {
        let ins = inspector::spawn(&[
            "listen",
            "--port",
            "0",
            "--inspect",
            "127.0.0.1:0",
            "--save",
            file.to_str().unwrap(),
        ]);
        ins.fire(&["--scenario", "inbound-answered", "--speed", "max"]);
        ins.records(5);
    }
    let ins = inspector::spawn(&["inspect", file.to_str().unwrap(), "--port", "0"]);
    let records = ins.records(5);
    assert_eq!(records.len(), 5);
    assert_eq!(records[4]["trigger"], "hangup");
    let (_, info) = ins.get("/api/info");
    assert_eq!(info["live"], false);
    let (_, calls) = ins.get("/api/calls");
    assert_eq!(calls.as_array().unwrap().len(), 1);
}

#[test]
fn a_non_loopback_inspector_is_warned_about() {
    let out = common::servetel()
        .args([
            "listen",
            "--port",
            "0",
            "--inspect",
            "0.0.0.0:0",
            "--timeout",
            "1s",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("inspecting on http://127.0.0.1:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: the inspector is bound to 0.0.0.0"),
        "{stderr}"
    );
}
