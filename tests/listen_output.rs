//! The conventions a user leans on in `listen`'s output (issue 13): the clock in the machine's
//! zone, named; the compact modes (`--format line`, `-q`); one verdict for a rejected request.
//! Each test starts the real binary with `--count N` and an explicit `TZ`, sends N callbacks one
//! after the other, and reads everything it printed once it has exited by itself.

mod common;

use std::io::{BufReader, Read};
use std::process::Stdio;

const JSON: (&str, &str) = ("Content-Type", "application/json");

/// A payload from `servetel sample -q ARGS…`.
fn sample(args: &[&str]) -> String {
    let out = common::run(&[&["sample", "-q"], args].concat());
    assert!(out.status.success(), "{}", common::stderr(&out));
    common::stdout(&out).trim_end().to_string()
}

/// What one `listen` run printed and how it ended.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// The status each request was answered with, in order.
    answers: Vec<u16>,
}

/// `TZ=tz servetel [ARGS…] listen --port 0 --count N …`, for the N bodies POSTed as JSON to
/// `/hook` with `headers`.
fn listen(tz: Option<&str>, args: &[&str], headers: &[(&str, &str)], bodies: &[&str]) -> Run {
    let requests: Vec<_> = bodies.iter().map(|b| (headers, *b)).collect();
    listen_each(tz, args, &requests)
}

/// [`listen`] with headers of its own for each request.
fn listen_each(tz: Option<&str>, args: &[&str], requests: &[(&[(&str, &str)], &str)]) -> Run {
    let count = requests.len().to_string();
    let mut cmd = common::servetel_process();
    match tz {
        Some(tz) => cmd.env("TZ", tz),
        None => cmd.env_remove("TZ"),
    };
    let (global, local): (Vec<&str>, Vec<&str>) = args.iter().partition(|a| **a == "-q");
    let mut child = cmd
        .args(&global)
        .args(["listen", "--port", "0", "--count", &count])
        .args(&local)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).unwrap();
        text
    });
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let port = common::readiness_port(&mut stderr);
    let answers = requests
        .iter()
        .map(|(headers, body)| {
            let headers: Vec<_> = [JSON].into_iter().chain(headers.iter().copied()).collect();
            common::send(port, "POST", "/hook", &headers, body.as_bytes()).0
        })
        .collect();
    let status = child.wait().unwrap();
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    Run {
        code: status.code(),
        stdout: reader.join().unwrap(),
        stderr: rest,
        answers,
    }
}

/// The time in a header line `── 06:42:42.830 IST POST …`, as `(clock, zone)`.
fn header_time(line: &str) -> (String, String) {
    let mut words = line.strip_prefix("── ").expect("a header line").split(' ');
    let clock = words.next().unwrap().to_string();
    (clock, words.next().unwrap().to_string())
}

/// Minutes since midnight of `HH:MM:SS.mmm`.
fn minutes(clock: &str) -> i64 {
    let h: i64 = clock[0..2].parse().unwrap();
    let m: i64 = clock[3..5].parse().unwrap();
    h * 60 + m
}

/// The `received_at` of the one record `--format json` printed, as minutes since midnight UTC.
fn record_minutes(record_line: &str) -> (String, i64) {
    let record: serde_json::Value = serde_json::from_str(record_line).unwrap();
    let at = record["received_at"].as_str().unwrap().to_string();
    let clock = at.split('T').nth(1).unwrap();
    (at.clone(), minutes(clock))
}

#[test]
fn the_header_clock_is_local_time_with_its_zone_named() {
    let body = sample(&["hangup", "--seed", "3"]);
    for (tz, zone, shift) in [
        (Some("Asia/Kolkata"), "IST", 330),
        (Some("Asia/Calcutta"), "IST", 330),
        (Some("IST-5:30"), "IST", 330),
        (Some("UTC"), "UTC", 0),
    ] {
        // The same request printed (pretty) and recorded (json) by two listeners a moment apart.
        let pretty = listen(tz, &[], &[], &[&body]);
        let json = listen(tz, &["--format", "json"], &[], &[&body]);
        let (clock, named) = header_time(pretty.stdout.lines().next().unwrap());
        assert_eq!(named, zone, "TZ={tz:?}: {}", pretty.stdout);
        assert_eq!(clock.len(), 12, "HH:MM:SS.mmm: {clock}");
        // The record keeps UTC with its offset, whatever the machine's zone.
        let (at, utc) = record_minutes(json.stdout.lines().next().unwrap());
        assert!(at.ends_with("+00:00"), "RFC 3339 with its offset: {at}");
        let diff = (minutes(&clock) - utc - shift).rem_euclid(24 * 60);
        assert!(
            diff <= 1 || diff == 24 * 60 - 1,
            "TZ={tz:?}: {clock} vs {at}"
        );
    }
}

#[test]
fn without_tz_the_clock_still_names_its_zone() {
    let body = sample(&["hangup", "--seed", "3"]);
    let run = listen(None, &[], &[], &[&body]);
    let (_, zone) = header_time(run.stdout.lines().next().unwrap());
    assert!(zone == "UTC" || zone == "IST", "{}", run.stdout);
}

