//! Payloads from files, directories and standard input (docs/capture-record.md, "Inputs besides records"): JSON files
//! holding one payload or an array, NDJSON streamed line by line, form/query text, and capture
//! records mixed with bare payloads. Nothing here validates; it only finds and decodes.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use base64::Engine;
use serde_json::{Map, Value};

use crate::catalog::{Trigger, find_trigger};
use crate::decode::decode_request;
use crate::encode::Encoding;

/// Where one payload came from.
#[derive(Clone, Debug)]
pub struct Origin {
    pub source: Arc<str>,
    /// NDJSON line, from 1.
    pub line: Option<usize>,
    /// Element of a JSON array file, from 1.
    pub index: Option<usize>,
}

impl Origin {
    /// `file.ndjson:12`, `file.json[3]` (array element) or `file.json`: how reports name it.
    pub fn place(&self) -> String {
        match (self.line, self.index) {
            (Some(line), _) => format!("{}:{line}", self.source),
            (None, Some(index)) => format!("{}[{index}]", self.source),
            (None, None) => self.source.to_string(),
        }
    }
}

/// One payload-to-be, not decoded yet (decoding is done on the worker threads).
pub struct Item {
    pub origin: Origin,
    pub content: Content,
}

pub enum Content {
    /// Text known to hold JSON (an NDJSON line).
    JsonText(String),
    /// An element of a JSON array file.
    Value(Value),
    /// A whole file or input whose kind is sniffed (JSON, or form/query text).
    Document(Vec<u8>),
    /// Something that is already known to be broken.
    Broken(String),
}

/// What an item is, once read: the one classification `validate` and `replay` share.
pub enum Classified {
    /// A capture record (`listen --save`).
    Record(ReadRecord),
    /// A bare JSON payload; the text it came as when it came as text (an NDJSON line, a file).
    BareJson(Map<String, Value>, Option<Vec<u8>>),
    /// A bare form/query text file: its payload and its text (without the final newline).
    BareForm(Map<String, Value>, Vec<u8>),
}

/// What an item decodes to, for a check: the payload, and the trigger a record names.
pub struct Decoded {
    pub payload: Result<Map<String, Value>, String>,
    /// The trigger a capture record was checked against when it was captured.
    pub recorded_trigger: Option<&'static Trigger>,
}

impl Item {
    /// Record or bare payload; an error says why the item is neither.
    pub fn classify(self) -> Result<Classified, String> {
        match self.content {
            Content::JsonText(text) => match crate::decode::parse_json(&text) {
                Ok(value) => from_value(value, Some(text.into_bytes())),
                Err(e) => Err(e.to_string()),
            },
            Content::Value(value) => from_value(value, None),
            Content::Document(bytes) => from_document(bytes),
            Content::Broken(message) => Err(message),
        }
    }

    pub fn decode(self) -> Decoded {
        match self.classify() {
            Ok(Classified::Record(record)) => Decoded {
                payload: record.payload,
                recorded_trigger: record.trigger,
            },
            Ok(Classified::BareJson(map, _) | Classified::BareForm(map, _)) => Decoded {
                payload: Ok(map),
                recorded_trigger: None,
            },
            Err(message) => Decoded {
                payload: Err(message),
                recorded_trigger: None,
            },
        }
    }
}

/// A JSON value: a capture record, or a bare payload.
fn from_value(value: Value, raw: Option<Vec<u8>>) -> Result<Classified, String> {
    match value {
        Value::Object(map) if is_capture_record(&map) => read_record(map).map(Classified::Record),
        Value::Object(map) => Ok(Classified::BareJson(map, raw)),
        other => Err(format!(
            "expected a JSON object (a payload), found {}",
            crate::decode::describe(&other)
        )),
    }
}

/// A whole file's bytes, sniffed by the one decoder: JSON, else form/query text.
fn from_document(mut bytes: Vec<u8>) -> Result<Classified, String> {
    let map = crate::decode::decode_body(&bytes, None).map_err(|e| e.to_string())?;
    if is_capture_record(&map) {
        return read_record(map).map(Classified::Record);
    }
    if !bytes.trim_ascii_start().starts_with(b"{") {
        // Trimmed in place: the text is what a replay sends again.
        for end in [b"\n", b"\r"] {
            if bytes.last() == Some(&end[0]) {
                bytes.pop();
            }
        }
        return Ok(Classified::BareForm(map, bytes));
    }
    let end = bytes.len()
        - bytes
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
    bytes.truncate(end);
    let start = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    bytes.drain(..start);
    Ok(Classified::BareJson(map, Some(bytes)))
}

