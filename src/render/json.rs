//! JSON pretty-printed for people: two-space indent, keys in the order they arrived, colored
//! like `jq` (keys blue, strings green, numbers and literals yellow) when color is on.
//! `listen` prints one of these per request, so the uncolored path writes straight into the
//! output without a String per token.

use std::fmt::Display;

use colored::{ColoredString, Colorize};
use serde_json::{Map, Value};

/// `value` pretty-printed, colored when `colored` is on.
pub fn pretty(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, "", 0, color_on());
    out
}

/// `object` pretty-printed into `out`, every line after `margin` and ending in a newline.
pub fn write_object(out: &mut String, object: &Map<String, Value>, margin: &str) {
    out.push_str(margin);
    write_map(out, object, margin, 0, color_on());
    out.push('\n');
}

fn color_on() -> bool {
    colored::control::SHOULD_COLORIZE.should_colorize()
}

fn push_quoted(out: &mut String, s: &str) {
    // What serde_json escapes: quotes, backslashes, control bytes.
    if s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(&serde_json::to_string(s).expect("a string always serializes"));
    } else {
        out.push('"');
        out.push_str(s);
        out.push('"');
    }
}

/// `text`, through `paint` when color is on.
fn push_painted(
    out: &mut String,
    color: bool,
    text: impl Display,
    paint: fn(String) -> ColoredString,
) {
    use std::fmt::Write;
    if color {
        let _ = write!(out, "{}", paint(text.to_string()));
    } else {
        let _ = write!(out, "{text}");
    }
}

fn push_string(out: &mut String, s: &str, color: bool, paint: fn(String) -> ColoredString) {
    if color {
        let mut quoted = String::with_capacity(s.len() + 2);
        push_quoted(&mut quoted, s);
        out.push_str(&paint(quoted).to_string());
    } else {
        push_quoted(out, s);
    }
}

fn indent(out: &mut String, margin: &str, depth: usize) {
    out.push_str(margin);
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_map(out: &mut String, map: &Map<String, Value>, margin: &str, depth: usize, color: bool) {
    if map.is_empty() {
        out.push_str("{}");
        return;
    }
    out.push_str("{\n");
    for (i, (key, v)) in map.iter().enumerate() {
        indent(out, margin, depth + 1);
        push_string(out, key, color, |s| s.blue().bold());
        out.push_str(": ");
        write_value(out, v, margin, depth + 1, color);
        out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
    }
    indent(out, margin, depth);
    out.push('}');
}

fn write_value(out: &mut String, value: &Value, margin: &str, depth: usize, color: bool) {
    match value {
        Value::Object(map) => write_map(out, map, margin, depth, color),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, v) in items.iter().enumerate() {
                indent(out, margin, depth + 1);
                write_value(out, v, margin, depth + 1, color);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            indent(out, margin, depth);
            out.push(']');
        }
        Value::String(s) => push_string(out, s, color, |s| s.green()),
        Value::Number(n) => push_painted(out, color, n, |s| s.yellow()),
        Value::Bool(b) => push_painted(out, color, b, |s| s.yellow()),
        Value::Null => push_painted(out, color, "null", |s| s.dimmed()),
    }
}

#[cfg(test)]
mod tests {
    use super::{pretty, write_object};
    use serde_json::json;

    #[test]
    fn uncolored_output_is_the_same_json_as_serde_pretty() {
        colored::control::set_override(false);
        let v =
            json!({"z": [1, {"a": "b\"q\n", "e": []}], "k ": "", "n": null, "o": {}, "t": true});
        assert_eq!(pretty(&v), serde_json::to_string_pretty(&v).unwrap());
        let mut out = String::new();
        write_object(&mut out, v.as_object().unwrap(), "   ");
        let expected: String = serde_json::to_string_pretty(&v)
            .unwrap()
            .lines()
            .map(|l| format!("   {l}\n"))
            .collect();
        assert_eq!(out, expected);
    }
}
