//! A payload the three ways the portal sends it: a JSON body, a form body, a GET query string.
//! In form and query encodings every top-level key is one field and nested values (agent objects,
//! call_flow) travel as text: JSON text, as one integrator shows the platform sending them, or Go
//! `fmt.Sprint` text ([`FormStyle::Go`], `go_sprint.rs`), as the Go dispatcher prints them. This
//! is the one form encoder: `fire`, `sample`, `test` and `replay` all write form text here.

mod go_sprint;

use serde_json::{Map, Value};

pub use go_sprint::has_nested;

use crate::decode::{BodyKind, Carrier, carrier};

/// How a payload travels: the one model for fire's flags, servetel.toml's `method` and
/// `content_type`, and a received request ([`Encoding::of_request`], by the decoder's rule). A POST
/// carries a body of a [`BodyKind`]; a GET carries the payload in its query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// POST, `Content-Type: application/json`.
    Json,
    /// POST, `Content-Type: application/x-www-form-urlencoded`.
    Form,
    /// GET, every key in the query string.
    Query,
}

impl Encoding {
    /// The request method the portal uses for it.
    pub fn method(self) -> &'static str {
        match self {
            Encoding::Json | Encoding::Form => "POST",
            Encoding::Query => "GET",
        }
    }

    /// The Content-Type header, when there is a body.
    pub fn content_type(self) -> Option<&'static str> {
        match self {
            Encoding::Json => Some("application/json"),
            Encoding::Form => Some("application/x-www-form-urlencoded"),
            Encoding::Query => None,
        }
    }

    /// How a received request carried its payload, by `decode::carrier`'s rule. `body` is `None`
    /// when only the decoded payload is known: without a Content-Type naming form, it goes as
    /// JSON.
    pub fn of_request(
        method: &str,
        content_type: Option<&str>,
        query: &str,
        body: Option<&[u8]>,
    ) -> Encoding {
        match carrier(method, content_type, query, body.unwrap_or_default()) {
            Carrier::Query => Encoding::Query,
            Carrier::Sniffed(_) if body.is_none() => Encoding::Json,
            Carrier::Body(BodyKind::Json) | Carrier::Sniffed(BodyKind::Json) => Encoding::Json,
            Carrier::Body(BodyKind::Form) | Carrier::Sniffed(BodyKind::Form) => Encoding::Form,
        }
    }

    /// As the portal's webhook form says it (and `servetel.toml` after it): `method` POST or
    /// GET, `content_type` json or form (their MIME types too; a GET's is moot).
    pub fn from_portal(method: &str, content_type: &str) -> Result<Encoding, String> {
        if method.eq_ignore_ascii_case("GET") {
            return Ok(Encoding::Query);
        }
        if !method.eq_ignore_ascii_case("POST") {
            return Err(format!(
                "method must be \"POST\" or \"GET\", found {method:?}"
            ));
        }
        let short = match content_type.to_ascii_lowercase().as_str() {
            "json" => Some(BodyKind::Json),
            "form" => Some(BodyKind::Form),
            mime => BodyKind::from_content_type(mime),
        };
        match short {
            Some(BodyKind::Json) => Ok(Encoding::Json),
            Some(BodyKind::Form) => Ok(Encoding::Form),
            None => Err(format!(
                "content_type must be \"json\" or \"form\", found {content_type:?}"
            )),
        }
    }

    /// The portal's method and content type for this encoding.
    pub fn portal(self) -> (&'static str, &'static str) {
        match self {
            Encoding::Json => ("POST", "json"),
            Encoding::Form => ("POST", "form"),
            Encoding::Query => ("GET", "json"),
        }
    }

    /// The payload as the body (JSON, form) or the query string without `?` (query), nested
    /// form values as JSON text.
    pub fn encode(self, payload: &Map<String, Value>) -> String {
        self.encode_with(payload, FormStyle::Json)
    }

    /// [`Encoding::encode`], nested form and query values written in `style` (a JSON body has
    /// only one way).
    pub fn encode_with(self, payload: &Map<String, Value>, style: FormStyle) -> String {
        match self {
            Encoding::Json => serde_json::to_string(payload).expect("a JSON map always serializes"),
            Encoding::Form | Encoding::Query => to_form_with(payload, style),
        }
    }
}

/// How a form body or query string writes the values that are not strings (`--form-style`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FormStyle {
    /// Nested values as JSON text (`{"id":"0507…","name":"Asha"}`), `null` as nothing.
    #[default]
    Json,
    /// Every value as Go's `fmt.Sprint` prints the `map[string]interface{}` the Go dispatcher
    /// decoded the template into: `map[id:0507… name:Asha]`, numbers as float64
    /// (`1.775719462e+09`), `null` as `<nil>`; the fields in sorted order, as Go's
    /// `url.Values.Encode` writes them (a Go map has no order of its own).
    Go,
}

