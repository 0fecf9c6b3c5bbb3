//! Redaction, in one place: what `--redact` and `--redact-saved` mask in a payload (phone
//! numbers, names, recording tokens), and what every printout masks in headers (credentials).
//! One function per thing masked; listen's record and printout, and fire's and replay's
//! `--dry-run`, all call these.

use serde_json::{Map, Value};

/// Personal data in a payload. Told by a key's name rather than by the catalog's variables,
/// so that a tenant's own template keys (`"callerNumber"`, `"agent_name"`) are covered too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Personal {
    /// A phone number or extension: all but the last four digits masked.
    Number,
    /// A person's name (or a dialer lead field): initials kept.
    Name,
    /// A URL whose `token=` grants access to a recording.
    UrlToken,
}

/// What kind of personal data a key holds, if any.
pub fn personal(key: &str) -> Option<Personal> {
    let key = key.to_ascii_lowercase();
    if key.contains("url") {
        Some(Personal::UrlToken)
    } else if key.contains("name") || key.starts_with("field_") {
        Some(Personal::Name)
    } else if ["number", "phone", "prefix"]
        .iter()
        .any(|w| key.contains(w))
        || key == "num"
    {
        Some(Personal::Number)
    } else {
        None
    }
}

/// The payload with phone numbers, names and recording tokens masked, by what each key holds
/// ([`personal`]), nested objects and arrays included.
pub fn payload(payload: &Map<String, Value>) -> Map<String, Value> {
    payload
        .iter()
        .map(|(k, v)| (k.clone(), value(v, personal(k))))
        .collect()
}

fn value(value: &Value, personal: Option<Personal>) -> Value {
    match (value, personal) {
        (Value::Object(map), _) => Value::Object(payload(map)),
        (Value::Array(items), _) => {
            Value::Array(items.iter().map(|v| self::value(v, personal)).collect())
        }
        (Value::String(s), Some(Personal::UrlToken)) => Value::String(url(s)),
        (Value::String(s), Some(Personal::Name)) => Value::String(name(s)),
        (Value::String(s), Some(Personal::Number)) => Value::String(number(s)),
        _ => value.clone(),
    }
}

/// `9876500011` → `******0011`: all but the last four digits masked, the rest kept.
pub fn number(s: &str) -> String {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    s.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen + 4 <= digits { '*' } else { c }
            } else {
                c
            }
        })
        .collect()
}

/// `Priya Sharma` → `P*** S***`: initials kept.
pub fn name(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            w.chars()
                .next()
                .map_or(String::new(), |c| format!("{c}***"))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A recording URL with its access token masked (`…&token=****`); a URL without one as it is.
pub fn url(s: &str) -> String {
    match s.split_once("token=") {
        Some((head, _)) => format!("{head}token=****"),
        None => s.to_string(),
    }
}

/// Whether a header carries a credential: Authorization, X-API-Key, tokens, cookies, secrets.
fn is_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "auth",
        "token",
        "secret",
        "key",
        "password",
        "passwd",
        "cookie",
        "signature",
        "session",
    ]
    .iter()
    .any(|word| name.contains(word))
}

/// A header value as printed: secrets masked, keeping an auth scheme (`Bearer ****`).
pub fn header(name: &str, value: &str) -> String {
    if !is_secret(name) {
        return value.to_string();
    }
    match value.split_once(' ') {
        Some((scheme, _))
            if ["basic", "bearer", "token", "digest"]
                .contains(&scheme.to_ascii_lowercase().as_str()) =>
        {
            format!("{scheme} ****")
        }
        _ => "****".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_keys_are_told_by_name_in_any_template() {
        assert_eq!(personal("caller_id_number"), Some(Personal::Number));
        assert_eq!(personal("customer_no_with_prefix "), Some(Personal::Number));
        assert_eq!(personal("callerNumber"), Some(Personal::Number));
        assert_eq!(personal("agent_name"), Some(Personal::Name));
        assert_eq!(personal("field_1"), Some(Personal::Name));
        assert_eq!(personal("recording_url"), Some(Personal::UrlToken));
        assert_eq!(personal("billsec"), None);
        assert_eq!(personal("uuid"), None);
    }

    #[test]
    fn payloads_are_masked_by_key_nested_ones_too() {
        let p = serde_json::json!({
            "caller_id_number": "+919876500011",
            "answered_agent": [{"name": "Priya Sharma", "number": "0011223344"}],
            "recording_url": "https://r.example/rec?callId=1&token=abc%3D",
            "billsec": "42",
        });
        let masked = payload(p.as_object().unwrap());
        assert_eq!(
            serde_json::Value::Object(masked),
            serde_json::json!({
                "caller_id_number": "+********0011",
                "answered_agent": [{"name": "P*** S***", "number": "******3344"}],
                "recording_url": "https://r.example/rec?callId=1&token=****",
                "billsec": "42",
            })
        );
        assert_eq!(url("https://r.example/a.mp3"), "https://r.example/a.mp3");
    }

    #[test]
    fn secrets_are_masked_and_the_rest_is_not() {
        assert_eq!(header("Authorization", "Bearer abc"), "Bearer ****");
        assert_eq!(header("X-API-Key", "s3cret"), "****");
        assert_eq!(header("x-auth-token", "Bearer"), "****");
        assert_eq!(
            header("Content-Type", "application/json"),
            "application/json"
        );
        assert_eq!(header("call_type", "inbound"), "inbound");
    }
}