#[test]
fn format_line_prints_one_line_per_request() {
    let answered = sample(&["hangup", "--outcome", "answered", "--seed", "3"]);
    let missed = sample(&["missed", "--outcome", "missed", "--seed", "3"]);
    let run = listen(
        Some("UTC"),
        &["--format", "line"],
        &[],
        &[&answered, &missed, &answered],
    );
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "one line per request:\n{}", run.stdout);
    let masked: Vec<String> = lines
        .iter()
        .map(|l| format!("[TIME]{}", &l[12..]))
        .collect();
    insta::assert_snapshot!(masked.join("\n"));
    assert!(lines[0].contains("6957886331 → 8005270434"), "{}", lines[0]);
    assert!(lines[0].contains("agent Kavya Reddy"), "{}", lines[0]);
    assert!(lines[0].contains("talked 8m 2s"), "{}", lines[0]);
    assert!(lines[1].contains("not answered"), "{}", lines[1]);
    assert!(lines.iter().all(|l| l.ends_with("→ 200")), "{}", run.stdout);
    assert_eq!(run.answers, [200, 200, 200]);
    assert!(run.stderr.contains("received 3: 3 valid"), "{}", run.stderr);
}

#[test]
fn quiet_pretty_prints_the_header_and_the_call_only() {
    let body = sample(&["hangup", "--outcome", "answered", "--seed", "3"]);
    let full = listen(Some("UTC"), &[], &[], &[&body]);
    let quiet = listen(Some("UTC"), &["-q"], &[], &[&body]);
    let lines: Vec<&str> = quiet.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "header and summary:\n{}", quiet.stdout);
    assert!(lines[0].starts_with("── ") && lines[0].ends_with("→ 200"));
    assert!(lines[1].contains("6957886331 → 8005270434  ·  inbound"));
    // The same two lines lead the full printout, which goes on with the payload.
    let full_lines: Vec<&str> = full.stdout.lines().collect();
    assert!(full_lines.len() > 10, "{}", full.stdout);
    assert_eq!(full_lines[1], lines[1]);
}

#[test]
fn a_rejected_request_has_one_verdict_in_listen_and_in_validate() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("calls.ndjson");
    let file_arg = file.to_str().unwrap();
    let body = sample(&["missed", "--outcome", "missed", "--seed", "3"]);
    let run = listen(
        Some("UTC"),
        &["--require-header", "X-Api-Key: s3cret", "--save", file_arg],
        &[],
        &[&body],
    );
    assert_eq!(run.answers, [401]);
    // A rejection is its own finding, not a parse error, and the payload is still judged.
    assert!(
        run.stdout
            .contains("warning auth        (payload): rejected with 401"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("parse"), "{}", run.stdout);
    assert!(run.stdout.contains("✓ valid"), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("received 1: 1 valid, 0 invalid, 1 rejected"),
        "{}",
        run.stderr
    );
    assert_eq!(run.code, Some(1), "a sender without the header fails CI");
    let saved = std::fs::read_to_string(&file).unwrap();
    let record: serde_json::Value = serde_json::from_str(saved.trim()).unwrap();
    assert_eq!(record["response"]["status"], 401);
    assert_eq!(record["verdict"]["valid"], true);
    assert_eq!(record["verdict"]["findings"][0]["code"], "auth");
    // validate of the saved record says what listen said.
    let out = common::run(&["validate", file_arg, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let result: serde_json::Value = serde_json::from_str(common::stdout(&out).trim()).unwrap();
    assert_eq!(result["valid"], record["verdict"]["valid"]);
    assert_eq!(result["trigger"], record["verdict"]["trigger"]);
}

#[test]
fn a_retry_with_the_header_is_accepted_and_no_duplicate_of_its_rejected_try() {
    let body = sample(&["missed", "--outcome", "missed", "--seed", "3"]);
    let args = ["--require-header", "X-Api-Key: s3cret"];
    let rejected = listen(Some("UTC"), &args, &[("X-Api-Key", "wrong")], &[&body]);
    assert!(
        rejected.stdout.contains("found another value"),
        "{}",
        rejected.stdout
    );
    // The sender retries with the header: the retry is the first delivery, not a duplicate.
    let none: &[(&str, &str)] = &[];
    let key: &[(&str, &str)] = &[("X-Api-Key", "s3cret")];
    let run = listen_each(
        Some("UTC"),
        &[&args[..], &["--format", "line"]].concat(),
        &[(none, &body), (key, &body), (key, &body)],
    );
    assert_eq!(run.answers, [401, 200, 200]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].contains("✓ valid (3 warnings)") && lines[0].ends_with("→ 401"));
    assert!(lines[1].contains("✓ valid (2 warnings)"), "{}", run.stdout);
    assert!(
        lines[2].contains("✓ valid (3 warnings)"),
        "the real duplicate: {}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("received 3: 3 valid, 0 invalid, 1 rejected"),
        "{}",
        run.stderr
    );
}
