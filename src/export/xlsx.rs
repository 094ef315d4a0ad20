//! XLSX export (rust_xlsxwriter, constant-memory mode): a `Mentions` sheet with typed cells
//! (dates as Excel dates, numbers as numbers, text as text, http(s) URLs as links), a frozen
//! header, an autofilter and set widths; then a `Counts` sheet of mentions by label and
//! sentiment. Rules and limits: `docs/export.md`.
//!
//! Rows are written to a temporary file as they come, so memory does not grow with the
//! mentions; the counts grow with the labels. Past Excel's 1,048,576 rows a sheet, the
//! mentions go on in `Mentions 2`, `Mentions 3`, ... each with its header.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, Url, Workbook, Worksheet, XlsxError};
use serde_json::Value;

use super::csv::write_cell;
use super::{DEFAULT_COLUMNS, RecordWriter, lookup};
use crate::jsonl::LineError;

/// Excel's rows per sheet, the header included.
pub const XLSX_MAX_ROWS: u32 = 1_048_576;
/// Excel's characters (UTF-16 units) per cell; a longer text is cut.
pub const XLSX_MAX_TEXT: usize = 32_767;
/// Excel's hyperlinks per sheet, and this writer's per workbook: later URLs are written as
/// text. rust_xlsxwriter holds the links of a sheet in memory until it saves (about 1.6 KB
/// each), so this also bounds memory.
pub const XLSX_MAX_LINKS: u32 = 65_530;
/// Excel's characters per hyperlink; a longer URL is written as text.
const MAX_URL: usize = 2_079;

/// Columns holding a time, written as Excel dates (UTC).
const DATE_COLUMNS: [&str; 2] = ["published", "collected"];
/// Columns holding one URL, written as a link when it is http(s).
const URL_COLUMNS: [&str; 2] = ["url", "source.uri"];
/// Sentiment columns of the counts sheet; any other label is counted as `other`.
const SENTIMENTS: [&str; 3] = ["negative", "neutral", "positive"];

pub struct XlsxWriter {
    workbook: Workbook,
    path: PathBuf,
    columns: Vec<String>,
    rows_per_sheet: u32,
    /// The sheet being filled (an index into the workbook), its next row; links written.
    sheet: usize,
    sheets: usize,
    row: u32,
    links: u32,
    date: Format,
    counts: Counts,
    cell: String,
}

impl XlsxWriter {
    /// A writer that saves to `path` on [`RecordWriter::finish`]; nothing is written there
    /// before. `columns` as for CSV (`None`: [`DEFAULT_COLUMNS`]).
    pub fn new(path: &Path, columns: Option<Vec<String>>) -> io::Result<XlsxWriter> {
        XlsxWriter::with_rows_per_sheet(path, columns, XLSX_MAX_ROWS)
    }

    /// As [`XlsxWriter::new`], going on to a new sheet after `rows` rows (header included).
    pub fn with_rows_per_sheet(
        path: &Path,
        columns: Option<Vec<String>>,
        rows: u32,
    ) -> io::Result<XlsxWriter> {
        let columns =
            columns.unwrap_or_else(|| DEFAULT_COLUMNS.iter().map(|c| (*c).to_owned()).collect());
        let mut writer = XlsxWriter {
            workbook: Workbook::new(),
            path: path.to_owned(),
            columns,
            rows_per_sheet: rows.clamp(2, XLSX_MAX_ROWS),
            sheet: 0,
            sheets: 0,
            row: 0,
            links: 0,
            date: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            counts: Counts::default(),
            cell: String::new(),
        };
        writer.new_sheet().map_err(xlsx_io)?;
        Ok(writer)
    }

