//! CSV (or TSV, or `;`-separated) with a header row. Columns are mapped to mention fields
//! by common names (see [`super::fields::FIELDS`]) or by `--map FIELD=COLUMN`; columns
//! that map to nothing pass through as extra string fields.

use std::io::{BufRead, Read};

use serde_json::{Map, Value};

use super::fields::{FIELDS, Field, normalise_column};
use super::generic::{Builder, Cell, extra_name};
use super::{SocialError, SocialSink};
use crate::sources::InputFormat;

/// True when the first line looks like a header: at least two fields separated by a comma,
/// tab or semicolon, and no JSON or markup.
pub(crate) fn looks_like_csv(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    !first.is_empty()
        && !first.starts_with(['{', '[', '<'])
        && [b',', b'\t', b';']
            .iter()
            .any(|d| first.bytes().filter(|b| b == d).count() >= 1)
        && first.len() < 10_000
        && text.lines().nth(1).is_some()
}

fn sniff_delimiter(first_line: &[u8]) -> u8 {
    let mut best = (b',', 0);
    for d in [b',', b'\t', b';', b'|'] {
        let n = first_line.iter().filter(|b| **b == d).count();
        if n > best.1 {
            best = (d, n);
        }
    }
    best.0
}

/// Column indices for each field.
struct Columns {
    by_field: Vec<(Field, usize)>,
    extras: Vec<(usize, String)>,
    platform: &'static str,
}

fn resolve(headers: &[String], sink: &SocialSink<'_>, name: &str) -> Result<Columns, SocialError> {
    let norm: Vec<String> = headers.iter().map(|h| normalise_column(h)).collect();
    let find = |col: &str| -> Option<usize> {
        headers
            .iter()
            .position(|h| h == col)
            .or_else(|| norm.iter().position(|h| *h == normalise_column(col)))
    };
    let mut by_field = Vec::new();
    for (field, column) in sink.opts.map.pairs() {
        let idx = find(column).ok_or_else(|| {
            SocialError::Unsupported(format!(
                "{name}: --map {}={column}: no such column; the columns are: {}",
                field.name(),
                headers.join(", ")
            ))
        })?;
        by_field.push((*field, idx));
    }
    for (field, _, aliases) in FIELDS {
        if by_field.iter().any(|(f, _)| f == field) {
            continue;
        }
        if let Some(idx) = aliases
            .iter()
            .find_map(|a| norm.iter().position(|h| h == a))
            && !by_field.iter().any(|(_, i)| *i == idx)
        {
            by_field.push((*field, idx));
        }
    }
    if !by_field
        .iter()
        .any(|(f, _)| matches!(f, Field::Text | Field::Title | Field::Id))
    {
        return Err(SocialError::Unsupported(format!(
            "{name}: no column for the text (looked for text, content, body, message, ...); \
             the columns are: {}; name one with --map text=COLUMN",
            headers.join(", ")
        )));
    }
    let extras = (0..headers.len())
        .filter(|i| !by_field.iter().any(|(_, j)| j == i))
        .filter(|i| !headers[*i].is_empty())
        .map(|i| (i, extra_name(&headers[i])))
        .collect();
    let has = |s: &str| norm.iter().any(|h| h.contains(s));
    let platform = if has("tweet")
        || has("retweet")
        || has("screen_name")
        || norm.iter().any(|h| h.starts_with("__twarc"))
    {
        "x"
    } else if norm.iter().any(|h| h == "did") && norm.iter().any(|h| h == "uri") {
        "bluesky"
    } else {
        "web"
    };
    Ok(Columns {
        by_field,
        extras,
        platform,
    })
}

