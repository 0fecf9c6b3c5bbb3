//! A request ready to go, the `--to` target it goes to, and the headers it carries.

use std::time::Duration;

use anyhow::{Context, bail};
use reqwest::Method;
use reqwest::Url;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::redact;

/// The User-Agent the platform's dispatcher sends (Go's net/http default), so receivers that log
/// or filter on it see what production sends; a `--header` or a replayed record says otherwise.
pub const USER_AGENT: &str = "Go-http-client/1.1";

/// One request, ready to go: everything but the socket.
#[derive(Clone, Debug)]
pub struct Request {
    /// The event's number in this run, from 1.
    pub seq: u64,
    pub trigger: Option<&'static str>,
    pub call_id: Option<String>,
    pub method: Method,
    /// The whole URL, query string included.
    pub url: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// How long to wait before sending it: the gap after the previous event of its call.
    pub wait: Duration,
    /// What to tell the user before it goes (the findings of an edited payload).
    pub note: Option<String>,
}

/// `--to URL`: where events go.
#[derive(Clone, Debug)]
pub struct Target {
    url: Url,
}

impl Target {
    /// `--to URL`: an `http://` or `https://` URL with a host.
    pub fn parse(text: &str) -> anyhow::Result<Target> {
        Target::parse_flag("--to", text)
    }

    /// The URL given to `flag`, which errors name.
    pub fn parse_flag(flag: &str, text: &str) -> anyhow::Result<Target> {
        let shown = redact::url(text);
        let mut url = Url::parse(text.trim()).with_context(|| {
            format!("{flag} {shown}: expected a URL like http://127.0.0.1:8080/hook")
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            bail!(
                "{flag} {shown}: expected an http:// or https:// URL with a host, found {} scheme",
                url.scheme()
            );
        }
        url.set_fragment(None);
        Ok(Target { url })
    }

    pub fn as_str(&self) -> &str {
        self.url.as_str()
    }

    /// The URL as printed: password and secret query values masked ([`redact::url`]).
    pub fn shown(&self) -> String {
        redact::url(self.url.as_str())
    }

    pub fn host(&self) -> &str {
        self.url.host_str().unwrap_or("")
    }

    /// Whether the host is this machine (`localhost`, `127.0.0.0/8`, `::1`).
    pub fn is_loopback(&self) -> bool {
        let host = self.host().trim_start_matches('[').trim_end_matches(']');
        match host.parse::<std::net::IpAddr>() {
            Ok(ip) => ip.is_loopback(),
            Err(_) => {
                let host = host.to_ascii_lowercase();
                host == "localhost" || host.ends_with(".localhost")
            }
        }
    }

    /// The target with `query` (without `?`) after its own query, if it has one.
    pub fn with_query(&self, query: &str) -> String {
        join_query(self.url.as_str(), query)
    }

    /// `--keep-path`: the recorded `path` below the target's own path, then the query.
    pub fn with_path(&self, path: &str, query: &str) -> String {
        let mut url = self.url.clone();
        let own_query = url.query().map(str::to_string);
        url.set_query(None);
        let base = url.path().trim_end_matches('/').to_string();
        let path = path.split('?').next().unwrap_or("");
        let joined = if path.starts_with('/') {
            format!("{base}{path}")
        } else {
            format!("{base}/{path}")
        };
        url.set_path(&joined);
        let mut text = url.to_string();
        if let Some(q) = own_query {
            text = join_query(&text, &q);
        }
        join_query(&text, query)
    }
}

fn join_query(url: &str, query: &str) -> String {
    let query = query.strip_prefix('?').unwrap_or(query);
    if query.is_empty() {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&{query}")
    } else {
        format!("{url}?{query}")
    }
}

/// `'NAME: VALUE'` as `flag` takes it (`--header`, `--require-header`).
pub fn parse_header(flag: &str, text: &str) -> anyhow::Result<(HeaderName, HeaderValue)> {
    let Some((name, value)) = text.split_once(':') else {
        bail!("{flag} {text:?}: expected 'NAME: VALUE'");
    };
    let name = HeaderName::from_bytes(name.trim().as_bytes())
        .with_context(|| format!("{flag} {text:?}: {:?} is not a header name", name.trim()))?;
    let value = HeaderValue::from_str(value.trim())
        .with_context(|| format!("{flag} {text:?}: the value is not a header value"))?;
    Ok((name, value))
}

/// Headers from name/value pairs (a capture record's, a webhook config's).
pub fn header_map<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        let header = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| format!("{name:?} is not a header name"))?;
        let value = HeaderValue::from_str(value)
            .map_err(|_| format!("the value of header {name:?} is not a header value"))?;
        map.append(header, value);
    }
    Ok(map)
}

/// Headers a request passed on (`replay`, `listen --forward`) does not copy: hop-by-hop ones,
/// and the framing the client writes itself.
const NOT_PASSED_ON: &[&str] = &[
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authorization",
    "te",
    "trailer",
    "upgrade",
    "expect",
];

/// The headers of a received request as they go on to another server.
pub fn passed_on_headers(received: &[(String, String)]) -> Result<HeaderMap, String> {
    header_map(
        received
            .iter()
            .filter(|(n, _)| !NOT_PASSED_ON.contains(&n.trim().to_ascii_lowercase().as_str()))
            .map(|(n, v)| (n.as_str(), v.as_str())),
    )
}

/// `content-type` as it goes on the wire (the client writes names in title case).
pub fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        out.push(if upper { c.to_ascii_uppercase() } else { c });
        upper = c == '-';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_http_urls() {
        assert!(Target::parse("http://127.0.0.1:8080/hook").is_ok());
        assert!(Target::parse("ftp://example.com/").is_err());
        assert!(Target::parse("example.com/hook").is_err());
        assert!(Target::parse("http://127.0.0.1:9/").unwrap().is_loopback());
        assert!(Target::parse("http://localhost/").unwrap().is_loopback());
        assert!(Target::parse("http://[::1]:80/").unwrap().is_loopback());
        assert!(
            !Target::parse("https://staging.example.com/")
                .unwrap()
                .is_loopback()
        );
    }

    #[test]
    fn queries_and_kept_paths_join_the_target() {
        let t = Target::parse("http://h:1/base/?token=abc").unwrap();
        assert_eq!(t.with_query(""), "http://h:1/base/?token=abc");
        assert_eq!(t.with_query("a=1"), "http://h:1/base/?token=abc&a=1");
        assert_eq!(
            t.with_path("/hook", "a=1"),
            "http://h:1/base/hook?token=abc&a=1"
        );
        let plain = Target::parse("http://h:1").unwrap();
        assert_eq!(plain.with_query("a=1"), "http://h:1/?a=1");
        assert_eq!(
            plain.with_path("/servetel/hangup", ""),
            "http://h:1/servetel/hangup"
        );
    }

    #[test]
    fn header_names_go_out_in_title_case() {
        assert_eq!(title_case("x-api-key"), "X-Api-Key");
    }

    #[test]
    fn headers_parse_from_the_flag() {
        let (name, value) = parse_header("--header", "X-Api-Key:  abc ").unwrap();
        assert_eq!(
            (name.as_str(), value.to_str().unwrap()),
            ("x-api-key", "abc")
        );
        assert!(parse_header("--header", "no colon").is_err());
        assert!(parse_header("--header", "bad name: x").is_err());
    }
}
