//! The command line, as clap types only: completions and help tests build `Cli::command()`
//! without the rest of the program. Nothing here names the library beyond its leaf modules
//! (`units`, `timestamp`, `exit`); `cmd/` turns these types into the library's own.

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

#[derive(Debug, Parser)]
#[command(
    name = "servetel",
    version,
    about = "Receive, check, fire and replay Servetel call webhooks, offline",
    long_about = "Receive, check, fire and replay Servetel call webhooks, offline.\n\n\
        servetel knows the 11 webhook triggers of Servetel (and of Tata Tele Business Smartflo \
        and Acefone, which share the engine) as they really arrive: numbers as strings, \"\" for \
        absent, literal $placeholders, the \"customer_no_with_prefix \" key.",
    after_help = servetel::exit::TABLE,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// When to color the output
    #[arg(long, value_enum, default_value_t, global = true, value_name = "WHEN")]
    pub color: ColorWhen,
    /// Print only data and errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more about what is done
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the webhook triggers
    Triggers(TriggersArgs),
    /// Show a trigger's variables, or export its JSON Schema
    Schema(SchemaArgs),
    /// Print one realistic synthesized payload for a trigger
    Sample(SampleArgs),
    /// Check saved payloads and capture records against the trigger rules
    Validate(ValidateArgs),
    /// Receive callbacks locally: print them in telephony terms, check them, save them
    Listen(ListenArgs),
    /// Send realistic synthesized callbacks (single events, bursts or whole calls) to a URL
    Fire(FireArgs),
    /// Re-send captured callbacks to a URL, byte-exact or edited
    Replay(ReplayArgs),
    /// Show captured callbacks as calls, with what their delivery went through
    Calls(CallsArgs),
    /// Prove a receiver: send every shape of callback the platform can and judge the answers
    Test(TestArgs),
    /// Serve a local web page of saved captures: calls, findings, replay and edit-and-replay
    Inspect(InspectArgs),
    /// Write a webhook config (servetel.toml) that mirrors a portal entry
    Init(InitArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
}

/// `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Color when writing to a terminal and NO_COLOR is unset or empty.
    #[default]
    Auto,
    Always,
    Never,
}

/// `triggers --format`, `validate --format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
}

/// `listen --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListenFormat {
    /// The call in telephony terms, findings, the payload as colored JSON
    Pretty,
    /// One capture record per line, nothing else
    Json,
    /// One line per request (time, method, path, trigger, verdict, the call, status)
    Line,
}

/// `fire --format`, `replay --format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum SendFormat {
    /// A line per event for people (status, latency, response excerpt); the summary on stderr.
    #[default]
    Pretty,
    /// One JSON object per event on stdout, and nothing else.
    Json,
}

/// `--encoding`: how a payload travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Encoding {
    /// POST, `Content-Type: application/json`.
    Json,
    /// POST, `Content-Type: application/x-www-form-urlencoded`.
    Form,
    /// GET, every key in the query string.
    Query,
}

/// `--form-style`: how a form body or GET query writes nested values (agent objects, call_flow).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormStyle {
    /// JSON text, as one integrator shows the platform sending them
    Json,
    /// Go fmt.Sprint text, as the Go dispatcher prints it: map[id:0507… name:Asha],
    /// 1.775719462e+09, fields sorted
    Go,
}

/// `init --content-type`: the portal's body type of a POST webhook.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ContentType {
    Json,
    Form,
}

/// `--profile`: which key set a payload carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Profile {
    /// The real default template: observed extras, its key order, its quirks
    /// (`"customer_no_with_prefix "`, literal `$placeholders`, mixed epoch types).
    Real,
    /// Only the variables Servetel's docs list for the trigger, in the docs' order.
    Docs,
}

/// `--outcome`: how the call ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CallOutcome {
    Answered,
    Missed,
}

