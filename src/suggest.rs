//! "Did you mean": the closest known name to what the user typed.

/// The candidate closest to `typed`, if one is close enough to be a likely typo. A name far longer
/// than every candidate is no typo of one: it gets no suggestion, and costs no comparison (the
/// comparison grows with the length of both, and a key can be megabytes long).
pub fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    let longest = candidates.iter().map(|c| c.trim().len()).max()?;
    if typed.trim().len() > 2 * longest + TYPO_SLACK {
        return None;
    }
    let typed = typed.trim().to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&typed, &c.trim().to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// How many characters past twice the longest candidate a typo may still run (a short name
/// typed with a few extra keys).
const TYPO_SLACK: usize = 8;

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_a_typo_and_refuses_a_stranger() {
        let known = ["caller_id_number", "call_to_number", "uuid"];
        assert_eq!(closest("caler_id_number", known), Some("caller_id_number"));
        assert_eq!(closest("CALL_TO_NUMBER", known), Some("call_to_number"));
        assert_eq!(closest("zzz", known), None);
        // The length bound leaves room for a typo with a few extra keys.
        assert_eq!(
            closest("caller_id_number_x", known),
            Some("caller_id_number")
        );
        assert_eq!(closest(&"x".repeat(1 << 20), known), None);
    }
}
