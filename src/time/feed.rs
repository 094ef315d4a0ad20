//! A tolerant date parser for the forms feeds use in the wild.
//!
//! - ISO 8601 / RFC 3339 and W3C-DTF: `2004-07-08T23:56:58Z`, `2004-07-08T23:56:58.5+02:00`,
//!   `2004-07-08 23:56:58` (no zone: UTC), `2004-07-08`, `2004-07`, `20040708T235658Z`;
//! - RFC 822 / RFC 1123 / RFC 2822, with or without the weekday, seconds, or time
//!   (`Thu, 08 Jul 2004 23:56:58 GMT`, `8 Jul 2004`, two-digit years), zones as offsets
//!   (`+0200`, `+02:00`), names (`GMT`, `UT`, `EST`, `EDT`, `CST`, `CDT`, `MST`, `MDT`, `PST`,
//!   `PDT`, a few others) or military letters;
//! - asctime (`Thu Jul  8 23:56:58 2004`, also with a zone before the year);
//! - free order as long as there is a month name (`July 8, 2004 11:56 PM`).
//!
//! A date without a zone is taken as UTC, as feedparser does.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};

/// Parses `s` into a UTC timestamp, or `None` when no date can be recognised.
pub fn parse(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    if s.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && let Some(ts) = iso(s)
    {
        return Some(ts);
    }
    loose(s)
}

/// ISO 8601 and its relatives, starting with a four-digit year.
fn iso(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| -> Option<i32> {
        let part = b.get(from..from + n)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    let year = digits(0, 4)?;
    let (month, day, mut i) = if b.get(4) == Some(&b'-') {
        let month = digits(5, 2).or_else(|| digits(5, 1))?;
        let mlen = if digits(5, 2).is_some() { 2 } else { 1 };
        let after = 5 + mlen;
        if b.get(after) == Some(&b'-') {
            let day = digits(after + 1, 2).or_else(|| digits(after + 1, 1))?;
            let dlen = if digits(after + 1, 2).is_some() { 2 } else { 1 };
            (month, day, after + 1 + dlen)
        } else {
            (month, 1, after)
        }
    } else if let (Some(m), Some(d)) = (digits(4, 2), digits(6, 2)) {
        (m, d, 8)
    } else if b.len() == 4 {
        (1, 1, 4)
    } else {
        return None;
    };
    let date = Date::new(year as i16, month as i8, day as i8).ok()?;
    let mut time = Time::midnight();
    if matches!(b.get(i), Some(b'T' | b't' | b' ')) && b.get(i + 1).is_some_and(u8::is_ascii_digit)
    {
        i += 1;
        let h = digits(i, 2)?;
        i += 2;
        let colon = b.get(i) == Some(&b':');
        if colon {
            i += 1;
        }
        let m = digits(i, 2).unwrap_or(0);
        if digits(i, 2).is_some() {
            i += 2;
        }
        let mut sec = 0;
        let mut nanos = 0;
        if (!colon || b.get(i) == Some(&b':')) && digits(i + usize::from(colon), 2).is_some() {
            i += usize::from(colon);
            sec = digits(i, 2)?;
            i += 2;
            if matches!(b.get(i), Some(b'.' | b',')) {
                i += 1;
                let start = i;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                let frac = &s[start..i.min(start + 9)];
                nanos = format!("{frac:0<9}").parse().unwrap_or(0);
            }
        }
        let (h, sec) = (h.min(24), sec.min(59));
        time = if h == 24 {
            Time::new(23, 59, 59, 0).ok()?
        } else {
            Time::new(h as i8, m as i8, sec as i8, nanos).ok()?
        };
    }
    let zone = s[i..].trim();
    let offset = if zone.is_empty() {
        0
    } else {
        zone_offset(zone)?
    };
    to_timestamp(DateTime::from_parts(date, time), offset)
}

fn to_timestamp(dt: DateTime, offset_secs: i32) -> Option<Timestamp> {
    let utc = dt.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
    utc.checked_sub(jiff::SignedDuration::from_secs(i64::from(offset_secs)))
        .ok()
}

/// Offset in seconds east of UTC for a zone written as an offset, a name or a letter.
fn zone_offset(zone: &str) -> Option<i32> {
    let zone = zone.trim();
    if let Some(sign) = zone.chars().next().filter(|c| *c == '+' || *c == '-') {
        let digits: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
        let (h, m) = match digits.len() {
            1 | 2 => (digits.parse::<i32>().ok()?, 0),
            3 => (digits[..1].parse::<i32>().ok()?, digits[1..].parse().ok()?),
            4 => (digits[..2].parse::<i32>().ok()?, digits[2..].parse().ok()?),
            _ => return None,
        };
        if h > 23 || m > 59 {
            return None;
        }
        let secs = h * 3600 + m * 60;
        return Some(if sign == '-' { -secs } else { secs });
    }
    let upper = zone.to_ascii_uppercase();
    // "GMT+2", "UTC-05:00"
    for prefix in ["GMT", "UTC", "UT"] {
        if let Some(rest) = upper.strip_prefix(prefix)
            && (rest.starts_with('+') || rest.starts_with('-'))
        {
            return zone_offset(rest);
        }
    }
    let hours = match upper.as_str() {
        "Z" | "UT" | "UTC" | "GMT" | "WET" => 0,
        "EST" => -5,
        "EDT" => -4,
        "CST" => -6,
        "CDT" => -5,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        "AKST" => -9,
        "AKDT" => -8,
        "HST" => -10,
        "AST" => -4,
        "ADT" => -3,
        "BST" | "CET" | "WEST" => 1,
        "CEST" | "EET" => 2,
        "EEST" | "MSK" => 3,
        "IST" => return Some(5 * 3600 + 1800),
        "JST" | "KST" => 9,
        "AEST" => 10,
        "AEDT" => 11,
        "NZST" => 12,
        "NZDT" => 13,
        _ if upper.len() == 1 => {
            let c = upper.as_bytes()[0];
            match c {
                b'A'..=b'I' => i32::from(c - b'A' + 1),
                b'K'..=b'M' => i32::from(c - b'K' + 10),
                b'N'..=b'Y' => -i32::from(c - b'N' + 1),
                _ => return None,
            }
        }
        _ => return None,
    };
    Some(hours * 3600)
}

fn month_of(word: &str) -> Option<i8> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = word.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    // "Sept", "June", "juillet" is not handled; English names and abbreviations are.
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    MONTHS
        .iter()
        .zip(full.iter())
        .position(|(abbr, full)| {
            lower.starts_with(abbr) && full.starts_with(lower.trim_end_matches('.'))
        })
        .map(|i| i as i8 + 1)
}

