//! The validator against the synthesizer, as library calls: every synthesized payload, sent any of
//! the three ways, decodes, is valid and is detected as its trigger; a single mutation is reported
//! with the right code; no payload, however strange, makes it panic.

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use servetel::catalog::{Outcome, Platform, Required, TRIGGERS, Trigger, find_trigger};
use servetel::decode::decode_request;
use servetel::encode::Encoding;
use servetel::synth::{CallOutcome, Options, Profile, synthesize};
use servetel::validate::{Code, Severity, validate};

fn outcomes(t: &Trigger) -> Vec<Option<CallOutcome>> {
    match t.outcome {
        Outcome::Answered => vec![None],
        Outcome::Missed | Outcome::CustomerMissed => vec![None],
        _ => vec![Some(CallOutcome::Answered), Some(CallOutcome::Missed)],
    }
}

fn errors(payload: &Map<String, Value>, t: &'static Trigger) -> Vec<(Code, String)> {
    validate(payload, Some(t))
        .findings
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| (f.code, f.path))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn synthesized_payloads_survive_every_encoding_valid_and_detected(seed in any::<u64>()) {
        for t in TRIGGERS {
            for outcome in outcomes(t) {
                for profile in [Profile::Real, Profile::Docs] {
                    let payload = synthesize(t, &Options { seed, outcome, profile, start: None }).unwrap();
                    for encoding in [Encoding::Json, Encoding::Form, Encoding::Query] {
                        let text = encoding.encode(&payload);
                        let decoded = match encoding {
                            Encoding::Query => decode_request("GET", None, &text, b""),
                            _ => decode_request("POST", encoding.content_type(), "", text.as_bytes()),
                        }
                        .unwrap_or_else(|e| panic!("{} {encoding:?} does not decode: {e}", t.id));
                        prop_assert_eq!(decoded.keys().collect::<Vec<_>>(), payload.keys().collect::<Vec<_>>());
                        let given = validate(&decoded, Some(t));
                        prop_assert!(given.valid(), "{} {:?} {:?} seed {}: {:?}", t.id, profile, encoding, seed, given.findings);
                        // A synthesized call is coherent: nothing in it contradicts itself.
                        prop_assert!(given.findings.iter().all(|f| f.code != Code::Inconsistent),
                            "{} {:?} seed {}: {:?}", t.id, profile, seed, given.findings);
                        let detected = validate(&decoded, None);
                        let inferred_only = profile == Profile::Docs; // its signs are not docs
                        if t.platform == Platform::SmartfloAcefone && (t.markers.is_empty() || inferred_only) {
                            // Nothing tells it: the Servetel trigger of its stage that sends the
                            // same body, or a `trigger` error naming it.
                            match detected.trigger.and_then(find_trigger) {
                                Some(like) => prop_assert!(like.stage == t.stage && detected.valid()
                                    && (like.platform == Platform::Servetel || like.id == t.id),
                                    "{} detected as {}: {:?}", t.id, like.id, detected.findings),
                                None => prop_assert!(detected.findings[0].code == Code::Trigger
                                    && detected.findings[0].message.contains(t.id),
                                    "{}: {:?}", t.id, detected.findings),
                            }
                            continue;
                        }
                        let expected: &[&str] = if t.id == "missed-or-answered" { &["missed", "hangup"] } else { &[t.id] };
                        prop_assert!(detected.detected && expected.contains(&detected.trigger.unwrap_or("none")),
                            "{} detected as {:?}", t.id, detected.trigger);
                        prop_assert!(detected.valid(), "{:?}", detected.findings);
                    }
                }
            }
        }
    }

    #[test]
    fn a_single_mutation_is_reported_with_its_code(seed in any::<u64>()) {
        for t in TRIGGERS {
            let good = synthesize(t, &Options { seed, outcome: outcomes(t)[0], profile: Profile::Real, start: None }).unwrap();
            let mutated = |key: &str, value: Option<Value>| {
                let mut p = good.clone();
                match value {
                    Some(v) => { p.insert(key.to_string(), v); }
                    None => { p.remove(key); }
                }
                p
            };
            // `call_to_number` may be "" on dialer calls (docs/rules.md, `missing`).
            let dialer = good.get("direction").and_then(Value::as_str).is_some_and(|d| d.starts_with("Dialer"));
            for var in t.required().filter(|v| !(dialer && v.required == Required::UnlessDialer)) {
                let errs = errors(&mutated(var.key, None), t);
                prop_assert!(errs.contains(&(Code::Missing, format!("/{}", var.key))), "{} drop {}: {errs:?}", t.id, var.key);
            }
            let errs = errors(&mutated("caller_id_number", Some(json!({"number": "9876500011"}))), t);
            prop_assert!(errs.contains(&(Code::Type, "/caller_id_number".into())), "{errs:?}");
            let errs = errors(&mutated("caller_id_number", Some(json!("call-me"))), t);
            prop_assert!(errs.contains(&(Code::Format, "/caller_id_number".into())), "{errs:?}");
            if good.contains_key("direction") {
                let errs = errors(&mutated("direction", Some(json!("sideways"))), t);
                prop_assert!(errs.contains(&(Code::Enum, "/direction".into())), "{errs:?}");
            }
            if t.is_hangup_family() {
                let (start, end) = (good["start_stamp"].clone(), good["end_stamp"].clone());
                let mut swapped = mutated("start_stamp", Some(end));
                swapped.insert("end_stamp".into(), start);
                let errs = errors(&swapped, t);
                prop_assert!(errs.iter().any(|(c, _)| *c == Code::Order), "swap stamps: {errs:?}");
                let errs = errors(&mutated("billsec", Some(json!("thirty"))), t);
                prop_assert!(errs.contains(&(Code::Format, "/billsec".into())), "{errs:?}");
                let errs = errors(&mutated("duration", Some(json!("0"))), t);
                prop_assert!(errs.iter().any(|(c, _)| *c == Code::Arith), "duration 0: {errs:?}");
            }
            // One field edited against the rest of the call draws `inconsistent` at that field.
            let contradicted = |p: &Map<String, Value>, path: &str| {
                validate(p, Some(t)).findings.iter().any(|f| f.code == Code::Inconsistent && f.path == path)
            };
            if let (Some(duration), true) = (good.get("duration").and_then(Value::as_str), good.contains_key("outbound_sec")) {
                let longer = (duration.parse::<u64>().unwrap() + 60).to_string();
                prop_assert!(contradicted(&mutated("outbound_sec", Some(json!(longer))), "/outbound_sec"), "{}", t.id);
            }
            if good.get("answered_agent").is_some_and(Value::is_object) && good.contains_key("answered_agent_name") {
                prop_assert!(contradicted(&mutated("answered_agent_name", Some(json!("Zubin Wadia"))), "/answered_agent_name"), "{}", t.id);
            }
            if t.id == "dtmf-option" {
                let errs = errors(&mutated("digit_pressed", Some(json!("12"))), t);
                prop_assert!(errs.contains(&(Code::Format, "/digit_pressed".into())), "{errs:?}");
            }
        }
    }
}

/// JSON values built from the catalog's own key names and the shapes real payloads take.
fn payloads() -> impl Strategy<Value = Map<String, Value>> {
    let names: Vec<&'static str> = TRIGGERS
        .iter()
        .flat_map(|t| t.variables().map(|v| v.key))
        .collect();
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "[$_a-z0-9 :/.,+\\-\\[\\]{}\"]{0,24}".prop_map(Value::String),
        Just(json!("2026-04-09 12:54:22")),
        Just(json!("4/9/2026, 12:54:22 PM")),
        Just(json!("map[id:1 name:A b]")),
        Just(json!("[{\"time\":\"x\"}]")),
    ];
    let value = leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-z_]{1,8}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    });
    prop::collection::vec((prop::sample::select(names), value), 0..12)
        .prop_map(|kv| kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_payload_makes_the_validator_panic(payload in payloads()) {
        let _ = validate(&payload, None);
        for t in TRIGGERS {
            let _ = validate(&payload, Some(t));
        }
    }
}
