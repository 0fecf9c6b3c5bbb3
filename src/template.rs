//! A webhook's body template, as the tenant writes it on the portal: keys of their choosing whose
//! values hold `$variables` (`{"callID": "$uuid", "agent": "$answered_agent.name"}`), or a query
//! string (`id=$uuid&from=$caller_id_number`). `fire` renders payloads through it; `validate` and
//! `listen` map a received payload back to the variables (`validate::templated` checks it so, and
//! reports findings under the tenant's keys).

use serde_json::{Map, Value};

use crate::catalog::{Kind, Trigger, Var};
use crate::encode::form_value;

/// How the template was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Json,
    Query,
}

/// A piece of a template value: literal text, or a variable with an optional sub-field path.
#[derive(Clone, Debug)]
pub enum Part {
    Text(String),
    Var { var: &'static Var, sub: Vec<String> },
}

#[derive(Clone, Debug)]
pub struct Field {
    pub key: String,
    /// A literal JSON value (a number, a nested object) that holds no variable.
    pub literal: Option<Value>,
    pub parts: Vec<Part>,
}

impl Field {
    /// The variable this field is, when its value is exactly one `$variable`.
    pub fn single(&self) -> Option<(&'static Var, &[String])> {
        match self.parts.as_slice() {
            [Part::Var { var, sub }] => Some((var, sub)),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Template {
    pub style: Style,
    pub fields: Vec<Field>,
}

/// Parses a template for `trigger`. Every problem is returned (a variable the trigger does not
/// offer, a sub-field its shape lacks, text that is neither a JSON object nor a query string).
pub fn parse(text: &str, trigger: &Trigger) -> Result<Template, Vec<String>> {
    let text = text.trim();
    let (style, raw): (Style, Vec<(String, Value)>) = if text.starts_with('{') {
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => (Style::Json, map.into_iter().collect()),
            Ok(_) => return Err(vec!["the template must be a JSON object".into()]),
            Err(e) => return Err(vec![format!("the template is not valid JSON: {e}")]),
        }
    } else if text.contains('=') {
        let pairs = form_urlencoded::parse(text.trim_start_matches('?').as_bytes());
        (
            Style::Query,
            pairs
                .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
                .collect(),
        )
    } else {
        return Err(vec![
            "the template must be a JSON object ({\"key\": \"$variable\"}) or a query string (key=$variable&…)".into(),
        ]);
    };
    let mut problems = Vec::new();
    let fields = raw
        .into_iter()
        .map(|(key, value)| match value {
            Value::String(s) => Field {
                parts: parts(&s, trigger, &mut problems),
                key,
                literal: None,
            },
            literal => Field {
                key,
                literal: Some(literal),
                parts: Vec::new(),
            },
        })
        .collect();
    if problems.is_empty() {
        Ok(Template { style, fields })
    } else {
        Err(problems)
    }
}

/// Splits `"Call $uuid from $caller_id_number"` into text and variables.
fn parts(value: &str, trigger: &Trigger, problems: &mut Vec<String>) -> Vec<Part> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(at) = rest.find('$') {
        if at > 0 {
            out.push(Part::Text(rest[..at].to_string()));
        }
        let after = &rest[at + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(after.len());
        let path = after[..len].trim_end_matches('.');
        rest = &after[path.len()..];
        if path.is_empty() {
            out.push(Part::Text("$".into()));
            continue;
        }
        let mut segments = path.split('.');
        let name = segments.next().unwrap_or_default();
        let sub: Vec<String> = segments.map(str::to_string).collect();
        match trigger.variable(name) {
            Some(var) => {
                if let Some(problem) = check_sub(var, &sub) {
                    problems.push(problem);
                }
                out.push(Part::Var { var, sub });
            }
            None => {
                let names = trigger.variables().map(|v| v.name);
                let hint = crate::suggest::closest(name, names)
                    .map(|n| format!(": did you mean `${n}`?"))
                    .unwrap_or_default();
                problems.push(format!(
                    "`${name}` is not a variable of {}{hint}",
                    trigger.id
                ));
            }
        }
    }
    if !rest.is_empty() {
        out.push(Part::Text(rest.to_string()));
    }
    out
}

fn check_sub(var: &Var, sub: &[String]) -> Option<String> {
    let first = sub.first()?;
    if var.kind == Kind::CallFlow {
        return None; // steps have varying keys; `$call_flow.0.time` is fine
    }
    let Some(var_shape) = var.kind.shape() else {
        return Some(format!(
            "`${}` has no sub-fields (it is not an object)",
            var.name
        ));
    };
    let fields = var_shape.fields;
    if fields.iter().any(|f| f.name == first) || first.parse::<usize>().is_ok() {
        return None;
    }
    let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
    Some(format!(
        "`${}.{first}`: {} has no `{first}` (its fields: {})",
        var.name,
        var.name,
        names.join(", ")
    ))
}

/// The value at a sub-field path; an array of agents answers for its last (the one who handled
/// the call).
fn at_path<'v>(value: &'v Value, sub: &[String]) -> Option<&'v Value> {
    sub.iter().try_fold(value, |v, seg| match v {
        Value::Object(map) => map.get(seg),
        Value::Array(items) => match seg.parse::<usize>() {
            Ok(i) => items.get(i),
            Err(_) => items.last().and_then(|last| last.get(seg)),
        },
        _ => None,
    })
}

impl Template {
    /// The default template of `trigger`'s payload keys: every key its own variable.
    pub fn variables(&self) -> impl Iterator<Item = &'static Var> + '_ {
        self.fields.iter().flat_map(|f| {
            f.parts.iter().filter_map(|p| match p {
                Part::Var { var, .. } => Some(*var),
                Part::Text(_) => None,
            })
        })
    }

