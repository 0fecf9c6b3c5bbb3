//! The catalog at the terminal: `servetel triggers` and `servetel schema TRIGGER`.

use colored::Colorize;
use serde_json::{Value, json};

use super::table::{Cell, render};
use crate::catalog::{Evidence, Kind, Platform, Required, TRIGGERS, Trigger, Var, shape};

fn call_types(trigger: &Trigger) -> String {
    let names: Vec<&str> = trigger.call_types.iter().map(|t| t.name()).collect();
    names.join(", ")
}

/// The triggers `servetel triggers` lists: Servetel's 11, or with `all` the Smartflo/Acefone
/// ones too.
fn listed(all: bool) -> impl Iterator<Item = &'static Trigger> {
    TRIGGERS
        .iter()
        .filter(move |t| all || t.platform == Platform::Servetel)
}

/// `servetel triggers [--all]`: id, portal label, call types, how many variables; with `--all`
/// the platform of each (the default list is all Servetel's, so it shows no such column).
pub fn triggers_text(all: bool) -> String {
    let rows: Vec<Vec<Cell>> = listed(all)
        .map(|t| {
            let mut row = vec![
                Cell::styled(t.id, |s| s.cyan()),
                Cell::plain(t.label),
                Cell::plain(call_types(t)),
                Cell::plain(t.variables().count().to_string()),
                Cell::plain(t.required().count().to_string()),
            ];
            if all {
                row.push(Cell::plain(t.platform.name()));
            }
            row
        })
        .collect();
    let mut headers = vec!["ID", "PORTAL LABEL", "CALL TYPES", "VARIABLES", "REQUIRED"];
    if all {
        headers.push("PLATFORM");
    }
    render(&headers, &rows)
}

/// `servetel triggers --format json [--all]`.
pub fn triggers_json(all: bool) -> Value {
    let triggers: Vec<Value> = listed(all)
        .map(|t| {
            let names = |vars: Vec<&Var>| -> Vec<&str> { vars.iter().map(|v| v.name).collect() };
            json!({
                "id": t.id,
                "label": t.label,
                "aliases": t.aliases,
                "platforms": t.platform.portals(),
                "call_types": t.call_types.iter().map(|c| c.name()).collect::<Vec<_>>(),
                "variables": names(t.variables().collect()),
                "required": names(t.required().collect()),
            })
        })
        .collect();
    Value::Array(triggers)
}

/// The type column: the docs' type, or what the wire carries for an observed extra.
fn type_name(var: &Var) -> String {
    match (var.evidence, var.kind) {
        (Evidence::Docs, _) => var.docs_type.name().to_string(),
        (_, Kind::Record(s)) => format!("Object ({s})"),
        (_, Kind::Agents) => "Agents".to_string(),
        (_, _) => "String".to_string(),
    }
}

/// `servetel schema TRIGGER`: the trigger, then its variable table, then the nested shapes.
pub fn schema_text(trigger: &Trigger) -> String {
    let mut out = format!(
        "{} {} {}\n{}\ncall types: {}\nplatform: {}\n\n",
        trigger.id.cyan().bold(),
        "·".dimmed(),
        trigger.label,
        trigger.description,
        call_types(trigger),
        trigger.platform.portals().join(", ")
    );
    let rows: Vec<Vec<Cell>> = trigger
        .variables()
        .map(|v| {
            let description = if v.key == v.name {
                v.description.to_string()
            } else {
                format!("{} (default key {:?})", v.description, v.key)
            };
            let required = match v.required {
                Required::Yes => "yes",
                Required::UnlessDialer => "yes*",
                Required::No => "",
            };
            let presence = if trigger.sends(v) {
                v.presence.describe()
            } else {
                format!("never here ({})", v.presence.describe())
            };
            let source = v.evidence.name();
            vec![
                Cell::styled(format!("${}", v.name), |s| s.cyan()),
                Cell::plain(type_name(v)),
                Cell::styled(required, |s| s.yellow()),
                Cell::plain(presence),
                Cell::styled(source, |s| s.dimmed()),
                Cell::plain(description),
            ]
        })
        .collect();
    out.push_str(&render(
        &[
            "VARIABLE",
            "TYPE",
            "REQUIRED",
            "WHEN PRESENT",
            "SOURCE",
            "DESCRIPTION",
        ],
        &rows,
    ));
    if trigger
        .variables()
        .any(|v| v.required == Required::UnlessDialer)
    {
        out.push_str("\n* may be \"\" on dialer/broadcast calls\n");
    }
    let mut shapes: Vec<&str> = Vec::new();
    for var in trigger.variables() {
        let Some(name) = var.kind.shape().map(|s| s.name) else {
            continue;
        };
        if !shapes.contains(&name) {
            shapes.push(name);
        }
    }
    for name in shapes {
        let shape = shape(name);
        out.push_str(&format!(
            "\n{} {}\n",
            name.bold(),
            format!("({})", shape.description).dimmed()
        ));
        let rows: Vec<Vec<Cell>> = shape
            .fields
            .iter()
            .map(|f| {
                vec![
                    Cell::styled(format!("  {}", f.name), |s| s.cyan()),
                    Cell::styled(if f.documented { "docs" } else { "observed" }, |s| {
                        s.dimmed()
                    }),
                    Cell::plain(f.description),
                ]
            })
            .collect();
        out.push_str(&render(&["  FIELD", "SOURCE", "DESCRIPTION"], &rows));
    }
    out
}
