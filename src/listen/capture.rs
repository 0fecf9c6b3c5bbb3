//! Where records are saved: the `--save` NDJSON file and the `--save-dir` directory. Both are
//! checked for writing at start-up, and both keep listen's promise (README, "Known limits"; docs/capture-record.md) that a file is never left
//! corrupt and nothing acknowledged is overwritten.
//!
//! **The `--save` file.** Records are appended one whole line at a time on an `O_APPEND`
//! descriptor, under a lock so that a write the kernel only partly takes (disk full, file-size
//! limit) can be cut back to where its record began before the next one goes in: a record is in
//! the file whole or not at all, and its request is answered only after. A kill mid-write can
//! still leave a torn last line, so at start-up the last line is checked: when it lacks its
//! newline and is not a whole JSON object, or has its newline but is not a JSON object, the file is
//! **cut back** to the end of the line before, and the cut bytes are **kept** in `FILE.torn-N`
//! (the first free N) with a warning on stderr. Cutting keeps the capture file readable by
//! `validate` and `replay` and the next record off the fragment; keeping the bytes means nothing
//! is destroyed (a torn record was never acknowledged, since answering waits for the write).
//!
//! **`--save-dir`.** One file per record, named `20261202T014512.123-000001.json` (the time it was
//! received, UTC, then its sequence number in the run), created with `O_EXCL`: a second run in the
//! same directory never overwrites the first's files, and a name taken anyway (two runs in the same
//! millisecond) gets `-2`, `-3`…. A file whose write fails is removed, so no half a record is left.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, bail};

/// How far back the start-up check reads to find the last line's start.
const TAIL_CHUNK: u64 = 64 * 1024;

pub struct CaptureFile {
    path: PathBuf,
    /// Opened on the first record (a new file is only created when there is something to put in
    /// it), and again when the path no longer names the file that is open (deleted, moved).
    file: Mutex<Option<Open>>,
}

/// The open capture file and its identity (device, inode), read once when it is opened: each
/// append then costs one `stat` of the path and the write.
struct Open {
    file: File,
    id: Option<(u64, u64)>,
}

impl Open {
    fn at(path: &Path) -> io::Result<Open> {
        let file = open_append(path)?;
        let id = identity(&file.metadata()?);
        Ok(Open { file, id })
    }

    /// True while `path` names this file (a user may delete or move it while listen runs;
    /// writing on would put records where nobody will find them).
    fn still_at(&self, path: &Path) -> bool {
        match (self.id, std::fs::metadata(path)) {
            (Some(id), Ok(named)) => identity(&named) == Some(id),
            (None, Ok(_)) => true,
            _ => false,
        }
    }
}

impl CaptureFile {
    /// Checks that `path` can be written (exit 2 naming the path and the OS error if not) and
    /// repairs a torn tail left by an earlier run.
    pub fn new(path: &Path) -> anyhow::Result<CaptureFile> {
        let cannot = || format!("cannot save to {}", path.display());
        let existing = match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => bail!("{}: it is a directory", cannot()),
            Ok(_) => true,
            Err(e) if e.kind() == io::ErrorKind::NotFound => false,
            Err(e) => return Err(e).with_context(cannot),
        };
        let file = if existing {
            repair_tail(path).with_context(cannot)?;
            Some(Open::at(path).with_context(cannot)?)
        } else {
            // A probe the same name as the file, gone again at once: creating is what must work.
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .with_context(cannot)?;
            std::fs::remove_file(path).with_context(cannot)?;
            None
        };
        Ok(CaptureFile {
            path: path.to_path_buf(),
            file: Mutex::new(file),
        })
    }

    /// Appends `line`, which ends with a newline, whole or not at all. (Never inlined: a step of
    /// its own in `scripts/steps.sh`.)
    #[inline(never)]
    pub fn append(&self, line: &[u8]) -> anyhow::Result<()> {
        let cannot = || format!("cannot write {}", self.path.display());
        let mut slot = self
            .file
            .lock()
            .map_err(|_| anyhow::anyhow!("the capture file's lock is poisoned"))?;
        if !slot.as_ref().is_some_and(|open| open.still_at(&self.path)) {
            *slot = Some(Open::at(&self.path).with_context(cannot)?);
        }
        let mut file = &slot.as_ref().expect("opened above").file;
        let mut written = 0;
        while written < line.len() {
            match file.write(&line[written..]) {
                Ok(0) => return cut_back(file, written, io::ErrorKind::WriteZero.into(), cannot),
                Ok(n) => written += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return cut_back(file, written, e, cannot),
            }
        }
        Ok(())
    }
}

