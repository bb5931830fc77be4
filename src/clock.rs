//! Wall-clock time as RFC 3339 text, without a time-zone database.
//!
//! Stored times are UTC (`2026-11-28T13:05:09Z`); printed pages show China Standard Time
//! (UTC+8, no daylight saving), which is where ScoreDesk's competitions take place.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, now.
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Now, as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_rfc3339() -> String {
    rfc3339(now_unix())
}

/// `unix` seconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn rfc3339(unix: i64) -> String {
    let (y, m, d, hh, mm, ss) = civil(unix);
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
}

/// `unix` seconds as Beijing time, `2026-11-28 21:05`.
pub fn beijing_minutes(unix: i64) -> String {
    let (y, m, d, hh, mm, _) = civil(unix + 8 * 3600);
    format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}")
}

/// Today's date in Beijing, `2026年11月28日`.
pub fn beijing_date_chinese(unix: i64) -> String {
    let (y, m, d, ..) = civil(unix + 8 * 3600);
    format!("{y}年{m}月{d}日")
}

/// Now in Beijing time as a file-name stamp, `20261128-210640` (sorts by time).
pub fn local_stamp() -> String {
    stamp(now_unix())
}

/// `unix` seconds in Beijing time as `YYYYMMDD-HHMMSS`.
pub fn stamp(unix: i64) -> String {
    let (y, m, d, hh, mm, ss) = civil(unix + 8 * 3600);
    format!("{y:04}{m:02}{d:02}-{hh:02}{mm:02}{ss:02}")
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` back to unix seconds.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    Some(days_from_civil(y, m, d) * 86_400 + hh * 3600 + mm * 60 + ss)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil(unix: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, secs / 3600, secs % 3600 / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_795_900_000), "2026-11-28T21:06:40Z");
        assert_eq!(beijing_minutes(1_795_900_000), "2026-11-29 05:06");
        assert_eq!(beijing_date_chinese(1_795_900_000), "2026年11月29日");
        assert_eq!(parse_rfc3339("2026-11-28T21:06:40Z"), Some(1_795_900_000));
        assert_eq!(stamp(1_795_900_000), "20261129-050640");
    }
}
