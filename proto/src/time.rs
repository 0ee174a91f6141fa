//! Clock and calendar helpers. Instants travel as Unix milliseconds (`i64`); dates
//! (an opportunity's closing day) as a civil date without a time zone.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::validate::ValidationError;

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// A calendar day, `YYYY-MM-DD`. Ordered by year, then month, then day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CivilDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl CivilDate {
    /// The UTC date of a Unix millisecond instant.
    pub fn from_unix_ms(ms: i64) -> CivilDate {
        // Howard Hinnant's days-to-civil algorithm.
        let z = ms.div_euclid(86_400_000) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        CivilDate { year, month, day }
    }

    /// Today in UTC.
    pub fn today() -> CivilDate {
        CivilDate::from_unix_ms(now_ms())
    }

    /// Parses `YYYY-MM-DD` for `field`, between 2000 and 2200.
    pub fn parse(field: &str, s: &str) -> Result<CivilDate, ValidationError> {
        let err = || ValidationError::new(field, format!("must be a date as YYYY-MM-DD (got {s:?})"));
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u16>().ok()).ok_or_else(err);
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(2000..=2200).contains(&year) || !(1..=12).contains(&month) {
            return Err(err());
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month as usize - 1];
        if day == 0 || day > days {
            return Err(ValidationError::new(field, format!("{s} is not a day of the calendar")));
        }
        Ok(CivilDate { year, month: month as u8, day: day as u8 })
    }
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for CivilDate {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CivilDate::parse("date", s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(CivilDate::from_unix_ms(0).to_string(), "1970-01-01");
        // 2026-11-26T12:00:00Z
        assert_eq!(CivilDate::from_unix_ms(1_795_694_400_000).to_string(), "2026-11-26");
        assert_eq!(CivilDate::from_unix_ms(951_782_400_000).to_string(), "2000-02-29");
        assert!(CivilDate::parse("closes_on", "2028-02-29").is_ok());
        assert!(CivilDate::parse("closes_on", "2027-02-29").is_err());
        assert!(CivilDate::parse("closes_on", "26/11/2026").is_err());
        assert!(CivilDate::parse("closes_on", "2026-13-01").is_err());
        let a: CivilDate = "2026-11-26".parse().unwrap();
        let b: CivilDate = "2026-12-01".parse().unwrap();
        assert!(a < b);
    }
}