/// ENOSPC or EFBIG part-way: the `written` bytes of the record that went in are taken back (the
/// lock is held, so they are the file's last), so the next record starts on a line.
fn cut_back(
    file: &File,
    written: usize,
    e: io::Error,
    cannot: impl Fn() -> String,
) -> anyhow::Result<()> {
    if written > 0 {
        let cut = file
            .metadata()
            .and_then(|m| file.set_len(m.len().saturating_sub(written as u64)));
        if let Err(cut) = cut {
            return Err(e).with_context(|| format!("{} (and cannot cut it back: {cut})", cannot()));
        }
    }
    Err(e).with_context(cannot)
}

fn open_append(path: &Path) -> io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(_: &std::fs::Metadata) -> Option<(u64, u64)> {
    None // the path's existence is all that is checked
}

/// Cuts a torn last line off `path` (see the module comment), keeping it in `PATH.torn-N`, and
/// warns on stderr. Returns the number of bytes cut.
pub fn repair_tail(path: &Path) -> io::Result<u64> {
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    let meta = file.metadata()?;
    let len = meta.len();
    if len == 0 || !meta.is_file() {
        return Ok(0); // `--save /dev/stdout` and the like have no tail to read
    }
    let newline_at_end = read_at(&mut file, len - 1, 1)? == b"\n";
    let line_end = if newline_at_end { len - 1 } else { len };
    let line_start = match last_newline_before(&mut file, line_end)? {
        Some(at) => at + 1,
        None => 0,
    };
    let line = read_at(&mut file, line_start, (line_end - line_start) as usize)?;
    let whole = serde_json::from_slice::<serde_json::Value>(&line).is_ok_and(|v| v.is_object());
    if whole || line.iter().all(u8::is_ascii_whitespace) {
        if !newline_at_end && whole {
            file.seek(SeekFrom::End(0))?;
            file.write_all(b"\n")?; // a whole record that only lacks its newline stays
        }
        return Ok(0);
    }
    let cut = len - line_start;
    let mut fragment = line;
    if newline_at_end {
        fragment.push(b'\n');
    }
    let kept = keep_aside(path, &fragment);
    file.set_len(line_start)?;
    let kept = match kept {
        Ok(aside) => format!("kept in {}", aside.display()),
        Err(e) => format!("discarded: cannot keep them ({e})"),
    };
    crate::say!(
        "servetel: warning: {} ended in {cut} bytes that are not a whole record (a kill or a full \
         disk mid-write; never acknowledged): cut back to its last whole line, the bytes {kept}",
        path.display()
    );
    Ok(cut)
}

/// Where the previous line ends: the last `\n` before `end`.
fn last_newline_before(file: &mut File, end: u64) -> io::Result<Option<u64>> {
    let mut to = end;
    while to > 0 {
        let from = to.saturating_sub(TAIL_CHUNK);
        let chunk = read_at(file, from, (to - from) as usize)?;
        if let Some(i) = chunk.iter().rposition(|&b| b == b'\n') {
            return Ok(Some(from + i as u64));
        }
        to = from;
    }
    Ok(None)
}

fn read_at(file: &mut File, at: u64, len: usize) -> io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(at))?;
    let mut bytes = Vec::with_capacity(len);
    file.take(len as u64).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// `PATH.torn-N` with the first N not taken, holding `bytes`.
fn keep_aside(path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    for n in 1.. {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".torn-{n}"));
        let aside = PathBuf::from(name);
        match OpenOptions::new().write(true).create_new(true).open(&aside) {
            Ok(mut file) => {
                return match file.write_all(bytes) {
                    Ok(()) => Ok(aside),
                    Err(e) => {
                        let _ = std::fs::remove_file(&aside);
                        Err(e)
                    }
                };
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    unreachable!("some N is free")
}

/// The `--save-dir` directory (see the module comment).
pub struct SaveDir {
    dir: PathBuf,
}

impl SaveDir {
    /// Creates the directory if need be and checks that a file can be created in it.
    pub fn open(dir: &Path) -> anyhow::Result<SaveDir> {
        let cannot = || format!("cannot save to {}", dir.display());
        std::fs::create_dir_all(dir).with_context(cannot)?;
        // Hidden, so that validate and replay skip it should a kill leave it behind.
        let probe = dir.join(format!(".servetel-probe-{}", std::process::id()));
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&probe)
            .with_context(cannot)?;
        std::fs::remove_file(&probe).with_context(cannot)?;
        Ok(SaveDir {
            dir: dir.to_path_buf(),
        })
    }

    /// Writes the record `line` received at `received_at` (RFC 3339) as request `seq` into a file
    /// of its own; returns its path.
    pub fn write(&self, received_at: &str, seq: u64, line: &[u8]) -> anyhow::Result<PathBuf> {
        let stem = format!("{}-{seq:06}", file_stamp(received_at));
        for n in 1.. {
            let name = match n {
                1 => format!("{stem}.json"),
                _ => format!("{stem}-{n}.json"),
            };
            let path = self.dir.join(name);
            let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => file,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(e).with_context(|| format!("cannot create {}", path.display()));
                }
            };
            if let Err(e) = file.write_all(line) {
                drop(file);
                let _ = std::fs::remove_file(&path); // no half a record left for validate to trip on
                return Err(e).with_context(|| format!("cannot write {}", path.display()));
            }
            return Ok(path);
        }
        unreachable!("some name is free")
    }
}

