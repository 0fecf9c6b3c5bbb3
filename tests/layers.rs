//! The layers of the crate: the library (everything but `main.rs`, `cli.rs` and `cmd/`) never
//! names clap or the command layer; `cli.rs` names only the library's leaf modules, which import
//! nothing of the crate. A new import across a layer fails here, not in review.

mod common;

use std::path::{Path, PathBuf};

/// Modules that import nothing of the crate: the only ones `cli.rs` may name.
const LEAVES: &[&str] = &["units", "timestamp", "exit", "color"];

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The code of a file, without its comments' lines.
fn code(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_library_never_names_clap_or_the_command_layer() {
    let src = common::root().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let binary = |p: &Path| {
        p.starts_with(src.join("cmd")) || p == src.join("cli.rs") || p == src.join("main.rs")
    };
    let mut crossing = Vec::new();
    for file in files.iter().filter(|f| !binary(f)) {
        for line in code(file) {
            if ["clap", "crate::cli", "crate::cmd"]
                .iter()
                .any(|name| line.contains(name))
            {
                crossing.push(format!("{}: {}", file.display(), line.trim()));
            }
        }
    }
    assert!(crossing.is_empty(), "{}", crossing.join("\n"));
}

#[test]
fn cli_names_only_leaf_modules() {
    let src = common::root().join("src");
    let mut named = Vec::new();
    for line in code(&src.join("cli.rs")) {
        for (at, _) in line.match_indices("servetel::") {
            let module: String = line[at + "servetel::".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !LEAVES.contains(&module.as_str()) {
                named.push(module);
            }
        }
    }
    assert!(
        named.is_empty(),
        "cli.rs names {named:?}: convert in cmd/ instead"
    );
    for leaf in LEAVES {
        let imports: Vec<String> = code(&src.join(format!("{leaf}.rs")))
            .into_iter()
            .filter(|l| l.contains("crate::"))
            .collect();
        assert!(imports.is_empty(), "{leaf}.rs is no leaf: {imports:?}");
    }
}
