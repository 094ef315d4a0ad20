//! `earful report`: the voice-of-the-customer report as one HTML page or Markdown.

use std::time::Duration;

use earful::exit::{ExitCode, UsageError};
use earful::parallel;
use earful::progress::Printer;
use earful::report::render::{Format, Meta};
use earful::report::{Options, ReportStats};
use earful::stats::period::format_utc;
use earful::time;

use crate::cli::{InputArgs, OutputArgs, ThreadsArgs};

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
///   earful report --period 7d --until 2026-03-09 -o first-week.html mentions.jsonl
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
    /// Cover only this long up to --until (7d, 24h, 4w), compared with the period before
    /// it [default: the whole input]
    #[arg(long, value_name = "DURATION", value_parser = time::parse_duration)]
    pub period: Option<Duration>,
    /// The end of --period: a date (`2026-03-09`), an RFC 3339 time or a duration ago (`1d`)
    /// [default: now]
    #[arg(long, value_name = "TIME", requires = "period", value_parser = time::parse_time_now)]
    pub until: Option<jiff::Timestamp>,
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
    #[command(flatten)]
    pub threads: ThreadsArgs,
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    let format = Format::resolve(args.format.as_deref(), args.output.output.as_deref())
        .map_err(|e| UsageError(format!("--format: {e}")))?;
    let window = args.period.map(|d| {
        let end = args.until.unwrap_or_else(jiff::Timestamp::now).as_second();
        let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 4).max(1);
        (end.saturating_sub(secs), end)
    });
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
    let names = inputs.iter().map(|i| i.name()).collect();
    let (summary, stats) = parallel::fold_lines(
        inputs,
        args.threads.count(),
        args.input.strict,
        super::bad_line_report(printer),
        (
            move || ReportStats::new(options.clone()),
            |stats: &mut ReportStats, line: &str| stats.add_line(line),
            ReportStats::merge,
        ),
    )?;
    let report = stats.finish().map_err(anyhow::Error::msg)?;
    if let (Some((start, _)), Some(latest)) = (window, report.latest_read)
        && report.mentions == 0
        && latest < start
    {
        printer.warn(&format!(
            "no mention in --period: the latest was published {}; end the period there with --until",
            format_utc(latest)
        ));
    }
    let meta = Meta {
        title: args.title.clone(),
        inputs: names,
        lines: summary.lines,
        skipped: summary.skipped,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        command: std::env::args().collect::<Vec<_>>().join(" "),
    };
    let text = format.render(&report, &meta);
    let mut out = args.output.open()?;
    std::io::Write::write_all(&mut out, text.as_bytes())?;
    out.flush()?;
    Ok(super::finish_read(printer, summary))
}
