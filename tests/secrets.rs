//! Secrets in URLs and headers (issue 13 item 10): a URL's `user:password@` and its secret query
//! values, and credential headers, are masked wherever servetel prints them (`fire`, `replay`,
//! `--dry-run`, `--format json`, errors, `listen --forward`, `init`), while the request that
//! goes out carries them unchanged. Every test runs the real binary against a receiver that
//! records what arrived, and checks both sides of the same run.

mod common;

use std::process::Output;

use base64::Engine;
use common::receiver::Receiver;
use common::{run, stderr, stdout};

const PASSWORD: &str = "PASSWORD123";
const TOKEN: &str = "TOKEN456";
const CREDENTIAL: &str = "CRED789";

/// `http://crm:PASSWORD123@127.0.0.1:PORT{path}?token=TOKEN456&call=1`.
fn secret_url(port: u16, path: &str) -> String {
    format!("http://crm:{PASSWORD}@127.0.0.1:{port}{path}?token={TOKEN}&call=1")
}

fn port_of(receiver: &Receiver) -> u16 {
    receiver
        .url("")
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap()
}

/// A port nothing listens on.
fn dead_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// `Basic base64(crm:PASSWORD123)`: what the receiver gets for the URL's userinfo.
fn basic_auth() -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("crm:{PASSWORD}"));
    format!("Basic {encoded}")
}

/// Neither stream of the run shows a secret, not even the Basic credentials it turned into.
fn assert_nothing_secret_printed(text: &str) {
    let basic = basic_auth();
    let encoded = basic.trim_start_matches("Basic ");
    for secret in [PASSWORD, TOKEN, CREDENTIAL, encoded] {
        assert!(!text.contains(secret), "{secret} was printed:\n{text}");
    }
}

fn both(out: &Output) -> String {
    format!("{}{}", stdout(out), stderr(out))
}

/// The request went out with every secret it was given.
fn assert_sent_with_secrets(receiver: &Receiver, n: usize) {
    for got in receiver.assert_hits(n) {
        assert_eq!(got.path(), "/hook");
        assert_eq!(got.query(), format!("token={TOKEN}&call=1"));
        assert_eq!(got.header("authorization"), Some(basic_auth().as_str()));
        assert_eq!(got.header("x-credential"), Some(CREDENTIAL));
    }
}

