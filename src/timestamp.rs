//! The one parser and formatter for every stamp-like value (`*_stamp`, `date`,
//! `start_date` + `start_time`). Stamps without an offset are IST (+05:30), as Servetel sends them.
//!
//! Dialects: `2026-04-09 12:54:22` (the default), the dialer's `7/11/2026, 9:12:56 PM` (12 AM is
//! midnight), ISO 8601 with an offset, and 10-digit epoch seconds.

/// IST's offset from UTC in seconds.
pub const IST_OFFSET: i64 = 5 * 3600 + 30 * 60;

/// Which spelling a stamp was written in; the arithmetic rules differ per dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// `YYYY-MM-DD HH:MM:SS`, IST.
    Servetel,
    /// `M/D/YYYY, h:mm:ss AM`, IST.
    Dialer,
    /// ISO 8601 with an offset.
    Iso,
    /// Epoch seconds.
    Epoch,
}

/// A parsed stamp: the instant in epoch seconds and the dialect it came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub epoch: i64,
    pub dialect: Dialect,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Broken-down IST wall time of an epoch: (year, month, day, hour, minute, second).
fn ist_parts(epoch: i64) -> (i64, u32, u32, u32, u32, u32) {
    parts(epoch + IST_OFFSET)
}

/// Broken-down wall time of `local` seconds (an epoch already moved to its time zone).
fn parts(local: i64) -> (i64, u32, u32, u32, u32, u32) {
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    let secs = local.rem_euclid(86_400) as u32;
    (y, m, d, secs / 3600, secs / 60 % 60, secs % 60)
}

/// The current instant, in epoch seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `2026-04-09T07:24:22.123+00:00`: RFC 3339 in UTC with milliseconds (listen's `received_at`).
pub fn format_rfc3339_utc(epoch: i64, millis: u32) -> String {
    let (y, mo, d, h, mi, s) = parts(epoch);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{millis:03}+00:00")
}

/// The zone `listen` shows its clock in: IST when the machine is in India, else UTC. Only these
/// two are known (no time zone database); either way the zone is named beside the time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Zone {
    pub name: &'static str,
    /// Seconds east of UTC.
    pub offset: i64,
}

pub const UTC: Zone = Zone {
    name: "UTC",
    offset: 0,
};
pub const IST: Zone = Zone {
    name: "IST",
    offset: IST_OFFSET,
};

/// The zone a `TZ` value (or the `/etc/localtime` link's target) names: IST for
/// `Asia/Kolkata`, `Asia/Calcutta` and the POSIX `IST-5:30`, UTC for anything else.
pub fn zone_named(tz: &str) -> Zone {
    let tz = tz.trim().trim_start_matches(':');
    let india = ["Asia/Kolkata", "Asia/Calcutta"]
        .iter()
        .any(|z| tz == *z || tz.ends_with(&format!("/zoneinfo/{z}")))
        || tz.starts_with("IST-5:30");
    if india { IST } else { UTC }
}

/// This machine's zone, looked up once: `TZ` when set, else where `/etc/localtime` points.
pub fn local_zone() -> Zone {
    static ZONE: std::sync::OnceLock<Zone> = std::sync::OnceLock::new();
    *ZONE.get_or_init(|| match std::env::var("TZ") {
        Ok(tz) => zone_named(&tz),
        Err(_) => std::fs::read_link("/etc/localtime")
            .map_or(UTC, |target| zone_named(&target.to_string_lossy())),
    })
}

/// `06:42:42.830 IST`: the wall clock in `zone` of an RFC 3339 UTC stamp as
/// [`format_rfc3339_utc`] writes it (`2026-04-09T01:12:42.830+00:00`); `None` for anything else.
pub fn clock_in(rfc3339_utc: &str, zone: Zone) -> Option<String> {
    let field = |range: std::ops::Range<usize>| rfc3339_utc.get(range)?.parse::<u32>().ok();
    let (y, mo, d) = (field(0..4)?, field(5..7)?, field(8..10)?);
    let (h, mi, s, ms) = (
        field(11..13)?,
        field(14..16)?,
        field(17..19)?,
        field(20..23)?,
    );
    if rfc3339_utc.get(23..) != Some("+00:00") {
        return None;
    }
    let epoch = days_from_civil(i64::from(y), mo, d) * 86_400 + i64::from(h * 3600 + mi * 60 + s);
    Some(clock(epoch * 1000 + i64::from(ms), zone))
}

/// `06:42:42.830 IST`: the wall clock in `zone` of an epoch in milliseconds, the zone named.
/// The one clock of arrival times: listen's lines and `calls`' events.
pub fn clock(epoch_ms: i64, zone: Zone) -> String {
    let ms = epoch_ms.rem_euclid(1000);
    let (_, _, _, h, mi, s) = parts(epoch_ms.div_euclid(1000) + zone.offset);
    format!("{h:02}:{mi:02}:{s:02}.{ms:03} {}", zone.name)
}

