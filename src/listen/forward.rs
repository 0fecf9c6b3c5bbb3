//! `listen --forward URL`: every accepted request is passed on to the user's own app, byte-exact
//! (method, the received path and query below the URL's path, headers but hop-by-hop ones, the
//! body), and the app's answer is what the sender gets back: listen is a recording proxy.

use std::time::Duration;

use reqwest::blocking::Client;

use super::record::Received;
use crate::send::{self, Answer, ClientOptions, Keep, Target};

/// How long the app may take before listen answers 502. Longer than Servetel's 10 s, so that a
/// slow app is measured (and warned about) rather than cut off at the platform's limit.
const APP_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Forwarder {
    target: Target,
    client: Client,
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

    /// What the app made of the request (`response.forward` in the capture record); its body
    /// and Content-Type are kept, for they are what the sender gets back.
    pub fn forward(&self, received: &Received) -> Answer {
        let url = self.target.with_path(&received.path, &received.query);
        send::exchange(url, APP_TIMEOUT, Keep::Body, |url| {
            let method = reqwest::Method::from_bytes(received.method.as_bytes())
                .map_err(|_| format!("{:?} is not an HTTP method", received.method))?;
            let headers = send::passed_on_headers(&received.headers)?;
            let mut request = self.client.request(method, url).headers(headers);
            if !received.body.is_empty() {
                request = request.body(received.body.clone());
            }
            Ok(request)
        })
    }
}
