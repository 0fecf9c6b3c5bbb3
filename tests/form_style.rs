//! `--form-style go`: nested form and GET values as the Go dispatcher's `fmt.Sprint` text.
//! Encoded and decoded back by servetel's own decoder for every trigger and many seeds; sent by
//! the real binary into `listen --save`; re-encoded the way it came by `replay`; refused where
//! only JSON bodies would go.

mod common;

use std::io::BufReader;
use std::process::Stdio;

use common::receiver::Receiver;
use common::{run, stderr, stdout};
use serde_json::{Map, Value};
use servetel::catalog::TRIGGERS;
use servetel::decode::decode_request;
use servetel::encode::{Encoding, FormStyle, has_nested};
use servetel::synth::{CallSpec, Options, Profile, synthesize_with};

const FORM: &str = "application/x-www-form-urlencoded";

/// Whether `got`, decoded from Go text, says what `sent` said; else where it differs. Form
/// values are text, so every scalar arrives as a string: strings equal, numbers equal as the
/// float64 Go printed (`1.775719462e+09` is 1775719462), booleans `true`/`false`, null `<nil>`.
/// Arrays element by element, objects key by key, nothing more and nothing less, with the one
/// loss Go's text has: `[Main IVR]` is one name or two (Go writes no element boundary), so a
/// list of strings holding a space decodes to the same words, not the same elements.
fn says_the_same(sent: &Value, got: &Value, path: &str) -> Result<(), String> {
    let differ = || Err(format!("{path}: sent {sent}, decoded {got}"));
    let words = |items: &[Value]| -> Option<String> {
        let texts: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
        texts.map(|t| t.join(" "))
    };
    match (sent, got) {
        (Value::Array(a), Value::Array(b))
            if a.len() != b.len()
                && a.iter()
                    .any(|v| v.as_str().is_some_and(|s| s.contains(' '))) =>
        {
            match (words(a), words(b)) {
                (Some(x), Some(y)) if x == y => Ok(()),
                _ => differ(),
            }
        }
        (Value::String(a), Value::String(b)) if a == b => Ok(()),
        (Value::Number(n), Value::String(b)) if b.parse::<f64>().ok() == n.as_f64() => Ok(()),
        (Value::Bool(a), Value::String(b)) if *b == a.to_string() => Ok(()),
        (Value::Null, Value::String(b)) if b == "<nil>" => Ok(()),
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .try_for_each(|(i, (a, b))| says_the_same(a, b, &format!("{path}/{i}"))),
        (Value::Object(a), Value::Object(b))
            if a.len() == b.len() && a.keys().all(|k| b.contains_key(k)) =>
        {
            a.iter()
                .try_for_each(|(k, v)| says_the_same(v, &b[k], &format!("{path}/{k}")))
        }
        _ => differ(),
    }
}

fn decoded(encoding: Encoding, text: &str) -> Map<String, Value> {
    match encoding {
        Encoding::Query => decode_request("GET", None, text, b""),
        _ => decode_request("POST", Some(FORM), "", text.as_bytes()),
    }
    .unwrap_or_else(|e| panic!("{e}: {text:.300}"))
}

#[test]
fn go_text_decodes_back_to_the_payload_for_every_trigger_and_many_seeds() {
    let (mut checked, mut go_text, mut numbers) = (0, 0, 0);
    for trigger in TRIGGERS {
        for profile in [Profile::Real, Profile::Docs] {
            for seed in 0..80 {
                let opts = Options {
                    seed,
                    outcome: None,
                    profile,
                    start: None,
                };
                let payload = synthesize_with(trigger, &opts, &CallSpec::default()).unwrap();
                for encoding in [Encoding::Form, Encoding::Query] {
                    let text = encoding.encode_with(&payload, FormStyle::Go);
                    let got = decoded(encoding, &text);
                    let sent = Value::Object(payload.clone());
                    if let Err(why) = says_the_same(&sent, &Value::Object(got), "") {
                        panic!("{} seed {seed} {profile:?} {encoding:?}: {why}", trigger.id);
                    }
                    checked += 1;
                    go_text += usize::from(text.contains("map%5B"));
                    numbers += usize::from(text.contains("e%2B09"));
                }
            }
        }
    }
    assert_eq!(checked, TRIGGERS.len() * 2 * 80 * 2);
    // Not a vacuous pass: most payloads hold Go maps, and float64 epochs print as Go prints them.
    assert!(go_text > checked / 2, "{go_text} of {checked} held map[…]");
    assert!(numbers > 0, "no number printed as 1.7…e+09");
}