/// `2026-04-09 12:54:22`, the stamp Servetel sends.
pub fn format_ist(epoch: i64) -> String {
    let (y, mo, d, h, mi, s) = ist_parts(epoch);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}

/// `12:54:22`: the time of day of [`format_ist`] (listen draws one per call-flow step of every
/// callback, and needs no date for it).
pub fn format_ist_clock(epoch: i64) -> String {
    let (_, _, _, h, mi, s) = ist_parts(epoch);
    format!("{h:02}:{mi:02}:{s:02}")
}

/// `7/11/2026, 9:12:56 PM`, the dialer's stamp.
pub fn format_dialer(epoch: i64) -> String {
    let (y, mo, d, h, mi, s) = ist_parts(epoch);
    let (h12, half) = match h {
        0 => (12, "AM"),
        1..=11 => (h, "AM"),
        12 => (12, "PM"),
        _ => (h - 12, "PM"),
    };
    format!("{mo}/{d}/{y}, {h12}:{mi:02}:{s:02} {half}")
}

/// `epoch` written in `dialect` (ISO in IST, `+05:30`).
pub fn format(epoch: i64, dialect: Dialect) -> String {
    match dialect {
        Dialect::Servetel => format_ist(epoch),
        Dialect::Dialer => format_dialer(epoch),
        Dialect::Epoch => epoch.to_string(),
        Dialect::Iso => {
            let (y, mo, d, h, mi, s) = ist_parts(epoch);
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}+05:30")
        }
    }
}

/// `start_date`/`start_time` of `epoch` in `dialect`: the dialer's `2/24/2026`, `2:19:58`, else
/// [`format_date_time`].
pub fn format_date_time_in(epoch: i64, dialect: Dialect) -> (String, String) {
    match dialect {
        Dialect::Dialer => {
            let (y, mo, d, h, mi, s) = ist_parts(epoch);
            (format!("{mo}/{d}/{y}"), format!("{h}:{mi:02}:{s:02}"))
        }
        _ => format_date_time(epoch),
    }
}

/// Epoch seconds as the platform sends them: ten digits (2001 to 2286).
pub fn is_epoch_secs(n: i64) -> bool {
    (1_000_000_000..10_000_000_000).contains(&n)
}

/// A JSON value holding a stamp: a string in any dialect, or a number of epoch seconds.
pub fn stamp_of(value: &serde_json::Value) -> Option<Stamp> {
    match value {
        serde_json::Value::String(s) => parse(s),
        serde_json::Value::Number(n) => {
            n.as_i64().filter(|e| is_epoch_secs(*e)).map(|epoch| Stamp {
                epoch,
                dialect: Dialect::Epoch,
            })
        }
        _ => None,
    }
}

/// `start_date`/`start_time` as the live triggers send them: `2026-04-09`, `12:54:22`.
pub fn format_date_time(epoch: i64) -> (String, String) {
    let (y, mo, d, h, mi, s) = ist_parts(epoch);
    (
        format!("{y:04}-{mo:02}-{d:02}"),
        format!("{h:02}:{mi:02}:{s:02}"),
    )
}