    /// Starts a mentions sheet: its name, widths, frozen header and header row.
    fn new_sheet(&mut self) -> Result<(), XlsxError> {
        self.finish_sheet()?;
        self.sheets += 1;
        let name = match self.sheets {
            1 => "Mentions".to_owned(),
            n => format!("Mentions {n}"),
        };
        let bold = Format::new().set_bold();
        let sheet = self.workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(name)?;
        for (col, name) in (0u16..).zip(&self.columns) {
            sheet.set_column_width(col, width(name))?;
            sheet.write_string_with_format(0, col, cut(name), &bold)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        self.sheet = self.workbook.worksheets().len() - 1;
        self.row = 1;
        Ok(())
    }

    /// Puts the autofilter over the rows the current sheet got.
    fn finish_sheet(&mut self) -> Result<(), XlsxError> {
        if self.sheets == 0 || self.columns.is_empty() {
            return Ok(());
        }
        let last_col = u16::try_from(self.columns.len() - 1).unwrap_or(u16::MAX);
        let last_row = self.row - 1;
        self.workbook
            .worksheet_from_index(self.sheet)?
            .autofilter(0, 0, last_row, last_col)?;
        Ok(())
    }

    fn write_row(&mut self, record: &Value) -> Result<(), XlsxError> {
        if self.row >= self.rows_per_sheet {
            self.new_sheet()?;
        }
        let row = self.row;
        let sheet = self.workbook.worksheet_from_index(self.sheet)?;
        for (col, name) in (0u16..).zip(&self.columns) {
            let Some(value) = lookup(record, name) else {
                continue;
            };
            let kind = if DATE_COLUMNS.contains(&name.as_str()) {
                Kind::Date
            } else if URL_COLUMNS.contains(&name.as_str()) && self.links < XLSX_MAX_LINKS {
                Kind::Url
            } else {
                Kind::Any
            };
            if write_value(sheet, row, col, value, kind, &self.date, &mut self.cell)? {
                self.links += 1;
            }
        }
        self.row += 1;
        Ok(())
    }

    /// Adds the `Counts` sheet (a normal sheet: it is small).
    fn write_counts(&mut self) -> Result<(), XlsxError> {
        let bold = Format::new().set_bold();
        let sheet = self.workbook.add_worksheet();
        sheet.set_name("Counts")?;
        let header = [
            "label", "mentions", "negative", "neutral", "positive", "other", "none",
        ];
        for (col, name) in (0u16..).zip(header) {
            sheet.write_string_with_format(0, col, name, &bold)?;
            sheet.set_column_width(col, if col == 0 { 24 } else { 10 })?;
        }
        sheet.set_freeze_panes(1, 0)?;
        let rows = self.counts.rows();
        for (row, (label, counts)) in (1u32..).zip(&rows) {
            sheet.write_string(row, 0, cut(label))?;
            for (col, n) in (1u16..).zip(counts) {
                sheet.write_number(row, col, *n as f64)?;
            }
        }
        let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        sheet.autofilter(0, 0, last_row, 6)?;
        Ok(())
    }
}

impl RecordWriter for XlsxWriter {
    fn write(&mut self, _line: &str, record: &Value) -> Result<(), LineError> {
        self.counts.add(record);
        Ok(self.write_row(record).map_err(xlsx_io)?)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.finish_sheet().map_err(xlsx_io)?;
        self.write_counts().map_err(xlsx_io)?;
        self.workbook.save(&self.path).map_err(|e| match e {
            XlsxError::IoError(e) => e,
            e => xlsx_io(e),
        })
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Date,
    Url,
    Any,
}

/// Writes one cell; true when it is a hyperlink. Text always goes through `write_string`,
/// so a mention's `=HYPERLINK(...)` is a string, never a formula.
fn write_value(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Value,
    kind: Kind,
    date: &Format,
    cell: &mut String,
) -> Result<bool, XlsxError> {
    match (value, kind) {
        (Value::Null, _) => return Ok(false),
        (Value::Number(n), _) => {
            if let Some(n) = n.as_f64().filter(|n| n.is_finite()) {
                sheet.write_number(row, col, n)?;
                return Ok(false);
            }
        }
        (Value::Bool(b), _) => {
            sheet.write_boolean(row, col, *b)?;
            return Ok(false);
        }
        (Value::String(s), Kind::Date) => {
            if let Some(serial) = excel_date(s) {
                sheet.write_number_with_format(row, col, serial, date)?;
                return Ok(false);
            }
        }
        // A URL rust_xlsxwriter refuses is written as text below.
        (Value::String(s), Kind::Url)
            if is_web_link(s) && sheet.write_url(row, col, Url::new(s.as_str())).is_ok() =>
        {
            return Ok(true);
        }
        _ => {}
    }
    cell.clear();
    write_cell(cell, value);
    sheet.write_string(row, col, cut(cell))?;
    Ok(false)
}

/// An http(s) URL short enough for Excel; anything else (`javascript:`, `file:`, Excel's own
/// `internal:` links) stays text.
fn is_web_link(s: &str) -> bool {
    let scheme = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    (scheme.starts_with("http://") || scheme.starts_with("https://"))
        && s.encode_utf16().count() <= MAX_URL
        && !s.chars().any(char::is_control)
}

/// The Excel serial date (days since 1899-12-30, UTC) of a mention time, if Excel can show
/// it (1900-03-01 to 9999-12-31).
fn excel_date(s: &str) -> Option<f64> {
    let ts = crate::time::export::parse(s)?;
    let days = ts.as_nanosecond() as f64 / 86_400e9 + 25_569.0;
    (61.0..2_958_466.0).contains(&days).then_some(days)
}

/// The first [`XLSX_MAX_TEXT`] UTF-16 units of `s`, cut at a character boundary.
fn cut(s: &str) -> &str {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > XLSX_MAX_TEXT {
            return &s[..i];
        }
    }
    s
}

/// A column width (in characters) that shows most of a typical value.
fn width(column: &str) -> f64 {
    match column {
        "text" => 80.0,
        "title" | "url" | "source.uri" | "source.title" | "links" => 40.0,
        "id" | "in_reply_to" => 24.0,
        "published" | "collected" => 20.0,
        "author.name" | "author.handle" | "labels" | "matches" | "tags" | "mentions" => 18.0,
        "lang" => 6.0,
        c if c.starts_with("metrics.") || c.starts_with("sentiment.") => 10.0,
        _ => 14.0,
    }
}

fn xlsx_io(err: XlsxError) -> io::Error {
    io::Error::other(err)
}

/// Mentions by label and sentiment: all mentions, each label, and mentions without one.
/// Grows with the labels, not with the mentions.
#[derive(Debug, Default)]
struct Counts {
    all: [u64; 6],
    none: [u64; 6],
    labels: HashMap<String, [u64; 6]>,
}

impl Counts {
    fn add(&mut self, record: &Value) {
        let sentiment = match lookup(record, "sentiment.label") {
            None | Some(Value::Null) => 5,
            Some(label) => SENTIMENTS
                .iter()
                .position(|s| label.as_str() == Some(s))
                .map_or(4, |i| i + 1),
        };
        let bump = |counts: &mut [u64; 6]| {
            counts[0] += 1;
            counts[sentiment] += 1;
        };
        bump(&mut self.all);
        let labels = record.get("labels").and_then(Value::as_array);
        let mut any = false;
        for label in labels.into_iter().flatten().filter_map(Value::as_str) {
            any = true;
            match self.labels.get_mut(label) {
                Some(counts) => bump(counts),
                None => bump(self.labels.entry(label.to_owned()).or_default()),
            }
        }
        if !any {
            bump(&mut self.none);
        }
    }

