//! The clock and the calendar. Instants travel as Unix milliseconds (`i64`), read
//! from one clock ([`now_ms`]); dates (an opportunity's closing day, a service's
//! last confirmation) as a civil date without a time zone, on the wire as three
//! numbers. Which day it is depends on where: the relay asks its region's time zone
//! ([`CivilDate::at`]), a person's machine its own ([`CivilDate::today_here`]). The
//! calendar itself is jiff's.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::validate::ValidationError;

/// Milliseconds since the Unix epoch, now: the one clock every part of Kith reads.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// A calendar day, `YYYY-MM-DD`. Ordered by year, then month, then day. Its fields
/// are its encoding on the wire (postcard, positional): only ever appended to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CivilDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl CivilDate {
    /// The local date in `zone` at a Unix millisecond instant.
    pub fn at(unix_ms: i64, zone: &TimeZone) -> CivilDate {
        let at = jiff::Timestamp::from_millisecond(unix_ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        CivilDate::from(at.to_zoned(zone.clone()).date())
    }

    /// Today where this program runs (the machine's time zone): for what a person
    /// types on their own machine, such as "confirmed today".
    pub fn today_here() -> CivilDate {
        CivilDate::at(now_ms(), &TimeZone::system())
    }

    /// Its ISO week: `2026-W49`.
    pub fn iso_week(self) -> String {
        let w = self.to_jiff().iso_week_date();
        format!("{:04}-W{:02}", w.year(), w.week())
    }

    /// The same day as jiff's date.
    pub fn to_jiff(self) -> Date {
        // Every CivilDate made here is a day of the calendar; one decoded from the
        // wire may not be, and then reads as the nearest one.
        Date::new(self.year as i16, self.month as i8, self.day as i8).unwrap_or_else(|_| {
            Date::new(self.year.min(9999) as i16, self.month.clamp(1, 12) as i8, 1).unwrap_or(Date::MIN)
        })
    }

    /// Parses `YYYY-MM-DD` for `field`, between 2000 and 2200.
    pub fn parse(field: &str, s: &str) -> Result<CivilDate, ValidationError> {
        let s = s.trim();
        let err = || ValidationError::new(field, format!("must be a date as YYYY-MM-DD (got {s:?})"));
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !s.bytes().all(|c| c.is_ascii_digit() || c == b'-') {
            return Err(err());
        }
        let date: Date = match s.parse() {
            Ok(date) => date,
            // The shape is right: a 30 February or a month 13.
            Err(_) if s[5..7].parse::<u8>().is_ok_and(|m| (1..=12).contains(&m)) => {
                return Err(ValidationError::new(field, format!("{s} is not a day of the calendar")));
            }
            Err(_) => return Err(err()),
        };
        if !(2000..=2200).contains(&date.year()) {
            return Err(err());
        }
        Ok(CivilDate::from(date))
    }
}

impl From<Date> for CivilDate {
    fn from(d: Date) -> CivilDate {
        CivilDate { year: d.year() as u16, month: d.month() as u8, day: d.day() as u8 }
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
        let utc = TimeZone::UTC;
        assert_eq!(CivilDate::at(0, &utc).to_string(), "1970-01-01");
        // 2026-11-26T12:00:00Z
        assert_eq!(CivilDate::at(1_795_694_400_000, &utc).to_string(), "2026-11-26");
        assert_eq!(CivilDate::at(951_782_400_000, &utc).to_string(), "2000-02-29");
        assert!(CivilDate::parse("closes_on", "2026-02-30").unwrap_err().to_string().contains("not a day"));
        assert!(CivilDate::parse("closes_on", "1999-12-31").is_err());
        assert!(CivilDate::parse("closes_on", "+2026-1-01").is_err());
        assert!(CivilDate::parse("closes_on", "2028-02-29").is_ok());
        assert!(CivilDate::parse("closes_on", "2027-02-29").is_err());
        assert!(CivilDate::parse("closes_on", "26/11/2026").is_err());
        assert!(CivilDate::parse("closes_on", "2026-13-01").is_err());
        let a: CivilDate = "2026-11-26".parse().unwrap();
        let b: CivilDate = "2026-12-01".parse().unwrap();
        assert!(a < b);
        assert_eq!(CivilDate::from(a.to_jiff()), a);
    }

    #[test]
    fn the_day_depends_on_the_time_zone() {
        // 2027-06-30T23:30:00Z: still the 30th in UTC, already 1 July in London (BST).
        let at = jiff::Timestamp::from_second(1_814_398_200).unwrap().as_millisecond();
        assert_eq!(CivilDate::at(at, &TimeZone::UTC).to_string(), "2027-06-30");
        let london = TimeZone::get("Europe/London").unwrap();
        assert_eq!(CivilDate::at(at, &london).to_string(), "2027-07-01");
    }
}
