//! `servetel test` against receivers written the way integrators write them
//! (tests/fixtures/receivers/*.py, python3's standard library): the correct one passes every
//! case; each buggy one fails exactly the cases its bug explains, with a reason naming it.
//! "The cases its bug explains" is computed from what was sent: a recording `--check` writes
//! every case's payloads (SERVETEL_PAYLOAD), and the bug's rule is applied to them.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

use serde_json::{Map, Value};

/// A fixture receiver, killed when dropped.
struct Receiver {
    child: Child,
    port: u16,
    store: PathBuf,
    _dir: tempfile::TempDir,
}

impl Receiver {
    fn start(name: &str) -> Receiver {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("store.ndjson");
        let script = common::root().join(format!("tests/fixtures/receivers/{name}.py"));
        let mut child = Command::new("python3")
            .arg(&script)
            .arg(&store)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs the test receivers");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("{name}: {line:?}"));
        Receiver {
            child,
            port,
            store,
            _dir: dir,
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    /// What it stored, a JSON object a line.
    fn stored(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.store)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One `servetel test --format json` run with a `--check` that records every case's payloads
/// (and runs `also` after, whose exit status is the check's).
struct Run {
    out: Output,
    /// Case id → its JSON object.
    cases: BTreeMap<String, Value>,
    /// Case id → the payloads it sent.
    payloads: BTreeMap<String, Vec<Map<String, Value>>>,
}

fn run(receiver: &Receiver, extra: &[&str], also: Option<&str>) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("record.tsv");
    let mut check = format!(
        "awk -v c=\"$SERVETEL_CASE\" '{{print c \"\\t\" $0}}' \"$SERVETEL_PAYLOAD\" >> '{}'",
        record.display()
    );
    if let Some(also) = also {
        check.push_str(&format!(" && {also}"));
    }
    let url = receiver.url();
    let mut args = vec!["test", "--to", &url, "--seed", "15", "--format", "json"];
    args.extend(["--check", &check]);
    args.extend(extra);
    let out = common::run(&args);
    let cases = common::stdout(&out)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["case"].as_str().unwrap().to_string(), v)
        })
        .collect();
    let mut payloads: BTreeMap<String, Vec<Map<String, Value>>> = BTreeMap::new();
    for line in std::fs::read_to_string(&record).unwrap_or_default().lines() {
        let (case, payload) = line.split_once('\t').unwrap();
        let payload: Value = serde_json::from_str(payload).unwrap();
        payloads
            .entry(case.to_string())
            .or_default()
            .push(payload.as_object().unwrap().clone());
    }
    Run {
        out,
        cases,
        payloads,
    }
}

impl Run {
    fn failed(&self) -> BTreeSet<String> {
        self.cases
            .iter()
            .filter(|(_, v)| v["passed"] == false)
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// The cases whose sent payloads `rule` picks.
    fn explained(&self, rule: impl Fn(&Map<String, Value>) -> bool) -> BTreeSet<String> {
        self.payloads
            .iter()
            .filter(|(_, ps)| ps.iter().any(&rule))
            .map(|(id, _)| id.clone())
            .collect()
    }

    fn reason(&self, id: &str) -> String {
        self.cases[id]["reason"].as_str().unwrap_or("").to_string()
    }

    fn code(&self) -> i32 {
        self.out.status.code().unwrap()
    }
}

/// The case ids `--list` prints for these flags.
fn listed(extra: &[&str]) -> Vec<String> {
    let mut args = vec!["test", "--list", "--format", "json"];
    args.extend(extra);
    let out = common::run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let list: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["case"].as_str().unwrap().to_string())
        .collect()
}

/// Words of a POSIX shell line as `render::contract::shell_line` writes them.
fn shell_words(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '\'') => quoted = false,
            (true, c) => word.push(c),
            (false, '\'') => (quoted, any) = (true, true),
            (false, '\\') => word.extend(chars.next()),
            (false, ' ') if any || !word.is_empty() => {
                words.push(std::mem::take(&mut word));
                any = false;
            }
            (false, ' ') => {}
            (false, c) => word.push(c),
        }
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    words
}

