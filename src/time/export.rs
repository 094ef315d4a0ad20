//! Dates from every export format to [`jiff::Timestamp`] (written as RFC 3339 UTC), and the
//! creation time hidden in X (Twitter) Snowflake ids.

use jiff::Timestamp;
use jiff::fmt::strtime;

/// X's epoch for Snowflake ids, in milliseconds since the Unix epoch.
const TWITTER_EPOCH_MS: i64 = 1_288_834_974_657;

/// Formats tried in order after RFC 3339, for the `%z`-style offsets exports use.
const ZONED_FORMATS: &[&str] = &[
    // X API v1.1 and account archives: `Wed Oct 10 20:19:24 +0000 2018`.
    "%a %b %d %H:%M:%S %z %Y",
    // Grailbird archives and the airline CSV: `2015-02-24 11:35:52 -0800`.
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%Y-%m-%d %H:%M %z",
];

/// Formats without an offset, read as UTC.
const NAIVE_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
];

/// Parses a date in any of the forms exports use: RFC 3339 / ISO 8601 with or without an
/// offset (no offset means UTC), X's `Wed Oct 10 20:19:24 +0000 2018`,
/// `2015-02-24 11:35:52 -0800`, RFC 2822, a bare date, and Unix epoch seconds or
/// milliseconds.
pub fn parse(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Some(ts);
    }
    // `+00:00` style offsets and `Z` are handled above; `UTC`/`GMT` suffixes here.
    let s2 = s
        .strip_suffix(" UTC")
        .or_else(|| s.strip_suffix(" GMT"))
        .map(|rest| format!("{rest} +0000"));
    let s = s2.as_deref().unwrap_or(s);
    for fmt in ZONED_FORMATS {
        if let Ok(zoned) = strtime::parse(fmt, s).and_then(|t| t.to_timestamp()) {
            return Some(zoned);
        }
    }
    if let Ok(dt) = jiff::fmt::rfc2822::DateTimeParser::new().parse_timestamp(s) {
        return Some(dt);
    }
    for fmt in NAIVE_FORMATS {
        if let Ok(dt) = jiff::civil::DateTime::strptime(fmt, s) {
            return dt
                .to_zoned(jiff::tz::TimeZone::UTC)
                .ok()
                .map(|z| z.timestamp());
        }
    }
    if let Ok(d) = jiff::civil::Date::strptime("%Y-%m-%d", s) {
        return d
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp());
    }
    epoch(s)
}

/// A date as the schema writes it (RFC 3339 UTC, whole seconds), from any form [`parse`]
/// reads. UTC ISO dates (`2021-05-18T19:24:56.000Z`, `...+00:00`), the common case in
/// exports, are rewritten without a full parse.
pub fn normalise(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
    {
        let rest = &s[19..];
        let rest = match rest.strip_prefix('.') {
            Some(frac) => frac.trim_start_matches(|c: char| c.is_ascii_digit()),
            None => rest,
        };
        let num = |r: std::ops::Range<usize>| s[r].parse::<i16>().unwrap_or(-1);
        let valid = i8::try_from(num(5..7))
            .ok()
            .zip(i8::try_from(num(8..10)).ok())
            .is_some_and(|(m, d)| jiff::civil::Date::new(num(0..4), m, d).is_ok())
            && num(11..13) <= 23
            && num(14..16) <= 59
            && num(17..19) <= 59;
        if valid && matches!(rest, "Z" | "+00:00" | "+0000") {
            return Some(format!("{}Z", &s[..19]));
        }
    }
    parse(s).map(crate::mention::format_timestamp)
}

/// Parses with an explicit strftime-style format (`--date-format`). Without an offset in
/// the format, the time is read as UTC.
pub fn parse_with(format: &str, s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if let Ok(ts) = strtime::parse(format, s).and_then(|t| t.to_timestamp()) {
        return Some(ts);
    }
    if let Ok(dt) = jiff::civil::DateTime::strptime(format, s) {
        return dt
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp());
    }
    jiff::civil::Date::strptime(format, s)
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp())
}

