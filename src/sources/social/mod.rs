//! Social exports: X/Twitter account archives, twarc and twarc2 JSONL, snscrape JSONL,
//! Mastodon archives, Bluesky post views, CSV, and any JSON with `--map`.
//!
//! [`Opened::open`] opens a file, folder, zip or stdin and keeps its first bytes, [`detect`]
//! names the format from them, and [`read`] streams the records into [`Mention`]s, calling
//! `emit` for each. Line-oriented formats (JSONL, CSV) are read in constant memory; a
//! record that cannot be used is reported with its `file:line` (or `file: element N`),
//! counted and skipped, or ends the read with `strict`. One-document formats (`tweets.js`,
//! `outbox.json`, a JSON array) are streamed element by element from the reader, so a
//! 500 MB archive is never held in memory.

mod bluesky;
mod csv;
mod doc;
pub mod fields;
mod files;
mod generic;
pub mod ids;
mod mastodon;
mod snscrape;
mod stream;
mod text;
mod twarc;
mod twarc2;
mod x_archive;

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

pub use fields::{Field, FieldMap, MapError};

use super::{Context, InputFormat};
use crate::jsonl::Input;
use crate::mention::{Mention, SourceInfo, format_timestamp};
use crate::time;

/// How many bytes [`Opened::open`] reads ahead for detection.
pub const HEAD_LEN: usize = 64 * 1024;

/// Options for reading exports.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--map FIELD=COLUMN`: CSV columns or dotted JSON paths for mention fields.
    pub map: FieldMap,
    /// `--date-format`: a strftime format for dates that detection does not read.
    pub date_format: Option<String>,
    /// Stop at the first record that cannot be read instead of reporting and skipping it.
    pub strict: bool,
    /// `--since`: the store reader asks SQLite for these mentions only (an index lookup);
    /// the run's delivery applies `--since` to every mention, stored ones included.
    pub since: Option<jiff::Timestamp>,
    /// `--until`, as `since`.
    pub until: Option<jiff::Timestamp>,
}

/// Something reported about one record or file while reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: `file:line`, `file: element N`, or a file name.
    pub place: String,
    /// Why, in lower case.
    pub reason: String,
    /// True when a record was skipped (counted; exit code 1), false for a notice that
    /// loses nothing (`limit` lines, a date that could not be read).
    pub skipped: bool,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.reason)
    }
}

/// Counts from reading one source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SocialSummary {
    /// Records (lines, rows, array elements) read.
    pub records: u64,
    /// Mentions written.
    pub mentions: u64,
    /// Records reported and skipped.
    pub skipped: u64,
    /// Notices reported (nothing lost).
    pub notices: u64,
}

/// Why reading a source stopped.
#[derive(Debug, thiserror::Error)]
pub enum SocialError {
    /// A record that could not be read, under `strict`.
    #[error("{place}: {reason}")]
    Malformed { place: String, reason: String },
    /// The source could not be read.
    #[error("reading {file}: {source}")]
    Read {
        file: String,
        #[source]
        source: io::Error,
    },
    /// The source is not something this format can read.
    #[error("{0}")]
    Unsupported(String),
    /// Writing a mention failed (a closed pipe among others).
    #[error("writing output")]
    Write(#[source] io::Error),
}

/// An opened source: a folder, a zip file, or a byte stream with its first bytes kept for
/// detection.
pub struct Opened {
    name: String,
    kind: Opening,
}

enum Opening {
    Dir(PathBuf),
    Zip(PathBuf),
    Stream {
        path: Option<PathBuf>,
        head: Vec<u8>,
        reader: Box<dyn BufRead>,
    },
}

impl fmt::Debug for Opened {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Opened").field("name", &self.name).finish()
    }
}

impl Opened {
    /// Opens `input` and reads its first bytes. A UTF-16 file (with a byte order mark, as
    /// Windows PowerShell writes `>` redirections) is converted to UTF-8 while reading.
    pub fn open(input: &Input) -> io::Result<Opened> {
        let name = input.name();
        let (path, raw): (Option<PathBuf>, Box<dyn Read>) = match input {
            Input::Stdin => (None, Box::new(io::stdin())),
            Input::Path(p) if p.is_dir() => {
                return Ok(Opened {
                    name,
                    kind: Opening::Dir(p.clone()),
                });
            }
            // Counted on the bar of fetch's local inputs, when this thread reads for one.
            Input::Path(p) => (
                Some(p.clone()),
                Box::new(crate::progress::counted(File::open(p)?)),
            ),
        };
        Opened::from_reader(name, path, raw)
    }