/// Parses a stamp in any known dialect; `None` when it is in none of them.
pub fn parse(s: &str) -> Option<Stamp> {
    let s = s.trim();
    if s.len() == 10 && s.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Stamp {
            epoch: s.parse().ok()?,
            dialect: Dialect::Epoch,
        });
    }
    if let Some((date, time)) = s.split_once(", ") {
        let (y, m, d) = parse_dialer_date(date)?;
        let (time, half) = time.split_once(' ')?;
        let (h, mi, sec) = parse_clock(time)?;
        let h = match (h, half.to_ascii_uppercase().as_str()) {
            (1..=11, "AM") => h,
            (12, "AM") => 0,
            (1..=11, "PM") => h + 12,
            (12, "PM") => 12,
            _ => return None,
        };
        return Some(Stamp {
            epoch: local_epoch(y, m, d, h, mi, sec)?,
            dialect: Dialect::Dialer,
        });
    }
    let (date, rest) = (s.get(..10)?, s.get(10..)?);
    let (y, m, d) = parse_iso_date(date)?;
    if let Some(time) = rest.strip_prefix(' ') {
        let (h, mi, sec) = parse_clock(time).filter(|_| time.len() == 8)?;
        return Some(Stamp {
            epoch: local_epoch(y, m, d, h, mi, sec)?,
            dialect: Dialect::Servetel,
        });
    }
    let rest = rest.strip_prefix('T')?;
    let clock = rest.get(..8)?;
    let (h, mi, sec) = parse_clock(clock)?;
    let mut tail = &rest[8..];
    if let Some(frac) = tail.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        tail = &frac[digits..];
    }
    if !exists(y, m, d, h, mi, sec) {
        return None;
    }
    let offset = match tail {
        "Z" | "z" => 0,
        _ => {
            let sign = match tail.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (oh, om) = tail[1..].split_once(':')?;
            let (oh, om) = (number(oh, 2, 2)?, number(om, 2, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            sign * i64::from(oh * 3600 + om * 60)
        }
    };
    let utc_wall = days_from_civil(y, m, d) * 86_400 + i64::from(h * 3600 + mi * 60 + sec);
    Some(Stamp {
        epoch: utc_wall - offset,
        dialect: Dialect::Iso,
    })
}

/// Whether `s` is spelled like a stamp of some dialect but names a date or time that does not
/// exist (`2026-02-30T11:05:00+05:30`, hour 24): every digit turned into `1` gives a real one
/// (month 11, day 11, 11:11:11), so it is the values, not the spelling, that are wrong.
pub fn is_impossible(s: &str) -> bool {
    let ones: String = s
        .chars()
        .map(|c| if c.is_ascii_digit() { '1' } else { c })
        .collect();
    parse(s).is_none() && parse(&ones).is_some()
}

/// Parses a `start_date` + `start_time` pair (`2026-04-09` + `12:54:22`, or `2/24/2026` +
/// `2:19:58`).
pub fn parse_date_time(date: &str, time: &str) -> Option<Stamp> {
    let date = date.trim();
    let (y, m, d, dialect) = match parse_iso_date(date) {
        Some((y, m, d)) => (y, m, d, Dialect::Servetel),
        None => {
            let (y, m, d) = parse_dialer_date(date)?;
            (y, m, d, Dialect::Dialer)
        }
    };
    let (h, mi, s) = parse_clock(time.trim())?;
    Some(Stamp {
        epoch: local_epoch(y, m, d, h, mi, s)?,
        dialect,
    })
}

/// Whether a wall time exists: month 1–12, a day of that month (29 February only in leap years),
/// hour 0–23, minute and second 0–59. Every dialect's parser asks this, so an impossible date is
/// `format`, never a silently shifted instant (`days_from_civil` would read 30 February as 2 March).
fn exists(y: i64, m: u32, d: u32, h: u32, mi: u32, s: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m) && h <= 23 && mi <= 59 && s <= 59
}

