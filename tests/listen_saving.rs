//! listen's promises about saving and stopping, each proven by producing the fault against the
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
    printed: tempfile::NamedTempFile,
}

impl Listener {
    fn start(args: &[&str]) -> Listener {
        Listener::start_with(common::servetel_process().arg("listen"), args)
    }

    /// Under a file-size limit (`RLIMIT_FSIZE`) of 256 KiB, set by the shell's `ulimit -f` (in
    /// 512-byte blocks), with SIGXFSZ ignored so that a write past it fails with EFBIG instead of
    /// killing the process; the ignored signal and the limit survive the `exec`.
    fn start_with_file_limit(args: &[&str]) -> Listener {
        let mut cmd = std::process::Command::new("sh");
        cmd.arg("-c")
            .arg("ulimit -f 512 && trap '' XFSZ && exec \"$0\" listen \"$@\"")
            .arg(assert_cmd::cargo::cargo_bin("servetel"));
        for key in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM", "COLUMNS"] {
            cmd.env_remove(key);
        }
        Listener::start_with(&mut cmd, args)
    }

    fn start_with(cmd: &mut std::process::Command, args: &[&str]) -> Listener {
        let printed = tempfile::NamedTempFile::new().unwrap();
        let mut child = cmd
            .args(["--port", "0"])
            .args(args)
            .stdout(printed.reopen().unwrap())
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
            printed,
        }
    }

    /// What it printed on stdout so far.
    /// What it printed on stdout, read once it has exited: the printout is flushed after the
    /// answer (by the last request in flight), so reading it earlier races.
    fn terminate_printed(self) -> (Option<i32>, String, String) {
        // The file goes with `self`; a second handle on it outlives that.
        let mut printed = self.printed.reopen().unwrap();
        let (code, rest) = self.terminate();
        let mut text = String::new();
        printed.read_to_string(&mut text).unwrap();
        (code, rest, text)
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
                panic!(
                    "{}:{}: not a whole record ({e}): {start}…",
                    path.display(),
                    n + 1
                )
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
    let (mut tears, mut repairs, mut attempts) = (0, 0, 0);
    for attempt in 0..40 {
        attempts += 1;
        let was_torn = torn(&save);
        let before = whole_len(&save, was_torn);
        let mut listener = Listener::start(&["--save", save_arg]);
        if was_torn {
            repairs += 1;
            assert!(
                listener.before_ready.contains("servetel: warning:")
                    && listener
                        .before_ready
                        .contains(" bytes that are not a whole record"),
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
                        match common::try_send(port, "POST", "/servetel/hangup", &[JSON], big) {
                            Ok((200, reply)) => {
                                acked_ref.lock().unwrap().push(acknowledged_seq(&reply))
                            }
                            // The listener is gone: refused, cut off mid-body, or no answer.
                            Err(_) | Ok((0, _)) => break,
                            Ok((status, reply)) => panic!("{status} {reply}"),
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
            assert!(
                saved.contains(&seq),
                "attempt {attempt}: seq {seq} acknowledged, not saved"
            );
        }
        if tears >= 5 {
            break;
        }
    }
    assert!(
        tears > 0,
        "no kill landed mid-write in 40 tries: the fault was not produced"
    );
    // The last kill's tail is repaired by one more start; a new record then lands on a line of its own.
    let listener = Listener::start(&["--save", save_arg]);
    assert_eq!(listener.post(&payload(2, 2_000)).0, 200);
    let (code, rest) = listener.terminate();
    assert_eq!(code, Some(0), "{rest}");
    let records = whole_records(&save);
    assert!(validate_reads_every_record(&save) == records.len());
    let torn_files = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".torn-")
        })
        .count();
    assert!(torn_files >= repairs, "each cut-off tail is kept aside");
    eprintln!(
        "{tears} of {attempts} kills tore the last record; {repairs} repaired at the next start"
    );
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
    body.iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i as u64 + 1)
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

/// The files in `dir`, sorted, asserting that none is empty (a failed write leaves no file).
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            assert!(e.metadata().unwrap().len() > 0, "{name} is empty");
            name
        })
        .collect();
    names.sort();
    names
}

/// `received N: …; TAIL` → TAIL.
fn summary_tail(stderr: &str) -> &str {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("received "))
        .unwrap_or_else(|| panic!("a summary line: {stderr}"));
    line.split_once("; ").map_or("", |(_, tail)| tail)
}

