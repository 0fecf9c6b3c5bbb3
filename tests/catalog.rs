//! The catalog against Servetel's own documentation (a copy in tests/fixtures): every variable of
//! every docs table is in the catalog, for the triggers of that table, with the docs' type and
//! description; every documented sub-field is in its shape.

use servetel::catalog::{self, DocsType, Evidence, TRIGGERS};

const DOCS: &str = include_str!("fixtures/servetel-webhook-docs.txt");

/// (section heading, trigger ids or `shape:NAME`).
const SECTIONS: &[(&str, &[&str])] = &[
    ("* DTMF Option", &["dtmf-option"]),
    (
        "* Call hangup Missed/ Answered/ Both",
        &["missed", "hangup", "missed-or-answered"],
    ),
    ("For broadcast", &["missed", "hangup", "missed-or-answered"]),
    (
        "broadcast_lead_fields array",
        &["shape:broadcast_lead_fields"],
    ),
    ("Missed Agent Array/ Answered Agent Array", &["shape:agent"]),
    (
        "* Call Received on Server/ Answered on IVR/ Agent",
        &["received-on-server", "answered-on-ivr", "answered-by-agent"],
    ),
    ("* Dialed on Agent", &["dialed-on-agent"]),
    ("* Received on Department", &["received-on-department"]),
    (
        "* Received on Auto Attendant",
        &["received-on-auto-attendant"],
    ),
    ("* Call Answered by Customer", &["answered-by-customer"]),
];

const TYPES: &[(&str, DocsType)] = &[
    ("Array of Strings", DocsType::ArrayOfStrings),
    ("Array of strings", DocsType::ArrayOfStrings),
    ("Array of Objects", DocsType::ArrayOfObjects),
    ("Array", DocsType::Array),
    ("String", DocsType::String),
    ("Integer", DocsType::Integer),
    ("Object", DocsType::Object),
];

/// A docs row `$nameDescriptionType` split into its parts; `None` for other lines.
fn row(line: &str) -> Option<(String, String, Option<DocsType>)> {
    let body = line.strip_prefix('$')?;
    // The name is snake_case; the description starts with a capital letter.
    let (name, rest) = body.split_at(body.find(|c: char| c.is_ascii_uppercase())?);
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return None; // a note such as `$ivr_id: present in case of…`
    }
    let (description, docs_type) = TYPES
        .iter()
        .find_map(|(t, d)| {
            rest.strip_suffix(t)
                .map(|desc| (desc.to_string(), Some(*d)))
        })
        .unwrap_or((rest.to_string(), None));
    Some((name.to_string(), description, docs_type))
}

fn sections() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut out: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in DOCS.lines() {
        if let Some((heading, _)) = SECTIONS.iter().find(|(h, _)| line.trim() == *h) {
            out.push((heading, Vec::new()));
        } else if let Some(last) = out.last_mut() {
            last.1.push(line);
        }
    }
    out
}

