//! `earful classify`: add sentiment (and, later, intent labels) to each mention.

use std::path::PathBuf;

use earful::classify::{self, Analyzer};
use earful::exit::{ExitCode, UsageError};
use earful::jsonl::{self, LineError, Output};
use earful::parallel;
use earful::mention::MentionView;
use earful::progress::Printer;

use crate::cli::InputArgs;

/// Add a sentiment score and label to each mention.
///
/// The score is in [-1, 1] (negative to positive), computed offline from the title and text
/// with a VADER-class lexicon engine tuned for customer mentions; the label is negative,
/// neutral or positive. Every other field passes through unchanged. See docs/classify.md.
///
/// Examples:
///   earful fetch examples/feeds/*.xml | earful classify | jq -c '[.sentiment.label, .title]'
///   earful classify --brand united --brand delta tweets.jsonl > scored.jsonl
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// A brand name to mask before scoring (repeatable), so "United" is not read as praise
    #[arg(long, value_name = "NAME")]
    pub brand: Vec<String>,
    /// A lexicon file (token<TAB>valence per line) adding or overriding entries
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,
    /// Worker threads (output keeps the input order) [default: all cores]
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    let mut builder = Analyzer::builder().brands(&args.brand);
    if let Some(path) = &args.lexicon {
        builder = builder
            .lexicon_file(path)
            .map_err(|e| UsageError(e.to_string()))?;
    }
    let analyzer = builder.build();
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    });
    let inputs = jsonl::inputs_from_args(&args.input.files).map_err(|e| UsageError(e.to_string()))?;
    let mut out = Output::stdout();
    let report = |loc: jsonl::Location<'_>, why: &str| printer.error(&format!("{loc}: {why}"));
    let summary = parallel::map_lines(inputs, threads, args.input.strict, report, &mut out, move |line, buf| {
        let view: MentionView =
            serde_json::from_str(line).map_err(|e| LineError::from_json(&e))?;
        let mut text = String::new();
        for part in [&view.title, &view.text].into_iter().flatten() {
            text.push_str(part);
            text.push_str(". ");
        }
        let scores = analyzer.score(&text);
        let sentiment = format!(
            r#"{{"score":{},"label":"{}"}}"#,
            round4(scores.compound),
            classify::label(scores.compound)
        );
        jsonl::set_fields(line, &[("sentiment", &sentiment)], buf)?;
        buf.push(b'\n');
        Ok(())
    })?;
    out.flush()?;
    Ok(super::finish_read(printer, summary))
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
