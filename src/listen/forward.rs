//! `listen --forward URL`: every accepted request is passed on to the user's own app, byte-exact
//! (method, the received path and query below the URL's path, headers but hop-by-hop ones, the
//! body), and the app's answer is what the sender gets back: listen is a recording proxy.

use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use serde::Serialize;

use super::record::Received;
use crate::send::{self, ClientOptions, SERVETEL_TIMEOUT, Target};

/// How long the app may take before listen answers 502. Longer than Servetel's 10 s, so that a
/// slow app is measured (and warned about) rather than cut off at the platform's limit.
const APP_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Forwarder {
    target: Target,
    client: Client,
}

/// What the app made of a forwarded request (`response.forward` in the capture record).
#[derive(Serialize)]
pub struct Forwarded {
    pub url: String,
    /// `None` when no answer came (the sender gets 502).
    pub status: Option<u16>,
    pub elapsed_ms: u64,
    pub error: Option<String>,
    /// The start of the app's answer, on one line.
    pub excerpt: String,
    #[serde(skip)]
    pub content_type: Option<String>,
    #[serde(skip)]
    pub body: Vec<u8>,
}

impl Forwarded {
    /// Past Servetel's 10 s: the platform would have given up on the app.
    pub fn too_slow(&self) -> bool {
        Duration::from_millis(self.elapsed_ms) > SERVETEL_TIMEOUT
    }
}

impl Forwarder {
    pub fn new(url: &str) -> anyhow::Result<Forwarder> {
        let target = Target::parse_flag("--forward", url)?;
        let options = ClientOptions {
            timeout: APP_TIMEOUT,
            insecure: false,
            cacert: None,
            pool: 16, // idle connections kept to the app
        };
        let client = send::client(&options)?;
        Ok(Forwarder { target, client })
    }

    pub fn forward(&self, received: &Received) -> Forwarded {
        let url = self.target.with_path(&received.path, &received.query);
        let started = Instant::now();
        let result = reqwest::Method::from_bytes(received.method.as_bytes())
            .map_err(|_| format!("{:?} is not an HTTP method", received.method))
            .and_then(|method| {
                let headers = send::passed_on_headers(&received.headers)?;
                let mut request = self.client.request(method, &url).headers(headers);
                if !received.body.is_empty() {
                    request = request.body(received.body.clone());
                }
                request
                    .send()
                    .map_err(|e| send::describe_error(&e, APP_TIMEOUT))
            })
            .and_then(|response| {
                let status = response.status().as_u16();
                let content_type = response
                    .headers()
                    .get(reqwest::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let body = response
                    .bytes()
                    .map_err(|e| send::describe_error(&e, APP_TIMEOUT))?;
                Ok((status, content_type, body.to_vec()))
            });
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match result {
            Ok((status, content_type, body)) => Forwarded {
                url,
                status: Some(status),
                elapsed_ms,
                error: None,
                excerpt: send::excerpt(&body),
                content_type,
                body,
            },
            Err(error) => Forwarded {
                url,
                status: None,
                elapsed_ms,
                error: Some(error),
                excerpt: String::new(),
                content_type: None,
                body: Vec::new(),
            },
        }
    }
}