    /// Wraps any reader (`path` is used to find files next to it, such as `account.js`).
    pub fn from_reader(
        name: String,
        path: Option<PathBuf>,
        mut raw: Box<dyn Read>,
    ) -> io::Result<Opened> {
        let mut head = read_head(&mut raw)?;
        if head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff") {
            let joined: Box<dyn Read> = Box::new(Cursor::new(head).chain(raw));
            raw = Box::new(stream::Utf16Reader::new(joined));
            head = read_head(&mut raw)?;
        }
        // A JSONL file whose first line is longer than the head (a twarc2 page is often
        // 100 KB or more): read on to the end of that line, so detection sees a record.
        let first = head
            .iter()
            .find(|b| !b.is_ascii_whitespace() && **b != 0xef && **b != 0xbb && **b != 0xbf);
        if first == Some(&b'{') && head.len() == HEAD_LEN && !head.contains(&b'\n') {
            let mut byte_reader = BufReader::new(&mut raw);
            byte_reader.read_until(b'\n', &mut head)?;
            // Bytes the BufReader read past the newline go back in front of the stream.
            let rest = byte_reader.buffer().to_vec();
            drop(byte_reader);
            head.extend_from_slice(&rest);
        }
        if head.starts_with(b"PK\x03\x04")
            && let Some(p) = &path
        {
            return Ok(Opened {
                name,
                kind: Opening::Zip(p.clone()),
            });
        }
        let reader = Box::new(BufReader::with_capacity(
            256 * 1024,
            Cursor::new(head.clone()).chain(raw),
        ));
        Ok(Opened {
            name,
            kind: Opening::Stream { path, head, reader },
        })
    }

    /// The name used in messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The format detected from the content (see [`detect`]).
    pub fn detect(&self) -> Option<InputFormat> {
        match &self.kind {
            Opening::Dir(p) => detect_dir(p),
            Opening::Zip(p) => detect_zip(p),
            Opening::Stream { path, head, .. } => {
                detect(path.as_deref().unwrap_or(Path::new("-")), head)
            }
        }
    }

    /// All the bytes, for formats parsed as one document elsewhere (web feeds); an error
    /// past `limit` bytes (`--max-body`, the limit of an HTTP body), so that `/dev/zero` or
    /// a huge file cannot take all memory.
    pub fn into_bytes(self, limit: usize) -> io::Result<Vec<u8>> {
        match self.kind {
            Opening::Dir(p) => Err(io::Error::other(format!(
                "{} is a folder but not an X or Mastodon archive",
                p.display()
            ))),
            Opening::Zip(p) => read_limited(File::open(&p)?, limit, Some(&p)),
            Opening::Stream { reader, path, .. } => read_limited(reader, limit, path.as_deref()),
        }
    }
}

/// Reads at most `limit` bytes (an error past it). A file's buffer is sized to the file
/// once: grown by doubling, a 20 MiB body would hold 48 MiB while it moves.
fn read_limited(reader: impl Read, limit: usize, file: Option<&Path>) -> io::Result<Vec<u8>> {
    let size = file
        .and_then(|p| std::fs::metadata(p).ok())
        .filter(std::fs::Metadata::is_file)
        .map_or(0, |m| usize::try_from(m.len()).unwrap_or(usize::MAX));
    let mut buf = Vec::with_capacity(size.min(limit).saturating_add(1));
    reader.take(limit as u64 + 1).read_to_end(&mut buf)?;
    if buf.len() > limit {
        return Err(io::Error::other(format!(
            "larger than --max-body ({limit} bytes)"
        )));
    }
    Ok(buf)
}

