//! Labelled texts from a spreadsheet (CSV, TSV, XLSX) or JSONL: a text (one or several
//! columns joined, as `classify` joins a title and a text) and the labels of one or two
//! label columns per row.

use std::borrow::Cow;
use std::io::{Read, Seek};

use crate::classify::join_title_text;
use crate::jsonl::{self, Input, LineError, Location, ReadError, ReadSummary};
use crate::mention::MentionView;
use crate::stats::field::{Extra, Field};

/// One labelled row: its text and, per label column asked for, its labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub text: String,
    pub labels: Vec<Vec<String>>,
}

/// Which columns to read.
#[derive(Debug, Clone)]
pub struct Columns {
    /// Text columns, joined; empty means `title` and `text`, whichever the file has.
    pub text: Vec<String>,
    /// Whether rows need a text (not when two label columns are compared).
    pub need_text: bool,
    /// Label columns (one, or two to compare).
    pub labels: Vec<String>,
    /// Several labels per cell, separated by `;`; an empty cell is no label. Otherwise a
    /// row with an empty label cell is skipped.
    pub multi_label: bool,
}

/// What was read, and what was skipped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Loaded {
    pub rows: Vec<Row>,
    /// Rows skipped for an empty text.
    pub empty_texts: usize,
    /// Rows skipped for an empty label cell.
    pub empty_labels: usize,
}

/// Why labelled data could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("no column {name:?}; the columns are: {}", shorten(known))]
    MissingColumn { name: String, known: Vec<String> },
    #[error("{0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Xlsx(#[from] calamine::Error),
    #[error("the workbook has no sheet")]
    NoSheet,
    #[error(transparent)]
    Read(#[from] ReadError),
}

/// Column names for a message: each cut to 40 characters (a file without a header row has
/// texts there), at most 30 of them.
fn shorten(names: &[String]) -> String {
    let mut out: Vec<String> = names
        .iter()
        .take(30)
        .map(|n| match n.char_indices().nth(40) {
            Some((i, _)) => format!("{}...", &n[..i]),
            None => n.clone(),
        })
        .collect();
    if names.len() > 30 {
        out.push(format!("and {} more", names.len() - 30));
    }
    out.join(", ")
}

impl Loaded {
    /// A summary of skipped rows for a log line, if any were skipped.
    pub fn skipped_message(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.empty_texts > 0 {
            parts.push(format!("{} with an empty text", self.empty_texts));
        }
        if self.empty_labels > 0 {
            parts.push(format!("{} with an empty label", self.empty_labels));
        }
        (!parts.is_empty()).then(|| format!("skipped rows: {}", parts.join(", ")))
    }

    fn push(&mut self, text: String, cells: Vec<Vec<String>>, columns: &Columns) {
        if columns.need_text && text.trim().is_empty() {
            self.empty_texts += 1;
        } else if !columns.multi_label && cells.iter().any(Vec::is_empty) {
            self.empty_labels += 1;
        } else {
            self.rows.push(Row {
                text,
                labels: cells,
            });
        }
    }
}

/// The labels of one cell.
pub fn split_labels(cell: &str, multi_label: bool) -> Vec<String> {
    if multi_label {
        let mut out: Vec<String> = Vec::new();
        for l in cell.split(';').map(str::trim).filter(|l| !l.is_empty()) {
            if !out.iter().any(|o| o == l) {
                out.push(l.to_owned());
            }
        }
        out
    } else {
        let l = cell.trim();
        if l.is_empty() {
            Vec::new()
        } else {
            vec![l.to_owned()]
        }
    }
}

/// Where the asked-for columns are in a header row.
struct Positions {
    text: Vec<usize>,
    labels: Vec<usize>,
}

fn positions(header: &[String], columns: &Columns) -> Result<Positions, DataError> {
    let find = |name: &str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| DataError::MissingColumn {
                name: name.to_owned(),
                known: header.to_vec(),
            })
    };
    let text = if !columns.text.is_empty() {
        columns
            .text
            .iter()
            .map(|c| find(c))
            .collect::<Result<_, _>>()?
    } else if columns.need_text {
        let found: Vec<usize> = ["title", "text"]
            .iter()
            .filter_map(|c| find(c).ok())
            .collect();
        if found.is_empty() {
            find("text")?;
        }
        found
    } else {
        Vec::new()
    };
    let labels = columns
        .labels
        .iter()
        .map(|c| find(c))
        .collect::<Result<_, _>>()?;
    Ok(Positions { text, labels })
}

