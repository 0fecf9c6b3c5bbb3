//! The files in completions/ are what `servetel completions SHELL` prints. (That the clap
//! definition is consistent is a unit test of the binary: `src/cmd/convert.rs`.)

mod common;

const FILES: &[(&str, &str)] = &[
    ("bash", "servetel.bash"),
    ("zsh", "_servetel"),
    ("fish", "servetel.fish"),
    ("powershell", "_servetel.ps1"),
    ("elvish", "servetel.elv"),
];

#[test]
fn checked_in_completions_are_current() {
    let mut stale = Vec::new();
    for (shell, file) in FILES {
        let out = common::run(&["completions", shell]);
        assert!(out.status.success(), "completions {shell}");
        let path = common::root().join("completions").join(file);
        let checked_in = std::fs::read(&path).unwrap_or_default();
        if checked_in != out.stdout {
            stale.push(file.to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale completions: {}. Regenerate them with: ./scripts/completions.sh",
        stale.join(", ")
    );
}
