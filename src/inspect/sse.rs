//! `GET /api/events`: Server-Sent Events, written straight to the connection as chunks and
//! flushed per event (tiny_http's own chunked writer holds 8 KiB back). The thread waits on the
//! subscriber's bounded queue; when the hub lets the subscriber go (it fell behind) the queue
//! ends, the last chunk ends the stream, and the page's EventSource reconnects.

use std::io::Write;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use super::hub::Hub;

/// A comment line this often, so that a page that went away is noticed by a failed write.
const HEARTBEAT: Duration = Duration::from_secs(10);

pub fn stream(request: tiny_http::Request, hub: &Hub) {
    let Some(queue) = hub.subscribe() else {
        let reply = super::api::Reply::error(503, "too many pages subscribed");
        return super::respond(request, reply, &[]);
    };
    let mut out = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                Transfer-Encoding: chunked\r\nX-Content-Type-Options: nosniff\r\n\r\n";
    let started = out
        .write_all(head.as_bytes())
        .and_then(|()| chunk(&mut out, "retry: 1000\n\n"));
    if started.is_err() {
        return;
    }
    loop {
        let frame = match queue.recv_timeout(HEARTBEAT) {
            Ok(frame) => frame,
            Err(RecvTimeoutError::Timeout) => ": heartbeat\n\n".into(),
            Err(RecvTimeoutError::Disconnected) => break,
        };
        if chunk(&mut out, &frame).is_err() {
            return; // the page went away
        }
    }
    let _ = out.write_all(b"0\r\n\r\n").and_then(|()| out.flush());
}

/// One chunk of the body, sent now.
fn chunk(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    write!(out, "{:x}\r\n{text}\r\n", text.len())?;
    out.flush()
}
