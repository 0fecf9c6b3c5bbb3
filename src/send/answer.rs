//! The answer to one HTTP request, whoever sent it (`fire` and `replay` to `--to`, `listen
//! --forward` to the user's app), and the one function that sends a request and reads it.

use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::blocking::RequestBuilder;
use reqwest::header::HeaderMap;
use serde::{Serialize, Serializer};

use super::SERVETEL_TIMEOUT;

/// What came back from one request, or why nothing did. Serialized as a capture record's
/// `response.forward`.
#[derive(Debug, Serialize)]
pub struct Answer {
    pub url: String,
    /// The response status; `None` when no answer came (a transport failure).
    pub status: Option<u16>,
    /// Whole milliseconds in the capture record.
    #[serde(rename = "elapsed_ms", serialize_with = "whole_millis")]
    pub elapsed: Duration,
    /// What went wrong on the way (connect, TLS, timeout); `None` when a response came back.
    pub error: Option<String>,
    /// The start of the response body, on one line.
    pub excerpt: String,
    /// The response's Content-Type, with [`Keep::Body`].
    #[serde(skip)]
    pub content_type: Option<String>,
    /// The whole response body, with [`Keep::Body`]; empty otherwise.
    #[serde(skip)]
    pub body: Vec<u8>,
}

impl Answer {
    pub fn is_success(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }

    /// Past Servetel's 10 s: the platform would have given up on the receiver.
    pub fn too_slow(&self) -> bool {
        self.elapsed > SERVETEL_TIMEOUT
    }
}

fn whole_millis<S: Serializer>(elapsed: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(elapsed.as_millis() as u64)
}

/// How much of a response an [`Answer`] keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// The excerpt only (`fire`, `replay`: a burst does not hold bodies).
    Excerpt,
    /// The body and its Content-Type too (`listen --forward` hands them back to its sender).
    Body,
}

/// Builds a request with `build` (given the URL; an `Err` says why it cannot be sent), sends it
/// and reads the whole response, so the connection can be reused. The clock starts before
/// `build`, as it always has for every caller.
pub fn exchange(
    url: String,
    timeout: Duration,
    keep: Keep,
    build: impl FnOnce(&str) -> Result<RequestBuilder, String>,
) -> Answer {
    let started = Instant::now();
    let result = build(&url).and_then(|builder| {
        builder
            .send()
            .and_then(|response| {
                let (status, content_type) = head(response.status(), response.headers(), keep);
                response.bytes().map(|bytes| (status, content_type, bytes))
            })
            .map_err(|e| describe_error(&e, timeout))
    });
    answer(url, keep, started.elapsed(), result)
}

/// [`exchange`] on an async client: the engine's lanes (`send::run`).
pub async fn exchange_async(
    url: String,
    timeout: Duration,
    keep: Keep,
    build: impl FnOnce(&str) -> Result<reqwest::RequestBuilder, String>,
) -> Answer {
    let started = Instant::now();
    let result = match build(&url) {
        Ok(builder) => match builder.send().await {
            Ok(response) => {
                let (status, content_type) = head(response.status(), response.headers(), keep);
                response
                    .bytes()
                    .await
                    .map(|bytes| (status, content_type, bytes))
                    .map_err(|e| describe_error(&e, timeout))
            }
            Err(e) => Err(describe_error(&e, timeout)),
        },
        Err(e) => Err(e),
    };
    answer(url, keep, started.elapsed(), result)
}

/// The status, and the Content-Type when the body is kept.
fn head(status: StatusCode, headers: &HeaderMap, keep: Keep) -> (u16, Option<String>) {
    let content_type = match keep {
        Keep::Excerpt => None,
        Keep::Body => headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    };
    (status.as_u16(), content_type)
}

pub(super) fn answer(
    url: String,
    keep: Keep,
    elapsed: Duration,
    result: Result<(u16, Option<String>, Bytes), String>,
) -> Answer {
    match result {
        Ok((status, content_type, bytes)) => Answer {
            url,
            status: Some(status),
            elapsed,
            error: None,
            excerpt: super::excerpt(&bytes),
            content_type,
            body: match keep {
                Keep::Excerpt => Vec::new(),
                Keep::Body => bytes.to_vec(),
            },
        },
        Err(error) => Answer {
            url,
            status: None,
            elapsed,
            error: Some(error),
            excerpt: String::new(),
            content_type: None,
            body: Vec::new(),
        },
    }
}

/// A request that took longer than `--timeout`.
pub(super) fn timed_out(timeout: Duration) -> String {
    format!(
        "timed out after {} (--timeout; Servetel gives up after 10 s)",
        super::report::seconds(timeout)
    )
}

/// The distinct, non-empty causes under `err`, outermost first (reqwest's and hyper's errors
/// alike say little themselves).
pub(super) fn causes(err: &dyn std::error::Error) -> Vec<String> {
    let mut causes: Vec<String> = Vec::new();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !text.is_empty() && !causes.contains(&text) {
            causes.push(text);
        }
        source = cause.source();
    }
    causes
}

/// A transport failure in one line: what failed and the innermost causes, without the URL
/// (printed beside it already), and secrets masked in any URL a cause quotes.
fn describe_error(err: &reqwest::Error, timeout: Duration) -> String {
    if err.is_timeout() {
        return timed_out(timeout);
    }
    let causes = causes(err);
    // The outer causes ("client error (Connect)") say less than the inner ones.
    let inner: Vec<&String> = causes
        .iter()
        .skip(causes.len().saturating_sub(2))
        .filter(|c| !c.starts_with("client error"))
        .collect();
    let on_the_way = causes.iter().any(|c| {
        c.starts_with("tcp connect error") || c.starts_with("dns error") || c.contains("resolving")
    });
    let https = err.url().is_some_and(|u| u.scheme() == "https");
    let what = if err.is_connect() && https && !on_the_way {
        "TLS handshake failed"
    } else if err.is_connect() {
        "cannot connect"
    } else if err.is_body() || err.is_decode() {
        "the response broke off"
    } else {
        "request failed"
    };
    let mut text = if inner.is_empty() {
        format!("{what}: {err}")
    } else {
        format!(
            "{what}: {}",
            inner
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(": ")
        )
    };
    if what.starts_with("TLS") && text.contains("certificate") {
        text.push_str(" (--cacert FILE trusts its CA; --insecure skips the check)");
    }
    // reqwest's messages may quote the URL, query string and all.
    crate::redact::urls_in(&text)
}
