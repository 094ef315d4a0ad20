//! Time: the one grammar for times and durations a user types, and the parsers for the dates
//! found in data.
//!
//! What users type (`--since`, `--until`, `--deadline`, `--state-retention`, query ranges)
//! goes through this module only, so every flag reads the same forms (docs/query.md, "Times
//! and durations"):
//!
//! - a **duration** is a whole number and a unit: `30s`, `90m` (or `90min`), `12h`, `7d`,
//!   `2w`. [`parse_duration`] also reads a bare number as seconds (`--deadline 45`).
//! - a **time** ([`parse_time`]) is a duration back from now (`7d`), an RFC 3339 timestamp
//!   (`2024-03-01T08:00:00Z`, `2024-03-01T09:00:00+01:00`) or a date (`2024-03-01`, midnight
//!   UTC). A bare number is refused: `--since 2024` could mean the year or 2,024 seconds.
//! - an **instant** in a query range ([`parse_instant`]) is an RFC 3339 timestamp or a date;
//!   a date as an upper bound includes its whole day.
//!
//! Dates found in data are read by two tolerant parsers, kept apart because their inputs
//! disagree on what a string means: [`feed`] reads the free-form dates of RSS/Atom/JSON Feed
//! (RFC 822 with zone names, month names in any order, two-digit years), where a number is
//! never a date; [`export`] reads the fixed formats of social exports (X's
//! `Wed Oct 10 20:19:24 +0000 2018`, `--date-format`), where a number *is* a date (Unix
//! seconds or milliseconds) and an X id carries its creation time.

pub mod export;
pub mod feed;

use std::time::Duration;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

/// Why a time or duration a user typed was refused. The message names the forms accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// A bare number where a time is expected (`--since 2024`).
    #[error(
        "`{0}` is a bare number: write a date (2024-03-01), an RFC 3339 time \
         (2024-03-01T08:00:00Z) or a duration with its unit (7d, 12h, 90m, 30s)"
    )]
    BareNumber(String),
    /// Neither a time nor a duration.
    #[error(
        "expected a date (2024-03-01), an RFC 3339 time (2024-03-01T08:00:00Z) or a \
         duration before now (7d, 12h, 90m, 30s, 2w), found `{0}`"
    )]
    NotATime(String),
    /// Not a duration.
    #[error("expected a duration (7d, 12h, 90m, 30s, 2w), found `{0}`")]
    NotADuration(String),
    /// A duration that reaches before the year -9999 or overflows.
    #[error("`{0}` is too far back")]
    TooFar(String),
}

/// Seconds in one `unit`, or `None` for an unknown unit.
fn unit_seconds(unit: &str) -> Option<u64> {
    Some(match unit {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return None,
    })
}

/// `n` and its unit, for `7d`; the unit is empty for a bare number.
fn split_number(s: &str) -> Option<(u64, &str)> {
    let at = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(at);
    Some((n.parse().ok()?, unit.trim()))
}

/// Parses a duration: a whole number and a unit (`30s`, `90m`, `90min`, `12h`, `7d`, `2w`),
/// or a bare number of seconds. For `--deadline` and `--state-retention`.
pub fn parse_duration(s: &str) -> Result<Duration, TimeError> {
    let s = s.trim();
    let not = || TimeError::NotADuration(s.to_owned());
    let (n, unit) = split_number(s).ok_or_else(not)?;
    let secs = if unit.is_empty() {
        1
    } else {
        unit_seconds(unit).ok_or_else(not)?
    };
    n.checked_mul(secs)
        .map(Duration::from_secs)
        .ok_or_else(|| TimeError::TooFar(s.to_owned()))
}

/// Parses a time for `--since`/`--until`: a duration back from `now` (`7d`), an RFC 3339
/// timestamp, or a date (midnight UTC). A bare number is an error with a hint.
pub fn parse_time(s: &str, now: Timestamp) -> Result<Timestamp, TimeError> {
    let s = s.trim();
    if let Some(instant) = parse_instant(s) {
        return Ok(instant.start());
    }
    match split_number(s) {
        Some((_, "")) => Err(TimeError::BareNumber(s.to_owned())),
        Some((n, unit)) => {
            let secs = unit_seconds(unit).ok_or_else(|| TimeError::NotATime(s.to_owned()))?;
            n.checked_mul(secs)
                .and_then(|total| i64::try_from(total).ok())
                .and_then(|total| now.checked_sub(SignedDuration::from_secs(total)).ok())
                .ok_or_else(|| TimeError::TooFar(s.to_owned()))
        }
        None => Err(TimeError::NotATime(s.to_owned())),
    }
}

