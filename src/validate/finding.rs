//! What `validate` (and `listen`) say about a payload: findings and the verdict.

use serde_json::{Value, json};

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

    pub fn to_json(&self) -> Value {
        json!({
            "severity": self.severity.name(),
            "code": self.code.name(),
            "path": self.path,
            "message": self.message,
        })
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
        json!({
            "trigger": self.trigger,
            "detected": self.detected,
            "valid": self.valid(),
            "findings": self.findings.iter().map(Finding::to_json).collect::<Vec<_>>(),
        })
    }
}

/// A JSON pointer segment: `~` and `/` escaped (RFC 6901).
pub fn pointer(parent: &str, key: &str) -> String {
    if key.contains(['~', '/']) {
        format!("{parent}/{}", key.replace('~', "~0").replace('/', "~1"))
    } else {
        format!("{parent}/{key}")
    }
}