/// `2026-12-02T01:45:12.123+00:00` → `20261202T014512.123`: sortable and valid on every filesystem.
fn file_stamp(rfc3339: &str) -> String {
    rfc3339
        .chars()
        .take(23)
        .filter(|c| !matches!(c, '-' | ':'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(content: &[u8]) -> (Vec<u8>, u64, Option<Vec<u8>>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("calls.ndjson");
        std::fs::write(&path, content).unwrap();
        let cut = repair_tail(&path).unwrap();
        let aside = std::fs::read(dir.path().join("calls.ndjson.torn-1")).ok();
        (std::fs::read(&path).unwrap(), cut, aside)
    }

    #[test]
    fn a_fragment_without_its_newline_is_cut_and_kept_aside() {
        let (file, cut, aside) = repaired(b"{\"seq\":1}\n{\"seq\":2,\"bo");
        assert_eq!(file, b"{\"seq\":1}\n");
        assert_eq!(cut, 12);
        assert_eq!(aside.as_deref(), Some(&b"{\"seq\":2,\"bo"[..]));
    }

    #[test]
    fn a_last_line_that_is_not_an_object_is_cut_even_with_its_newline() {
        // What the old listener left: the next run's record appended onto a fragment.
        let (file, _, aside) = repaired(b"{\"seq\":1}\n{\"seq\":2,\"bo{\"seq\":1}\n");
        assert_eq!(file, b"{\"seq\":1}\n");
        assert_eq!(aside.as_deref(), Some(&b"{\"seq\":2,\"bo{\"seq\":1}\n"[..]));
    }

    #[test]
    fn whole_files_are_left_alone_and_a_missing_last_newline_is_added() {
        assert_eq!(
            repaired(b"{\"a\":1}\n{\"b\":2}\n"),
            (b"{\"a\":1}\n{\"b\":2}\n".to_vec(), 0, None)
        );
        assert_eq!(
            repaired(b"{\"a\":1}\n\n"),
            (b"{\"a\":1}\n\n".to_vec(), 0, None)
        );
        assert_eq!(repaired(b"{\"a\":1}"), (b"{\"a\":1}\n".to_vec(), 0, None));
        assert_eq!(repaired(b""), (Vec::new(), 0, None));
    }

    #[test]
    fn a_file_that_is_one_fragment_is_cut_to_nothing() {
        let (file, cut, aside) = repaired(b"{\"seq\":1,");
        assert!(file.is_empty());
        assert_eq!(cut, 9);
        assert!(aside.is_some());
    }

    #[test]
    fn a_last_line_longer_than_a_read_chunk_is_found_whole() {
        let long = format!("{{\"body\":\"{}\"}}\n", "x".repeat(3 * TAIL_CHUNK as usize));
        let content = [b"{\"seq\":1}\n", long.as_bytes(), b"{\"seq\":3"].concat();
        let (file, cut, _) = repaired(&content);
        assert_eq!(cut, 8);
        assert_eq!(file, [b"{\"seq\":1}\n", long.as_bytes()].concat());
    }

    #[test]
    fn save_dir_names_sort_by_time_and_never_collide() {
        let dir = tempfile::tempdir().unwrap();
        let save = SaveDir::open(dir.path()).unwrap();
        let at = "2026-12-02T01:45:12.123+00:00";
        let first = save.write(at, 1, b"{}\n").unwrap();
        let again = save.write(at, 1, b"{\"x\":1}\n").unwrap();
        assert_eq!(
            first.file_name().unwrap(),
            "20261202T014512.123-000001.json"
        );
        assert_eq!(
            again.file_name().unwrap(),
            "20261202T014512.123-000001-2.json"
        );
        assert_eq!(std::fs::read(&first).unwrap(), b"{}\n", "never overwritten");
    }
}