#[test]
fn a_record_past_the_file_size_limit_is_answered_503_cut_back_and_listen_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("calls.ndjson");
    let records = dir.path().join("records");
    let (save_arg, records_arg) = (save.to_str().unwrap(), records.to_str().unwrap());
    let listener =
        Listener::start_with_file_limit(&["--save", save_arg, "--save-dir", records_arg]);
    let small = payload(3, 2_000);
    assert_eq!(listener.post(&small).0, 200);
    assert_eq!(listener.post(&small).0, 200);
    let size_before = std::fs::metadata(&save).unwrap().len();

    // 600 KB does not fit under the 256 KiB limit: the kernel takes part of it, then says EFBIG.
    let (status, reply) = listener.post(&payload(4, 600 * 1024));
    assert_eq!(status, 503, "{reply}");
    assert!(
        reply.contains("not saved") && reply.contains("File too large"),
        "{reply}"
    );
    assert_eq!(
        std::fs::metadata(&save).unwrap().len(),
        size_before,
        "the part written is taken back"
    );
    assert_eq!(files_in(&records).len(), 2, "no half-written file left");

    // The next record that fits is saved as if nothing had happened.
    assert_eq!(listener.post(&small).0, 200);
    let (code, rest, printed) = listener.terminate_printed();
    assert_eq!(code, Some(0), "{rest}");
    assert!(printed.contains("→ 503"), "{printed}");
    assert!(printed.contains("not saved, answered 503"), "{printed}");
    assert_eq!(
        summary_tail(&rest),
        format!(
            "3 saved to {save_arg} and {records_arg}, 1 not (answered 503, the last because \
             cannot write {save_arg}: File too large (os error 27))"
        )
    );
    assert_eq!(whole_records(&save).len(), 3);
    assert_eq!(validate_reads_every_record(&save), 3);
    assert_eq!(files_in(&records).len(), 3);
    assert_eq!(validate_reads_every_record(&records), 3);
}

#[test]
fn a_deleted_save_dir_is_answered_503_and_listen_recovers_when_it_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("records");
    let records_arg = records.to_str().unwrap();
    let listener = Listener::start(&["--save-dir", records_arg, "--format", "json"]);
    let body = payload(5, 2_000);
    assert_eq!(listener.post(&body).0, 200);
    std::fs::remove_dir_all(&records).unwrap();
    let (status, reply) = listener.post(&body);
    assert_eq!(status, 503, "{reply}");
    assert!(reply.contains("No such file or directory"), "{reply}");
    std::fs::create_dir(&records).unwrap();
    assert_eq!(listener.post(&body).0, 200);
    let (code, rest, printed) = listener.terminate_printed();
    assert_eq!(code, Some(0), "{rest}");
    // --format json prints the record as answered, and says why on stderr.
    let answered: Vec<Value> = printed
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["response"]["status"].clone())
        .collect();
    assert_eq!(answered, [200, 503, 200], "{printed}");
    assert!(
        rest.contains("request 2: not saved, answered 503"),
        "{rest}"
    );
    let tail = summary_tail(&rest);
    let expected = format!(
        "2 saved to {records_arg}, 1 not (answered 503, the last because cannot create \
         {records_arg}/"
    );
    assert!(tail.starts_with(&expected), "{tail}");
    assert!(
        tail.ends_with(": No such file or directory (os error 2))"),
        "{tail}"
    );
    assert_eq!(
        files_in(&records).len(),
        1,
        "the record after the directory came back"
    );
}

#[test]
fn a_capture_file_deleted_while_listening_is_created_again() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("calls.ndjson");
    let listener = Listener::start(&["--save", save.to_str().unwrap()]);
    let body = payload(6, 2_000);
    assert_eq!(listener.post(&body).0, 200);
    std::fs::remove_file(&save).unwrap();
    let (status, reply) = listener.post(&body);
    assert_eq!(status, 200, "{reply}");
    let (code, rest) = listener.terminate();
    assert_eq!(code, Some(0), "{rest}");
    let records = whole_records(&save);
    assert_eq!(records.len(), 1, "not written into the deleted file");
    assert_eq!(records[0]["seq"], acknowledged_seq(&reply));
}