fn read_head(raw: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD_LEN);
    raw.take(HEAD_LEN as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// Detects an export format from a path (folders and zip files are looked into) and the
/// first bytes of a file. Web feeds are recognised too (`Rss`, `Atom`, `JsonFeed`), so a
/// caller can hand them to the feed parser. `None` when nothing matches.
pub fn detect(path: &Path, head: &[u8]) -> Option<InputFormat> {
    if path.is_dir() {
        return detect_dir(path);
    }
    if head.starts_with(b"PK\x03\x04") {
        return detect_zip(path);
    }
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        // The head may end inside a character.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
        Err(_) => return None,
    };
    let trimmed = text.trim_start();
    if trimmed.starts_with("window.YTD.") || trimmed.starts_with("Grailbird.data") {
        return Some(InputFormat::XArchive);
    }
    if trimmed.starts_with('<') {
        let lower = trimmed.get(..trimmed.len().min(4096))?.to_ascii_lowercase();
        return if lower.contains("<feed") {
            Some(InputFormat::Atom)
        } else if lower.contains("<rss") || lower.contains("<rdf") {
            Some(InputFormat::Rss)
        } else {
            None
        };
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return Some(match stream::first_json_record(trimmed) {
            Some(record) => classify(&record),
            None => classify_text(trimmed),
        });
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if matches!(ext.as_deref(), Some("csv" | "tsv")) || csv::looks_like_csv(trimmed) {
        return Some(InputFormat::Csv);
    }
    None
}

/// Names the format of one JSON record (a JSONL line or an array element).
fn classify(json: &str) -> InputFormat {
    let Ok(o) = doc::Obj::parse(json) else {
        return InputFormat::Json;
    };
    let is_str = |k: &str, f: &dyn Fn(&str) -> bool| o.str(k).is_some_and(|s| f(&s));
    if is_str("version", &|v| v.contains("jsonfeed.org")) {
        return InputFormat::JsonFeed;
    }
    if o.has("_snscrape") || is_str("_type", &|t| t.starts_with("snscrape.")) {
        return InputFormat::Snscrape;
    }
    if o.has("orderedItems")
        || o.has("@context")
        || is_str("type", &|t| {
            matches!(t, "OrderedCollection" | "Create" | "Announce" | "Note")
        })
    {
        return InputFormat::Mastodon;
    }
    if o.has("__twarc") || (o.has("data") && (o.has("includes") || o.has("meta"))) {
        return InputFormat::Twarc2;
    }
    if o.has("id") && o.has("text") && (o.has("author_id") || o.has("edit_history_tweet_ids")) {
        return InputFormat::Twarc2;
    }
    if o.has("id_str") && (o.has("user") || o.has("text") || o.has("full_text")) {
        return InputFormat::Twarc;
    }
    if o.has("limit") || o.has("warning") || o.has("delete") {
        return InputFormat::Twarc;
    }
    if o.has("tweet") && o.obj("tweet").is_some() {
        return InputFormat::XArchive;
    }
    let at_uri = |o: &doc::Obj| o.str("uri").is_some_and(|u| u.starts_with("at://"));
    if (at_uri(&o) && (o.has("record") || o.has("author")))
        || o.obj("post").is_some_and(|p| at_uri(&p))
        || o.has("posts")
            && o.arr("posts")
                .first()
                .and_then(|r| doc::Obj::from_raw(r))
                .is_some_and(|p| at_uri(&p))
        || o.has("feed")
            && o.arr("feed")
                .first()
                .and_then(|r| doc::Obj::from_raw(r))
                .and_then(|f| f.obj("post"))
                .is_some_and(|p| at_uri(&p))
    {
        return InputFormat::Bluesky;
    }
    InputFormat::Json
}

/// Names the format of a JSON head whose first record is too large to parse whole, by the
/// keys it contains.
fn classify_text(text: &str) -> InputFormat {
    let has = |k: &str| text.contains(k);
    if is_jsonfeed_head(text) {
        InputFormat::JsonFeed
    } else if has("\"_snscrape\"") || has("\"snscrape.modules.") {
        InputFormat::Snscrape
    } else if has("\"orderedItems\"") || has("\"OrderedCollection\"") {
        InputFormat::Mastodon
    } else if has("\"__twarc\"") || has("\"data\"") && has("\"author_id\"") {
        InputFormat::Twarc2
    } else if has("\"id_str\"") && has("\"user\"") {
        InputFormat::Twarc
    } else if has("\"at://") {
        InputFormat::Bluesky
    } else {
        InputFormat::Json
    }
}

/// True when the head of a document too long to parse whole says it is a JSON Feed: the
/// first key is `version` and its value a JSON Feed version URL (1.0 and 1.1 put it first).
fn is_jsonfeed_head(text: &str) -> bool {
    let Some(rest) = text.trim_start().strip_prefix('{') else {
        return false;
    };
    let Some(rest) = rest.trim_start().strip_prefix("\"version\"") else {
        return false;
    };
    let Some(value) = rest.trim_start().strip_prefix(':') else {
        return false;
    };
    let value = value.trim_start();
    value.starts_with("\"https://jsonfeed.org/version/")
        || value.starts_with("\"http://jsonfeed.org/version/")
}

/// Archive files that mark a folder or zip as an X archive or a Mastodon archive.
fn classify_names<'n>(names: impl Iterator<Item = &'n str>) -> Option<InputFormat> {
    let mut mastodon = false;
    for name in names {
        let name = name.trim_start_matches("./");
        if x_archive::is_archive_entry(name) {
            return Some(InputFormat::XArchive);
        }
        if name == "outbox.json" || name.ends_with("/outbox.json") {
            mastodon = true;
        }
    }
    mastodon.then_some(InputFormat::Mastodon)
}

