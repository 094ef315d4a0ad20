//! `earful fetch`: read feeds (files and URLs) and write one mention per line.

use std::path::PathBuf;

use anyhow::Context as _;
use earful::exit::ExitCode;
use earful::jsonl::{self, Output};
use earful::progress::Printer;
use earful::sources::{self, Context, feed, http};

/// Read feeds and write one normalised mention per line.
///
/// SOURCE is an http(s) URL, a file, or `-` for stdin. RSS 0.9x/1.0/2.0, Atom and JSON Feed
/// are detected from the content. A source that fails is reported on stderr and the others
/// still run; the exit code is then 1.
///
/// Examples:
///   earful fetch https://hnrss.org/newest?q=nimbus > mentions.jsonl
///   earful fetch examples/feeds/*.xml examples/feeds/*.json | earful filter nimbus
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Feed URLs or files (`-` for stdin)
    #[arg(value_name = "SOURCE", required = true)]
    pub sources: Vec<String>,
    /// Write to FILE instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Per-request timeout in seconds
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub timeout: u64,
    #[command(flatten)]
    pub social: super::social::SocialArgs,
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    let opts = http::HttpOptions {
        timeout: std::time::Duration::from_secs(args.timeout),
        ..http::HttpOptions::default()
    };
    let client = http::client(&opts)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let social_opts = args.social.options()?;
    let mut out = Output::from_arg(args.output.as_deref())?;
    let mut failed = 0u64;
    let mut skipped = 0u64;
    for source in &args.sources {
        let bytes = if sources::is_url(source) {
            runtime
                .block_on(http::get(&client, source, &opts))
                .map_err(anyhow::Error::from)
        } else {
            // Exports (X archives, twarc, CSV, ...) are read here; feeds come back as bytes.
            match super::social::read_local(&args.social, &social_opts, source, printer, &mut out) {
                Ok(super::social::Local::Feed(bytes)) => Ok(bytes),
                Ok(super::social::Local::Read { skipped: n }) => {
                    skipped += n;
                    continue;
                }
                Ok(super::social::Local::Failed) => {
                    failed += 1;
                    continue;
                }
                Err(err) if jsonl::is_broken_pipe(err.as_ref()) => return Err(err),
                Err(err) => Err(err),
            }
        };
        let parsed = bytes.and_then(|b| Ok(feed::parse(&b, &Context::new(source.as_str()))?));
        match parsed {
            Ok(feed) => {
                printer.info(&format!("{source}: {} mentions", feed.mentions.len()));
                for mention in &feed.mentions {
                    out.write_json(mention)?;
                }
            }
            Err(err) => {
                failed += 1;
                printer.error(&format!("{source}: {err:#}"));
            }
        }
    }
    out.flush()?;
    if failed > 0 {
        printer.error(&format!(
            "{failed} of {} sources failed",
            args.sources.len()
        ));
    }
    if skipped > 0 {
        printer.error(&format!(
            "skipped {skipped} malformed record{}",
            if skipped == 1 { "" } else { "s" }
        ));
    }
    Ok(ExitCode::from_failures(failed + skipped))
}
