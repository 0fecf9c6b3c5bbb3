//! Redaction, in one place: what `--redact` and `--redact-saved` mask in a payload (phone
//! numbers, names, recording tokens), and what every printout masks in headers and URLs
//! (credentials, told by one catalog of words: [`SECRET_WORDS`]). One function per thing
//! masked; listen's record and printout, fire's and replay's events, `--dry-run` and error
//! messages all call these. What is sent is never masked, only what is shown.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

use serde_json::{Map, Value};

/// Personal data in a payload. Told by a key's name rather than by the catalog's variables,
/// so that a tenant's own template keys (`"callerNumber"`, `"agent_name"`) are covered too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Personal {
    /// A phone number or extension: all but the last four digits masked.
    Number,
    /// A person's name (or a dialer lead field): initials kept.
    Name,
    /// A URL whose `token=` grants access to a recording: masked as every printed URL is
    /// ([`url`]).
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

/// What a secret is shown as, in a header or a URL alike: the name stays (so the user sees
/// *which* credential went), the value never does, not even its length or first letters.
pub const MASK: &str = "****";

/// The one catalog of words that make a name secret: a header's (`X-Api-Token`), a URL query
/// parameter's (`access_token=`), a form field's. A name is secret when one of its words
/// (split at punctuation and at camelCase: `X-Access-Key` → x, access, key; `apiKey` → api, key)
/// is one of these or ends in one (`apikey`, `oauth`, `clientsecret`), a plural `s` aside. A
/// harmless word caught by the ending (`monkey=`) is masked too: a printout may hide too much,
/// never too little. The catalog's own variables are never secrets ([`is_secret`]).
pub const SECRET_WORDS: &[&str] = &[
    "auth",
    "authorization",
    "authentication",
    "token",
    "secret",
    "key",
    "password",
    "passwd",
    "pass",
    "pwd",
    "passphrase",
    "credential",
    "access",
    "cookie",
    "session",
    "sessionid",
    "sessid",
    "signature",
    "sig",
    "hmac",
    "jwt",
];

/// Whether a header, query parameter or field named `name` carries a credential: one of its
/// words is a [`SECRET_WORDS`] word, and it is not a variable of the catalog
/// (`hangup_cause_key` is data: a GET event's query must print as it is sent).
pub fn is_secret(name: &str) -> bool {
    static VARIABLES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let variable = VARIABLES
        .get_or_init(|| {
            crate::catalog::TRIGGERS
                .iter()
                .flat_map(|t| t.variables().map(|v| v.key))
                .collect()
        })
        .contains(name);
    // The variables first: they are most of a GET event's query, and one lookup settles them.
    !variable && words(name).any(secret_word)
}

/// A word is secret when it is, or ends in, a catalog word, a plural `s` aside.
fn secret_word(word: &str) -> bool {
    let singular = word.strip_suffix(['s', 'S']).unwrap_or(word);
    let ends_in = |word: &str, secret: &str| {
        word.len() >= secret.len()
            && word
                .get(word.len() - secret.len()..)
                .is_some_and(|tail| tail.eq_ignore_ascii_case(secret))
    };
    SECRET_WORDS
        .iter()
        .any(|secret| ends_in(word, secret) || ends_in(singular, secret))
}

/// The words of a name: split at every non-alphanumeric character and where a lowercase
/// letter or digit meets an uppercase one (`X-Api-Token`, `apiKey`, `access_token`).
fn words(name: &str) -> Words<'_> {
    Words { rest: name }
}

/// [`words`]' iterator: no allocation, for it runs on every query key of every printed URL.
struct Words<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let start = self.rest.find(char::is_alphanumeric)?;
        let rest = &self.rest[start..];
        let mut previous_lower = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                let cut = !c.is_alphanumeric() || (c.is_uppercase() && previous_lower);
                previous_lower = c.is_lowercase() || c.is_ascii_digit();
                cut
            })
            .map_or(rest.len(), |(i, _)| i);
        self.rest = &rest[end..];
        Some(&rest[..end])
    }
}

/// A URL as printed: the password of `user:password@` (or a lone `token@`) and the values of
/// secret-looking query parameters ([`is_secret`]) masked; every other byte as given, so the
/// URL still reads as the one typed. The request itself always goes with the real URL.
///
/// `https://crm:hunter2@x.example/hook?token=abc&call=1` →
/// `https://crm:****@x.example/hook?token=****&call=1`.
pub fn url(s: &str) -> String {
    let (head, fragment) = match s.find('#') {
        Some(i) => s.split_at(i),
        None => (s, ""),
    };
    let (base, query) = match head.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (head, None),
    };
    let mut out = userinfo_masked(base);
    if let Some(query) = query {
        out.push('?');
        for (i, pair) in query.split('&').enumerate() {
            if i > 0 {
                out.push('&');
            }
            match pair.split_once('=') {
                Some((key, value)) if !value.is_empty() && is_secret(&query_key(key)) => {
                    out.push_str(key);
                    out.push('=');
                    out.push_str(MASK);
                }
                _ => out.push_str(pair),
            }
        }
    }
    out.push_str(fragment);
    out
}

