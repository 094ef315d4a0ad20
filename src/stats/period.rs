//! Periods: the buckets `stats --by` counts in, in UTC or a time zone (`--tz`).
//!
//! A period is known by the instant it starts (Unix seconds). Hours are cut at the zone's
//! offset of the moment (so a `+05:30` zone has hours starting at :30 UTC); days, weeks
//! (Monday to Sunday) and months start at local midnight, so a day across a daylight-saving
//! change lasts 23 or 25 hours.

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

/// How long a period is (`--by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Hour,
    Day,
    Week,
    Month,
}

impl Unit {
    pub const NAMES: [&'static str; 4] = ["hour", "day", "week", "month"];

    pub fn from_name(name: &str) -> Option<Unit> {
        Some(match name {
            "hour" | "hourly" | "h" => Unit::Hour,
            "day" | "daily" | "d" => Unit::Day,
            "week" | "weekly" | "w" => Unit::Week,
            "month" | "monthly" => Unit::Month,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        Unit::NAMES[self as usize]
    }

    /// The default spike window: a week of days, a day of hours, ...
    pub fn default_window(self) -> usize {
        match self {
            Unit::Hour => 24,
            Unit::Day => 7,
            Unit::Week => 8,
            Unit::Month => 6,
        }
    }
}

/// Cuts time into periods of one unit in one time zone. Remembers the last period it found,
/// so mentions that arrive roughly in order cost one comparison each.
#[derive(Debug, Clone)]
pub struct Periods {
    unit: Unit,
    tz: TimeZone,
    last: Option<(i64, i64)>,
}

impl Periods {
    pub fn new(unit: Unit, tz: TimeZone) -> Periods {
        Periods {
            unit,
            tz,
            last: None,
        }
    }

    pub fn unit(&self) -> Unit {
        self.unit
    }

    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    /// The start of the period holding the instant `secs`.
    pub fn start_of(&mut self, secs: i64) -> i64 {
        if let Some((start, end)) = self.last
            && (start..end).contains(&secs)
        {
            return start;
        }
        let start = self.floor(secs);
        self.last = Some((start, self.next(start)));
        start
    }

    /// The start of the period after the one starting at `start`.
    pub fn next(&self, start: i64) -> i64 {
        if self.unit == Unit::Hour {
            return start + 3_600;
        }
        let date = self.local_date(start);
        let next = match self.unit {
            Unit::Hour | Unit::Day => date.tomorrow().ok(),
            Unit::Week => date.checked_add(7.days()).ok(),
            Unit::Month => date.first_of_month().checked_add(1.month()).ok(),
        };
        next.map_or(i64::MAX, |d| self.midnight(d))
    }

    fn floor(&self, secs: i64) -> i64 {
        let Ok(ts) = Timestamp::from_second(secs) else {
            return secs;
        };
        if self.unit == Unit::Hour {
            let offset = i64::from(self.tz.to_offset(ts).seconds());
            return secs - (secs + offset).rem_euclid(3_600);
        }
        let date = ts.to_zoned(self.tz.clone()).date();
        let first = match self.unit {
            Unit::Hour | Unit::Day => date,
            Unit::Week => {
                let back = date.weekday().since(Weekday::Monday);
                date.checked_sub(i64::from(back).days()).unwrap_or(date)
            }
            Unit::Month => date.first_of_month(),
        };
        self.midnight(first)
    }

    fn local_date(&self, secs: i64) -> Date {
        Timestamp::from_second(secs)
            .unwrap_or(Timestamp::MIN)
            .to_zoned(self.tz.clone())
            .date()
    }

    /// The first instant of `date` in the zone (midnight, or later when a DST gap skips it).
    fn midnight(&self, date: Date) -> i64 {
        date.to_zoned(self.tz.clone())
            .and_then(|z| z.start_of_day())
            .map_or(i64::MAX, |z| z.timestamp().as_second())
    }
}

/// An RFC 3339 time in the schema's form (`2026-03-02T10:00:00Z`) as Unix seconds, read
/// without a general parser; other RFC 3339 forms (offsets, fractions) through jiff.
pub fn parse_published(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let fixed = b.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z';
    if fixed {
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            b[r].iter().try_fold(0i64, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
            })
        };
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if (1..=12).contains(&mo) && (1..=31).contains(&d) && h < 24 && mi < 60 && sec < 60 {
            Date::new(y as i16, mo as i8, d as i8).ok()?;
            return Some(days_from_civil(y, mo, d) * 86_400 + h * 3_600 + mi * 60 + sec);
        }
        return None;
    }
    s.parse::<Timestamp>().ok().map(|t| t.as_second())
}

/// Days from 1970-01-01 to a valid proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// RFC 3339 in UTC with whole seconds, as the schema writes times.
pub fn format_utc(secs: i64) -> String {
    Timestamp::from_second(secs)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_second()
    }