/// A capture record has `method` and one of `body`, `body_base64`, `payload` (docs/capture-record.md).
pub fn is_capture_record(map: &Map<String, Value>) -> bool {
    map.get("method").is_some_and(Value::is_string)
        && ["body", "body_base64", "payload"]
            .iter()
            .any(|k| map.contains_key(*k))
}

/// A request as a capture record holds it (docs/capture-record.md, "Fields").
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    /// The raw body; `None` when the record kept only the decoded payload.
    pub body: Option<Vec<u8>>,
    pub seq: Option<u64>,
}

impl RecordedRequest {
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.as_str())
    }

    /// How the payload travelled: the query of a GET, else the body by its Content-Type (sniffed
    /// when it names neither JSON nor form).
    pub fn encoding(&self) -> Encoding {
        Encoding::of_request(
            &self.method,
            self.content_type(),
            &self.query,
            self.body.as_deref(),
        )
    }
}

/// A capture record read back, for `validate` and `replay` alike.
pub struct ReadRecord {
    pub request: RecordedRequest,
    /// The request decoded again (query of a GET, body by its Content-Type); the recorded
    /// `payload` only when the record has neither body nor query.
    pub payload: Result<Map<String, Value>, String>,
    /// The trigger it was checked against when it was captured.
    pub trigger: Option<&'static Trigger>,
}

/// Reads a capture record; an error when the record itself is broken (a `body_base64` that is
/// not base64).
pub fn read_record(record: Map<String, Value>) -> Result<ReadRecord, String> {
    let text = |k: &str| record.get(k).and_then(Value::as_str).unwrap_or("");
    let body = match (record.get("body"), record.get("body_base64")) {
        (Some(Value::String(s)), _) => Some(s.as_bytes().to_vec()),
        (_, Some(Value::String(b64))) => Some(
            base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|e| format!("the record's body_base64 is not base64: {e}"))?,
        ),
        _ => None,
    };
    let headers = record
        .get("headers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|pair| {
            Some((
                pair.get(0)?.as_str()?.to_string(),
                pair.get(1)?.as_str()?.to_string(),
            ))
        })
        .collect();
    let request = RecordedRequest {
        method: text("method").to_string(),
        path: match text("path") {
            "" => "/".to_string(),
            p => p.to_string(),
        },
        query: text("query").trim_start_matches('?').to_string(),
        headers,
        body,
        seq: record.get("seq").and_then(Value::as_u64),
    };
    let body = request.body.as_deref().unwrap_or_default();
    let payload = if !body.is_empty() || !request.query.is_empty() {
        decode_request(
            &request.method,
            request.content_type(),
            &request.query,
            body,
        )
        .map_err(|e| e.to_string())
    } else {
        match record.get("payload") {
            Some(Value::Object(map)) => Ok(map.clone()),
            _ => Err("the capture record has no body, query or payload to check".to_string()),
        }
    };
    let trigger = record
        .get("trigger")
        .and_then(Value::as_str)
        .and_then(find_trigger);
    Ok(ReadRecord {
        request,
        payload,
        trigger,
    })
}

/// How a file is read.
enum FileKind {
    Ndjson,
    Json,
    Other,
}

fn file_kind(path: &Path) -> FileKind {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("ndjson" | "jsonl") => FileKind::Ndjson,
        Some("json") => FileKind::Json,
        _ => FileKind::Other,
    }
}

/// The extensions a directory walk reads (README.md and notes beside the captures are no payloads);
/// a file named on the command line is read whatever its name. `.txt` counts only when it holds
/// form/query text or JSON (see [`txt_holds_payload`]).
pub const PAYLOAD_EXTENSIONS: &[&str] = &["json", "ndjson", "jsonl", "form", "query", "txt"];

/// True when a file found in a directory walk is a payload file (see [`PAYLOAD_EXTENSIONS`]).
fn is_payload_file(path: &Path) -> bool {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("txt") => txt_holds_payload(path),
        Some(e) => PAYLOAD_EXTENSIONS.contains(&e),
        None => false,
    }
}

