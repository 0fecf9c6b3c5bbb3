//! One decoder for `listen`, `validate` and `replay` (docs/wire.md, "Encodings"): a request, a body or a file's text
//! becomes a payload object, keys exactly as sent (trailing spaces included) and in the order sent.
//!
//! - A JSON body must be one JSON object; a parse error says where (line, column) and what was
//!   expected and found. A UTF-8 BOM is skipped.
//! - Form bodies and GET query strings are flat `key=value` pairs, with PHP bracket notation
//!   (`answered_agent[name]=Asha`, `digits_dialed[]=1`) decoded into nesting ([`form`]).
//! - A top-level form value holding JSON text of an object or array, or Go `fmt.Sprint` text
//!   (`map[id:1 name:Asha Rao]`), is decoded into the structure ([`decode_nested_text`]).
//! - A body without a usable Content-Type is sniffed: JSON when its first non-blank character is
//!   `{` or `[`, else form text.
//!
//! Decoding never alters the raw bytes (callers keep those) and never panics on any input.

mod form;
mod go_sprint;
mod tree;

use std::fmt;

use serde_json::{Map, Value};

pub use form::decode_form;

/// How deep bracket notation and Go `fmt.Sprint` text may nest before the rest is kept as text.
const MAX_DEPTH: usize = 32;

/// The syntax of a body: what the decoder reads. How a whole payload travels (the method, then
/// this for a POST's body, or the query of a GET) is [`crate::encode::Encoding`], built on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Form,
}

impl BodyKind {
    /// The kind a Content-Type header names, ignoring parameters and case: `None` when it names
    /// neither JSON nor form (the body is then sniffed).
    pub fn from_content_type(content_type: &str) -> Option<BodyKind> {
        let media = media_type(content_type);
        if media == "application/json" || media == "text/json" || media.ends_with("+json") {
            Some(BodyKind::Json)
        } else if media == "application/x-www-form-urlencoded" {
            Some(BodyKind::Form)
        } else {
            None
        }
    }
}

/// Why a request, body or text is not a payload: what was expected, what was found, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    pub message: String,
    /// 1-based line of the offending input, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters) of the offending input, when known.
    pub column: Option<usize>,
}

impl DecodeError {
    fn new(message: impl Into<String>) -> Self {
        DecodeError {
            message: message.into(),
            line: None,
            column: None,
        }
    }

