//! servetel.toml as a user writes it with `servetel init` and uses it from the other commands.

mod common;
use common::{servetel, stderr, stdout};

fn init(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    servetel()
        .current_dir(dir)
        .arg("init")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn init_without_a_terminal_names_the_missing_flags() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), &["--name", "crm"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("give --trigger, --url"),
        "{}",
        stderr(&out)
    );
    assert!(
        !dir.path().join("servetel.toml").exists(),
        "nothing written"
    );
}

#[test]
fn init_writes_a_config_that_validate_reads_through_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let template = r#"{"callID": "$uuid", "from": "$caller_id_number", "agent": "$answered_agent.name", "secs": "$billsec", "ended": "$end_stamp", "began": "$start_stamp"}"#;
    let out = init(
        dir.path(),
        &[
            "--name",
            "crm",
            "--trigger",
            "Call Hangup",
            "--url",
            "https://staging.example.com/servetel/hangup",
            "--header",
            "X-Api-Key: s3cret",
            "--template",
            template,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = init(
        dir.path(),
        &[
            "--name",
            "dtmf",
            "--trigger",
            "dtmf",
            "--method",
            "GET",
            "--url",
            "http://localhost:9000/dtmf",
            "--template",
            "id=$uuid&key=$digit_pressed&to=$call_to_number&from=$caller_id_number",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("servetel.toml")).unwrap();
    assert_eq!(
        text.lines().filter(|l| *l == "[[webhook]]").count(),
        2,
        "{text}"
    );

    let good = r#"{"callID": "69d76b2a1c3f0", "from": "9876500011", "agent": "Asha Rao", "secs": "30", "ended": "2026-04-09 12:55:01", "began": "2026-04-09 12:54:22"}"#;
    std::fs::write(dir.path().join("good.json"), good).unwrap();
    let out = servetel()
        .current_dir(dir.path())
        .args(["validate", "--webhook", "crm", "good.json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );

    let bad = good
        .replace("\"30\"", "\"thirty\"")
        .replace("69d76b2a1c3f0", "");
    std::fs::write(dir.path().join("bad.json"), bad).unwrap();
    let out = servetel()
        .current_dir(dir.path())
        .args([
            "validate",
            "--webhook",
            "crm",
            "--format",
            "json",
            "bad.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let result: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    let paths: Vec<(&str, &str)> = result["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap(), f["path"].as_str().unwrap()))
        .collect();
    assert!(
        paths.contains(&("format", "/secs")),
        "reported under the template's key: {paths:?}"
    );
    assert!(paths.contains(&("missing", "/callID")), "{paths:?}");
    assert!(
        !paths.iter().any(|(_, p)| *p == "/call_to_number"),
        "not in the template, not missing: {paths:?}"
    );

    std::fs::write(
        dir.path().join("dtmf.query"),
        "id=69d76b2a1c3f0&key=%23&to=8069871234&from=9876500011\n",
    )
    .unwrap();
    let out = servetel()
        .current_dir(dir.path())
        .args(["validate", "--webhook", "dtmf", "dtmf.query"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    // The same config from elsewhere, by flag and by environment.
    let elsewhere = tempfile::tempdir().unwrap();
    let config = dir.path().join("servetel.toml");
    let good_path = dir.path().join("good.json");
    let out = servetel()
        .current_dir(elsewhere.path())
        .args([
            "validate",
            "--config",
            config.to_str().unwrap(),
            "--webhook",
            "crm",
            good_path.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = servetel()
        .current_dir(elsewhere.path())
        .env("SERVETEL_CONFIG", &config)
        .args(["validate", "--webhook", "crm", good_path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn config_errors_are_exit_2_with_the_webhook_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("servetel.toml"), "[[webhook]]\nname = \"crm\"\ntrigger = \"missed\"\nurl = \"https://x/y\"\ntemplate = '{\"a\": \"$calller_id_number\"}'\n").unwrap();
    std::fs::write(dir.path().join("p.json"), "{}").unwrap();
    let out = servetel()
        .current_dir(dir.path())
        .args(["validate", "--webhook", "crm", "p.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("webhook `crm`: template: `$calller_id_number` is not a variable of missed: did you mean `$caller_id_number`?"), "{}", stderr(&out));
    let out = servetel()
        .current_dir(dir.path())
        .args(["validate", "--config", "nope.toml", "p.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read config nope.toml"),
        "{}",
        stderr(&out)
    );
    let out = servetel()
        .current_dir(dir.path())
        .args([
            "--config",
            "nope.toml",
            "validate",
            "--webhook",
            "x",
            "p.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read config nope.toml"),
        "the config is the problem, not the webhook: {}",
        stderr(&out)
    );

    // Without --webhook, a broken ./servetel.toml is not read at all.
    let out = servetel()
        .current_dir(dir.path())
        .args(["validate", "--trigger", "missed", "p.json"])
        .output()
        .unwrap();
    assert!(!stderr(&out).contains("calller"), "{}", stderr(&out));
    assert_eq!(
        out.status.code(),
        Some(1),
        "p.json is checked (and is invalid)"
    );
}

#[test]
fn a_templated_callback_sent_twice_is_flagged_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("servetel.toml"),
        "[[webhook]]\nname = \"crm\"\ntrigger = \"dtmf-option\"\nmethod = \"GET\"\nurl = \"https://x/y\"\ntemplate = 'id=$call_id&key=$digit_pressed&to=$call_to_number&from=$caller_id_number'\n",
    )
    .unwrap();
    let line =
        r#"{"id": "1775719461.306731", "key": "1", "to": "918069158000", "from": "9876500011"}"#;
    std::fs::write(dir.path().join("twice.ndjson"), format!("{line}\n{line}\n")).unwrap();
    let out = servetel()
        .current_dir(dir.path())
        .args([
            "validate",
            "--webhook",
            "crm",
            "--format",
            "json",
            "twice.ndjson",
        ])
        .output()
        .unwrap();
    let results: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let duplicates = |r: &serde_json::Value| {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "duplicate")
            .count()
    };
    assert_eq!(
        (duplicates(&results[0]), duplicates(&results[1])),
        (0, 1),
        "{results:?}"
    );
}