/// A `.txt` holds a payload when its first non-blank line is JSON (`{`, `[`) or form/query text:
/// `key=value` pairs, URL-encoded, so without spaces. Prose (`notes.txt`) has spaces.
fn txt_holds_payload(path: &Path) -> bool {
    let mut head = Vec::with_capacity(4096);
    let read = File::open(path).and_then(|f| f.take(4096).read_to_end(&mut head));
    if read.is_err() {
        return true; // read it, so that the error is reported, not hidden
    }
    let Some(line) = head
        .split(|b| *b == b'\n')
        .map(<[u8]>::trim_ascii)
        .find(|l| !l.is_empty())
    else {
        return false;
    };
    line.starts_with(b"{")
        || line.starts_with(b"[")
        || (line.contains(&b'=') && !line.iter().any(u8::is_ascii_whitespace))
}

/// The files a PATH argument names: itself, or every non-hidden payload file below a directory
/// (see [`PAYLOAD_EXTENSIONS`]), sorted.
fn expand(path: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut dirs = vec![path.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .with_context(|| format!("cannot read directory {}", dir.display()))?
            .filter_map(Result::ok)
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| e.path())
            .collect();
        entries.sort();
        for entry in entries.into_iter().rev() {
            if entry.is_dir() {
                dirs.push(entry);
            } else if is_payload_file(&entry) {
                files.push(entry);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The files PATH arguments name, in order: `-` (standard input) as itself, a file as itself, a
/// directory as its files. The second list holds the PATHs that cannot be read, as errors: the
/// caller decides whether one stops the run (replay sends nothing then) or not (validate).
pub fn files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<anyhow::Error>) {
    let mut files = Vec::new();
    let mut unreadable = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            files.push(path.clone());
            continue;
        }
        match expand(path) {
            Ok(found) => files.extend(found),
            Err(err) => unreadable.push(err),
        }
    }
    (files, unreadable)
}

/// Feeds every item of every file (see [`files`]) to `sink`, until it wants no more. A file that
/// cannot be read goes to `unreadable` (`cannot read NAME: why`) and the reading goes on.
pub fn read_paths(
    files: &[PathBuf],
    sink: &mut dyn FnMut(Item) -> bool,
    unreadable: &mut dyn FnMut(anyhow::Error),
) {
    for file in files {
        let name = if file.as_os_str() == "-" {
            "-".to_string()
        } else {
            file.display().to_string()
        };
        let mut open = true;
        let result = self::open(file).and_then(|reader| {
            read_source(&name, reader, Some(file), &mut |item| {
                open = sink(item);
                open
            })
        });
        if let Err(err) = result {
            unreadable(anyhow::anyhow!("cannot read {name}: {err}"));
        }
        if !open {
            return;
        }
    }
}

/// Feeds every item of one input to `sink`, streaming NDJSON; stops early when `sink` says so.
fn read_source(
    name: &str,
    reader: Box<dyn Read + Send>,
    kind_hint: Option<&Path>,
    sink: &mut dyn FnMut(Item) -> bool,
) -> io::Result<()> {
    let source: Arc<str> = Arc::from(name);
    let mut reader = BufReader::with_capacity(256 * 1024, reader);
    let origin = |line, index| Origin {
        source: source.clone(),
        line,
        index,
    };
    // A UTF-8 BOM at the start is skipped for every kind of file, as for bodies: otherwise it
    // glues onto an NDJSON file's first line and makes it a `parse` error.
    if reader.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    }
    let kind = kind_hint.map_or(FileKind::Other, file_kind);
    if let FileKind::Json = kind {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes)?;
        return read_json_document(bytes, &origin, sink);
    }
    if let FileKind::Other = kind {
        // Sniff: NDJSON when the first non-blank line is a whole JSON value and more follow.
        let mut first = Vec::new();
        let mut skipped = 0;
        loop {
            first.clear();
            if reader.read_until(b'\n', &mut first)? == 0 || !first.trim_ascii().is_empty() {
                break;
            }
            skipped += 1;
        }
        let first_is_json = first.trim_ascii().starts_with(b"{")
            && serde_json::from_slice::<Value>(first.trim_ascii()).is_ok();
        let more = !reader.fill_buf()?.trim_ascii().is_empty();
        if !(first_is_json && more) {
            let mut bytes = first;
            reader.read_to_end(&mut bytes)?;
            if bytes.trim_ascii().is_empty() {
                return Ok(()); // blank lines only: no payload
            }
            if bytes.trim_ascii_start().starts_with(b"[")
                || bytes.trim_ascii_start().starts_with(b"{")
            {
                return read_json_document(bytes, &origin, sink);
            }
            sink(Item {
                origin: origin(None, None),
                content: Content::Document(bytes),
            });
            return Ok(());
        }
        if !ndjson_line(first, skipped + 1, &origin, sink) {
            return Ok(());
        }
        return read_ndjson(reader, skipped + 1, &origin, sink);
    }
    read_ndjson(reader, 0, &origin, sink)
}

