//! The conventions a user leans on in `listen`'s output (issue 13): the clock in the machine's
//! zone, named; the compact modes (`--format line`, `-q`); one verdict for a rejected request.
//! Each test starts the real binary with `--count N` and an explicit `TZ`, sends N callbacks one
//! after the other, and reads everything it printed once it has exited by itself.

mod common;

use std::io::{BufReader, Read};
use std::process::Stdio;

const JSON: (&str, &str) = ("Content-Type", "application/json");

/// A payload from `servetel sample -q ARGS…`.
fn sample(args: &[&str]) -> String {
    let out = common::run(&[&["sample", "-q"], args].concat());
    assert!(out.status.success(), "{}", common::stderr(&out));
    common::stdout(&out).trim_end().to_string()
}

/// What one `listen` run printed and how it ended.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// The status each request was answered with, in order.
    answers: Vec<u16>,
}

/// `TZ=tz servetel [ARGS…] listen --port 0 --count N …`, for the N bodies POSTed as JSON to
/// `/hook` with `headers`.
fn listen(tz: Option<&str>, args: &[&str], headers: &[(&str, &str)], bodies: &[&str]) -> Run {
    let requests: Vec<_> = bodies.iter().map(|b| (headers, *b)).collect();
    listen_each(tz, args, &requests)
}

/// [`listen`] with headers of its own for each request.
fn listen_each(tz: Option<&str>, args: &[&str], requests: &[(&[(&str, &str)], &str)]) -> Run {
    let count = requests.len().to_string();
    let mut cmd = common::servetel_process();
    match tz {
        Some(tz) => cmd.env("TZ", tz),
        None => cmd.env_remove("TZ"),
    };
    let (global, local): (Vec<&str>, Vec<&str>) = args.iter().partition(|a| **a == "-q");
    let common::Spawned {
        mut child,
        port,
        mut stderr,
        stdout: reader,
    } = common::spawn_listening(
        cmd.args(&global)
            .args(["listen", "--port", "0", "--count", &count])
            .args(&local),
    );
    let answers = requests
        .iter()
        .map(|(headers, body)| {
            let headers: Vec<_> = [JSON].into_iter().chain(headers.iter().copied()).collect();
            common::send(port, "POST", "/hook", &headers, body.as_bytes()).0
        })
        .collect();
    let status = child.wait().unwrap();
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    Run {
        code: status.code(),
        stdout: reader.join().unwrap(),
        stderr: rest,
        answers,
    }
}

/// The time in a header line `── 06:42:42.830 IST POST …`, as `(clock, zone)`.
fn header_time(line: &str) -> (String, String) {
    let mut words = line.strip_prefix("── ").expect("a header line").split(' ');
    let clock = words.next().unwrap().to_string();
    (clock, words.next().unwrap().to_string())
}

/// Minutes since midnight of `HH:MM:SS.mmm`.
fn minutes(clock: &str) -> i64 {
    let h: i64 = clock[0..2].parse().unwrap();
    let m: i64 = clock[3..5].parse().unwrap();
    h * 60 + m
}

/// The `received_at` of the one record `--format json` printed, as minutes since midnight UTC.
fn record_minutes(record_line: &str) -> (String, i64) {
    let record: serde_json::Value = serde_json::from_str(record_line).unwrap();
    let at = record["received_at"].as_str().unwrap().to_string();
    let clock = at.split('T').nth(1).unwrap();
    (at.clone(), minutes(clock))
}

#[test]
fn the_header_clock_is_local_time_with_its_zone_named() {
    let body = sample(&["hangup", "--seed", "3"]);
    for (tz, zone, shift) in [
        (Some("Asia/Kolkata"), "IST", 330),
        (Some("Asia/Calcutta"), "IST", 330),
        (Some("IST-5:30"), "IST", 330),
        (Some("UTC"), "UTC", 0),
    ] {
        // The same request printed (pretty) and recorded (json) by two listeners a moment apart.
        let pretty = listen(tz, &[], &[], &[&body]);
        let json = listen(tz, &["--format", "json"], &[], &[&body]);
        let (clock, named) = header_time(pretty.stdout.lines().next().unwrap());
        assert_eq!(named, zone, "TZ={tz:?}: {}", pretty.stdout);
        assert_eq!(clock.len(), 12, "HH:MM:SS.mmm: {clock}");
        // The record keeps UTC with its offset, whatever the machine's zone.
        let (at, utc) = record_minutes(json.stdout.lines().next().unwrap());
        assert!(at.ends_with("+00:00"), "RFC 3339 with its offset: {at}");
        let diff = (minutes(&clock) - utc - shift).rem_euclid(24 * 60);
        assert!(
            diff <= 1 || diff == 24 * 60 - 1,
            "TZ={tz:?}: {clock} vs {at}"
        );
    }
}

