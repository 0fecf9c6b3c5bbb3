//! Durations (`250ms`, `2s`, `1m`) and sizes (`512KiB`, `1MiB`, `1048576`) as flags take them.

use std::time::Duration;

pub fn duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let n: f64 = number
        .parse()
        .map_err(|_| format!("expected a duration like 250ms, 2s or 1m, found {s:?}"))?;
    let secs = match unit.trim() {
        "ms" => n / 1000.0,
        "" | "s" => n,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        other => {
            return Err(format!(
                "expected a duration unit ms, s, m or h, found {other:?}"
            ));
        }
    };
    Duration::try_from_secs_f64(secs).map_err(|_| {
        format!("expected a duration like 250ms, 2s or 1m, found {s:?}, which is too long")
    })
}

/// A duration that must be above zero: `--timeout` (a zero timeout would fail every request).
pub fn timeout(s: &str) -> Result<Duration, String> {
    match duration(s)? {
        d if d.is_zero() => Err(format!("expected a timeout above zero, found {s:?}")),
        d => Ok(d),
    }
}

pub fn size(s: &str) -> Result<usize, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let n: usize = number
        .parse()
        .map_err(|_| format!("expected a size like 1MiB, 512KiB or 1048576, found {s:?}"))?;
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1024,
        "m" | "mb" | "mib" => 1024 * 1024,
        "g" | "gb" | "gib" => 1024 * 1024 * 1024,
        other => {
            return Err(format!(
                "expected a size unit B, KiB, MiB or GiB, found {other:?}"
            ));
        }
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("{s} is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_users_type() {
        assert_eq!(duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(duration("1.5"), Ok(Duration::from_millis(1500)));
        assert_eq!(duration("1m"), Ok(Duration::from_secs(60)));
        assert!(duration("soon").is_err());
        assert!(duration("3d").is_err());
        assert!(
            duration("99999999999999999999999h").is_err(),
            "too long, not a panic"
        );
        assert_eq!(duration("0"), Ok(Duration::ZERO));
        assert!(timeout("0").is_err());
        assert_eq!(timeout("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(size("1MiB"), Ok(1 << 20));
        assert_eq!(size("512KiB"), Ok(512 << 10));
        assert_eq!(size("1048576"), Ok(1 << 20));
        assert!(size("1 lot").is_err());
    }
}
