//! Nested values as Go `fmt.Sprint` prints them, the way one dispatcher writes them into form
//! fields (REALWORLD.md §2): `map[id:0507… name:Asha Rao]` (keys sorted, as Go prints maps),
//! `[map[…] map[…]]`, numbers as the float64 Go decoded them into (`1.775719462e+09`). The
//! decoder reads this text back (`decode/go_sprint.rs`); [`super::FormStyle::Go`] writes it.

use serde_json::{Map, Value};

/// One value as Go's `%v` prints it.
pub fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), float),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(text).collect();
            format!("[{}]", items.join(" "))
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let entries: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{k}:{}", text(&map[k])))
                .collect();
            format!("map[{}]", entries.join(" "))
        }
    }
}

/// A float64 as `%v` prints it: the shortest digits, in exponent form when the exponent is
/// below -4 or at least 6 (`strconv.FormatFloat(f, 'g', -1, 64)`).
fn float(f: f64) -> String {
    if f == 0.0 || !f.is_finite() {
        return format!("{f}");
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let exp: i32 = exp.parse().expect("an integer exponent");
    if (-4..6).contains(&exp) {
        return format!("{f}");
    }
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exp.abs())
}

/// Whether the payload has a nested value for Go text to change.
pub fn has_nested(payload: &Map<String, Value>) -> bool {
    payload.values().any(|v| match v {
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_print_as_go_prints_them() {
        let agent = json!({"name": "Asha Rao", "id": "0507", "number": 1775719462});
        assert_eq!(
            text(&agent),
            "map[id:0507 name:Asha Rao number:1.775719462e+09]"
        );
        assert_eq!(
            text(&json!([{"a": 1}, {"a": 2.5}])),
            "[map[a:1] map[a:2.5]]"
        );
        assert_eq!(text(&json!(123456)), "123456");
        assert_eq!(text(&json!(1781850687.25)), "1.78185068725e+09");
        assert_eq!(text(&json!(0.00001)), "1e-05");
        assert_eq!(text(&json!(null)), "<nil>");
    }

    #[test]
    fn the_decoder_reads_it_back() {
        let payload = json!({
            "uuid": "69d7585e0bc1a",
            "answered_agent": {"id": "0507123", "name": "Asha Rao", "number": "0607123"},
            "missed_agent": [{"id": "1", "name": "A B", "number": "2"}, {"id": "3", "name": "C", "number": "4"}],
        });
        let body =
            super::super::to_form_with(payload.as_object().unwrap(), super::super::FormStyle::Go);
        let back = crate::decode::decode_form(&body).unwrap();
        assert_eq!(back["answered_agent"], payload["answered_agent"]);
        assert_eq!(back["missed_agent"], payload["missed_agent"]);
    }
}
