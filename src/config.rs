//! `servetel.toml`: one `[[webhook]]` table per portal entry (README, "servetel.toml"; docs/wire.md, "The webhook a tenant configures"). Loaded from `--config`,
//! else `SERVETEL_CONFIG`, else `./servetel.toml` when present. Loading checks everything and
//! reports every problem with the webhook's name.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::catalog::{Trigger, lookup_trigger};
use crate::encode::Encoding;
use crate::template::{self, Template};

/// One webhook as the portal defines it.
#[derive(Debug)]
pub struct Webhook {
    pub name: String,
    pub trigger: &'static Trigger,
    /// `POST` (with `content_type`) or `GET`.
    pub encoding: Encoding,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// `None`: the trigger's default template (keys = variable names).
    pub template: Option<Template>,
}

impl Webhook {
    /// The path of the webhook's URL, which `listen` routes on.
    pub fn path(&self) -> &str {
        let after_scheme = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
        path.split(['?', '#']).next().unwrap_or("/")
    }
}

#[derive(Debug)]
pub struct Config {
    pub path: PathBuf,
    pub webhooks: Vec<Webhook>,
}

/// The config file to read: the flag, the environment, or `./servetel.toml` if it exists.
pub fn locate(flag: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = flag {
        return Some(path.to_path_buf());
    }
    if let Some(path) = std::env::var_os("SERVETEL_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let default = PathBuf::from("servetel.toml");
    default.is_file().then_some(default)
}

/// Loads the config, if there is one to load.
pub fn load(flag: Option<&Path>) -> anyhow::Result<Option<Config>> {
    let Some(path) = locate(flag) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read config {}", path.display()))?;
    parse(&text, &path).map(Some)
}

/// Parses config text; every problem is listed, each with its webhook's name.
pub fn parse(text: &str, path: &Path) -> anyhow::Result<Config> {
    let table: toml::Table = text
        .parse()
        .with_context(|| format!("{} is not valid TOML", path.display()))?;
    let mut problems = Vec::new();
    for key in table.keys().filter(|k| *k != "webhook") {
        problems.push(format!(
            "unknown table `{key}` (expected [[webhook]] tables)"
        ));
    }
    let entries = match table.get("webhook") {
        None => Vec::new(),
        Some(toml::Value::Array(items)) => items.clone(),
        Some(_) => {
            problems.push("`webhook` must be written as [[webhook]] tables".into());
            Vec::new()
        }
    };
    let mut webhooks = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let Some(entry) = entry.as_table() else {
            problems.push(format!("webhook #{} is not a table", i + 1));
            continue;
        };
        let name = entry
            .get("name")
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| format!("#{}", i + 1));
        let mut problem = |p: String| problems.push(format!("webhook `{name}`: {p}"));
        let text = |key: &str| entry.get(key).and_then(|v| v.as_str());
        const KEYS: &[&str] = &[
            "name",
            "trigger",
            "method",
            "content_type",
            "url",
            "headers",
            "template",
        ];
        for key in entry.keys().filter(|k| !KEYS.contains(&k.as_str())) {
            let hint = crate::suggest::closest(key, KEYS.iter().copied())
                .map(|k| format!(": did you mean `{k}`?"))
                .unwrap_or_default();
            problem(format!("unknown key `{key}`{hint}"));
        }
        if entry.get("name").is_none() {
            problem("has no `name`".into());
        }
        let trigger = match text("trigger") {
            Some(t) => match lookup_trigger(t) {
                Ok(t) => Some(t),
                Err(e) => {
                    problem(e.to_string());
                    None
                }
            },
            None => {
                problem("has no `trigger` (see `servetel triggers`)".into());
                None
            }
        };
        let method = text("method").unwrap_or("POST");
        let content_type = text("content_type").unwrap_or("json");
        let encoding = match Encoding::from_portal(method, content_type) {
            Ok(encoding) => Some(encoding),
            Err(why) => {
                problem(why);
                None
            }
        };
        let url = text("url").unwrap_or_default().to_string();
        if url.is_empty() {
            problem("has no `url`".into());
        } else if !url.starts_with("http://") && !url.starts_with("https://") {
            problem(format!(
                "url must start with http:// or https://, found {:?}",
                crate::redact::url(&url)
            ));
        }
        let mut headers = Vec::new();
        match entry.get("headers") {
            None => {}
            Some(toml::Value::Table(h)) => {
                for (k, v) in h {
                    match v.as_str() {
                        Some(v) => headers.push((k.clone(), v.to_string())),
                        None => problem(format!("header `{k}` must be a string")),
                    }
                }
            }
            Some(_) => {
                problem("headers must be a table: headers = { \"X-Api-Key\" = \"…\" }".into())
            }
        }
        let template = match (text("template"), trigger) {
            (Some(t), Some(trigger)) => match template::parse(t, trigger) {
                Ok(t) => Some(t),
                Err(errors) => {
                    for e in errors {
                        problem(format!("template: {e}"));
                    }
                    None
                }
            },
            _ => None,
        };
        if let (Some(trigger), Some(encoding)) = (trigger, encoding) {
            webhooks.push(Webhook {
                name,
                trigger,
                encoding,
                url,
                headers,
                template,
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    for w in &webhooks {
        if !seen.insert(w.name.as_str()) {
            problems.push(format!("webhook `{}` is defined twice", w.name));
        }
    }
    if !problems.is_empty() {
        bail!("{}: {}", path.display(), problems.join("; "));
    }
    Ok(Config {
        path: path.to_path_buf(),
        webhooks,
    })
}

impl Config {
    /// The webhook with that name; an unknown name names the closest.
    pub fn webhook(&self, name: &str) -> anyhow::Result<&Webhook> {
        if let Some(w) = self.webhooks.iter().find(|w| w.name == name) {
            return Ok(w);
        }
        let names: Vec<&str> = self.webhooks.iter().map(|w| w.name.as_str()).collect();
        let hint = match crate::suggest::closest(name, names.iter().copied()) {
            Some(n) => format!("did you mean `{n}`?"),
            None => format!("it has: {}", names.join(", ")),
        };
        bail!("no webhook `{name}` in {}: {hint}", self.path.display())
    }

    /// The webhook whose URL path is `path` (how `listen` routes a request).
    /// The webhook a request that `listen` received came from: the one whose URL path is the
    /// request's; among several (one endpoint for many triggers is common), the one whose
    /// configured headers the request carries, then the one whose method it used.
    pub fn for_request(
        &self,
        method: &str,
        path: &str,
        headers: &[(String, String)],
    ) -> Option<&Webhook> {
        let path = path.split('?').next().unwrap_or(path);
        let carries = |w: &Webhook| {
            w.headers.iter().all(|(name, value)| {
                headers
                    .iter()
                    .any(|(n, v)| n.eq_ignore_ascii_case(name) && v.trim() == value.trim())
            })
        };
        let score = |w: &Webhook| {
            let by_headers = !w.headers.is_empty() && carries(w);
            2 * by_headers as u8 + w.encoding.method().eq_ignore_ascii_case(method) as u8
        };
        let same_path = self.webhooks.iter().filter(|w| w.path() == path);
        // max_by_key keeps the last of equals: reversed, the first in the file wins a tie.
        same_path.rev().max_by_key(|w| score(w))
    }
}

/// `--webhook NAME` resolved against the loaded config (an error when there is none).
pub fn webhook<'c>(config: Option<&'c Config>, name: &str) -> anyhow::Result<&'c Webhook> {
    match config {
        Some(c) => c.webhook(name),
        None => bail!(
            "--webhook {name} needs a config: write one with `servetel init`, or give --config PATH"
        ),
    }
}

/// A TOML string literal.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// One `[[webhook]]` table as `servetel init` writes it.
pub fn render_webhook(
    name: &str,
    trigger: &Trigger,
    encoding: Encoding,
    url: &str,
    headers: &[(String, String)],
    template: Option<&str>,
) -> String {
    let (method, content_type) = encoding.portal();
    let mut out = format!(
        "[[webhook]]\nname = {}\ntrigger = {}   # {}\nmethod = \"{method}\"\n",
        quoted(name),
        quoted(trigger.id),
        trigger.label
    );
    if encoding != Encoding::Query {
        out.push_str(&format!("content_type = \"{content_type}\"\n"));
    }
    out.push_str(&format!("url = {}\n", quoted(url)));
    if !headers.is_empty() {
        let pairs: Vec<String> = headers
            .iter()
            .map(|(k, v)| format!("{} = {}", quoted(k), quoted(v)))
            .collect();
        out.push_str(&format!("headers = {{ {} }}\n", pairs.join(", ")));
    }
    match template {
        Some(t) if !t.contains("'''") => out.push_str(&format!("template = '''{t}'''\n")),
        Some(t) => out.push_str(&format!("template = {}\n", quoted(t))),
        None => {
            out.push_str("# template: the trigger's default template (keys = variable names)\n")
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::TriggerId;

    fn load(text: &str) -> anyhow::Result<Config> {
        parse(text, Path::new("servetel.toml"))
    }

    #[test]
    fn one_endpoint_for_many_webhooks_is_told_apart_by_headers_then_method() {
        let c = load(
            r#"
[[webhook]]
name = "a"
trigger = "hangup"
method = "POST"
content_type = "json"
url = "https://x.example.com/hook"
headers = { "X-Kind" = "a" }

[[webhook]]
name = "b"
trigger = "missed"
method = "GET"
url = "https://x.example.com/hook"
headers = { "X-Kind" = "b" }
"#,
        )
        .unwrap();
        let name = |method: &str, headers: &[(&str, &str)]| {
            let headers: Vec<(String, String)> = headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            c.for_request(method, "/hook", &headers)
                .map(|w| w.name.clone())
        };
        assert_eq!(
            name("POST", &[("x-kind", "b")]).as_deref(),
            Some("b"),
            "headers first"
        );
        assert_eq!(name("GET", &[]).as_deref(), Some("b"), "then the method");
        assert_eq!(
            name("PUT", &[]).as_deref(),
            Some("a"),
            "then the first in the file"
        );
        assert!(c.for_request("POST", "/other", &[]).is_none());
    }

    #[test]
    fn loads_the_spec_example() {
        let c = load(
            r#"
[[webhook]]
name = "crm-hangup"
trigger = "missed-or-answered"
method = "POST"
content_type = "json"
url = "https://staging.example.com/servetel/hangup?x=1"
headers = { "X-Api-Key" = "secret" }
template = '''{"callID": "$uuid", "from": "$caller_id_number", "agent": "$answered_agent.name"}'''
"#,
        )
        .unwrap();
        let w = c.webhook("crm-hangup").unwrap();
        assert_eq!(w.trigger.id, "missed-or-answered");
        assert_eq!(w.encoding, Encoding::Json);
        assert_eq!(w.path(), "/servetel/hangup");
        assert_eq!(w.headers, [("X-Api-Key".to_string(), "secret".to_string())]);
        assert_eq!(w.template.as_ref().unwrap().fields.len(), 3);
        assert!(c.for_request("POST", "/servetel/hangup", &[]).is_some());
        assert!(
            c.webhook("crm-hangop")
                .unwrap_err()
                .to_string()
                .contains("did you mean `crm-hangup`?")
        );
    }

    #[test]
    fn every_problem_is_named_with_its_webhook() {
        let err = load(
            r#"
[[webhook]]
name = "a"
trigger = "hangupp"
url = "https://x/a"

[[webhook]]
name = "b"
trigger = "missed"
method = "PUT"
url = "ftp://x"
templat = "x"

[[webhook]]
name = "c"
trigger = "missed"
content_type = "xml"
url = "https://x/c"
template = '{"id": "$uid"}'
"#,
        )
        .unwrap_err()
        .to_string();
        for needle in [
            "webhook `a`: unknown trigger `hangupp`: did you mean `hangup`?",
            "webhook `b`: method must be \"POST\" or \"GET\", found \"PUT\"",
            "webhook `b`: url must start with http:// or https://",
            "webhook `b`: unknown key `templat`: did you mean `template`?",
            "webhook `c`: content_type must be \"json\" or \"form\", found \"xml\"",
            "webhook `c`: template: `$uid` is not a variable of missed: did you mean `$uuid`?",
        ] {
            assert!(err.contains(needle), "missing {needle:?} in {err}");
        }
        assert!(
            load("[[webhook]\n")
                .unwrap_err()
                .to_string()
                .contains("not valid TOML")
        );
    }

    #[test]
    fn init_output_loads_back() {
        let hangup = TriggerId::Hangup.trigger();
        let text = render_webhook(
            "crm",
            hangup,
            Encoding::Query,
            "https://x/servetel?a=1",
            &[("Authorization".into(), "Bearer 't'".into())],
            Some("id=$uuid&from=$caller_id_number"),
        );
        let c = load(&text).unwrap();
        let w = c.webhook("crm").unwrap();
        assert_eq!(
            (w.trigger.id, w.encoding, w.path()),
            ("hangup", Encoding::Query, "/servetel")
        );
        assert_eq!(w.headers[0].1, "Bearer 't'");
    }
}
