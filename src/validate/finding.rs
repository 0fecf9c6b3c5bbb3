//! What `validate` (and `listen`) say about a payload: findings and the verdict.

use std::borrow::Cow;

use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// As docs/rules.md spells it: `error`, `warning`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// The finding codes (docs/rules.md), each with its default severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    Parse,
    Trigger,
    Missing,
    Type,
    Format,
    Enum,
    Order,
    Arith,
    Condition,
    Unresolved,
    Residue,
    Unknown,
    NumberType,
    Duplicate,
    /// Fields of one payload that contradict each other where real senders agree
    /// (`validate/inconsistent.rs`): a warning, since the payload is still one the platform could
    /// deliver after a tenant's edit or a bug, and conservative.
    Inconsistent,
    /// listen: the request lacked `--require-header` and was answered 401. It judges the
    /// request, not the payload, so it is a warning: the payload keeps its own verdict.
    Auth,
}

impl Code {
    /// Every code, in docs/rules.md's order.
    pub const ALL: [Code; 16] = [
        Code::Parse,
        Code::Trigger,
        Code::Missing,
        Code::Type,
        Code::Format,
        Code::Enum,
        Code::Order,
        Code::Arith,
        Code::Condition,
        Code::Unresolved,
        Code::Residue,
        Code::Unknown,
        Code::NumberType,
        Code::Duplicate,
        Code::Inconsistent,
        Code::Auth,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Code::Parse => "parse",
            Code::Trigger => "trigger",
            Code::Missing => "missing",
            Code::Type => "type",
            Code::Format => "format",
            Code::Enum => "enum",
            Code::Order => "order",
            Code::Arith => "arith",
            Code::Condition => "condition",
            Code::Unresolved => "unresolved",
            Code::Residue => "residue",
            Code::Unknown => "unknown",
            Code::NumberType => "number-type",
            Code::Duplicate => "duplicate",
            Code::Inconsistent => "inconsistent",
            Code::Auth => "auth",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Code::Unresolved
            | Code::Residue
            | Code::Unknown
            | Code::NumberType
            | Code::Duplicate
            | Code::Inconsistent
            | Code::Auth => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    pub code: Code,
    /// A JSON pointer into the payload (`/answered_agent/name`), `""` for the whole payload.
    pub path: String,
    /// One line: what was expected and what was found.
    pub message: String,
}

impl Finding {
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Finding {
        Finding {
            severity: code.severity(),
            code,
            path: path.into(),
            message: message.into(),
        }
    }

    /// The path as a report line shows it: `(payload)` for the whole payload, and a path past
    /// [`PATH_SHOWN_MAX`] characters cut there (`/caller_id_numberxxx…`). JSON keeps it whole.
    pub fn shown_path(&self) -> Cow<'_, str> {
        match self.path.char_indices().nth(PATH_SHOWN_MAX) {
            _ if self.path.is_empty() => Cow::Borrowed("(payload)"),
            None => Cow::Borrowed(&self.path),
            Some((cut, _)) => Cow::Owned(format!("{}…", &self.path[..cut])),
        }
    }

    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("a finding is plain JSON")
    }
}

/// `{"severity", "code", "path", "message"}`: written straight to a writer (listen's capture
/// record, once per request), or as a `Value` by [`Finding::to_json`].
impl serde::Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut map = s.serialize_struct("Finding", 4)?;
        map.serialize_field("severity", self.severity.name())?;
        map.serialize_field("code", self.code.name())?;
        map.serialize_field("path", &self.path)?;
        map.serialize_field("message", &self.message)?;
        map.end()
    }
}

/// The most of a path a report line shows, in characters.
pub const PATH_SHOWN_MAX: usize = 120;

/// The most of a key a message quotes, in characters.
pub const QUOTED_MAX: usize = 60;

/// A key as a message quotes it: `` `caller_id_number` ``, or the start of a long one and its
/// size (`` `caller_id_numberxxxx…` (16 MiB) ``). Costs the excerpt, never the whole key: a
/// message is built for every unknown key of every payload, listen's included.
pub fn quoted(key: &str) -> String {
    match key.char_indices().nth(QUOTED_MAX) {
        None => format!("`{key}`"),
        Some((cut, _)) => format!("`{}…` ({} long)", &key[..cut], size(key.len())),
    }
}

/// `16.0 MiB`, `2.5 KiB`, `980 bytes`.
fn size(bytes: usize) -> String {
    match bytes {
        0..1024 => format!("{bytes} bytes"),
        1024..1_048_576 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
    }
}

/// The result for one payload.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// The trigger it was checked against, if one was given or detected.
    pub trigger: Option<&'static str>,
    /// True when the trigger was inferred from the variables present.
    pub detected: bool,
    pub findings: Vec<Finding>,
}

impl Verdict {
    /// Valid: no errors (warnings allowed).
    pub fn valid(&self) -> bool {
        self.errors() == 0
    }

    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }

    /// `--strict`: every warning becomes an error.
    pub fn make_strict(&mut self) {
        for f in &mut self.findings {
            f.severity = Severity::Error;
        }
    }

    /// The `validate --format json` result object without `source`/`line` (the capture record's `verdict`).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("a verdict is plain JSON")
    }
}

/// `{"trigger", "detected", "valid", "findings"}` (docs/capture-record.md, `verdict`).
impl serde::Serialize for Verdict {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut map = s.serialize_struct("Verdict", 4)?;
        map.serialize_field("trigger", &self.trigger)?;
        map.serialize_field("detected", &self.detected)?;
        map.serialize_field("valid", &self.valid())?;
        map.serialize_field("findings", &self.findings)?;
        map.end()
    }
}

/// A JSON pointer segment: `~` and `/` escaped (RFC 6901). The key is searched byte-wise (two
/// `memchr`s), for a payload's key may be megabytes long and a char-pattern search costs seconds.
pub fn pointer(parent: &str, key: &str) -> String {
    let bytes = key.as_bytes();
    if bytes.contains(&b'~') || bytes.contains(&b'/') {
        format!("{parent}/{}", key.replace('~', "~0").replace('/', "~1"))
    } else {
        format!("{parent}/{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quoted_key_is_bounded_by_its_excerpt() {
        assert_eq!(quoted("caller_id_number"), "`caller_id_number`");
        let huge = format!("caller_id_number{}", "x".repeat(16 << 20));
        let shown = quoted(&huge);
        assert!(shown.starts_with("`caller_id_numberxxx"), "{shown}");
        assert!(shown.ends_with("…` (16.0 MiB long)"), "{shown}");
        assert_eq!(shown.chars().count(), QUOTED_MAX + 19, "{shown}");
        let devanagari = "नाम".repeat(40);
        assert!(
            quoted(&devanagari).starts_with("`नामनाम"),
            "cut at a character"
        );
    }

    #[test]
    fn a_shown_path_is_bounded_and_the_json_path_whole() {
        let huge = format!("/{}", "x".repeat(1 << 20));
        let f = Finding::new(Code::Unknown, huge.clone(), "m");
        assert_eq!(f.shown_path().chars().count(), PATH_SHOWN_MAX + 1);
        assert_eq!(f.to_json()["path"], huge.as_str());
        assert_eq!(Finding::new(Code::Parse, "", "m").shown_path(), "(payload)");
        assert_eq!(
            Finding::new(Code::Type, "/billsec", "m").shown_path(),
            "/billsec"
        );
    }

    #[test]
    fn pointers_escape_tilde_and_slash() {
        assert_eq!(pointer("/a", "b/c~d"), "/a/b~1c~0d");
        assert_eq!(pointer("", "billsec"), "/billsec");
    }
}
