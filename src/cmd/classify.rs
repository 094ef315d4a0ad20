//! `earful classify`: add language, sentiment and intent labels to each mention.

use std::path::PathBuf;

use earful::classify::{self, Analyzer, Classifier};
use earful::exit::{ExitCode, UsageError};
use earful::parallel;
use earful::progress::Printer;

use crate::cli::{InputArgs, OutputArgs, ThreadsArgs};

/// Add sentiment and intent labels to each mention.
///
/// `sentiment` gets a `score` in [-1, 1] and a `label` (negative, neutral, positive), from
/// the title and text, offline, with a VADER-class lexicon engine tuned for customer
/// mentions. Mentions in a language the lexicons do not cover get the label `unknown`;
/// `lang` is filled in when missing and the language is clear. `labels` gets the intents
/// whose rules match: complaint, question, praise, suggestion, purchase_intent, churn_risk,
/// urgent (rules in data/intents.toml, in the query language of `filter`). Every other field
/// passes through unchanged; output keeps the input order. See docs/classify.md.
///
/// Examples:
///   earful fetch examples/feeds/*.xml | earful classify | jq -c '[.sentiment.label, .labels, .title]'
///   earful classify --brand united --brand delta tweets.jsonl > scored.jsonl
///   earful classify --rules our-taxonomy.toml --explain mentions.jsonl | jq .sentiment.explain
///   earful classify --model topic.model mentions.jsonl | earful stats --group label
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// A brand name to mask before scoring (repeatable), so "United" is not read as praise
    #[arg(long, value_name = "NAME")]
    pub brand: Vec<String>,
    /// Mask the names of the named queries in FILE (as for `filter --queries`) as brands
    #[arg(long, value_name = "FILE")]
    pub queries: Option<PathBuf>,
    /// A lexicon file (token<TAB>valence per line) adding or overriding entries
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,
    /// Intent rules (TOML, `label = 'query'`) adding labels or replacing built-in ones
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Use only the rules of --rules, none of the built-in ones
    #[arg(long, requires = "rules")]
    pub no_builtin_rules: bool,
    /// Languages to score, comma-separated two-letter codes; others get `unknown`
    #[arg(long, value_name = "LIST", value_delimiter = ',', default_value = "en")]
    pub languages: Vec<String>,
    /// Do not detect the language of mentions without `lang`
    #[arg(long)]
    pub no_detect_lang: bool,
    /// Add `sentiment.explain`: the tokens and rules that moved the score
    #[arg(long)]
    pub explain: bool,
    /// A model from `earful train` (repeatable): negative/neutral/positive labels set
    /// `sentiment`, others are added to `labels` (or set the field it was trained `--as`)
    #[arg(long, value_name = "FILE")]
    pub model: Vec<PathBuf>,
    #[command(flatten)]
    pub threads: ThreadsArgs,
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    let classifier = classifier(&args, printer)?;
    let threads = args.threads.count();
    let inputs = super::inputs(&args.input, printer)?;
    let mut out = args.output.open()?;
    let report = super::bad_line_report(printer);
    let summary = parallel::map_lines(
        inputs,
        threads,
        args.input.strict,
        report,
        &mut out,
        move |line, buf| classifier.classify_line(line, buf),
    )?;
    out.flush()?;
    Ok(super::finish_read(printer, summary))
}

/// Resolves the flags into a classifier; bad files are usage errors, reported before the
/// first line is read.
fn classifier(args: &Args, printer: &Printer) -> anyhow::Result<Classifier> {
    let mut brands = args.brand.clone();
    if let Some(path) = &args.queries {
        let set = super::named_queries(path)?;
        brands.extend(set.iter().map(|q| q.name.clone()));
    }
    let mut builder = Analyzer::builder().brands(&brands);
    if let Some(path) = &args.lexicon {
        builder = builder
            .lexicon_file(path)
            .map_err(|e| UsageError(e.to_string()))?;
    }
    let mut classifier = Classifier::new(builder.build())
        .languages(args.languages.clone())
        .detect_language(!args.no_detect_lang)
        .explain(args.explain)
        .models(
            args.model
                .iter()
                .map(|p| super::labelled::load_model(p))
                .collect::<Result<_, _>>()?,
        );
    if let Some(path) = &args.rules {
        let rules = classify::rules_with(&super::read_text(path)?, !args.no_builtin_rules)
            .map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
        for warning in rules.warnings() {
            printer.warn(&format!("{}: {warning}", path.display()));
        }
        classifier = classifier.rules(rules);
    }
    Ok(classifier)
}