/// The text of a row: the text cells joined as `classify` joins a title and a text.
fn row_text(cells: &[&str], at: &[usize]) -> String {
    let mut text = String::new();
    for &i in at {
        let cell = crate::export::unneutralise(cells.get(i).copied().unwrap_or("").trim());
        if cell.is_empty() {
            continue;
        }
        text = if text.is_empty() {
            cell.to_owned()
        } else {
            join_title_text(Some(&text), cell).into_owned()
        };
    }
    text
}

fn read_rows<'a, I>(header: Vec<String>, rows: I, columns: &Columns) -> Result<Loaded, DataError>
where
    I: Iterator<Item = Result<Vec<Cow<'a, str>>, DataError>>,
{
    let at = positions(&header, columns)?;
    let mut loaded = Loaded::default();
    for row in rows {
        let row = row?;
        let cells: Vec<&str> = row.iter().map(|c| c.as_ref()).collect();
        let text = row_text(&cells, &at.text);
        let labels = at
            .labels
            .iter()
            .map(|&i| split_labels(cells.get(i).copied().unwrap_or(""), columns.multi_label))
            .collect();
        loaded.push(text, labels, columns);
    }
    Ok(loaded)
}

/// Reads CSV (`delimiter` `b','`) or TSV (`b'\t'`) with a header row.
pub fn read_csv<R: Read>(reader: R, delimiter: u8, columns: &Columns) -> Result<Loaded, DataError> {
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(reader);
    // Cells that are not UTF-8 (an export from an old tool) are read with U+FFFD, not refused.
    let cell = |c: &[u8]| String::from_utf8_lossy(c).into_owned();
    let header: Vec<String> = csv
        .byte_headers()?
        .iter()
        .map(|h| cell(h).trim_start_matches('\u{feff}').to_owned())
        .collect();
    let rows = csv.byte_records().map(|r| {
        r.map(|r| r.iter().map(|c| Cow::Owned(cell(c))).collect())
            .map_err(DataError::from)
    });
    read_rows(header, rows, columns)
}

/// Reads the first sheet of an XLSX workbook; its first row is the header.
pub fn read_xlsx<R: Read + Seek>(reader: R, columns: &Columns) -> Result<Loaded, DataError> {
    use calamine::Reader as _;
    let mut book = calamine::Xlsx::new(reader).map_err(calamine::Error::Xlsx)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(DataError::NoSheet)?
        .map_err(calamine::Error::Xlsx)?;
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .unwrap_or_default();
    let rows = rows.map(|r| Ok(r.iter().map(|c| Cow::Owned(c.to_string())).collect()));
    read_rows(header, rows, columns)
}

/// Reads JSONL through the one JSONL reader: the text is `text_fields` joined (default:
/// title and text, as `classify` reads them), the labels are the values of each of
/// `columns.labels`, read as `stats --group` reads a field (a name or a dotted path; a
/// list gives several labels). Bad lines go to `report`.
pub fn read_jsonl<R>(
    inputs: &[Input],
    strict: bool,
    report: R,
    columns: &Columns,
) -> Result<(Loaded, ReadSummary), DataError>
where
    R: FnMut(Location<'_>, &str),
{
    let parse = |names: &[String]| -> Result<Vec<Field>, DataError> {
        names
            .iter()
            .map(|n| {
                Field::parse(n).map_err(|_| DataError::MissingColumn {
                    name: n.clone(),
                    known: Vec::new(),
                })
            })
            .collect()
    };
    let text_fields = parse(&columns.text)?;
    let label_fields = parse(&columns.labels)?;
    let mut loaded = Loaded::default();
    let summary = jsonl::for_each_line(inputs, strict, report, |line, _| {
        let mut values = Vec::new();
        let view: MentionView = serde_json::from_str(line).map_err(|e| LineError::from_json(&e))?;
        let extra = Extra::read(line).map_err(|e| LineError::from_json(&e))?;
        let text = if text_fields.is_empty() {
            crate::classify::scoring_text(&view).into_owned()
        } else {
            let mut parts: Vec<String> = Vec::new();
            for f in &text_fields {
                values.clear();
                f.values(&view, &extra, &mut values);
                parts.extend(values.drain(..).flatten().map(Cow::into_owned));
            }
            let cells: Vec<&str> = parts.iter().map(String::as_str).collect();
            row_text(&cells, &(0..cells.len()).collect::<Vec<_>>())
        };
        let mut labels = Vec::new();
        for f in &label_fields {
            values.clear();
            f.values(&view, &extra, &mut values);
            let mut set: Vec<String> = Vec::new();
            for v in values.drain(..).flatten() {
                for l in split_labels(&v, columns.multi_label) {
                    if !set.contains(&l) {
                        set.push(l);
                    }
                }
            }
            if !columns.multi_label && set.len() > 1 {
                return Err(LineError::Malformed(format!(
                    "several labels {set:?} in one text: use --multi-label"
                )));
            }
            labels.push(set);
        }
        loaded.push(text, labels, columns);
        Ok(())
    })?;
    Ok((loaded, summary))
}

/// The kinds of file labelled data is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Csv,
    Tsv,
    Xlsx,
    Jsonl,
}

