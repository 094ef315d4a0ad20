//! Sinks that turn a stream of mentions into other formats.
//!
//! Every sink here streams: it holds one record at a time, so memory does not grow with the
//! input.

mod csv;
mod json;

use std::io::{self, Write};

use serde_json::Value;

pub use self::csv::{CsvSink, DEFAULT_COLUMNS, LIST_SEPARATOR};
pub use self::json::{JsonArraySink, JsonlSink};

/// Output formats of `earful export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Jsonl,
}

impl Format {
    pub const NAMES: [&'static str; 3] = ["csv", "json", "jsonl"];

    pub fn from_name(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            _ => None,
        }
    }

    /// The format a file name implies (`report.csv`), if any.
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        Format::from_name(path.extension()?.to_str()?)
    }
}

/// A destination for mention records.
pub trait Sink {
    /// Writes one record. `line` is the record's original JSON text; `record` the parsed value.
    fn write(&mut self, line: &str, record: &Value) -> io::Result<()>;
    /// Writes any trailer and flushes.
    fn finish(&mut self) -> io::Result<()>;
}

/// Builds the sink for `format` writing to `out`. `columns` applies to CSV (dotted paths
/// such as `author.handle`; `None` means [`DEFAULT_COLUMNS`]).
pub fn sink<'w, W: Write + 'w>(
    format: Format,
    out: W,
    columns: Option<Vec<String>>,
) -> io::Result<Box<dyn Sink + 'w>> {
    Ok(match format {
        Format::Csv => Box::new(CsvSink::new(out, columns)?),
        Format::Json => Box::new(JsonArraySink::new(out)),
        Format::Jsonl => Box::new(JsonlSink::new(out)),
    })
}

/// The value at a dotted path (`author.handle`, `metrics.likes`) in a record.
pub fn lookup<'a>(record: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(record, |v, key| v.get(key))
}
