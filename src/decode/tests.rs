use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;

const FORM: Option<&str> = Some("application/x-www-form-urlencoded");
const JSON: Option<&str> = Some("application/json");

fn obj(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn keys(map: &Map<String, Value>) -> Vec<&str> {
    map.keys().map(String::as_str).collect()
}

// --- JSON bodies -------------------------------------------------------------------------------

#[test]
fn json_body_is_the_object_in_key_order() {
    let body = br#"{"uuid":"69d7585e0bc1a","call_to_number":"+918069001234","caller_id_number":"9876500011","billsec":"30"}"#;
    let p = decode_request("POST", JSON, "", body).unwrap();
    assert_eq!(
        keys(&p),
        ["uuid", "call_to_number", "caller_id_number", "billsec"]
    );
    assert_eq!(p["billsec"], "30");
}

#[test]
fn go_marshalled_json_with_sorted_keys_and_escapes() {
    let body = br#"{"billing_circle":{"circle":"Andhra Pradesh \u0026 Telangana","operator":"Reliance Mobile GSM"},"recording_url":"https://rec.example/file/recording?callId=1775719461.306731\u0026type=rec","uuid":"69d7585e0bc1a"}"#;
    let p = decode_body(body, Some(BodyKind::Json)).unwrap();
    assert_eq!(keys(&p), ["billing_circle", "recording_url", "uuid"]);
    assert_eq!(p["billing_circle"]["circle"], "Andhra Pradesh & Telangana");
    assert!(p["recording_url"].as_str().unwrap().contains("&type=rec"));
}

#[test]
fn json_keeps_the_trailing_space_key_and_nested_values_as_sent() {
    let body = r#"{"customer_no_with_prefix ":"09876500011","answered_agent":"{\"id\":\"1\"}","call_connected":1}"#;
    let p = decode_body(body.as_bytes(), None).unwrap();
    assert_eq!(p["customer_no_with_prefix "], "09876500011");
    // JSON bodies are not rewritten: JSON text stays text, numbers stay numbers.
    assert_eq!(p["answered_agent"], r#"{"id":"1"}"#);
    assert_eq!(p["call_connected"], 1);
}

#[test]
fn content_type_parameters_and_case_are_ignored_and_a_bom_is_skipped() {
    let body = "\u{feff}\n  {\"uuid\":\"69d7585e0bc1a\"}\n";
    for ct in [
        "application/json; charset=utf-8",
        "Application/JSON",
        "application/vnd.api+json",
    ] {
        let p = decode_request("POST", Some(ct), "", body.as_bytes()).unwrap();
        assert_eq!(p["uuid"], "69d7585e0bc1a", "{ct}");
    }
    assert_eq!(
        BodyKind::from_content_type("APPLICATION/X-WWW-FORM-URLENCODED;charset=UTF-8"),
        Some(BodyKind::Form)
    );
    assert_eq!(BodyKind::from_content_type("text/plain"), None);
}

#[test]
fn a_json_body_must_be_an_object() {
    let cases: [(&[u8], &str); 5] = [
        (b"[{\"uuid\":\"a\"}]", "an array"),
        (b"\"uuid\"", "a string"),
        (b"30", "a number"),
        (b"true", "a boolean"),
        (b"null", "null"),
    ];
    for (body, found) in cases {
        let e = decode_body(body, Some(BodyKind::Json)).unwrap_err();
        assert_eq!(e.message, format!("expected a JSON object, found {found}"));
        assert_eq!((e.line, e.column), (Some(1), Some(1)));
    }
    // Sniffed `[` is JSON too, and so an error rather than a form key.
    let e = decode_request("POST", None, "", b"\n [1, 2]").unwrap_err();
    assert_eq!(e.message, "expected a JSON object, found an array");
    assert_eq!((e.line, e.column), (Some(2), Some(2)));
}

#[test]
fn invalid_json_says_where_and_what() {
    let e = decode_body(br#"{"uuid":"69d7585e0bc1a" "billsec":"30"}"#, None).unwrap_err();
    assert_eq!(
        e.message,
        "invalid JSON at line 1, column 25: expected `,` or `}`, found `\"`"
    );
    assert_eq!((e.line, e.column), (Some(1), Some(25)));
    assert_eq!(e.to_string(), e.message);

    let e = decode_body(b"{\n  \"uuid\": \"69d7585e0bc1a\",\n}", None).unwrap_err();
    assert_eq!(e.line, Some(3));
    assert!(
        e.message
            .starts_with("invalid JSON at line 3, column 1: trailing comma")
    );

    let e = decode_body(b"{\"uuid\":", None).unwrap_err();
    assert!(
        e.message.contains("EOF while parsing a value"),
        "{}",
        e.message
    );
    assert!(
        e.message.ends_with("found the end of the input"),
        "{}",
        e.message
    );

    // Columns count characters, not bytes.
    let e = decode_body("{\"name\":\"Asha Rāo\" x}".as_bytes(), None).unwrap_err();
    assert_eq!(e.column, Some(20));
    assert!(e.message.ends_with("found `x`"), "{}", e.message);
}

#[test]
fn a_json_content_type_never_falls_back_to_form() {
    let e = decode_request("POST", JSON, "", b"uuid=69d7585e0bc1a&billsec=30").unwrap_err();
    assert_eq!(
        e.message,
        "invalid JSON at line 1, column 1: expected value, found `u`"
    );
    assert_eq!(e.line, Some(1));
}

#[test]
fn deeply_nested_json_is_an_error_not_a_crash() {
    let body = "[".repeat(100_000);
    assert!(decode_body(body.as_bytes(), None).is_err());
    let body = format!("{{\"a\":{}", "{\"a\":".repeat(50_000));
    assert!(decode_body(body.as_bytes(), Some(BodyKind::Json)).is_err());
}

// --- Sniffing, empty and non-UTF-8 bodies --------------------------------------------------------

#[test]
fn missing_or_wrong_content_types_are_sniffed() {
    let json = br#"{"uuid":"69d7585e0bc1a"}"#;
    let form = b"uuid=69d7585e0bc1a&billsec=30";
    for ct in [None, Some("text/plain"), Some("application/octet-stream")] {
        assert_eq!(
            decode_request("POST", ct, "", json).unwrap()["uuid"],
            "69d7585e0bc1a"
        );
        assert_eq!(
            decode_request("POST", ct, "", form).unwrap()["billsec"],
            "30"
        );
    }
    // A form content type on a JSON body is a wrong content type.
    assert_eq!(
        decode_request("POST", FORM, "", json).unwrap()["uuid"],
        "69d7585e0bc1a"
    );
    // Sniffed JSON that does not parse is a parse error, never form.
    let e = decode_request("POST", Some("text/plain"), "", b"{uuid=1&a=2").unwrap_err();
    assert!(
        e.message.starts_with("invalid JSON at line 1, column 2"),
        "{}",
        e.message
    );
}

#[test]
fn empty_bodies_and_requests() {
    let e = decode_request("POST", JSON, "", b"").unwrap_err();
    assert_eq!(e.message, "empty body: expected a payload, found nothing");
    assert!(decode_request("POST", None, "", b" \r\n").is_err());
    let e = decode_request("GET", None, "", b"").unwrap_err();
    assert!(e.message.starts_with("empty request"), "{}", e.message);
    let e = decode_body("\u{feff}\n".as_bytes(), None).unwrap_err();
    assert!(e.message.starts_with("empty body"));
    assert!(decode_form("").is_err());
    assert!(decode_form("\n").is_err());
}

#[test]
fn non_utf8_bodies_are_errors_with_a_position() {
    let e = decode_request("POST", FORM, "", b"uuid=69d7\nname=Asha \xff Rao").unwrap_err();
    assert_eq!(
        e.message,
        "body is not UTF-8: expected UTF-8 text, found byte 0xff at line 2, column 11"
    );
    assert_eq!((e.line, e.column), (Some(2), Some(11)));
    let e = decode_body(b"{\"name\":\"\xe0\xa4", None).unwrap_err();
    assert!(
        e.message.contains("a truncated UTF-8 sequence"),
        "{}",
        e.message
    );
    // Percent-encoded bytes that are not UTF-8 are decoded lossily, not rejected.
    let p = decode_form("name=Asha%FF").unwrap();
    assert_eq!(p["name"], "Asha\u{fffd}");
}

#[test]
fn multipart_is_reported_not_guessed() {
    let e = decode_request(
        "POST",
        Some("multipart/form-data; boundary=x"),
        "",
        b"--x\r\nContent-Disposition: form-data; name=\"uuid\"\r\n\r\n1\r\n--x--",
    )
    .unwrap_err();
    assert!(
        e.message.contains("found multipart/form-data"),
        "{}",
        e.message
    );
}

// --- GET queries ---------------------------------------------------------------------------------

#[test]
fn get_decodes_the_query_string() {
    let q = "uuid=69d7585e0bc1a&call_to_number=%2B918069001234&direction=Dialer+%28inbound%29&customer_no_with_prefix+=09876500011";
    let p = decode_request("GET", None, q, b"").unwrap();
    assert_eq!(
        keys(&p),
        [
            "uuid",
            "call_to_number",
            "direction",
            "customer_no_with_prefix "
        ]
    );
    assert_eq!(p["call_to_number"], "+918069001234");
    assert_eq!(p["direction"], "Dialer (inbound)");
    // Any method with an empty body and a query; a stray leading `?` is skipped.
    let p = decode_request("post", None, "?uuid=69d7585e0bc1a", b"").unwrap();
    assert_eq!(keys(&p), ["uuid"]);
    // A POST with a body uses the body, not a routing query parameter.
    let p = decode_request("POST", FORM, "trigger=missed", b"uuid=1").unwrap();
    assert_eq!(keys(&p), ["uuid"]);
    // A GET query wins over a body.
    let p = decode_request("GET", JSON, "uuid=2", br#"{"uuid":"1"}"#).unwrap();
    assert_eq!(p["uuid"], "2");
}

// --- Form bodies ---------------------------------------------------------------------------------

#[test]
fn form_keys_are_kept_exactly_and_in_order() {
    let body = "uuid=69d7585e0bc1a&call_to_number=918069001234&customer_no_with_prefix%20=0%2B91+98765&hangup_cause=NormalClearing&billsec=30&call_connected=1&answer_stamp=";
    let p = decode_request("POST", FORM, "", body.as_bytes()).unwrap();
    assert_eq!(
        keys(&p),
        [
            "uuid",
            "call_to_number",
            "customer_no_with_prefix ",
            "hangup_cause",
            "billsec",
            "call_connected",
            "answer_stamp"
        ]
    );
    assert_eq!(p["customer_no_with_prefix "], "0+91 98765");
    assert_eq!(p["billsec"], "30");
    assert_eq!(p["call_connected"], "1");
    assert_eq!(p["answer_stamp"], "");
}

#[test]
fn a_repeated_key_keeps_its_place_and_the_last_value() {
    let p = decode_form("uuid=a&billsec=1&uuid=b").unwrap();
    assert_eq!(keys(&p), ["uuid", "billsec"]);
    assert_eq!(p["uuid"], "b");
}

#[test]
fn one_trailing_newline_is_ignored() {
    assert_eq!(decode_form("uuid=a&billsec=30\n").unwrap()["billsec"], "30");
    assert_eq!(
        decode_form("uuid=a&billsec=30\r\n").unwrap()["billsec"],
        "30"
    );
    assert_eq!(
        decode_form("uuid=a&billsec=30\n\n").unwrap()["billsec"],
        "30\n"
    );
}

#[test]
fn text_that_is_not_form_is_an_error_and_bare_keys_are_empty() {
    let e = decode_body(b"hello world", None).unwrap_err();
    assert_eq!(
        e.message,
        "expected form text key=value&…, found `hello world` (no `=` in any pair)"
    );
    let e = decode_form(&"x".repeat(100)).unwrap_err();
    assert!(e.message.contains('…'));
    let p = decode_form("uuid=69d7585e0bc1a&async&get_call_id").unwrap();
    assert_eq!(
        p,
        obj(json!({"uuid": "69d7585e0bc1a", "async": "", "get_call_id": ""}))
    );
}

#[test]
fn form_values_holding_json_text_are_decoded() {
    let agent = r#"{"id":"0507123456789","name":"Asha Rao","number":"0607123456789","agent_number":"+919876500022","dialst":"Answered"}"#;
    let flow = r#"[{"type":"init","value":"1775719461.306731","time":"1775719462"},{"type":"IVR","id":"59726","name":"Main IVR","time":1775719463.25}]"#;
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("uuid", "69d7585e0bc1a")
        .append_pair("answered_agent", agent)
        .append_pair("call_flow", flow)
        .append_pair(
            "billing_circle",
            r#"{"operator":"Airtel","circle":"Andhra Pradesh \u0026 Telangana"}"#,
        )
        .append_pair("digits_dialed", r#"["1","2"]"#)
        .append_pair("duration", "30")
        .append_pair("hangup_cause_code", "16")
        .append_pair("campaign_name", "$campaign_name")
        .append_pair("missed_agent", "")
        .finish();
    let p = decode_request("POST", FORM, "", body.as_bytes()).unwrap();
    assert_eq!(p["answered_agent"]["name"], "Asha Rao");
    assert_eq!(p["answered_agent"]["dialst"], "Answered");
    assert_eq!(p["call_flow"][1]["time"], json!(1775719463.25));
    assert_eq!(p["billing_circle"]["circle"], "Andhra Pradesh & Telangana");
    assert_eq!(p["digits_dialed"], json!(["1", "2"]));
    assert_eq!(p["duration"], "30");
    assert_eq!(p["hangup_cause_code"], "16");
    assert_eq!(p["campaign_name"], "$campaign_name");
    assert_eq!(p["missed_agent"], "");
}

// --- Go fmt.Sprint text --------------------------------------------------------------------------

#[test]
fn go_map_text_splits_on_the_shapes_field_names() {
    let v = decode_nested_text(
        "answered_agent",
        "map[agent_number:+919876500022 dialst:Answered id:0507123 name:Asha Rao number:0607123]",
    )
    .unwrap();
    assert_eq!(
        v,
        json!({"agent_number": "+919876500022", "dialst": "Answered", "id": "0507123",
               "name": "Asha Rao", "number": "0607123"})
    );
    // A value holding ` word:` that is not a field name survives when the names are known.
    let v =
        decode_nested_text("answered_agent", "map[id:1 name:Sales team: Asha number:2]").unwrap();
    assert_eq!(v["name"], "Sales team: Asha");
    // Empty values.
    let v = decode_nested_text("answered_agent", "map[id: name:Asha number:]").unwrap();
    assert_eq!(v, json!({"id": "", "name": "Asha", "number": ""}));
}

#[test]
fn go_slice_of_maps_and_numbers_as_strings() {
    let text =
        "[map[id:0507111 name:Asha Rao number:0607111] map[id:0507222 name:Ravi K number:0607222]]";
    let v = decode_nested_text("missed_agent", text).unwrap();
    assert_eq!(v[0]["name"], "Asha Rao");
    assert_eq!(
        v[1],
        json!({"id": "0507222", "name": "Ravi K", "number": "0607222"})
    );

    let flow = "[map[time:1.77e+09 type:init value:1775719461.306731] map[id:59726 name:Main IVR time:1775719463 type:IVR] map[dialst:Answered id:0507111 name:Asha Rao num:+919876500022 time:1.775719465e+09 type:Agent] map[anstime:1775967652 time:1775967659]]";
    let v = decode_nested_text("call_flow", flow).unwrap();
    assert_eq!(v[0]["time"], "1.77e+09");
    assert_eq!(v[1]["name"], "Main IVR");
    assert_eq!(v[2]["num"], "+919876500022");
    assert_eq!(v[2]["type"], "Agent");
    assert_eq!(v[3], json!({"anstime": "1775967652", "time": "1775967659"}));

    assert_eq!(
        decode_nested_text("digits_dialed", "[1 2 #]").unwrap(),
        json!(["1", "2", "#"])
    );
    assert_eq!(
        decode_nested_text("digits_dialed", "[5]").unwrap(),
        json!(["5"])
    );
    assert_eq!(
        decode_nested_text("digits_dialed", "[]").unwrap(),
        json!([])
    );
    // Real JSON arrays stay JSON.
    assert_eq!(
        decode_nested_text("digits_dialed", "[1,2]").unwrap(),
        json!([1, 2])
    );
}

#[test]
fn go_text_in_a_form_body() {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("uuid", "69d7585e0bc1a")
        .append_pair(
            "answered_agent",
            "map[id:0507123 name:Asha Rao number:0607123]",
        )
        .append_pair(
            "billing_circle",
            "map[circle:Andhra Pradesh & Telangana operator:Airtel]",
        )
        .append_pair("digits_dialed", "[1 2]")
        .finish();
    let p = decode_body(body.as_bytes(), Some(BodyKind::Form)).unwrap();
    assert_eq!(
        p["answered_agent"],
        json!({"id": "0507123", "name": "Asha Rao", "number": "0607123"})
    );
    assert_eq!(
        p["billing_circle"],
        json!({"circle": "Andhra Pradesh & Telangana", "operator": "Airtel"})
    );
    assert_eq!(p["digits_dialed"], json!(["1", "2"]));
}

#[test]
fn go_nested_maps_and_unknown_keys() {
    let v = decode_nested_text(
        "custom_identifier",
        "map[lead:map[id:7 name:Asha Rao] tags:[hot new] source:web form]",
    )
    .unwrap();
    assert_eq!(
        v,
        json!({"lead": {"id": "7", "name": "Asha Rao"}, "tags": ["hot", "new"], "source": "web form"})
    );
    let v = decode_nested_text("x_unknown", "map[a:1 b:two words c:12:54:22]").unwrap();
    assert_eq!(v, json!({"a": "1", "b": "two words", "c": "12:54:22"}));
    // A bracketed value that is not followed by a key is text.
    let v = decode_nested_text("answered_agent", "map[id:1 name:[VIP] Asha]").unwrap();
    assert_eq!(v["name"], "[VIP] Asha");
    assert_eq!(decode_nested_text("x", "map[]").unwrap(), json!({}));
}

#[test]
fn plain_values_are_not_structures() {
    for (key, text) in [
        ("billsec", "30"),
        ("duration", "1.77e+09"),
        ("answered_agent", ""),
        ("name", "Asha Rao"),
        ("answered_agent", "{not json"),
        ("x", "map[no colon]"),
        ("hangup_cause", "[busy]"),
        ("answered_agent_name", "[VIP] Asha"),
        ("campaign_name", "$campaign_name"),
    ] {
        assert_eq!(decode_nested_text(key, text), None, "{key}={text}");
    }
    // The residue of an agent object inside answered_agent_number is decoded, for `residue`.
    assert!(decode_nested_text("answered_agent_number", "map[id:1 name:Asha]").is_some());
    assert!(decode_nested_text("answered_agent_number", r#"{"id":"1"}"#).is_some());
}

#[test]
fn go_text_nesting_is_capped() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let v = decode_nested_text("x", &deep).unwrap();
    let mut depth = 0;
    let mut cur = &v;
    while let Value::Array(items) = cur {
        depth += 1;
        cur = &items[0];
    }
    assert!(depth <= MAX_DEPTH + 1, "{depth}");
    let deep = format!("{}{}", "map[a:".repeat(10_000), "]".repeat(10_000));
    assert!(decode_nested_text("x", &deep).is_some());
    let unbalanced = format!("[{}]", "[ ".repeat(100_000));
    let v = decode_nested_text("x", &unbalanced).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 100_001);
}

// --- PHP bracket notation ------------------------------------------------------------------------

#[test]
fn bracket_notation_nests_like_php() {
    let body = "uuid=69d7585e0bc1a&answered_agent[name]=Asha+Rao&answered_agent[id]=0507123\
                &digits_dialed[]=1&digits_dialed[]=%23\
                &call_flow[0][type]=init&call_flow[0][time]=1775719462\
                &call_flow[1][type]=IVR&call_flow[1][name]=Main+IVR";
    let p = decode_form(body).unwrap();
    assert_eq!(
        Value::Object(p),
        json!({
            "uuid": "69d7585e0bc1a",
            "answered_agent": {"name": "Asha Rao", "id": "0507123"},
            "digits_dialed": ["1", "#"],
            "call_flow": [{"type": "init", "time": "1775719462"}, {"type": "IVR", "name": "Main IVR"}],
        })
    );
}

#[test]
fn percent_encoded_brackets_nest_too() {
    let p = decode_form("answered_agent%5Bname%5D=Asha&answered_agent%5Bid%5D=1").unwrap();
    assert_eq!(p["answered_agent"], json!({"name": "Asha", "id": "1"}));
}

#[test]
fn bracket_indices_decide_array_or_object() {
    // Out of order indices: an array in index order.
    let p = decode_form("call_flow[1][type]=IVR&call_flow[0][type]=init").unwrap();
    assert_eq!(p["call_flow"], json!([{"type": "init"}, {"type": "IVR"}]));
    // Mixed keys: an object in insertion order.
    let p = decode_form("broadcast_lead_fields[0]=a&broadcast_lead_fields[Name]=Asha").unwrap();
    assert_eq!(
        p["broadcast_lead_fields"],
        json!({"0": "a", "Name": "Asha"})
    );
    // `[]` appends after the highest index; `01` is not an index.
    let p = decode_form("a[5]=x&a[]=y").unwrap();
    assert_eq!(p["a"], json!(["x", "y"]));
    let p = decode_form("a[01]=x").unwrap();
    assert_eq!(p["a"], json!({"01": "x"}));
    // Top-level numeric keys stay an object.
    let p = decode_form("0=a&1=b").unwrap();
    assert_eq!(keys(&p), ["0", "1"]);
}

#[test]
fn later_pairs_replace_earlier_ones_like_php() {
    let p = decode_form("answered_agent=&answered_agent[id]=1").unwrap();
    assert_eq!(p["answered_agent"], json!({"id": "1"}));
    let p = decode_form("answered_agent[id]=1&answered_agent=").unwrap();
    assert_eq!(p["answered_agent"], "");
    let p = decode_form("a[b]=1&a[b][c]=2&a[d]=3").unwrap();
    assert_eq!(p["a"], json!({"b": {"c": "2"}, "d": "3"}));
}

#[test]
fn malformed_or_too_deep_brackets_stay_flat_keys() {
    for key in ["a[b", "a[b]c", "[a]", "[]", "a]b[", "a[b]]"] {
        let p = decode_form(&format!(
            "{}=1",
            key.replace('[', "%5B").replace(']', "%5D")
        ))
        .unwrap();
        assert_eq!(keys(&p), [key], "{key}");
    }
    let deep = format!("a{}=1", "[x]".repeat(MAX_DEPTH + 1));
    let p = decode_form(&deep).unwrap();
    assert_eq!(keys(&p), [&deep[..deep.len() - 2]]);
    let ok = format!("a{}=1", "[x]".repeat(MAX_DEPTH));
    let p = decode_form(&ok).unwrap();
    assert_eq!(keys(&p), ["a"]);
}

#[test]
fn many_indexed_pairs_stay_fast() {
    let body: Vec<String> = (0..50_000).map(|i| format!("a[{i}]=x&b[]={i}")).collect();
    let p = decode_form(&body.join("&")).unwrap();
    assert_eq!(p["a"].as_array().unwrap().len(), 50_000);
    assert_eq!(p["b"][49_999], "49999");
}

// --- Never panics --------------------------------------------------------------------------------

fn fragments() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ":",
        "=",
        "&",
        "%",
        "%5B",
        "%5D",
        "%7B",
        "%2",
        "+",
        " ",
        "map[",
        "\"",
        ",",
        "a",
        "id",
        "name",
        "0",
        "1",
        "\n",
        "\r",
        "\u{feff}",
        "é",
        "answered_agent",
        "call_flow",
        "digits_dialed",
        "customer_no_with_prefix ",
        "[]",
        "[0]",
        "1.77e+09",
    ]);
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..256),
                                   query in ".{0,40}") {
        for ct in [None, JSON, FORM, Some("text/plain"), Some("multipart/form-data")] {
            let _ = decode_request("POST", ct, "", &body);
            let _ = decode_request("GET", ct, &query, &body);
        }
        let _ = decode_body(&body, None);
        let _ = decode_body(&body, Some(BodyKind::Json));
        let _ = decode_body(&body, Some(BodyKind::Form));
    }

    #[test]
    fn arbitrary_fragments_never_panic(text in fragments(), key in fragments()) {
        let _ = decode_request("POST", None, "", text.as_bytes());
        let _ = decode_request("POST", FORM, "", text.as_bytes());
        let _ = decode_request("GET", None, &text, b"");
        let _ = decode_body(text.as_bytes(), None);
        let _ = decode_form(&text);
        for k in [key.as_str(), "answered_agent", "call_flow", "digits_dialed", "billsec"] {
            let _ = decode_nested_text(k, &text);
            let _ = decode_nested_text(k, &format!("map[{text}]"));
            let _ = decode_nested_text(k, &format!("[{text}]"));
        }
    }

    #[test]
    fn decoded_forms_are_objects_of_the_pairs(pairs in prop::collection::vec(("[a-z_ ]{1,8}", ".{0,12}"), 1..8)) {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &pairs {
            s.append_pair(k, v);
        }
        let p = decode_form(&s.finish()).unwrap();
        for (k, _) in &pairs {
            prop_assert!(p.contains_key(k));
        }
    }
}

