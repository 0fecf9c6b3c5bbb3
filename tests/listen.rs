//! `servetel listen` as a user runs it: the real binary on port 0, real sockets, the capture file.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};

use serde_json::Value;

struct Listener {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

/// `servetel listen --port 0 ARGS…`, started and ready: the child and its port.
fn spawn(args: &[&str], stdout: Stdio) -> (Child, u16) {
    let mut child = common::servetel_process()
        .args(["listen", "--port", "0"])
        .args(args)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let port = common::readiness_port(&mut BufReader::new(child.stderr.as_mut().unwrap()));
    (child, port)
}

impl Listener {
    fn start(args: &[&str]) -> Listener {
        let dir = tempfile::tempdir().unwrap();
        let save = dir.path().join("calls.ndjson");
        let (child, port) = spawn(
            &[&["--save", save.to_str().unwrap()], args].concat(),
            Stdio::null(),
        );
        Listener { child, port, dir }
    }

    fn records(&self) -> Vec<Value> {
        let text =
            std::fs::read_to_string(self.dir.path().join("calls.ndjson")).unwrap_or_default();
        text.lines()
            .map(|l| serde_json::from_str(l).expect("whole JSON lines"))
            .collect()
    }

    fn wait(mut self) -> (Option<i32>, Vec<Value>) {
        let status = self.child.wait().unwrap();
        (status.code(), self.records())
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

use common::send;

fn sample(args: &[&str]) -> String {
    common::stdout(&common::run(&[&["sample", "-q"], args].concat()))
        .trim_end()
        .to_string()
}

const JSON: (&str, &str) = ("Content-Type", "application/json");
const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

#[test]
fn json_form_and_get_deliveries_become_capture_records() {
    let l = Listener::start(&["--count", "3"]);
    let json = sample(&["hangup", "--seed", "1"]);
    assert_eq!(
        send(l.port, "POST", "/hook", &[JSON], json.as_bytes()).0,
        200
    );
    let form = sample(&["missed", "--seed", "2", "--encoding", "form"]);
    assert_eq!(
        send(
            l.port,
            "POST",
            "/missed",
            &[FORM, ("X-Api-Key", "k")],
            form.as_bytes()
        )
        .0,
        200
    );
    let query = sample(&["dtmf-option", "--seed", "3", "--encoding", "query"]);
    assert_eq!(
        send(l.port, "GET", &format!("/dtmf?{query}"), &[], b"").0,
        200
    );
    let (code, records) = l.wait();
    assert_eq!(code, Some(0), "all valid");
    assert_eq!(records.len(), 3);
    for field in [
        "seq",
        "received_at",
        "remote_addr",
        "method",
        "path",
        "query",
        "headers",
        "body",
        "payload",
        "trigger",
        "verdict",
        "response",
    ] {
        assert!(
            records.iter().all(|r| r.get(field).is_some()),
            "every record has {field}"
        );
    }
    let by_path = |p: &str| records.iter().find(|r| r["path"] == p).unwrap();
    assert_eq!(by_path("/hook")["trigger"], "hangup");
    assert_eq!(
        by_path("/hook")["body"],
        json,
        "the body is kept byte for byte"
    );
    assert_eq!(by_path("/missed")["trigger"], "missed");
    assert!(
        by_path("/missed")["payload"]["missed_agent"].is_array()
            || by_path("/missed")["payload"]["missed_agent"] == "",
        "JSON text decoded"
    );
    assert!(
        by_path("/missed")["headers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h[0] == "X-Api-Key" && h[1] == "k")
    );
    assert_eq!(by_path("/dtmf")["method"], "GET");
    assert_eq!(by_path("/dtmf")["query"], query);
    assert_eq!(by_path("/dtmf")["trigger"], "dtmf-option");
    assert!(records.iter().all(|r| r["response"]["status"] == 200));
    assert!(
        records
            .iter()
            .all(|r| r["received_at"].as_str().unwrap().ends_with("+00:00"))
    );
}

#[test]
fn bad_input_is_recorded_answered_and_survived() {
    let l = Listener::start(&["--count", "4", "--max-body", "1KiB"]);
    assert_eq!(
        send(l.port, "POST", "/a", &[JSON], b"{\"uuid\": broken").0,
        400
    );
    assert_eq!(
        send(l.port, "POST", "/b", &[JSON], &[0xff, 0xfe, 0x00]).0,
        400
    );
    assert_eq!(
        send(l.port, "POST", "/c", &[JSON], &vec![b'x'; 4096]).0,
        413
    );
    // A declared 1 TiB body: answered 413 without reading it, and the listener lives on.
    let mut stream = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    stream
        .write_all(b"POST /d HTTP/1.1\r\nHost: x\r\nContent-Length: 1099511627776\r\n\r\nabc")
        .unwrap();
    let mut buf = [0u8; 12];
    stream.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"HTTP/1.1 413");
    let (code, records) = l.wait();
    assert_eq!(code, Some(1), "invalid payloads arrived");
    assert_eq!(records.len(), 4);
    let non_utf8 = records.iter().find(|r| r["path"] == "/b").unwrap();
    assert_eq!(non_utf8["body_base64"], "//4A", "kept losslessly");
    assert_eq!(non_utf8["payload"], Value::Null);
    assert_eq!(non_utf8["verdict"]["findings"][0]["code"], "parse");
}

#[test]
fn concurrent_senders_are_all_on_disk_once() {
    let l = Listener::start(&["--count", "400", "--trigger", "hangup"]);
    let body = sample(&["hangup", "--seed", "9"]);
    let port = l.port;
    std::thread::scope(|s| {
        for _ in 0..16 {
            let body = body.clone();
            s.spawn(move || {
                for _ in 0..25 {
                    assert_eq!(send(port, "POST", "/hook", &[JSON], body.as_bytes()).0, 200);
                }
            });
        }
    });
    let (code, records) = l.wait();
    assert_eq!(code, Some(0));
    let mut seqs: Vec<u64> = records.iter().map(|r| r["seq"].as_u64().unwrap()).collect();
    seqs.sort();
    assert_eq!(
        seqs,
        (1..=400).collect::<Vec<_>>(),
        "every acknowledged request, once"
    );
    let firsts = records
        .iter()
        .filter(|r| {
            !r["verdict"]["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["code"] == "duplicate")
        })
        .count();
    assert_eq!(
        firsts, 1,
        "the same call 400 times: all but one flagged duplicate"
    );
}

#[test]
fn response_control_and_auth() {
    let l = Listener::start(&[
        "--count",
        "2",
        "--status",
        "503",
        "--delay",
        "50ms",
        "--require-header",
        "X-Api-Key: s3cret",
    ]);
    let body = sample(&["missed", "--seed", "4"]);
    assert_eq!(send(l.port, "POST", "/", &[JSON], body.as_bytes()).0, 401);
    let (status, reply) = send(
        l.port,
        "POST",
        "/",
        &[JSON, ("X-Api-Key", "s3cret")],
        body.as_bytes(),
    );
    assert_eq!(status, 503);
    assert!(reply.contains("\"seq\":2"), "{reply}");
    let (_, records) = l.wait();
    assert_eq!(records[0]["response"]["status"], 401);
    assert!(
        records[0]["verdict"]["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("X-Api-Key")
    );
    assert_eq!(records[1]["response"]["delay_ms"], 50);
}

#[test]
fn timeout_before_count_is_exit_4() {
    let l = Listener::start(&["--count", "5", "--timeout", "300ms"]);
    let (code, records) = l.wait();
    assert_eq!(code, Some(4));
    assert!(records.is_empty());
}

#[test]
fn forward_passes_requests_on_byte_exact_and_answers_with_the_app() {
    let app = common::receiver::Receiver::answering(202, std::time::Duration::ZERO);
    let l = Listener::start(&["--count", "1", "--forward", &app.url("/app")]);
    let body = sample(&["hangup", "--seed", "5"]);
    let (status, reply) = send(
        l.port,
        "POST",
        "/hook?token=t1",
        &[JSON, ("X-Api-Key", "k1")],
        body.as_bytes(),
    );
    assert_eq!(status, 202, "the sender gets the app's status");
    assert!(reply.contains("\"ok\":true"), "and the app's body: {reply}");
    let got = app.assert_hits(1);
    assert_eq!(got[0].method, "POST");
    assert_eq!(
        got[0].target, "/app/hook?token=t1",
        "path and query appended to the URL's path"
    );
    assert_eq!(got[0].body, body.as_bytes(), "the body byte for byte");
    assert_eq!(got[0].header("x-api-key"), Some("k1"));
    assert_eq!(got[0].header("content-type"), Some("application/json"));
    let (_, records) = l.wait();
    let forward = &records[0]["response"]["forward"];
    assert_eq!(records[0]["response"]["status"], 202);
    assert_eq!(forward["status"], 202);
    assert!(
        forward["url"]
            .as_str()
            .unwrap()
            .ends_with("/app/hook?token=t1")
    );
    assert!(forward["elapsed_ms"].is_u64());

    // No app listening: 502, and the record says why.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let l = Listener::start(&["--count", "1", "--forward", &format!("http://{dead}/")]);
    assert_eq!(
        send(l.port, "POST", "/hook", &[JSON], body.as_bytes()).0,
        502
    );
    let (_, records) = l.wait();
    assert_eq!(records[0]["response"]["status"], 502);
    assert_eq!(records[0]["response"]["forward"]["status"], Value::Null);
    assert!(
        records[0]["response"]["forward"]["error"]
            .as_str()
            .unwrap()
            .contains("connect"),
        "{}",
        records[0]
    );
}

#[test]
fn a_client_that_asks_to_close_is_told_so_and_keep_alive_is_kept() {
    let l = Listener::start(&["--count", "3"]);
    let body = sample(&["dtmf-option", "--seed", "2"]);
    // Keep-alive: two requests on one connection, neither answer says close.
    let mut stream = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    for _ in 0..2 {
        let head = format!(
            "POST /k HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body.as_bytes()).unwrap();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            assert!(!line.to_ascii_lowercase().starts_with("connection: close"));
            if let Some(n) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = n.trim().parse().unwrap();
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut reply = vec![0; length];
        reader.read_exact(&mut reply).unwrap();
        assert!(
            String::from_utf8(reply)
                .unwrap()
                .starts_with("{\"ok\":true")
        );
    }
    // Connection: close is answered with Connection: close, then the connection ends.
    let mut stream = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    let head = format!(
        "POST /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert!(response.contains("\r\nConnection: close\r\n"), "{response}");
    assert_eq!(l.wait().1.len(), 3);
}

#[test]
fn bracket_nested_form_bodies_decode_into_nesting() {
    let l = Listener::start(&["--count", "1"]);
    let body = "uuid=u1&answered_agent%5Bname%5D=Asha&answered_agent%5Bnumber%5D=9876500011&digits_dialed%5B%5D=1&digits_dialed%5B%5D=2";
    assert_eq!(send(l.port, "POST", "/f", &[FORM], body.as_bytes()).0, 200);
    let (_, records) = l.wait();
    let payload = &records[0]["payload"];
    assert_eq!(payload["answered_agent"]["name"], "Asha");
    assert_eq!(payload["answered_agent"]["number"], "9876500011");
    assert_eq!(payload["digits_dialed"], serde_json::json!(["1", "2"]));
    assert_eq!(records[0]["body"], body, "the raw body is kept as sent");
}

#[test]
fn idle_senders_holding_half_a_body_do_not_starve_the_others() {
    let l = Listener::start(&["--count", "1"]);
    // More stalled senders than the 16 workers the listener starts with.
    let stalled: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
            s.write_all(b"POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"uuid\":")
                .unwrap();
            s
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let body = sample(&["hangup", "--seed", "3"]);
    let mut stream = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    let head = format!(
        "POST /fast HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut status = [0u8; 12];
    stream
        .read_exact(&mut status)
        .expect("answered while 40 senders stall");
    assert_eq!(&status, b"HTTP/1.1 200");
    drop(stalled); // their requests end (unfinished, unanswered) and the listener stops
    let (code, records) = l.wait();
    assert_eq!(code, Some(0));
    assert_eq!(records.iter().filter(|r| r["path"] == "/fast").count(), 1);
}

#[test]
fn redact_saved_masks_the_file_and_redact_masks_only_the_printout() {
    let l = Listener::start(&["--count", "2", "--redact-saved"]);
    let json = sample(&[
        "hangup",
        "--seed",
        "6",
        "--set",
        "caller_id_number=9876500011",
    ]);
    let query = sample(&[
        "dtmf-option",
        "--seed",
        "6",
        "--encoding",
        "query",
        "--set",
        "caller_id_number=9876500011",
    ]);
    assert_eq!(
        send(
            l.port,
            "POST",
            "/j",
            &[JSON, ("X-Api-Key", "s3cret")],
            json.as_bytes()
        )
        .0,
        200
    );
    assert_eq!(send(l.port, "GET", &format!("/q?{query}"), &[], b"").0, 200);
    let (_, records) = l.wait();
    let text = serde_json::to_string(&records).unwrap();
    assert!(
        !text.contains("9876500011") && !text.contains("s3cret"),
        "nothing unmasked is saved: {text}"
    );
    let by_path = |p: &str| records.iter().find(|r| r["path"] == p).unwrap().clone();
    let j = by_path("/j");
    assert_eq!(j["payload"]["caller_id_number"], "******0011");
    let body: Value = serde_json::from_str(j["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body, j["payload"],
        "the body is the masked payload, still JSON"
    );
    assert!(
        by_path("/q")["query"]
            .as_str()
            .unwrap()
            .contains("caller_id_number=******0011")
    );

    // --redact alone: the printout is masked, the file is not.
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("c.ndjson");
    let save_arg = save.to_str().unwrap();
    let args = [
        "--count", "1", "--redact", "--format", "json", "--save", save_arg,
    ];
    let (child, port) = spawn(&args, Stdio::piped());
    assert_eq!(send(port, "POST", "/j", &[JSON], json.as_bytes()).0, 200);
    let out = child.wait_with_output().unwrap();
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(
        printed.contains("******0011") && !printed.contains("9876500011"),
        "{printed}"
    );
    assert!(
        std::fs::read_to_string(&save)
            .unwrap()
            .contains("9876500011"),
        "the file keeps everything"
    );

    // The pretty printout with --headers: credentials masked too.
    let (child, port) = spawn(&["--count", "1", "--redact", "--headers"], Stdio::piped());
    let headers = [JSON, ("X-Api-Key", "s3cret")];
    assert_eq!(send(port, "POST", "/j", &headers, json.as_bytes()).0, 200);
    let printed = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    assert!(printed.contains("X-Api-Key: ****"), "{printed}");
    assert!(
        !printed.contains("s3cret") && !printed.contains("9876500011"),
        "{printed}"
    );
}

#[test]
fn save_dir_keeps_one_record_per_file_that_validate_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("captures");
    let (mut child, port) = spawn(
        &["--count", "2", "--save-dir", records.to_str().unwrap()],
        Stdio::null(),
    );
    assert_eq!(
        send(
            port,
            "POST",
            "/a",
            &[JSON],
            sample(&["hangup", "--seed", "1"]).as_bytes()
        )
        .0,
        200
    );
    assert_eq!(
        send(
            port,
            "POST",
            "/b",
            &[JSON],
            sample(&["missed", "--seed", "2"]).as_bytes()
        )
        .0,
        200
    );
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let mut names: Vec<String> = std::fs::read_dir(&records)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // `20261202T014512.123-000001.json`: the time received (UTC), then the sequence number.
    assert_eq!(names.len(), 2, "{names:?}");
    for (name, seq) in names.iter().zip(["-000001.json", "-000002.json"]) {
        let stamp = name
            .strip_suffix(seq)
            .unwrap_or_else(|| panic!("{names:?}"));
        assert_eq!(stamp.len(), "20261202T014512.123".len(), "{name}");
        assert_eq!(stamp.find('T'), Some(8), "{name}");
    }
    let out = common::run(&["validate", records.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stdout(&out));
    assert!(
        common::stderr(&out).contains("checked 2 payloads: 2 valid"),
        "{}",
        common::stderr(&out)
    );
}

#[test]
fn bad_flags_are_exit_2_with_what_was_expected() {
    for (args, expected) in [
        (&["--status", "99"][..], "100..=599"),
        (&["--count", "0"], "0 is not in 1.."),
        (&["--max-body", "1 lot"], "expected a size unit"),
        (&["--delay", "soon"], "expected a duration"),
        (&["--timeout", "0"], "expected a timeout above zero"),
        (
            &["--require-header", "no-colon"],
            "--require-header \"no-colon\": expected 'NAME: VALUE'",
        ),
        (&["--route", "/hook"], "expected --route PATH=TRIGGER"),
        (&["--trigger", "hangpu"], "did you mean"),
        (
            &["--forward", "ftp://example.com/"],
            "expected an http:// or https:// URL",
        ),
        (
            &["--forward", "http://x", "--status", "500"],
            "cannot be used with",
        ),
    ] {
        let out = common::run(&[&["listen", "--port", "0"], args].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = common::stderr(&out);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(
            !err.contains("listening on"),
            "{args:?}: refused before binding"
        );
    }
}