#[test]
fn the_correct_receiver_passes_every_case_and_fire_lines_resend_the_same_bytes() {
    let receiver = Receiver::start("correct");
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("r.xml");
    let store = receiver.store.display().to_string();
    let stored = format!("grep -qF \"$SERVETEL_UUID\" '{store}'");
    let junit_arg = junit.display().to_string();
    let run = run(&receiver, &["--junit", &junit_arg], Some(&stored));
    let all = listed(&[]);
    assert_eq!(run.code(), 0, "{}", common::stderr(&run.out));
    assert_eq!(
        run.cases.keys().cloned().collect::<BTreeSet<_>>(),
        all.iter().cloned().collect()
    );
    assert!(run.failed().is_empty(), "{:?}", run.failed());
    let summary = common::stderr(&run.out);
    assert!(summary.contains("all passed"), "{summary}");
    assert!(summary.contains("p50") && summary.contains("p99") && summary.contains("slowest"));
    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(doc.root_element().attribute("failures"), Some("0"));
    assert_eq!(
        doc.root_element().attribute("tests"),
        Some(all.len().to_string().as_str())
    );

    // Every request the receiver got, by its body (POST) or query (GET).
    let received: BTreeSet<String> = receiver
        .stored()
        .iter()
        .map(|r| match r["method"].as_str() {
            Some("GET") => format!("GET {}", r["query"].as_str().unwrap()),
            _ => format!("POST {}", r["body"].as_str().unwrap()),
        })
        .collect();
    for id in [
        "hangup/json/names-devanagari",
        "hangup/form/call-flow-200",
        "missed/query/missed-agent-array",
        "missed-or-answered/json/numbers-as-numbers",
        "dtmf-option/form/default",
        "call/form/inbound-answered",
        "call/json/burst",
        "hangup/form/go-sprint",
        "missed/query/go-sprint",
    ] {
        let again = run.cases[id]["again"].as_str().unwrap();
        let mut words = shell_words(again);
        assert_eq!(words.remove(0), "servetel", "{again}");
        words.extend(["--dry-run", "--format", "json"].map(String::from));
        let out = common::servetel().args(&words).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{again}: {}",
            common::stderr(&out)
        );
        let requests: Vec<Value> = common::stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(!requests.is_empty());
        assert_eq!(
            requests.len(),
            run.cases[id]["requests"].as_array().unwrap().len(),
            "{id}"
        );
        for r in requests {
            let key = match r["method"].as_str() {
                Some("GET") => {
                    let url = r["url"].as_str().unwrap();
                    format!("GET {}", url.split_once('?').unwrap().1)
                }
                _ => format!("POST {}", r["body"].as_str().unwrap()),
            };
            assert!(
                received.contains(&key),
                "{id}: `{again}` does not send what the receiver got:\n{key:.300}"
            );
        }
    }
}

