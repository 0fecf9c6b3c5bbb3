//! The inspector in a real browser (SPEC 5.9, issue 17): headless Chromium driven over
//! WebDriver by `chromedriver` (Debian's `chromium` and `chromium-driver`; `.ci/run` installs
//! them). The WebDriver client is the protocol's JSON over reqwest, which the crate already has:
//! a dozen commands do not call for a client crate and its async stack.
//!
//! The scenario: no token and a foreign origin are refused; with the token the page goes live,
//! a fired call's five requests appear without a reload, the hangup opens by keyboard, its
//! findings point into the payload, an edited field is checked as it is typed and replayed to
//! the app, which receives the edited body. The page's screenshot is docs/inspector.png
//! (rewritten when missing or with `SERVETEL_UPDATE_SCREENSHOT=1`).

mod common;
mod inspector;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use common::receiver::Receiver;
use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// chromedriver and one browser session, both ended on drop.
struct Browser {
    driver: Child,
    url: String,
    http: reqwest::blocking::Client,
    _profile: tempfile::TempDir,
}

fn on_path(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| std::path::Path::new(dir).join(program))
        .find(|p| p.is_file())
}

impl Browser {
    fn start() -> Browser {
        let (Some(driver), Some(chromium)) = (on_path("chromedriver"), on_path("chromium")) else {
            panic!(
                "chromedriver or chromium not found: install Debian's chromium and chromium-driver \
                 (apt-get install -y chromium chromium-driver; .ci/run does)"
            );
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let ready = Instant::now();
        while http.get(format!("{base}/status")).send().is_err() {
            assert!(
                ready.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--window-size=1280,860",
            &format!("--user-data-dir={}", profile.path().display()),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
        }}});
        let mut browser = Browser {
            driver,
            url: base.clone(),
            http,
            _profile: profile,
        };
        let session = browser.call("POST", "/session", &capabilities);
        let id = session["sessionId"]
            .as_str()
            .expect("a session")
            .to_string();
        browser.url = format!("{base}/session/{id}");
        browser
    }

    /// One WebDriver command; its `value`.
    fn call(&self, method: &str, path: &str, body: &Value) -> Value {
        let url = format!("{}{path}", self.url);
        let request = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self
                .http
                .post(url)
                .header("Content-Type", "application/json")
                .body(body.to_string()),
        };
        let bytes = request.send().unwrap().bytes().unwrap();
        let answer: Value = serde_json::from_slice(&bytes).unwrap();
        if answer["value"]["error"].is_string() {
            panic!("WebDriver {method} {path}: {}", answer["value"]);
        }
        answer["value"].clone()
    }

    fn goto(&self, url: &str) {
        self.call("POST", "/url", &json!({"url": url}));
    }

    fn js(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            &json!({"script": script, "args": args}),
        )
    }

    fn js_async(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            "/execute/async",
            &json!({"script": script, "args": args}),
        )
    }

    fn find(&self, css: &str) -> String {
        let found = self.call(
            "POST",
            "/element",
            &json!({"using": "css selector", "value": css}),
        );
        found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("{found}"))
            .to_string()
    }

    fn count(&self, css: &str) -> usize {
        self.js(
            "return document.querySelectorAll(arguments[0]).length",
            json!([css]),
        )
        .as_u64()
        .unwrap() as usize
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        self.call("POST", &format!("/element/{id}/click"), &json!({}));
    }

    fn keys(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            &json!({"text": text}),
        );
    }

    fn text(&self, css: &str) -> String {
        let value = self.js(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent : ''",
            json!([css]),
        );
        value.as_str().unwrap_or_default().to_string()
    }

    /// Waits up to 10 s for `check` to hold.
    fn wait(&self, what: &str, check: impl Fn(&Browser) -> bool) {
        let started = Instant::now();
        while !check(self) {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "timed out waiting for {what}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn screenshot(&self) -> Vec<u8> {
        let png = self.call("GET", "/screenshot", &Value::Null);
        base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.http.delete(&self.url).send();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[test]
fn a_call_fills_in_live_and_an_edited_hangup_replays_to_the_app() {
    let app = Receiver::start();
    let ins = inspector::spawn(&[
        "listen",
        "--port",
        "0",
        "--inspect",
        "127.0.0.1:0",
        "--format",
        "json",
        "--forward",
        &app.url("/app"),
    ]);
    let browser = Browser::start();

    // Without the token, the page is refused.
    browser.goto(&ins.url("/"));
    assert!(
        browser.text("body").contains("needs its token"),
        "{}",
        browser.text("body")
    );

    // With the token: live, and the call's five requests appear without a reload.
    browser.goto(&format!("{}/?token={}", ins.base, ins.token));
    browser.wait("the live state", |b| b.text("#live") == "live");
    ins.fire(&["--scenario", "inbound-answered", "--speed", "max"]);
    browser.wait("five rows", |b| b.count(".row") == 5);
    assert!(browser.text("#count").starts_with("5 requests"));

    // ↓ chooses the newest (the hangup), Enter opens it; its findings point into the payload.
    browser.keys("#list", "\u{E015}\u{E007}");
    browser.wait("the hangup's detail", |b| {
        b.text("#detail h2").contains("hangup")
    });
    assert!(browser.text("#detail h2").starts_with("#5 POST /hook"));
    assert!(browser.text("#detail .summary").contains("inbound"));
    browser.wait("its findings", |b| b.count("#detail .finding a") > 0);
    let path = browser.text("#detail .finding a");
    browser.click("#detail .finding a");
    let marked = browser.js(
        "const l = document.querySelector('.payload .jl.hl'); return l && l.dataset.path",
        json!([]),
    );
    assert_eq!(
        marked,
        json!(path),
        "the finding's path is marked in the payload"
    );

    // Edit billsec: checked as it is typed (a word is an error), then a number, and replay.
    browser.click("#edit");
    let edit = "const [value] = arguments; const t = document.getElementById('editor-text');
                const p = JSON.parse(t.value); p.billsec = value;
                t.value = JSON.stringify(p, null, 2);
                t.dispatchEvent(new Event('input', {bubbles: true}));";
    browser.js(edit, json!(["forty"]));
    browser.wait("the editor's finding on billsec", |b| {
        b.text("#editor-verdict").contains("/billsec")
    });
    browser.js(edit, json!(["7"])); // at most duration: valid
    browser.wait("billsec accepted", |b| {
        !b.text("#editor-verdict").contains("/billsec")
    });
    assert!(
        browser.text("#replay").contains(&app.url("/app")),
        "the target is shown"
    );
    browser.click("#send-edited");
    browser.wait("the replay under the original", |b| {
        b.count("#attempts .attempt") == 1
    });
    assert!(
        browser.text("#attempts .attempt").contains("200"),
        "{}",
        browser.text("#attempts")
    );

    let hits = app.assert_hits(6); // five forwarded, one replayed
    let replayed = &hits[5];
    assert_eq!(replayed.path(), "/app/hook");
    assert_eq!(
        replayed.payload()["billsec"],
        "7",
        "the edited body arrived"
    );
    assert_ne!(
        hits[4].payload()["billsec"],
        "7",
        "an edit, not the original"
    );
    assert_eq!(replayed.payload()["call_id"], hits[4].payload()["call_id"]);
    // `r` replays the open request as it was received: byte-exact, to the app.
    browser.keys("#list", "r");
    browser.wait("a second replay", |b| b.count("#attempts .attempt") == 2);
    let hits = app.assert_hits(7);
    assert_eq!(hits[6].body, hits[4].body, "the original bytes");

    // Filters: by trigger, and by free text (the call's caller number is in every payload).
    browser.js(
        "const s = document.getElementById('f-trigger'); s.value = 'hangup';
         s.dispatchEvent(new Event('input', {bubbles: true}));",
        json!([]),
    );
    browser.wait("one hangup row", |b| b.count(".row") == 1);
    browser.js(
        "const s = document.getElementById('f-trigger'); s.value = '';
         s.dispatchEvent(new Event('input', {bubbles: true}));",
        json!([]),
    );
    browser.keys("#f-text", "no-such-text");
    browser.wait("no row", |b| b.count(".row") == 0);
    browser.js(
        "const t = document.getElementById('f-text'); t.value = '';
         t.dispatchEvent(new Event('input', {bubbles: true}));",
        json!([]),
    );
    browser.wait("five rows again", |b| b.count(".row") == 5);

    // Two requests ticked: their payloads' differences, key order aside.
    browser.click(".row[data-seq='4'] .pick");
    browser.click(".row[data-seq='5'] .pick");
    browser.click("#diff");
    browser.wait("the diff", |b| b.count(".diff tr") > 1);
    let diff = browser.text(".diff");
    assert!(
        diff.contains("/end_stamp"),
        "the hangup's own variable: {diff}"
    );
    assert!(!diff.contains("/call_id"), "the same call: {diff}");
    browser.click(".row[data-seq='5']");
    browser.wait("the hangup again", |b| {
        b.text("#detail h2").starts_with("#5")
    });

    // Grouped by call: one call, its header line from the calls model.
    browser.click("#group");
    browser.wait("one call", |b| b.count(".call") == 1);
    assert!(browser.text(".call-head").contains("inbound"));

    browser.js("document.getElementById('detail').scrollTop = 0", json!([]));
    let png = browser.screenshot();
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    let file = common::root().join("docs/inspector.png");
    if !file.exists() || std::env::var_os("SERVETEL_UPDATE_SCREENSHOT").is_some() {
        std::fs::write(&file, &png).unwrap();
    }
    // A page on another origin cannot make it replay, even knowing the token: the fetch with
    // the token header fails its preflight, the plain form-like POST is refused.
    let site = Receiver::start();
    browser.goto(&site.url("/"));
    let foreign = browser.js_async(
        "const [url, token, done] = arguments;
         const body = JSON.stringify({seq: 5});
         Promise.allSettled([
           fetch(url, {method: 'POST', headers: {'X-Servetel-Token': token,
             'Content-Type': 'application/json'}, body}),
           fetch(url + '?token=' + token, {method: 'POST', mode: 'no-cors', body}),
         ]).then(r => done(r.map(x => x.status)));",
        json!([ins.url("/api/replay"), ins.token]),
    );
    assert_eq!(
        foreign,
        json!(["rejected", "fulfilled"]),
        "the no-cors one is opaque"
    );
    let seen = site.received().len();
    site.assert_hits(seen); // the page and its icon: not what this test is about
    app.assert_hits(7); // still: no replay came of either
    let (_, view) = ins.get("/api/records/5/view");
    assert_eq!(
        view["attempts"].as_array().unwrap().len(),
        2,
        "only the page's own"
    );
}