fn read_json_document(
    bytes: Vec<u8>,
    origin: &dyn Fn(Option<usize>, Option<usize>) -> Origin,
    sink: &mut dyn FnMut(Item) -> bool,
) -> io::Result<()> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    // A top-level array holds several payloads; anything else is one document.
    if body.trim_ascii_start().starts_with(b"[") {
        if let Ok(Value::Array(items)) = serde_json::from_slice::<Value>(body) {
            for (i, value) in items.into_iter().enumerate() {
                if !sink(Item {
                    origin: origin(None, Some(i + 1)),
                    content: Content::Value(value),
                }) {
                    break;
                }
            }
            return Ok(());
        }
    }
    if body.trim_ascii().is_empty() {
        return Ok(()); // no payload here: the caller counts what it found
    }
    let content = if !body.trim_ascii_start().starts_with(b"{")
        && !body.trim_ascii_start().starts_with(b"[")
    {
        match std::str::from_utf8(body) {
            Ok(text) => match crate::decode::parse_json(text) {
                Ok(v) => Content::Value(v),
                Err(e) => Content::Broken(e.to_string()),
            },
            Err(_) => {
                Content::Broken("expected UTF-8 JSON, found bytes that are not UTF-8".to_string())
            }
        }
    } else {
        Content::Document(bytes)
    };
    sink(Item {
        origin: origin(None, None),
        content,
    });
    Ok(())
}

/// One NDJSON line; false when the sink wants no more.
fn ndjson_line(
    bytes: Vec<u8>,
    number: usize,
    origin: &dyn Fn(Option<usize>, Option<usize>) -> Origin,
    sink: &mut dyn FnMut(Item) -> bool,
) -> bool {
    let content = match String::from_utf8(bytes) {
        Ok(mut text) => {
            let end = text.trim_end().len();
            text.truncate(end);
            if text.is_empty() {
                return true; // blank lines are skipped
            }
            Content::JsonText(text)
        }
        Err(_) => Content::Broken(
            "expected a UTF-8 JSON line, found bytes that are not UTF-8".to_string(),
        ),
    };
    sink(Item {
        origin: origin(Some(number), None),
        content,
    })
}

fn read_ndjson(
    mut reader: impl BufRead,
    mut number: usize,
    origin: &dyn Fn(Option<usize>, Option<usize>) -> Origin,
    sink: &mut dyn FnMut(Item) -> bool,
) -> io::Result<()> {
    loop {
        let mut line = Vec::with_capacity(2048);
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        number += 1;
        if !ndjson_line(line, number, origin, sink) {
            return Ok(());
        }
    }
}

/// Opens a PATH argument's file, or standard input for `-`.
fn open(path: &Path) -> io::Result<Box<dyn Read + Send>> {
    if path == Path::new("-") {
        Ok(Box::new(Fused {
            inner: io::stdin(),
            ended: false,
        }))
    } else {
        Ok(Box::new(File::open(path)?))
    }
}

/// A reader that stays at its end once it got there. A terminal's end of input (Ctrl-D) is one
/// read of 0 bytes and the next read waits for more typing; the sniffing above reads again after
/// an end, so without this one Ctrl-D would not end `validate -`.
struct Fused<R> {
    inner: R,
    ended: bool,
}

impl<R: Read> Read for Fused<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.ended || buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        self.ended = n == 0;
        Ok(n)
    }
}