/// [`parse_time`] from the current time, for flags.
pub fn parse_time_now(s: &str) -> Result<Timestamp, TimeError> {
    parse_time(s, Timestamp::now())
}

/// A point a user wrote: an exact timestamp, or a whole day (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Instant {
    At(Timestamp),
    Day(Date),
}

impl Instant {
    /// The first second it covers.
    pub fn start(self) -> Timestamp {
        match self {
            Instant::At(ts) => ts,
            Instant::Day(date) => day_start(date),
        }
    }

    /// The last second it covers (a day's 23:59:59).
    pub fn end(self) -> Timestamp {
        match self {
            Instant::At(ts) => ts,
            Instant::Day(date) => day_start(date)
                .checked_add(SignedDuration::from_secs(86_399))
                .unwrap_or(Timestamp::MAX),
        }
    }
}

fn day_start(date: Date) -> Timestamp {
    // Every civil date jiff can hold has a UTC midnight in Timestamp's range but the very
    // last; clamp that one rather than fail.
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MAX)
}

/// Parses an RFC 3339 timestamp or a date (`2024-03-01`); `None` for anything else.
pub fn parse_instant(s: &str) -> Option<Instant> {
    let s = s.trim();
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Some(Instant::At(ts));
    }
    s.parse::<Date>().ok().map(Instant::Day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2024-03-10T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn times() {
        let cases = [
            ("24h", "2024-03-09T00:00:00Z"),
            ("7d", "2024-03-03T00:00:00Z"),
            ("2w", "2024-02-25T00:00:00Z"),
            ("30m", "2024-03-09T23:30:00Z"),
            ("90min", "2024-03-09T22:30:00Z"),
            ("45s", "2024-03-09T23:59:15Z"),
            (" 2024-01-01 ", "2024-01-01T00:00:00Z"),
            ("2024-01-01T05:00:00+01:00", "2024-01-01T04:00:00Z"),
            ("2024-01-01T05:00:00Z", "2024-01-01T05:00:00Z"),
        ];
        for (give, want) in cases {
            assert_eq!(parse_time(give, now()).unwrap().to_string(), want, "{give}");
        }
    }

    #[test]
    fn times_refused_say_why() {
        let err = parse_time("2024", now()).unwrap_err();
        assert_eq!(err, TimeError::BareNumber("2024".into()));
        assert!(
            err.to_string().contains("write a date (2024-03-01)"),
            "{err}"
        );
        for bad in [
            "yesterday",
            "7y",
            "",
            "-7d",
            "Thu, 08 Jul 2004 23:56:58 GMT",
        ] {
            assert_eq!(
                parse_time(bad, now()),
                Err(TimeError::NotATime(bad.trim().into())),
                "{bad}"
            );
        }
        assert_eq!(
            parse_time("99999999999999999999d", now()),
            Err(TimeError::NotATime("99999999999999999999d".into()))
        );
        assert_eq!(
            parse_time("9999999999999d", now()),
            Err(TimeError::TooFar("9999999999999d".into()))
        );
    }

    #[test]
    fn durations() {
        let secs = |s| parse_duration(s).map(|d| d.as_secs());
        assert_eq!(secs("90d"), Ok(90 * 86_400));
        assert_eq!(secs("30m"), Ok(1_800));
        assert_eq!(secs("30min"), Ok(1_800));
        assert_eq!(secs("45"), Ok(45));
        assert_eq!(secs("2w"), Ok(14 * 86_400));
        assert_eq!(secs("3x"), Err(TimeError::NotADuration("3x".into())));
        assert_eq!(secs("d"), Err(TimeError::NotADuration("d".into())));
    }

    #[test]
    fn instants_cover_a_day_or_a_second() {
        let day = parse_instant("2024-01-15").unwrap();
        assert_eq!(day.start().to_string(), "2024-01-15T00:00:00Z");
        assert_eq!(day.end().to_string(), "2024-01-15T23:59:59Z");
        let at = parse_instant("2024-01-15T10:00:00Z").unwrap();
        assert_eq!(at.start(), at.end());
        assert_eq!(parse_instant("7d"), None);
        assert_eq!(parse_instant("2024"), None);
    }

    proptest::proptest! {
        /// No input makes the parsers panic.
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_time(&s, now());
            let _ = parse_duration(&s);
            let _ = parse_instant(&s);
        }
    }
}
