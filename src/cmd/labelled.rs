//! The labelled input of `train` and `evaluate`, and reading a model file (`classify
//! --model`, `evaluate --model`): the glue the three commands share.

use std::path::PathBuf;

use earful::exit::UsageError;
use earful::jsonl::Input;
use earful::progress::Printer;
use earful::train::data::{self, Columns, TableFormat};
use earful::train::{Model, Report};

/// The labelled input, shared by `train` and `evaluate`.
#[derive(Debug, clap::Args)]
pub struct LabelledArgs {
    /// Labelled texts: CSV, TSV (.tsv), XLSX (.xlsx, first sheet) with a header row, or
    /// JSONL with --label-field; `-` is stdin
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The column of labels
    #[arg(long, value_name = "COLUMN", required_unless_present = "label_field")]
    pub label_column: Option<String>,
    /// Text column (repeatable, joined) [default: title and text]
    #[arg(long, value_name = "COLUMN")]
    pub text_column: Vec<String>,
    /// JSONL: the field of labels (a name or dotted path, as in `stats --group`)
    #[arg(long, value_name = "FIELD", conflicts_with = "label_column")]
    pub label_field: Option<String>,
    /// JSONL: text field (repeatable, joined) [default: title and text]
    #[arg(long, value_name = "FIELD", requires = "label_field")]
    pub text_field: Vec<String>,
    /// Several labels per text, separated by `;` (one-vs-rest)
    #[arg(long)]
    pub multi_label: bool,
    /// Print the figures as JSON
    #[arg(long)]
    pub json: bool,
    /// JSONL: stop at the first malformed line instead of reporting and skipping it
    #[arg(long)]
    pub strict: bool,
}

impl LabelledArgs {
    /// The columns to read: the label column, then `also` (a second label column).
    pub fn columns(&self, need_text: bool, also: Option<&str>) -> Columns {
        let (label, text) = match &self.label_field {
            Some(f) => (f.clone(), self.text_field.clone()),
            None => (
                self.label_column.clone().unwrap_or_default(),
                self.text_column.clone(),
            ),
        };
        Columns {
            text,
            need_text,
            labels: std::iter::once(label)
                .chain(also.map(str::to_owned))
                .collect(),
            multi_label: self.multi_label,
        }
    }

    /// Reads `path` with `columns`: a missing column or an unreadable file is a usage error;
    /// skipped rows and bad lines are reported. Returns the rows and the bad-line count.
    pub fn read(
        &self,
        path: &std::path::Path,
        columns: &Columns,
        printer: &Printer,
    ) -> anyhow::Result<(Vec<data::Row>, u64)> {
        let input = Input::from_arg(path);
        if let Input::Path(p) = &input {
            std::fs::File::open(p).map_err(|e| UsageError(format!("{}: {e}", p.display())))?;
        }
        let format = TableFormat::of(&input, self.label_field.is_some());
        let (loaded, summary) = data::read(
            &input,
            format,
            columns,
            self.strict,
            super::bad_line_report(printer),
        )
        .map_err(|e| match e {
            data::DataError::Read(e) => anyhow::Error::new(e),
            e => UsageError(format!("{}: {e}", input.name())).into(),
        })?;
        if let Some(m) = loaded.skipped_message() {
            printer.warn(&format!("{}: {m}", input.name()));
        }
        if let Some(m) = summary.skipped_message() {
            printer.error(&m);
        }
        Ok((loaded.rows, summary.skipped))
    }

    /// Prints reports: a table per report on stdout, or one JSON object with `--json`.
    pub fn print(
        &self,
        reports: &[(&str, &Report)],
        extra: serde_json::Value,
    ) -> anyhow::Result<()> {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        if self.json {
            let mut obj = extra;
            for (name, report) in reports {
                obj[*name] = serde_json::to_value(report)?;
            }
            writeln!(out, "{obj}")?;
        } else {
            for (name, report) in reports {
                writeln!(out, "{name}\n{}", report.table())?;
            }
        }
        out.flush()?;
        Ok(())
    }
}

/// Reads a model file: a missing, unreadable or invalid one is a usage error naming it.
pub fn load_model(path: &std::path::Path) -> anyhow::Result<Model> {
    let bytes = std::fs::read(path).map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
    Ok(Model::from_bytes(&bytes).map_err(|e| UsageError(format!("{}: {e}", path.display())))?)
}
