//! Ctrl-C under load (README, "Wait for callbacks in CI"): `servetel listen --save FILE` takes a steady stream of callbacks
//! from several keep-alive senders, gets SIGINT mid-stream, finishes what is in flight, prints its
//! summary and exits 0, and every callback it acknowledged is in the file, on a whole line.

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

const SENDERS: usize = 8;

/// One keep-alive connection to the listener.
struct Connection {
    stream: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Connection {
    fn open(port: u16) -> std::io::Result<Connection> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        // A listener that stopped answering must fail the test, not hang it.
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        let reader = BufReader::new(stream.try_clone()?);
        Ok(Connection { stream, reader })
    }

    /// POSTs `body`; returns the status and the response body.
    fn post(&mut self, body: &[u8]) -> std::io::Result<(u16, String)> {
        let head = format!(
            "POST /servetel/hangup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        // One write: a second small one would wait on the peer's delayed ACK (Nagle).
        self.stream.write_all(&[head.as_bytes(), body].concat())?;
        let broken = |what: &str| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, what);
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(broken("closed before the status line"));
        }
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| broken("no status"))?;
        let mut length = 0;
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(broken("closed in the headers"));
            }
            if let Some(n) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = n.trim().parse().map_err(|_| broken("bad length"))?;
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut reply = vec![0; length];
        self.reader.read_exact(&mut reply)?;
        Ok((status, String::from_utf8_lossy(&reply).into_owned()))
    }
}

/// The listener, killed if the test fails before it exits by itself.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `{"ok":true,"seq":N}` → N.
fn acknowledged_seq(reply: &str) -> u64 {
    let reply: Value =
        serde_json::from_str(reply).unwrap_or_else(|e| panic!("a JSON answer: {e}: {reply}"));
    assert_eq!(reply["ok"], true, "{reply}");
    reply["seq"].as_u64().unwrap_or_else(|| panic!("{reply}"))
}

/// `received N: V valid, I invalid; saved to FILE` → (N, V, I).
fn summary(stderr: &str) -> (u64, u64, u64) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("received "))
        .unwrap_or_else(|| panic!("a summary line on stderr: {stderr:?}"));
    let numbers: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(3)
        .map(|s| s.parse().unwrap())
        .collect();
    assert!(
        line.contains(" valid, ") && line.contains(" invalid; saved to "),
        "{line}"
    );
    (numbers[0], numbers[1], numbers[2])
}

/// `servetel listen --port 0 --save SAVE`, its stderr past the readiness line, and its port.
fn listening(save: &std::path::Path) -> (Guard, BufReader<std::process::ChildStderr>, u16) {
    let mut child = Guard(
        common::servetel_process()
            .args(["listen", "--port", "0", "--save", save.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut stderr = BufReader::new(child.0.stderr.take().unwrap());
    let port = common::readiness_port(&mut stderr);
    (child, stderr, port)
}

#[test]
fn sigint_under_load_loses_no_acknowledged_callback() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("calls.ndjson");
    let (mut child, mut stderr, port) = listening(&save);

    let sample = common::run(&["sample", "-q", "hangup", "--seed", "9"]);
    assert!(sample.status.success(), "{}", common::stderr(&sample));
    let body = common::stdout(&sample).trim_end().to_string();

    let interrupted = AtomicBool::new(false);
    let acked = Mutex::new(Vec::<u64>::new());
    let acked_count = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..SENDERS {
            s.spawn(|| {
                let mut mine = Vec::new();
                let mut connection = Connection::open(port).expect("the listener accepts");
                loop {
                    match connection.post(body.as_bytes()) {
                        Ok((status, reply)) => {
                            assert!((200..300).contains(&status), "{status} {reply}");
                            mine.push(acknowledged_seq(&reply));
                            acked_count.fetch_add(1, Ordering::SeqCst);
                        }
                        // After the SIGINT the listener stops serving: the connection fails.
                        Err(_) if interrupted.load(Ordering::SeqCst) => break,
                        Err(e) => panic!("a request failed before the SIGINT: {e}"),
                    }
                }
                acked.lock().unwrap().extend(mine);
            });
        }
        // ~300 ms of load (and at least some acknowledged requests, on a slow machine).
        while started.elapsed() < Duration::from_millis(300)
            || (acked_count.load(Ordering::SeqCst) < 50
                && started.elapsed() < Duration::from_secs(2))
        {
            std::thread::sleep(Duration::from_millis(10));
        }
        interrupted.store(true, Ordering::SeqCst);
        let kill = std::process::Command::new("kill")
            .args(["-INT", &child.0.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
    });

    let status = child.0.wait().unwrap();
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert_eq!(status.code(), Some(0), "Ctrl-C exits 0; stderr: {rest}");
    assert!(!rest.contains("panicked"), "{rest}");

    let acked = acked.into_inner().unwrap();
    assert!(!acked.is_empty(), "the senders got answers");
    let unique: HashSet<u64> = acked.iter().copied().collect();
    assert_eq!(unique.len(), acked.len(), "each seq acknowledged once");

    let (received, valid, invalid) = summary(&rest);
    assert_eq!(valid + invalid, received, "{rest}");
    assert!(
        received >= acked.len() as u64,
        "received {received} < acknowledged {}",
        acked.len()
    );
    assert!(
        rest.contains(&format!("saved to {}", save.display())),
        "{rest}"
    );

    let text = std::fs::read_to_string(&save).expect("the capture file exists");
    assert!(text.ends_with('\n'), "the last line is whole");
    let mut saved = HashSet::new();
    for (n, line) in text.lines().enumerate() {
        let record: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("line {} is a whole record ({e}): {line}", n + 1));
        let seq = record["seq"].as_u64().expect("a seq");
        assert!(saved.insert(seq), "seq {seq} saved once");
        assert_eq!(record["body"], body.as_str(), "seq {seq}: the body as sent");
    }
    let lost: Vec<_> = acked.iter().filter(|s| !saved.contains(s)).collect();
    assert!(lost.is_empty(), "acknowledged but not saved: {lost:?}");
    assert_eq!(
        saved.len() as u64,
        received,
        "every request counted in the summary is on disk"
    );
}

/// `servetel listen 2>&1 | head`, or a supervisor gone: stderr closes while listen runs. Its
/// notes and its summary are lost then, not the process (it used to panic, exit 101, on the
/// first line it wrote to stderr).
#[test]
fn a_closed_stderr_loses_lines_not_the_listener() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("calls.ndjson");
    let (mut child, stderr, port) = listening(&save);
    drop(stderr);
    let (status, _) = common::send(port, "POST", "/hook", &[], b"{\"uuid\": 1");
    assert_eq!(status, 400, "a malformed body is still answered");
    let (status, _) = common::send(port, "POST", "/hook", &[], b"{\"uuid\": \"a\"}");
    assert_eq!(status, 200, "the listener goes on serving");
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.0.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    assert_eq!(child.0.wait().unwrap().code(), Some(0), "Ctrl-C exits 0");
    let saved = std::fs::read_to_string(&save).unwrap();
    assert_eq!(saved.lines().count(), 2, "both requests are on disk");
}
