//! A task's own HTTP/1.1 connection for plain `http://` targets without a proxy: hyper's
//! connection API directly, as oha uses it, without reqwest's pool, middleware and per-response
//! URL parsing (a quarter of the engine's CPU per event on a local sink). The request on the
//! wire is reqwest's: the same headers in the same order (the caller's, `Content-Length`, `Accept: */*`, `Host`),
//! names in title case. Everything else (https, proxies) goes through reqwest.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use reqwest::header::{ACCEPT, CONTENT_LENGTH, HOST, HeaderMap, HeaderValue};
use reqwest::{Method, Url};

/// Whether requests to `url` may take the direct path: `http://` without credentials in the URL
/// (reqwest turns those into `Authorization: Basic`), and no proxy in the environment that
/// reqwest would use for it.
pub fn applies(url: &Url) -> bool {
    // Read once: reqwest reads the environment once too, when its client is built.
    static NO_PROXY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    url.scheme() == "http"
        && url.username().is_empty()
        && url.password().is_none()
        && *NO_PROXY.get_or_init(|| {
            ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
                .iter()
                .all(|name| std::env::var_os(name).is_none_or(|v| v.is_empty()))
        })
}

/// A task's connection, opened on first use and again after it breaks or is closed.
#[derive(Default)]
pub struct Connection {
    open: Option<(String, SendRequest<Full<Bytes>>)>,
}

impl Failure {
    /// The error of the event, as reqwest's would read (`answer::describe_error`).
    pub fn text(&self) -> String {
        let text = match self {
            Failure::Connect(e) => format!("cannot connect: {e}"),
            Failure::Request(e) => format!("request failed: {e}"),
            Failure::Body(e) => format!("the response broke off: {e}"),
        };
        crate::redact::urls_in(&text)
    }
}

/// What went wrong, in the words of `answer::describe_error`.
pub enum Failure {
    Connect(String),
    Request(String),
    Body(String),
}

impl Connection {
    /// Forgets the connection: a request on it timed out, and its answer may still come.
    pub fn reset(&mut self) {
        self.open = None;
    }

    /// Sends one request on the connection (opening it first if need be) and reads the whole
    /// answer: the status and body.
    pub async fn exchange(
        &mut self,
        method: Method,
        url: &Url,
        mut headers: HeaderMap,
        body: Vec<u8>,
    ) -> Result<(u16, Bytes), Failure> {
        let authority = match (url.host_str(), url.port_or_known_default()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            _ => return Err(Failure::Request("the URL has no host".into())),
        };
        let host_header = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or("")),
            None => url.host_str().unwrap_or("").to_string(),
        };
        if !body.is_empty() {
            headers
                .entry(CONTENT_LENGTH)
                .or_insert(HeaderValue::from(body.len()));
        }
        headers
            .entry(ACCEPT)
            .or_insert(HeaderValue::from_static("*/*"));
        if let Ok(value) = HeaderValue::from_str(&host_header) {
            headers.entry(HOST).or_insert(value);
        }
        let path = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        };
        let mut request = hyper::Request::new(Full::new(Bytes::from(body)));
        *request.method_mut() = method;
        *request.uri_mut() = path.parse().map_err(|e| Failure::Request(format!("{e}")))?;
        *request.headers_mut() = headers;
        let sender = self.ready(&authority).await?;
        let response = match sender.try_send_request(request).await {
            Ok(response) => response,
            Err(mut error) => {
                self.open = None;
                // The kept-alive connection closed before the request went out (hyper hands it
                // back unsent): once more on a fresh connection, as reqwest's pool does.
                let Some(request) = error.take_message() else {
                    return Err(Failure::Request(describe(error.error())));
                };
                let sender = self.ready(&authority).await?;
                sender.send_request(request).await.map_err(|e| {
                    self.open = None;
                    Failure::Request(describe(&e))
                })?
            }
        };
        let status = response.status().as_u16();
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|e| {
                self.open = None;
                Failure::Body(describe(&e))
            })?
            .to_bytes();
        Ok((status, bytes))
    }

    /// The open connection to `authority`, ready for a request: the kept-alive one, or a new one.
    async fn ready(&mut self, authority: &str) -> Result<&mut SendRequest<Full<Bytes>>, Failure> {
        if let Some((to, sender)) = &mut self.open {
            // Closed by the server since (its keep-alive limit): a fresh connection instead.
            if to != authority || sender.ready().await.is_err() {
                self.open = None;
            }
        }
        if self.open.is_none() {
            // The caller's timeout covers the connect, as reqwest's does.
            let stream = tokio::net::TcpStream::connect(authority)
                .await
                .map_err(|e| Failure::Connect(format!("tcp connect error: {e}")))?;
            let _ = stream.set_nodelay(true);
            let (sender, connection) = hyper::client::conn::http1::Builder::new()
                .title_case_headers(true)
                .handshake(hyper_util::rt::TokioIo::new(stream))
                .await
                .map_err(|e| Failure::Connect(describe(&e)))?;
            // The connection runs on this lane's runtime, as its requests do.
            tokio::spawn(async move {
                let _ = connection.await;
            });
            self.open = Some((authority.to_string(), sender));
        }
        Ok(&mut self.open.as_mut().expect("opened above").1)
    }
}

/// hyper's error and its causes on one line.
fn describe(err: &hyper::Error) -> String {
    let mut text = err.to_string();
    for cause in super::answer::causes(err) {
        if !text.contains(&cause) {
            text = format!("{text}: {cause}");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    /// A server that answers as if keeping the connection alive, then closes it (as one does
    /// when a connection has been idle too long): the next request, a moment later, goes on a
    /// fresh connection instead of failing on the closed one.
    #[test]
    fn a_connection_closed_after_its_answer_is_opened_again() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let mut accepted = 0;
            for stream in listener.incoming().take(20) {
                let mut stream = stream.unwrap();
                accepted += 1;
                let mut seen = Vec::new();
                let mut buf = [0; 4096];
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    let n = stream.read(&mut buf).unwrap();
                    if n == 0 {
                        break;
                    }
                    seen.extend_from_slice(&buf[..n]);
                }
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
            accepted
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let url = Url::parse(&format!("http://127.0.0.1:{port}/hook")).unwrap();
        let mut connection = Connection::default();
        runtime.block_on(async {
            for _ in 0..20 {
                // The moment a scenario's gap gives the server's close to arrive. (A close that
                // crosses a request on the wire fails that request, as it does through reqwest.)
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                let result = connection
                    .exchange(Method::GET, &url, HeaderMap::new(), Vec::new())
                    .await;
                match result {
                    Ok((status, body)) => assert_eq!((status, &body[..]), (200, &b"ok"[..])),
                    Err(f) => panic!("{}", f.text()),
                }
            }
        });
        assert_eq!(server.join().unwrap(), 20, "one connection per request");
    }
}
