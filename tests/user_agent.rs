//! The User-Agent receivers see: the platform's (`Go-http-client/1.1`, Go's net/http default)
//! from `fire` and from `replay` of bare payloads, the captured one from `replay` of a record,
//! and the user's `--header` over either, whatever the case of its name.

mod common;

use common::receiver::Receiver;
use common::{run, stderr, stdout};

const PLATFORM: &str = "Go-http-client/1.1";

/// The User-Agent values of a request, every one of them.
fn agents(r: &common::receiver::Received) -> Vec<&str> {
    r.headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("user-agent"))
        .map(|(_, v)| v.as_str())
        .collect()
}

#[test]
fn fire_sends_the_platforms_user_agent_unless_a_header_replaces_it() {
    let receiver = Receiver::start();
    let url = receiver.url("/hook");
    for extra in [
        &[][..],
        &["--header", "User-Agent: my-probe/2"],
        &["-H", "user-agent: my-probe/3"],
        &["--method", "GET"],
    ] {
        let mut args = vec!["fire", "hangup", "--to", &url, "-q"];
        args.extend(extra);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
    let got = receiver.assert_hits(4);
    assert_eq!(agents(&got[0]), [PLATFORM]);
    assert_eq!(agents(&got[1]), ["my-probe/2"]);
    assert_eq!(agents(&got[2]), ["my-probe/3"], "one header, the user's");
    assert_eq!(agents(&got[3]), [PLATFORM]);

    // The dry run shows the same header it would send.
    let out = run(&["fire", "hangup", "--to", &url, "--dry-run"]);
    assert!(
        stdout(&out).contains(&format!("User-Agent: {PLATFORM}")),
        "{}",
        stdout(&out)
    );
    receiver.assert_hits(4);
}

#[test]
fn replay_keeps_a_records_user_agent_and_gives_bare_payloads_the_platforms() {
    let first = Receiver::start();
    let out = run(&[
        "fire",
        "hangup",
        "--to",
        &first.url("/hook"),
        "-H",
        "User-Agent: curl/8.5",
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let arrived = first.assert_hits(1);
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("capture.ndjson");
    std::fs::write(
        &record,
        arrived[0].capture_record(1, Some("hangup")).to_string(),
    )
    .unwrap();
    let bare = dir.path().join("payload.json");
    std::fs::write(&bare, serde_json::to_string(&arrived[0].payload()).unwrap()).unwrap();

    let second = Receiver::start();
    let url = second.url("/again");
    for (path, extra) in [
        (&record, &[][..]),
        (&bare, &[][..]),
        (&record, &["-H", "USER-AGENT: replayer/1"]),
    ] {
        let mut args = vec!["replay", path.to_str().unwrap(), "--to", &url, "-q"];
        args.extend(extra);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
    let got = second.assert_hits(3);
    assert_eq!(
        agents(&got[0]),
        ["curl/8.5"],
        "byte-exact: the captured headers"
    );
    assert_eq!(agents(&got[1]), [PLATFORM]);
    assert_eq!(agents(&got[2]), ["replayer/1"]);
}