    /// Renders a payload (keyed by default-template keys) through the template, as the platform
    /// does: a lone variable keeps its JSON value (objects stay objects in a JSON body; the
    /// encoding turns them into JSON text for form and GET), mixed text is substituted as text.
    ///
    /// Only what `payload` carries renders: [`Template::render_with`] renders every variable.
    pub fn render(&self, payload: &Map<String, Value>) -> Map<String, Value> {
        self.render_with(|var| payload.get(var.key).cloned())
    }

    /// Renders through the template with `value` giving each variable's whole value (`None`:
    /// `""`), as the platform fills a tenant's template from the call, whatever keys the
    /// default template would have carried (`fire` passes the call's value of every variable).
    pub fn render_with(&self, value: impl Fn(&'static Var) -> Option<Value>) -> Map<String, Value> {
        let lookup = |var: &'static Var, sub: &[String]| -> Value {
            value(var)
                .as_ref()
                .and_then(|v| at_path(v, sub))
                .cloned()
                .unwrap_or_else(|| Value::String(String::new()))
        };
        self.fields
            .iter()
            .map(|f| {
                let value = match (&f.literal, f.single()) {
                    (Some(literal), _) => literal.clone(),
                    (None, Some((var, sub))) => lookup(var, sub),
                    (None, None) => Value::String(
                        f.parts
                            .iter()
                            .map(|p| match p {
                                Part::Text(t) => t.clone(),
                                Part::Var { var, sub } => form_value(&lookup(var, sub)),
                            })
                            .collect(),
                    ),
                };
                (f.key.clone(), value)
            })
            .collect()
    }

    /// A received payload (the tenant's keys) mapped back to default-template keys, and the key
    /// renames for reporting: `(variable pointer, tenant key)`.
    pub fn map_back(
        &self,
        received: &Map<String, Value>,
    ) -> (Map<String, Value>, Vec<(String, String)>) {
        let mut mapped = Map::new();
        let mut renames = Vec::new();
        let mut used = std::collections::HashSet::new();
        for field in &self.fields {
            let Some((var, sub)) = field.single() else {
                continue;
            };
            let Some(value) = received.get(&field.key) else {
                continue;
            };
            used.insert(field.key.as_str());
            let mut var_pointer = format!("/{}", var.key);
            if sub.is_empty() {
                mapped.insert(var.key.to_string(), value.clone());
            } else {
                let mut slot = mapped
                    .entry(var.key.to_string())
                    .or_insert_with(|| Value::Object(Map::new()));
                for seg in sub {
                    if !slot.is_object() {
                        *slot = Value::Object(Map::new());
                    }
                    slot = slot
                        .as_object_mut()
                        .expect("made an object just above")
                        .entry(seg.clone())
                        .or_insert_with(|| Value::Object(Map::new()));
                    var_pointer.push('/');
                    var_pointer.push_str(seg);
                }
                *slot = value.clone();
            }
            renames.push((var_pointer, field.key.clone()));
        }
        for (key, value) in received {
            if !used.contains(key.as_str()) && !mapped.contains_key(key) {
                mapped.insert(key.clone(), value.clone());
            }
        }
        (mapped, renames)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::TriggerId;

    fn hangup() -> &'static Trigger {
        TriggerId::Hangup.trigger()
    }

    #[test]
    fn parses_json_and_query_templates_and_reports_every_problem() {
        let t = parse(r#"{"callID": "$uuid", "agent": "$answered_agent.name", "note": "from $caller_id_number"}"#, hangup()).unwrap();
        assert_eq!(t.style, Style::Json);
        assert_eq!(
            t.fields[1].single().map(|(v, s)| (v.name, s.to_vec())),
            Some(("answered_agent", vec!["name".to_string()]))
        );
        assert!(t.fields[2].single().is_none());
        let q = parse("id=$uuid&from=$caller_id_number", hangup()).unwrap();
        assert_eq!(q.style, Style::Query);
        let problems = parse(
            r#"{"a": "$calller_id_number", "b": "$answered_agent.nmae", "c": "$uuid.x"}"#,
            hangup(),
        )
        .unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[0].contains("did you mean `$caller_id_number`?"),
            "{problems:?}"
        );
        assert!(
            problems[1].contains("answered_agent has no `nmae`"),
            "{problems:?}"
        );
        assert!(parse("just words", hangup()).is_err());
    }
}