#[test]
fn without_tz_the_clock_still_names_its_zone() {
    let body = sample(&["hangup", "--seed", "3"]);
    let run = listen(None, &[], &[], &[&body]);
    let (_, zone) = header_time(run.stdout.lines().next().unwrap());
    assert!(zone == "UTC" || zone == "IST", "{}", run.stdout);
}

#[test]
fn format_line_prints_one_line_per_request() {
    let answered = sample(&["hangup", "--outcome", "answered", "--seed", "3"]);
    let missed = sample(&["missed", "--outcome", "missed", "--seed", "3"]);
    let run = listen(
        Some("UTC"),
        &["--format", "line"],
        &[],
        &[&answered, &missed, &answered],
    );
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "one line per request:\n{}", run.stdout);
    let masked: Vec<String> = lines
        .iter()
        .map(|l| format!("[TIME]{}", &l[12..]))
        .collect();
    insta::assert_snapshot!(masked.join("\n"));
    assert!(lines[0].contains("6957886331 → 8005270434"), "{}", lines[0]);
    assert!(lines[0].contains("agent Kavya Reddy"), "{}", lines[0]);
    assert!(lines[0].contains("talked 8m 2s"), "{}", lines[0]);
    assert!(lines[1].contains("not answered"), "{}", lines[1]);
    assert!(lines.iter().all(|l| l.ends_with("→ 200")), "{}", run.stdout);
    assert_eq!(run.answers, [200, 200, 200]);
    assert!(run.stderr.contains("received 3: 3 valid"), "{}", run.stderr);
}

#[test]
fn quiet_pretty_prints_the_header_and_the_call_only() {
    let body = sample(&["hangup", "--outcome", "answered", "--seed", "3"]);
    let full = listen(Some("UTC"), &[], &[], &[&body]);
    let quiet = listen(Some("UTC"), &["-q"], &[], &[&body]);
    let lines: Vec<&str> = quiet.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "header and summary:\n{}", quiet.stdout);
    assert!(lines[0].starts_with("── ") && lines[0].ends_with("→ 200"));
    assert!(lines[1].contains("6957886331 → 8005270434  ·  inbound"));
    // The same two lines lead the full printout, which goes on with the payload.
    let full_lines: Vec<&str> = full.stdout.lines().collect();
    assert!(full_lines.len() > 10, "{}", full.stdout);
    assert_eq!(full_lines[1], lines[1]);
}