#[test]
fn a_second_run_in_the_same_save_dir_keeps_the_first_runs_files() {
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("records");
    let records_arg = records.to_str().unwrap();
    let mut first = Vec::new();
    for run in 0..2 {
        let listener = Listener::start(&["--save-dir", records_arg]);
        for n in 0..2 {
            assert_eq!(listener.post(&payload(10 + run * 2 + n, 1_000)).0, 200);
        }
        let (code, rest) = listener.terminate();
        assert_eq!(code, Some(0), "{rest}");
        if run == 0 {
            first = files_in(&records)
                .into_iter()
                .map(|name| (std::fs::read(records.join(&name)).unwrap(), name))
                .collect();
        }
    }
    assert_eq!(files_in(&records).len(), 4, "both runs' records");
    for (bytes, name) in &first {
        let now = std::fs::read(records.join(name)).unwrap();
        assert_eq!(&now, bytes, "{name} is the first run's record still");
    }
    assert_eq!(validate_reads_every_record(&records), 4);
}

#[test]
fn save_locations_that_cannot_be_written_are_exit_2_before_listening() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let mut cases = vec![
        (
            "--save",
            path_in(&dir, "missing/calls.ndjson"),
            "No such file or directory (os error 2)",
        ),
        (
            "--save-dir",
            path_in(&dir, "a-file/records"),
            "Not a directory (os error 20)",
        ),
        ("--save", path_in(&dir, ""), "it is a directory"),
    ];
    let read_only = ReadOnly::new(&dir);
    if let Some(ro) = &read_only {
        for flag in ["--save", "--save-dir"] {
            cases.push((flag, ro.path.join("calls").display().to_string(), ro.error));
        }
    }
    for (flag, path, expected) in cases {
        let out = common::run(&["listen", "--port", "0", flag, &path]);
        let err = common::stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{flag} {path}: {err}");
        assert_eq!(
            err,
            format!("servetel: error: cannot save to {path}: {expected}\n"),
            "{flag}: one line naming the path and the reason, before `listening on`"
        );
    }
}

fn path_in(dir: &tempfile::TempDir, name: &str) -> String {
    dir.path().join(name).to_string_lossy().into_owned()
}

/// A directory this process cannot write: a read-only tmpfs when it may mount one (root), else a
/// directory without write permission (which root would write anyway).
struct ReadOnly {
    path: std::path::PathBuf,
    error: &'static str,
    _mounted: Option<Tmpfs>,
}

impl ReadOnly {
    fn new(dir: &tempfile::TempDir) -> Option<ReadOnly> {
        let path = dir.path().join("read-only");
        std::fs::create_dir(&path).unwrap();
        if let Some(tmpfs) = Tmpfs::mount(&path, "ro,size=64k") {
            return Some(ReadOnly {
                path,
                error: "Read-only file system (os error 30)",
                _mounted: Some(tmpfs),
            });
        }
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o555)).unwrap();
        if std::fs::write(path.join("probe"), "").is_ok() {
            eprintln!("skipped the read-only case: root without mount(2) writes anywhere");
            return None;
        }
        Some(ReadOnly {
            path,
            error: "Permission denied (os error 13)",
            _mounted: None,
        })
    }
}

/// A small tmpfs mounted for one test (root only; `None` where mount is not allowed).
struct Tmpfs {
    path: std::path::PathBuf,
}

impl Tmpfs {
    fn mount(path: &Path, options: &str) -> Option<Tmpfs> {
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(path)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then(|| Tmpfs {
            path: path.to_path_buf(),
        })
    }

    fn remount(&self, options: &str) {
        let status = std::process::Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.path)
            .status()
            .unwrap();
        assert!(status.success(), "remount {options}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.path)
            .status();
    }
}