#[derive(Debug, Args)]
pub struct TriggersArgs {
    /// Also list the six triggers only Smartflo and Acefone portals offer, with each trigger's
    /// platform
    #[arg(long)]
    pub all: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Trigger id, portal label or alias (see `servetel triggers`)
    pub trigger: String,
    /// Print a JSON Schema (draft 2020-12) of the default-template payload instead
    #[arg(long)]
    pub json_schema: bool,
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Trigger id, portal label or alias (see `servetel triggers`)
    pub trigger: String,
    /// Seed of the synthesis: the same seed gives the same payload [default: random]
    #[arg(long)]
    pub seed: Option<u64>,
    /// How the call ends (hangup family; live triggers pick the call's later fate)
    #[arg(long, value_enum)]
    pub outcome: Option<CallOutcome>,
    /// How the payload travels: JSON body, form body or GET query string
    #[arg(long, value_enum, default_value = "json")]
    pub encoding: Encoding,
    /// How form and query text writes nested values: JSON text, or Go fmt.Sprint text as the Go
    /// dispatcher sends it [default: json]
    #[arg(long, value_enum)]
    pub form_style: Option<FormStyle>,
    /// Which keys: the real default template (with its quirks) or the docs' variables only
    #[arg(long, value_enum, default_value = "real")]
    pub profile: Profile,
    /// Raw escape hatch: override one field after synthesis, nothing derived from it follows
    /// (use the call's flags below for that): KEY=VALUE, dotted paths (answered_agent.name=Asha),
    /// KEY= for "", KEY:=JSON for a raw JSON value
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    #[command(flatten)]
    pub call: CallArgs,
}

/// The call-level facts of `sample` and `fire`: synthesis draws the rest of the call and derives
/// every field from the whole (value parsers: `cmd/convert.rs`, from `synth::spec`).
#[derive(Debug, Default, Args)]
#[command(next_help_heading = "The call (every field that carries a fact follows it)")]
pub struct CallArgs {
    /// The customer's number, 6–15 digits with an optional + (caller_id_number or
    /// call_to_number by direction, "customer_no_with_prefix ")
    #[arg(long, value_name = "NUMBER")]
    pub caller: Option<String>,
    /// The tenant's number (DID) the call came in on or went out from
    #[arg(long, value_name = "NUMBER")]
    pub did: Option<String>,
    /// An agent the call rang, with their phone; repeat for agents tried first (they missed):
    /// the last one took an answered call [default: drawn]
    #[arg(long = "agent", value_name = "NAME[:NUMBER]")]
    pub agents: Vec<String>,
    /// Talk time (90s, 2m): billsec, bridged_duration, outbound_sec, duration and the end stamp
    /// follow; an answered call
    #[arg(long, value_name = "DURATION")]
    pub talk: Option<String>,
    /// How long the last agent dialed rang (agent_ring_time, the stamps after it)
    #[arg(long, value_name = "DURATION")]
    pub ring: Option<String>,
    /// When the call started: now, RFC 3339, or 2026-04-09 12:54:22 read as IST [default: the
    /// seed's date; fire without --seed: the first event happens now]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Which kind of call; dialer: a campaign call (`Dialer (outbound)`, or `Dialer (inbound)` on
    /// an inbound-only trigger) with the dialer's stamps, agent arrays and billsec ""
    #[arg(long, value_enum)]
    pub direction: Option<Direction>,
    /// A broadcast (dialer) call to a lead: broadcast_lead_fields and field_0…field_15 carry the
    /// lead, call_to_number is ""; implies --direction dialer
    #[arg(long)]
    pub broadcast: bool,
    /// The DTMF key pressed in the IVR (0–9, *, #)
    #[arg(long, value_name = "KEY")]
    pub digit: Option<String>,
    /// The Q.850 hangup cause: NORMAL_CLEARING, NO_ANSWER, USER_BUSY… or its code;
    /// hangup_cause_code, _description, hangup_cause and reason_key follow
    #[arg(long, value_name = "KEY")]
    pub hangup_cause: Option<String>,
}