    /// `(all mentions)`, the labels by count (then name), `(no label)`.
    fn rows(&self) -> Vec<(&str, [u64; 6])> {
        let mut labels: Vec<_> = self.labels.iter().map(|(l, c)| (l.as_str(), *c)).collect();
        labels.sort_by(|a, b| b.1[0].cmp(&a.1[0]).then(a.0.cmp(b.0)));
        let mut rows = vec![("(all mentions)", self.all)];
        rows.extend(labels);
        rows.push(("(no label)", self.none));
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx, open_workbook};

    fn read(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
        let mut book: Xlsx<_> = open_workbook(path).unwrap();
        let range = book.worksheet_range(sheet).unwrap();
        range.rows().map(<[Data]>::to_vec).collect()
    }

    #[test]
    fn cuts_at_a_character_boundary() {
        assert_eq!(cut("abc"), "abc");
        let long = "😀".repeat(XLSX_MAX_TEXT);
        assert_eq!(cut(&long).encode_utf16().count(), XLSX_MAX_TEXT - 1);
        let long = "a".repeat(XLSX_MAX_TEXT + 3);
        assert_eq!(cut(&long).len(), XLSX_MAX_TEXT);
    }

    #[test]
    fn links_only_web_urls() {
        assert!(is_web_link("https://example.com/a?b=1"));
        assert!(is_web_link("HTTP://example.com"));
        for s in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "internal:Sheet1!A1",
            "http",
        ] {
            assert!(!is_web_link(s), "{s}");
        }
        assert!(!is_web_link(&format!("https://x/{}", "a".repeat(MAX_URL))));
    }

    #[test]
    fn excel_dates() {
        assert_eq!(excel_date("1970-01-01T00:00:00Z"), Some(25_569.0));
        assert_eq!(excel_date("2024-03-01T12:00:00Z"), Some(45_352.5));
        assert_eq!(excel_date("1800-01-01T00:00:00Z"), None);
        assert_eq!(excel_date("not a date"), None);
    }

    #[test]
    fn goes_on_to_a_new_sheet_past_the_row_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.xlsx");
        let columns = Some(vec!["id".to_owned()]);
        let mut writer = XlsxWriter::with_rows_per_sheet(&path, columns, 3).unwrap();
        for i in 0..5 {
            let record = serde_json::json!({"id": format!("x:{i}"), "labels": ["a"]});
            writer.write("", &record).unwrap();
        }
        writer.finish().unwrap();
        let ids = |sheet| -> Vec<String> {
            read(&path, sheet)
                .iter()
                .map(|r| r[0].to_string())
                .collect()
        };
        assert_eq!(ids("Mentions"), ["id", "x:0", "x:1"]);
        assert_eq!(ids("Mentions 2"), ["id", "x:2", "x:3"]);
        assert_eq!(ids("Mentions 3"), ["id", "x:4"]);
        let counts = read(&path, "Counts");
        assert_eq!(
            counts[1][..2],
            [Data::String("(all mentions)".into()), Data::Float(5.0)]
        );
        assert_eq!(counts[2][..2], [Data::String("a".into()), Data::Float(5.0)]);
    }
}