fn detect_dir(dir: &Path) -> Option<InputFormat> {
    let candidates = [
        "data/manifest.js",
        "data/tweets.js",
        "data/tweet.js",
        "data/tweets-part1.js",
        "manifest.js",
        "tweets.js",
        "tweet.js",
        "data/js/tweets",
        "outbox.json",
    ];
    let present = candidates.iter().filter(|c| dir.join(c).exists()).map(|c| {
        if c.ends_with("tweets") {
            "data/js/tweets/x.js"
        } else {
            c
        }
    });
    classify_names(present)
}

fn detect_zip(path: &Path) -> Option<InputFormat> {
    let file = File::open(path).ok()?;
    let zip = zip::ZipArchive::new(BufReader::new(file)).ok()?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .collect();
    classify_names(names.iter().map(String::as_str))
}

/// The state a reader shares with its normalisers: options, where the source came from,
/// and the callbacks for problems and mentions.
pub(crate) struct SocialSink<'s> {
    pub opts: &'s Options,
    pub ctx: &'s Context,
    report: Reports<'s>,
    emit: Emits<'s>,
    pub summary: SocialSummary,
    collected: String,
    /// The file and position being read, for notices.
    file: String,
    pos: Pos,
}

/// Where a sink's problems go: to the caller, or kept (worker threads).
pub(crate) enum Reports<'s> {
    To(&'s mut dyn FnMut(&Problem)),
    Kept(Vec<Problem>),
}

/// Where a sink's mentions go: to the caller, or kept (worker threads).
pub(crate) enum Emits<'s> {
    To(&'s mut dyn FnMut(Mention) -> io::Result<()>),
    Kept(Vec<Mention>),
}

/// The mentions, problems and counts a worker thread's sink kept.
pub(crate) struct Kept {
    summary: SocialSummary,
    problems: Vec<Problem>,
    mentions: Vec<Mention>,
}

/// What a worker thread needs to build its own [`SocialSink`].
#[derive(Clone)]
pub(crate) struct Fork<'a> {
    pub opts: &'a Options,
    pub ctx: &'a Context,
    pub collected: String,
    pub file: String,
}

/// A position in the file being read.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pos {
    Start,
    Line(u64),
    Element(u64),
}

impl<'s> SocialSink<'s> {
    /// Writes one mention.
    pub fn emit(&mut self, mention: Mention) -> Result<(), SocialError> {
        self.summary.mentions += 1;
        match &mut self.emit {
            Emits::To(f) => f(mention).map_err(SocialError::Write),
            Emits::Kept(v) => {
                v.push(mention);
                Ok(())
            }
        }
    }

    fn report(&mut self, problem: Problem) {
        match &mut self.report {
            Reports::To(f) => f(&problem),
            Reports::Kept(v) => v.push(problem),
        }
    }

    /// Reports a record that cannot be used: counted and skipped, or fatal under `strict`.
    pub fn skip(&mut self, place: String, reason: String) -> Result<(), SocialError> {
        if self.opts.strict {
            return Err(SocialError::Malformed { place, reason });
        }
        self.summary.skipped += 1;
        self.report(Problem {
            place,
            reason,
            skipped: true,
        });
        Ok(())
    }

    /// Reports something that loses nothing (a `limit` line, an API error object).
    pub fn notice(&mut self, place: String, reason: String) {
        self.summary.notices += 1;
        self.report(Problem {
            place,
            reason,
            skipped: false,
        });
    }