/// `--direction`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Direction {
    /// A customer calls the tenant's number
    Inbound,
    /// An agent calls a customer
    Outbound,
    /// An outbound call placed with click-to-call: the agent's phone rings first
    ClickToCall,
    /// A dialer (campaign) call: the dialer's stamps, `Dialer (…)` direction, agent arrays
    Dialer,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files (read whatever their name), directories or - for standard input [default: -]. A
    /// directory is walked recursively for payload files: .json, .ndjson, .jsonl, .form, .query,
    /// and .txt holding form/query text (hidden files, README.md, notes.txt are skipped)
    #[arg(value_name = "PATH")]
    pub paths: Vec<std::path::PathBuf>,
    /// Check every payload against this trigger instead of the recorded or detected one
    #[arg(long, value_name = "ID", conflicts_with = "webhook")]
    pub trigger: Option<String>,
    /// Check every payload as this webhook of the config sends it (its trigger, its template)
    #[arg(long, value_name = "NAME")]
    pub webhook: Option<String>,
    /// Treat every warning as an error
    #[arg(long)]
    pub strict: bool,
    /// Output format: text for people (problems only; -v for all), json for one result per line
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Stop after this many invalid payloads
    #[arg(long, value_name = "N")]
    pub max_errors: Option<usize>,
    /// Exit 0 when no payload is found (by default that is exit 2: a wrong path is no green build)
    #[arg(long)]
    pub allow_empty: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 no call has a diagnostic, 1 some call has one (or --call found \
    none), 2 usage error or unreadable PATH."
)]
pub struct CallsArgs {
    /// Capture records (`listen --save`/`--save-dir`) or bare payloads: files, directories, or -
    /// for standard input
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<std::path::PathBuf>,
    /// Only the call with this call_id or uuid
    #[arg(long = "call", value_name = "ID")]
    pub call: Option<String>,
    /// Only the calls with a diagnostic (duplicate, order, incomplete, late, split, invalid)
    #[arg(long)]
    pub problems: bool,
    /// Only the calls with an event at or after TIME: 30m (ago), 2026-04-09 12:54:22 (IST) or
    /// RFC 3339; a call that began before TIME is shown whole
    #[arg(long, value_name = "TIME", value_parser = moment)]
    pub since: Option<i64>,
    /// Output format: text for people, json for one object per call
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Port to listen on (0 picks a free one; the `listening on` line tells which)
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to bind; anything but loopback must be asked for
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Append every capture record to this NDJSON file (flushed before the response)
    #[arg(long, value_name = "FILE.ndjson")]
    pub save: Option<std::path::PathBuf>,
    /// Write every capture record to its own file in this directory
    #[arg(long, value_name = "DIR")]
    pub save_dir: Option<std::path::PathBuf>,
    /// Check every request against this trigger
    #[arg(long, value_name = "ID")]
    pub trigger: Option<String>,
    /// Check requests to PATH against trigger ID (repeatable)
    #[arg(long = "route", value_name = "PATH=ID")]
    pub routes: Vec<String>,
    /// Route and check requests as this config webhook does (its URL path, its template)
    #[arg(long, value_name = "NAME")]
    pub webhook: Option<String>,
    /// Pass every request on, byte-exact, to your app at this URL (its path and query get the
    /// received ones appended) and answer with the app's answer (502 when it cannot be reached)
    #[arg(long, value_name = "URL", conflicts_with_all = ["status", "respond_body"])]
    pub forward: Option<String>,
    /// Status to answer with
    #[arg(long, default_value_t = 200, value_name = "CODE",
          value_parser = clap::value_parser!(u16).range(100..=599))]
    pub status: u16,
    /// Wait this long before answering (250ms, 2s); 10 s or more is past Servetel's timeout
    #[arg(long, value_name = "DURATION", value_parser = servetel::units::duration)]
    pub delay: Option<std::time::Duration>,
    /// Body to answer with: TEXT, or @FILE
    #[arg(long, value_name = "TEXT|@FILE")]
    pub respond_body: Option<String>,
    /// Answer 401 (and record the request as rejected) unless it carries this header
    #[arg(long, value_name = "NAME: VALUE")]
    pub require_header: Option<String>,
    /// Largest body accepted; larger ones are answered 413 without being buffered
    #[arg(long, default_value = "1MiB", value_name = "SIZE", value_parser = servetel::units::size)]
    pub max_body: usize,
    /// Print the request headers too
    #[arg(long)]
    pub headers: bool,
    /// pretty: the call in telephony terms (-q: its first two lines); json: one capture record
    /// per line; line: one line per request
    #[arg(long, value_enum, default_value = "pretty")]
    pub format: ListenFormat,
    /// Mask phone numbers, names and recording tokens in what is printed (not in what is saved)
    #[arg(long)]
    pub redact: bool,
    /// Mask them in the saved records too: the payload, the body or query re-encoded from it,
    /// credentials in headers (an undecodable body is left out); such records no longer replay
    /// byte-exact
    #[arg(long)]
    pub redact_saved: bool,
    /// Exit after N requests (0 if all were valid and none rejected, 1 if not)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Exit after this long (exit 4 if --count requests had not arrived)
    #[arg(long, value_name = "DURATION", value_parser = servetel::units::timeout)]
    pub timeout: Option<std::time::Duration>,
    /// Also serve a web page of everything received at ADDR [default: 127.0.0.1:4040]; open
    /// the printed `inspecting on` URL (it carries the page's token)
    #[arg(long, value_name = "ADDR", num_args = 0..=1, default_missing_value = "127.0.0.1:4040")]
    pub inspect: Option<String>,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Capture records (`listen --save`/`--save-dir`) or bare payloads: files, directories, or -
    /// for standard input
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<std::path::PathBuf>,
    /// Port to serve the page on (0 picks a free one; the `inspecting on` line tells which)
    #[arg(long, default_value_t = 4040)]
    pub port: u16,
    /// Address to bind; anything but loopback must be asked for (and is warned about)
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Where the page's replays go unless it names a URL: your app
    #[arg(long, value_name = "URL")]
    pub to: Option<String>,
}

