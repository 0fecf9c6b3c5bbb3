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
