//! SPEC 5.3 "The promises", HTTP and connection layer: each test produces the fault against the
//! real binary (raw sockets, a descriptor limit for the child) and checks what a sender sees.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The form body of a hangup callback, 2,058 bytes long (the size of the cut-off body).
fn form_body() -> Vec<u8> {
    let mut body =
        String::from("uuid=abc&call_id=123&direction=inbound&caller_id_number=919812345678");
    while body.len() < 2058 {
        body.push_str("&pad=x");
    }
    body.truncate(2058);
    body.into_bytes()
}

struct Listener {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Listener {
    fn start(args: &[&str]) -> Listener {
        Listener::start_with_files(args, None)
    }

    /// With `files`, the child may hold at most that many descriptors (soft and hard limit).
    fn start_with_files(args: &[&str], files: Option<u64>) -> Listener {
        let dir = tempfile::tempdir().unwrap();
        let save = dir.path().join("calls.ndjson");
        let mut cmd = common::servetel_process();
        cmd.args(["listen", "--port", "0", "--format", "json", "--save"])
            .arg(&save)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(n) = files {
            // SAFETY: only setrlimit between fork and exec.
            unsafe {
                cmd.pre_exec(move || {
                    let limit = libc::rlimit {
                        rlim_cur: n,
                        rlim_max: n,
                    };
                    match libc::setrlimit(libc::RLIMIT_NOFILE, &limit) {
                        0 => Ok(()),
                        _ => Err(std::io::Error::last_os_error()),
                    }
                });
            }
        }
        let mut child = cmd.spawn().unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let port = common::readiness_port(&mut stderr);
        // Keep draining stderr so the child never blocks on a full pipe.
        std::thread::spawn(move || for _ in stderr.lines() {});
        Listener { child, port, dir }
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s
    }

    fn records(&self) -> Vec<Value> {
        let text =
            std::fs::read_to_string(self.dir.path().join("calls.ndjson")).unwrap_or_default();
        text.lines()
            .map(|l| serde_json::from_str(l).expect("whole JSON lines"))
            .collect()
    }

