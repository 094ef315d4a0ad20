//! `earful export`: turn the stream into CSV, JSON or JSONL.

use std::path::PathBuf;

use anyhow::Context;
use earful::exit::{ExitCode, UsageError};
use earful::export::{self, Format};
use earful::jsonl::{LineError, Output};
use earful::progress::Printer;

use crate::cli::InputArgs;

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
    /// Write to FILE instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// CSV columns, comma-separated dotted paths (default: the documented fixed order)
    #[arg(long, value_name = "COLS", value_delimiter = ',')]
    pub columns: Option<Vec<String>>,
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    let format = match (&args.format, &args.output) {
        (Some(name), _) => Format::from_name(name).ok_or_else(|| {
            UsageError(format!(
                "unknown format {name:?} (expected one of: {})",
                Format::NAMES.join(", ")
            ))
        })?,
        (None, Some(path)) => Format::from_path(path).unwrap_or(Format::Csv),
        (None, None) => Format::Csv,
    };
    let out = Output::from_arg(args.output.as_deref())
        .with_context(|| format!("creating {}", display(&args.output)))?;
    let mut sink = export::sink(format, out, args.columns)?;
    let summary = super::for_each_line(&args.input, printer, |line, _| {
        let record: serde_json::Value =
            serde_json::from_str(line).map_err(|e| LineError::from_json(&e))?;
        sink.write(line, &record)?;
        Ok(())
    })?;
    sink.finish()
        .with_context(|| format!("writing {}", display(&args.output)))?;
    if let Some(path) = &args.output {
        printer.info(&format!(
            "wrote {} records to {}",
            summary.lines - summary.skipped,
            path.display()
        ));
    }
    Ok(super::finish_read(printer, summary))
}

fn display(path: &Option<PathBuf>) -> String {
    path.as_ref()
        .map_or_else(|| "stdout".to_owned(), |p| p.display().to_string())
}
