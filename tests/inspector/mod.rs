//! Shared by the inspector's tests: `servetel listen --inspect` or `servetel inspect` started
//! for real, the port and token read from the `inspecting on` line, and the API called with them.
#![allow(dead_code)]

use std::io::BufRead;
use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::Value;

pub struct Inspected {
    pub child: Child,
    /// listen's own port (0 for `servetel inspect`).
    pub listen_port: u16,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub token: String,
    pub client: reqwest::blocking::Client,
}

impl Drop for Inspected {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `servetel ARGS…` with both `--inspect`/`--port 0` given by the caller; waits for the
/// `inspecting on` line (and `listening on` for listen).
pub fn spawn(args: &[&str]) -> Inspected {
    let mut child = super::common::servetel_process()
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let listens = args.first() == Some(&"listen");
    let (mut url, mut listen_port) = (None, 0);
    let mut seen = Vec::new();
    while url.is_none() || (listens && listen_port == 0) {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap() == 0 {
            panic!("servetel ended before it was ready: {seen:?}");
        }
        if let Some(u) = line.trim().strip_prefix("inspecting on ") {
            url = Some(u.to_string());
        }
        if let Some(p) = line.trim().strip_prefix("listening on http://127.0.0.1:") {
            listen_port = p.parse().unwrap();
        }
        seen.push(line);
    }
    // The rest of stderr is read, so that the process never blocks on a full pipe.
    std::thread::spawn(move || for _ in stderr.lines() {});
    let url = url.unwrap();
    let (base, token) = url.split_once("/?token=").expect("a URL with its token");
    Inspected {
        child,
        listen_port,
        base: base.to_string(),
        token: token.to_string(),
        client: reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap(),
    }
}

impl Inspected {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GET with the token in its header: the status and the JSON body.
    pub fn get(&self, path: &str) -> (u16, Value) {
        let response = self
            .client
            .get(self.url(path))
            .header("X-Servetel-Token", &self.token)
            .send()
            .unwrap();
        let status = response.status().as_u16();
        let bytes = response.bytes().unwrap_or_default();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    pub fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let response = self
            .client
            .post(self.url(path))
            .header("X-Servetel-Token", &self.token)
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .unwrap();
        let status = response.status().as_u16();
        let bytes = response.bytes().unwrap_or_default();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// The records, once there are `n` (listen publishes each after answering it).
    pub fn records(&self, n: usize) -> Vec<Value> {
        for _ in 0..200 {
            let (status, body) = self.get("/api/records");
            assert_eq!(status, 200, "{body}");
            let records = body.as_array().unwrap().clone();
            if records.len() >= n {
                return records;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("fewer than {n} records after 5 s");
    }

    /// `servetel fire ARGS… --to` listen.
    pub fn fire(&self, args: &[&str]) {
        let to = format!("http://127.0.0.1:{}/hook", self.listen_port);
        let out = super::common::servetel()
            .arg("fire")
            .args(args)
            .args(["--to", &to])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