/// Unix epoch seconds (`1424806552`, `1424806552.5`) or milliseconds (13 digits).
fn epoch(s: &str) -> Option<Timestamp> {
    if !s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let int = s.split('.').next()?;
    match int.len() {
        9 | 10 => Timestamp::from_second(int.parse().ok()?).ok(),
        12 | 13 => Timestamp::from_millisecond(int.parse().ok()?).ok(),
        _ => None,
    }
}

/// The creation time of an X Snowflake id (ids from late 2010 on); `None` for older
/// sequential ids and for anything that is not a number.
pub fn from_snowflake(id: &str) -> Option<Timestamp> {
    let id: u64 = id.parse().ok()?;
    // Snowflakes started at about 2.9e16; smaller ids are sequential and carry no time.
    if id < 30_000_000_000_000_000 {
        return None;
    }
    let ms = i64::try_from(id >> 22).ok()? + TWITTER_EPOCH_MS;
    Timestamp::from_millisecond(ms).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mention::format_timestamp;

    fn p(s: &str) -> Option<String> {
        parse(s).map(format_timestamp)
    }

    #[test]
    fn every_export_date_form() {
        let cases = [
            ("Wed Oct 10 20:19:24 +0000 2018", "2018-10-10T20:19:24Z"),
            ("2015-02-24 11:35:52 -0800", "2015-02-24T19:35:52Z"),
            ("2015-01-24 02:02:37 +0000", "2015-01-24T02:02:37Z"),
            ("2021-05-18T19:24:56.000Z", "2021-05-18T19:24:56Z"),
            ("2023-01-15T18:32:10+00:00", "2023-01-15T18:32:10Z"),
            ("2023-01-15T20:32:10+02:00", "2023-01-15T18:32:10Z"),
            ("2023-01-15T18:32:10", "2023-01-15T18:32:10Z"),
            ("2023-01-15 18:32:10", "2023-01-15T18:32:10Z"),
            ("2023-01-15 18:32:10 UTC", "2023-01-15T18:32:10Z"),
            ("Mon, 02 Mar 2026 10:00:00 GMT", "2026-03-02T10:00:00Z"),
            ("2023-01-15", "2023-01-15T00:00:00Z"),
            ("1424806552", "2015-02-24T19:35:52Z"),
            ("1424806552000", "2015-02-24T19:35:52Z"),
        ];
        for (input, want) in cases {
            assert_eq!(p(input).as_deref(), Some(want), "{input}");
        }
        assert_eq!(p("yesterday"), None);
        assert_eq!(p(""), None);
    }

    #[test]
    fn normalise_matches_parse() {
        for s in [
            "2021-05-18T19:24:56.000Z",
            "2023-01-15T18:32:10+00:00",
            "2023-01-15T18:32:10Z",
            "2023-01-15T20:32:10+02:00",
            "2023-02-30T18:32:10Z",
            "2023-01-15T18:32:10.5+0000",
            "Wed Oct 10 20:19:24 +0000 2018",
        ] {
            assert_eq!(normalise(s), p(s), "{s}");
        }
    }

    #[test]
    fn explicit_formats() {
        let ts = parse_with("%d/%m/%Y %H:%M", "24/02/2015 11:35").unwrap();
        assert_eq!(format_timestamp(ts), "2015-02-24T11:35:00Z");
        let ts = parse_with("%d.%m.%Y", "24.02.2015").unwrap();
        assert_eq!(format_timestamp(ts), "2015-02-24T00:00:00Z");
        assert!(parse_with("%d.%m.%Y", "nope").is_none());
    }

    #[test]
    fn snowflake_dates() {
        // The reference example: 1050118621198921728 was created Wed Oct 10 20:19:24 2018.
        let ts = from_snowflake("1050118621198921728").unwrap();
        assert_eq!(format_timestamp(ts), "2018-10-10T20:19:24Z");
        assert!(from_snowflake("12345").is_none());
        assert!(from_snowflake("x").is_none());
    }
}
