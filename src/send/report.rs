//! What `fire` and `replay` print: a line (or a JSON object) per event on stdout, `--dry-run`'s
//! exact requests, progress and the summary on stderr. Output is buffered and flushed when the
//! senders pause, never written per field.

use std::io::{self, IsTerminal, Write};
use std::time::{Duration, Instant};

use colored::Colorize;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Format, Message, Request, Sent, Summary, title_case};
use crate::redact;

/// The start of a response body on one line: at most 100 characters, whitespace collapsed.
pub fn excerpt(body: &[u8]) -> String {
    let head = &body[..body.len().min(400)];
    let text = String::from_utf8_lossy(head);
    let mut out = String::new();
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() > 100 {
            break;
        }
    }
    if out.chars().count() > 100 || body.len() > head.len() {
        let cut: String = out.chars().take(100).collect();
        out = format!("{}…", cut.trim_end());
    }
    out
}

/// `1 s`, `0.25 s`, `10 s`.
pub fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{} s", (s * 1000.0).round() / 1000.0)
    }
}

/// `0.42 ms`, `3.1 ms`, `1.20 s`.
pub fn latency(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

/// `1 min 12 s`, `45 s`.
fn wait_text(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0 => format!("{} ms", d.as_millis()),
        1..60 => format!("{s} s"),
        _ if s % 60 == 0 => format!("{} min", s / 60),
        _ => format!("{} min {} s", s / 60, s % 60),
    }
}

/// One event for people: number, status, latency, method, trigger, call, response excerpt or error.
pub fn event_pretty(o: &Sent) -> String {
    let status = match o.answer.status {
        Some(s) if o.answer.is_success() => s.to_string().green().bold(),
        Some(s) => s.to_string().yellow().bold(),
        None => "ERR".red().bold(),
    };
    let call = o
        .call_id
        .as_deref()
        .map(|c| format!("  call {c}"))
        .unwrap_or_default();
    let tail = match &o.answer.error {
        Some(e) => e.red().to_string(),
        None => o.answer.excerpt.dimmed().to_string(),
    };
    format!(
        "{:>5}  {status}  {:>9}  {:<5} {:<26}{}  {tail}",
        format!("#{}", o.seq),
        latency(o.answer.elapsed),
        o.method.as_str(),
        o.trigger.unwrap_or("-"),
        call.dimmed()
    )
}

fn json_string(out: &mut dyn Write, s: &str) -> io::Result<()> {
    serde_json::to_writer(out, s).map_err(io::Error::from)
}

fn json_opt(out: &mut dyn Write, s: Option<&str>) -> io::Result<()> {
    match s {
        Some(s) => json_string(out, s),
        None => out.write_all(b"null"),
    }
}

/// One event as `--format json`'s object (plus the response excerpt), written field by field.
pub fn event_json(out: &mut dyn Write, o: &Sent) -> io::Result<()> {
    let answer = &o.answer;
    write!(out, "{{\"seq\":{},\"trigger\":", o.seq)?;
    json_opt(out, o.trigger)?;
    out.write_all(b",\"call_id\":")?;
    json_opt(out, o.call_id.as_deref())?;
    out.write_all(b",\"method\":")?;
    json_string(out, o.method.as_str())?;
    out.write_all(b",\"url\":")?;
    json_string(out, &redact::url(&answer.url))?;
    match answer.status {
        Some(s) => write!(out, ",\"status\":{s}")?,
        None => out.write_all(b",\"status\":null")?,
    }
    let ms = (answer.elapsed.as_micros() as f64 / 10.0).round() / 100.0;
    write!(out, ",\"elapsed_ms\":{ms},\"error\":")?;
    json_opt(out, answer.error.as_deref())?;
    out.write_all(b",\"response\":")?;
    json_opt(out, answer.status.map(|_| answer.excerpt.as_str()))?;
    out.write_all(b"}\n")
}

/// The headers as they go out, secrets masked.
fn shown_headers(r: &Request) -> Vec<(String, String)> {
    r.headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes());
            (
                title_case(name.as_str()),
                redact::header(name.as_str(), &value),
            )
        })
        .collect()
}