/// Where and how `fire` and `replay` send.
#[derive(Debug, Args)]
pub struct SendArgs {
    /// Where to send: an http:// or https:// URL
    #[arg(long, value_name = "URL")]
    pub to: Option<String>,
    /// At most this many events per second, all connections together (50, 50/s, 600/m)
    #[arg(long, value_name = "R/s", value_parser = parse_rate)]
    pub rate: Option<f64>,
    /// Requests in flight at once (each on its own kept-alive connection)
    #[arg(long, short = 'c', default_value_t = 1, value_name = "C",
          value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub concurrency: u16,
    /// Give up on a request after this long (Servetel gives a receiver 10 s)
    #[arg(long, default_value = "10s", value_name = "DURATION", value_parser = servetel::units::timeout)]
    pub timeout: std::time::Duration,
    /// Send this header too ('NAME: VALUE'), repeatable; secrets are masked in what is printed
    #[arg(long = "header", short = 'H', value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// Print the exact requests (method, URL, headers, body) and send nothing
    #[arg(long)]
    pub dry_run: bool,
    /// pretty: a line per event, a summary on stderr; json: one object per event on stdout
    #[arg(long, value_enum, default_value_t)]
    pub format: SendFormat,
    /// Do not verify the target's TLS certificate
    #[arg(long)]
    pub insecure: bool,
    /// Also trust the CA certificates of this PEM file
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 every event answered 2xx (or `Send it?` declined: nothing \
    sent), 1 some answered otherwise, 2 usage error (nothing sent), 3 a transport failure \
    (connect, TLS, timeout), 130 interrupted (Ctrl-C, SIGTERM) before every event was sent."
)]
pub struct FireArgs {
    /// Trigger id, portal label or alias (see `servetel triggers`); asked for on a terminal
    #[arg(conflicts_with_all = ["scenario", "list_scenarios"])]
    pub trigger: Option<String>,
    /// Send a whole call: its callbacks in order, sharing uuid and call_id (see --list-scenarios)
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// List the scenarios and exit
    #[arg(long)]
    pub list_scenarios: bool,
    /// Send as this config webhook does: its trigger, method, content type, URL, headers, template
    #[arg(long, value_name = "NAME", conflicts_with_all = ["scenario", "method", "encoding"])]
    pub webhook: Option<String>,
    /// POST sends a body; GET sends the payload in the query string
    #[arg(long, value_enum, ignore_case = true)]
    pub method: Option<Method>,
    /// How the payload travels: json (POST body), form (POST body, nested values as --form-style
    /// says) or query (GET query string) [default: json; query with --method GET]
    #[arg(long, value_enum)]
    pub encoding: Option<Encoding>,
    /// How form and GET requests write nested values: JSON text, or Go fmt.Sprint text as the Go
    /// dispatcher sends it [default: json]
    #[arg(long, value_enum)]
    pub form_style: Option<FormStyle>,
    /// Raw escape hatch: override one field after synthesis, nothing derived from it follows
    /// (use the call's flags below for that; a contradiction is shown before sending):
    /// KEY=VALUE, dotted paths (answered_agent.name=Asha), KEY= for "", KEY:=JSON for raw JSON
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Same seed, same calls (ids and dates as `sample --seed` shows) [default: random, calls
    /// happen now]
    #[arg(long)]
    pub seed: Option<u64>,
    /// How the call ends (hangup family; live triggers pick the call's later fate)
    #[arg(long, value_enum, conflicts_with = "scenario")]
    pub outcome: Option<CallOutcome>,
    /// Which keys: the real default template (with its quirks) or the docs' variables only
    #[arg(long, value_enum, default_value = "real")]
    pub profile: Profile,
    /// How many calls to fire, each a distinct call (its own uuid and call_id)
    #[arg(long, short = 'n', default_value_t = 1, value_name = "N", value_parser = parse_count)]
    pub count: u64,
    /// Scenario pace: real is the call's own timing, 10 ten times faster, max no waiting
    /// [default: the call's gaps, each shortened to at most 1 s; the stamps keep the call's time]
    #[arg(long, value_name = "real|FACTOR|max", value_parser = parse_speed)]
    pub speed: Option<Speed>,
    /// Do not ask before firing more than 100 events at a host other than this machine
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub send: SendArgs,
    // Last: its help heading would otherwise hold the flags after it.
    #[command(flatten)]
    pub call: CallArgs,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 every event answered 2xx, 1 some answered otherwise (or a \
    record could not be re-sent, or --filter matched nothing), 2 usage error or unreadable PATH \
    (nothing sent), 3 a transport failure (connect, TLS, timeout), 130 interrupted (Ctrl-C, \
    SIGTERM) before every record was sent."
)]
pub struct ReplayArgs {
    /// Capture records (`listen --save`/`--save-dir`) or bare payloads: files, directories, or -
    /// for standard input
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<std::path::PathBuf>,
    /// Only the matching ones: trigger=ID, call_id=X, seq=N..M (repeatable: every key given must
    /// match, by any of its values)
    #[arg(long = "filter", value_name = "KEY=VALUE")]
    pub filters: Vec<String>,
    /// Edit the payload before sending (re-encoded the way it arrived, then validated): KEY=VALUE,
    /// dotted paths, KEY= for "", KEY:=JSON
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Move every stamp so the first call starts at this moment (now, or RFC 3339), intervals kept
    #[arg(long, value_name = "now|RFC3339", value_parser = parse_rebase)]
    pub rebase_time: Option<i64>,
    /// Give every call a fresh uuid and call_id (its callbacks keep sharing them)
    #[arg(long)]
    pub new_ids: bool,
    /// Send to the recorded path (under the target's path) instead of the target's path
    #[arg(long)]
    pub keep_path: bool,
    /// Exit 0 when no record is found (by default that is exit 2: a wrong path sends nothing)
    #[arg(long)]
    pub allow_empty: bool,
    #[command(flatten)]
    pub send: SendArgs,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 every case passed, 1 some case failed, 2 usage error (nothing \
    sent), 3 the endpoint cannot be reached at all, 130 interrupted (Ctrl-C, SIGTERM) before \
    every case ran."
)]
pub struct TestArgs {
    /// The receiver to prove: an http:// or https:// URL
    #[arg(long, value_name = "URL")]
    pub to: Option<String>,
    /// Test as these config webhooks send (method, content type, template, headers, URL);
    /// repeatable; `all` for every webhook of servetel.toml
    #[arg(long = "webhook", value_name = "NAME", conflicts_with = "encoding")]
    pub webhooks: Vec<String>,
    /// Only these triggers (id, portal label or alias), repeatable [default: all 11]
    #[arg(long = "trigger", value_name = "ID")]
    pub triggers: Vec<String>,
    /// How the payloads travel [default: all three; a webhook's own with --webhook]
    #[arg(long, value_enum)]
    pub encoding: Option<TestEncoding>,
    /// How the form and GET cases write nested values: JSON text, or Go fmt.Sprint text as the Go
    /// dispatcher sends it [default: json]
    #[arg(long, value_enum)]
    pub form_style: Option<FormStyle>,
    /// Only the cases whose id matches this glob (`hangup/*`, `*/form/*`), repeatable
    #[arg(long = "only", value_name = "PATTERN")]
    pub only: Vec<String>,
    /// Same seed, same payloads [default: random, printed]
    #[arg(long)]
    pub seed: Option<u64>,
    /// A request passes with a 2xx within this long (Servetel gives a receiver 10 s)
    #[arg(long, default_value = "10s", value_name = "DURATION", value_parser = servetel::units::timeout)]
    pub budget: std::time::Duration,
    /// Run this shell command after each case; it must exit 0 (SERVETEL_CASE, SERVETEL_TRIGGER,
    /// SERVETEL_CALL_ID, SERVETEL_UUID and SERVETEL_PAYLOAD, an NDJSON file of the payloads sent,
    /// are in its environment)
    #[arg(long, value_name = "CMD")]
    pub check: Option<String>,
    /// Also write a JUnit XML report to FILE
    #[arg(long, value_name = "FILE")]
    pub junit: Option<std::path::PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: TestFormat,
    /// The burst case's requests in flight at once
    #[arg(long, short = 'c', default_value_t = 8, value_name = "C",
          value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub concurrency: u16,
    /// Send this header too ('NAME: VALUE'), repeatable; secrets are masked in what is printed
    #[arg(long = "header", short = 'H', value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// List the cases (with --format json: as JSON) and send nothing
    #[arg(long)]
    pub list: bool,
    /// Do not verify the target's TLS certificate
    #[arg(long)]
    pub insecure: bool,
    /// Also trust the CA certificates of this PEM file
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<std::path::PathBuf>,
}

