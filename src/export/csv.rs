//! CSV export: a fixed, documented column order; nested fields flattened by dotted path;
//! lists joined with [`LIST_SEPARATOR`].

use std::io::{self, Write};

use serde_json::Value;

use super::{RecordWriter, lookup};

/// The default columns, in order. Documented in `docs/schema.md` and `earful export --help`.
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

pub struct CsvWriter<W: Write> {
    writer: csv::Writer<W>,
    columns: Vec<String>,
    cells: Vec<String>,
}

impl<W: Write> CsvWriter<W> {
    /// A writer that writes the header row at once; `delimiter` is `b','` for CSV and
    /// `b'\t'` for TSV.
    pub fn new(out: W, columns: Option<Vec<String>>, delimiter: u8) -> io::Result<CsvWriter<W>> {
        let columns =
            columns.unwrap_or_else(|| DEFAULT_COLUMNS.iter().map(|c| (*c).to_owned()).collect());
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(out);
        writer.write_record(&columns).map_err(into_io)?;
        Ok(CsvWriter {
            writer,
            cells: vec![String::new(); columns.len()],
            columns,
        })
    }
}

impl<W: Write> RecordWriter for CsvWriter<W> {
    fn write(&mut self, _line: &str, record: &Value) -> io::Result<()> {
        for (cell, column) in self.cells.iter_mut().zip(&self.columns) {
            cell.clear();
            if let Some(value) = lookup(record, column) {
                write_cell(cell, value);
            }
        }
        self.writer.write_record(&self.cells).map_err(into_io)
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

/// Renders a JSON value as cell text: strings as they are, numbers and booleans as JSON,
/// lists joined, objects as compact JSON, null as empty.
fn write_cell(cell: &mut String, value: &Value) {
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
            let mut writer = CsvWriter::new(
                &mut out,
                Some(vec![
                    "id".into(),
                    "author.handle".into(),
                    "tags".into(),
                    "x".into(),
                ]),
                b',',
            )
            .unwrap();
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
}