fn is_weekday(word: &str) -> bool {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let lower = word.to_ascii_lowercase();
    lower.len() >= 3 && DAYS.iter().any(|d| lower.starts_with(d))
}

/// RFC 822 and friends: tokens in any order around a month name.
fn loose(s: &str) -> Option<Timestamp> {
    let mut month = None;
    let mut numbers: Vec<(i32, usize)> = Vec::new();
    let mut time: Option<(i8, i8, i8)> = None;
    let mut offset: Option<i32> = None;
    let mut pm = None;
    // RFC 850 writes "08-Jul-04": split such tokens on their dashes.
    let tokens: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .flat_map(|t| {
            let dashed = t.len() > 1
                && t.contains('-')
                && !t.starts_with(['-', '+'])
                && t.bytes().any(|b| b.is_ascii_alphabetic());
            let parts: Vec<&str> = if dashed {
                t.split('-').collect()
            } else {
                vec![t]
            };
            parts
        })
        .filter(|t| !t.is_empty())
        .collect();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        i += 1;
        if t.contains(':') && time.is_none() && t.as_bytes()[0].is_ascii_digit() {
            // "23:56:58", "23:56", possibly with an offset glued on ("23:56:58+0000").
            let split = t[1..].find(['+', '-', 'Z', 'z']).map_or(t.len(), |p| p + 1);
            let (clock, rest) = t.split_at(split);
            let parts: Vec<i32> = clock.split(':').filter_map(|p| p.parse().ok()).collect();
            let (h, m, sec) = match parts.as_slice() {
                [h, m] => (*h, *m, 0),
                [h, m, sec, ..] => (*h, *m, *sec),
                _ => return None,
            };
            if h > 24 || m > 59 || sec > 60 {
                return None;
            }
            time = Some(((h % 24) as i8, m as i8, sec.min(59) as i8));
            if !rest.is_empty() {
                offset = zone_offset(rest);
            }
            continue;
        }
        let lower = t.to_ascii_lowercase();
        if lower == "am" || lower == "pm" {
            pm = Some(lower == "pm");
            continue;
        }
        if let Some(m) = month_of(t)
            && month.is_none()
        {
            month = Some(m);
            continue;
        }
        if is_weekday(t) {
            continue;
        }
        let trimmed = t.trim_end_matches(['.', 's', 't', 'n', 'd', 'r', 'h']);
        if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) && trimmed.len() <= 4
        {
            numbers.push((trimmed.parse().ok()?, trimmed.len()));
            continue;
        }
        if offset.is_none()
            && let Some(o) = zone_offset(t)
        {
            offset = Some(o);
            continue;
        }
        // "(PDT)" after an offset, or a word we do not know: skip it.
    }
    let month = month?;
    let (day, year) = match numbers.as_slice() {
        [(d, dl), (y, yl), ..] if *dl <= 2 && (*yl == 4 || *yl == 2) => (*d, expand_year(*y, *yl)),
        [(y, 4), (d, dl), ..] if *dl <= 2 => (*d, *y),
        [(d, dl)] if *dl <= 2 => {
            // "Jul 8" with no year is too vague to trust.
            let _ = d;
            return None;
        }
        [(y, 4)] => (1, *y),
        _ => return None,
    };
    let date = Date::new(year as i16, month, day as i8).ok()?;
    let (mut h, m, sec) = time.unwrap_or((0, 0, 0));
    match pm {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    let time = Time::new(h, m, sec, 0).ok()?;
    to_timestamp(DateTime::from_parts(date, time), offset.unwrap_or(0))
}