/// `test --format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// A line per case grouped by trigger, then each failure explained; the summary on stderr.
    #[default]
    Pretty,
    /// One JSON object per case on stdout, and nothing else.
    Json,
}

/// `test --encoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TestEncoding {
    Json,
    Form,
    Query,
    All,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The webhook's name, as on the portal
    #[arg(long)]
    pub name: Option<String>,
    /// Trigger id, portal label or alias (see `servetel triggers`)
    #[arg(long)]
    pub trigger: Option<String>,
    /// How the portal sends it
    #[arg(long, value_enum, ignore_case = true)]
    pub method: Option<Method>,
    /// Body type of a POST webhook
    #[arg(long, value_enum)]
    pub content_type: Option<ContentType>,
    /// The URL the portal calls
    #[arg(long)]
    pub url: Option<String>,
    /// A static header the portal sends ('NAME: VALUE'), repeatable
    #[arg(long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// The body template: `default`, the template text ({"id": "$uuid"} or id=$uuid&…), or @FILE
    #[arg(long)]
    pub template: Option<String>,
    /// Where to write; an existing file gets the webhook appended
    #[arg(long, short, default_value = "servetel.toml")]
    pub output: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

/// `--rebase-time now|RFC3339` as an instant (epoch seconds).
pub fn parse_rebase(s: &str) -> Result<i64, String> {
    if s.trim().eq_ignore_ascii_case("now") {
        return Ok(servetel::timestamp::now());
    }
    servetel::timestamp::parse(s)
        .map(|stamp| stamp.epoch)
        .ok_or_else(|| {
            format!("expected now or an RFC 3339 time like 2026-04-09T12:54:22+05:30, found {s:?}")
        })
}