#[test]
fn go_text_sorts_keys_and_prints_float64_as_go_does() {
    let payload = serde_json::json!({
        "uuid": "69d7585e0bc1a",
        "answered_agent": {"name": "Asha Rao", "id": "0507123", "number": "0607123"},
        "call_flow": [{"type": "init", "time": 1775719462}, {"type": "hangup", "time": 1775719500.5}],
        "billsec": "30",
        "missing": null,
    });
    let text = Encoding::Form.encode_with(payload.as_object().unwrap(), FormStyle::Go);
    let fields: Vec<(String, String)> = form_urlencoded::parse(text.as_bytes())
        .into_owned()
        .collect();
    let want = [
        (
            "answered_agent",
            "map[id:0507123 name:Asha Rao number:0607123]",
        ),
        ("billsec", "30"),
        (
            "call_flow",
            "[map[time:1.775719462e+09 type:init] map[time:1.7757195005e+09 type:hangup]]",
        ),
        ("missing", "<nil>"),
        ("uuid", "69d7585e0bc1a"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(fields, want);
    // The JSON style keeps the payload's order and JSON text, as before.
    let json = Encoding::Form.encode_with(payload.as_object().unwrap(), FormStyle::Json);
    assert!(
        json.starts_with("uuid=69d7585e0bc1a&answered_agent=%7B"),
        "{json}"
    );
}

/// `servetel sample TRIGGER --seed N` as JSON: the payload `fire --seed N` sends.
fn sample(trigger: &str, seed: &str) -> Value {
    let out = run(&["sample", trigger, "--seed", seed]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn fire_sends_go_text_that_listen_saves_validates_and_decodes_to_the_payload() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("got.ndjson");
    let expected = TRIGGERS.len() * 2;
    let mut cmd = common::servetel_process();
    cmd.args(["listen", "--port", "0", "--format", "json"])
        .args(["--save", save.to_str().unwrap()])
        .args(["--count", &expected.to_string()]);
    for t in TRIGGERS {
        cmd.args(["--route", &format!("/hook/{0}={0}", t.id)]);
    }
    let mut listener = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let port = common::readiness_port(&mut BufReader::new(listener.stderr.as_mut().unwrap()));
    for (i, t) in TRIGGERS.iter().enumerate() {
        let url = format!("http://127.0.0.1:{port}/hook/{}", t.id);
        for how in [["--encoding", "form"], ["--method", "GET"]] {
            let seed = i.to_string();
            let mut args = vec!["fire", t.id, "--to", &url, "--seed", &seed, "-q"];
            args.extend(how);
            args.extend(["--form-style", "go"]);
            let out = run(&args);
            assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        }
    }
    let status = listener.wait().unwrap();
    assert_eq!(status.code(), Some(0), "every request validated");
    let text = std::fs::read_to_string(&save).unwrap();
    let records: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), expected);
    for (k, record) in records.iter().enumerate() {
        let (i, t) = (k / 2, &TRIGGERS[k / 2]);
        assert_eq!(record["trigger"], t.id);
        assert_eq!(record["verdict"]["valid"], true, "{record}");
        assert_eq!(record["method"], if k % 2 == 0 { "POST" } else { "GET" });
        let wire = format!("{}{}", record["body"], record["query"]);
        let sent = sample(t.id, &i.to_string());
        if has_nested(sent.as_object().unwrap()) {
            assert!(wire.contains("%5B"), "Go text: {wire:.300}");
            assert!(
                !wire.contains("%7B%22") && !wire.contains("%5B%22"),
                "no JSON text: {wire:.300}"
            );
        }
        says_the_same(&sent, &record["payload"], "")
            .unwrap_or_else(|why| panic!("{} {}: {why}", t.id, record["method"]));
    }
    // `servetel validate` reads the capture the same way.
    let out = run(&["validate", save.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn replay_re_encodes_an_edited_record_the_way_it_arrived() {
    let first = Receiver::start();
    for style in ["go", "json"] {
        let url = first.url("/hook");
        let args = [
            "fire",
            "hangup",
            "--to",
            &url,
            "--seed",
            "4",
            "--outcome",
            "answered",
            "--encoding",
            "form",
            "--form-style",
            style,
            "-q",
        ];
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let arrived = first.assert_hits(2);
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("capture.ndjson");
    let lines: Vec<String> = arrived
        .iter()
        .enumerate()
        .map(|(i, r)| r.capture_record(i + 1, Some("hangup")).to_string())
        .collect();
    std::fs::write(&capture, lines.join("\n") + "\n").unwrap();

    let second = Receiver::start();
    let url = second.url("/again");
    let out = run(&[
        "replay",
        capture.to_str().unwrap(),
        "--to",
        &url,
        "--set",
        "answered_agent.name=Ravi Kumar",
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let again = second.assert_hits(2);
    let fields = |body: &[u8], key: &str| -> String {
        form_urlencoded::parse(body)
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
            .unwrap()
    };
    let go = fields(&again[0].body, "answered_agent");
    assert!(
        go.starts_with("map[") && go.contains("name:Ravi Kumar"),
        "the Go record went out as Go text: {go}"
    );
    let json = fields(&again[1].body, "answered_agent");
    assert!(
        json.starts_with('{') && json.contains("\"name\":\"Ravi Kumar\""),
        "{json}"
    );
    for (before, after) in arrived.iter().zip(&again) {
        let mut want = before.payload();
        want["answered_agent"]["name"] = Value::from("Ravi Kumar");
        assert_eq!(after.payload(), want);
        assert_ne!(after.body, before.body);
    }
}

#[test]
fn go_text_where_only_json_bodies_go_is_a_usage_error() {
    for args in [
        &["sample", "hangup", "--form-style", "go"][..],
        &[
            "fire",
            "hangup",
            "--to",
            "http://127.0.0.1:9/",
            "--form-style",
            "go",
        ],
        &[
            "fire",
            "hangup",
            "--to",
            "http://127.0.0.1:9/",
            "--encoding",
            "json",
            "--form-style",
            "go",
        ],
        &[
            "test",
            "--to",
            "http://127.0.0.1:9/",
            "--encoding",
            "json",
            "--form-style",
            "go",
        ],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stdout(&out).is_empty(), "{args:?}: nothing printed or sent");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("--form-style go")
                && err.contains("JSON bodies")
                && err.contains("--encoding form"),
            "{err}"
        );
    }
    // JSON text is what a JSON body holds anyway: said explicitly, it changes nothing.
    let plain = run(&["sample", "hangup", "--seed", "2"]);
    let said = run(&["sample", "hangup", "--seed", "2", "--form-style", "json"]);
    assert_eq!(said.status.code(), Some(0));
    assert_eq!(stdout(&said), stdout(&plain));
}

#[test]
fn sample_prints_go_form_text() {
    let out = run(&[
        "sample",
        "hangup",
        "--seed",
        "3",
        "--encoding",
        "form",
        "--form-style",
        "go",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let got = decoded(Encoding::Form, text.trim_end());
    says_the_same(&sample("hangup", "3"), &Value::Object(got), "").unwrap();
    assert!(text.contains("answered_agent=map%5B"), "{text:.300}");
}
