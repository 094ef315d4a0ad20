//! Record writers that turn a stream of mentions into other formats.
//!
//! Every writer here streams: it holds one record at a time, so memory does not grow with the
//! input (the xlsx counts sheet grows with the labels). In front of them, [`Arranged`] holds
//! lines for `--sort` and `--sample` and [`ColumnCheck`] up to [`COLUMN_LOOKAHEAD`] lines.

mod arrange;
mod columns;
mod csv;
mod json;
mod markdown;
mod xlsx;

use std::io::{self, Write};

use serde_json::Value;

use crate::jsonl::LineError;

pub use self::arrange::{Arrange, Arranged, Sort, SortKey};
pub use self::columns::{
    COLUMN_LOOKAHEAD, ColumnCheck, UnknownColumns, known_columns, parse_columns,
};
pub use self::csv::{
    CsvOptions, CsvWriter, DEFAULT_COLUMNS, LIST_SEPARATOR, neutralise, unneutralise,
};
pub use self::json::{JsonArrayWriter, JsonlWriter};
pub use self::markdown::{MD_COLUMNS, MD_TEXT_WIDTH, MarkdownWriter};
pub use self::xlsx::{XLSX_MAX_LINKS, XLSX_MAX_ROWS, XLSX_MAX_TEXT, XlsxWriter};

/// Output formats of `earful export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Csv,
    Tsv,
    Json,
    Jsonl,
    /// A Markdown table.
    Markdown,
    /// An Excel workbook (see [`XlsxWriter`]); needs a path, not a stream.
    Xlsx,
    /// The mention store (a SQLite file, see [`crate::store`]); needs a path, not a stream.
    Sqlite,
}

impl OutputFormat {
    pub const NAMES: [&'static str; 7] = ["csv", "tsv", "json", "jsonl", "md", "xlsx", "sqlite"];

    /// The format of a `--format` name or a file extension (case-insensitive).
    pub fn from_name(name: &str) -> Option<OutputFormat> {
        match name.to_ascii_lowercase().as_str() {
            "csv" => Some(OutputFormat::Csv),
            "tsv" | "tab" => Some(OutputFormat::Tsv),
            "json" => Some(OutputFormat::Json),
            "jsonl" | "ndjson" => Some(OutputFormat::Jsonl),
            "md" | "markdown" => Some(OutputFormat::Markdown),
            "xlsx" => Some(OutputFormat::Xlsx),
            "sqlite" | "sqlite3" | "db" => Some(OutputFormat::Sqlite),
            _ => None,
        }
    }

    /// The format of an output: `--format`, else the extension of the `-o` file (an
    /// unknown or missing one is an error, never a silent default), else `default` (stdout,
    /// or a device or pipe such as `/dev/null`). The error says what was expected.
    pub fn resolve(
        format: Option<&str>,
        output: Option<&std::path::Path>,
        default: OutputFormat,
    ) -> Result<OutputFormat, String> {
        resolve_format(
            format,
            output,
            default,
            &OutputFormat::NAMES,
            OutputFormat::from_name,
        )
    }

    /// The columns `--columns` asks of this format (`None`: the default ones), with those
    /// not in the schema, to be looked for in the data; an error for a format without
    /// columns or a bad list.
    pub fn columns(
        self,
        spec: Option<&[String]>,
    ) -> Result<(Option<Vec<String>>, Vec<String>), String> {
        match (spec, self.default_columns()) {
            (Some(spec), Some(default)) => {
                let (columns, unseen) =
                    parse_columns(spec, default).map_err(|why| format!("--columns: {why}"))?;
                Ok((Some(columns), unseen))
            }
            (Some(_), None) => Err("--columns applies to csv, tsv, md and xlsx".to_owned()),
            (None, _) => Ok((None, Vec::new())),
        }
    }

    /// Whether this format can be written to `file` (`None`: stdout), and `arranged`
    /// (sorted or sampled): the store and workbooks are files, and the store is read back
    /// in published order.
    pub fn check_target(
        self,
        file: Option<&std::path::Path>,
        arranged: bool,
    ) -> Result<(), String> {
        if let (None, Some(why)) = (file, self.needs_file()) {
            return Err(why.to_owned());
        }
        if self == OutputFormat::Sqlite && arranged {
            return Err(
                "--sort and --sample do not apply to the sqlite store (it is read back in \
                        published order; sort or sample when reading it)"
                    .to_owned(),
            );
        }
        Ok(())
    }

    /// Why the format cannot be written to stdout, for those that need a file.
    pub fn needs_file(self) -> Option<&'static str> {
        match self {
            OutputFormat::Sqlite => Some("the sqlite store is a file: name it with -o mentions.db"),
            OutputFormat::Xlsx => Some("an xlsx workbook is a file: name it with -o report.xlsx"),
            _ => None,
        }
    }

