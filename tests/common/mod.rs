//! Shared by the integration tests: the real binary, started with a clean environment so that
//! output never depends on the developer's shell (bat's way).
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Output;

/// What the tests' environment loses: NO_COLOR, CLICOLOR*, TERM, COLUMNS and SERVETEL_*; `TZ`
/// is set to UTC so listen's clock reads the same on every machine.
fn unwanted_env() -> Vec<String> {
    std::env::vars_os()
        .map(|(key, _)| key.to_string_lossy().into_owned())
        .filter(|key| key.starts_with("CLICOLOR") || key.starts_with("SERVETEL_"))
        .chain(["NO_COLOR", "TERM", "COLUMNS"].map(String::from))
        .collect()
}

/// `servetel ARGS…` with a clean environment.
pub fn servetel() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("servetel").expect("the servetel binary builds");
    for key in unwanted_env() {
        cmd.env_remove(key);
    }
    cmd.env("TZ", "UTC");
    cmd
}

/// The same clean environment for a process the test manages itself (a listener).
pub fn servetel_process() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("servetel"));
    for key in unwanted_env() {
        cmd.env_remove(key);
    }
    cmd.env("TZ", "UTC");
    cmd
}

/// The port in `listen`'s readiness line, the first line of its stderr.
pub fn readiness_port(stderr: &mut impl std::io::BufRead) -> u16 {
    let mut line = String::new();
    stderr.read_line(&mut line).expect("listen's stderr");
    line.trim()
        .strip_prefix("listening on http://127.0.0.1:")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("readiness line: {line:?}"))
}

/// Sends one raw HTTP/1.1 request on its own connection (`Connection: close`); returns the status and the response body.
pub fn send(
    port: u16,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    try_send(port, method, target, headers, body).expect("the request is sent")
}

/// `send`, for a test that kills the listener while senders run: a refused connection or a body
/// cut off by the kill is an error, not a panic.
pub fn try_send(
    port: u16,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    let mut head =
        format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-length"))
    {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    Ok((status, body))
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

/// A started `servetel listen` whose stdout is read whole on its own thread (a long printout
/// must never block the listener on a full pipe), with its port read from `listening on`.
pub struct Spawned {
    pub child: std::process::Child,
    pub port: u16,
    pub stderr: std::io::BufReader<std::process::ChildStderr>,
    pub stdout: std::thread::JoinHandle<String>,
}

/// Spawns `cmd` (a `servetel listen …` command line) with both outputs piped; see [`Spawned`].
pub fn spawn_listening(cmd: &mut std::process::Command) -> Spawned {
    use std::process::Stdio;
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let stdout = std::thread::spawn(move || {
        let mut text = String::new();
        out.read_to_string(&mut text).unwrap();
        text
    });
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let port = readiness_port(&mut stderr);
    Spawned {
        child,
        port,
        stderr,
        stdout,
    }
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub mod receiver;