/// Epoch of an IST wall time, checking that every part is in range.
fn local_epoch(y: i64, m: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<i64> {
    if !exists(y, m, d, h, mi, s) {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400 + i64::from(h * 3600 + mi * 60 + s) - IST_OFFSET)
}

fn number(s: &str, min_len: usize, max_len: usize) -> Option<u32> {
    if s.len() < min_len || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `2026-04-09`.
fn parse_iso_date(s: &str) -> Option<(i64, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    Some((
        i64::from(number(&s[..4], 4, 4)?),
        number(&s[5..7], 2, 2)?,
        number(&s[8..], 2, 2)?,
    ))
}

/// `2/24/2026` (no zero padding required).
fn parse_dialer_date(s: &str) -> Option<(i64, u32, u32)> {
    let mut parts = s.split('/');
    let m = number(parts.next()?, 1, 2)?;
    let d = number(parts.next()?, 1, 2)?;
    let y = number(parts.next()?, 4, 4)?;
    parts.next().is_none().then_some((i64::from(y), m, d))
}

/// `12:54:22` or `2:19:58`.
fn parse_clock(s: &str) -> Option<(u32, u32, u32)> {
    let mut parts = s.split(':');
    let h = number(parts.next()?, 1, 2)?;
    let m = number(parts.next()?, 2, 2)?;
    let sec = number(parts.next()?, 2, 2)?;
    parts.next().is_none().then_some((h, m, sec))
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-04-09 12:54:22 IST is 07:24:22 UTC.
    const EPOCH: i64 = 1_775_719_462;

    #[test]
    fn formats_ist_wall_time() {
        assert_eq!(format_ist(EPOCH), "2026-04-09 12:54:22");
        assert_eq!(format_dialer(EPOCH), "4/9/2026, 12:54:22 PM");
        assert_eq!(
            format_date_time(EPOCH),
            ("2026-04-09".into(), "12:54:22".into())
        );
        assert_eq!(
            format_rfc3339_utc(EPOCH, 7),
            "2026-04-09T07:24:22.007+00:00"
        );
        assert_eq!(format(EPOCH, Dialect::Iso), "2026-04-09T12:54:22+05:30");
        assert_eq!(
            format_date_time_in(EPOCH, Dialect::Dialer),
            ("4/9/2026".into(), "12:54:22".into())
        );
        for dialect in [
            Dialect::Servetel,
            Dialect::Dialer,
            Dialect::Iso,
            Dialect::Epoch,
        ] {
            assert_eq!(parse(&format(EPOCH, dialect)).map(|s| s.epoch), Some(EPOCH));
        }
    }

    #[test]
    fn listens_clock_names_its_zone() {
        let at = "2026-04-09T01:12:42.830+00:00";
        assert_eq!(clock_in(at, IST).as_deref(), Some("06:42:42.830 IST"));
        assert_eq!(clock_in(at, UTC).as_deref(), Some("01:12:42.830 UTC"));
        // Past midnight in India while still the day before in UTC.
        let late = "2026-04-09T20:00:00.000+00:00";
        assert_eq!(clock_in(late, IST).as_deref(), Some("01:30:00.000 IST"));
        assert_eq!(clock_in("not a stamp", UTC), None);
        for tz in [
            "Asia/Kolkata",
            ":Asia/Calcutta",
            "IST-5:30",
            "/usr/share/zoneinfo/Asia/Kolkata",
        ] {
            assert_eq!(zone_named(tz), IST, "{tz}");
        }
        for tz in ["", "UTC", "Europe/Berlin", "Asia/Kolkatax"] {
            assert_eq!(zone_named(tz), UTC, "{tz}");
        }
    }

    #[test]
    fn parses_every_dialect_to_the_same_instant() {
        for s in [
            "2026-04-09 12:54:22",
            "4/9/2026, 12:54:22 PM",
            "2026-04-09T07:24:22Z",
            "2026-04-09T12:54:22.250+05:30",
            "1775719462",
        ] {
            assert_eq!(parse(s).map(|p| p.epoch), Some(EPOCH), "{s}");
        }
        assert_eq!(
            parse_date_time("2026-04-09", "12:54:22").map(|p| p.epoch),
            Some(EPOCH)
        );
    }

    #[test]
    fn twelve_am_is_midnight_and_twelve_pm_is_noon() {
        let midnight = parse("7/11/2026, 12:00:00 AM").unwrap().epoch;
        let noon = parse("7/11/2026, 12:00:00 PM").unwrap().epoch;
        assert_eq!(noon - midnight, 12 * 3600);
        assert_eq!(format_ist(midnight), "2026-07-11 00:00:00");
        for epoch in [midnight, midnight - 1, EPOCH, 0, -1] {
            assert_eq!(format_ist_clock(epoch), format_ist(epoch)[11..]);
        }
    }

    #[test]
    fn rejects_what_is_no_stamp() {
        for s in [
            "",
            "yesterday",
            "2026-13-01 00:00:00",
            "2026-02-30 10:00:00",
            "2026-04-09 25:00:00",
            "2026-04-09",
            "4/9/2026, 13:00:00 PM",
            "12345",
            "2026-04-09T12:54:22",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }

    #[test]
    fn rejects_dates_and_times_that_do_not_exist_in_every_dialect() {
        for s in [
            "2026-02-30T11:05:00+05:30",
            "2026-13-01T00:00:00Z",
            "2026-04-09T24:00:00Z",
            "2026-04-09T12:60:00+05:30",
            "2026-04-09T12:54:60Z",
            "2026-04-09T12:54:22+24:00",
            "2026-04-09T12:54:22+05:60",
            "2026-02-29 10:00:00",
            "2100-02-29T10:00:00Z",
            "2/29/2026, 9:12:56 PM",
            "4/31/2026, 9:12:56 AM",
            "4/9/2026, 9:60:00 AM",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
        assert!(is_impossible("2026-02-30T11:05:00+05:30"));
        assert!(is_impossible("4/9/2026, 13:00:00 PM"));
        assert!(!is_impossible("yesterday") && !is_impossible("2026-04-09T12:54:22"));
        assert_eq!(parse_date_time("2/30/2026", "2:19:58"), None);
        assert_eq!(parse_date_time("2026-04-09", "24:00:00"), None);
        for leap in [
            "2028-02-29T10:00:00+05:30",
            "2000-02-29 10:00:00",
            "2/29/2028, 9:12:56 PM",
        ] {
            assert!(parse(leap).is_some(), "{leap}");
        }
    }

    #[test]
    fn round_trips_any_epoch_through_both_dialects() {
        for epoch in (0..2_000_000_000i64).step_by(7_777_777) {
            assert_eq!(parse(&format_ist(epoch)).unwrap().epoch, epoch);
            assert_eq!(parse(&format_dialer(epoch)).unwrap().epoch, epoch);
        }
    }
}
