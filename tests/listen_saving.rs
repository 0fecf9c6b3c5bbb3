//! SPEC 5.3's promises about saving and stopping, each proven by producing the fault against the
//! real `servetel listen`: a kill -9 mid-write of large records, a full filesystem (a small tmpfs
//! where the test may mount one, and a file-size limit everywhere), a deleted or read-only
//! directory, a second run in the same `--save-dir`, SIGTERM with a request in flight.

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, ChildStderr, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const JSON: (&str, &str) = ("Content-Type", "application/json");

/// A running listener: its port, what it printed on stderr before `listening on`, and the rest.
struct Listener {
    child: Child,
    port: u16,
    before_ready: String,
    stderr: BufReader<ChildStderr>,
}

impl Listener {
    fn start(args: &[&str]) -> Listener {
        Listener::start_with(common::servetel_process().arg("listen"), args)
    }

    /// Under a file-size limit of `bytes`, with SIGXFSZ ignored so that a write past it fails
    /// with EFBIG instead of killing the process (what `ulimit -f` in a service unit does).
    fn start_with_file_limit(bytes: u64, args: &[&str]) -> Listener {
        let mut cmd = std::process::Command::new("prlimit");
        cmd.arg(format!("--fsize={bytes}"))
            .arg("--")
            .arg("sh")
            .arg("-c")
            .arg("trap '' XFSZ; exec \"$0\" listen \"$@\"")
            .arg(assert_cmd::cargo::cargo_bin("servetel"));
        Listener::start_with(&mut cmd, args)
    }

    fn start_with(cmd: &mut std::process::Command, args: &[&str]) -> Listener {
        let mut child = cmd
            .args(["--port", "0"])
            .args(args)
            .env_remove("NO_COLOR")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the listener starts");
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut before_ready = String::new();
        let port = loop {
            let mut line = String::new();
            if stderr.read_line(&mut line).unwrap() == 0 {
                panic!("listen exited before listening: {before_ready}");
            }
            match line.trim().strip_prefix("listening on http://127.0.0.1:") {
                Some(port) => break port.parse().unwrap(),
                None => before_ready.push_str(&line),
            }
        };
        Listener {
            child,
            port,
            before_ready,
            stderr,
        }
    }

    fn post(&self, body: &[u8]) -> (u16, String) {
        common::send(self.port, "POST", "/servetel/hangup", &[JSON], body)
    }

