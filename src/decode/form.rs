//! Form bodies and query strings: `key=value&…`, URL-decoded (`+` is a space), with PHP bracket
//! notation decoded into nesting the way PHP's `parse_str` does it, except that keys are kept
//! exactly (PHP would turn spaces and dots in names into `_`).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{DecodeError, MAX_DEPTH, decode_nested_text, snippet};

/// Decodes form/query text (`a=1&b=2`), with nesting rules below. One trailing newline is ignored.
///
/// - Keys are kept exactly (`customer_no_with_prefix ` keeps its space) and in order; a repeated
///   key keeps its first position and its last value.
/// - A pair without `=` has the value `""`, but text with no `=` at all is not form text.
/// - Bracket notation nests: `a[b]=1` → `{"a": {"b": "1"}}`, `a[]=1&a[]=2` → `{"a": ["1", "2"]}`,
///   `a[0][t]=x` → `{"a": [{"t": "x"}]}`. A level whose keys are all indices is an array (in index
///   order), else an object. A key that is not well-formed bracket notation, or nests deeper than
///   32 levels, is kept as a flat key.
/// - A top-level value that is JSON text of an object or array, or Go `fmt.Sprint` text, is decoded
///   into the structure ([`decode_nested_text`]); other values stay strings (`"30"` stays `"30"`).
/// - A leading `?` (text copied from a URL) is skipped.
pub fn decode_form(text: &str) -> Result<Map<String, Value>, DecodeError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = match text.strip_suffix('\n') {
        Some(t) => t.strip_suffix('\r').unwrap_or(t),
        None => text,
    };
    let text = text.strip_prefix('?').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(DecodeError::new(
            "expected form text key=value&…, found nothing",
        ));
    }
    if !text.split('&').any(|pair| pair.contains('=')) {
        return Err(DecodeError::at(
            format!(
                "expected form text key=value&…, found `{}` (no `=` in any pair)",
                snippet(text)
            ),
            1,
            1,
        ));
    }
    let mut root = Branch::default();
    for (name, value) in form_urlencoded::parse(text.as_bytes()) {
        let value = value.into_owned();
        match bracket_path(&name) {
            Some((base, path)) => root.set_path(base.to_string(), &path, value),
            None => root.insert(name.into_owned(), Node::Leaf(value)),
        }
    }
    let mut payload = Map::new();
    for (key, node) in root.entries {
        let value = match node {
            Node::Leaf(text) => decode_nested_text(&key, &text).unwrap_or(Value::String(text)),
            Node::Branch(branch) => branch.into_value(),
        };
        payload.insert(key, value);
    }
    Ok(payload)
}

/// One `[…]` of a bracketed key.
#[derive(Debug, PartialEq)]
enum Segment<'a> {
    /// `[]`: the next index.
    Append,
    /// `[name]` or `[0]`.
    Key(&'a str),
}

/// `answered_agent[name]` → (`answered_agent`, [`name`]); `None` when the key is not entirely
/// `base[…][…]…` with a non-empty base, or nests deeper than [`MAX_DEPTH`].
fn bracket_path(name: &str) -> Option<(&str, Vec<Segment<'_>>)> {
    let open = name.find('[')?;
    let base = name.get(..open).filter(|b| !b.is_empty())?;
    let mut rest = name.get(open..)?;
    let mut path = Vec::new();
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[')?;
        let (segment, after) = inner.split_once(']')?;
        if path.len() == MAX_DEPTH {
            return None;
        }
        path.push(if segment.is_empty() {
            Segment::Append
        } else {
            Segment::Key(segment)
        });
        rest = after;
    }
    Some((base, path))
}

/// `0`, `7`, `12`: an index as PHP reads one (no sign, no leading zero).
fn index_of(key: &str) -> Option<u64> {
    let canonical = !key.is_empty()
        && key.len() <= 18
        && key.bytes().all(|b| b.is_ascii_digit())
        && (key == "0" || !key.starts_with('0'));
    if canonical { key.parse().ok() } else { None }
}

enum Node {
    Leaf(String),
    Branch(Branch),
}

/// A PHP array: ordered entries, string or index keys, and the next index `[]` appends at.
#[derive(Default)]
struct Branch {
    entries: Vec<(String, Node)>,
    positions: HashMap<String, usize>,
    next: u64,
}

impl Branch {
    /// Sets `key`, keeping its first position when it is already there.
    fn insert(&mut self, key: String, node: Node) {
        let slot = self.slot(key);
        *slot = node;
    }

    fn slot(&mut self, key: String) -> &mut Node {
        if let Some(n) = index_of(&key) {
            self.next = self.next.max(n.saturating_add(1));
        }
        let position = match self.positions.get(&key) {
            Some(&i) => i,
            None => {
                let i = self.entries.len();
                self.positions.insert(key.clone(), i);
                self.entries.push((key, Node::Leaf(String::new())));
                i
            }
        };
        &mut self.entries[position].1
    }

    /// The branch under `key`, replacing a plain value there (as PHP does).
    fn branch(&mut self, key: String) -> &mut Branch {
        let slot = self.slot(key);
        if !matches!(slot, Node::Branch(_)) {
            *slot = Node::Branch(Branch::default());
        }
        match slot {
            Node::Branch(branch) => branch,
            Node::Leaf(_) => unreachable!("just replaced by a branch"),
        }
    }

    fn set_path(&mut self, key: String, path: &[Segment<'_>], value: String) {
        match path.split_first() {
            None => self.insert(key, Node::Leaf(value)),
            Some((segment, rest)) => {
                let branch = self.branch(key);
                let key = match segment {
                    Segment::Append => branch.next.to_string(),
                    Segment::Key(k) => (*k).to_string(),
                };
                branch.set_path(key, rest, value);
            }
        }
    }

    /// An array when every key is an index (in index order), else an object in insertion order.
    fn into_value(self) -> Value {
        let indexed: Option<Vec<u64>> = self.entries.iter().map(|(k, _)| index_of(k)).collect();
        let node_value = |node: Node| match node {
            Node::Leaf(text) => Value::String(text),
            Node::Branch(branch) => branch.into_value(),
        };
        match indexed {
            Some(indices) if !indices.is_empty() => {
                let mut items: Vec<(u64, Node)> = indices
                    .into_iter()
                    .zip(self.entries.into_iter().map(|(_, node)| node))
                    .collect();
                items.sort_by_key(|(i, _)| *i);
                Value::Array(
                    items
                        .into_iter()
                        .map(|(_, node)| node_value(node))
                        .collect(),
                )
            }
            _ => Value::Object(
                self.entries
                    .into_iter()
                    .map(|(k, node)| (k, node_value(node)))
                    .collect(),
            ),
        }
    }
}