#[test]
fn a_rejected_request_has_one_verdict_in_listen_and_in_validate() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("calls.ndjson");
    let file_arg = file.to_str().unwrap();
    let body = sample(&["missed", "--outcome", "missed", "--seed", "3"]);
    let run = listen(
        Some("UTC"),
        &["--require-header", "X-Api-Key: s3cret", "--save", file_arg],
        &[],
        &[&body],
    );
    assert_eq!(run.answers, [401]);
    // A rejection is its own finding, not a parse error, and the payload is still judged.
    assert!(
        run.stdout
            .contains("warning auth        (payload): rejected with 401"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("parse"), "{}", run.stdout);
    assert!(run.stdout.contains("✓ valid"), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("received 1: 1 valid, 0 invalid, 1 rejected"),
        "{}",
        run.stderr
    );
    assert_eq!(run.code, Some(1), "a sender without the header fails CI");
    let saved = std::fs::read_to_string(&file).unwrap();
    let record: serde_json::Value = serde_json::from_str(saved.trim()).unwrap();
    assert_eq!(record["response"]["status"], 401);
    assert_eq!(record["verdict"]["valid"], true);
    assert_eq!(record["verdict"]["findings"][0]["code"], "auth");
    // validate of the saved record says what listen said.
    let out = common::run(&["validate", file_arg, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let result: serde_json::Value = serde_json::from_str(common::stdout(&out).trim()).unwrap();
    assert_eq!(result["valid"], record["verdict"]["valid"]);
    assert_eq!(result["trigger"], record["verdict"]["trigger"]);
}

#[test]
fn a_retry_with_the_header_is_accepted_and_no_duplicate_of_its_rejected_try() {
    let body = sample(&["missed", "--outcome", "missed", "--seed", "3"]);
    let args = ["--require-header", "X-Api-Key: s3cret"];
    let rejected = listen(Some("UTC"), &args, &[("X-Api-Key", "wrong")], &[&body]);
    assert!(
        rejected.stdout.contains("found another value"),
        "{}",
        rejected.stdout
    );
    // The sender retries with the header: the retry is the first delivery, not a duplicate.
    let none: &[(&str, &str)] = &[];
    let key: &[(&str, &str)] = &[("X-Api-Key", "s3cret")];
    let run = listen_each(
        Some("UTC"),
        &[&args[..], &["--format", "line"]].concat(),
        &[(none, &body), (key, &body), (key, &body)],
    );
    assert_eq!(run.answers, [401, 200, 200]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].contains("✓ valid (3 warnings)") && lines[0].ends_with("→ 401"));
    assert!(lines[1].contains("✓ valid (2 warnings)"), "{}", run.stdout);
    assert!(
        lines[2].contains("✓ valid (3 warnings)"),
        "the real duplicate: {}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("received 3: 3 valid, 0 invalid, 1 rejected"),
        "{}",
        run.stderr
    );
}

/// A self-signed certificate as users make one for a staging endpoint (`openssl req -x509`,
/// which marks it CA:TRUE), for `localhost` only: `(cert.pem, key.pem)` in `dir`.
fn self_signed(dir: &std::path::Path, name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let cert = dir.join(format!("{name}.pem"));
    let key = dir.join(format!("{name}.key"));
    let out = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
        ])
        .args(["-nodes", "-days", "2", "-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (cert, key)
}

/// An HTTPS server on a free port presenting `cert`: every request is answered 200 `ok`;
/// returns its port. A handshake the client refuses just ends that connection.
fn https_server(cert: &std::path::Path, key: &std::path::Path) -> u16 {
    use rustls::pki_types::pem::PemObject;
    use std::io::{BufRead, Write};
    let certs = vec![rustls::pki_types::CertificateDer::from_pem_file(cert).unwrap()];
    let key = rustls::pki_types::PrivateKeyDer::from_pem_file(key).unwrap();
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let config = std::sync::Arc::new(config);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let config = config.clone();
            std::thread::spawn(move || {
                let tls = rustls::ServerConnection::new(config).unwrap();
                let mut stream = BufReader::new(rustls::StreamOwned::new(tls, tcp));
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if stream.read_line(&mut line).unwrap_or(0) == 0 {
                        return; // refused by the client, or closed
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap();
                    }
                    if line == "\r\n" {
                        break;
                    }
                }
                let mut body = vec![0; length];
                let _ = stream.read_exact(&mut body);
                let stream = stream.get_mut();
                let answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
                let _ = stream.write_all(answer.as_bytes());
                let _ = stream.flush();
                stream.conn.send_close_notify();
                let _ = stream.flush();
            });
        }
    });
    port
}

/// `servetel fire missed --to URL -y [--cacert FILE]`.
fn fire(url: &str, cacert: Option<&std::path::Path>) -> std::process::Output {
    let mut cmd = common::servetel();
    cmd.args(["fire", "missed", "--outcome", "missed", "--to", url, "-y"]);
    if let Some(file) = cacert {
        cmd.arg("--cacert").arg(file);
    }
    cmd.timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap()
}

#[test]
fn cacert_accepts_the_servers_own_self_signed_certificate_as_curl_does() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = self_signed(dir.path(), "staging");
    let (other, _) = self_signed(dir.path(), "other");
    let port = https_server(&cert, &key);
    let url = format!("https://localhost:{port}/hook");

    let out = fire(&url, Some(&cert));
    let text = format!("{}{}", common::stdout(&out), common::stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("200"), "{text}");
    assert!(!text.contains("CaUsedAsEndEntity"), "{text}");

    // Strict otherwise: no --cacert, another self-signed certificate, a name it was not made for.
    for (url, cacert, why, expected) in [
        (
            url.clone(),
            None,
            "not trusted without --cacert",
            "invalid peer certificate",
        ),
        (
            url.clone(),
            Some(other.as_path()),
            "another certificate",
            "invalid peer certificate",
        ),
        (
            format!("https://127.0.0.1:{port}/hook"),
            Some(cert.as_path()),
            "made for localhost only",
            "NotValidForName",
        ),
    ] {
        let out = fire(&url, cacert);
        let text = format!("{}{}", common::stdout(&out), common::stderr(&out));
        assert_ne!(out.status.code(), Some(0), "{why}: {text}");
        assert!(text.contains(expected), "{why}: {text}");
    }
}