#[test]
fn fire_sends_the_secrets_and_prints_none_of_them() {
    let receiver = Receiver::start();
    let url = secret_url(port_of(&receiver), "/hook");
    let header = format!("X-Credential: {CREDENTIAL}");
    let out = run(&[
        "fire", "hangup", "--count", "2", "--seed", "1", "--to", &url, "--header", &header,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("at http://crm:****@127.0.0.1:") && err.contains("/hook?token=****&call=1"),
        "the firing line names the target, masked: {err}"
    );
    assert_nothing_secret_printed(&both(&out));
    assert_sent_with_secrets(&receiver, 2);
}

#[test]
fn fire_format_json_masks_the_url_field() {
    let receiver = Receiver::start();
    let url = secret_url(port_of(&receiver), "/hook");
    let header = format!("X-Credential: {CREDENTIAL}");
    let out = run(&[
        "fire", "hangup", "--seed", "1", "--to", &url, "--header", &header, "--format", "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let event: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let shown = event["url"].as_str().unwrap();
    assert!(shown.starts_with("http://crm:****@127.0.0.1:"), "{shown}");
    assert!(shown.ends_with("/hook?token=****&call=1"), "{shown}");
    assert_nothing_secret_printed(&both(&out));
    assert_sent_with_secrets(&receiver, 1);
}

#[test]
fn dry_runs_mask_url_and_credential_headers_in_both_formats() {
    let url = secret_url(9, "/hook");
    for header in [
        format!("X-Credential: {CREDENTIAL}"),
        format!("X-Access-Key: {CREDENTIAL}"),
        format!("Proxy-Authorization: Basic {CREDENTIAL}"),
        format!("Cookie: session={CREDENTIAL}"),
    ] {
        let name = header.split(':').next().unwrap();
        let text = run(&[
            "fire",
            "hangup",
            "--seed",
            "1",
            "--to",
            &url,
            "--header",
            &header,
            "--dry-run",
        ]);
        assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
        let shown = stdout(&text);
        assert!(
            shown.contains("POST http://crm:****@127.0.0.1:9/hook?token=****&call=1\n"),
            "{shown}"
        );
        assert!(
            shown.contains(&format!("{name}: ")),
            "the header is named: {shown}"
        );
        assert_nothing_secret_printed(&both(&text));
        let json = run(&[
            "fire",
            "hangup",
            "--seed",
            "1",
            "--to",
            &url,
            "--header",
            &header,
            "--dry-run",
            "--format",
            "json",
        ]);
        let request: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(
            request["url"],
            "http://crm:****@127.0.0.1:9/hook?token=****&call=1"
        );
        assert_nothing_secret_printed(&both(&json));
    }
}

#[test]
fn transport_errors_and_url_errors_print_no_secret() {
    let url = secret_url(dead_port(), "/hook");
    let out = run(&[
        "fire", "hangup", "--seed", "1", "--to", &url, "--format", "json",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let event: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        event["error"].as_str().unwrap().contains("cannot connect"),
        "{event}"
    );
    assert_nothing_secret_printed(&both(&out));

    // A URL servetel refuses is quoted in the error, masked.
    let wrong = format!("ftp://crm:{PASSWORD}@127.0.0.1/hook?token={TOKEN}");
    let out = run(&["fire", "hangup", "--to", &wrong]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("--to ftp://crm:****@127.0.0.1/hook?token=****: expected an http://"),
        "{err}"
    );
    assert_nothing_secret_printed(&err);
}

#[test]
fn replay_sends_the_secrets_and_prints_none_of_them() {
    let first = Receiver::start();
    let header = format!("X-Credential: {CREDENTIAL}");
    let sent = run(&["fire", "hangup", "--seed", "3", "--to", &first.url("/x")]);
    assert_eq!(sent.status.code(), Some(0), "{}", stderr(&sent));
    let record = first.assert_hits(1)[0].capture_record(1, Some("hangup"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("calls.ndjson");
    std::fs::write(&file, format!("{record}\n")).unwrap();

    let receiver = Receiver::start();
    let url = secret_url(port_of(&receiver), "/hook");
    let out = run(&[
        "replay",
        file.to_str().unwrap(),
        "--to",
        &url,
        "--header",
        &header,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("to http://crm:****@127.0.0.1:"), "{err}");
    assert_nothing_secret_printed(&both(&out));
    assert_sent_with_secrets(&receiver, 1);
}

#[test]
fn listen_forward_sends_the_secrets_and_prints_none_of_them() {
    let app = Receiver::start();
    let forward = format!(
        "http://crm:{PASSWORD}@127.0.0.1:{}/app?token={TOKEN}",
        port_of(&app)
    );
    let mut cmd = common::servetel_process();
    cmd.args([
        "listen",
        "--port",
        "0",
        "--count",
        "1",
        "--forward",
        &forward,
    ]);
    let mut listening = common::spawn_listening(&mut cmd);
    let body = stdout(&run(&["sample", "hangup", "--seed", "5"]));
    let (status, _) = common::send(
        listening.port,
        "POST",
        "/hook",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    assert_eq!(status, 200);
    listening.child.wait().unwrap();
    let printed = listening.stdout.join().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut listening.stderr, &mut err).unwrap();
    assert!(
        printed.contains("app http://crm:****@127.0.0.1:") && printed.contains("token=****"),
        "the forward line names the app, masked: {printed}"
    );
    assert_nothing_secret_printed(&format!("{printed}{err}"));
    let got = app.assert_hits(1);
    assert_eq!(got[0].target, format!("/app/hook?token={TOKEN}"));
    assert_eq!(got[0].header("authorization"), Some(basic_auth().as_str()));

    // An app that is not there: the reason printed, the URL in it masked.
    let dead = format!(
        "http://crm:{PASSWORD}@127.0.0.1:{}/app?token={TOKEN}",
        dead_port()
    );
    let mut cmd = common::servetel_process();
    cmd.args(["listen", "--port", "0", "--count", "1", "--forward", &dead]);
    let mut listening = common::spawn_listening(&mut cmd);
    let (status, _) = common::send(
        listening.port,
        "POST",
        "/hook",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    assert_eq!(status, 502);
    listening.child.wait().unwrap();
    let printed = listening.stdout.join().unwrap();
    assert!(printed.contains("no answer"), "{printed}");
    assert_nothing_secret_printed(&printed);

    // A --forward URL listen refuses is quoted masked.
    let out = run(&[
        "listen",
        "--port",
        "0",
        "--forward",
        &dead.replace("http", "ftp"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_nothing_secret_printed(&stderr(&out));
}

#[test]
fn init_writes_the_real_url_and_echoes_it_masked() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("servetel.toml");
    let url = format!("https://crm:{PASSWORD}@x.example/hook?api_key={TOKEN}");
    let out = run(&[
        "init",
        "--name",
        "crm",
        "--trigger",
        "hangup",
        "--method",
        "POST",
        "--content-type",
        "json",
        "--url",
        &url,
        "--template",
        "default",
        "-o",
        config.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("https://crm:****@x.example/hook?api_key=****"),
        "{err}"
    );
    assert_nothing_secret_printed(&both(&out));
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(written.contains(&url), "the file keeps the URL: {written}");

    // A config whose url servetel refuses: the error quotes it masked.
    std::fs::write(&config, written.replace("https://", "ftp://")).unwrap();
    let out = run(&[
        "--config",
        config.to_str().unwrap(),
        "fire",
        "--webhook",
        "crm",
        "--dry-run",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("url must start with http"), "{err}");
    assert_nothing_secret_printed(&err);
}