/// `scheme://user:pass@host/path` with the password masked; with a user alone (a token used as
/// the user name, as in `https://TOKEN@host`) the user is.
fn userinfo_masked(base: &str) -> String {
    let Some(start) = base.find("://").map(|i| i + 3) else {
        return base.to_string();
    };
    let authority_end = base[start..].find('/').map_or(base.len(), |i| start + i);
    let Some(at) = base[start..authority_end].rfind('@').map(|i| start + i) else {
        return base.to_string();
    };
    let userinfo = match base[start..at].split_once(':') {
        Some((user, password)) if !password.is_empty() => format!("{user}:{MASK}"),
        Some((user, _)) => format!("{user}:"),
        None if at > start => MASK.to_string(),
        None => String::new(),
    };
    format!("{}{userinfo}{}", &base[..start], &base[at..])
}

/// A query key as its server reads it: `+` a space, `%XX` decoded (`api%5Fkey` is `api_key`).
fn query_key(key: &str) -> Cow<'_, str> {
    if !key.contains(['%', '+']) {
        return Cow::Borrowed(key);
    }
    let bytes = key.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// Free text (an error message, a library's error) with every `http://` or `https://` URL in
/// it masked as [`url`] masks one. A URL ends at whitespace or at a quote, bracket or
/// parenthesis that closes it.
pub fn urls_in(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    while let Some(found) = ["http://", "https://"]
        .iter()
        .filter_map(|scheme| lower[rest..].find(scheme))
        .min()
    {
        let start = rest + found;
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || "\"'`<>()[]{}".contains(c))
            .map_or(text.len(), |i| start + i);
        out.push_str(&text[rest..start]);
        out.push_str(&url(&text[start..end]));
        rest = end;
    }
    out.push_str(&text[rest..]);
    out
}

/// A header value as printed: secrets ([`is_secret`]) masked, keeping an auth scheme
/// (`Bearer ****`).
pub fn header(name: &str, value: &str) -> String {
    if !is_secret(name) {
        return value.to_string();
    }
    match value.split_once(' ') {
        Some((scheme, _))
            if ["basic", "bearer", "token", "digest"]
                .contains(&scheme.to_ascii_lowercase().as_str()) =>
        {
            format!("{scheme} {MASK}")
        }
        _ => MASK.to_string(),
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

    #[test]
    fn one_catalog_of_words_tells_secret_headers_and_parameters() {
        for name in [
            "Authorization",
            "Proxy-Authorization",
            "X-Credential",
            "X-Credentials",
            "X-Access",
            "X-Access-Key",
            "X-Api-Token",
            "X-API-Key",
            "Cookie",
            "Set-Cookie",
            "X-Hub-Signature-256",
            "X-Webhook-Secret",
            "access_token",
            "api_key",
            "apikey",
            "apiKey",
            "clientSecret",
            "sig",
            "pass",
            "pwd",
            "oauth",
            "PHPSESSID",
            "X-Amz-Security-Token",
        ] {
            assert!(is_secret(name), "{name} is a secret");
        }
        for name in [
            "Content-Type",
            "User-Agent",
            "X-Forwarded-For",
            "author",
            "keyword",
            "design",
            "call_id",
            "hangup_cause_key",
            "reason_key",
        ] {
            assert!(!is_secret(name), "{name} is not a secret");
        }
        // A GET event carries the payload in its query: no variable may be masked as a secret,
        // or a dry run would not show the request it sends.
        for trigger in crate::catalog::TRIGGERS {
            for var in trigger.variables() {
                assert!(!is_secret(var.key), "{} reads as a secret", var.key);
            }
        }
    }

    #[test]
    fn urls_lose_their_passwords_and_secret_parameters_only() {
        assert_eq!(
            url("https://crm:hunter2@x.example/hook?token=abc&call=1#top"),
            "https://crm:****@x.example/hook?token=****&call=1#top"
        );
        assert_eq!(
            url("https://ghp_abc123@x.example/"),
            "https://****@x.example/"
        );
        assert_eq!(
            url("http://h:1/a?access_token=t&api%5Fkey=k&Signature=s&empty_token=&flag"),
            "http://h:1/a?access_token=****&api%5Fkey=****&Signature=****&empty_token=&flag"
        );
        let plain = "http://127.0.0.1:8080/hook?uuid=a1&caller_id_number=%2B9198";
        assert_eq!(url(plain), plain, "nothing secret: byte for byte");
        assert_eq!(url("not a url"), "not a url");
    }

    #[test]
    fn urls_inside_messages_are_masked_where_they_stand() {
        assert_eq!(
            urls_in("error sending request for url (http://u:pw@h/x?key=1): refused"),
            "error sending request for url (http://u:****@h/x?key=****): refused"
        );
        assert_eq!(
            urls_in("--to \"HTTPS://h/?secret=s\" and https://h/?token=t"),
            "--to \"HTTPS://h/?secret=****\" and https://h/?token=****"
        );
        assert_eq!(urls_in("no url here"), "no url here");
    }
}