    /// What a worker thread needs to read records as this sink would.
    pub fn fork(&self) -> Fork<'_> {
        Fork {
            opts: self.opts,
            ctx: self.ctx,
            collected: self.collected.clone(),
            file: self.file.clone(),
        }
    }

    /// A sink that keeps its mentions and problems, for a worker thread.
    pub fn kept(fork: Fork<'s>) -> SocialSink<'s> {
        SocialSink {
            opts: fork.opts,
            ctx: fork.ctx,
            report: Reports::Kept(Vec::new()),
            emit: Emits::Kept(Vec::new()),
            summary: SocialSummary::default(),
            collected: fork.collected,
            file: fork.file,
            pos: Pos::Start,
        }
    }

    /// What a worker's sink kept.
    pub fn into_kept(self) -> Kept {
        Kept {
            summary: self.summary,
            problems: match self.report {
                Reports::Kept(v) => v,
                Reports::To(_) => Vec::new(),
            },
            mentions: match self.emit {
                Emits::Kept(v) => v,
                Emits::To(_) => Vec::new(),
            },
        }
    }

    /// Hands what a worker kept to this sink, in order; its counts are added.
    pub fn absorb(&mut self, kept: Kept) -> Result<(), SocialError> {
        let s = kept.summary;
        self.summary.records += s.records;
        self.summary.skipped += s.skipped;
        self.summary.notices += s.notices;
        for p in kept.problems {
            self.report(p);
        }
        for m in kept.mentions {
            self.emit(m)?;
        }
        Ok(())
    }

    /// Sets the file being read (for [`SocialSink::here`]).
    pub fn at_file(&mut self, file: &str) {
        file.clone_into(&mut self.file);
        self.pos = Pos::Start;
    }

    /// Sets the position being read in the current file.
    pub fn at(&mut self, pos: Pos) {
        self.pos = pos;
    }

    /// The current place: `file:line`, `file: element N` or the file.
    pub fn here(&self) -> String {
        match self.pos {
            Pos::Start => self.file.clone(),
            Pos::Line(n) => format!("{}:{n}", self.file),
            Pos::Element(n) => format!("{}: element {n}", self.file),
        }
    }

    /// Overrides `collected` with the time the export itself was made.
    pub fn set_collected(&mut self, collected: String) {
        self.collected = collected;
    }

    /// `source` for a mention of `format`.
    pub fn source(&self, format: InputFormat) -> SourceInfo {
        SourceInfo {
            kind: format.name().to_owned(),
            uri: Some(self.ctx.uri.clone()),
            title: None,
            group: self.ctx.group.clone(),
        }
    }

    /// `collected`: when the source was read, unless the export says when it was made.
    pub fn collected(&self) -> String {
        self.collected.clone()
    }
}

/// Reads `source` as `format`, calling `emit` for each mention and `report` for each
/// problem. Web feed formats are not read here (see [`crate::sources::feed`]).
pub fn read(
    source: Opened,
    format: InputFormat,
    opts: &Options,
    ctx: &Context,
    report: &mut dyn FnMut(&Problem),
    emit: &mut dyn FnMut(Mention) -> io::Result<()>,
) -> Result<SocialSummary, SocialError> {
    let mut sink = SocialSink {
        opts,
        ctx,
        report: Reports::To(report),
        emit: Emits::To(emit),
        summary: SocialSummary::default(),
        collected: format_timestamp(ctx.collected),
        file: source.name.clone(),
        pos: Pos::Start,
    };
    let name = source.name;
    if let Opening::Stream {
        head, path: None, ..
    } = &source.kind
        && head.starts_with(b"PK\x03\x04")
    {
        return Err(SocialError::Unsupported(format!(
            "{name}: a zip file cannot be read from stdin; give its path"
        )));
    }
    match (format, source.kind) {
        (f, _) if f.is_feed() => {
            return Err(SocialError::Unsupported(format!(
                "{name}: {} is a web feed format, read by the feed parser",
                f.name()
            )));
        }
        (InputFormat::XArchive, kind) => x_archive::read(&name, kind, &mut sink)?,
        (InputFormat::Mastodon, kind) => mastodon::read(&name, kind, &mut sink)?,
        (_, Opening::Dir(_)) => {
            return Err(SocialError::Unsupported(format!(
                "{name}: is a folder; only X and Mastodon archives can be read as folders"
            )));
        }
        (_, Opening::Zip(_)) => {
            return Err(SocialError::Unsupported(format!(
                "{name}: is a zip file; only X and Mastodon archives can be read from zip files"
            )));
        }
        (InputFormat::Csv, Opening::Stream { reader, .. }) => csv::read(&name, reader, &mut sink)?,
        (format, Opening::Stream { reader, .. }) => {
            let mut record = record_fn(format, &sink);
            let parallel: Option<stream::ParFn> = match format {
                InputFormat::Twarc => Some(twarc::record),
                InputFormat::Twarc2 => Some(twarc2::record),
                InputFormat::Snscrape => Some(snscrape::record),
                InputFormat::Bluesky => Some(bluesky::record),
                _ => None,
            };
            stream::json_records(&name, reader, &mut sink, &mut *record, parallel)?;
        }
    }
    Ok(sink.summary)
}

