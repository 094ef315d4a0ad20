//! `earful fetch`: read feeds (files and URLs) and write one mention per line.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use earful::exit::{ExitCode, UsageError};
use earful::jsonl::{self, Input, Output};
use earful::progress::Printer;
use earful::time;

use super::social::{self, Local};
use earful::sources::run::{self, OutputSink, RunOptions, SourceSpec};

/// Read feeds and write one normalised mention per line.
///
/// SOURCE is an http(s) URL, a file, or `-` for stdin. RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and
/// JSON Feed 1.0/1.1 are detected from the content. Sources are fetched concurrently; one
/// that fails is reported on stderr (with its URL and why) and the others still run; the
/// exit code is then 1. With --state, a run emits only mentions not delivered before and
/// sends conditional GETs (see docs/sources.md for the exact guarantee).
///
/// Examples:
///   earful fetch https://hnrss.org/newest?q=nimbus > mentions.jsonl
///   earful fetch examples/feeds/*.xml examples/feeds/*.json | earful filter nimbus
///   earful fetch --opml feeds.opml --state ~/.cache/earful/state.json -o new.jsonl
///   earful fetch --list feeds.txt --since 7d --concurrency 32 | earful classify
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
    /// Write to FILE instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
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
    /// Remember validators and delivered ids in FILE; emit only new mentions
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
    #[command(flatten)]
    pub social: super::social::SocialArgs,
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    let usage = |msg: String| anyhow::Error::new(UsageError(msg));
    let social_opts = args.social.options()?;
    let format = args.social.format.filter(|f| f.is_feed());
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
        format,
        local_reader: None,
        state: args.state.clone().map(|p| (p, args.state_retention)),
    };
    let mut out = Output::from_arg(args.output.as_deref()).context("opening the output")?;
    // Local exports (X archives, twarc, CSV, ...) stream straight to the output; local feed
    // files join the URLs below, so --since and --state apply to them too.
    let (mut export_failures, mut sources) = (0u64, Vec::new());
    for source in &args.sources {
        if earful::sources::is_url(source) {
            sources.push(SourceSpec::new(source));
            continue;
        }
        match social::read_local(&args.social, &social_opts, source, printer, &mut out) {
            Ok(Local::Feed(bytes)) if source == "-" => {
                let ctx = earful::sources::Context::new("-");
                match earful::sources::feed::parse(&bytes, &ctx) {
                    Ok(feed) => feed.mentions.iter().try_for_each(|m| out.write_json(m))?,
                    Err(err) => {
                        printer.error(&format!("-: {err}"));
                        export_failures += 1;
                    }
                }
            }
            Ok(Local::Feed(_)) => sources.push(SourceSpec::new(source)),
            Ok(Local::Read { skipped }) => export_failures += skipped,
            Ok(Local::Failed) => export_failures += 1,
            Err(err) if jsonl::is_broken_pipe(err.as_ref()) => return Err(err),
            Err(err) => {
                printer.error(&format!("{err:#}"));
                export_failures += 1;
            }
        }
    }
    for list in &args.list {
        let bytes = jsonl::read_all(&Input::from_arg(list))
            .with_context(|| format!("reading list {}", list.display()))?;
        sources.extend(run::parse_list(&String::from_utf8_lossy(&bytes)));
    }
    for opml in &args.opml {
        let bytes = jsonl::read_all(&Input::from_arg(opml))
            .with_context(|| format!("reading OPML {}", opml.display()))?;
        let specs =
            run::parse_opml(&bytes).map_err(|e| usage(format!("{}: {e}", opml.display())))?;
        sources.extend(specs);
    }
    if sources.is_empty() {
        if args.sources.is_empty() {
            return Err(usage(
                "no sources: give URLs or files, --list or --opml".into(),
            ));
        }
        out.flush()?;
        return Ok(ExitCode::from_failures(export_failures));
    }
    let mut sink = OutputSink::new(out, printer, sources.len() as u64);
    let summary = run::run(&sources, &opts, &mut sink)?;
    sink.finish()?;
    for (source, reason) in &summary.failed {
        printer.error(&format!("{source}: {reason}"));
    }
    printer.warn(&summary.line());
    Ok(ExitCode::from_failures(
        summary.failed.len() as u64 + summary.skipped_records + export_failures,
    ))
}
