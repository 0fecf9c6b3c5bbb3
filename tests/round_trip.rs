//! A tenant's own templates, end to end, for every trigger: `fire --webhook` renders through the
//! template, `listen` routes the request to its webhook (one URL for all, told apart by a header)
//! and validates it through the template, and `validate --webhook` maps the saved payload back.

mod common;

use std::io::BufReader;
use std::process::Stdio;

use common::{run, stderr};
use serde_json::Value;
use servetel::catalog::TRIGGERS;

/// Every variable of the trigger under a key of the tenant's choosing: `k_<name>`.
fn json_template(trigger: &servetel::catalog::Trigger) -> String {
    let pairs: Vec<String> = trigger
        .variables()
        .map(|v| format!("\"k_{0}\": \"${0}\"", v.name))
        .collect();
    format!("{{{}}}", pairs.join(", "))
}

fn query_template(trigger: &servetel::catalog::Trigger) -> String {
    let pairs: Vec<String> = trigger
        .variables()
        .map(|v| format!("k_{0}=${0}", v.name))
        .collect();
    pairs.join("&")
}

/// One webhook per trigger, all on `/servetel`, each with its `X-Trigger` header; even ones POST
/// JSON, odd ones GET.
fn config() -> String {
    let mut text = String::new();
    for (i, t) in TRIGGERS.iter().enumerate() {
        let (method, template) = if i % 2 == 0 {
            ("POST\"\ncontent_type = \"json", json_template(t))
        } else {
            ("GET", query_template(t))
        };
        text.push_str(&format!(
            "[[webhook]]\nname = \"{id}\"\ntrigger = \"{id}\"\nmethod = \"{method}\"\n\
             url = \"https://crm.example.com/servetel\"\nheaders = {{ \"X-Trigger\" = \"{id}\" }}\n\
             template = '''{template}'''\n\n",
            id = t.id,
        ));
    }
    text
}

#[test]
fn every_trigger_through_a_custom_template_fire_listen_validate() {
    let dir = tempfile::tempdir().unwrap();
    let config_path = dir.path().join("servetel.toml");
    std::fs::write(&config_path, config()).unwrap();
    let config = config_path.to_str().unwrap();
    let save = dir.path().join("got.ndjson");
    let expected = TRIGGERS.len() + 1;
    let mut listener = common::servetel_process()
        .args([
            "--config", config, "listen", "--port", "0", "--format", "json",
        ])
        .args([
            "--save",
            save.to_str().unwrap(),
            "--count",
            &expected.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let port = common::readiness_port(&mut BufReader::new(listener.stderr.as_mut().unwrap()));
    let url = format!("http://127.0.0.1:{port}/servetel");

    for (seed, t) in TRIGGERS.iter().enumerate() {
        let seed = seed.to_string();
        let out = run(&[
            "--config",
            config,
            "fire",
            "--webhook",
            t.id,
            "--to",
            &url,
            "--seed",
            &seed,
            "-q",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}: {}", t.id, stderr(&out));
    }
    // A bad value: reported under the tenant's key, not the variable's name.
    let out = run(&[
        "--config",
        config,
        "fire",
        "--webhook",
        "hangup",
        "--to",
        &url,
        "--set",
        "billsec=soon",
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let status = listener.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(1),
        "the bad value makes the run invalid"
    );
    let text = std::fs::read_to_string(&save).unwrap();
    let records: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), expected);

    for (i, t) in TRIGGERS.iter().enumerate() {
        let record = records
            .iter()
            .find(|r| r["trigger"] == t.id && r["verdict"]["valid"] == true)
            .unwrap_or_else(|| panic!("no valid record routed to {}: {text}", t.id));
        assert_eq!(record["method"], if i % 2 == 0 { "POST" } else { "GET" });
        let payload = record["payload"].as_object().unwrap();
        assert!(
            payload.keys().all(|k| k.starts_with("k_")),
            "{}: the tenant's keys arrived: {:?}",
            t.id,
            payload.keys().collect::<Vec<_>>()
        );
        assert_eq!(payload.len(), t.variables().count());

        // The saved payload, checked again offline through the same template.
        let file = dir.path().join(format!("{}.json", t.id));
        std::fs::write(&file, serde_json::to_string(&record["payload"]).unwrap()).unwrap();
        let out = run(&[
            "--config",
            config,
            "validate",
            "--webhook",
            t.id,
            file.to_str().unwrap(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            t.id,
            common::stdout(&out)
        );
    }

    let bad = records
        .iter()
        .find(|r| r["verdict"]["valid"] == false)
        .expect("the edited hangup");
    assert_eq!(bad["trigger"], "hangup");
    let findings = bad["verdict"]["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["path"] == "/k_billsec" && f["severity"] == "error"),
        "{findings:?}"
    );
}