impl FormStyle {
    /// The text `value` takes as one form field.
    pub fn value(self, value: &Value) -> String {
        match (self, value) {
            (_, Value::String(s)) => s.clone(),
            (FormStyle::Json, Value::Null) => String::new(),
            (FormStyle::Json, other) => other.to_string(),
            (FormStyle::Go, other) => go_sprint::text(other),
        }
    }

    /// How a received form body or query string wrote its nested values: Go when some field
    /// holds Go `fmt.Sprint` text the decoder reads as a structure (`map[…]`, a `[…]` that is
    /// not JSON), else JSON. Replay re-encodes an edited record with it, the way it arrived.
    pub fn of_form(text: &[u8]) -> FormStyle {
        let go = form_urlencoded::parse(text).any(|(key, value)| {
            let v = value.trim();
            let bracketed = v.starts_with("map[")
                || (v.starts_with('[') && serde_json::from_str::<Value>(v).is_err());
            bracketed && crate::decode::decode_nested_text(&key, v).is_some()
        });
        if go { FormStyle::Go } else { FormStyle::Json }
    }
}

/// The text a value takes as one form field: strings as they are, everything else as JSON text.
pub fn form_value(value: &Value) -> String {
    FormStyle::Json.value(value)
}

/// `key=value&…`, URL-encoded (spaces as `+`), keys in payload order, nested values as JSON text.
pub fn to_form(payload: &Map<String, Value>) -> String {
    to_form_with(payload, FormStyle::Json)
}

/// [`to_form`] in `style`: Go text sorts the fields as Go does.
pub fn to_form_with(payload: &Map<String, Value>, style: FormStyle) -> String {
    let mut fields: Vec<(&String, &Value)> = payload.iter().collect();
    if style == FormStyle::Go {
        fields.sort_by_key(|&(key, _)| key);
    }
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (key, value) in fields {
        out.append_pair(key, &style.value(value));
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn form_keeps_trailing_spaces_and_sends_nested_values_as_json_text() {
        let p = json!({"customer_no_with_prefix ": "91 98", "answered_agent": {"id": "1", "name": "A&B"}, "billsec": "30"});
        let form = Encoding::Form.encode(p.as_object().unwrap());
        assert_eq!(
            form,
            "customer_no_with_prefix+=91+98&answered_agent=%7B%22id%22%3A%221%22%2C%22name%22%3A%22A%26B%22%7D&billsec=30"
        );
        let back: Vec<(String, String)> = form_urlencoded::parse(form.as_bytes())
            .into_owned()
            .collect();
        assert_eq!(back[0].0, "customer_no_with_prefix ");
        assert_eq!(
            serde_json::from_str::<Value>(&back[1].1).unwrap(),
            p["answered_agent"]
        );
    }

    #[test]
    fn a_received_form_tells_which_style_wrote_it() {
        let style = |text: &str| FormStyle::of_form(text.as_bytes());
        let p = json!({"uuid": "a1", "answered_agent": {"id": "1", "name": "A B"}, "digits_dialed": ["1", "2"]});
        let p = p.as_object().unwrap();
        assert_eq!(style(&to_form_with(p, FormStyle::Go)), FormStyle::Go);
        assert_eq!(style(&to_form_with(p, FormStyle::Json)), FormStyle::Json);
        assert_eq!(style("uuid=a1&digits_dialed=%5B1+2%5D"), FormStyle::Go);
        // Text that only looks bracketed: a scalar variable's value, JSON, or nothing nested.
        assert_eq!(style("uuid=a1&hangup_cause=%5Bbusy%5D"), FormStyle::Json);
        assert_eq!(style("digits_dialed=%5B%221%22%5D"), FormStyle::Json);
        assert_eq!(style("uuid=a1&billsec=30"), FormStyle::Json);
    }

    #[test]
    fn json_keeps_key_order() {
        let p = json!({"z": "1", "a": "2"});
        assert_eq!(
            Encoding::Json.encode(p.as_object().unwrap()),
            r#"{"z":"1","a":"2"}"#
        );
        assert_eq!(Encoding::Query.method(), "GET");
        assert_eq!(Encoding::Query.content_type(), None);
    }

    #[test]
    fn the_form_encoder_round_trips() {
        let payload = json!({
            "uuid": "69d7585e0bc1a",
            "customer_no_with_prefix ": "09876500011",
            "answered_agent": [{"id": "1", "name": "A & B"}, {"id": "2", "name": "C"}],
            "billing_circle": {"operator": "Vodafone Idea", "circle": "Delhi"},
            "billsec": "30",
        });
        let payload = payload.as_object().unwrap().clone();
        let form = to_form(&payload);
        assert_eq!(crate::decode::decode_form(&form).unwrap(), payload);
        assert_eq!(
            crate::decode::decode_request("GET", None, &form, b"").unwrap(),
            payload
        );
    }
}
