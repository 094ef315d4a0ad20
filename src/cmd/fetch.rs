//! `earful fetch`: read feeds (files and URLs) and write one mention per line.

use std::path::PathBuf;
use std::time::Duration;

use earful::exit::{ExitCode, UsageError};
use earful::progress::Printer;
use earful::time;

use crate::cli::OutputArgs;

use earful::sources::local;
use earful::sources::run::{self, OutputSink, RunOptions, SourceSpec};

/// Read feeds and write one normalised mention per line.
///
/// SOURCE is an http(s) URL, a file, a folder, or `-` for stdin. RSS 0.9x/1.0/2.0, Atom
/// 0.3/1.0, JSON Feed 1.0/1.1, OPML lists, social exports (X archives, twarc, snscrape,
/// Mastodon, Bluesky, CSV) and earful's SQLite store (docs/store.md) are detected from
/// the content. Sources are fetched concurrently; one that fails is reported on stderr
/// (with its URL and why) and the others still run; the exit code is then 1. With
/// --state, a run emits only mentions not delivered before and sends conditional GETs
/// (see docs/sources.md for the exact guarantee).
///
/// Examples:
///   earful fetch https://hnrss.org/newest?q=nimbus > mentions.jsonl
///   earful fetch examples/feeds/*.xml examples/feeds/*.json | earful filter nimbus
///   earful fetch --opml feeds.opml --state ~/.cache/earful/state.json -o new.jsonl
///   earful fetch --list feeds.txt --since 7d --concurrency 32 | earful classify
///   earful fetch mentions.db --since 7d | earful export -o last-week.csv
///   earful fetch mentions.db --since 2026-03-01 --until 2026-03-31 | earful stats --group match
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Feed URLs or files (`-` for stdin)
    #[arg(value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Read sources from FILE: one URL or path per line, `#` comments
    #[arg(long, value_name = "FILE")]
    pub list: Vec<PathBuf>,
    /// Read sources from an OPML subscription list (folders become `source.group`)
    #[arg(long, value_name = "FILE")]
    pub opml: Vec<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Sources fetched at once
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub concurrency: usize,
    /// Requests at once to one host
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub per_host: usize,
    /// Per-request timeout in seconds
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub timeout: u64,
    /// Deadline for the whole run (`30m`, `90s`); unfinished sources fail
    #[arg(long, value_name = "DURATION", default_value = "30m", value_parser = time::parse_duration)]
    pub deadline: Duration,
    /// Retries on timeouts, connection errors, 429 and 5xx
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retries: u32,
    /// Largest response body, after decompression (`20MiB`, `512K`)
    #[arg(long, value_name = "SIZE", default_value = "20MiB")]
    pub max_body: String,
    /// Remember validators and delivered ids in FILE (its folder is made if missing); emit
    /// only new mentions
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Forget delivered ids not seen for this long (`90d`)
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "90d",
        requires = "state",
        value_parser = time::parse_duration
    )]
    pub state_retention: Duration,
    /// Drop entries published before TIME: a date (`2024-03-01`), an RFC 3339 time, or a
    /// duration ago (`7d`, `12h`); see docs/query.md, "Times and durations"
    #[arg(long, value_name = "TIME", value_parser = time::parse_time_now)]
    pub since: Option<jiff::Timestamp>,
    /// Drop entries published after TIME (same forms as --since)
    #[arg(long, value_name = "TIME", value_parser = time::parse_time_now)]
    pub until: Option<jiff::Timestamp>,
    #[command(flatten)]
    pub social: super::social::SocialArgs,
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    let (sources, opts) = config(&args)?;
    earful::jsonl::set_max_record_size(args.social.max_record_size);
    let out = args.output.open()?;
    let mut sink = OutputSink::new(out, printer, &sources);
    let summary = run::run(&sources, &opts, &mut sink)?;
    sink.finish()?;
    for failure in summary.failures() {
        printer.error(&failure);
    }
    printer.warn(&summary.line());
    Ok(ExitCode::from_failures(
        summary.failed.len() as u64 + summary.skipped_records,
    ))
}

/// Resolves every argument (sources, `--list`, `--opml`, limits, export options) into the
/// sources and options of a run, before the first record is written.
fn config(args: &Args) -> anyhow::Result<(Vec<SourceSpec>, RunOptions)> {
    let usage = |msg: String| anyhow::Error::new(UsageError(msg));
    if let (Some(since), Some(until)) = (args.since, args.until)
        && until < since
    {
        return Err(usage(format!("--until {until} is before --since {since}")));
    }
    let sources = local::resolve_sources(&args.sources, &args.list, &args.opml).map_err(usage)?;
    if let Some(dir) = args.state.as_deref().and_then(std::path::Path::parent)
        && !dir.as_os_str().is_empty()
    {
        // `--state ~/.cache/earful/state.json` on a first run: make the folder.
        std::fs::create_dir_all(dir)
            .map_err(|e| usage(format!("--state: creating {}: {e}", dir.display())))?;
    }
    let opts = RunOptions {
        http: earful::sources::http::HttpOptions {
            timeout: Duration::from_secs(args.timeout.max(1)),
            max_body: run::parse_size(&args.max_body)
                .ok_or_else(|| usage(format!("--max-body: invalid size {:?}", args.max_body)))?,
            retries: args.retries,
            ..Default::default()
        },
        concurrency: args.concurrency.max(1),
        per_host: args.per_host.max(1),
        deadline: Some(args.deadline),
        since: args.since,
        until: args.until,
        format: args.social.format,
        social: earful::sources::social::Options {
            since: args.since,
            until: args.until,
            ..args.social.options()?
        },
        state: args.state.clone().map(|p| (p, args.state_retention)),
    };
    Ok((sources, opts))
}