#[test]
fn form_style_go_sends_the_form_and_get_cases_as_go_text_with_the_platforms_user_agent() {
    let receiver = Receiver::start("correct");
    let run = run(
        &receiver,
        &["--trigger", "hangup", "--form-style", "go"],
        None,
    );
    assert_eq!(run.code(), 0, "{}", common::stderr(&run.out));
    let stored = receiver.stored();
    let mut go_text = 0;
    for r in &stored {
        assert_eq!(r["headers"]["user-agent"], "Go-http-client/1.1", "{r}");
        let text = match (r["method"].as_str(), r["headers"]["content-type"].as_str()) {
            (Some("GET"), _) => r["query"].as_str().unwrap(),
            (_, Some(ct)) if ct.contains("form") => r["body"].as_str().unwrap(),
            _ => continue,
        };
        for (key, value) in form_urlencoded::parse(text.as_bytes()) {
            if key == "answered_agent" || key == "call_flow" {
                assert!(
                    !value.starts_with('{') && !value.starts_with("[{"),
                    "{key}={value:.200}"
                );
                go_text += usize::from(value.contains("map["));
            }
        }
    }
    assert!(
        go_text > 10,
        "{go_text} Go maps in {} requests",
        stored.len()
    );
    let again = run.cases["hangup/form/default"]["again"].as_str().unwrap();
    assert!(again.contains("--form-style go"), "{again}");

    // The user's User-Agent replaces the platform's, whatever its case.
    let probe = Receiver::start("correct");
    let url = probe.url();
    let out = common::run(&[
        "test",
        "--to",
        &url,
        "--only",
        "hangup/form/default",
        "--header",
        "user-agent: ci-probe/1",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let got = probe.stored();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["headers"]["user-agent"], "ci-probe/1");
}

#[test]
fn reading_hangup_cause_fails_every_real_hangup() {
    let receiver = Receiver::start("hangup_cause");
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("r.xml");
    let run = run(&receiver, &["--junit", junit.to_str().unwrap()], None);
    assert_eq!(run.code(), 1, "{}", common::stderr(&run.out));
    let expected = run.explained(|p| {
        p.get("end_stamp").is_some_and(|s| s != "") && !p.contains_key("hangup_cause")
    });
    assert!(expected.contains("hangup/json/default"));
    assert!(expected.contains("call/form/inbound-answered"));
    assert!(
        !expected.contains("hangup/json/docs"),
        "the docs payload has hangup_cause"
    );
    assert_eq!(run.failed(), expected);
    for id in &expected {
        let reason = run.reason(id);
        assert!(
            reason.contains("answered 500") && reason.contains("KeyError: 'hangup_cause'"),
            "{id}: {reason}"
        );
    }

    // The JUnit report of this failing run, against the JUnit XSD's required structure
    // (Ant's junit-4.xsd: testsuites/testsuite/testcase and their required attributes).
    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("the JUnit report is XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(
        root.attribute("failures"),
        Some(expected.len().to_string().as_str())
    );
    let mut cases = 0;
    let mut failures = 0;
    let mut suites = BTreeSet::new();
    for suite in root.children().filter(|n| n.is_element()) {
        assert_eq!(suite.tag_name().name(), "testsuite");
        for attr in [
            "name",
            "tests",
            "failures",
            "errors",
            "time",
            "timestamp",
            "hostname",
            "id",
            "package",
        ] {
            assert!(suite.attribute(attr).is_some(), "testsuite lacks {attr}");
        }
        let stamp = suite.attribute("timestamp").unwrap();
        assert!(
            stamp.len() == 19 && stamp.as_bytes()[10] == b'T' && !stamp.contains('Z'),
            "the XSD's timestamp has no zone: {stamp}"
        );
        suites.insert(suite.attribute("name").unwrap().to_string());
        let children: Vec<_> = suite.children().filter(|n| n.is_element()).collect();
        let names: Vec<&str> = children.iter().map(|n| n.tag_name().name()).collect();
        assert_eq!(names.first(), Some(&"properties"), "properties come first");
        assert_eq!(&names[names.len() - 2..], ["system-out", "system-err"]);
        let testcases: Vec<_> = children
            .iter()
            .filter(|n| n.tag_name().name() == "testcase")
            .collect();
        assert_eq!(
            suite.attribute("tests"),
            Some(testcases.len().to_string().as_str())
        );
        let mut failed_here = 0;
        for case in testcases {
            for attr in ["name", "classname", "time"] {
                assert!(case.attribute(attr).is_some(), "testcase lacks {attr}");
            }
            if let Some(failure) = case.children().find(|n| n.has_tag_name("failure")) {
                failed_here += 1;
                assert!(
                    failure
                        .attribute("message")
                        .unwrap()
                        .contains("hangup_cause")
                );
                assert!(failure.attribute("type").is_some());
                let text = failure.text().unwrap();
                assert!(
                    text.contains("sent: POST") || text.contains("sent: GET"),
                    "{text}"
                );
                assert!(text.contains("got:  500"), "{text}");
                assert!(expected.contains(case.attribute("name").unwrap()));
            }
            cases += 1;
        }
        assert_eq!(
            suite.attribute("failures"),
            Some(failed_here.to_string().as_str())
        );
        failures += failed_here;
    }
    assert_eq!(failures, expected.len());
    assert_eq!(cases, run.cases.len());
    assert!(
        suites.contains("hangup") && suites.contains("call"),
        "one testsuite per trigger"
    );
}

#[test]
fn indexing_missed_agent_as_an_object_fails_where_it_is_an_array() {
    let receiver = Receiver::start("missed_agent");
    let run = run(&receiver, &[], None);
    assert_eq!(run.code(), 1);
    let expected = run.explained(|p| {
        p.get("missed_agent")
            .is_some_and(|m| m.as_array().is_some_and(|a| !a.is_empty()))
    });
    assert!(expected.contains("missed/form/missed-agent-array"));
    assert!(!expected.contains("missed/form/missed-agent-object"));
    assert_eq!(run.failed(), expected);
    for id in &expected {
        let reason = run.reason(id);
        assert!(reason.contains("missed_agent"), "{id}: {reason}");
    }
}

#[test]
fn a_json_only_receiver_fails_every_form_and_get_case() {
    let receiver = Receiver::start("json_only");
    let run = run(&receiver, &[], None);
    assert_eq!(run.code(), 1);
    let expected: BTreeSet<String> = run
        .cases
        .iter()
        .filter(|(_, v)| v["encoding"] != "json")
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(run.failed(), expected);
    assert!(
        run.reason("hangup/form/default")
            .contains("answered 415, it refused a form body")
    );
    assert!(run.reason("hangup/query/default").contains("refused a GET"));
}

#[test]
fn a_receiver_slow_on_long_call_flows_fails_those_cases() {
    let receiver = Receiver::start("slow_call_flow");
    // 200 steps take 1.2 s, always over the budget; the usual call's dozen 0.07 s, far under it
    // even on a loaded machine (a 0.5 s budget once failed a short case there).
    let run = run(&receiver, &["--budget", "1s"], None);
    assert_eq!(run.code(), 1);
    let expected = run.explained(|p| {
        p.get("call_flow")
            .and_then(Value::as_array)
            .is_some_and(|steps| steps.len() * 6 > 1000)
    });
    assert!(expected.contains("hangup/json/call-flow-200"));
    assert_eq!(run.failed(), expected);
    for id in &expected {
        assert!(
            run.reason(id).contains("no answer within the 1 s budget"),
            "{id}"
        );
    }
}

#[test]
fn a_redirect_fails_and_is_not_followed() {
    let receiver = Receiver::start("redirects");
    let run = run(
        &receiver,
        &["--only", "hangup/*", "--only", "call/json/*"],
        None,
    );
    assert_eq!(run.code(), 1);
    assert_eq!(run.failed().len(), run.cases.len());
    assert!(!run.cases.is_empty());
    for id in run.cases.keys() {
        assert!(run.reason(id).contains("answered 301, a redirect"), "{id}");
    }
    assert!(receiver.stored().is_empty(), "the redirect was followed");
}

#[test]
fn acknowledged_but_not_stored_is_caught_only_by_check() {
    let receiver = Receiver::start("not_stored");
    let store = receiver.store.display().to_string();
    let names = ["--only", "*/names-*"];
    let blind = run(&receiver, &names, None);
    assert_eq!(blind.code(), 0, "without --check every answer is a 200");
    let check = format!(
        "{{ grep -qF \"$SERVETEL_UUID\" '{store}' || {{ echo \"uuid $SERVETEL_UUID was acknowledged but is not stored\" >&2; exit 1; }}; }}"
    );
    let run = run(&receiver, &[], Some(&check));
    assert_eq!(run.code(), 1);
    let expected = run.explained(|p| {
        Value::Object(p.clone())
            .to_string()
            .chars()
            .any(|c| c as u32 > 0xFF)
    });
    assert!(expected.contains("hangup/form/names-devanagari"));
    assert!(
        !expected.contains("hangup/form/names-latin"),
        "Latin-1 holds Zoë"
    );
    assert_eq!(run.failed(), expected);
    for id in &expected {
        let reason = run.reason(id);
        assert!(
            reason.contains("--check exited 1: uuid") && reason.contains("not stored"),
            "{id}: {reason}"
        );
    }
}

#[test]
fn the_catalog_lists_stable_ids_and_narrows() {
    let all = listed(&[]);
    for id in [
        "hangup/json/docs",
        "hangup/json/default",
        "hangup/form/placeholders",
        "hangup/query/empty-absent",
        "hangup/json/trailing-space-key",
        "missed/form/answered-agent-array",
        "missed/json/missed-agent-object",
        "hangup/json/numbers-as-numbers",
        "hangup/json/dialer-stamps",
        "hangup/json/names-devanagari",
        "hangup/json/names-latin",
        "hangup/form/call-flow-200",
        "hangup/query/only-required",
        "hangup/form/go-sprint",
        "call/json/inbound-answered",
        "call/form/duplicate",
        "call/json/out-of-order",
        "call/query/burst",
    ] {
        assert!(
            all.contains(&id.to_string()),
            "{id} is gone: ids are stable"
        );
    }
    let triggers: BTreeSet<&str> = all.iter().map(|id| id.split('/').next().unwrap()).collect();
    assert_eq!(
        triggers.len(),
        12,
        "11 triggers and the calls: {triggers:?}"
    );
    let form = listed(&["--encoding", "form", "--trigger", "Call Hangup"]);
    assert!(!form.is_empty());
    assert!(
        form.iter()
            .all(|id| id.starts_with("hangup/form/") || id.starts_with("call/form/")),
        "{form:?}"
    );
    // Under --form-style go every form and GET case sends Go text: go-sprint would repeat them.
    let go = listed(&["--form-style", "go"]);
    assert!(go.iter().all(|id| !id.ends_with("/go-sprint")), "{go:?}");
    assert_eq!(
        go.len(),
        all.iter().filter(|id| !id.ends_with("/go-sprint")).count()
    );
    let only = listed(&["--only", "*/json/placeholders"]);
    assert!(only.contains(&"hangup/json/placeholders".to_string()));
    assert!(
        only.iter().all(|id| id.ends_with("/json/placeholders")),
        "{only:?}"
    );
    let pretty = common::run(&["test", "--list"]);
    let text = common::stdout(&pretty);
    assert!(
        text.contains("hangup/form/placeholders") && text.contains("$campaign_name"),
        "{text:.400}"
    );
    let none = common::run(&["test", "--list", "--only", "nothing/*"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(common::stderr(&none).contains("no case matches --only nothing/*"));
}

#[test]
fn an_endpoint_nobody_listens_on_exits_3_and_no_target_is_a_usage_error() {
    let out = common::run(&[
        "test",
        "--to",
        "http://127.0.0.1:1/hook",
        "--only",
        "hangup/json/d*",
        "--seed",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", common::stderr(&out));
    assert!(common::stdout(&out).contains("no answer: cannot connect"));
    let out = common::run(&["test"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("give --to URL"));
}

#[test]
fn webhooks_are_tested_as_they_send_and_the_seed_repeats_the_run() {
    let receiver = Receiver::start("correct");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("servetel.toml");
    std::fs::write(
        &config,
        format!(
            "[[webhook]]\nname = \"crm\"\ntrigger = \"hangup\"\nmethod = \"POST\"\ncontent_type = \"form\"\n\
             url = \"{}\"\nheaders = {{ \"X-Api-Key\" = \"k1\" }}\n\
             template = '''{{\"callID\": \"$uuid\", \"agent\": \"$answered_agent.name\", \"cause\": \"$hangup_cause_key\"}}'''\n",
            receiver.url()
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let ids = listed(&["--config", config, "--webhook", "crm"]);
    assert!(ids.contains(&"hangup/form/default".to_string()));
    assert!(ids.contains(&"call/form/duplicate".to_string()));
    assert!(
        ids.iter()
            .all(|id| id.starts_with("hangup/form/") || id.starts_with("call/form/")),
        "{ids:?}"
    );
    let args = [
        "--config",
        config,
        "test",
        "--webhook",
        "crm",
        "--seed",
        "3",
        "--format",
        "json",
        "--only",
        "hangup/form/names-*",
        "--header",
        "X-Tenant: t9",
    ];
    let first = common::run(&args);
    assert_eq!(first.status.code(), Some(0), "{}", common::stderr(&first));
    let lines = common::stdout(&first);
    assert!(
        lines.contains("servetel fire --webhook crm --config"),
        "{lines}"
    );
    let bodies: Vec<String> = receiver
        .stored()
        .iter()
        .map(|r| r["body"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(bodies.len(), 2);
    for r in receiver.stored() {
        assert_eq!(r["headers"]["x-api-key"], "k1", "the webhook's header");
        assert_eq!(r["headers"]["x-tenant"], "t9", "--header");
        assert_eq!(
            r["headers"]["content-type"],
            "application/x-www-form-urlencoded"
        );
    }
    assert!(
        bodies
            .iter()
            .all(|b| b.starts_with("callID=") && b.contains("&agent=") && !b.contains("call_flow")),
        "{bodies:?}"
    );
    let again = common::run(&args);
    assert_eq!(
        receiver.stored()[2..]
            .iter()
            .map(|r| r["body"].as_str().unwrap().to_string())
            .collect::<Vec<_>>(),
        bodies,
        "the same seed sends the same bytes"
    );
    assert!(common::stderr(&again).contains("seed 3"));
}

#[test]
fn sigterm_mid_run_exits_130() {
    let receiver = Receiver::start("slow_call_flow");
    let url = receiver.url();
    let mut child = common::servetel_process()
        .args([
            "test",
            "--to",
            &url,
            "--seed",
            "2",
            "--only",
            "*/call-flow-200",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The first case line: the run is under way (each case takes over a second here).
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.contains("call-flow-200") {
        line.clear();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "the run ended early"
        );
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
}
