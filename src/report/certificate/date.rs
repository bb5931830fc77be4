//! The certificate's date (日期) and the year of its serial number (证书编号), from one source so
//! they always agree: the competition's dates (the last day written there), else the day the
//! last score was submitted (a reprint prints the same), else today — with a warning whenever
//! the competition's dates are not set.

use crate::report::data::ReportData;

/// The date printed on certificates and the year their serial numbers use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateDate {
    pub year: i32,
    /// e.g. "2025年11月29日".
    pub text: String,
    /// Said to the user when the competition's dates are not set.
    pub warning: Option<String>,
}

/// The certificate date for `data` (`now_unix`: only when nothing else is known).
pub fn certificate_date(data: &ReportData, now_unix: i64) -> CertificateDate {
    if let Some((y, m, d)) = last_day(&data.setup.competition.dates) {
        return CertificateDate {
            year: y,
            text: format!("{y}年{m}月{d}日"),
            warning: None,
        };
    }
    let (text, source) = match data.last_submitted.as_deref().and_then(ymd_of_rfc3339) {
        Some((y, m, d)) => (format!("{y}年{m}月{d}日"), "最后一次提交评分的日期"),
        None => (crate::clock::beijing_date_chinese(now_unix), "今天"),
    };
    let year = text.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2025);
    CertificateDate {
        year,
        warning: Some(format!(
            "比赛设置中没有比赛日期，证书日期用{source}：{text}；请在比赛设置中填写日期 (the competition's dates are not set; certificates use {}: {text})",
            if source == "今天" {
                "today"
            } else {
                "the day the last score was submitted"
            }
        )),
        text,
    }
}

/// The last day written in a free-text date such as "2025年11月28日—29日", "2025-11-28 至
/// 2025-11-29" or "2025.11.28": year, month, day; `None` if no full date is there.
pub fn last_day(dates: &str) -> Option<(i32, u32, u32)> {
    let nums: Vec<u32> = dates
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    let start = nums.iter().position(|n| (1990..2200).contains(n))?;
    let valid = |m: u32, d: u32| (1..=12).contains(&m) && (1..=31).contains(&d);
    let (mut y, mut m, mut d) = match nums.get(start..start + 3)? {
        [y, m, d] if valid(*m, *d) => (*y, *m, *d),
        _ => return None,
    };
    match nums.get(start + 3..).unwrap_or_default() {
        [y2, m2, d2, ..] if (1990..2200).contains(y2) && valid(*m2, *d2) => {
            (y, m, d) = (*y2, *m2, *d2);
        }
        [m2, d2] if valid(*m2, *d2) => (m, d) = (*m2, *d2),
        [d2] if valid(m, *d2) && *d2 >= d => d = *d2,
        _ => {}
    }
    Some((i32::try_from(y).ok()?, m, d))
}

/// Year, month and day of an RFC 3339 time, in Beijing time (the competition's clock).
fn ymd_of_rfc3339(at: &str) -> Option<(i32, u32, u32)> {
    let unix = crate::clock::parse_rfc3339(at)?;
    let text = crate::clock::beijing_minutes(unix);
    let y = text.get(..4)?.parse().ok()?;
    let m = text.get(5..7)?.parse().ok()?;
    let d = text.get(8..10)?.parse().ok()?;
    Some((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_day_written_in_the_dates() {
        assert_eq!(last_day("2025年11月28日—29日"), Some((2025, 11, 29)));
        assert_eq!(last_day("2025-11-28 至 2025-12-01"), Some((2025, 12, 1)));
        assert_eq!(last_day("2025.11.28"), Some((2025, 11, 28)));
        assert_eq!(last_day("2025年11月30日至12月2日"), Some((2025, 12, 2)));
        assert_eq!(last_day("十一月下旬"), None);
        assert_eq!(last_day("2025年"), None);
        assert_eq!(last_day(""), None);
    }
}