/// `servetel init` on a terminal (a pseudo-terminal this test owns) in `dir`, typing `answers`
/// one at a time; returns everything it showed, escape sequences removed.
fn init_on_a_terminal(dir: &std::path::Path, answers: &[&str]) -> String {
    use std::os::fd::FromRawFd;
    use std::os::unix::process::CommandExt;
    let (mut master, mut slave) = (0, 0);
    let opened = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(opened, 0, "openpty");
    let mut cmd = common::servetel_process();
    let stdio = |fd| unsafe { Stdio::from_raw_fd(libc::dup(fd)) };
    cmd.current_dir(dir)
        .args(["--color", "never", "init"])
        .stdin(stdio(slave))
        .stdout(stdio(slave))
        .stderr(stdio(slave));
    unsafe {
        // Its own session with the terminal as controlling one, as a shell would start it.
        cmd.pre_exec(|| {
            libc::setsid();
            libc::ioctl(0, libc::TIOCSCTTY, 0);
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    // The parent keeps no end of the terminal's slave side, so reading the master ends (EIO)
    // once the child has gone.
    drop(cmd);
    unsafe { libc::close(slave) };
    let mut terminal = unsafe { std::fs::File::from_raw_fd(master) };
    let mut reader = terminal.try_clone().unwrap();
    let shown = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = reader.read_to_end(&mut bytes); // EIO once the child has gone
        bytes
    });
    for answer in answers {
        std::thread::sleep(std::time::Duration::from_millis(400));
        std::io::Write::write_all(&mut terminal, format!("{answer}\r").as_bytes()).unwrap();
    }
    let status = child.wait().unwrap();
    drop(terminal);
    let text = String::from_utf8_lossy(&shown.join().unwrap()).to_string();
    assert!(status.success(), "{text}");
    servetel::color::plain(&text)
}

#[test]
fn init_re_asks_a_failing_prompt_asks_for_headers_and_refuses_a_taken_name() {
    let dir = tempfile::tempdir().unwrap();
    let flags = ["--trigger", "hangup", "--url", "https://crm.example/hook"];
    let first = common::servetel()
        .current_dir(dir.path())
        .args([&["init", "--name", "crm"][..], &flags].concat())
        .output()
        .unwrap();
    assert!(first.status.success(), "{}", common::stderr(&first));
    // Without a terminal a taken name is refused plainly, not as a broken file.
    let again = common::servetel()
        .current_dir(dir.path())
        .args([&["init", "--name", "crm"][..], &flags].concat())
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    let said = common::stderr(&again);
    assert!(
        said.contains("webhook `crm` is already in servetel.toml"),
        "{said}"
    );
    assert!(!said.contains("defined twice"), "{said}");

    let shown = init_on_a_terminal(
        dir.path(),
        &[
            "crm",        // taken: asked again
            "crm-missed", // name
            "",           // trigger: the first
            "",           // POST
            "",           // json
            "https://crm.example/missed",
            "no colon", // not a header: asked again
            "X-Api-Key: s3cret",
            "",                  // no more headers
            r#"{"id": "$uuid""#, // a typo in the template: asked again
            r#"{"id": "$uuid"}"#,
        ],
    );
    assert!(shown.contains("is already in servetel.toml"), "{shown}");
    assert!(shown.contains("expected 'NAME: VALUE'"), "{shown}");
    assert!(shown.contains("the template is not valid JSON"), "{shown}");
    let config = std::fs::read_to_string(dir.path().join("servetel.toml")).unwrap();
    assert!(config.contains(r#"name = "crm-missed""#), "{config}");
    assert!(
        config.contains(r#"headers = { "X-Api-Key" = "s3cret" }"#),
        "{config}"
    );
    assert!(
        config.contains(r#"template = '''{"id": "$uuid"}'''"#),
        "{config}"
    );
    assert_eq!(config.matches("\nname = ").count(), 2, "{config}");
}
