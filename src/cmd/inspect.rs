//! `servetel inspect PATH…`: the inspector's page over saved captures, offline (the records
//! read as `calls` and `replay` read them); and the start of it for `listen --inspect`.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::{Value, json};

use crate::cli::{Global, InspectArgs};
use servetel::input::{self, Classified, Item};
use servetel::inspect::{self, Hub, Settings};
use servetel::send::Target;

pub fn run(args: &InspectArgs, global: &Global) -> anyhow::Result<u8> {
    let hub = Arc::new(Hub::new());
    let (files, missing) = input::files(&args.paths);
    let mut unreadable = false;
    for err in missing {
        servetel::say!("servetel: error: {err:#}");
        unreadable = true;
    }
    let (mut read, mut skipped) = (0, 0);
    input::read_paths(
        &files,
        &mut |item: Item| {
            let place = item.origin.place();
            match record_line(item) {
                Ok(line) => {
                    hub.publish(line.as_bytes());
                    read += 1;
                }
                Err(why) => {
                    servetel::say!("servetel: {place}: skipped: {why}");
                    skipped += 1;
                }
            }
            true
        },
        &mut |err| {
            servetel::say!("servetel: error: {err:#}");
            unreadable = true;
        },
    );
    if unreadable {
        return Ok(servetel::exit::USAGE);
    }
    if read == 0 {
        servetel::say!("servetel: no record or payload found in the input");
        return Ok(servetel::exit::USAGE);
    }
    let addr = format!("{}:{}", args.host, args.port);
    let hub = start_with(hub, &addr, args.to.as_deref(), false, global)?;
    if !global.quiet {
        let skipped = match skipped {
            0 => String::new(),
            n => format!(" ({n} skipped)"),
        };
        servetel::say!("{read} records{skipped}; Ctrl-C stops");
    }
    drop(hub);
    let interrupt = super::catch_ctrl_c()?;
    while !interrupt.load(Ordering::SeqCst) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Ok(servetel::exit::SUCCESS)
}

/// For `listen --inspect ADDR`: an empty hub, its page served, the URL printed.
pub fn start(
    addr: &str,
    forward: Option<&str>,
    live: bool,
    global: &Global,
) -> anyhow::Result<Arc<Hub>> {
    start_with(Arc::new(Hub::new()), addr, forward, live, global)
}

fn start_with(
    hub: Arc<Hub>,
    addr: &str,
    to: Option<&str>,
    live: bool,
    global: &Global,
) -> anyhow::Result<Arc<Hub>> {
    let default_to = to.map(|u| Target::parse_flag("--to", u)).transpose()?;
    let running = inspect::start(
        Settings {
            addr: addr.to_string(),
            default_to,
            live,
        },
        hub.clone(),
    )?;
    // Printed even with -q: scripts and tests read the port and token from it.
    servetel::say!("inspecting on {}", running.url);
    if !running.loopback && !global.quiet {
        servetel::say!(
            "servetel: warning: the inspector is bound to {}, not loopback: anyone who can reach \
             it and has the token can read the captures and replay them",
            running.addr
        );
    }
    Ok(hub)
}

/// An input item as the hub keeps it: a capture record as read, a bare payload as a record of
/// a POST that carried it (checked here, as `calls` checks one).
fn record_line(item: Item) -> Result<String, String> {
    if let input::Content::JsonText(text) = &item.content {
        if text.starts_with('{') && text.contains("\"method\"") {
            if let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) {
                if input::is_capture_record(&map) {
                    return Ok(text.clone());
                }
            }
        }
    }
    let (payload, body, content_type) = match item.classify()? {
        Classified::Record(record) => {
            // Read whole from a file or an array: kept as the record it is.
            let request = record.request;
            let payload = record.payload.ok();
            let verdict = payload
                .as_ref()
                .map(|p| servetel::validate::validate(p, record.trigger).to_json());
            let body = request
                .body
                .as_deref()
                .map(|b| String::from_utf8_lossy(b).into_owned());
            return Ok(json!({
                "seq": request.seq,
                "method": request.method,
                "path": request.path,
                "query": request.query,
                "headers": request.headers,
                "body": body,
                "payload": payload,
                "trigger": record.trigger.map(|t| t.id),
                "verdict": verdict,
            })
            .to_string());
        }
        Classified::BareJson(map, raw) => {
            let body = match raw {
                Some(raw) => String::from_utf8_lossy(&raw).into_owned(),
                None => Value::Object(map.clone()).to_string(),
            };
            (map, body, "application/json")
        }
        Classified::BareForm(map, text) => (
            map,
            String::from_utf8_lossy(&text).into_owned(),
            "application/x-www-form-urlencoded",
        ),
    };
    let verdict = servetel::validate::validate(&payload, None);
    Ok(json!({
        "method": "POST",
        "path": "/",
        "query": "",
        "headers": [["Content-Type", content_type]],
        "body": body,
        "payload": payload,
        "trigger": verdict.trigger,
        "verdict": verdict.to_json(),
    })
    .to_string())
}