    fn at(message: impl Into<String>, line: usize, column: usize) -> Self {
        DecodeError {
            message: message.into(),
            line: Some(line),
            column: Some(column),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DecodeError {}

/// Where a request carries its payload. Decoding a request and naming how it travelled (a
/// capture record's encoding) both follow [`carrier`], so they cannot disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carrier {
    /// The query string (possibly empty, on a GET with nothing in it).
    Query,
    /// The body, as its Content-Type names it.
    Body(BodyKind),
    /// The body, whose Content-Type names neither JSON nor form: sniffed, JSON when its first
    /// non-blank byte is `{` or `[`.
    Sniffed(BodyKind),
}

/// The rule: the query of a GET or of an empty body; else the body by its Content-Type; else
/// the body sniffed. A GET's body, when it has one and no query, is read like any other. `query`
/// is without its `?`.
pub fn carrier(method: &str, content_type: Option<&str>, query: &str, body: &[u8]) -> Carrier {
    let get = method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("HEAD");
    let blank = body.iter().all(u8::is_ascii_whitespace);
    if (!query.is_empty() && (get || blank)) || (get && blank) {
        return Carrier::Query;
    }
    match content_type.and_then(BodyKind::from_content_type) {
        Some(kind) => Carrier::Body(kind),
        None => match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{' | b'[') => Carrier::Sniffed(BodyKind::Json),
            _ => Carrier::Sniffed(BodyKind::Form),
        },
    }
}

/// Decodes an HTTP request into a payload. `content_type` is the Content-Type header value if any;
/// `query` is the query string without '?' ("" if none); `body` the raw bytes. Where the payload
/// is, is [`carrier`]'s rule.
pub fn decode_request(
    method: &str,
    content_type: Option<&str>,
    query: &str,
    body: &[u8],
) -> Result<Map<String, Value>, DecodeError> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let kind = match carrier(method, content_type, query, body) {
        Carrier::Query if query.is_empty() => {
            return Err(DecodeError::new(
                "empty request: expected a query string or a body, found neither",
            ));
        }
        Carrier::Query => return decode_form(query),
        _ if body.iter().all(u8::is_ascii_whitespace) => {
            return Err(DecodeError::new(
                "empty body: expected a payload, found nothing",
            ));
        }
        _ if content_type.is_some_and(|ct| media_type(ct) == "multipart/form-data") => {
            return Err(DecodeError::new(
                "unsupported body: expected JSON or application/x-www-form-urlencoded, \
                 found multipart/form-data",
            ));
        }
        Carrier::Body(kind) => Some(kind),
        // Sniffed again by `decode_body`, which also skips a UTF-8 BOM.
        Carrier::Sniffed(_) => None,
    };
    decode_body(body, kind)
}

/// Decodes a body by sniffing: first non-blank char `{` or `[` (after an optional UTF-8 BOM) → JSON, else form text.
///
/// `Some(BodyKind::Json)` always reads JSON (a body that does not parse is an error, never form);
/// `Some(BodyKind::Form)` reads form text unless the body is plainly JSON (a wrong content type).
pub fn decode_body(body: &[u8], kind: Option<BodyKind>) -> Result<Map<String, Value>, DecodeError> {
    let text = std::str::from_utf8(body).map_err(|e| not_utf8(body, &e))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(first) = text.trim_start().chars().next() else {
        return Err(DecodeError::new(
            "empty body: expected a payload, found nothing",
        ));
    };
    match kind {
        Some(BodyKind::Json) => decode_json(text),
        _ if matches!(first, '{' | '[') => decode_json(text),
        _ => decode_form(text),
    }
}

/// Turns a flat value that is JSON text of an object/array, or Go fmt.Sprint text, into the structure; otherwise returns None.
///
/// `key` is the payload key the value travels under: its catalog variable names the shape whose
/// sub-field names split Go `map[…]` text (`answered_agent` → id, name, number…). A number or a
/// plain string is not a structure (`None`). Go slice text (`[1 2]`) is only read for keys that
/// are not plain scalar variables, and a one-element `[5]` is Go text (`["5"]`), as form values are
/// strings.
pub fn decode_nested_text(key: &str, text: &str) -> Option<Value> {
    let t = text.trim();
    if t.starts_with('{') {
        return match serde_json::from_str::<Value>(t) {
            Ok(v @ Value::Object(_)) => Some(v),
            _ => None,
        };
    }
    if t.starts_with('[') {
        let target = go_sprint::Target::of_key(key);
        let json = serde_json::from_str::<Value>(t).ok();
        if let Some(Value::Array(items)) = json {
            let go_like = matches!(
                items.as_slice(),
                [Value::Number(_) | Value::Bool(_) | Value::Null]
            );
            if !(target.slices && go_like) {
                return Some(Value::Array(items));
            }
        }
        if !target.slices {
            return None;
        }
        return go_sprint::slice(t, target.names).map(Value::Array);
    }
    if t.starts_with("map[") {
        let target = go_sprint::Target::of_key(key);
        return go_sprint::map(t, target.names).map(Value::Object);
    }
    None
}

/// `application/json` from `Application/JSON; charset=utf-8`.
fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Any JSON value, with the decoder's error (line, character column, what was expected).
pub fn parse_json(text: &str) -> Result<Value, DecodeError> {
    tree::parse(text).map_err(|e| json_error(text, &e))
}

fn decode_json(text: &str) -> Result<Map<String, Value>, DecodeError> {
    match tree::parse(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => {
            let (line, column) = first_non_blank(text);
            Err(DecodeError::at(
                format!("expected a JSON object, found {}", describe(&other)),
                line,
                column,
            ))
        }
        Err(e) => Err(json_error(text, &e)),
    }
}

/// "invalid JSON at line 1, column 8: expected `,` or `}`, found `\"`".
fn json_error(text: &str, e: &serde_json::Error) -> DecodeError {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let what = full.strip_suffix(&suffix).unwrap_or(&full);
    let line = e.line().max(1);
    let line_text = text.split('\n').nth(line - 1).unwrap_or("");
    // serde_json counts columns in bytes; people count characters.
    let mut byte = e.column().saturating_sub(1).min(line_text.len());
    while !line_text.is_char_boundary(byte) {
        byte -= 1;
    }
    let column = line_text
        .get(..byte)
        .map_or(0, |before| before.chars().count())
        + 1;
    let found = match line_text.get(byte..).and_then(|rest| rest.chars().next()) {
        _ if e.is_eof() => "the end of the input".to_string(),
        Some(c) if !c.is_control() => format!("`{c}`"),
        Some(c) => format!("`{}`", c.escape_debug()),
        None => "the end of the line".to_string(),
    };
    DecodeError::at(
        format!("invalid JSON at line {line}, column {column}: {what}, found {found}"),
        line,
        column,
    )
}

fn not_utf8(body: &[u8], e: &std::str::Utf8Error) -> DecodeError {
    let offset = e.valid_up_to();
    let before = body.get(..offset).unwrap_or(body);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or(&[]))
        .chars()
        .count()
        + 1;
    let found = match (e.error_len(), body.get(offset)) {
        (Some(_), Some(b)) => format!("byte 0x{b:02x}"),
        _ => "a truncated UTF-8 sequence".to_string(),
    };
    DecodeError::at(
        format!(
            "body is not UTF-8: expected UTF-8 text, found {found} at line {line}, column {column}"
        ),
        line,
        column,
    )
}

/// The 1-based line and column of the first non-blank character.
fn first_non_blank(text: &str) -> (usize, usize) {
    let mut line = 1;
    let mut column = 1;
    for c in text.chars() {
        match c {
            '\n' => {
                line += 1;
                column = 1;
            }
            c if c.is_whitespace() => column += 1,
            _ => break,
        }
    }
    (line, column)
}

/// `an object`, `a string`, `null`…: what a value is, for messages.
pub fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The start of `text` for a message: at most 40 characters, escaped, `…` when cut.
fn snippet(text: &str) -> String {
    let mut out: String = text.chars().take(40).flat_map(char::escape_debug).collect();
    if text.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests;
