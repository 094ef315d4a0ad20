//! `earful evaluate`: how well a model, the default engine or a second annotator agrees
//! with a gold label column.

use std::path::PathBuf;

use earful::classify::{Analyzer, label};
use earful::exit::{ExitCode, UsageError};
use earful::progress::Printer;
use earful::train::Tally;
use serde_json::json;

use super::train::LabelledArgs;

/// Measure a labelling against gold labels: a model, the default engine, or another column.
///
/// Reads labelled texts as `train` does and compares the gold labels of --label-column with
/// the labels of --model (a file from `earful train`), of the default sentiment engine
/// (`--engine default`: negative/neutral/positive, as `classify` labels them) or of a second
/// annotator's column (--against). Prints accuracy, per-label precision/recall/F1, macro
/// averages, Cohen's kappa and a confusion matrix (per label and micro-F1 with
/// --multi-label); --json for scripts. Rows with an empty text or label are skipped and
/// counted. See docs/train.md.
///
/// Examples:
///   earful evaluate labelled.csv --label-column topic --model topic.model
///   earful evaluate airline.csv --label-column airline_sentiment --text-column text --engine default
///   earful evaluate double-coded.xlsx --label-column anna --against ben --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub data: LabelledArgs,
    /// A model file from `earful train`
    #[arg(long, value_name = "FILE", required_unless_present_any = ["engine", "against"], conflicts_with_all = ["engine", "against"])]
    pub model: Option<PathBuf>,
    /// The built-in sentiment engine (`default`)
    #[arg(long, value_name = "NAME", value_parser = ["default"], conflicts_with = "against")]
    pub engine: Option<String>,
    /// A second label column (or field) to compare with the gold one
    #[arg(long, value_name = "COLUMN")]
    pub against: Option<String>,
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    let model = args
        .model
        .as_deref()
        .map(super::train::load_model)
        .transpose()?;
    let columns = args
        .data
        .columns(args.against.is_none(), args.against.as_deref());
    let (rows, bad) = args.data.read(&args.data.file, &columns, printer)?;
    let analyzer = Analyzer::new();
    let multi_label = args.data.multi_label || model.as_ref().is_some_and(|m| m.header.multi_label);
    let mut tally = Tally::new(multi_label);
    for row in rows {
        let mut labels = row.labels.into_iter();
        let gold = labels.next().unwrap_or_default();
        let predicted = match (&model, labels.next()) {
            (_, Some(other)) => other,
            (Some(model), None) => model.predict(&row.text, &analyzer),
            (None, None) => vec![label(analyzer.score(&row.text).compound).to_owned()],
        };
        tally.add(gold, predicted);
    }
    if tally.is_empty() {
        return Err(UsageError(format!("{}: no labelled rows", args.data.file.display())).into());
    }
    let by = match (&args.model, &args.against) {
        (Some(m), _) => m.display().to_string(),
        (None, Some(c)) => c.clone(),
        (None, None) => "engine default".to_owned(),
    };
    let report = tally.report();
    args.data
        .print(&[("evaluation", &report)], json!({"against": by}))?;
    Ok(ExitCode::from_failures(bad))
}