    fn start(unit: Unit, tz: &str, at: &str) -> String {
        let mut p = Periods::new(unit, TimeZone::get(tz).unwrap());
        format_utc(p.start_of(secs(at)))
    }

    #[test]
    fn periods_start_where_the_calendar_says() {
        assert_eq!(
            start(Unit::Hour, "UTC", "2026-03-02T10:59:59Z"),
            "2026-03-02T10:00:00Z"
        );
        assert_eq!(
            start(Unit::Day, "UTC", "2026-03-02T23:59:59Z"),
            "2026-03-02T00:00:00Z"
        );
        // 2026-03-04 is a Wednesday: its week starts on Monday the 2nd.
        assert_eq!(
            start(Unit::Week, "UTC", "2026-03-04T12:00:00Z"),
            "2026-03-02T00:00:00Z"
        );
        assert_eq!(
            start(Unit::Week, "UTC", "2026-03-08T23:00:00Z"),
            "2026-03-02T00:00:00Z"
        );
        assert_eq!(
            start(Unit::Month, "UTC", "2026-02-28T12:00:00Z"),
            "2026-02-01T00:00:00Z"
        );
    }

    #[test]
    fn a_time_zone_moves_the_day_boundary() {
        // 23:30 UTC on the 2nd is 00:30 on the 3rd in Paris (UTC+1 in March).
        assert_eq!(
            start(Unit::Day, "Europe/Paris", "2026-03-02T23:30:00Z"),
            "2026-03-02T23:00:00Z"
        );
        assert_eq!(
            start(Unit::Hour, "Asia/Kolkata", "2026-03-02T10:10:00Z"),
            "2026-03-02T09:30:00Z"
        );
    }

    #[test]
    fn next_follows_daylight_saving() {
        let p = Periods::new(Unit::Day, TimeZone::get("Europe/Paris").unwrap());
        // Paris moves to summer time on 2026-03-29: that day has 23 hours.
        let day = secs("2026-03-28T23:00:00Z");
        assert_eq!(p.next(day) - day, 23 * 3_600);
        let month = Periods::new(Unit::Month, TimeZone::UTC);
        assert_eq!(
            format_utc(month.next(secs("2026-12-01T00:00:00Z"))),
            "2027-01-01T00:00:00Z"
        );
    }

    #[test]
    fn the_cached_period_is_the_right_one() {
        let mut p = Periods::new(Unit::Day, TimeZone::UTC);
        let a = p.start_of(secs("2026-03-02T10:00:00Z"));
        assert_eq!(p.start_of(secs("2026-03-02T23:59:59Z")), a);
        assert_eq!(p.start_of(secs("2026-03-03T00:00:00Z")), a + 86_400);
        assert_eq!(p.start_of(secs("2026-03-01T23:59:59Z")), a - 86_400);
    }

    #[test]
    fn published_times_parse_in_every_rfc3339_form() {
        for s in [
            "2026-03-02T10:00:00Z",
            "2026-03-02T11:00:00+01:00",
            "2026-03-02T10:00:00.5Z",
        ] {
            assert_eq!(
                parse_published(s),
                Some(secs("2026-03-02T10:00:00Z")),
                "{s}"
            );
        }
        assert_eq!(parse_published("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_published("1969-12-31T23:59:59Z"), Some(-1));
        for bad in [
            "2026-13-02T10:00:00Z",
            "2026-02-30T10:00:00Z",
            "yesterday",
            "",
            "2026-03-02",
        ] {
            assert_eq!(parse_published(bad), None, "{bad}");
        }
    }
}
