//! The platform's call ids, as `fire` and `replay` mint them (docs/wire.md, "Phones, ids, URLs"; the catalog's
//! `Kind::CallId` and `Kind::Uuid`).

/// `1775719461.306731`: the call's start epoch, a dot, six digits.
pub fn call_id(start: i64, n: u64) -> String {
    format!("{start}.{:06}", n % 1_000_000)
}

/// `69d76b2a1c3f0`: PHP `uniqid()`, the start epoch in 8 hex digits, then 5 more.
pub fn uuid(start: i64, n: u64) -> String {
    format!("{start:08x}{:05x}", n & 0xf_ffff)
}

/// `3f2b8c1e-7d4a-4e59-9a61-0c2f5d8e9b17`: a UUID v4 from 32 hex digits, as dialer calls carry
/// for `call_id` (version nibble 4, variant 8–b).
pub fn uuid4(hex: &str) -> String {
    let h = |r: std::ops::Range<usize>| hex.get(r).unwrap_or("0");
    let variant =
        ['8', '9', 'a', 'b'][usize::from(hex.as_bytes().get(16).copied().unwrap_or(0)) % 4];
    format!(
        "{}-{}-4{}-{variant}{}-{}",
        h(0..8),
        h(8..12),
        h(13..16),
        h(17..20),
        h(20..32)
    )
}
