//! The reference commands as a user meets them: output snapshots (color off, fixed width) and the
//! exit codes of bad input.

mod common;
use common::{run, stderr, stdout};

#[test]
fn triggers_lists_the_eleven_triggers() {
    let out = run(&["triggers"]);
    assert!(out.status.success());
    insta::assert_snapshot!("triggers", stdout(&out));
}

#[test]
fn triggers_all_lists_the_seventeen_with_their_platform() {
    let out = run(&["triggers", "--all"]);
    assert!(out.status.success());
    insta::assert_snapshot!("triggers_all", stdout(&out));
    let out = run(&["triggers", "--all", "--format", "json"]);
    let triggers: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let triggers = triggers.as_array().unwrap();
    assert_eq!(triggers.len(), 17);
    let platforms = |id: &str| {
        let t = triggers.iter().find(|t| t["id"] == id).unwrap();
        t["platforms"].clone()
    };
    assert_eq!(
        platforms("hangup"),
        serde_json::json!(["servetel", "smartflo", "acefone"])
    );
    assert_eq!(
        platforms("disposition-updated"),
        serde_json::json!(["smartflo", "acefone"])
    );
    // The portal labels of Smartflo/Acefone name them too.
    let out = run(&["schema", "Call Connected to Agent (Dialer)"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("connected-to-agent · "), "{text}");
    assert!(text.contains("\nplatform: smartflo, acefone\n"), "{text}");
    assert!(
        text.contains("inferred"),
        "the SOURCE column says what is inferred: {text}"
    );
}

#[test]
fn triggers_json_has_ids_aliases_and_variable_names() {
    let out = run(&["triggers", "--format", "json"]);
    assert!(out.status.success());
    let triggers: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let triggers = triggers.as_array().unwrap();
    assert_eq!(triggers.len(), 11);
    let hangup = triggers.iter().find(|t| t["id"] == "hangup").unwrap();
    assert_eq!(hangup["label"], "Call Hangup");
    assert!(
        hangup["aliases"]
            .as_array()
            .unwrap()
            .contains(&"Call hangup (Answered)".into())
    );
    let vars = hangup["variables"].as_array().unwrap();
    for name in [
        "uuid",
        "billsec",
        "call_connected",
        "customer_number_with_prefix",
        "field_15",
    ] {
        assert!(vars.contains(&name.into()), "hangup lacks {name}");
    }
    assert!(vars.iter().all(|v| !v.as_str().unwrap().starts_with('$')));
    let required: Vec<&str> = hangup["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        required,
        [
            "uuid",
            "call_to_number",
            "caller_id_number",
            "start_stamp",
            "end_stamp"
        ]
    );
}

#[test]
fn schema_shows_the_variable_table() {
    let out = run(&["schema", "hangup"]);
    assert!(out.status.success());
    insta::assert_snapshot!("schema_hangup", stdout(&out));
    let out = run(&["schema", "DTMF Option"]);
    insta::assert_snapshot!("schema_dtmf", stdout(&out));
}

#[test]
fn help_is_stable() {
    let out = run(&["--help"]);
    assert!(out.status.success());
    insta::assert_snapshot!("help", stdout(&out));
    let out = run(&["sample", "--help"]);
    insta::assert_snapshot!("help_sample", stdout(&out));
}

#[test]
fn aliases_reach_the_same_trigger() {
    let by_id = stdout(&run(&["schema", "missed"]));
    for alias in [
        "Call Missed",
        "CALL_HANGUP_(MISSED)",
        "call-hangup-missed",
        "Call hangup (Missed)",
    ] {
        let out = run(&["schema", alias]);
        assert!(out.status.success(), "{alias}: {}", stderr(&out));
        assert_eq!(stdout(&out), by_id, "{alias}");
    }
}

/// A one-line `servetel: error: …` and exit 2.
fn assert_usage_error(args: &[&str], needle: &str) {
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = stderr(&out);
    assert!(err.contains(needle), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?} printed data on error");
}

#[test]
fn bad_input_is_exit_2_with_a_reason() {
    assert_usage_error(&["frobnicate"], "unrecognized subcommand");
    assert_usage_error(&["schema", "hangupp"], "did you mean `hangup`?");
    assert_usage_error(
        &["sample", "nosuchtrigger"],
        "unknown trigger `nosuchtrigger`",
    );
    assert_usage_error(
        &["sample", "hangup", "--set", "billsek=3"],
        "did you mean `billsec`?",
    );
    assert_usage_error(
        &["sample", "hangup", "--set", "novalue"],
        "expected KEY=VALUE",
    );
    assert_usage_error(
        &["sample", "hangup", "--outcome", "missed"],
        "only sent for answered calls",
    );
    assert_usage_error(
        &["sample", "hangup", "--encoding", "xml"],
        "invalid value 'xml'",
    );
    let out = run(&["schema", "hangupp"]);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("servetel: error: "), "{err}");
}

#[test]
fn sample_is_deterministic_per_seed_and_varies_without_one() {
    let a = stdout(&run(&["sample", "hangup", "--seed", "42"]));
    let b = stdout(&run(&["sample", "hangup", "--seed", "42"]));
    let c = stdout(&run(&["sample", "hangup", "--seed", "43"]));
    assert_eq!(a, b);
    assert_ne!(a, c);
    let out = run(&["sample", "hangup"]);
    assert!(
        stderr(&out).contains("--seed "),
        "a random seed is told so it can be reused"
    );
}

#[test]
fn sample_encodes_three_ways_and_applies_set() {
    let json = stdout(&run(&[
        "sample",
        "hangup",
        "--seed",
        "5",
        "--set",
        "answered_agent.name=Ravi Kumar",
        "--set",
        "billsec=7",
    ]));
    let payload: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(payload["answered_agent"]["name"], "Ravi Kumar");
    assert_eq!(payload["billsec"], "7");
    let form = stdout(&run(&[
        "sample",
        "hangup",
        "--seed",
        "5",
        "--encoding",
        "form",
    ]));
    let pairs: Vec<(String, String)> = form_urlencoded::parse(form.trim_end().as_bytes())
        .into_owned()
        .collect();
    let agent = &pairs.iter().find(|(k, _)| k == "answered_agent").unwrap().1;
    let agent: serde_json::Value =
        serde_json::from_str(agent).expect("nested values travel as JSON text");
    assert!(agent["name"].is_string());
    assert!(
        pairs.iter().any(|(k, _)| k == "customer_no_with_prefix "),
        "trailing-space key survives"
    );
    let query = stdout(&run(&[
        "sample",
        "hangup",
        "--seed",
        "5",
        "--encoding",
        "query",
    ]));
    assert_eq!(query, form, "GET carries the same pairs as the form body");
}

#[test]
fn closed_stdout_pipe_is_not_an_error() {
    use std::process::Stdio;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("servetel"))
        .args(["schema", "hangup"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let plain = stdout(&run(&["triggers"]));
    assert!(!plain.contains('\x1b'), "no color when not a terminal");
    let forced = stdout(&run(&["--color", "always", "triggers"]));
    assert!(forced.contains("\x1b["), "--color always colors");
    let out = common::servetel()
        .env("CLICOLOR_FORCE", "1")
        .arg("triggers")
        .output()
        .unwrap();
    assert!(stdout(&out).contains("\x1b["), "CLICOLOR_FORCE colors");
    let out = common::servetel()
        .env("CLICOLOR_FORCE", "1")
        .args(["--color", "never", "triggers"])
        .output()
        .unwrap();
    assert!(!stdout(&out).contains('\x1b'), "--color never wins");
}