#[test]
fn every_docs_variable_is_in_the_catalog_with_its_type_triggers_and_description() {
    let mut checked = 0;
    for (heading, lines) in sections() {
        let targets = SECTIONS.iter().find(|(h, _)| *h == heading).unwrap().1;
        if targets[0].starts_with("shape:") {
            continue;
        }
        for line in lines {
            let Some((name, description, docs_type)) = row(line) else {
                continue;
            };
            if name == "broadcast_lead_fields" && heading == "For broadcast" {
                continue; // the same variable as in the hangup table
            }
            for id in targets {
                let trigger = catalog::find_trigger(id).unwrap();
                let var = trigger
                    .variable(&name)
                    .unwrap_or_else(|| panic!("{id} lacks ${name} ({heading})"));
                assert_eq!(var.evidence, Evidence::Docs, "${name} on {id}");
                if let Some(docs_type) = docs_type {
                    assert_eq!(var.docs_type, docs_type, "${name} on {id}");
                }
                let first_line = description.trim();
                assert!(
                    var.description.starts_with(first_line),
                    "${name} on {id}: {:?} vs docs {first_line:?}",
                    var.description
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "the docs parse: {checked} rows checked");
}

#[test]
fn every_documented_sub_field_is_in_its_shape() {
    for (heading, lines) in sections() {
        let targets = SECTIONS.iter().find(|(h, _)| *h == heading).unwrap().1;
        let Some(shape) = targets[0].strip_prefix("shape:") else {
            continue;
        };
        let shape = catalog::shape(shape);
        let documented: Vec<&str> = shape
            .fields
            .iter()
            .filter(|f| f.documented)
            .map(|f| f.name)
            .collect();
        let mut found = 0;
        for line in lines.iter().filter(|l| l.ends_with("String")) {
            assert!(
                documented.iter().any(|f| line.starts_with(f)),
                "{} lacks a field for {line:?}",
                shape.name
            );
            found += 1;
        }
        assert_eq!(found, documented.len(), "{}", shape.name);
    }
}

#[test]
fn catalog_facts_hold_together() {
    assert_eq!(TRIGGERS.len(), 17);
    let servetel = TRIGGERS
        .iter()
        .filter(|t| t.platform == catalog::Platform::Servetel);
    assert_eq!(servetel.count(), 11, "the 11 of Servetel's docs");
    for t in TRIGGERS {
        assert_eq!(catalog::find_trigger(t.id).map(|f| f.id), Some(t.id));
        assert_eq!(catalog::find_trigger(t.label).map(|f| f.id), Some(t.id));
        for alias in t.aliases {
            assert_eq!(
                catalog::find_trigger(alias).map(|f| f.id),
                Some(t.id),
                "alias {alias}"
            );
        }
        assert_eq!(
            catalog::find_trigger(&t.id.replace('-', "_")).map(|f| f.id),
            Some(t.id),
            "snake_case"
        );
        for name in ["uuid", "call_to_number", "caller_id_number"] {
            assert!(t.variable(name).unwrap().is_required(), "{} {name}", t.id);
        }
        if let Some(order) = t.default_order {
            for name in order {
                assert!(
                    t.variable(name).is_some(),
                    "{}: default order names unknown {name}",
                    t.id
                );
            }
        }
        for var in t.variables() {
            if let catalog::Kind::Record(s) | catalog::Kind::RecordList(s) = var.kind {
                catalog::shape(s);
            }
        }
    }
    let hangup = catalog::find_trigger("hangup").unwrap();
    let var = hangup.variable("customer_number_with_prefix").unwrap();
    assert_eq!(
        var.key, "customer_no_with_prefix ",
        "the default key has a trailing space"
    );
    assert_eq!(
        hangup.var_for_key("customer_no_with_prefix ").unwrap().name,
        var.name
    );
    let required: Vec<&str> = hangup.required().map(|v| v.name).collect();
    assert_eq!(
        required,
        [
            "uuid",
            "call_to_number",
            "caller_id_number",
            "start_stamp",
            "end_stamp"
        ]
    );
    for (id, own) in [
        ("dtmf-option", "digit_pressed"),
        ("received-on-department", "dept_id"),
        ("received-on-auto-attendant", "auto_attendant_id"),
    ] {
        assert!(
            catalog::find_trigger(id)
                .unwrap()
                .variable(own)
                .unwrap()
                .is_required()
        );
    }
    for observed in [
        "call_id",
        "answered_agent_name",
        "outbound_sec",
        "hangup_cause_key",
        "aws_call_recording_identifier",
        "ref_id",
        "async",
        "get_call_id",
        "did_number",
    ] {
        assert_eq!(
            hangup.variable(observed).map(|v| v.evidence),
            Some(Evidence::Observed),
            "{observed}"
        );
    }
    for t in TRIGGERS {
        assert!(
            t.variable("direction").is_some(),
            "direction on every trigger: {}",
            t.id
        );
    }
}

#[test]
fn a_trigger_id_names_its_own_row() {
    for (i, t) in catalog::TRIGGERS.iter().enumerate() {
        assert_eq!(t.which as usize, i, "{} sits at row {i}", t.id);
        assert!(std::ptr::eq(t.which.trigger(), t), "{}", t.id);
    }
    assert_eq!(catalog::TriggerId::Hangup.trigger().id, "hangup");
    assert_eq!(
        catalog::TriggerId::AnsweredByCustomer.trigger().id,
        "answered-by-customer"
    );
}

/// The triggers that send every variable of a sign (not only offer it in a shared table).
fn senders(keys: &[&str]) -> Vec<&'static str> {
    catalog::TRIGGERS
        .iter()
        .filter(|t| {
            keys.iter()
                .all(|k| t.variable(k).is_some_and(|v| t.sends(v)))
        })
        .map(|t| t.id)
        .collect()
}

#[test]
fn each_marker_is_sent_by_its_trigger_alone_or_the_triggers_it_names() {
    use catalog::Sign;
    use servetel::synth::{CallOutcome, Options, Profile, synthesize};
    for t in catalog::TRIGGERS {
        for marker in t.markers {
            let mut expected: Vec<&str> = catalog::TRIGGERS
                .iter()
                .filter(|u| u.which == t.which || marker.shared_with.contains(&u.which))
                .map(|u| u.id)
                .collect();
            match marker.sign {
                Sign::Set(key) => assert_eq!(senders(&[key]), expected, "{}: {key}", t.id),
                Sign::AllSet(keys) => assert_eq!(senders(keys), expected, "{}: {keys:?}", t.id),
                Sign::Status(status) => {
                    assert!(catalog::vocab::CALL_STATUSES.contains(&status), "{status}");
                    // Every trigger offers `call_status`: the value is the sign, and synthesis
                    // gives it to no other trigger.
                    expected.sort();
                    for other in catalog::TRIGGERS {
                        for seed in 0..20 {
                            for profile in [Profile::Real, Profile::Docs] {
                                let outcome = match other.outcome {
                                    o if o.is_fixed() => None,
                                    _ => Some(if seed % 2 == 0 {
                                        CallOutcome::Answered
                                    } else {
                                        CallOutcome::Missed
                                    }),
                                };
                                let opts = Options {
                                    seed,
                                    outcome,
                                    profile,
                                    start: None,
                                };
                                let p = synthesize(other, &opts).unwrap();
                                let shows = p
                                    .get("call_status")
                                    .and_then(|v| v.as_str())
                                    .is_some_and(|s| s.trim().eq_ignore_ascii_case(status));
                                assert!(
                                    !shows || expected.binary_search(&other.id).is_ok(),
                                    "{} sends call_status {status:?}, the sign of {}",
                                    other.id,
                                    t.id
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn detection_tries_every_trigger_with_markers_once_shared_signs_resolved_first() {
    let order = catalog::DETECTION_ORDER;
    for t in catalog::TRIGGERS {
        let times = order.iter().filter(|id| **id == t.which).count();
        assert_eq!(times, usize::from(!t.markers.is_empty()), "{}", t.id);
        let at = order.iter().position(|id| *id == t.which);
        for marker in t.markers {
            for other in marker.shared_with {
                // A trigger without markers of its own (missed, hangup) is told by the split.
                if let Some(before) = order.iter().position(|id| id == other) {
                    assert!(Some(before) < at, "{:?} before {}", other, t.id);
                }
            }
        }
    }
}

/// The extended Smartflo/Acefone triggers are rows like the others: a platform, both portals'
/// labels, and variables that say where they come from. What no payload shows is never required.
#[test]
fn the_extended_triggers_are_data_with_their_evidence() {
    use catalog::{Platform, Required};
    let extended: Vec<_> = TRIGGERS
        .iter()
        .filter(|t| t.platform == Platform::SmartfloAcefone)
        .collect();
    let ids: Vec<&str> = extended.iter().map(|t| t.id).collect();
    assert_eq!(
        ids,
        [
            "answered-by-agent-hangup",
            "missed-by-agent-hangup",
            "missed-by-customer",
            "disposition-updated",
            "connected-to-agent",
            "session-call-answered"
        ]
    );
    // The labels of the field notes' extended list (§1) find them, in any spelling.
    for (label, id) in [
        (
            "Call answered by Agent (Hangup)",
            "answered-by-agent-hangup",
        ),
        ("Call missed by Agent (Hangup)", "missed-by-agent-hangup"),
        (
            "Call missed by Customer (Click to Call)",
            "missed-by-customer",
        ),
        ("Disposition Status Updated (Dialer)", "disposition-updated"),
        ("Call Connected to Agent (Dialer)", "connected-to-agent"),
        ("Session Call Answered", "session-call-answered"),
        ("call_hangup_missed_deprecated", "missed"),
    ] {
        assert_eq!(
            catalog::find_trigger(label).map(|t| t.id),
            Some(id),
            "{label}"
        );
    }
    for t in TRIGGERS {
        for var in t.variables() {
            if var.evidence == Evidence::Inferred {
                assert_eq!(
                    var.required,
                    Required::No,
                    "{}: {} is inferred",
                    t.id,
                    var.name
                );
                assert_eq!(t.platform, Platform::SmartfloAcefone, "{}", t.id);
            }
        }
    }
    let disposition = catalog::find_trigger("disposition-updated").unwrap();
    assert_eq!(
        disposition.variable("disposition").map(|v| v.evidence),
        Some(Evidence::Inferred)
    );
    let connected = catalog::find_trigger("connected-to-agent").unwrap();
    assert_eq!(
        connected.variable("start_date").map(|v| v.evidence),
        Some(Evidence::Observed),
        "the field notes show the dialer's start_date on connected events"
    );
    // The hangup variants are the hangup family: its required stamps, its extras.
    for id in [
        "answered-by-agent-hangup",
        "missed-by-agent-hangup",
        "missed-by-customer",
    ] {
        let t = catalog::find_trigger(id).unwrap();
        assert!(t.is_hangup_family(), "{id}");
        assert!(t.variable("hangup_cause_key").is_some(), "{id}");
        let required: Vec<&str> = t.required().map(|v| v.name).collect();
        assert!(required.contains(&"end_stamp"), "{id}: {required:?}");
    }
}