/// `--dry-run`: the exact request, as an HTTP message (secrets masked, in headers and URL).
pub fn dry_run_text(r: &Request) -> String {
    let mut out = format!("# {}", r.seq);
    if let Some(t) = r.trigger {
        out.push_str(&format!(" {t}"));
    }
    if let Some(c) = &r.call_id {
        out.push_str(&format!(", call_id {c}"));
    }
    if !r.wait.is_zero() {
        out.push_str(&format!(
            " (sent {} after the previous event)",
            wait_text(r.wait)
        ));
    }
    out = out.dimmed().to_string();
    out.push_str(&format!(
        "\n{} {}\n",
        r.method.as_str().bold(),
        redact::url(&r.url)
    ));
    for (name, value) in shown_headers(r) {
        out.push_str(&format!("{}: {value}\n", name.cyan()));
    }
    out.push('\n');
    if !r.body.is_empty() {
        out.push_str(&String::from_utf8_lossy(&r.body));
        out.push('\n');
    }
    out
}

/// `--dry-run --format json`: one object per request.
pub fn dry_run_json(out: &mut dyn Write, r: &Request) -> io::Result<()> {
    let headers: Vec<[String; 2]> = shown_headers(r)
        .into_iter()
        .map(|(name, value)| [name, value])
        .collect();
    let mut object = serde_json::json!({
        "seq": r.seq,
        "trigger": r.trigger,
        "call_id": r.call_id,
        "method": r.method.as_str(),
        "url": redact::url(&r.url),
        "headers": headers,
        "wait_ms": r.wait.as_millis() as u64,
    });
    match std::str::from_utf8(&r.body) {
        Ok(text) => object["body"] = text.into(),
        Err(_) => {
            use base64::Engine;
            object["body_base64"] = base64::engine::general_purpose::STANDARD
                .encode(&r.body)
                .into()
        }
    }
    serde_json::to_writer(&mut *out, &object)?;
    out.write_all(b"\n")
}

/// A rate with the digits that matter: `8,562/s` → `8562/s`, `4.5/s`, `0.53/s`, `3.2/min`.
pub fn rate_text(per_second: f64) -> String {
    if per_second >= 100.0 {
        format!("{per_second:.0}/s")
    } else if per_second >= 0.5 {
        format!("{}/s", (per_second * 10.0).round() / 10.0)
    } else {
        format!("{}/min", (per_second * 600.0).round() / 10.0)
    }
}

/// The closing line on stderr.
pub fn summary_line(s: &Summary, wall: Duration) -> String {
    // One event has no rate; a run shorter than a millisecond has no meaningful one.
    let rate = if s.sent > 1 && wall >= Duration::from_millis(1) {
        format!(" ({})", rate_text(s.sent as f64 / wall.as_secs_f64()))
    } else {
        String::new()
    };
    let red_if = |n: u64, text: String| {
        if n > 0 {
            console::style(text).red().bold().for_stderr().to_string()
        } else {
            text
        }
    };
    let mut line = format!(
        "sent {} event{} in {}{rate}: {}, {}, {}, {}",
        s.sent,
        if s.sent == 1 { "" } else { "s" },
        latency(wall),
        console::style(format!("{} 2xx", s.ok)).green().for_stderr(),
        red_if(s.non_2xx, format!("{} non-2xx", s.non_2xx)),
        red_if(
            s.transport,
            format!(
                "{} transport error{}",
                s.transport,
                if s.transport == 1 { "" } else { "s" }
            )
        ),
        red_if(s.over_10s, format!("{} over 10 s", s.over_10s)),
    );
    if s.skipped > 0 {
        line.push_str(&format!(
            ", {}",
            red_if(s.skipped, format!("{} skipped", s.skipped))
        ));
    }
    if let (Some(p50), Some(p99)) = (s.percentile(50.0), s.percentile(99.0)) {
        line.push_str(&format!(
            "; latency p50 {}, p99 {}",
            latency(p50),
            latency(p99)
        ));
    }
    line
}

/// `#4 hangup in 1 min 12 s`, counting down on stderr until the event goes; erased then.
struct Countdown {
    bar: ProgressBar,
    what: String,
    until: Instant,
}

impl Countdown {
    fn start(what: String, wait: Duration) -> Countdown {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
            .with_style(ProgressStyle::with_template("{msg}").expect("a valid template"));
        let countdown = Countdown {
            bar,
            what,
            until: Instant::now() + wait,
        };
        countdown.tick();
        countdown
    }

    fn tick(&self) {
        let left = self.until.saturating_duration_since(Instant::now());
        // Whole seconds, rounded up: the count never shows 0 s while waiting.
        let left = Duration::from_secs(left.as_secs() + u64::from(left.subsec_nanos() > 0));
        self.bar.set_message(format!(
            "servetel: {} in {} (the call's own timing; Ctrl-C stops)",
            self.what,
            wait_text(left)
        ));
    }
}