impl TableFormat {
    /// JSONL when fields are named (`--label-field`), else by the file's extension (`.tsv`,
    /// `.xlsx`/`.xlsm`, anything else CSV; stdin is CSV).
    pub fn of(input: &Input, fields: bool) -> TableFormat {
        if fields {
            return TableFormat::Jsonl;
        }
        let ext = match input {
            Input::Path(p) => p
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default(),
            Input::Stdin => String::new(),
        };
        match ext.as_str() {
            "tsv" | "tab" => TableFormat::Tsv,
            "xlsx" | "xlsm" => TableFormat::Xlsx,
            _ => TableFormat::Csv,
        }
    }
}

/// Reads labelled rows from one input in `format`; for JSONL, bad lines go to `report`
/// (and end the read under `strict`).
pub fn read<R>(
    input: &Input,
    format: TableFormat,
    columns: &Columns,
    strict: bool,
    report: R,
) -> Result<(Loaded, ReadSummary), DataError>
where
    R: FnMut(Location<'_>, &str),
{
    let io = |e: std::io::Error| {
        DataError::Read(ReadError::Read {
            file: input.name(),
            source: e,
        })
    };
    let loaded = match format {
        TableFormat::Jsonl => {
            return read_jsonl(std::slice::from_ref(input), strict, report, columns);
        }
        TableFormat::Csv | TableFormat::Tsv => {
            let delimiter = if format == TableFormat::Tsv {
                b'\t'
            } else {
                b','
            };
            read_csv(input.open().map_err(io)?, delimiter, columns)?
        }
        TableFormat::Xlsx => {
            let bytes = jsonl::read_all(input).map_err(io)?;
            read_xlsx(std::io::Cursor::new(bytes), columns)?
        }
    };
    let lines = (loaded.rows.len() + loaded.empty_texts + loaded.empty_labels) as u64;
    Ok((loaded, ReadSummary { lines, skipped: 0 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(text: &[&str], labels: &[&str], multi_label: bool) -> Columns {
        Columns {
            text: text.iter().map(|s| (*s).to_owned()).collect(),
            need_text: true,
            labels: labels.iter().map(|s| (*s).to_owned()).collect(),
            multi_label,
        }
    }

    #[test]
    fn csv_rows_with_title_and_text() {
        let data = "id,title,text,topic\n1,'@Late,\"flight late, again\",delay\n2,,\"\",delay\n3,,ok,\n4,,fine, \n";
        let got = read_csv(data.as_bytes(), b',', &columns(&[], &["topic"], false)).unwrap();
        assert_eq!(got.rows.len(), 1);
        assert_eq!(got.rows[0].text, "@Late. flight late, again");
        assert_eq!(got.rows[0].labels, vec![vec!["delay".to_owned()]]);
        assert_eq!((got.empty_texts, got.empty_labels), (1, 2));
        let err = read_csv(
            data.as_bytes(),
            b',',
            &columns(&["body"], &["topic"], false),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"no column "body"; the columns are: id, title, text, topic"#
        );
    }

    #[test]
    fn bad_utf8_is_replaced_and_long_names_cut() {
        let data = b"text,l\nfa\xe7ade,a\n";
        let got = read_csv(&data[..], b',', &columns(&["text"], &["l"], false)).unwrap();
        assert_eq!(got.rows[0].text, "fa\u{fffd}ade");
        let long = format!("{},1\nx,2\n", "y".repeat(60));
        let err = read_csv(long.as_bytes(), b',', &columns(&["text"], &["l"], false)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "no column \"text\"; the columns are: {}..., 1",
                "y".repeat(40)
            )
        );
    }

    #[test]
    fn multi_label_cells() {
        assert_eq!(split_labels(" a; b ;a;;", true), ["a", "b"]);
        assert_eq!(split_labels(" a; b ", false), ["a; b"]);
        let data = "text\tl\nhello\t\n";
        let got = read_csv(data.as_bytes(), b'\t', &columns(&["text"], &["l"], true)).unwrap();
        assert_eq!(got.rows[0].labels, vec![Vec::<String>::new()]);
    }
}
