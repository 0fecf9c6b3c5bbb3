//! `servetel listen`'s default pretty output, as a user reads it in a terminal (here a pipe, so
//! uncolored): the header, the call in telephony terms, the findings, the flow, the payload.
//! Each test starts the real binary with `--count N`, sends N synthesized callbacks one after
//! the other, and snapshots everything it printed once it has exited by itself.

mod common;

use std::io::Read;

const JSON: (&str, &str) = ("Content-Type", "application/json");

/// A payload from `servetel sample -q ARGS…`.
fn sample(args: &[&str]) -> String {
    let out = common::run(&[&["sample", "-q"], args].concat());
    assert!(out.status.success(), "{}", common::stderr(&out));
    common::stdout(&out).trim_end().to_string()
}

/// A request for `listen`: method, target (path and query), headers, body.
type Request<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], &'a str);

/// Runs `listen --count N` for the N requests, sent in order (each answered before the next goes,
/// so the output is in that order); returns its exit code and its whole stdout, with the
/// wall-clock time of each header line replaced by `[TIME]`.
fn listen(requests: &[Request<'_>]) -> (Option<i32>, String) {
    let count = requests.len().to_string();
    let common::Spawned {
        mut child,
        port,
        mut stderr,
        stdout: reader,
    } = common::spawn_listening(
        common::servetel_process().args(["listen", "--port", "0", "--count", &count]),
    );
    for (method, target, headers, body) in requests {
        let (status, _) = common::send(port, method, target, headers, body.as_bytes());
        assert!(status > 0, "{method} {target} got an answer");
    }
    let status = child.wait().unwrap();
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("received "), "the summary: {rest}");
    (status.code(), mask_times(&reader.join().unwrap()))
}

/// `── 14:03:07.125 POST /hook …` → `── [TIME] POST /hook …` (the time the request arrived).
fn mask_times(text: &str) -> String {
    text.lines()
        .map(|line| match line.strip_prefix("── ") {
            Some(rest) => {
                let (time, tail) = rest.split_at(rest.find(' ').expect("a header line"));
                let shape = time.len() == 12
                    && time.chars().enumerate().all(|(i, c)| match i {
                        2 | 5 => c == ':',
                        8 => c == '.',
                        _ => c.is_ascii_digit(),
                    });
                assert!(shape, "HH:MM:SS.mmm in the header: {line}");
                format!("── [TIME]{tail}\n")
            }
            None => format!("{line}\n"),
        })
        .collect()
}

#[test]
fn missed_call() {
    let body = sample(&["missed", "--outcome", "missed", "--seed", "3"]);
    let (code, out) = listen(&[("POST", "/servetel/missed", &[JSON], &body)]);
    assert_eq!(code, Some(0), "a valid payload\n{out}");
    assert!(out.contains("6957886331 → 8005270434  ·  inbound"), "{out}");
    assert!(out.contains("no agent answered"), "{out}");
    assert!(
        !out.contains("took the call"),
        "nobody took a missed call\n{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn answered_call_with_several_agents_dialed() {
    // Seed 9: the queue rings Arjun Iyer, then Asha Rao, and Vikram Singh answers.
    let body = sample(&["hangup", "--outcome", "answered", "--seed", "9"]);
    let flow: serde_json::Value = serde_json::from_str(&body).unwrap();
    let agents: Vec<_> = flow["call_flow"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["type"] == "Agent")
        .map(|s| s["dialst"].as_str().unwrap())
        .collect();
    assert_eq!(
        agents,
        ["Dialed", "Dialed", "Answered"],
        "the sample's flow"
    );
    let (code, out) = listen(&[("POST", "/servetel/hangup", &[JSON], &body)]);
    assert_eq!(code, Some(0), "a valid payload\n{out}");
    assert!(out.contains("agent Vikram Singh"), "{out}");
    assert_eq!(
        out.matches("(took the call)").count(),
        1,
        "only the answering agent took the call\n{out}"
    );
    assert!(out.contains("Vikram Singh (took the call)"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn dtmf_event_sent_as_a_get_query() {
    let query = sample(&["dtmf-option", "--seed", "5", "--encoding", "query"]);
    let target = format!("/servetel/dtmf?{query}");
    let (code, out) = listen(&[("GET", &target, &[], "")]);
    assert_eq!(code, Some(0), "a valid payload\n{out}");
    assert!(out.contains("dtmf-option"), "{out}");
    assert!(out.contains("pressed 1"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn invalid_payload() {
    // A non-numeric billsec and an object where the caller's number belongs.
    let body = sample(&[
        "hangup",
        "--outcome",
        "answered",
        "--seed",
        "12",
        "--set",
        "billsec=abc",
        "--set",
        "caller_id_number:={\"n\":1}",
    ]);
    let (code, out) = listen(&[("POST", "/servetel/hangup", &[JSON], &body)]);
    assert_eq!(code, Some(1), "an invalid payload arrived\n{out}");
    assert!(out.contains("✗ 2 errors"), "{out}");
    assert!(
        out.contains("error   type        /caller_id_number"),
        "{out}"
    );
    assert!(out.contains("error   format      /billsec"), "{out}");
    insta::assert_snapshot!(out);
}
