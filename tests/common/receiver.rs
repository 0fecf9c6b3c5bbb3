//! An HTTP/1.1 receiver on 127.0.0.1 port 0 for the tests of `fire` and `replay`: it records
//! every request as it arrived (method, target, headers, body bytes), answers with a chosen status
//! after a chosen delay, and keeps connections alive. Every test says how many requests it
//! expects (`assert_hits`); dropping a receiver whose hits were never checked fails the test
//! (xh's `tests/server`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    /// Path and query, as on the request line.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, q)| q)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The payload it carried, decoded the way `listen` decodes one.
    pub fn payload(&self) -> serde_json::Map<String, serde_json::Value> {
        servetel::decode::decode_request(
            &self.method,
            self.header("content-type"),
            self.query(),
            &self.body,
        )
        .unwrap_or_else(|e| panic!("{} {} does not decode: {e}", self.method, self.target))
    }

    /// The request as a capture record (docs/capture-record.md), the way `listen` writes one.
    pub fn capture_record(&self, seq: usize, trigger: Option<&str>) -> serde_json::Value {
        serde_json::json!({
            "seq": seq,
            "received_at": "2026-04-09T12:54:22.000+05:30",
            "remote_addr": "127.0.0.1:50000",
            "method": self.method,
            "path": self.path(),
            "query": self.query(),
            "headers": self.headers.iter().map(|(n, v)| [n, v]).collect::<Vec<_>>(),
            "body": String::from_utf8(self.body.clone()).expect("UTF-8 bodies in these tests"),
            "payload": null,
            "trigger": trigger,
            "verdict": null,
            "response": {"status": 200, "delay_ms": 0},
        })
    }
}

pub struct Receiver {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    checked: AtomicBool,
}

impl Receiver {
    /// Answers every request `200 {"ok":true}` at once.
    pub fn start() -> Receiver {
        Receiver::answering(200, Duration::ZERO)
    }

    /// Answers every request with `status`, after `delay`.
    pub fn answering(status: u16, delay: Duration) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let log = log.clone();
                std::thread::spawn(move || serve(stream, &log, status, delay));
            }
        });
        Receiver {
            port,
            received,
            checked: AtomicBool::new(false),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Asserts that exactly `n` requests arrived, and returns them in arrival order.
    pub fn assert_hits(&self, n: usize) -> Vec<Received> {
        self.checked.store(true, Ordering::Relaxed);
        let received = self.received();
        assert_eq!(
            received.len(),
            n,
            "expected {n} requests, the receiver got {}",
            received.len()
        );
        received
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if !std::thread::panicking() && !self.checked.load(Ordering::Relaxed) {
            panic!("the test never checked how many requests the receiver got");
        }
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<Received>>, status: u16, delay: Duration) {
    let mut writer = stream.try_clone().expect("clone the stream");
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
            return;
        };
        let (method, target) = (method.to_string(), target.to_string());
        let mut headers = Vec::new();
        let mut length = 0;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end_matches(['\r', '\n']);
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim().to_string();
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.parse().unwrap_or(0);
                }
                headers.push((name.to_string(), value));
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        log.lock().unwrap().push(Received {
            method,
            target,
            headers,
            body,
        });
        std::thread::sleep(delay);
        let reply = "{\"ok\":true}";
        let response = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{reply}",
            reply.len()
        );
        if writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}
