//! Local inputs, in one place: a file, a folder, a zip or stdin (`-`) is opened once, its
//! format detected once (or taken from `--format`), and read as a web feed or as a social
//! export. Every mention goes to the caller's `emit`, which is the run's one delivery
//! (`--since`, one id once per run, `--state`): see [`super::run`].

use std::io;
use std::path::{Path, PathBuf};

use super::social::{self, Opened, Problem};
use super::{Context, feed};
use crate::jsonl::Input;
use crate::mention::Mention;

/// Counts from reading one local input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LocalSummary {
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
    /// A mention store (`export -o mentions.db`) that could not be read.
    #[error(transparent)]
    Store(crate::store::StoreError),
    /// Writing a mention failed (a closed pipe among others): the run stops.
    #[error("writing output: {0}")]
    Write(#[source] io::Error),
}

/// Reads the local input `ctx.uri` as `ctx.format`, or as detected: each mention goes to
/// `emit`, each problem of an export record to `report`. A document read whole (a feed)
/// may be at most `max_body` bytes, as over HTTP. An input that is not recognised
/// is given to the forgiving feed reader once, which may still recover a broken feed.
pub fn read(
    ctx: &Context,
    opts: &social::Options,
    max_body: usize,
    report: &mut dyn FnMut(&Problem),
    emit: &mut dyn FnMut(Mention) -> io::Result<()>,
) -> Result<LocalSummary, LocalError> {
    if ctx.format.is_none() && is_store(Path::new(&ctx.uri)) {
        return read_store(Path::new(&ctx.uri), (opts.since, opts.until), report, emit);
    }
    let opened = Opened::open(&Input::from_arg(ctx.uri.as_ref())).map_err(LocalError::Io)?;
    let format = ctx.format.or_else(|| opened.detect());
    match format {
        Some(format) if !format.is_feed() => {
            let summary =
                social::read(opened, format, opts, ctx, report, emit).map_err(|e| match e {
                    social::SocialError::Write(e) => LocalError::Write(e),
                    e => LocalError::Export(e),
                })?;
            Ok(LocalSummary {
                skipped: summary.skipped,
            })
        }
        Some(_) => {
            let bytes = opened.into_bytes(max_body).map_err(LocalError::Io)?;
            read_feed(&bytes, ctx, emit)
        }
        None if Path::new(&ctx.uri).is_dir() => read_folder(ctx, opts, max_body, report, emit),
        None => {
            let bytes = opened.into_bytes(max_body).map_err(LocalError::Io)?;
            match read_feed(&bytes, ctx, emit) {
                // Markup the feed reader can name: "an HTML page", "an OPML list (use --opml)".
                Err(LocalError::Feed(e @ feed::FeedError::NotAFeed(_)))
                    if bytes.trim_ascii_start().starts_with(b"<") =>
                {
                    Err(e.into())
                }
                Err(LocalError::Feed(_)) => Err(LocalError::Unknown),
                other => other,
            }
        }
    }
}

/// Parses a feed document, each mention handed to `emit` as soon as its entry is read.
fn read_feed(
    bytes: &[u8],
    ctx: &Context,
    emit: &mut dyn FnMut(Mention) -> io::Result<()>,
) -> Result<LocalSummary, LocalError> {
    feed::parse_each(bytes, ctx, emit).map_err(|e| match e {
        feed::FeedError::Write(e) => LocalError::Write(e),
        e => LocalError::Feed(e),
    })?;
    Ok(LocalSummary::default())
}

/// The size in bytes of a local file, or of the files below a folder; `None` for a URL,
/// stdin or anything else (a FIFO, a device) whose size is not known ahead.
pub fn size(location: &str) -> Option<u64> {
    fn below(dir: &Path) -> io::Result<u64> {
        let mut total = 0;
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                total += below(&entry.path())?;
            } else if kind.is_file() {
                total += entry.metadata()?.len();
            }
        }
        Ok(total)
    }
    if super::is_url(location) || location == "-" {
        return None;
    }
    let meta = std::fs::metadata(location).ok()?;
    if meta.is_file() {
        Some(meta.len())
    } else if meta.is_dir() {
        below(Path::new(location)).ok()
    } else {
        None
    }
}

/// Whether `path` is a SQLite database (its first 16 bytes are the SQLite header).
fn is_store(path: &Path) -> bool {
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| io::Read::read_exact(&mut f, &mut head))
        .is_ok_and(|()| &head == crate::store::SQLITE_HEADER)
}

/// The mentions of a store, as stored, in `published` order, from `since` to `until` (asked
/// of SQLite); a stored line that is not a mention (edited by hand) is reported and skipped.
fn read_store(
    path: &Path,
    (since, until): (Option<jiff::Timestamp>, Option<jiff::Timestamp>),
    report: &mut dyn FnMut(&Problem),
    emit: &mut dyn FnMut(Mention) -> io::Result<()>,
) -> Result<LocalSummary, LocalError> {
    let mut skipped = 0;
    let mut row = 0u64;
    crate::store::read(path, since, until, |json| {
        row += 1;
        match serde_json::from_str::<Mention>(json) {
            Ok(m) => emit(m),
            Err(e) => {
                skipped += 1;
                report(&Problem {
                    place: format!("{}: stored mention {row}", path.display()),
                    reason: e.to_string(),
                    skipped: true,
                });
                Ok(())
            }
        }
    })
    .map_err(|e| match e {
        crate::store::StoreError::Io(e) => LocalError::Write(e),
        e => LocalError::Store(e),
    })?;
    Ok(LocalSummary { skipped })
}

