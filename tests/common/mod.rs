//! Shared by the integration tests: the real binary, started with a clean environment so that
//! output never depends on the developer's shell (bat's way).
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Output;

/// `servetel ARGS…` with NO_COLOR, CLICOLOR*, TERM, COLUMNS and SERVETEL_* removed.
pub fn servetel() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("servetel").expect("the servetel binary builds");
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("CLICOLOR") || key.starts_with("SERVETEL_") {
            cmd.env_remove(&*key);
        }
    }
    for key in ["NO_COLOR", "TERM", "COLUMNS"] {
        cmd.env_remove(key);
    }
    cmd
}

/// The same clean environment for a process the test manages itself (a listener).
pub fn servetel_process() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("servetel"));
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("CLICOLOR") || key.starts_with("SERVETEL_") {
            cmd.env_remove(&*key);
        }
    }
    for key in ["NO_COLOR", "TERM", "COLUMNS"] {
        cmd.env_remove(key);
    }
    cmd
}

/// Runs `servetel ARGS…` and returns its output, whatever the exit code.
pub fn run(args: &[&str]) -> Output {
    servetel().args(args).output().expect("servetel runs")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub mod receiver;