/// Prints the messages of a run as they come, and keeps the summary.
pub struct Printer<'w> {
    format: Format,
    out: &'w mut dyn Write,
    quiet: bool,
    progress: Option<ProgressBar>,
    /// What comes next of a scenario at its real pace, and when (a terminal only).
    countdown: Option<Countdown>,
    stdout_terminal: bool,
    dirty: bool,
    last_flush: Instant,
    started: Instant,
    pub summary: Summary,
    /// The first write error (a closed pipe ends the run quietly).
    pub error: Option<io::Error>,
}

impl<'w> Printer<'w> {
    /// `total`: how many events are coming, when known (for the progress bar).
    pub fn new(
        format: Format,
        out: &'w mut dyn Write,
        quiet: bool,
        total: Option<u64>,
    ) -> Printer<'w> {
        let stderr_terminal = io::stderr().is_terminal();
        let progress = match total {
            _ if quiet || !stderr_terminal => None,
            Some(n) if n >= 50 => Some(
                ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()).with_style(
                    ProgressStyle::with_template(
                        "{bar:30} {pos}/{len} events, {per_sec}, {eta} left",
                    )
                    .expect("a valid template"),
                ),
            ),
            Some(_) => None,
            None => Some(
                ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
                    ProgressStyle::with_template("{spinner} {pos} events, {per_sec}")
                        .expect("a valid template"),
                ),
            ),
        };
        Printer {
            format,
            out,
            quiet,
            progress,
            countdown: None,
            stdout_terminal: io::stdout().is_terminal(),
            dirty: false,
            last_flush: Instant::now(),
            started: Instant::now(),
            summary: Summary::default(),
            error: None,
        }
    }

    /// A line on stderr that does not tear the progress bar.
    pub fn note(&self, text: &str) {
        if self.quiet {
            return;
        }
        match &self.progress {
            Some(bar) => bar.suspend(|| crate::say!("{text}")),
            None => crate::say!("{text}"),
        }
    }

    /// Handles one message; false once stdout is closed.
    pub fn handle(&mut self, message: Message) -> bool {
        match message {
            Message::Sent(sent) => {
                if let Some(countdown) = self.countdown.take() {
                    countdown.bar.finish_and_clear();
                }
                self.summary.add(&sent.answer);
                if let Some(bar) = &self.progress {
                    bar.inc(1);
                }
                let result = match self.format {
                    Format::Json => event_json(self.out, &sent),
                    Format::Pretty => {
                        let line = event_pretty(&sent);
                        match (&self.progress, self.stdout_terminal) {
                            (Some(bar), true) => {
                                let out = &mut self.out;
                                bar.suspend(|| writeln!(out, "{line}").and_then(|()| out.flush()))
                            }
                            _ => writeln!(self.out, "{line}"),
                        }
                    }
                };
                self.dirty = true;
                if self.stdout_terminal {
                    self.flush();
                }
                self.check(result)
            }
            Message::Waiting { seq, trigger, wait } => {
                self.flush();
                // The default pace waits at most 1 s: only longer waits are worth a word.
                if wait > Duration::from_secs(1) && !self.quiet {
                    let what = format!("#{seq} {}", trigger.unwrap_or("next event"));
                    if self.progress.is_none() && io::stderr().is_terminal() {
                        self.countdown = Some(Countdown::start(what, wait));
                    } else {
                        self.note(&format!(
                            "servetel: {what} in {} (the call's own timing; --speed 10 or --speed max to go faster)",
                            wait_text(wait)
                        ));
                    }
                }
                self.error.is_none()
            }
            Message::Skipped(skip) => {
                self.summary.skipped += 1;
                self.note(&format!("servetel: {}: {}", skip.what, skip.reason.red()));
                true
            }
            Message::Note(text) => {
                self.note(&text);
                true
            }
            Message::Idle => {
                if let Some(countdown) = &self.countdown {
                    countdown.tick();
                }
                if self.dirty && self.last_flush.elapsed() >= Duration::from_millis(50) {
                    self.flush();
                }
                self.error.is_none()
            }
        }
    }

    fn check(&mut self, result: io::Result<()>) -> bool {
        if let Err(e) = result {
            self.error.get_or_insert(e);
        }
        self.error.is_none()
    }

    fn flush(&mut self) {
        if self.dirty {
            let result = self.out.flush();
            self.dirty = false;
            self.last_flush = Instant::now();
            self.check(result);
        }
    }

    /// Ends the run: clears the bar, flushes, prints the summary; returns it.
    pub fn finish(mut self) -> anyhow::Result<Summary> {
        if let Some(countdown) = self.countdown.take() {
            countdown.bar.finish_and_clear();
        }
        if let Some(bar) = self.progress.take() {
            bar.finish_and_clear();
        }
        self.dirty = true;
        self.flush();
        let wall = self.started.elapsed();
        if let Some(e) = self.error.take() {
            return Err(e.into());
        }
        if !self.quiet {
            crate::say!("{}", summary_line(&self.summary, wall));
        }
        Ok(self.summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;
    use reqwest::header::HeaderMap;

    fn sent(status: Option<u16>) -> Sent {
        Sent {
            seq: 1,
            trigger: Some("hangup"),
            call_id: Some("1775719461.306731".into()),
            method: Method::POST,
            answer: crate::send::Answer {
                url: "http://127.0.0.1:9/hook".into(),
                status,
                elapsed: Duration::from_micros(3_240),
                error: status
                    .is_none()
                    .then(|| "cannot connect: refused".to_string()),
                excerpt: "{\"ok\":true}".into(),
                content_type: None,
                body: Vec::new(),
            },
        }
    }

    #[test]
    fn json_events_are_the_spec_objects() {
        let mut out = Vec::new();
        event_json(&mut out, &sent(Some(200))).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"seq": 1, "trigger": "hangup", "call_id": "1775719461.306731",
                "method": "POST", "url": "http://127.0.0.1:9/hook", "status": 200,
                "elapsed_ms": 3.24, "error": null, "response": "{\"ok\":true}"})
        );
        let mut out = Vec::new();
        event_json(&mut out, &sent(None)).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["status"], serde_json::Value::Null);
        assert_eq!(v["error"], "cannot connect: refused");
        assert!(out.ends_with(b"}\n"));
    }

    #[test]
    fn pretty_lines_name_status_latency_and_response() {
        colored::control::set_override(false);
        let line = event_pretty(&sent(Some(503)));
        assert!(line.contains("503"), "{line}");
        assert!(line.contains("3.2 ms"), "{line}");
        assert!(line.contains("hangup"), "{line}");
        assert!(line.contains("{\"ok\":true}"), "{line}");
        assert!(event_pretty(&sent(None)).contains("ERR"));
    }

    #[test]
    fn excerpts_are_one_short_line() {
        assert_eq!(excerpt(b"{\n  \"ok\": true\n}\n"), "{ \"ok\": true }");
        let long = "x".repeat(500);
        let e = excerpt(long.as_bytes());
        assert_eq!(e.chars().count(), 101);
        assert!(e.ends_with('…'));
        assert_eq!(excerpt(b""), "");
    }

    #[test]
    fn dry_runs_mask_secrets() {
        colored::control::set_override(false);
        let mut headers = HeaderMap::new();
        headers.insert("x-api-key", "s3cret".parse().unwrap());
        headers.insert("content-type", "application/json".parse().unwrap());
        let r = Request {
            seq: 2,
            trigger: Some("missed"),
            call_id: None,
            method: Method::POST,
            url: "http://h/".into(),
            headers,
            body: b"{}".to_vec(),
            wait: Duration::ZERO,
            note: None,
        };
        let text = dry_run_text(&r);
        assert!(text.contains("X-Api-Key: ****"), "{text}");
        assert!(text.contains("Content-Type: application/json"), "{text}");
        assert!(!text.contains("s3cret"));
        let mut out = Vec::new();
        dry_run_json(&mut out, &r).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["body"], "{}");
        assert_eq!(v["headers"][0], serde_json::json!(["X-Api-Key", "****"]));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(seconds(Duration::from_secs(10)), "10 s");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(latency(Duration::from_micros(3_140)), "3.1 ms");
        assert_eq!(latency(Duration::from_millis(1_200)), "1.20 s");
        assert_eq!(latency(Duration::from_micros(420)), "0.42 ms");
        assert_eq!(wait_text(Duration::from_secs(72)), "1 min 12 s");
        assert_eq!(rate_text(8_562.435_6), "8562/s");
        assert_eq!(rate_text(4.54), "4.5/s");
        assert_eq!(
            rate_text(5.0 / 564.0),
            "0.5/min",
            "a scenario at its real pace"
        );
        assert_eq!(rate_text(2.0), "2/s");
    }
}
