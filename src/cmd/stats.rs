//! `earful stats`: counts per period and group, spikes, top values, distinctive terms.

use earful::exit::{ExitCode, UsageError};
use earful::export::OutputFormat;
use earful::progress::Printer;
use earful::stats::Stats;
use earful::stats::request::Request;

use crate::cli::{InputArgs, OutputArgs, ThreadsArgs};

/// Count mentions per period and group: volume, sentiment, share of voice, reach; spikes.
///
/// One row per period (--by) and group (--group), every period from the first mention's to
/// the last's, empty ones as zero rows: count, negative/neutral/positive/unknown, mean_score,
/// net_sentiment ((positive - negative) / count), share (of the period's counts over all
/// groups: share of voice when grouped by match), reach (followers) and engagement. A mention
/// with two matches counts once in each. Periods are cut in UTC, or in --tz; weeks start on
/// Monday. --spikes compares each period with the mean of the --window periods before it
/// and marks a spike above mean + k standard deviations (and at least --min-count), for all
/// mentions and for negative ones, with the terms, authors and labels that rose most.
/// --top N FIELD lists each period's most frequent values instead of counts; --terms N each
/// group's most distinctive words and phrases (log-odds with an informative prior).
/// --partial writes counts that `stats --merge` adds up into exactly the rows one run over
/// all the input would give. Definitions: docs/stats.md.
///
/// Memory grows with the number of periods × groups (and with each group's vocabulary under
/// --terms), never with the number of mentions; the input need not be sorted.
///
/// Group and top fields: match, label, sentiment, platform, kind, lang, source, author, tag,
/// mention, domain, or any dotted path (airline, source.title).
///
/// Examples:
///   earful stats --by day --group match mentions.jsonl
///   earful stats --by week --group label --format md mentions.jsonl
///   earful stats --by day --tz Europe/Paris --group match -o share-of-voice.csv mentions.jsonl
///   earful stats --by hour --fail-on-spike -o hourly.jsonl mentions.jsonl || echo spike
///   earful stats --by week --top 10 tag mentions.jsonl
///   earful stats --terms 15 --group label mentions.jsonl
///   parallel --pipe --block 64M earful stats --partial < big.jsonl | earful stats --merge
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Period length: hour, day, week (Monday to Sunday) or month
    #[arg(long, value_name = "UNIT", default_value = "day")]
    pub by: String,
    /// Time zone periods are cut in (IANA name, e.g. Europe/Paris); `period` stays UTC
    #[arg(long, value_name = "TZ", default_value = "UTC")]
    pub tz: String,
    /// Count per value of FIELD (repeatable, or comma-separated: one group per combination)
    #[arg(long, value_name = "FIELD", value_delimiter = ',')]
    pub group: Vec<String>,
    /// Instead of counts: the N most frequent values of FIELD per period and group
    #[arg(long, num_args = 2, value_names = ["N", "FIELD"], conflicts_with_all = ["terms", "spikes", "fail_on_spike"])]
    pub top: Option<Vec<String>>,
    /// Instead of counts: each group's N most distinctive words and phrases (needs --group)
    #[arg(long, value_name = "N", conflicts_with_all = ["spikes", "fail_on_spike"])]
    pub terms: Option<usize>,
    /// Names left out of --terms (repeatable): your brand's and competitors' names
    #[arg(long, value_name = "NAME")]
    pub brand: Vec<String>,
    /// Mark spikes: baseline, z, spike, negative_spike and, on a spike, its drivers
    #[arg(long)]
    pub spikes: bool,
    /// Periods in a spike's baseline [default: 7 for days, 24 for hours, 8 weeks, 6 months]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub window: Option<u32>,
    /// Standard deviations above the baseline's mean that make a spike
    #[arg(long, value_name = "K", default_value_t = 2.0)]
    pub k: f64,
    /// Fewest mentions (or negative mentions) in a spike
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub min_count: u64,
    /// Exit 3 when the last period of a group is a spike, with one line per spike on
    /// stderr (implies --spikes)
    #[arg(long)]
    pub fail_on_spike: bool,
    /// Write the counts for `stats --merge` instead of rows (to run stats on shards)
    #[arg(long, conflicts_with = "merge")]
    pub partial: bool,
    /// Read `stats --partial` outputs (same --by, --tz, --group, --top, --terms) and add them up
    #[arg(long)]
    pub merge: bool,
    /// Output format: jsonl, json, csv, tsv or md [default: from the -o extension, else jsonl]
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
    #[command(flatten)]
    pub threads: ThreadsArgs,
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    let request = Request {
        by: args.by.clone(),
        tz: args.tz.clone(),
        group: args.group.clone(),
        top: args.top.clone(),
        terms: args.terms,
        brands: args.brand.clone(),
        spikes: args.spikes || args.fail_on_spike,
        window: args.window,
        k: args.k,
        min_count: args.min_count,
    };
    let (options, report_options) = request.resolve().map_err(UsageError)?;
    let rows_only = |f: OutputFormat| match f.needs_file() {
        None => Ok(f),
        Some(_) => Err("stats writes jsonl, json, csv, tsv or md".to_owned()),
    };
    let (format, to) = (args.format.as_deref(), args.output.output.as_deref());
    let format = OutputFormat::resolve(format, to, OutputFormat::Jsonl)
        .and_then(rows_only)
        .map_err(UsageError)?;
    let groups: Vec<String> = options.groups.iter().map(|(n, _)| n.clone()).collect();
    let inputs = super::inputs(&args.input, printer)?;
    let report = super::bad_line_report(printer);
    let (strict, threads) = (args.input.strict, args.threads.count());
    let (stats, summary) =
        Stats::count_inputs(options, inputs, strict, report, threads, args.merge).map_err(|e| {
            match e.is_usage() {
                true => UsageError(e.to_string()).into(),
                false => anyhow::Error::from(e),
            }
        })?;
    let mut out = args.output.open()?;
    if args.partial {
        stats.write_partial(&mut out)?;
        out.flush()?;
        return Ok(super::finish_read(printer, summary));
    }
    let report = stats.report(&report_options).map_err(anyhow::Error::msg)?;
    report.write(format, &groups, &mut out)?;
    out.flush()?;
    if let Some(message) = stats.undated_message() {
        printer.warn(&message);
    }
    let code = super::finish_read(printer, summary);
    let spikes = if args.fail_on_spike {
        report.spike_lines()
    } else {
        Vec::new()
    };
    spikes.iter().for_each(|line| printer.error(line));
    if !spikes.is_empty() && code == ExitCode::Success {
        return Ok(ExitCode::Spike);
    }
    Ok(code)
}