    /// `Threads:` and `VmRSS:` (KiB) of the child.
    fn threads_and_rss(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let field = |name: &str| -> u64 {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (field("Threads:"), field("VmRSS:"))
    }

    /// Waits up to `within` for the child's threads and RSS to come down to `threads` and
    /// `rss`; the last figures.
    fn settles_to(&self, threads: u64, rss: u64, within: Duration) -> (u64, u64) {
        let start = Instant::now();
        loop {
            let now = self.threads_and_rss();
            if (now.0 <= threads && now.1 <= rss) || start.elapsed() > within {
                return now;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One response's status line and head read off `stream` (up to the blank line), and its body
/// by its Content-Length.
fn response(stream: &mut TcpStream) -> Option<(u16, String)> {
    let mut head = Vec::new();
    let mut byte = [0u8];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    let head = String::from_utf8_lossy(&head).to_string();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).ok()?;
    Some((status, head))
}

/// Whether the listener ends the connection (EOF or reset) within `within`, after any answer.
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).unwrap();
    let start = Instant::now();
    let mut sink = [0u8; 4096];
    loop {
        match stream.read(&mut sink) {
            Ok(0) => return true,
            Ok(_) if start.elapsed() < within => continue,
            Ok(_) => return false,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

fn post(path: &str, extra: &str, body: &[u8]) -> Vec<u8> {
    let mut bytes = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n{extra}\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

#[test]
fn a_body_cut_off_before_its_declared_end_is_never_acknowledged() {
    let l = Listener::start(&[]);
    let body = form_body();
    // Content-Length: 2,058, of which 1,500 arrive before the sender half-closes.
    let mut s = l.connect();
    s.write_all(&post("/cut", "", &body)[..post("/cut", "", &body).len() - 558])
        .unwrap();
    s.shutdown(Shutdown::Write).unwrap();
    let answer = response(&mut s).map(|(status, _)| status);
    assert_eq!(answer, Some(400), "a cut-off body is refused, never 200");

    // The chunked variant: a 2,058-byte chunk of which 1,500 bytes arrive.
    let mut s = l.connect();
    let head = "POST /cut-chunked HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n80a\r\n";
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(&body[..1500]).unwrap();
    s.shutdown(Shutdown::Write).unwrap();
    let answer = response(&mut s).map(|(status, _)| status);
    assert!(
        !matches!(answer, Some(200..=299)),
        "a cut-off chunked body is not acknowledged: {answer:?}"
    );

    // The whole body on a live connection is still 200.
    let mut s = l.connect();
    s.write_all(&post("/whole", "", &body)).unwrap();
    assert_eq!(response(&mut s).map(|(status, _)| status), Some(200));
    std::thread::sleep(Duration::from_millis(200));
    let acknowledged: Vec<_> = l
        .records()
        .into_iter()
        .filter(|r| r["response"]["status"] == 200)
        .map(|r| r["path"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(acknowledged, ["/whole"]);
}

#[test]
fn running_out_of_descriptors_never_closes_the_port_for_good() {
    // 64 descriptors for the whole process: a burst of 200 connections exhausts them.
    let l = Listener::start_with_files(&[], Some(64));
    let target = format!("127.0.0.1:{}", l.port).parse().unwrap();
    let burst: Vec<TcpStream> = (0..100)
        .filter_map(|_| TcpStream::connect_timeout(&target, Duration::from_millis(300)).ok())
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    drop(burst);
    // Once the burst is gone, a sender is answered again (within a few seconds).
    let start = Instant::now();
    let answered = loop {
        let status = TcpStream::connect(("127.0.0.1", l.port))
            .ok()
            .and_then(|mut s| {
                s.set_read_timeout(Some(Duration::from_secs(1))).unwrap();
                s.write_all(&post("/after", "Connection: close\r\n", b"a=1"))
                    .ok()?;
                response(&mut s).map(|(status, _)| status)
            });
        if status == Some(200) || start.elapsed() > Duration::from_secs(8) {
            break status;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(
        answered,
        Some(200),
        "the port accepts again after the burst"
    );
}

#[test]
fn eight_keep_alive_connections_opened_at_once_are_all_answered_within_a_second() {
    let l = Listener::start(&[]);
    let mut conns: Vec<TcpStream> = (0..8).map(|_| l.connect()).collect();
    for round in 0..2 {
        let start = Instant::now();
        for s in &mut conns {
            s.write_all(&post("/ka", "", b"a=1")).unwrap();
        }
        for (i, s) in conns.iter_mut().enumerate() {
            let answer = response(s).map(|(status, _)| status);
            assert_eq!(answer, Some(200), "connection {i}, round {round}");
        }
        let took = start.elapsed();
        assert!(took < Duration::from_secs(1), "round {round} took {took:?}");
    }
}

/// What a user of `fire` met against a fresh listener: connections past tiny_http's first four
/// stalled until another closed, so a 3 s timeout turned them into transport errors and the
/// retried callbacks into duplicates.
#[test]
fn a_concurrent_burst_from_fire_into_a_fresh_listener_has_no_transport_errors() {
    let l = Listener::start(&[]);
    let url = format!("http://127.0.0.1:{}/servetel/hangup", l.port);
    let run = common::servetel()
        .args(["fire", "hangup", "--count", "400", "--concurrency", "8"])
        .args(["--timeout", "3s", "--format", "json", "-q", "--to", &url])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let errors = stdout
        .lines()
        .filter(|l| l.contains("\"error\":\""))
        .count();
    assert_eq!(
        errors,
        0,
        "transport errors: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(l.records().len(), 400, "every callback saved once");
}

#[test]
fn malformed_http_gets_an_answer_and_a_closed_connection() {
    let l = Listener::start(&[]);

    // Two different Content-Lengths: 400 and closed; what follows is never a second request.
    let mut s = l.connect();
    let smuggled = "POST /smuggle HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 44\r\n\r\na=1POST /second HTTP/1.1\r\nContent-Length: 0\r\n\r\n";
    s.write_all(smuggled.as_bytes()).unwrap();
    assert_eq!(response(&mut s).map(|(status, _)| status), Some(400));
    assert!(closed_within(&mut s, Duration::from_secs(2)));

    // An unknown Transfer-Encoding: 501, closed.
    let mut s = l.connect();
    s.write_all(b"POST /gzip HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nhello")
        .unwrap();
    assert_eq!(response(&mut s).map(|(status, _)| status), Some(501));
    assert!(closed_within(&mut s, Duration::from_secs(2)));

    // Connection: upgrade with a body: answered (the body read by its length), closed.
    let mut s = l.connect();
    s.write_all(&post(
        "/upgrade",
        "Connection: upgrade\r\nUpgrade: websocket\r\n",
        b"a=1",
    ))
    .unwrap();
    assert_eq!(response(&mut s).map(|(status, _)| status), Some(200));
    assert!(closed_within(&mut s, Duration::from_secs(2)));

    // A header section past 64 KiB: 431, closed.
    let mut s = l.connect();
    let big = format!("X-Big: {}\r\n", "b".repeat(70 * 1024));
    s.write_all(&post("/big", &big, b"a=1")).unwrap();
    assert_eq!(response(&mut s).map(|(status, _)| status), Some(431));
    assert!(closed_within(&mut s, Duration::from_secs(2)));

    // Bare-LF line endings are never left hanging: refused (closed) within the idle limit.
    let mut s = l.connect();
    s.write_all(b"POST /lf HTTP/1.1\nHost: x\nContent-Length: 3\n\na=1")
        .unwrap();
    let start = Instant::now();
    assert!(closed_within(&mut s, Duration::from_secs(8)));
    assert!(start.elapsed() < Duration::from_secs(8));

    std::thread::sleep(Duration::from_millis(200));
    let records = l.records();
    assert!(
        records.iter().all(|r| r["path"] != "/second"),
        "no smuggled request"
    );
    let smuggle = records.iter().find(|r| r["path"] == "/smuggle").unwrap();
    assert_eq!(smuggle["response"]["status"], 400);
}

#[test]
fn chunked_bodies_with_trailers_are_accepted_and_saved() {
    let l = Listener::start(&[]);
    let mut s = l.connect();
    s.write_all(
        b"POST /trailer HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n3\r\na=1\r\n4\r\n&b=2\r\n0\r\nX-Checksum: abc\r\n\r\n",
    )
    .unwrap();
    assert_eq!(response(&mut s).map(|(status, _)| status), Some(200));
    std::thread::sleep(Duration::from_millis(200));
    let records = l.records();
    let saved = records.iter().find(|r| r["path"] == "/trailer").unwrap();
    assert_eq!(saved["body"], "a=1&b=2");
    assert_eq!(saved["response"]["status"], 200);
}

#[test]
fn abandoned_huge_requests_release_their_threads() {
    let l = Listener::start(&[]);
    std::thread::sleep(Duration::from_millis(500));
    let (idle_threads, _) = l.threads_and_rss();
    for _ in 0..200 {
        let mut s = l.connect();
        // 1 TiB declared, 3 bytes sent, the 413 read, and the sender goes away.
        let head = "POST /huge HTTP/1.1\r\nHost: x\r\nContent-Length: 1099511627776\r\n\r\nabc";
        s.write_all(head.as_bytes()).unwrap();
        assert_eq!(response(&mut s).map(|(status, _)| status), Some(413));
    }
    // A length past what any allocator can give is answered and closed too (README, known
    // limits: its thread stays) and the listener lives on.
    let mut s = l.connect();
    s.write_all(
        b"POST /absurd HTTP/1.1\r\nHost: x\r\nContent-Length: 4611686018427387904\r\n\r\nabc",
    )
    .unwrap();
    assert_eq!(response(&mut s).map(|(status, _)| status), Some(413));
    assert!(closed_within(&mut s, Duration::from_secs(2)));
    let mut s = l.connect();
    s.write_all(&post("/after", "", b"a=1")).unwrap();
    assert_eq!(response(&mut s).map(|(status, _)| status), Some(200));
    let (threads, rss) = l.settles_to(idle_threads + 5, u64::MAX, Duration::from_secs(15));
    assert!(
        threads <= idle_threads + 5,
        "threads {idle_threads} idle, {threads} after the senders left (RSS {rss} KiB)"
    );
}

#[test]
fn slow_bodies_leave_threads_and_memory_near_idle() {
    let l = Listener::start(&[]);
    std::thread::sleep(Duration::from_millis(500));
    let (idle_threads, idle_rss) = l.threads_and_rss();
    let body = form_body();
    let mut slow: Vec<TcpStream> = (0..500).map(|_| l.connect()).collect();
    let request = post("/slow", "", &body);
    let (head_len, _) = (request.len() - body.len(), ());
    for s in &mut slow {
        s.write_all(&request[..head_len + 10]).unwrap();
    }
    // The bodies trickle for a while, then the senders give up.
    for step in 0..5 {
        for s in &mut slow {
            let at = head_len + 10 + step;
            let _ = s.write_all(&request[at..at + 1]);
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    let (busy_threads, _) = l.threads_and_rss();
    drop(slow);
    // Threads end up to 5 s after their connections (tiny_http) or 2 s after their last request
    // (workers); a machine loaded by the tests beside this one takes longer to get round to it
    // (19 left after 12 s once, at a load of 33), a leak never does.
    let (threads, rss) = l.settles_to(
        idle_threads + 4,
        idle_rss + 64 * 1024,
        Duration::from_secs(30),
    );
    assert!(
        threads <= idle_threads + 4,
        "threads: {idle_threads} idle, {busy_threads} busy, {threads} 30 s after the senders left"
    );
    assert!(
        rss < idle_rss + 64 * 1024,
        "RSS: {idle_rss} KiB idle, {rss} KiB after the senders left"
    );
}

/// Known limit (README): tiny_http answers an `HTTP/2.0` request line with a 505 that waits for
/// the refused request to be dropped first, so the connection's thread is stuck for good and the
/// sender gets nothing. listen never sees such a request; this shows what a sender meets today.
#[test]
fn known_limit_an_http2_request_line_is_left_unanswered_by_tiny_http() {
    let l = Listener::start(&[]);
    let mut s = l.connect();
    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    s.write_all(b"POST / HTTP/2.0\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        .unwrap();
    assert_eq!(response(&mut s).map(|(status, _)| status), None);
    // The listener goes on serving everyone else.
    let mut other = l.connect();
    other.write_all(&post("/other", "", b"a=1")).unwrap();
    assert_eq!(response(&mut other).map(|(status, _)| status), Some(200));
}

/// Header memory cannot be bounded inside tiny_http (README, known limits): a 32 MB header line
/// is read whole. What listen keeps: it is answered 431, its connection closed, and the memory
/// goes back once it is over.
#[test]
fn a_huge_header_line_is_answered_431_and_its_memory_returns() {
    let l = Listener::start(&[]);
    std::thread::sleep(Duration::from_millis(500));
    let (_, idle_rss) = l.threads_and_rss();
    let mut s = l.connect();
    let line = format!("X-Big: {}\r\n", "b".repeat(32 * 1024 * 1024));
    s.write_all(&post("/huge-header", &line, b"a=1")).unwrap();
    assert_eq!(response(&mut s).map(|(status, _)| status), Some(431));
    assert!(closed_within(&mut s, Duration::from_secs(2)));
    let (_, rss) = l.settles_to(u64::MAX, idle_rss + 32 * 1024, Duration::from_secs(10));
    assert!(
        rss <= idle_rss + 32 * 1024,
        "RSS: {idle_rss} KiB idle, {rss} KiB 10 s after a 32 MB header line"
    );
}
