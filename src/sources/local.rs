//! Local inputs, in one place: a file, a folder, a zip or stdin (`-`) is opened once, its
//! format detected once (or taken from `--format`), and read as a web feed or as a social
//! export. Every mention goes to the caller's `emit`, which is the run's one delivery
//! (`--since`, one id once per run, `--state`): see [`super::run`].

use std::io;

use super::social::{self, Opened, Problem};
use super::{Context, InputFormat, feed};
use crate::jsonl::Input;
use crate::mention::Mention;

/// Counts from reading one local input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LocalSummary {
    /// The format it was read as.
    pub format: Option<InputFormat>,
    /// Records of an export that could not be read and were skipped (already reported).
    pub skipped: u64,
}

/// Why a local input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    /// Opening or reading it failed.
    #[error(transparent)]
    Io(io::Error),
    /// A web feed that could not be parsed.
    #[error(transparent)]
    Feed(#[from] feed::FeedError),
    /// An export that could not be read, or `--strict` stopped at a bad record.
    #[error(transparent)]
    Export(social::SocialError),
    /// Neither a feed nor a known export.
    #[error(
        "unknown format: not a web feed, X archive, twarc, twarc2, snscrape, CSV, Mastodon \
         or Bluesky export; name it with --format NAME"
    )]
    Unknown,
    /// Writing a mention failed (a closed pipe among others): the run stops.
    #[error("writing output: {0}")]
    Write(#[source] io::Error),
}

/// Reads the local input `ctx.uri` as `ctx.format`, or as detected: each mention goes to
/// `emit`, each problem of an export record to `report`. An input that is not recognised
/// is given to the forgiving feed reader once, which may still recover a broken feed.
pub fn read(
    ctx: &Context,
    opts: &social::Options,
    report: &mut dyn FnMut(&Problem),
    emit: &mut dyn FnMut(&Mention) -> io::Result<()>,
) -> Result<LocalSummary, LocalError> {
    let opened = Opened::open(&Input::from_arg(ctx.uri.as_ref())).map_err(LocalError::Io)?;
    let format = ctx.format.or_else(|| opened.detect());
    let mentions = match format {
        Some(format) if !format.is_feed() => {
            let summary =
                social::read(opened, format, opts, ctx, report, emit).map_err(|e| match e {
                    social::SocialError::Write(e) => LocalError::Write(e),
                    e => LocalError::Export(e),
                })?;
            return Ok(LocalSummary {
                format: Some(format),
                skipped: summary.skipped,
            });
        }
        Some(_) => {
            let bytes = opened.into_bytes().map_err(LocalError::Io)?;
            feed::parse(&bytes, ctx)?.mentions
        }
        None => {
            let bytes = opened.into_bytes().map_err(LocalError::Io)?;
            feed::parse(&bytes, ctx)
                .map_err(|_| LocalError::Unknown)?
                .mentions
        }
    };
    for m in &mentions {
        emit(m).map_err(LocalError::Write)?;
    }
    Ok(LocalSummary { format, skipped: 0 })
}
