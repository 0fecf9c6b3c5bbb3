//! "Did you mean": the closest known name to what the user typed.

/// The candidate closest to `typed`, if one is close enough to be a likely typo.
pub fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed = typed.trim().to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&typed, &c.trim().to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_a_typo_and_refuses_a_stranger() {
        let known = ["caller_id_number", "call_to_number", "uuid"];
        assert_eq!(closest("caler_id_number", known), Some("caller_id_number"));
        assert_eq!(closest("CALL_TO_NUMBER", known), Some("call_to_number"));
        assert_eq!(closest("zzz", known), None);
    }
}