fn expand_year(y: i32, len: usize) -> i32 {
    if len == 2 {
        if y < 70 { 2000 + y } else { 1900 + y }
    } else {
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        parse(s).map_or_else(|| "none".to_owned(), crate::mention::format_timestamp)
    }

    #[test]
    fn forms_seen_in_the_wild() {
        let cases = [
            ("2004-07-08T23:56:58Z", "2004-07-08T23:56:58Z"),
            ("2004-07-08T23:56:58.75+02:00", "2004-07-08T21:56:58Z"),
            ("2004-07-08T23:56:58-0500", "2004-07-09T04:56:58Z"),
            ("2004-07-08 23:56:58", "2004-07-08T23:56:58Z"),
            ("2004-07-08T23:56Z", "2004-07-08T23:56:00Z"),
            ("2004-07-08", "2004-07-08T00:00:00Z"),
            ("2004-07", "2004-07-01T00:00:00Z"),
            ("2004", "2004-01-01T00:00:00Z"),
            ("20040708T235658Z", "2004-07-08T23:56:58Z"),
            ("Thu, 08 Jul 2004 23:56:58 GMT", "2004-07-08T23:56:58Z"),
            ("Thu, 8 Jul 2004 23:56:58 +0200", "2004-07-08T21:56:58Z"),
            ("Thu, 08 Jul 2004 23:56:58 EST", "2004-07-09T04:56:58Z"),
            ("Thu, 08 Jul 2004 23:56:58 PDT", "2004-07-09T06:56:58Z"),
            ("Thu, 08 Jul 04 23:56 GMT", "2004-07-08T23:56:00Z"),
            ("08 Jul 2004", "2004-07-08T00:00:00Z"),
            ("Thu, 08 Jul 2004", "2004-07-08T00:00:00Z"),
            ("Thu Jul  8 23:56:58 2004", "2004-07-08T23:56:58Z"),
            ("Thu Jul 08 23:56:58 PDT 2004", "2004-07-09T06:56:58Z"),
            ("Thursday, 08-Jul-04 23:56:58 GMT", "2004-07-08T23:56:58Z"),
            ("July 8, 2004 11:56 PM", "2004-07-08T23:56:00Z"),
            ("Thu, 08 Jul 2004 23:56:58 +00:00", "2004-07-08T23:56:58Z"),
            (
                "Sat, 07 Sep 2002 00:00:01 -0000 (UTC)",
                "2002-09-07T00:00:01Z",
            ),
            ("Mon, 02 Mar 2026 10:00:00 A", "2026-03-02T09:00:00Z"),
            ("not a date", "none"),
            ("", "none"),
            ("2004-13-45", "none"),
        ];
        for (input, want) in cases {
            assert_eq!(p(input), want, "{input}");
        }
    }
}