/// Why a normaliser gave up on a record: skip it (with the reason), or stop reading.
///
/// This is [`crate::jsonl::LineError`] for export records, kept apart because its records
/// are not only lines (CSV rows, array elements, archive entries) and because stopping
/// carries a [`SocialError`] (a `--strict` stop with its place, a write error), not only an
/// I/O error. JSONL exports still read their lines with the one [`crate::jsonl::LineReader`]
/// and word their reasons with [`crate::jsonl::not_an_object`] and [`crate::jsonl::explain`].
pub(crate) enum Bad {
    Skip(String),
    Stop(SocialError),
}

impl From<SocialError> for Bad {
    fn from(e: SocialError) -> Bad {
        Bad::Stop(e)
    }
}

impl From<String> for Bad {
    fn from(reason: String) -> Bad {
        Bad::Skip(reason)
    }
}

impl From<&str> for Bad {
    fn from(reason: &str) -> Bad {
        Bad::Skip(reason.to_owned())
    }
}

impl From<serde_json::Error> for Bad {
    fn from(e: serde_json::Error) -> Bad {
        Bad::Skip(json_reason(&e))
    }
}

/// A handler for one JSON record of a line-oriented JSON format.
pub(crate) type RecordFn<'f> = dyn FnMut(&str, &mut SocialSink<'_>) -> Result<(), Bad> + 'f;

fn record_fn(format: InputFormat, sink: &SocialSink) -> Box<RecordFn<'static>> {
    match format {
        InputFormat::Twarc => Box::new(twarc::record),
        InputFormat::Twarc2 => Box::new(twarc2::record),
        InputFormat::Snscrape => Box::new(snscrape::record),
        InputFormat::Bluesky => Box::new(bluesky::record),
        _ => {
            let mut mapper = generic::Mapper::new(&sink.opts.map, sink.opts.date_format.clone());
            Box::new(move |json, sink| mapper.record(json, sink))
        }
    }
}

/// A record's date as RFC 3339 UTC, with `--date-format` tried first when given.
pub(crate) fn date_of(s: &str, date_format: Option<&str>) -> Option<String> {
    date_format
        .and_then(|f| time::export::parse_with(f, s))
        .or_else(|| time::export::parse(s))
        .map(format_timestamp)
}