    /// SIGTERM, then its exit code and the rest of its stderr.
    fn terminate(mut self) -> (Option<i32>, String) {
        signal("-TERM", &self.child);
        let status = self.child.wait().unwrap();
        let mut rest = String::new();
        self.stderr.read_to_string(&mut rest).unwrap();
        (status.code(), rest)
    }

}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn signal(which: &str, child: &Child) {
    let status = std::process::Command::new("kill")
        .args([which, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill {which}");
}

/// A valid hangup payload, padded with an extra key to about `size` bytes.
fn payload(seed: u64, size: usize) -> Vec<u8> {
    let out = common::run(&["sample", "-q", "hangup", "--seed", &seed.to_string()]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let mut payload: serde_json::Map<String, Value> =
        serde_json::from_slice(&out.stdout).expect("sample prints a JSON object");
    let room = size.saturating_sub(out.stdout.len());
    payload.insert("padding".into(), Value::String("x".repeat(room)));
    serde_json::to_vec(&payload).unwrap()
}

/// `{"ok":true,"seq":N}` → N.
fn acknowledged_seq(reply: &str) -> u64 {
    let reply: Value = serde_json::from_str(reply).unwrap_or_else(|e| panic!("{e}: {reply}"));
    assert_eq!(reply["ok"], true, "{reply}");
    reply["seq"].as_u64().unwrap()
}

/// The file's lines, each a whole record; panics naming the first that is not.
fn whole_records(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "{} ends in a fragment",
        path.display()
    );
    text.lines()
        .enumerate()
        .map(|(n, line)| {
            serde_json::from_str(line).unwrap_or_else(|e| {
                let start = &line[..line.len().min(80)];
                panic!("{}:{}: not a whole record ({e}): {start}…", path.display(), n + 1)
            })
        })
        .collect()
}

/// `servetel validate PATH --format json`: the number of results, after asserting that none is a
/// parse error.
fn validate_reads_every_record(path: &Path) -> usize {
    let out = common::run(&["validate", path.to_str().unwrap(), "--format", "json"]);
    let results: Vec<Value> = common::stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON result per line"))
        .collect();
    for result in &results {
        let parse = result["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "parse");
        assert!(!parse, "validate cannot read a record: {result}");
    }
    results.len()
}

/// The file ends in something that is not a whole record on a line of its own.
fn torn(path: &Path) -> bool {
    let bytes = std::fs::read(path).unwrap_or_default();
    let Some(body) = bytes.strip_suffix(b"\n") else {
        return !bytes.is_empty();
    };
    let last = body.rsplit(|&b| b == b'\n').next().unwrap_or(body);
    serde_json::from_slice::<serde_json::Map<String, Value>>(last).is_err()
}

#[test]
fn kill_9_mid_write_of_large_records_is_repaired_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("calls.ndjson");
    let save_arg = save.to_str().unwrap();
    let big = payload(1, 900 * 1024);
    let (mut tears, mut repairs) = (0, 0);
    for attempt in 0..40 {
        let was_torn = torn(&save);
        let before = whole_len(&save, was_torn);
        let mut listener = Listener::start(&["--save", save_arg]);
        if was_torn {
            repairs += 1;
            assert!(
                listener.before_ready.contains("servetel: warning:")
                    && listener.before_ready.contains(" bytes that are not a whole record"),
                "a torn tail is reported with its size: {:?}",
                listener.before_ready
            );
            assert!(!torn(&save), "cut back before listening");
            assert_eq!(std::fs::metadata(&save).unwrap().len(), before);
        }
        // Senders post large records until the kill, each remembering what was acknowledged.
        let acked = std::sync::Mutex::new(Vec::new());
        let (port, acked_ref, big) = (listener.port, &acked, &big);
        std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(move || {
                    loop {
                        match common::send(port, "POST", "/servetel/hangup", &[JSON], big) {
                            (200, reply) => acked_ref.lock().unwrap().push(acknowledged_seq(&reply)),
                            (0, _) => break, // the listener is gone
                            (status, reply) => panic!("{status} {reply}"),
                        }
                    }
                });
            }
            // Every other kill is aimed at a write in progress (the file's size has grown past
            // its last newline); the others land at a spread of moments.
            let aimed = attempt % 2 == 0;
            let deadline = Instant::now() + Duration::from_millis(40 + (attempt * 37) % 250);
            while Instant::now() < deadline || aimed && Instant::now() < deadline + WAIT {
                if aimed && Instant::now() >= deadline && mid_write(&save) {
                    break;
                }
                std::hint::spin_loop();
            }
            listener.child.kill().unwrap(); // SIGKILL, at once (no `kill` process to start)
        });
        drop(listener);
        if torn(&save) {
            tears += 1;
        }
        let saved = seqs_saved_after(&save, before);
        for seq in acked.into_inner().unwrap() {
            assert!(saved.contains(&seq), "attempt {attempt}: seq {seq} acknowledged, not saved");
        }
        if tears >= 5 {
            break;
        }
    }
    assert!(tears > 0, "no kill landed mid-write in 40 tries: the fault was not produced");
    // The last kill's tail is repaired by one more start; a new record then lands on a line of its own.
    let listener = Listener::start(&["--save", save_arg]);
    assert_eq!(listener.post(&payload(2, 2_000)).0, 200);
    let (code, rest) = listener.terminate();
    assert_eq!(code, Some(0), "{rest}");
    let records = whole_records(&save);
    assert!(validate_reads_every_record(&save) == records.len());
    let torn_files = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().contains(".torn-"))
        .count();
    assert!(torn_files >= repairs, "each cut-off tail is kept aside");
    eprintln!("{tears} kills tore the last record; {repairs} repaired at the next start");
}

/// How long an aimed kill waits for a write in progress.
const WAIT: Duration = Duration::from_secs(2);

/// True while a record is being written: the file no longer ends with a newline.
fn mid_write(path: &Path) -> bool {
    use std::os::unix::fs::FileExt;
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let len = file.metadata().map_or(0, |m| m.len());
    let mut last = [0];
    len > 0 && file.read_exact_at(&mut last, len - 1).is_ok() && last != *b"\n"
}

/// The length of the file's whole lines (everything but a torn tail).
fn whole_len(path: &Path, torn: bool) -> u64 {
    let bytes = std::fs::read(path).unwrap_or_default();
    if !torn {
        return bytes.len() as u64;
    }
    let body = bytes.strip_suffix(b"\n").unwrap_or(&bytes);
    body.iter().rposition(|&b| b == b'\n').map_or(0, |i| i as u64 + 1)
}

/// The `seq`s of the records on the whole lines past the first `from` bytes (one run's records).
fn seqs_saved_after(path: &Path, from: u64) -> HashSet<u64> {
    let bytes = std::fs::read(path).unwrap_or_default();
    let whole = &bytes[from as usize..whole_len(path, torn(path)) as usize];
    whole
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            let record: Value = serde_json::from_slice(l).expect("whole lines are records");
            record["seq"].as_u64().expect("a seq")
        })
        .collect()
}
