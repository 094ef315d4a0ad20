//! `earful filter`: keep the mentions that match a query.

use earful::exit::{ExitCode, UsageError};
use earful::jsonl::{LineError, Output};
use earful::mention::MentionView;
use earful::progress::Printer;
use earful::query::Query;

use crate::cli::InputArgs;

/// Keep the mentions that match a boolean query.
///
/// Terms match whole words, case-insensitively, in the title and text. "Quoted phrases"
/// match words in sequence. AND, OR and NOT (upper-case) combine them, parentheses group;
/// terms side by side mean AND. Kept lines are written unchanged. See docs/query.md.
///
/// Examples:
///   earful fetch feeds.opml | earful filter '("bank of america" OR bofa) NOT careers'
///   earful filter 'nimbus AND (refund OR "charged twice")' mentions.jsonl | jq -r .url
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The query
    #[arg(value_name = "QUERY")]
    pub query: String,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    let query =
        Query::parse(&args.query).map_err(|e| UsageError(format!("invalid query\n{}", e.render(&args.query))))?;
    let mut out = Output::stdout();
    let summary = super::for_each_line(&args.input, printer, |line, _| {
        let view: MentionView = serde_json::from_str(line).map_err(|e| LineError::from_json(&e))?;
        if query.matches(&view) {
            out.write_line(line.as_bytes())?;
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(super::finish_read(printer, summary))
}
