//! Answers written by hand onto tiny_http's connection. tiny_http's own `respond` never sends
//! `Connection: close` (it drops that header), so a client that asked to close the connection is
//! told nothing and tries to reuse it; writing the response ourselves says it, and is one write.

use std::io::Write;
use std::time::SystemTime;

/// An answer to a request.
pub struct Reply<'a> {
    pub status: u16,
    pub content_type: &'a str,
    pub body: &'a [u8],
}

/// Whether the client asked for the connection to end after this request (tiny_http closes it
/// in that case; the response must say so).
fn closing(request: &tiny_http::Request) -> bool {
    let connection = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Connection"))
        .map(|h| h.value.as_str().to_ascii_lowercase());
    match connection {
        Some(value) => value.contains("close") || value.contains("upgrade"),
        None => *request.http_version() == (1, 0),
    }
}

fn head(reply: &Reply<'_>, close: bool) -> String {
    let reason = tiny_http::StatusCode(reply.status).default_reason_phrase();
    format!(
        "HTTP/1.1 {} {reason}\r\nServer: servetel\r\nDate: {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{}\r\n",
        reply.status,
        httpdate::fmt_http_date(SystemTime::now()),
        reply.content_type,
        reply.body.len(),
        if close { "Connection: close\r\n" } else { "" },
    )
}

/// Sends `reply`; a client that has gone away is not an error of ours.
pub fn send(request: tiny_http::Request, reply: &Reply<'_>) {
    let close = closing(&request);
    let head_only = *request.method() == tiny_http::Method::Head;
    let mut bytes = head(reply, close).into_bytes();
    if !head_only {
        bytes.extend_from_slice(reply.body);
    }
    let mut writer = request.into_writer();
    let _ = writer.write_all(&bytes).and_then(|()| writer.flush());
}

/// Sends `reply` and gives the connection up without reading the rest of the request: for a
/// declared body too large to drain. tiny_http would allocate the whole declared length to skip
/// it when the request is dropped, so the request is never dropped (see README, known limits).
pub fn send_and_abandon(request: tiny_http::Request, reply: &Reply<'_>) {
    let header = tiny_http::Header::from_bytes(&b"Content-Type"[..], reply.content_type.as_bytes())
        .expect("a valid header");
    let response = tiny_http::Response::from_data(reply.body.to_vec())
        .with_status_code(reply.status)
        .with_header(header);
    std::mem::forget(request.upgrade("close", response));
}
