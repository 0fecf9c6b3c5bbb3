//! The inspector (SPEC 5.9): a local web page of captured callbacks, served by the binary on its
//! own tiny_http server, apart from listen's. `listen --inspect` publishes each capture record to
//! the [`Hub`] once it is saved and answered; `servetel inspect PATH…` fills it from files.
//!
//! The parts: `hub` (the records, bounded, and the subscribed pages), `guard` (token, Host,
//! Origin), `api` (the JSON API), `sse` (the live event stream), `assets` (the page).
//! A request is handled on a thread of its own: few come, and an event stream holds its thread.

mod api;
mod assets;
mod guard;
mod hub;
mod sse;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use std::io::Write;

pub use guard::TOKEN_HEADER;
pub use hub::Hub;

use crate::send::Target;

/// Requests handled at once, event streams included; more are answered 503.
const MAX_IN_FLIGHT: usize = hub::MAX_SUBSCRIBERS + 32;

pub struct Settings {
    /// `HOST:PORT` to bind (port 0 picks a free one).
    pub addr: String,
    /// Where a replay goes when the page names no URL: `listen --forward`'s app.
    pub default_to: Option<Target>,
    /// Records arrive while the page is open (`listen --inspect`), or were read from files.
    pub live: bool,
}

/// The inspector, once bound.
pub struct Running {
    /// `http://127.0.0.1:4040/?token=…`: what to open.
    pub url: String,
    pub addr: SocketAddr,
    /// Bound to a loopback address only.
    pub loopback: bool,
}

struct Inspector {
    hub: Arc<Hub>,
    guard: guard::Guard,
    default_to: Option<Target>,
    live: bool,
    in_flight: AtomicUsize,
}

/// Binds `settings.addr` and serves the page over `hub` on a thread of its own, for as long as
/// the process runs.
pub fn start(settings: Settings, hub: Arc<Hub>) -> anyhow::Result<Running> {
    let server = tiny_http::Server::http(&settings.addr).map_err(|e| {
        anyhow::anyhow!(
            "cannot serve the inspector on {}: {e} (127.0.0.1:0 picks a free port)",
            settings.addr
        )
    })?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| anyhow::anyhow!("the inspector is bound to no IP address"))?;
    let inspector = Arc::new(Inspector {
        hub,
        guard: guard::Guard::new(addr.port()),
        default_to: settings.default_to,
        live: settings.live,
        in_flight: AtomicUsize::new(0),
    });
    // An unspecified address (0.0.0.0) is reachable on loopback too: that is the URL to print.
    let shown = match addr.ip() {
        ip if ip.is_unspecified() => format!("127.0.0.1:{}", addr.port()),
        _ => addr.to_string(),
    };
    let url = format!("http://{shown}/?token={}", inspector.guard.token());
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            if inspector.in_flight.fetch_add(1, Ordering::SeqCst) >= MAX_IN_FLIGHT {
                inspector.in_flight.fetch_sub(1, Ordering::SeqCst);
                respond(request, api::Reply::error(503, "busy"), &[]);
                continue;
            }
            let inspector = inspector.clone();
            std::thread::spawn(move || {
                handle(request, &inspector);
                inspector.in_flight.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    Ok(Running {
        url,
        addr,
        loopback: addr.ip().is_loopback(),
    })
}

fn handle(mut request: tiny_http::Request, ins: &Inspector) {
    if let Err((status, why)) = ins.guard.check(&request) {
        let reply = api::Reply::error(status, why);
        return respond(request, reply, &[]);
    }
    let method = request.method().as_str().to_ascii_uppercase();
    let url = request.url().to_string();
    let path = url.split_once('?').map_or(url.as_str(), |(p, _)| p);
    if path == "/api/events" && method == "GET" {
        return sse::stream(request, &ins.hub);
    }
    if path.starts_with("/api/") {
        let reply = api::route(&method, path, &mut request, ins);
        return respond(request, reply, &[]);
    }
    match assets::get(path) {
        Some((content_type, text)) if method == "GET" => {
            let reply = api::Reply {
                status: 200,
                content_type,
                body: text.as_bytes().to_vec(),
            };
            // The page's own files and calls carry the token as a cookie from here on.
            let cookie = ("Set-Cookie", ins.guard.set_cookie());
            respond(request, reply, &[cookie]);
        }
        Some(_) => respond(request, api::Reply::error(405, "GET only"), &[]),
        None => respond(
            request,
            api::Reply::error(404, format!("no such page: {path}")),
            &[],
        ),
    }
}

/// Written here rather than by tiny_http, to say `Connection: close` (tiny_http drops that
/// header): its pool queues a new connection behind the kept-alive ones of a browser, and a
/// page's scripts would wait there for good.
fn respond(request: tiny_http::Request, reply: api::Reply, extra: &[(&str, String)]) {
    let status = tiny_http::StatusCode(reply.status);
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n\
         Content-Security-Policy: default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; \
         base-uri 'none'\r\n",
        reply.status,
        status.default_reason_phrase(),
        reply.content_type,
        reply.body.len(),
    );
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut out = request.into_writer();
    let _ = out
        .write_all(head.as_bytes())
        .and_then(|()| out.write_all(&reply.body))
        .and_then(|()| out.flush());
}