    /// The columns a table format writes by default; `None` for formats without columns.
    pub fn default_columns(self) -> Option<&'static [&'static str]> {
        match self {
            OutputFormat::Csv | OutputFormat::Tsv | OutputFormat::Xlsx => Some(&DEFAULT_COLUMNS),
            OutputFormat::Markdown => Some(&MD_COLUMNS),
            OutputFormat::Json | OutputFormat::Jsonl | OutputFormat::Sqlite => None,
        }
    }

    /// The format a file name implies (`report.csv`), if its extension names one.
    pub fn from_path(path: &std::path::Path) -> Option<OutputFormat> {
        OutputFormat::from_name(path.extension()?.to_str()?)
    }
}

/// The format of an output, for any stage that writes several (`export`, `report`, `network`):
/// `--format` (`format`, read by `from_name`), else the extension of the `-o` file (an
/// unknown or missing one is an error naming the expected `names`, never a silent default),
/// else `default` (stdout, or a device or pipe such as `/dev/null`).
pub fn resolve_format<F>(
    format: Option<&str>,
    output: Option<&std::path::Path>,
    default: F,
    names: &[&str],
    from_name: impl Fn(&str) -> Option<F>,
) -> Result<F, String> {
    let names = names.join(", ");
    match (format, output) {
        (Some(name), _) => from_name(name)
            .ok_or_else(|| format!("unknown format {name:?} (expected one of: {names})")),
        (None, Some(path)) if path.as_os_str() != "-" && !is_device(path) => path
            .extension()
            .and_then(|e| e.to_str())
            .and_then(from_name)
            .ok_or_else(|| {
                format!(
                    "cannot tell the format of {} from its extension (expected one of: \
                     {names}); pass --format",
                    path.display()
                )
            }),
        (None, _) => Ok(default),
    }
}

/// Whether `path` is an existing device, pipe or socket (`/dev/null`, `/dev/stdout`), which
/// has no extension to tell a format by.
fn is_device(path: &std::path::Path) -> bool {
    path.extension().is_none() && std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// A destination for mention records.
pub trait RecordWriter {
    /// Writes one record. `line` is the record's original JSON text; `record` the parsed value.
    /// A [`LineError::Malformed`] skips the line; a [`LineError::Fatal`] stops the export.
    fn write(&mut self, line: &str, record: &Value) -> Result<(), LineError>;
    /// Whether [`RecordWriter::write`] looks at `record`; when not, the caller may pass
    /// `Value::Null` and skip parsing (the writer then checks the line itself).
    fn reads_record(&self) -> bool {
        true
    }
    /// Writes one JSONL line, parsed only when the writer looks at the record.
    fn write_line(&mut self, line: &str) -> Result<(), LineError> {
        let record = match self.reads_record() {
            true => serde_json::from_str(line).map_err(|e| LineError::from_json(&e))?,
            false => Value::Null,
        };
        self.write(line, &record)
    }
    /// Writes any trailer and flushes.
    fn finish(&mut self) -> io::Result<()>;
}

/// Builds the writer for a stream `format` (not [`OutputFormat::Xlsx`] or
/// [`OutputFormat::Sqlite`], which are written by path) writing to `out`. `csv` applies to
/// CSV and TSV (its delimiter is set from `format`); its `columns` to Markdown too.
pub fn writer<'w, W: Write + 'w>(
    format: OutputFormat,
    out: W,
    csv: CsvOptions,
) -> io::Result<Box<dyn RecordWriter + 'w>> {
    Ok(match format {
        OutputFormat::Csv => Box::new(CsvWriter::new(
            out,
            CsvOptions {
                delimiter: b',',
                ..csv
            },
        )?),
        OutputFormat::Tsv => Box::new(CsvWriter::new(
            out,
            CsvOptions {
                delimiter: b'\t',
                ..csv
            },
        )?),
        OutputFormat::Json => Box::new(JsonArrayWriter::new(out)),
        OutputFormat::Jsonl => Box::new(JsonlWriter::new(out)),
        OutputFormat::Markdown => Box::new(MarkdownWriter::new(out, csv.columns)?),
        OutputFormat::Xlsx | OutputFormat::Sqlite => {
            return Err(io::Error::other(
                "xlsx and sqlite are written by path, not to a stream",
            ));
        }
    })
}

/// The value at a dotted path (`author.handle`, `metrics.likes`) in a record.
pub fn lookup<'a>(record: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(record, |v, key| v.get(key))
}
