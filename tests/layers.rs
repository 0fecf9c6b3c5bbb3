//! The layers of the crate: the library (everything but `main.rs`, `cli.rs` and `cmd/`) never
//! names clap or the command layer; `cli.rs` names only the library's leaf modules, which import
//! nothing of the crate; and no two top-level modules import each other, directly or around a
//! loop (a module "names" another when one of its files says `crate::other`, in a path or a
//! `use crate::{…}` group, outside a comment). A new import across a layer fails here, not in review.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
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

/// `src/listen/handle.rs` → `listen`; `src/fire.rs` → `fire`; `src/lib.rs` → `lib`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The code of a file without its `//` comments (doc comments included), so a comment that
/// mentions `crate::cmd` is not an import.
fn code_without_comments(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a file's code names through `crate::` (or `servetel::`, from the
/// binary's own modules).
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut named = BTreeSet::new();
    for prefix in ["crate::", "servetel::"] {
        named_after(code, prefix, &mut named);
    }
    named
}

fn named_after(code: &str, prefix: &str, named: &mut BTreeSet<String>) {
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        rest = &rest[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a::X, b, c::{d, e}}`: the first segment of each item at depth 0.
            let mut depth = 0;
            let mut item_start = true;
            let mut word = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_alphanumeric() || c == '_') => word.push(c),
                    _ if item_start && !word.is_empty() => {
                        named.insert(std::mem::take(&mut word));
                        item_start = false;
                    }
                    _ => {}
                }
            }
            if !word.is_empty() {
                named.insert(word);
            }
        } else {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !word.is_empty() {
                named.insert(word);
            }
        }
    }
}

/// Module → the other top-level modules it names.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = common::root().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let module = module_of(&src, file);
        let code = code_without_comments(&fs::read_to_string(file).unwrap());
        let edges = graph.entry(module.clone()).or_default();
        for named in named_modules(&code) {
            if named != module && modules.contains(&named) {
                edges.insert(named);
            }
        }
    }
    graph
}

/// One import circle, as the path around it, if there is any.
fn find_circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node.to_string());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_two_modules_import_each_other() {
    let graph = import_graph();
    assert!(
        graph.len() > 10,
        "the source tree was not read: {:?}",
        graph.keys()
    );
    if let Some(circle) = find_circle(&graph) {
        panic!("import circle: {}", circle.join(" → "));
    }
}

#[test]
fn the_reader_sees_grouped_and_plain_imports() {
    // The checks above are only as good as this reader: a regression here would let circles in.
    let code = code_without_comments(
        "use crate::{catalog::Trigger, validate::{self, Verdict}, render};\n\
         // crate::cmd in a comment is not an import\n\
         let x = crate::timestamp::format(y);",
    );
    let named: Vec<String> = named_modules(&code).into_iter().collect();
    assert_eq!(named, ["catalog", "render", "timestamp", "validate"]);
    let mut graph = BTreeMap::new();
    graph.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    graph.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    graph.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(find_circle(&graph).unwrap(), ["a", "b", "c", "a"]);
    graph.get_mut("c").unwrap().clear();
    assert_eq!(find_circle(&graph), None);
}
