//! `earful export`: turn the stream into CSV, JSON or JSONL.

use anyhow::Context;
use earful::exit::{ExitCode, UsageError};
use earful::export::{self, OutputFormat};
use earful::jsonl::LineError;
use earful::progress::Printer;

use crate::cli::{InputArgs, OutputArgs};

/// Turn mentions into CSV, JSON or JSON Lines.
///
/// CSV has a fixed column order (see docs/schema.md): nested fields are flattened to dotted
/// names (author.handle, metrics.likes), lists are joined with " | ". `--columns` picks other
/// columns by dotted path, including fields earful does not know. JSON is one array. All
/// formats stream: memory does not grow with the input.
///
/// Examples:
///   earful fetch feeds.opml | earful classify | earful export --format csv -o mentions.csv
///   earful export --columns id,published,text,sentiment.label,my_field mentions.jsonl
///   earful export --format json mentions.jsonl > mentions.json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format: csv, json, jsonl [default: from the -o extension, else csv]
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// CSV columns, comma-separated dotted paths (default: the documented fixed order)
    #[arg(long, value_name = "COLS", value_delimiter = ',')]
    pub columns: Option<Vec<String>>,
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    let format = match (&args.format, &args.output.output) {
        (Some(name), _) => OutputFormat::from_name(name).ok_or_else(|| {
            UsageError(format!(
                "unknown format {name:?} (expected one of: {})",
                OutputFormat::NAMES.join(", ")
            ))
        })?,
        (None, Some(path)) => OutputFormat::from_path(path).unwrap_or(OutputFormat::Csv),
        (None, None) => OutputFormat::Csv,
    };
    if let Some(columns) = &args.columns
        && columns.iter().any(|c| c.trim().is_empty())
    {
        let why = "expected comma-separated dotted paths, found an empty one";
        return Err(UsageError(format!("--columns: {why}")).into());
    }
    let inputs = super::inputs(&args.input, printer)?;
    let out = args.output.open()?;
    let mut writer = export::writer(format, out, args.columns)?;
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
