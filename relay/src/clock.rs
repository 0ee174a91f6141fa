//! The region's local time: services' opening hours are written in it, and "open
//! now" and "not confirmed since" are decided by it when a query runs.

use jiff::tz::TimeZone;
use std::time::Duration;

use kith_proto::service::{ClockTime, Weekday};
use kith_proto::time::CivilDate;

/// The time zone regions use unless configured otherwise.
pub const DEFAULT_TIME_ZONE: &str = "Europe/London";

/// How long a service's entry holds without its hub confirming it again, unless
/// configured otherwise: about 12 months.
pub const DEFAULT_CONFIRM_WITHIN: Duration = Duration::from_secs(365 * 24 * 3600);

/// A region's clock.
#[derive(Clone, Debug)]
pub struct RegionClock {
    zone: TimeZone,
    name: String,
    /// Entries last confirmed longer ago than this are shown as not confirmed.
    pub confirm_within: Duration,
}

/// A local moment, as opening hours are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalNow {
    pub day: Weekday,
    pub time: ClockTime,
    pub date: CivilDate,
}

impl RegionClock {
    /// The clock of a named IANA time zone (`Europe/London`); Err says why not.
    pub fn new(zone: &str, confirm_within: Duration) -> Result<RegionClock, String> {
        let tz = TimeZone::get(zone).map_err(|e| format!("unknown time zone {zone:?} ({e}); e.g. Europe/London"))?;
        Ok(RegionClock { zone: tz, name: zone.to_owned(), confirm_within })
    }

    pub fn zone_name(&self) -> &str {
        &self.name
    }

    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    /// The region's date now: what has closed, on the board, in gRPC answers and in
    /// the index alike.
    pub fn today(&self) -> CivilDate {
        CivilDate::at(kith_proto::time::now_ms(), &self.zone)
    }

    /// The local day, time and date at a Unix millisecond instant.
    pub fn local(&self, unix_ms: i64) -> LocalNow {
        let at = jiff::Timestamp::from_millisecond(unix_ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let dt = at.to_zoned(self.zone.clone()).datetime();
        let day = Weekday::from_index(dt.weekday().to_monday_zero_offset() as u8);
        let time = ClockTime(dt.hour() as u16 * 60 + dt.minute() as u16);
        let date = CivilDate::from(dt.date());
        LocalNow { day, time, date }
    }

    /// The first day an entry must have been confirmed on, at `unix_ms`, not to be
    /// shown as "not confirmed since …".
    pub fn confirmed_since(&self, unix_ms: i64) -> CivilDate {
        let window = i64::try_from(self.confirm_within.as_millis()).unwrap_or(i64::MAX);
        self.local(unix_ms.saturating_sub(window)).date
    }
}

impl Default for RegionClock {
    fn default() -> RegionClock {
        RegionClock::new(DEFAULT_TIME_ZONE, DEFAULT_CONFIRM_WITHIN).expect("the bundled database has Europe/London")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn london_time_follows_summer_time() {
        let clock = RegionClock::default();
        // 2026-07-01 11:30 UTC is 12:30 in London (BST), a Wednesday.
        let summer = jiff::Timestamp::from_second(1_782_905_400).unwrap().as_millisecond();
        assert_eq!(
            clock.local(summer),
            LocalNow { day: Weekday::Wednesday, time: ClockTime(12 * 60 + 30), date: "2026-07-01".parse().unwrap() }
        );
        // 2026-12-07 23:30 UTC is 23:30 in London (GMT), a Monday.
        let winter = jiff::Timestamp::from_second(1_796_686_200).unwrap().as_millisecond();
        assert_eq!(clock.local(winter).day, Weekday::Monday);
        assert_eq!(clock.local(winter).time, ClockTime(23 * 60 + 30));
        assert!(RegionClock::new("Mars/Olympus", DEFAULT_CONFIRM_WITHIN).unwrap_err().contains("Mars/Olympus"));
        assert_eq!(clock.confirmed_since(summer), "2025-07-01".parse().unwrap());
    }
}