#[test]
fn large_hostile_values_stay_fast() {
    let started = std::time::Instant::now();
    for piece in [
        "map[a: ", "[ map[", "map[id:", " name:", "[[]", "a:b ", "{\"a\":[",
    ] {
        let text = piece.repeat(40_000);
        for key in ["answered_agent", "call_flow", "custom_identifier"] {
            let _ = decode_nested_text(key, &format!("map[{text}]"));
            let _ = decode_nested_text(key, &format!("[{text}]"));
        }
        let _ = decode_form(&format!("a={}", text.replace('&', "%26")));
    }
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

#[test]
fn the_carrier_is_the_query_of_a_get_or_empty_body_else_the_content_type_else_sniffed() {
    use super::{Carrier, carrier};
    let json = Some("application/json");
    assert_eq!(carrier("GET", json, "a=1", b"{}"), Carrier::Query);
    assert_eq!(carrier("POST", json, "a=1", b"  "), Carrier::Query);
    assert_eq!(carrier("GET", None, "", b""), Carrier::Query);
    assert_eq!(
        carrier("GET", json, "", b"{}"),
        Carrier::Body(BodyKind::Json)
    );
    assert_eq!(
        carrier("POST", json, "a=1", b"a=2"),
        Carrier::Body(BodyKind::Json)
    );
    assert_eq!(
        carrier("POST", Some("text/plain"), "", b" [1]"),
        Carrier::Sniffed(BodyKind::Json)
    );
    assert_eq!(
        carrier("POST", None, "", b"a=1"),
        Carrier::Sniffed(BodyKind::Form)
    );
}
