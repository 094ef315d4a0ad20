//! `earful filter`: keep the mentions that match a query.

use std::path::PathBuf;

use earful::exit::{ExitCode, UsageError};
use earful::filter::{self, DedupBy, Filter, FilterConfig};
use earful::progress::Printer;
use earful::time;

use crate::cli::{InputArgs, OutputArgs};

/// Keep the mentions that match a Brandwatch-style query.
///
/// Terms match whole words, case- and accent-insensitively, in the title and text; "quoted
/// phrases" match words in sequence, "phrase"~3 within 3 words, a NEAR/3 b and a NEAR/3f b by
/// distance, complain* and customi?e by wildcard, {BT} case-sensitively, raw:"Google+" and
/// /regex/ literally. AND, OR, NOT (upper-case) and parentheses combine them; side by side
/// means AND, -term means NOT. Fields such as title:, lang:, site:, likes:[10 TO *] and
/// published:[2024-01-01 TO *] test metadata (docs/query.md).
///
/// Kept lines are written unchanged (with --queries, matching names are added to `matches`).
/// Lines that cannot contain a term are skipped unparsed (checked only for the shape of an object).
///
/// Examples:
///   earful fetch feeds.opml | earful filter '("bank of america" OR bofa) NOT careers'
///   earful filter 'nimbus AND (refund OR "charged twice")' mentions.jsonl | jq -r .url
///   earful filter --queries brands.toml --since 7d --lang en,fr --no-reposts mentions.jsonl
///   earful filter --count 'luggage OR baggage' big.jsonl
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The query; '' for none. With -e or --queries, every argument is a FILE
    #[arg(value_name = "QUERY")]
    pub query: Option<String>,
    /// The query, as an option (then every positional argument is a FILE)
    #[arg(short = 'e', long = "query", value_name = "QUERY")]
    pub expr: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Named queries (TOML: `name = 'query'`, optionally in [groups]); matching names are
    /// appended to `matches`, mentions matching none are dropped
    #[arg(long, value_name = "FILE")]
    pub queries: Option<PathBuf>,
    /// The project file's named queries: as --queries, but the first argument stays the query
    #[arg(long, value_name = "FILE", hide = true)]
    pub project_queries: Option<PathBuf>,
    /// With --queries: keep mentions that match no named query too
    #[arg(long, requires = "queries")]
    pub keep_all: bool,
    /// Keep mentions published at or after TIME: a date (`2024-03-01`), an RFC 3339 time, or
    /// a duration ago (`7d`, `12h`); see docs/query.md, "Times and durations"
    #[arg(long, value_name = "TIME", value_parser = time::parse_time_now)]
    pub since: Option<jiff::Timestamp>,
    /// Keep mentions published at or before TIME (same forms as --since)
    #[arg(long, value_name = "TIME", value_parser = time::parse_time_now)]
    pub until: Option<jiff::Timestamp>,
    /// Keep these languages, comma-separated (`en` keeps `en-GB` too); without `lang`, the
    /// language classify would detect
    #[arg(long, value_name = "LANGS", value_delimiter = ',')]
    pub lang: Vec<String>,
    /// Keep these platforms, comma-separated (x, mastodon, reddit, web, ...)
    #[arg(long, value_name = "PLATFORMS", value_delimiter = ',')]
    pub platform: Vec<String>,
    /// Keep these kinds, comma-separated (post, reply, repost, quote, article, comment)
    #[arg(long, value_name = "KINDS", value_delimiter = ',')]
    pub kind: Vec<String>,
    /// Drop reposts (kind: repost)
    #[arg(long)]
    pub no_reposts: bool,
    /// Drop mentions whose text (else title) is shorter than N characters
    #[arg(long, value_name = "N")]
    pub min_length: Option<usize>,
    /// Drop duplicates by id, or by text without URLs, @handles, RT and case (see docs/query.md)
    #[arg(long, value_name = "id|text", num_args = 0..=1, require_equals = true, default_missing_value = "id")]
    pub dedup: Option<DedupBy>,
    /// How many recent mentions --dedup remembers (about 40 bytes each)
    #[arg(long, value_name = "N", default_value_t = filter::DEFAULT_DEDUP_WINDOW)]
    pub dedup_window: usize,
    /// Keep this fraction (0 to 1) of mentions, chosen deterministically from the id
    #[arg(long, value_name = "FRACTION")]
    pub sample: Option<f64>,
    /// Stop after N mentions are kept (reading stops too)
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    /// Keep the mentions that do NOT match the query (other filters still apply)
    #[arg(long)]
    pub invert: bool,
    /// Print only the number of mentions kept
    #[arg(short, long)]
    pub count: bool,
}

pub fn run(mut args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    let (positional, expr) = (args.query.take(), args.expr.take());
    let queries = args.queries.is_some();
    args.query = filter::query_and_files(positional, expr, queries, &mut args.input.files)
        .map_err(UsageError)?;
    args.queries = args.queries.or(args.project_queries.take());
    let cfg = config(&args)?;
    for warning in cfg.warnings() {
        printer.warn(&warning);
    }
    let mut filter = Filter::new(cfg);
    let inputs = super::inputs(&args.input, printer)?;
    let report = super::bad_line_report(printer);
    let mut out = args.output.open()?;
    let (mut sink, strict) = (std::io::sink(), args.input.strict);
    let w: &mut dyn std::io::Write = if args.count { &mut sink } else { &mut out };
    let summary = filter::run(&mut filter, inputs, strict, report, w)?;
    if args.count {
        out.write_line(summary.kept.to_string().as_bytes())?;
    }
    out.flush()?;
    printer.info(&format!("kept {} mentions", summary.kept));
    Ok(super::finish_read(printer, summary.read))
}

/// Resolves the arguments into a validated configuration, before any input is read.
fn config(args: &Args) -> anyhow::Result<FilterConfig> {
    let queries = args
        .queries
        .as_deref()
        .map(super::named_queries)
        .transpose()?;
    let query = filter::parse_query(args.query.as_deref(), queries.as_ref()).map_err(UsageError)?;
    let cfg = FilterConfig {
        query,
        queries,
        keep_all: args.keep_all,
        invert: args.invert,
        since: args.since,
        until: args.until,
        langs: args.lang.clone(),
        platforms: args.platform.clone(),
        kinds: args.kind.clone(),
        no_reposts: args.no_reposts,
        min_length: args.min_length,
        dedup: args.dedup,
        dedup_window: args.dedup_window,
        sample: args.sample,
        limit: args.limit,
    };
    cfg.check().map_err(UsageError)?;
    Ok(cfg)
}