/// The `--method` of the portal's form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Method {
    #[value(name = "POST")]
    Post,
    #[value(name = "GET")]
    Get,
}

/// `--speed`: how a scenario's gaps are played.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// The call's own pace divided by this factor (1 = real time).
    Factor(f64),
    /// No waiting between events.
    Max,
}

/// `--speed real`, `--speed 1`, `--speed 10`, `--speed 0.5`, `--speed max`.
pub fn parse_speed(s: &str) -> Result<Speed, String> {
    if s.trim().eq_ignore_ascii_case("max") {
        return Ok(Speed::Max);
    }
    if s.trim().eq_ignore_ascii_case("real") {
        return Ok(Speed::Factor(1.0));
    }
    match s.trim().trim_end_matches('x').parse::<f64>() {
        Ok(f) if f.is_finite() && f > 0.0 => Ok(Speed::Factor(f)),
        _ => Err(format!(
            "expected real, a factor above 0 (10 = ten times faster) or max, found {s:?}"
        )),
    }
}

/// `--count N`: at least 1 (clap's own range check would name u64::MAX as the upper end).
pub fn parse_count(s: &str) -> Result<u64, String> {
    match s.trim().parse::<u64>() {
        Ok(0) => Err("expected at least 1 call, found 0".to_string()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!(
            "expected a number of calls (at least 1), found {s:?}"
        )),
    }
}

