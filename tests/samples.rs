//! samples/<trigger>/ holds valid payloads of that trigger and samples/<trigger>/invalid/ payloads
//! with one defect each, named `<finding code>--<what is wrong>.json`.

mod common;

use std::path::{Path, PathBuf};

use servetel::catalog::TRIGGERS;

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_trigger_has_docs_real_and_invalid_samples() {
    let root = common::root().join("samples");
    for t in TRIGGERS {
        let dir = root.join(t.id);
        for name in ["docs.json", "real.json"] {
            assert!(
                dir.join(name).is_file(),
                "samples/{}/{name} is missing",
                t.id
            );
        }
        assert!(
            !files(&dir.join("invalid")).is_empty(),
            "samples/{}/invalid/ is empty",
            t.id
        );
    }
}

#[test]
fn every_valid_json_sample_passes_the_exported_json_schema() {
    let root = common::root().join("samples");
    let mut checked = 0;
    for t in TRIGGERS {
        let out = common::run(&["schema", t.id, "--json-schema"]);
        let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        for path in files(&root.join(t.id))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
        {
            let payload: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&payload)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 2 * TRIGGERS.len());
}

#[test]
fn invalid_samples_are_named_by_their_finding_code() {
    let codes = [
        "parse",
        "trigger",
        "missing",
        "type",
        "format",
        "enum",
        "order",
        "arith",
        "condition",
    ];
    for t in TRIGGERS {
        for path in files(&common::root().join("samples").join(t.id).join("invalid")) {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let code = name.split("--").next().unwrap();
            assert!(
                codes.contains(&code),
                "{name}: `{code}` is not an error code"
            );
        }
    }
}

/// The `inconsistent` warning is conservative: no sample meant valid draws it, checked as its
/// folder's trigger and as detected, but the dialer sample issue 12 reports (outbound_sec 342 on a
/// 164 s call, and an answered_agent_name that is neither agent of its answered_agent array).
#[test]
fn no_valid_sample_draws_inconsistent_but_the_reported_dialer_call() {
    let mut checked = 0;
    for t in TRIGGERS {
        let dir = common::root().join("samples").join(t.id);
        for trigger in [Some(t.id), None] {
            let mut args = vec!["validate", "--format", "json"];
            args.extend(trigger.map(|t| ["--trigger", t]).into_iter().flatten());
            let paths: Vec<String> = files(&dir)
                .iter()
                .map(|p| p.to_str().unwrap().to_string())
                .collect();
            args.extend(paths.iter().map(String::as_str));
            let out = common::run(&args);
            for line in String::from_utf8(out.stdout).unwrap().lines() {
                let result: serde_json::Value = serde_json::from_str(line).unwrap();
                let source = result["source"].as_str().unwrap();
                let paths: Vec<&str> = result["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|f| f["code"] == "inconsistent")
                    .map(|f| f["path"].as_str().unwrap())
                    .collect();
                let expected: &[&str] = if source.ends_with("samples/hangup/dialer-call.json") {
                    &["/outbound_sec", "/answered_agent_name"]
                } else {
                    &[]
                };
                assert_eq!(paths, expected, "{source} as {trigger:?}: {result}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 2 * 27, "{checked} sample checks");
}

/// The samples of dialer triggers and calls speak the dialer's dialect (docs/wire.md, "Dialer and
/// broadcast calls"): a `Dialer (…)` direction, `M/D/YYYY` dates and `h:mm:ss AM` stamps,
/// `billsec` "", an agent array; a broadcast's has the lead and no dialed number.
#[test]
fn dialer_samples_are_dialer_shaped() {
    let root = common::root().join("samples");
    let read = |path: &str| -> serde_json::Map<String, serde_json::Value> {
        serde_json::from_str(&std::fs::read_to_string(root.join(path)).unwrap()).unwrap()
    };
    let text = |p: &serde_json::Map<String, serde_json::Value>, k: &str| {
        p.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string()
    };
    for path in [
        "connected-to-agent/real.json",
        "connected-to-agent/broadcast.json",
        "disposition-updated/real.json",
        "hangup/broadcast-call.json",
        "missed/dialer-missed.json",
    ] {
        let p = read(path);
        assert!(text(&p, "direction").starts_with("Dialer ("), "{path}");
        for key in ["start_stamp", "end_stamp"] {
            if p.contains_key(key) {
                let stamp = servetel::timestamp::parse(&text(&p, key)).unwrap();
                assert_eq!(
                    stamp.dialect,
                    servetel::timestamp::Dialect::Dialer,
                    "{path} {key}"
                );
            }
        }
        if p.contains_key("start_date") {
            assert_eq!(text(&p, "start_date").matches('/').count(), 2, "{path}");
        }
        if p.contains_key("billsec") {
            assert_eq!(text(&p, "billsec"), "", "{path}");
        }
        if let Some(agents) = p.get("answered_agent").filter(|a| *a != "") {
            assert!(agents.is_array(), "{path}: answered_agent {agents}");
        }
    }
    for path in [
        "connected-to-agent/broadcast.json",
        "hangup/broadcast-call.json",
    ] {
        let p = read(path);
        assert_eq!(text(&p, "call_to_number"), "", "{path}");
        assert!(
            p["broadcast_lead_fields"]["Phone_Number"].is_string(),
            "{path}"
        );
    }
}
