//! Go `fmt.Sprint` text, as one dispatcher prints nested values into form fields (docs/wire.md, "Encodings"):
//! `map[id:0507123 name:Asha Rao number:0607123]`, `[map[id:1 name:A] map[id:2 name:B]]`, `[1 2]`.
//!
//! The text is ambiguous (values may hold spaces, colons and brackets), so a map entry ends where
//! ` name:` follows with a *known* sub-field name of the variable's shape (the catalog's `SHAPES`);
//! for variables without a shape, at any ` word:`. Slice elements are split on spaces, except
//! bracketed `map[…]`/`[…]` elements. Every scalar stays a string (`1.77e+09` included).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::MAX_DEPTH;
use crate::catalog::{Kind, SubField, TRIGGERS};

/// Which names end a map entry.
#[derive(Clone, Copy)]
pub(super) enum Names {
    /// The sub-fields of a catalog shape.
    Known(&'static [SubField]),
    /// Any ` word:` (`word` of ASCII letters, digits, `_` and `-`).
    Generic,
}

/// How the catalog says a key's value may be read as Go text.
pub(super) struct Target {
    pub names: Names,
    /// Whether `[…]` may be a slice: not for keys whose every variable is a plain scalar.
    pub slices: bool,
}

impl Target {
    pub fn of_key(key: &str) -> Target {
        let kinds = || {
            TRIGGERS
                .iter()
                .filter_map(move |t| t.var_for_key(key))
                .map(|v| v.kind)
        };
        let names = kinds()
            .find_map(Kind::shape)
            .map_or(Names::Generic, |s| Names::Known(s.fields));
        let known = kinds().next().is_some();
        let slices = !known || kinds().any(structured);
        Target { names, slices }
    }
}

fn structured(kind: Kind) -> bool {
    kind.holds_structure() || kind == Kind::Any
}

/// `map[k:v …]` (the whole text) → the object; `None` when it is not map text.
pub(super) fn map(text: &str, names: Names) -> Option<Map<String, Value>> {
    let inner = text.strip_prefix("map[")?.strip_suffix(']')?;
    let parser = Parser::new(text);
    parser.parse_map(4, 4 + inner.len(), names, 1)
}

/// `[a b …]` (the whole text) → the array.
pub(super) fn slice(text: &str, names: Names) -> Option<Vec<Value>> {
    let inner = text.strip_prefix('[')?.strip_suffix(']')?;
    let parser = Parser::new(text);
    Some(parser.parse_slice(1, 1 + inner.len(), names, 1))
}

/// The text, and where each `[` finds its balancing `]` (found in one pass, so that scanning for
/// the end of a bracketed value never makes the parse quadratic).
struct Parser<'a> {
    text: &'a str,
    closes: HashMap<usize, usize>,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        let mut closes = HashMap::new();
        let mut open = Vec::new();
        for (i, b) in text.bytes().enumerate() {
            match b {
                b'[' => open.push(i),
                b']' => {
                    if let Some(o) = open.pop() {
                        closes.insert(o, i);
                    }
                }
                _ => {}
            }
        }
        Parser { text, closes }
    }

    /// `text[lo..hi]`; positions are always at ASCII bytes or ends, so this never fails in
    /// practice, but a bad range is an empty string rather than a panic.
    fn get(&self, lo: usize, hi: usize) -> &'a str {
        self.text.get(lo..hi).unwrap_or("")
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.text.as_bytes().get(i).copied()
    }

    /// The entries of `text[lo..hi]`, the inside of `map[…]`.
    fn parse_map(
        &self,
        lo: usize,
        hi: usize,
        names: Names,
        depth: usize,
    ) -> Option<Map<String, Value>> {
        let mut out = Map::new();
        let mut pos = lo;
        while pos < hi {
            let rest = self.get(pos, hi);
            let colon = rest.find(':')?;
            let key = rest.get(..colon)?;
            if key.is_empty() || key.contains([' ', '[', ']']) {
                return None;
            }
            let (value, end) = self.entry_value(pos + colon + 1, hi, names, depth);
            out.insert(key.to_string(), value);
            // `end` is `hi` or the space before the next key.
            pos = end + 1;
        }
        Some(out)
    }

    /// The map value starting at `start`, and where it ends (`hi`, or a boundary space).
    fn entry_value(&self, start: usize, hi: usize, names: Names, depth: usize) -> (Value, usize) {
        if let Some(end) = self.nested_end(start, hi) {
            if end == hi || self.is_boundary(end, hi, names) {
                return (self.nested(start, end, Names::Generic, depth + 1), end);
            }
        }
        let end = (start..hi)
            .find(|&p| self.is_boundary(p, hi, names))
            .unwrap_or(hi);
        (Value::String(self.get(start, end).to_string()), end)
    }

    /// Is `text[p]` (before `hi`) the space before the next `key:`?
    fn is_boundary(&self, p: usize, hi: usize, names: Names) -> bool {
        if p >= hi || self.byte(p) != Some(b' ') {
            return false;
        }
        let rest = self.get(p + 1, hi);
        match names {
            Names::Known(fields) => fields.iter().any(|f| {
                rest.strip_prefix(f.name)
                    .is_some_and(|after| after.starts_with(':'))
            }),
            Names::Generic => {
                let word = rest
                    .bytes()
                    .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
                    .count();
                word > 0 && rest.as_bytes().get(word) == Some(&b':')
            }
        }
    }

    /// The elements of `text[lo..hi]`, the inside of `[…]`.
    fn parse_slice(&self, lo: usize, hi: usize, names: Names, depth: usize) -> Vec<Value> {
        let mut out = Vec::new();
        if lo >= hi {
            return out;
        }
        let mut pos = lo;
        loop {
            let bracketed = self
                .nested_end(pos, hi)
                .filter(|&end| end == hi || self.byte(end) == Some(b' '));
            let end = match bracketed {
                Some(end) => {
                    out.push(self.nested(pos, end, names, depth + 1));
                    end
                }
                None => {
                    let end = self.get(pos, hi).find(' ').map_or(hi, |i| pos + i);
                    out.push(Value::String(self.get(pos, end).to_string()));
                    end
                }
            };
            if end >= hi {
                return out;
            }
            pos = end + 1;
        }
    }

    /// The bracketed value `text[lo..hi]` (`map[…]` or `[…]`) → its structure; kept as text when
    /// it nests too deep or is not map text after all.
    fn nested(&self, lo: usize, hi: usize, names: Names, depth: usize) -> Value {
        let span = self.get(lo, hi);
        let text = || Value::String(span.to_string());
        if depth > MAX_DEPTH {
            return text();
        }
        if span.starts_with("map[") && span.ends_with(']') {
            return self
                .parse_map(lo + 4, hi - 1, names, depth)
                .map_or_else(text, Value::Object);
        }
        if span.starts_with('[') && span.ends_with(']') {
            return Value::Array(self.parse_slice(lo + 1, hi - 1, names, depth));
        }
        text()
    }

    /// When `text[pos..hi]` starts with `map[` or `[` balanced before `hi`: the end of that span.
    fn nested_end(&self, pos: usize, hi: usize) -> Option<usize> {
        let rest = self.get(pos, hi);
        let open = if rest.starts_with("map[") {
            pos + 3
        } else if rest.starts_with('[') {
            pos
        } else {
            return None;
        };
        let close = *self.closes.get(&open)?;
        (close < hi).then_some(close + 1)
    }
}
