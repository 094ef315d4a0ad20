//! `earful export`: turn the stream into CSV, TSV, JSON, JSONL, Markdown or the SQLite store.

use anyhow::Context;
use earful::exit::{ExitCode, UsageError};
use earful::export::{self, CsvOptions, OutputFormat, RecordWriter};
use earful::jsonl::LineError;
use earful::progress::Printer;
use earful::store::{self, StoreWriter};

use crate::cli::{InputArgs, OutputArgs};

/// Turn mentions into CSV, TSV, JSON, JSON Lines, a Markdown table or the SQLite store.
///
/// CSV has a fixed column order (see docs/export.md): nested fields are flattened to dotted
/// names (author.handle, metrics.likes), lists are joined with " | ". `--columns` picks other
/// columns by dotted path, including fields earful does not know. CSV is Excel-safe by
/// default: a text cell starting with = + - @ tab or CR gets a leading ' (numbers such as
/// -0.4 stay numbers); `--raw` turns that off. JSON is one array. md is a Markdown table
/// (published, platform, author.handle, sentiment.label, labels, text; or --columns), each
/// cell on one line, `|` escaped, cut to 120 characters. sqlite upserts by id into
/// the mention store (see docs/store.md): run it every hour, a mention is stored once and
/// its row updated when it changed; read it back with `earful fetch mentions.db`. All
/// formats stream: memory does not grow with the input.
///
/// Examples:
///   earful fetch feeds.opml | earful classify | earful export --format csv -o mentions.csv
///   earful export --columns id,published,text,sentiment.label,my_field mentions.jsonl
///   earful export --format json mentions.jsonl > mentions.json
///   earful export --bom -o for-excel.csv mentions.jsonl
///   earful fetch feeds.opml | earful classify | earful export -o mentions.db
///   earful fetch mentions.db --since 7d | earful export -o last-week.csv
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format: csv, tsv, json, jsonl, md, sqlite [default: from the -o extension (an unknown
    /// extension is an error), csv on stdout]
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// CSV/TSV/md columns, comma-separated dotted paths (default: the documented fixed order)
    #[arg(long, value_name = "COLS", value_delimiter = ',')]
    pub columns: Option<Vec<String>>,
    /// CSV/TSV: write cells as they are; by default a text cell starting with = + - @ tab or
    /// CR gets a leading ' so a spreadsheet does not run it as a formula
    #[arg(long)]
    pub raw: bool,
    /// CSV/TSV: start with a UTF-8 byte order mark, so Excel on Windows reads UTF-8
    #[arg(long)]
    pub bom: bool,
    /// sqlite: rows per transaction; an interrupted export keeps whole batches only
    #[arg(long, value_name = "ROWS", default_value_t = store::DEFAULT_BATCH,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub batch: usize,
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    let format = super::output_format(args.format.as_deref(), &args.output, OutputFormat::Csv)?;
    if let Some(columns) = &args.columns
        && columns.iter().any(|c| c.trim().is_empty())
    {
        let why = "expected comma-separated dotted paths, found an empty one";
        return Err(UsageError(format!("--columns: {why}")).into());
    }
    let inputs = super::inputs(&args.input, printer)?;
    let mut writer: Box<dyn RecordWriter> = match (format, &args.output.output) {
        (OutputFormat::Sqlite, Some(path)) if path.as_os_str() != "-" => {
            Box::new(StoreWriter::new(store::open(path)?, args.batch))
        }
        (OutputFormat::Sqlite, _) => {
            let why = "the sqlite store is a file: name it with -o mentions.db";
            return Err(UsageError(why.to_owned()).into());
        }
        _ => {
            let csv = CsvOptions {
                columns: args.columns,
                raw: args.raw,
                bom: args.bom,
                ..CsvOptions::default()
            };
            export::writer(format, args.output.open()?, csv)?
        }
    };
    let summary = super::for_each_line(&inputs, args.input.strict, printer, |line, _| {
        let record: serde_json::Value =
            serde_json::from_str(line).map_err(|e| LineError::from_json(&e))?;
        writer.write(line, &record)?;
        Ok(())
    })?;
    writer
        .finish()
        .with_context(|| format!("writing {}", args.output.name()))?;
    if let Some(path) = &args.output.output {
        printer.info(&format!(
            "wrote {} records to {}",
            summary.lines - summary.skipped,
            path.display()
        ));
    }
    Ok(super::finish_read(printer, summary))
}
