//! The conventions a user leans on (issue 13), each through the real binary as a user meets it:
//! interrupted runs exit 130, a scenario plays in seconds, empty input is an error, a folder walk
//! reads payload files only, the progress line is erased, Ctrl-D ends standard input, and the
//! small ones (nothing matched, usage errors in one style, JSON listings, plurals).
//!
//! Terminal behaviour is driven through a pseudo-terminal (python's `pty` module), and what the
//! terminal finally shows is worked out by [`screen`].

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::receiver::Receiver;
use common::{run, stderr, stdout};
use serde_json::{Map, Value};

fn sample(trigger: &str, seed: u64) -> Map<String, Value> {
    let out = run(&["sample", trigger, "--seed", &seed.to_string()]);
    serde_json::from_slice(&out.stdout).expect("sample prints a JSON object")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Waits until the receiver has `n` requests (at most 10 s: a liveness guard, not a measurement).
fn wait_for_hits(receiver: &Receiver, n: usize) {
    let started = Instant::now();
    while receiver.received().len() < n && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(child: &std::process::Child, name: &str) {
    let status = Command::new("kill")
        .args([name, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill {name}");
}

// ---------------------------------------------------------------------------------------------
// 1. Interrupted runs exit 130.

#[test]
fn ctrl_c_during_a_rate_limited_burst_exits_130() {
    let receiver = Receiver::start();
    let child = common::servetel_process()
        .args([
            "fire", "hangup", "--count", "1000", "--rate", "20/s", "--seed", "1",
        ])
        .args(["--to", &receiver.url("/hook")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_hits(&receiver, 2);
    signal(&child, "-INT");
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(130),
        "half a burst is no success: {err}"
    );
    assert!(err.contains("stopped by Ctrl-C"), "{err}");
    assert!(err.contains("2xx"), "the summary still prints: {err}");
    let sent = receiver.received().len();
    assert!(sent < 1000, "{sent} of 1000 sent");
    receiver.assert_hits(sent);
}

#[test]
fn sigterm_during_a_replay_exits_130() {
    let dir = tempfile::tempdir().unwrap();
    let calls: Vec<String> = (0..7)
        .map(|seed| Value::Object(sample("hangup", seed)).to_string())
        .collect();
    let lines: Vec<&String> = calls.iter().cycle().take(200).collect();
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let file = write(dir.path(), "calls.ndjson", &text);
    let receiver = Receiver::start();
    let child = common::servetel_process()
        .args(["replay", file.to_str().unwrap(), "--rate", "20/s"])
        .args(["--to", &receiver.url("/hook")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_hits(&receiver, 2);
    signal(&child, "-TERM");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    let sent = receiver.received().len();
    assert!(sent < 200, "{sent} of 200 sent");
    receiver.assert_hits(sent);
}

#[test]
fn a_run_that_ends_by_itself_is_not_interrupted() {
    let receiver = Receiver::start();
    let out = run(&[
        "fire",
        "hangup",
        "--count",
        "3",
        "--seed",
        "1",
        "--to",
        &receiver.url("/"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    receiver.assert_hits(3);
}

/// `-q` is data and errors only: an interrupted quiet run says nothing, its exit code does.
#[test]
fn a_quiet_run_stopped_by_ctrl_c_prints_nothing_and_exits_130() {
    let receiver = Receiver::start();
    let child = common::servetel_process()
        .args([
            "-q", "fire", "hangup", "--count", "1000", "--rate", "20/s", "--seed", "1",
        ])
        .args(["--to", &receiver.url("/hook")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_hits(&receiver, 2);
    signal(&child, "-INT");
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert_eq!(err, "", "-q: no notice, no summary");
    let sent = receiver.received().len();
    receiver.assert_hits(sent);
}

#[test]
fn a_quiet_listener_stopped_by_ctrl_c_prints_nothing_after_its_listening_line() {
    let mut cmd = common::servetel_process();
    cmd.args(["-q", "listen", "--port", "0"]);
    let mut listening = common::spawn_listening(&mut cmd);
    let body = Value::Object(sample("hangup", 1)).to_string();
    let (status, _) = common::send(
        listening.port,
        "POST",
        "/hook",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    assert_eq!(status, 200);
    signal(&listening.child, "-INT");
    let code = listening.child.wait().unwrap().code();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut listening.stderr, &mut err).unwrap();
    assert_eq!(code, Some(0), "listen stops on a signal by design: {err}");
    assert_eq!(err, "", "-q: no notice, no summary");
    let printed = listening.stdout.join().unwrap();
    assert!(
        printed.contains("hangup"),
        "the callback is still shown: {printed}"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. A scenario's pace.

/// The `--dry-run --format json` objects of a seeded scenario at a pace.
fn planned(scenario: &str, speed: &[&str]) -> Vec<Value> {
    let mut args = vec![
        "fire",
        "--scenario",
        scenario,
        "--seed",
        "3",
        "--dry-run",
        "--format",
        "json",
        "--to",
        "http://127.0.0.1:9/hook",
    ];
    args.extend_from_slice(speed);
    let out = run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_scenario_at_the_default_pace_waits_at_most_a_second_per_gap_and_keeps_its_stamps() {
    let brisk = planned("inbound-answered", &[]);
    let real = planned("inbound-answered", &["--speed", "real"]);
    assert_eq!(brisk.len(), 5);
    let waits = |events: &[Value]| -> Vec<u64> {
        events
            .iter()
            .map(|e| e["wait_ms"].as_u64().unwrap())
            .collect()
    };
    assert!(
        waits(&brisk).iter().all(|w| *w <= 1000),
        "{:?}",
        waits(&brisk)
    );
    assert!(
        waits(&real).iter().sum::<u64>() > 20_000,
        "--speed real waits the talk time: {:?}",
        waits(&real)
    );
    // Only the waiting changes: every body (its stamps) is the call's own.
    let bodies =
        |events: &[Value]| -> Vec<Value> { events.iter().map(|e| e["body"].clone()).collect() };
    assert_eq!(bodies(&brisk), bodies(&real));
}

#[test]
fn a_scenario_at_the_default_pace_arrives_whole() {
    let receiver = Receiver::start();
    let out = run(&[
        "fire",
        "--scenario",
        "click-to-call",
        "--seed",
        "2",
        "--to",
        &receiver.url("/hook"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let hits = receiver.assert_hits(3);
    let call_ids: Vec<Value> = hits
        .iter()
        .map(|h| h.payload()["call_id"].clone())
        .collect();
    assert!(call_ids.iter().all(|c| *c == call_ids[0]), "{call_ids:?}");
}

#[test]
fn speed_without_a_scenario_is_a_usage_error() {
    let out = run(&[
        "fire",
        "hangup",
        "--speed",
        "10",
        "--to",
        "http://127.0.0.1:9/",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("servetel: error: --speed paces the events of a scenario"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// 3. One clock.

/// `calls` shows arrival times on listen's clock: the machine's zone, named.
#[test]
fn calls_shows_arrivals_on_the_clock_listen_prints() {
    let dir = tempfile::tempdir().unwrap();
    let payload = Value::Object(sample("hangup", 1)).to_string();
    let at = "2026-04-09T01:12:42.830+00:00";
    let record = serde_json::json!({
        "seq": 1, "received_at": at, "remote_addr": "127.0.0.1:50000", "method": "POST",
        "path": "/hook", "query": "", "headers": [["Content-Type", "application/json"]],
        "body": payload, "payload": null, "trigger": "hangup", "verdict": null,
        "response": {"status": 200, "delay_ms": 0},
    });
    let file = write(dir.path(), "calls.ndjson", &format!("{record}\n"));
    for (tz, shown) in [
        ("Asia/Kolkata", "06:42:42.830 IST"),
        ("UTC", "01:12:42.830 UTC"),
    ] {
        let zone = servetel::timestamp::zone_named(tz);
        assert_eq!(
            servetel::timestamp::clock_in(at, zone).as_deref(),
            Some(shown),
            "listen's header clock"
        );
        let out = common::servetel()
            .env("TZ", tz)
            .args(["calls", file.to_str().unwrap()])
            .output()
            .unwrap();
        let text = stdout(&out);
        assert!(text.contains(shown), "TZ={tz}: {text}");
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Empty input, and what a folder walk reads.

#[test]
fn no_payload_found_is_exit_2_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty.json", "");
    let blank = write(dir.path(), "blank.ndjson", "\n  \n\n");
    let folder = dir.path().join("captures");
    std::fs::create_dir(&folder).unwrap();
    for path in [&empty, &blank, &folder] {
        let path = path.to_str().unwrap();
        let out = run(&["validate", path]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{path}: {err}");
        assert!(
            err.contains(&format!("servetel: error: no payloads found in {path}")),
            "{err}"
        );
        let out = run(&["validate", "--allow-empty", path]);
        assert_eq!(out.status.code(), Some(0), "{path}: {}", stderr(&out));
    }
    let out = common::servetel()
        .args(["validate", "-"])
        .write_stdin("\n\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no payloads found in standard input"));
}

#[test]
fn a_replay_of_no_record_is_exit_2_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty.ndjson", "");
    let blank = write(dir.path(), "blank.ndjson", "\n  \n\n");
    let folder = dir.path().join("captures");
    std::fs::create_dir(&folder).unwrap();
    let receiver = Receiver::start();
    for path in [&empty, &blank, &folder] {
        let path = path.to_str().unwrap();
        for dry in [&[][..], &["--dry-run"][..]] {
            let out = common::servetel()
                .args(["replay", path, "--to", &receiver.url("/")])
                .args(dry)
                .output()
                .unwrap();
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{path} {dry:?}: {err}");
            assert!(
                err.contains(&format!("servetel: error: no payloads found in {path}")),
                "the words validate uses: {err}"
            );
            assert!(!err.contains("sent 0 events"), "{err}");
        }
        let out = run(&["replay", "--allow-empty", path, "--to", &receiver.url("/")]);
        assert_eq!(out.status.code(), Some(0), "{path}: {}", stderr(&out));
    }
    let out = common::servetel()
        .args(["replay", "-", "--to", &receiver.url("/")])
        .write_stdin("\n\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no payloads found in standard input"));
    receiver.assert_hits(0);
}

#[test]
fn a_folder_walk_reads_payload_files_and_a_named_file_is_read_whatever_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let hangup = Value::Object(sample("hangup", 4)).to_string();
    write(dir.path(), "hangup.json", &hangup);
    let form = stdout(&run(&[
        "sample",
        "missed",
        "--seed",
        "5",
        "--encoding",
        "form",
    ]));
    write(dir.path(), "missed.form", &form);
    write(dir.path(), "missed-too.txt", &form);
    write(
        dir.path(),
        "README.md",
        "# Captures\n\nFrom the staging portal, 2 December.\n",
    );
    write(
        dir.path(),
        "notes.txt",
        "The hangup came twice; ask Servetel about retries = maybe.\n",
    );
    let renamed = write(dir.path(), "hangup.payload", &hangup);
    let out = run(&["validate", "--format", "json", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let sources: Vec<String> = stdout(&out)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let source = v["source"].as_str().unwrap().to_string();
            source.rsplit('/').next().unwrap().to_string()
        })
        .collect();
    assert_eq!(sources, ["hangup.json", "missed-too.txt", "missed.form"]);
    let out = run(&["validate", renamed.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "named explicitly: {}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("checked 1 payload: 1 valid"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn validate_help_names_what_a_folder_walk_reads() {
    let help = stdout(&run(&["validate", "--help"]));
    assert!(
        help.contains(".json, .ndjson, .jsonl, .form, .query"),
        "{help}"
    );
    assert!(help.contains("--allow-empty"), "{help}");
}

// ---------------------------------------------------------------------------------------------
// 5, 6 and the countdown: on a terminal.

/// Runs `servetel ARGS` on a pseudo-terminal: waits for each `expect` in turn and types its
/// `send`, then waits (at most `timeout`) for the end. Returns what the terminal received and the
/// exit code (`None`: still running at the timeout, then killed).
const PTY_DRIVER: &str = r#"
import json, os, pty, select, signal, sys, time
spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    env = dict(os.environ)
    env.update(spec["env"])
    os.execve(spec["argv"][0], spec["argv"], env)
out, seen, steps = b"", 0, [(e.encode(), s.encode()) for e, s in spec["steps"]]
deadline = time.time() + spec["timeout"]
while time.time() < deadline:
    if steps and steps[0][0] in out[seen:]:
        seen = out.index(steps[0][0], seen) + len(steps[0][0])
        time.sleep(0.2)
        os.write(fd, steps.pop(0)[1])
        continue
    ready, _, _ = select.select([fd], [], [], 0.05)
    if ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        try:
            while True:
                ready, _, _ = select.select([fd], [], [], 0.2)
                data = os.read(fd, 65536) if ready else b""
                if not data:
                    break
                out += data
        except OSError:
            pass
        break
else:
    os.kill(pid, signal.SIGKILL)
    status = None
if status is None:
    code = "none"
else:
    if not done:
        _, status = os.waitpid(pid, 0)
    code = str(os.waitstatus_to_exitcode(status))
sys.stdout.buffer.write(out)
sys.stderr.write(code)
"#;

struct Terminal {
    /// Everything the terminal received, escapes included.
    raw: String,
    code: Option<i32>,
}

fn on_terminal(args: &[&str], steps: &[(&str, &str)], timeout: Duration) -> Terminal {
    let binary = assert_cmd::cargo::cargo_bin("servetel");
    let mut argv = vec![binary.to_str().unwrap().to_string()];
    argv.extend(args.iter().map(|a| a.to_string()));
    let spec = serde_json::json!({
        "argv": argv,
        "env": {"TERM": "xterm", "COLUMNS": "120", "LINES": "40"},
        "steps": steps,
        "timeout": timeout.as_secs_f64(),
    });
    let out = Command::new("python3")
        .arg("-c")
        .arg(PTY_DRIVER)
        .arg(spec.to_string())
        .env_remove("NO_COLOR")
        .output()
        .expect("python3 runs (the terminal tests drive a pty with it)");
    let code = String::from_utf8_lossy(&out.stderr);
    let code = code.lines().last().unwrap_or("").trim().to_string();
    Terminal {
        raw: String::from_utf8_lossy(&out.stdout).into_owned(),
        code: if code == "none" {
            None
        } else {
            Some(code.parse().unwrap_or_else(|_| panic!("driver: {code}")))
        },
    }
}

/// What a terminal shows at the end of `raw`: `\r` returns to the line's start, `ESC[2K` erases
/// the line, `ESC[K` its rest, `ESC[nA` moves up; other escapes (colors) change nothing visible.
fn screen(raw: &str) -> Vec<String> {
    let mut lines: Vec<Vec<char>> = vec![Vec::new()];
    let (mut row, mut col) = (0usize, 0usize);
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => col = 0,
            '\n' => {
                row += 1;
                if lines.len() <= row {
                    lines.push(Vec::new());
                }
            }
            '\x1b' if chars.peek() == Some(&'[') => {
                chars.next();
                let mut params = String::new();
                let mut end = ' ';
                for p in chars.by_ref() {
                    if p.is_ascii_alphabetic() || p == '~' {
                        end = p;
                        break;
                    }
                    params.push(p);
                }
                let n: usize = params.trim_start_matches('?').parse().unwrap_or(1);
                match end {
                    'K' if params == "2" => lines[row].clear(),
                    'K' => lines[row].truncate(col),
                    'A' => row = row.saturating_sub(n.max(1)),
                    'G' => col = n.saturating_sub(1),
                    _ => {}
                }
            }
            '\x1b' => {
                chars.next();
            }
            c if c.is_control() => {}
            c => {
                let line = &mut lines[row];
                while line.len() < col {
                    line.push(' ');
                }
                if col < line.len() {
                    line[col] = c;
                } else {
                    line.push(c);
                }
                col += 1;
            }
        }
    }
    lines
        .into_iter()
        .map(|l| l.into_iter().collect::<String>().trim_end().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_screen_model_erases_and_overwrites() {
    let shown = screen("checked 256 payloads…\r\x1b[2Kchecked 300 payloads: 300 valid\r\nnext\n");
    assert_eq!(shown, ["checked 300 payloads: 300 valid", "next"]);
    assert_eq!(screen("abc\rX\n"), ["Xbc"]);
}

#[test]
fn the_progress_line_is_erased_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let calls: Vec<String> = (0..7)
        .map(|seed| Value::Object(sample("missed", seed)).to_string())
        .collect();
    // Fewer than one batch of 256: the old progress line was drawn then and left standing.
    let text: String = calls
        .iter()
        .cycle()
        .take(200)
        .map(|l| format!("{l}\n"))
        .collect();
    let file = write(dir.path(), "calls.ndjson", &text);
    let term = on_terminal(
        &["--color", "never", "validate", file.to_str().unwrap()],
        &[],
        Duration::from_secs(30),
    );
    assert_eq!(term.code, Some(0), "{:?}", term.raw);
    // What stays is the summary alone (repeated calls warn as duplicates: not this test's point).
    let shown = screen(&term.raw);
    assert_eq!(shown.len(), 1, "raw: {:?}", term.raw);
    assert!(
        shown[0].starts_with("checked 200 payloads: 200 valid, 0 invalid"),
        "raw: {:?}",
        term.raw
    );
}

#[test]
fn ctrl_d_ends_standard_input_on_a_terminal_at_once() {
    let payload = Value::Object(sample("hangup", 1)).to_string();
    let typed = format!("{payload}\n");
    let term = on_terminal(
        &["--color", "never", "validate", "-"],
        &[("standard input", &typed), ("\n", "\x04")],
        Duration::from_secs(15),
    );
    assert_eq!(
        term.code,
        Some(0),
        "one Ctrl-D at an empty line is the end of input: {:?}",
        term.raw
    );
    assert!(
        term.raw.contains("checked 1 payload: 1 valid"),
        "{:?}",
        term.raw
    );
}

#[test]
fn declining_send_it_sends_nothing_and_exits_0() {
    let receiver = Receiver::start();
    let url = receiver.url("/hook");
    // Seeded: the prompts asked depend on the call (seed 1 draws an answered one).
    let term = on_terminal(
        &["--color", "never", "fire", "--seed", "1", "--to", &url],
        &steps_until_send(),
        Duration::from_secs(20),
    );
    assert_eq!(term.code, Some(0), "{:?}", term.raw);
    let shown = screen(&term.raw).join("\n");
    assert!(shown.contains("servetel: nothing sent"), "{shown}");
    assert!(!shown.contains("error"), "{shown}");
    receiver.assert_hits(0);
}

/// Enter at every prompt (the defaults), then `n` at `Send it?`.
fn steps_until_send() -> Vec<(&'static str, &'static str)> {
    vec![
        ("What to fire", "\r"),
        ("Caller's number", "\r"),
        ("Your number", "\r"),
        ("Agent who took the call", "\r"),
        ("Talk time", "\r"),
        ("Send it?", "n"),
    ]
}

/// The prompts set the call's facts, not raw fields: an invalid answer is asked again, and the
/// agent typed lands in every field that carries the agent (the request shown before `Send it?`).
#[test]
fn the_prompts_set_the_calls_facts() {
    let receiver = Receiver::start();
    let url = receiver.url("/hook");
    let term = on_terminal(
        &["--color", "never", "fire", "--seed", "1", "--to", &url],
        &[
            ("What to fire", "\x1b[B\x1b[B\x1b[B\x1b[B\r"), // hangup
            ("Caller's number", "abc\r"),
            ("expected 6–15 digits", "\x15\x15\x159876543210\r"),
            ("Your number", "\r"),
            ("Agent who took the call", "Ravi Kumar\r"),
            ("Talk time", "2m\r"),
            ("Send it?", "n"),
        ],
        Duration::from_secs(20),
    );
    assert_eq!(term.code, Some(0), "{:?}", term.raw);
    let body = screen(&term.raw)
        .into_iter()
        .find(|l| l.starts_with('{'))
        .unwrap_or_else(|| panic!("no request shown: {:?}", term.raw));
    let p: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(p["answered_agent"]["name"], "Ravi Kumar", "{body}");
    assert_eq!(p["answered_agent_name"], "Ravi Kumar", "{body}");
    let took = p["call_flow"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["dialst"] == "Answered")
        .unwrap();
    assert_eq!(took["name"], "Ravi Kumar", "{body}");
    assert!(body.contains("9876543210"), "{body}");
    assert_eq!(p["customer_no_with_prefix "], "919876543210", "{body}");
    assert_eq!(p["billsec"], "120", "{body}");
    receiver.assert_hits(0);
}

#[test]
fn a_scenario_at_its_real_pace_counts_down_on_a_terminal_and_erases_the_count() {
    let receiver = Receiver::start();
    let url = receiver.url("/hook");
    let term = on_terminal(
        &[
            "--color",
            "never",
            "fire",
            "--scenario",
            "click-to-call",
            "--seed",
            "2",
            "--speed",
            "8",
            "--to",
            &url,
        ],
        &[],
        Duration::from_secs(60),
    );
    assert_eq!(term.code, Some(0), "{:?}", term.raw);
    assert!(
        term.raw.contains("hangup in "),
        "the countdown names what comes next: {:?}",
        term.raw
    );
    let shown = screen(&term.raw).join("\n");
    assert!(
        !shown.contains("hangup in"),
        "erased when the event goes: {shown}"
    );
    receiver.assert_hits(3);
}

// ---------------------------------------------------------------------------------------------
// 12. The small ones.

#[test]
fn a_replay_filter_that_matches_nothing_exits_1_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let line = Value::Object(sample("hangup", 1)).to_string();
    let file = write(dir.path(), "calls.ndjson", &format!("{line}\n{line}\n"));
    let receiver = Receiver::start();
    let out = run(&[
        "replay",
        file.to_str().unwrap(),
        "--filter",
        "trigger=missed",
        "--to",
        &receiver.url("/"),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("nothing matched --filter trigger=missed"),
        "{err}"
    );
    receiver.assert_hits(0);
}

#[test]
fn list_scenarios_as_json() {
    let out = run(&["fire", "--list-scenarios", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let list: Vec<Value> = serde_json::from_slice(&out.stdout).expect("a JSON array");
    let first = &list[0];
    assert_eq!(first["name"], "inbound-answered");
    assert_eq!(first["steps"][0], "received-on-server");
    assert_eq!(first["steps"].as_array().unwrap().len(), 5);
    assert!(list.iter().any(|s| s["name"] == "click-to-call"));
}

#[test]
fn argument_errors_speak_in_the_one_error_style() {
    let out = run(&["fire", "hangup", "--count", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.starts_with("servetel: error: "), "{err}");
    assert!(err.contains("at least 1"), "{err}");
    assert!(!err.contains("18446744073709551615"), "{err}");
    let out = run(&["validate", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("servetel: error: unexpected argument '--no-such-flag'"),
        "{err}"
    );
    // Help is not an error.
    let out = run(&["fire", "--help"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn fire_help_lists_every_encoding() {
    let help = stdout(&run(&["fire", "--help"]));
    let encoding = help
        .split("--encoding <ENCODING>")
        .nth(1)
        .and_then(|rest| rest.split("Possible values").next())
        .unwrap();
    for name in ["json", "form", "query"] {
        assert!(encoding.contains(name), "{encoding}");
    }
}

#[test]
fn stopping_at_max_errors_counts_in_the_singular() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "bad.ndjson", "{\"a\":1}\n{\"b\":2}\n");
    let out = run(&["validate", "--max-errors", "1", file.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(
        err.contains("stopped after 1 invalid payload (--max-errors)"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// 13. "Did you mean" is bounded.

#[test]
fn a_huge_unknown_key_is_reported_without_a_suggestion() {
    let mut payload = sample("hangup", 1);
    let key = format!("caller_id_number{}", "x".repeat(16 << 20));
    payload.insert(key, Value::String("1".into()));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.json");
    let mut f = std::fs::File::create(&file).unwrap();
    serde_json::to_writer(&mut f, &payload).unwrap();
    f.flush().unwrap();
    let out: Output = run(&[
        "validate",
        "--trigger",
        "hangup",
        "--format",
        "json",
        file.to_str().unwrap(),
    ]);
    // An unknown key is a warning: the payload is still valid.
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = result["findings"].as_array().unwrap();
    let unknown: Vec<&Value> = findings.iter().filter(|f| f["code"] == "unknown").collect();
    assert_eq!(unknown.len(), 1, "{}", result["findings"].to_string().len());
    let message = unknown[0]["message"].as_str().unwrap();
    assert!(
        !message.contains("did you mean"),
        "no variable is 16 MB long"
    );
    assert!(message.contains("`servetel schema TRIGGER` lists the variables"));
}

#[test]
fn a_huge_unknown_key_is_quoted_by_an_excerpt() {
    let mut payload = sample("hangup", 1);
    payload.insert(
        format!("caller_id_number{}", "x".repeat(16 << 20)),
        Value::String("1".into()),
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.json");
    std::fs::write(&file, Value::Object(payload).to_string()).unwrap();
    let out = run(&[
        "validate",
        "-v",
        "--trigger",
        "hangup",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = format!("{}{}", stdout(&out), stderr(&out));
    let line = report
        .lines()
        .find(|l| l.contains("is neither a variable"))
        .expect("the unknown key is reported");
    let message = &line[line.find(": `").expect("the message after the path")..];
    assert!(
        message.starts_with(": `caller_id_numberxxx") && message.contains("…` (16.0 MiB long)"),
        "{}",
        &message[..message.len().min(300)]
    );
    assert!(
        message.len() < 300,
        "a message quotes an excerpt, not 16 MB"
    );
    assert!(line.len() < 500, "and the line shows the path cut short");
}
