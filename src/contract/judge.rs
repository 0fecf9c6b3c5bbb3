//! Pass or fail, the way the platform judges a callback: a 2xx within the budget (Servetel's
//! 10 s). A reason names what the receiver did, in a handler author's terms.

use std::time::Duration;

use crate::encode::Encoding;
use crate::send::Answer;

/// A case's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    Failed(String),
}

fn seconds(d: Duration) -> String {
    let ms = d.as_millis();
    if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{} s", ms as f64 / 1000.0)
    }
}

fn response(answer: &Answer) -> String {
    match answer.excerpt.is_empty() {
        true => String::new(),
        false => format!(" (response: {})", answer.excerpt),
    }
}

/// Why the platform would count this answer as a failure; `None` when it would not.
pub fn answer(answer: &Answer, budget: Duration, encoding: Encoding) -> Option<String> {
    let Some(status) = answer.status else {
        let error = answer.error.as_deref().unwrap_or("no answer");
        if error.starts_with("timed out") {
            return Some(format!(
                "no answer within the {} budget: Servetel gives up after 10 s; acknowledge \
                 first, then do the slow work",
                seconds(budget)
            ));
        }
        return Some(format!("no answer: {error}"));
    };
    if answer.is_success() {
        if answer.elapsed <= budget {
            return None;
        }
        return Some(format!(
            "answered {status} after {:.2} s, past the {} budget (Servetel gives up after 10 s)",
            answer.elapsed.as_secs_f64(),
            seconds(budget)
        ));
    }
    let why = match status {
        300..=399 => "a redirect: Servetel does not follow redirects, so the callback is lost \
                      (give the webhook the final URL)"
            .to_string(),
        400 | 404 | 405 | 406 | 415 | 422 if encoding != Encoding::Json => format!(
            "it refused {}: Servetel sends {} when the webhook says {}; accept it",
            match encoding {
                Encoding::Query => "a GET with the payload in the query string",
                _ => "a form body (application/x-www-form-urlencoded)",
            },
            match encoding {
                Encoding::Query => "GET requests",
                _ => "form bodies",
            },
            match encoding {
                Encoding::Query => "method GET",
                _ => "content type form",
            }
        ),
        500..=599 => "the handler failed on this payload".to_string(),
        _ => "not a 2xx".to_string(),
    };
    Some(format!("answered {status}, {why}{}", response(answer)))
}

/// Why a `--check` run counts as a failure; `None` when it exited 0.
pub fn check(code: Option<i32>, stderr: &[u8]) -> Option<String> {
    if code == Some(0) {
        return None;
    }
    let how = match code {
        Some(c) => format!("exited {c}"),
        None => "was killed by a signal".to_string(),
    };
    let said = crate::send::excerpt(stderr);
    Some(match said.is_empty() {
        true => format!("--check {how}: the receiver acknowledged data it did not store"),
        false => format!("--check {how}: {said}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn got(status: Option<u16>, ms: u64, error: Option<&str>) -> Answer {
        Answer {
            url: "http://127.0.0.1/".into(),
            status,
            elapsed: Duration::from_millis(ms),
            error: error.map(str::to_string),
            excerpt: "KeyError: 'hangup_cause'".into(),
            content_type: None,
            body: Vec::new(),
        }
    }

    #[test]
    fn the_platforms_judgement() {
        let budget = Duration::from_secs(10);
        assert_eq!(
            answer(&got(Some(204), 3, None), budget, Encoding::Json),
            None
        );
        let slow = answer(&got(Some(200), 10_500, None), budget, Encoding::Json).unwrap();
        assert!(slow.contains("past the 10 s budget"), "{slow}");
        let moved = answer(&got(Some(302), 1, None), budget, Encoding::Json).unwrap();
        assert!(moved.contains("does not follow redirects"), "{moved}");
        let form = answer(&got(Some(415), 1, None), budget, Encoding::Form).unwrap();
        assert!(form.contains("refused a form body"), "{form}");
        let crash = answer(&got(Some(500), 1, None), budget, Encoding::Json).unwrap();
        assert!(crash.contains("KeyError: 'hangup_cause'"), "{crash}");
        let late = answer(
            &got(None, 500, Some("timed out after 0.5 s")),
            budget,
            Encoding::Json,
        );
        assert!(late.unwrap().contains("no answer within the 10 s budget"));
    }

    #[test]
    fn checks_pass_on_exit_0_and_quote_stderr() {
        assert_eq!(check(Some(0), b"noise"), None);
        let failed = check(Some(1), b"call 17 not stored\n").unwrap();
        assert!(failed.contains("exited 1: call 17 not stored"), "{failed}");
        assert!(check(Some(2), b"").unwrap().contains("did not store"));
    }
}
