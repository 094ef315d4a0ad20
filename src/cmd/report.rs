//! `earful report`: the voice-of-the-customer report as one HTML page or Markdown.

use earful::exit::{ExitCode, UsageError};
use earful::parallel;
use earful::progress::Printer;
use earful::report::render::{self, Meta};
use earful::report::{Options, ReportStats};

use crate::cli::{InputArgs, OutputArgs};

/// Write the voice-of-the-customer report: one self-contained HTML page, or Markdown.
///
/// Reads classified mentions (fetch | filter --queries | classify) and writes headline
/// numbers (mentions, change against the previous period of the same length, sentiment
/// shares, net sentiment, unique authors, reach), volume per hour or day by sentiment with
/// spikes and their drivers, share of voice and sentiment per named query (`matches`), per
/// label the distinctive terms and the quotes with the widest reach, the questions and
/// complaints no --brand-handle replied to (urgent and churn risk first, then by reach), top
/// authors, sources, hashtags and domains, the language mix and a method note. The numbers
/// are those of `earful stats` on the same input. The HTML page has inline CSS and SVG, no
/// script (its Content-Security-Policy forbids them) and prints well. Sections and
/// definitions: docs/report.md.
///
/// Memory grows with the number of periods, groups, distinct authors and each label's
/// vocabulary, and with the bounded lists (quotes, questions), never with the number of
/// mentions.
///
/// Examples:
///   earful report mentions.jsonl -o report.html
///   earful report --period 7d --brand-handle @NimbusHelp -o week.html mentions.jsonl
///   earful report --title "Nimbus, March" --top 20 --format md mentions.jsonl > report.md
///   earful filter --queries brands.toml scored.jsonl | earful report -o report.html
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Output format: html or md [default: from the -o extension, else html]
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Cover only this long up to now (7d, 24h, 4w), compared with the period before it
    /// [default: the whole input]
    #[arg(long, value_name = "DURATION")]
    pub period: Option<String>,
    /// The report's title
    #[arg(long, value_name = "TEXT", default_value = "Voice of the customer")]
    pub title: String,
    /// Rows in each top list and in "needs an answer"
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub top: u16,
    /// Names left out of the distinctive terms (repeatable): your brand's and competitors'
    #[arg(long, value_name = "NAME")]
    pub brand: Vec<String>,
    /// The brand's own handle (repeatable): a question it replied to is answered
    #[arg(long, value_name = "@HANDLE")]
    pub brand_handle: Vec<String>,
    /// Worker threads, 1 to 256 [default: all cores]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Html,
    Markdown,
}

fn format(args: &Args) -> Result<Format, UsageError> {
    let by_name = |name: &str| match name.to_ascii_lowercase().as_str() {
        "html" | "htm" => Some(Format::Html),
        "md" | "markdown" => Some(Format::Markdown),
        _ => None,
    };
    if let Some(name) = &args.format {
        return by_name(name)
            .ok_or_else(|| UsageError(format!("--format: expected html or md, found {name:?}")));
    }
    match args.output.output.as_deref() {
        Some(path) if path.as_os_str() != "-" && !path.starts_with("/dev") => path
            .extension()
            .and_then(|e| e.to_str())
            .and_then(by_name)
            .ok_or_else(|| {
                UsageError(format!(
                    "cannot tell the format of {} from its extension (expected .html or .md); pass --format",
                    path.display()
                ))
            }),
        _ => Ok(Format::Html),
    }
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    let format = format(&args)?;
    let window = match &args.period {
        Some(p) => {
            let d = earful::time::parse_duration(p)
                .map_err(|e| UsageError(format!("--period: {e}")))?;
            let end = jiff::Timestamp::now().as_second();
            let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 4).max(1);
            Some((end - secs, end))
        }
        None => None,
    };
    let options = Options {
        window,
        brand_handles: args
            .brand_handle
            .iter()
            .map(|h| h.trim().trim_start_matches('@').to_lowercase())
            .collect(),
        brands: args.brand.clone(),
        top: usize::from(args.top),
    };
    let inputs = super::inputs(&args.input, printer)?;
    let names = if inputs.is_empty() || args.input.files.is_empty() {
        vec!["stdin".to_owned()]
    } else {
        args.input
            .files
            .iter()
            .map(|p| p.display().to_string())
            .collect()
    };
    let (summary, stats) = parallel::fold_lines(
        inputs,
        parallel::threads(args.threads),
        args.input.strict,
        super::bad_line_report(printer),
        (
            move || ReportStats::new(options.clone()),
            |stats: &mut ReportStats, line: &str| stats.add_line(line),
            ReportStats::merge,
        ),
    )?;
    let report = stats.finish().map_err(anyhow::Error::msg)?;
    let meta = Meta {
        title: args.title.clone(),
        inputs: names,
        lines: summary.lines,
        skipped: summary.skipped,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        command: std::env::args().collect::<Vec<_>>().join(" "),
    };
    let text = match format {
        Format::Html => render::html(&report, &meta),
        Format::Markdown => render::markdown(&report, &meta),
    };
    let mut out = args.output.open()?;
    std::io::Write::write_all(&mut out, text.as_bytes())?;
    out.flush()?;
    Ok(super::finish_read(printer, summary))
}