/// A folder that is not an archive: every file below it, in name order, read as its
/// content says (an archive folder inside it is read as one archive); files of no known
/// format are skipped and counted in one notice.
fn read_folder(
    ctx: &Context,
    opts: &social::Options,
    max_body: usize,
    report: &mut dyn FnMut(&Problem),
    emit: &mut dyn FnMut(Mention) -> io::Result<()>,
) -> Result<LocalSummary, LocalError> {
    let mut entries = Vec::new();
    walk(Path::new(&ctx.uri), &mut entries).map_err(LocalError::Io)?;
    let (mut read, mut unknown, mut skipped) = (0u64, 0u64, 0u64);
    for entry in entries {
        let mut entry_ctx = ctx.clone();
        entry_ctx.uri = entry.display().to_string();
        match self::read(&entry_ctx, opts, max_body, report, emit) {
            Ok(summary) => {
                read += 1;
                skipped += summary.skipped;
            }
            Err(LocalError::Write(e)) => return Err(LocalError::Write(e)),
            Err(LocalError::Unknown | LocalError::Feed(feed::FeedError::NotAFeed(_))) => {
                unknown += 1;
            }
            Err(e) => {
                skipped += 1;
                report(&Problem {
                    place: entry_ctx.uri.clone(),
                    reason: e.to_string(),
                    skipped: true,
                });
            }
        }
    }
    report(&Problem {
        place: ctx.uri.clone(),
        reason: format!(
            "a folder: {read} file{} read, {unknown} skipped (not a feed or a known export)",
            if read == 1 { "" } else { "s" }
        ),
        skipped: false,
    });
    Ok(LocalSummary { skipped })
}

/// The files below `dir` (and the archive folders, whole), sorted; hidden ones left out.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    entries.sort();
    for path in entries {
        let archive = || {
            Opened::open(&Input::Path(path.clone()))
                .ok()
                .and_then(|o| o.detect())
                .is_some()
        };
        if path.is_dir() && !archive() {
            walk(&path, out)?;
        } else if path.is_dir() || path.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

/// Every source a fetch names: the arguments (an OPML list given as a source is read as
/// with `--opml`), the lines of each `--list` file and the feeds of each `--opml` list. An
/// error names the list that cannot be read; none at all is an error too.
pub fn resolve_sources(
    sources: &[String],
    lists: &[PathBuf],
    opmls: &[PathBuf],
) -> Result<Vec<super::run::SourceSpec>, String> {
    let mut out = Vec::new();
    for source in sources {
        match opml_sources(source) {
            Some(specs) => out.extend(specs.map_err(|e| format!("{source}: {e}"))?),
            None => out.push(super::run::SourceSpec::new(source)),
        }
    }
    for list in lists {
        out.extend(read_list(list).map_err(|e| format!("reading list {}: {e}", list.display()))?);
    }
    for opml in opmls {
        out.extend(read_opml(opml).map_err(|e| format!("{}: {e}", opml.display()))?);
    }
    if out.is_empty() {
        return Err("no sources: give URLs or files, --list or --opml".into());
    }
    Ok(out)
}

/// The sources of an OPML subscription list given as a source (`fetch feeds.opml`), or
/// `None` when `location` is not a local file that starts like one.
pub fn opml_sources(location: &str) -> Option<Result<Vec<super::run::SourceSpec>, String>> {
    let path = Path::new(location);
    if super::is_url(location) || location == "-" || !path.is_file() {
        return None;
    }
    let mut head = Vec::with_capacity(1024);
    io::Read::read_to_end(
        &mut io::Read::take(std::fs::File::open(path).ok()?, 1024),
        &mut head,
    )
    .ok()?;
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    if !head.trim_start().starts_with('<') || !head.contains("<opml") {
        return None;
    }
    Some(read_opml(path))
}

/// The sources of the OPML list at `path` (`-` is stdin), local paths made relative to the
/// list's folder (`--opml`, or an OPML file given as a source).
pub fn read_opml(path: &Path) -> Result<Vec<super::run::SourceSpec>, String> {
    let bytes = crate::jsonl::read_all(&Input::from_arg(path)).map_err(|e| e.to_string())?;
    let mut specs = super::run::parse_opml(&bytes)?;
    super::run::relative_to_opml(&mut specs, path);
    Ok(specs)
}

/// The sources of the `--list` file at `path` (`-` is stdin): one URL or path a line.
pub fn read_list(path: &Path) -> Result<Vec<super::run::SourceSpec>, String> {
    let bytes = crate::jsonl::read_all(&Input::from_arg(path)).map_err(|e| e.to_string())?;
    Ok(super::run::parse_list(&String::from_utf8_lossy(&bytes)))
}