pub(crate) fn read(
    name: &str,
    mut reader: Box<dyn BufRead>,
    sink: &mut SocialSink<'_>,
) -> Result<(), SocialError> {
    sink.at_file(name);
    let read_err = |e: std::io::Error| SocialError::Read {
        file: name.to_owned(),
        source: e,
    };
    let head = reader.fill_buf().map_err(read_err)?;
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let first_line = head.split(|b| *b == b'\n').next().unwrap_or(head);
    let delimiter = sniff_delimiter(first_line);
    let mut csv = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(QuoteWatch::new(reader, delimiter));
    let headers: Vec<String> = csv
        .byte_headers()
        .map_err(|e| SocialError::Unsupported(format!("{name}: reading the header: {e}")))?
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = String::from_utf8_lossy(h).trim().to_owned();
            if i == 0 {
                h.trim_start_matches('\u{feff}').to_owned()
            } else {
                h
            }
        })
        .collect();
    let columns = resolve(&headers, sink, name)?;
    let date_format = sink.opts.date_format.clone();
    let builder = Builder {
        format: InputFormat::Csv,
        platform: columns.platform,
        date_format: date_format.as_deref(),
    };
    let mut record = ::csv::ByteRecord::new();
    let mut bad_dates = 0u64;
    loop {
        let line = csv.position().line();
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                if let ::csv::ErrorKind::Io(_) = e.kind() {
                    let msg = e.to_string();
                    return Err(SocialError::Read {
                        file: name.to_owned(),
                        source: std::io::Error::other(msg),
                    });
                }
                sink.summary.records += 1;
                sink.skip(format!("{name}:{line}"), e.to_string())?;
                continue;
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        sink.summary.records += 1;
        sink.at(super::Pos::Line(line));
        if let Some(opened) = csv.get_ref().unterminated()
            && csv.position().byte() == csv.get_ref().bytes
        {
            // The csv reader takes an unclosed quote to run to the end of the file: the
            // rest of the file would be one giant field.
            sink.skip(
                format!("{name}:{opened}"),
                format!(
                    "a quote opened on this line is never closed; lines {opened}-{} were read \
                     as one field and skipped",
                    csv.get_ref().last_line
                ),
            )?;
            continue;
        }
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let cells: Result<Vec<&str>, _> = record.iter().map(std::str::from_utf8).collect();
        let cells = match cells {
            Ok(c) => c,
            Err(_) => {
                sink.skip(format!("{name}:{line}"), "invalid UTF-8".to_owned())?;
                continue;
            }
        };
        let mut get = |field: Field| -> Option<Cell> {
            let (_, idx) = columns.by_field.iter().find(|(f, _)| *f == field)?;
            let v = cells.get(*idx)?.trim();
            (!v.is_empty()).then(|| Cell::One(v.to_owned()))
        };
        let mut extra = Map::new();
        for (idx, key) in &columns.extras {
            if let Some(v) = cells.get(*idx).map(|v| v.trim()).filter(|v| !v.is_empty()) {
                extra.insert(key.clone(), Value::String(v.to_owned()));
            }
        }
        match builder.build(&mut get, extra, sink) {
            Ok((mention, bad_date)) => {
                if bad_date {
                    if bad_dates == 0 {
                        sink.notice(
                            format!("{name}:{line}"),
                            "a date could not be read (left out; give its format with --date-format)"
                                .to_owned(),
                        );
                    }
                    bad_dates += 1;
                }
                sink.emit(mention)?;
            }
            Err(super::Bad::Stop(e)) => return Err(e),
            Err(super::Bad::Skip(reason)) => sink.skip(format!("{name}:{line}"), reason)?,
        }
    }
    if bad_dates > 1 {
        sink.notice(
            name.to_owned(),
            format!("{bad_dates} rows had a date that could not be read"),
        );
    }
    Ok(())
}

/// Where a CSV parser with the settings above (`"` quotes, `""` escapes, no comments) stands:
/// this follows its quote state byte by byte so that a quote still open at the end of the
/// file can be reported with the line it opened on. The csv crate reads such a file without
/// an error, as one record.
struct QuoteWatch<R> {
    inner: R,
    delimiter: u8,
    state: Quote,
    /// Bytes read so far, the line of the next byte and of the last one (1-based).
    bytes: u64,
    line: u64,
    last_line: u64,
    /// The line the open quote started on.
    opened: u64,
    eof: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    FieldStart,
    Unquoted,
    Quoted,
    /// A `"` inside a quoted field: the end of the field, or the first half of `""`.
    MaybeClosed,
}

impl<R> QuoteWatch<R> {
    fn new(inner: R, delimiter: u8) -> Self {
        QuoteWatch {
            inner,
            delimiter,
            state: Quote::FieldStart,
            bytes: 0,
            line: 1,
            last_line: 1,
            opened: 0,
            eof: false,
        }
    }

    /// The line of a quote still open at the end of the input.
    fn unterminated(&self) -> Option<u64> {
        (self.eof && self.state == Quote::Quoted).then_some(self.opened)
    }

    fn watch(&mut self, bytes: &[u8]) {
        for &b in bytes {
            let ends_field = b == self.delimiter || b == b'\n' || b == b'\r';
            self.state = match (self.state, b) {
                (Quote::FieldStart, b'"') => {
                    self.opened = self.line;
                    Quote::Quoted
                }
                (Quote::Quoted, b'"') => Quote::MaybeClosed,
                (Quote::Quoted, _) => Quote::Quoted,
                (Quote::MaybeClosed, b'"') => Quote::Quoted,
                (_, _) if ends_field => Quote::FieldStart,
                _ => Quote::Unquoted,
            };
            self.last_line = self.line;
            self.line += u64::from(b == b'\n');
        }
        self.bytes += bytes.len() as u64;
    }
}

impl<R: Read> Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.eof |= n == 0 && !buf.is_empty();
        self.watch(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watch(text: &str) -> Option<u64> {
        let mut w = QuoteWatch::new(text.as_bytes(), b',');
        std::io::copy(&mut w, &mut std::io::sink()).unwrap();
        w.unterminated()
    }

    #[test]
    fn quote_watch_follows_the_csv_rules() {
        assert_eq!(watch("a,b\n1,\"x\"\"y\"\n"), None);
        assert_eq!(watch("a,b\n1,\"x\ny\"\n"), None);
        assert_eq!(
            watch("a,b\n1,5'11\" tall\n"),
            None,
            "a quote inside an unquoted field"
        );
        assert_eq!(watch("a,b\n1,\"x\"y\n"), None, "text after a closing quote");
        assert_eq!(watch("a,b\n1,x\n2,\"open\n3,y\n"), Some(3));
        assert_eq!(
            watch("a,b\n1,\"x\"\"\n"),
            Some(2),
            "an escaped quote does not close"
        );
    }
}