/// A JSON parse error as a one-line reason.
pub(crate) fn json_reason(err: &serde_json::Error) -> String {
    crate::jsonl::LineError::from_json(err).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(head: &str) -> Option<InputFormat> {
        detect(Path::new("x"), head.as_bytes())
    }

    #[test]
    fn detects_each_format_from_content() {
        assert_eq!(
            d("window.YTD.tweets.part0 = ["),
            Some(InputFormat::XArchive)
        );
        assert_eq!(
            d("Grailbird.data.tweets_2013_01 = \n["),
            Some(InputFormat::XArchive)
        );
        assert_eq!(
            d("\u{feff}{\"data\":[],\"meta\":{}}\n"),
            Some(InputFormat::Twarc2)
        );
        assert_eq!(
            d("{\"id\":\"1\",\"text\":\"a\",\"author_id\":\"2\"}\n"),
            Some(InputFormat::Twarc2)
        );
        assert_eq!(
            d("{\"id_str\":\"1\",\"text\":\"a\",\"user\":{}}\n"),
            Some(InputFormat::Twarc)
        );
        assert_eq!(
            d("{\"limit\":{\"track\":1}}\n{\"id_str\""),
            Some(InputFormat::Twarc)
        );
        assert_eq!(
            d("{\"_type\":\"snscrape.modules.twitter.Tweet\"}\n"),
            Some(InputFormat::Snscrape)
        );
        assert_eq!(
            d("{\"type\":\"OrderedCollection\",\"orderedItems\":[]}"),
            Some(InputFormat::Mastodon)
        );
        assert_eq!(
            d("[{\"uri\":\"at://did:plc:a/app.bsky.feed.post/1\",\"record\":{}}]"),
            Some(InputFormat::Bluesky)
        );
        assert_eq!(
            d("{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[]}"),
            Some(InputFormat::JsonFeed)
        );
        assert_eq!(
            d("<?xml version=\"1.0\"?><rss version=\"2.0\">"),
            Some(InputFormat::Rss)
        );
        assert_eq!(
            d("<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
            Some(InputFormat::Atom)
        );
        assert_eq!(
            d("tweet_id,text,tweet_created\n1,a,b\n"),
            Some(InputFormat::Csv)
        );
        assert_eq!(d("{\"body\":\"hello\"}\n"), Some(InputFormat::Json));
        assert_eq!(
            d("{\n  \"id_str\": \"1\",\n  \"user\": {}, \"text\": \"x\"\n}\n"),
            Some(InputFormat::Twarc)
        );
        assert_eq!(d("just some words"), None);
        assert_eq!(d(""), None);
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;
    use serde_json::Value;

    use super::*;

    /// Keys the normalisers look at, so generated objects reach their code paths.
    const KEYS: &[&str] = &[
        "id",
        "id_str",
        "id.str",
        "text",
        "full_text",
        "rawContent",
        "content",
        "created_at",
        "date",
        "user",
        "author",
        "author_id",
        "data",
        "includes",
        "users",
        "tweets",
        "referenced_tweets",
        "type",
        "retweeted_status",
        "extended_tweet",
        "entities",
        "urls",
        "url",
        "expanded_url",
        "hashtags",
        "mentions",
        "public_metrics",
        "note_tweet",
        "matching_rules",
        "tag",
        "_type",
        "retweetedTweet",
        "uri",
        "record",
        "reply",
        "parent",
        "facets",
        "features",
        "post",
        "reason",
        "feed",
        "posts",
        "object",
        "orderedItems",
        "limit",
        "errors",
        "screen_name",
        "username",
        "createdAt",
        "indexedAt",
        "links",
        "in_reply_to_status_id_str",
        "favorite_count",
        "tweet",
        "$type",
        "embed",
    ];

    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            ".{0,12}".prop_map(Value::String),
            prop_oneof![
                Just("RT @a: b"),
                Just("at://did:plc:x/app.bsky.feed.post/1"),
                Just("retweeted"),
                Just("replied_to"),
                Just("Create"),
                Just("Announce"),
                Just("snscrape.modules.twitter.Tweet"),
                Just("2021-05-18T19:24:56.000Z"),
                Just("Wed Oct 10 20:19:24 +0000 2018"),
                Just("1050118621198921728"),
            ]
            .prop_map(|s| Value::String(s.to_owned())),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(
                    |members| {
                        Value::Object(
                            members
                                .into_iter()
                                .map(|(k, v)| (k.to_owned(), v))
                                .collect(),
                        )
                    }
                ),
            ]
        })
    }

    fn run_all(bytes: &[u8]) {
        for (format, _) in InputFormat::ALL {
            if format.is_feed() {
                continue;
            }
            let opened = Opened::from_reader(
                "t".into(),
                None,
                Box::new(std::io::Cursor::new(bytes.to_vec())),
            )
            .unwrap();
            let ctx = Context::new("t");
            let opts = Options {
                map: FieldMap::parse(&["text=a.b", "published=created_at"]).unwrap(),
                ..Options::default()
            };
            let _ = read(opened, format, &opts, &ctx, &mut |_| {}, &mut |m| {
                assert!(!m.id.is_empty());
                Ok(())
            });
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn normalisers_never_panic_on_json(v in json()) {
            let line = serde_json::to_string(&v).unwrap();
            run_all(format!("{line}\n").as_bytes());
            run_all(format!("[{line}]").as_bytes());
            let _ = detect(Path::new("t"), line.as_bytes());
        }

        #[test]
        fn readers_never_panic_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            run_all(&bytes);
            let _ = detect(Path::new("t.csv"), &bytes);
        }

        #[test]
        fn dates_never_panic(s in ".{0,40}") {
            let _ = time::export::parse(&s);
            let _ = time::export::parse_with("%d/%m/%Y", &s);
            let _ = time::export::from_snowflake(&s);
        }
    }
}