#[test]
fn a_full_disk_is_answered_503_leaves_whole_files_and_listen_recovers_when_space_is_freed() {
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let Some(_tmpfs) = Tmpfs::mount(&disk, "size=1m") else {
        eprintln!("skipped: cannot mount a tmpfs here (the file-size-limit test covers EFBIG)");
        return;
    };
    let save = disk.join("calls.ndjson");
    let records = disk.join("records");
    let (save_arg, records_arg) = (save.to_str().unwrap(), records.to_str().unwrap());
    let listener = Listener::start(&["--save", save_arg, "--save-dir", records_arg]);
    let body = payload(7, 20_000);
    assert_eq!(listener.post(&body).0, 200);
    let size_before = std::fs::metadata(&save).unwrap().len();

    let filler = disk.join("filler");
    let mut fill = std::fs::File::create(&filler).unwrap();
    while std::io::Write::write_all(&mut fill, &[b'x'; 4096]).is_ok() {}
    drop(fill);
    let (status, reply) = listener.post(&body);
    assert_eq!(status, 503, "{reply}");
    assert!(reply.contains("No space left on device"), "{reply}");
    assert_eq!(std::fs::metadata(&save).unwrap().len(), size_before);
    assert_eq!(
        files_in(&records).len(),
        1,
        "no empty or half-written file left"
    );

    std::fs::remove_file(&filler).unwrap();
    assert_eq!(
        listener.post(&body).0,
        200,
        "saving works again, no restart"
    );
    let (code, rest) = listener.terminate();
    assert_eq!(code, Some(0), "{rest}");
    assert_eq!(
        summary_tail(&rest),
        format!(
            "2 saved to {save_arg} and {records_arg}, 1 not (answered 503, the last because \
             cannot write {save_arg}: No space left on device (os error 28))"
        )
    );
    assert_eq!(validate_reads_every_record(&save), 2);
    assert_eq!(validate_reads_every_record(&records), 2);
}

#[test]
fn a_save_dir_turned_read_only_is_answered_503_and_listen_recovers_when_writable_again() {
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("records");
    std::fs::create_dir(&records).unwrap();
    let Some(tmpfs) = Tmpfs::mount(&records, "size=1m") else {
        eprintln!(
            "skipped: cannot mount a tmpfs here (the deleted-directory test covers recovery)"
        );
        return;
    };
    let listener = Listener::start(&["--save-dir", records.to_str().unwrap()]);
    let body = payload(8, 2_000);
    assert_eq!(listener.post(&body).0, 200);
    tmpfs.remount("ro");
    let (status, reply) = listener.post(&body);
    assert_eq!(status, 503, "{reply}");
    assert!(reply.contains("Read-only file system"), "{reply}");
    tmpfs.remount("rw");
    assert_eq!(listener.post(&body).0, 200);
    let (code, rest) = listener.terminate();
    assert_eq!(code, Some(0), "{rest}");
    assert!(
        summary_tail(&rest).contains(", 1 not (answered 503, the last because cannot create ")
            && rest.contains(": Read-only file system (os error 30))"),
        "{rest}"
    );
    assert_eq!(files_in(&records).len(), 2);
}

#[test]
fn sigterm_finishes_the_request_in_flight_prints_the_summary_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("calls.ndjson");
    let save_arg = save.to_str().unwrap();
    let listener = Listener::start(&["--save", save_arg, "--delay", "2s"]);
    let port = listener.port;
    let in_flight = std::thread::spawn(move || {
        common::send(
            port,
            "POST",
            "/servetel/hangup",
            &[JSON],
            &payload(9, 1_000),
        )
    });
    std::thread::sleep(Duration::from_millis(700)); // received, saved, waiting out its --delay
    let (code, rest) = listener.terminate();
    let (status, reply) = in_flight.join().unwrap();
    assert_eq!(status, 200, "the request in flight is answered: {reply}");
    assert_eq!(code, Some(0), "SIGTERM exits 0 like Ctrl-C: {rest}");
    assert!(
        rest.contains(&format!(
            "received 1: 1 valid, 0 invalid; saved to {save_arg}"
        )),
        "{rest}"
    );
    assert_eq!(whole_records(&save)[0]["seq"], acknowledged_seq(&reply));
}

#[test]
fn the_summary_never_says_saved_when_nothing_was() {
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("records");
    let records_arg = records.to_str().unwrap();

    let (code, rest) = Listener::start(&["--save-dir", records_arg]).terminate();
    assert_eq!(code, Some(0), "{rest}");
    assert_eq!(
        summary_tail(&rest),
        format!("nothing to save in {records_arg}")
    );

    let listener = Listener::start(&["--save-dir", records_arg]);
    std::fs::remove_dir_all(&records).unwrap();
    assert_eq!(listener.post(&payload(20, 1_000)).0, 503);
    let (code, rest) = listener.terminate();
    assert_eq!(code, Some(0), "{rest}");
    let tail = summary_tail(&rest);
    let expected =
        format!("none saved: 1 answered 503, the last because cannot create {records_arg}/");
    assert!(tail.starts_with(&expected), "{tail}");
    assert!(!rest.contains("saved to"), "{rest}");
}
