//! `replay --rebase-time`: every stamp of a payload moved by the same amount, each written in the
//! dialect it came in, so a captured call happens again at another moment with its intervals kept.

use serde_json::{Map, Value};

use crate::encode::FormStyle;
use crate::timestamp;

fn is_stamp_key(key: &str) -> bool {
    let key = key.trim();
    key.ends_with("_stamp") || key == "date"
}

/// The earliest stamp of a payload (epoch seconds): where its call starts.
pub fn earliest_stamp(payload: &Map<String, Value>) -> Option<i64> {
    let mut stamps: Vec<i64> = payload
        .iter()
        .filter(|(k, _)| is_stamp_key(k))
        .filter_map(|(_, v)| timestamp::stamp_of(v).map(|s| s.epoch))
        .collect();
    if let (Some(Value::String(d)), Some(Value::String(t))) =
        (payload.get("start_date"), payload.get("start_time"))
    {
        stamps.extend(timestamp::parse_date_time(d, t).map(|s| s.epoch));
    }
    stamps.into_iter().min()
}

/// A stamp moved by `delta` seconds, written in the dialect it came in.
fn shift_stamp(text: &str, delta: i64) -> Option<String> {
    let stamp = timestamp::parse(text)?;
    Some(timestamp::format(stamp.epoch + delta, stamp.dialect))
}

/// A call_flow `time` (an epoch as a string, an int or a float) moved by `delta` seconds.
fn shift_epoch(value: &Value, delta: i64) -> Option<Value> {
    match value {
        Value::Number(n) => {
            if let Some(i) = n.as_i64().filter(|i| timestamp::is_epoch_secs(*i)) {
                Some(Value::from(i + delta))
            } else {
                let f = n.as_f64().filter(|f| timestamp::is_epoch_secs(*f as i64))?;
                serde_json::Number::from_f64(f + delta as f64).map(Value::Number)
            }
        }
        // Go's float64 text from a form body (`1.775719462e+09`): shifted, and written as Go
        // writes it, so the record stays in its dialect.
        Value::String(s) if s.contains(['e', 'E']) => {
            let f: f64 = s.trim().parse().ok()?;
            timestamp::is_epoch_secs(f as i64).then_some(())?;
            let shifted = Value::from(f + delta as f64);
            Some(Value::String(FormStyle::Go.value(&shifted)))
        }
        Value::String(s) => {
            let (int, frac) = s.split_once('.').unwrap_or((s, ""));
            let i: i64 = int.parse().ok().filter(|i| timestamp::is_epoch_secs(*i))?;
            if !frac.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some(Value::String(if frac.is_empty() {
                (i + delta).to_string()
            } else {
                format!("{}.{frac}", i + delta)
            }))
        }
        _ => None,
    }
}

/// `--rebase-time`: every stamp-like field moved by `delta` seconds, each in its own dialect
/// (`*_stamp`, `date`, `start_date` + `start_time`, call_flow times).
pub fn shift_stamps(payload: &mut Map<String, Value>, delta: i64) {
    for (key, value) in payload.iter_mut() {
        if is_stamp_key(key) {
            match value {
                Value::String(s) => {
                    if let Some(shifted) = shift_stamp(s, delta) {
                        *s = shifted;
                    }
                }
                Value::Number(_) => {
                    if let Some(shifted) = shift_epoch(value, delta) {
                        *value = shifted;
                    }
                }
                _ => {}
            }
        }
    }
    if let (Some(Value::String(d)), Some(Value::String(t))) =
        (payload.get("start_date"), payload.get("start_time"))
    {
        if let Some(stamp) = timestamp::parse_date_time(d, t) {
            let (date, time) = timestamp::format_date_time_in(stamp.epoch + delta, stamp.dialect);
            payload.insert("start_date".into(), Value::String(date));
            payload.insert("start_time".into(), Value::String(time));
        }
    }
    if let Some(Value::Array(steps)) = payload.get_mut("call_flow") {
        for step in steps.iter_mut().filter_map(Value::as_object_mut) {
            for key in ["time", "anstime"] {
                if let Some(v) = step.get_mut(key) {
                    if let Some(shifted) = shift_epoch(v, delta) {
                        *v = shifted;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rebasing_keeps_intervals_and_dialects() {
        let mut p =
            json!({"start_stamp": "2026-04-09 12:54:22", "end_stamp": "2026-04-09 12:55:22",
            "date": "4/9/2026, 12:54:22 PM", "start_date": "4/9/2026", "start_time": "12:54:22",
            "call_flow": [{"type": "init", "time": "1775719462"}, {"time": 1775719463},
                          {"time": 1775719464.25}]})
            .as_object()
            .unwrap()
            .clone();
        assert_eq!(earliest_stamp(&p), Some(1_775_719_462));
        shift_stamps(&mut p, 3600);
        assert_eq!(p["start_stamp"], "2026-04-09 13:54:22");
        assert_eq!(p["end_stamp"], "2026-04-09 13:55:22");
        assert_eq!(p["date"], "4/9/2026, 1:54:22 PM");
        assert_eq!(
            (&p["start_date"], &p["start_time"]),
            (&json!("4/9/2026"), &json!("13:54:22"))
        );
        assert_eq!(p["call_flow"][0]["time"], "1775723062");
        assert_eq!(p["call_flow"][1]["time"], 1_775_723_063);
        assert_eq!(p["call_flow"][2]["time"], 1_775_723_064.25);
    }

    #[test]
    fn go_printed_epochs_move_and_stay_go_text() {
        let mut p =
            json!({"call_flow": [{"time": "1.775719462e+09"}, {"time": "1.77571946325e+09"},
                                         {"time": "1e+00"}]})
            .as_object()
            .unwrap()
            .clone();
        shift_stamps(&mut p, 3600);
        assert_eq!(p["call_flow"][0]["time"], "1.775723062e+09");
        assert_eq!(p["call_flow"][1]["time"], "1.77572306325e+09");
        assert_eq!(
            p["call_flow"][2]["time"], "1e+00",
            "not an epoch: left alone"
        );
    }
}
