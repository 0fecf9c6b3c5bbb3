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
