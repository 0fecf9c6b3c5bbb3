//! Answers written by hand onto tiny_http's connection. tiny_http's own `respond` never sends
//! `Connection: close` (it drops that header), so a client that asked to close the connection is
//! told nothing and tries to reuse it; writing the response ourselves says it, and is one write.

use std::io::Write;
use std::net::SocketAddr;
use std::time::SystemTime;

use super::http;

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

/// Sends `reply`; a client that has gone away is not an error of ours. With `close` the
/// connection ends after it (tiny_http would otherwise wait for another request on it).
#[inline(never)] // a step of its own in scripts/steps.sh
pub fn send(request: tiny_http::Request, reply: &Reply<'_>, close: bool, local: SocketAddr) {
    let asked = closing(&request);
    let head_only = *request.method() == tiny_http::Method::Head;
    let mut bytes = head(reply, close || asked).into_bytes();
    if !head_only {
        bytes.extend_from_slice(reply.body);
    }
    let ours = (close && !asked)
        .then(|| request.remote_addr().copied())
        .flatten();
    let mut writer = request.into_writer();
    let _ = writer.write_all(&bytes).and_then(|()| writer.flush());
    if let Some(peer) = ours {
        http::close_peer(peer, local);
    }
}

/// Past this declared length, tiny_http's skipping of the unread body would ask the allocator for
/// more than it can give (the process aborts), so such a request is never dropped.
const DROPPABLE: usize = 1 << 42;

/// Sends `reply` and ends the connection without reading the rest of the request: for a
/// declared body too large to drain. The socket is shut down before the request is dropped, so
/// tiny_http's skipping of the unread body (which allocates the declared size, untouched) reads
/// nothing; past `DROPPABLE` the request is leaked instead: its thread and descriptors stay.
pub fn send_and_abandon(request: tiny_http::Request, reply: &Reply<'_>, local: SocketAddr) {
    let droppable = request.body_length().is_none_or(|n| n <= DROPPABLE);
    let header = tiny_http::Header::from_bytes(&b"Content-Type"[..], reply.content_type.as_bytes())
        .expect("a valid header");
    let response = tiny_http::Response::from_data(reply.body.to_vec())
        .with_status_code(reply.status)
        .with_header(header);
    let peer = request.remote_addr().copied();
    let stream = request.upgrade("close", response);
    if let Some(peer) = peer {
        http::close_peer(peer, local);
    }
    match droppable {
        true => drop(stream),
        false => std::mem::forget(stream),
    }
}
