//! `earful train`: a model from a team's labelled texts, with its cross-validated or holdout
//! figures.

use std::path::PathBuf;

use earful::exit::{ExitCode, UsageError};
use earful::progress::Printer;
use earful::train::data;
use earful::train::{self, Example, FeatureConfig, TrainOptions};

use super::labelled::LabelledArgs;
use crate::cli::ThreadsArgs;
use serde_json::json;

/// Train a model from labelled texts (CSV, TSV, XLSX or JSONL).
///
/// Learns the labels of --label-column from the text (the title and text columns, as
/// `export --format csv` writes them, or --text-column) with a linear classifier (one-vs-rest
/// linear SVMs over hashed word unigrams and bigrams, character 3- to 5-grams inside words
/// and the sentiment engine's scores; classes weighted by their size). `--cv K` and
/// `--holdout FILE` print accuracy, per-label precision/recall/F1, macro averages, Cohen's
/// kappa and a confusion matrix. `classify --model` then applies the model: labels
/// negative/neutral/positive set `sentiment`, others are added to `labels` (or to the field
/// of --as). Rows with an empty text or label are skipped and counted. The whole file is
/// held in memory. See docs/train.md.
///
/// Examples:
///   earful export --format csv --sample 500 --seed 1 -o to-label.csv mentions.jsonl
///   earful train to-label.csv --label-column topic -o topic.model --cv 5
///   earful train labelled.xlsx --label-column tags --multi-label --as tags -o tags.model
///   earful train labelled.jsonl --label-field extra.team --holdout later.jsonl --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub data: LabelledArgs,
    /// Write the model to FILE
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Report K-fold cross-validation (stratified by label), 2 to 100
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u16).range(2..=100))]
    pub cv: Option<u16>,
    /// Report the model's figures on another labelled file (same columns)
    #[arg(long, value_name = "FILE")]
    pub holdout: Option<PathBuf>,
    /// The field `classify --model` sets with this model's labels (instead of `labels`)
    #[arg(long = "as", value_name = "FIELD")]
    pub field: Option<String>,
    /// Seed of the training order and the folds: the same seed gives the same model bytes
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// SVM cost C: larger fits the training texts more closely
    #[arg(long, value_name = "C", default_value_t = 0.1)]
    pub cost: f64,
    /// Passes over the data at most
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub epochs: u32,
    /// Do not weight classes by their size (favours accuracy over macro recall)
    #[arg(long)]
    pub no_balance: bool,
    /// Character n-grams inside words, MIN-MAX (`0` turns them off)
    #[arg(long, value_name = "MIN-MAX", default_value = "3-5")]
    pub char_ngrams: String,
    /// Hashed feature slots, 2^BITS (8 to 24)
    #[arg(long, value_name = "BITS", default_value_t = 18)]
    pub hash_bits: u8,
    #[command(flatten)]
    pub threads: ThreadsArgs,
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    if args.output.is_none() && args.cv.is_none() && args.holdout.is_none() {
        return Err(
            UsageError("nothing to do: give -o FILE, --cv K or --holdout FILE".into()).into(),
        );
    }
    let opts = options(&args)?;
    let columns = args.data.columns(true, None);
    let (rows, mut bad) = args.data.read(&args.data.file, &columns, printer)?;
    let examples = to_examples(rows);
    let usage = |e: train::TrainError| UsageError(e.to_string());
    let mut reports = Vec::new();
    let cv = match args.cv {
        Some(k) => Some(train::cross_validate(&examples, &opts, usize::from(k)).map_err(usage)?),
        None => None,
    };
    let model = train::train(&examples, &opts).map_err(usage)?;
    let holdout = match &args.holdout {
        Some(path) => {
            let (rows, skipped) = args.data.read(path, &columns, printer)?;
            bad += skipped;
            Some(train::evaluate(&model, &to_examples(rows)))
        }
        None => None,
    };
    if let Some(path) = &args.output {
        std::fs::write(path, model.to_bytes())
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    }
    if let Some(r) = &cv {
        reports.push(("cross-validation", r));
    }
    if let Some(r) = &holdout {
        reports.push(("holdout", r));
    }
    printer.warn(&format!(
        "trained on {} texts, labels: {}{}",
        examples.len(),
        model.labels().join(", "),
        args.output
            .as_ref()
            .map_or(String::new(), |p| format!("; wrote {}", p.display()))
    ));
    let extra = json!({"texts": examples.len(), "labels": model.labels()});
    if !reports.is_empty() || args.data.json {
        args.data.print(&reports, extra)?;
    }
    Ok(ExitCode::from_failures(bad))
}

fn to_examples(rows: Vec<data::Row>) -> Vec<Example> {
    rows.into_iter()
        .map(|r| Example {
            text: r.text,
            labels: r.labels.into_iter().next().unwrap_or_default(),
        })
        .collect()
}

fn options(args: &Args) -> anyhow::Result<TrainOptions> {
    let (char_min, char_max) = FeatureConfig::parse_char_ngrams(&args.char_ngrams)
        .map_err(|e| UsageError(format!("--char-ngrams: {e}")))?;
    let opts = TrainOptions {
        features: FeatureConfig {
            bits: args.hash_bits,
            char_min,
            char_max,
            ..FeatureConfig::default()
        },
        c: args.cost,
        epochs: args.epochs.max(1),
        balanced: !args.no_balance,
        multi_label: args.data.multi_label,
        field: args.field.clone(),
        seed: args.seed,
        threads: args.threads.count(),
    };
    opts.check().map_err(|e| UsageError(e.to_string()))?;
    Ok(opts)
}