/// `--rate`: `50`, `50/s`, `600/m`, `3600/h`, as events per second.
pub fn parse_rate(s: &str) -> Result<f64, String> {
    let (number, per) = s.trim().split_once('/').unwrap_or((s.trim(), "s"));
    let n: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("expected a rate like 50/s or 600/m, found {s:?}"))?;
    let seconds = match per.trim() {
        "s" | "sec" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        other => {
            return Err(format!(
                "expected a rate per s, m or h, found per {other:?}"
            ));
        }
    };
    if !(n.is_finite() && n > 0.0) {
        return Err(format!("expected a rate above 0, found {s:?}"));
    }
    Ok(n / seconds)
}

/// A moment given on the command line (`calls --since`), in epoch seconds: a duration ago (`30m`,
/// `2h`, as `docker logs --since` takes it), or a time in any dialect a stamp may have (RFC 3339
/// with its offset, `2026-04-09 12:54:22` in IST as the platform writes it, epoch seconds).
fn moment(s: &str) -> Result<i64, String> {
    if let Some(stamp) = servetel::timestamp::parse(s) {
        return Ok(stamp.epoch);
    }
    if s.trim().starts_with(|c: char| c.is_ascii_digit()) && !s.contains(['-', ':', '/']) {
        let ago = servetel::units::duration(s)?;
        return Ok(servetel::timestamp::now() - ago.as_secs() as i64);
    }
    Err(format!(
        "expected a time like 30m (ago), 2026-04-09 12:54:22 (IST) or 2026-04-09T07:24:22Z, found {s:?}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_are_a_factor_or_max() {
        assert_eq!(parse_speed("max"), Ok(Speed::Max));
        assert_eq!(parse_speed("real"), Ok(Speed::Factor(1.0)));
        assert_eq!(parse_speed("10"), Ok(Speed::Factor(10.0)));
        assert!(parse_speed("0").is_err());
    }

    #[test]
    fn rates_read_per_second_minute_and_hour() {
        assert_eq!(parse_rate("50"), Ok(50.0));
        assert_eq!(parse_rate("50/s"), Ok(50.0));
        assert_eq!(parse_rate("600/m"), Ok(10.0));
        assert_eq!(parse_rate("3600/h"), Ok(1.0));
        assert!(parse_rate("0").is_err());
        assert!(parse_rate("fast").is_err());
        assert!(parse_rate("5/day").is_err());
    }
}
