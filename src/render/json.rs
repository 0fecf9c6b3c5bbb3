//! JSON pretty-printed for people: two-space indent, keys in the order they arrived, colored
//! like `jq` (keys blue, strings green, numbers and literals plain or yellow) when color is on.

use colored::Colorize;
use serde_json::Value;

/// `value` pretty-printed, colored when `colored` is on.
pub fn pretty(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, 0);
    out
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serializes")
}

fn write_value(out: &mut String, value: &Value, depth: usize) {
    let indent = |d: usize| "  ".repeat(d);
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push_str("{\n");
            for (i, (key, v)) in map.iter().enumerate() {
                out.push_str(&indent(depth + 1));
                out.push_str(&quoted(key).blue().bold().to_string());
                out.push_str(": ");
                write_value(out, v, depth + 1);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            out.push_str(&indent(depth));
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, v) in items.iter().enumerate() {
                out.push_str(&indent(depth + 1));
                write_value(out, v, depth + 1);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&indent(depth));
            out.push(']');
        }
        Value::String(s) => out.push_str(&quoted(s).green().to_string()),
        Value::Number(n) => out.push_str(&n.to_string().yellow().to_string()),
        Value::Bool(b) => out.push_str(&b.to_string().yellow().to_string()),
        Value::Null => out.push_str(&"null".dimmed().to_string()),
        empty => out.push_str(&empty.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::pretty;
    use serde_json::json;

    #[test]
    fn uncolored_output_is_the_same_json_as_serde_pretty() {
        colored::control::set_override(false);
        let v = json!({"z": [1, {"a": "b", "e": []}], "k ": "", "n": null, "o": {}});
        assert_eq!(pretty(&v), serde_json::to_string_pretty(&v).unwrap());
    }
}
