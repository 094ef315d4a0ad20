//! A fetch run: many sources read concurrently, their mentions filtered (`--since`, ids
//! already delivered) and written in one place, the state saved at checkpoints.
//!
//! Fetching runs on a tokio runtime: at most `concurrency` sources at once and at most
//! `per_host` per host, each bounded by the request timeout and retries, the whole run by
//! a deadline. Parsed mentions travel through a bounded channel to the writer, so memory
//! stays bounded by concurrency × body limit whatever the number of sources. The writer
//! (the caller's thread) writes each source's mentions, flushes, and only then records
//! them, with the feed's validators, in the state: see [`super::state`] for the guarantee.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Semaphore, mpsc};
use tokio::time::Instant;

use super::feed::{self, FeedError};
use super::http::{self, Fetched, HttpError, HttpOptions, Validators};
use super::local::{self, LocalError};
use super::pool::{self, Local, Ready, ReadyMention};
use super::social::{self, Problem};
use super::state::{CHECKPOINT_EVERY, FeedState, State, StateError};
use super::{Context, InputFormat, is_url};
use crate::mention::format_timestamp;

/// One source to read: a URL, a path, or `-` for stdin, with what a list said about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceSpec {
    /// URL, path or `-`.
    pub location: String,
    /// Title from an OPML outline (`source.title`).
    pub title: Option<String>,
    /// Folder path from an OPML list (`source.group`).
    pub group: Option<String>,
}

impl SourceSpec {
    /// A source with no list metadata.
    pub fn new(location: impl Into<String>) -> SourceSpec {
        SourceSpec {
            location: location.into(),
            ..SourceSpec::default()
        }
    }
}

/// The most sources (or requests to one host) at once; larger settings are lowered to it.
pub const MAX_CONCURRENCY: usize = 4096;

/// Options of a run.
#[derive(Clone)]
pub struct RunOptions {
    /// Timeouts, retries and limits of each request.
    pub http: HttpOptions,
    /// Sources fetched at once.
    pub concurrency: usize,
    /// Requests at once to one host.
    pub per_host: usize,
    /// The whole run ends at this time; unfinished sources fail with "deadline reached".
    pub deadline: Option<Duration>,
    /// Entries published before this are dropped (entries without a date are kept).
    pub since: Option<jiff::Timestamp>,
    /// Entries published after this are dropped (entries without a date are kept).
    pub until: Option<jiff::Timestamp>,
    /// Overrides format detection (`--format`).
    pub format: Option<InputFormat>,
    /// How local exports are read (`--map`, `--date-format`, `--strict`).
    pub social: social::Options,
    /// State file, with how long delivered ids are remembered.
    pub state: Option<(PathBuf, Duration)>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            http: HttpOptions::default(),
            concurrency: 16,
            per_host: 4,
            deadline: None,
            since: None,
            until: None,
            format: None,
            social: social::Options::default(),
            state: None,
        }
    }
}

impl std::fmt::Debug for RunOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunOptions")
            .field("http", &self.http)
            .field("concurrency", &self.concurrency)
            .field("per_host", &self.per_host)
            .field("deadline", &self.deadline)
            .field("since", &self.since)
            .field("until", &self.until)
            .field("format", &self.format)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// Why one source failed.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// Fetching failed.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The document is not a feed.
    #[error(transparent)]
    Feed(#[from] FeedError),
    /// A local input (file, folder, stdin) could not be read.
    #[error(transparent)]
    Local(#[from] LocalError),
    /// The task reading the source failed.
    #[error("{0}")]
    Other(String),
}

/// What happened to one source.
#[derive(Debug)]
pub enum Outcome {
    /// Read; `new` mentions written, `seen` skipped as already delivered, `old` dropped by
    /// `--since`, `skipped` records of an export that could not be read.
    Ok {
        new: u64,
        seen: u64,
        old: u64,
        skipped: u64,
    },
    /// 304 Not Modified.
    NotModified,
    /// The source failed; the others go on.
    Failed(SourceError),
}

/// Counts for the end-of-run summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FetchSummary {
    /// Distinct sources.
    pub sources: u64,
    /// Sources read.
    pub ok: u64,
    /// Sources that answered 304.
    pub not_modified: u64,
    /// `(source, reason)` of each failed source.
    pub failed: Vec<(String, String)>,
    /// Mentions written.
    pub new_mentions: u64,
    /// Mentions skipped as already delivered (state) or already written in this run.
    pub seen_mentions: u64,
    /// Mentions dropped by `--since` or `--until`.
    pub old_mentions: u64,
    /// Records of local exports that could not be read (they make the exit code 1).
    pub skipped_records: u64,
    /// SIGINT or SIGTERM stopped the run: the sources not counted above were not read, or
    /// not to the end.
    pub stopped: bool,
}

impl FetchSummary {
    /// One line for stderr.
    pub fn line(&self) -> String {
        let mut s = format!(
            "{} source{}: {} ok, {} not modified, {} failed; {} new mention{}",
            self.sources,
            plural(self.sources),
            self.ok,
            self.not_modified,
            self.failed.len(),
            self.new_mentions,
            plural(self.new_mentions),
        );
        if self.seen_mentions > 0 {
            s.push_str(&format!(", {} already delivered", self.seen_mentions));
        }
        if self.old_mentions > 0 {
            s.push_str(&format!(
                ", {} before --since or after --until",
                self.old_mentions
            ));
        }
        if self.skipped_records > 0 {
            s.push_str(&format!(
                "; skipped {} malformed record{}",
                self.skipped_records,
                plural(self.skipped_records)
            ));
        }
        if self.stopped {
            let read = self.ok + self.not_modified + self.failed.len() as u64;
            let left = self.sources.saturating_sub(read);
            s.push_str(&format!(
                "; stopped by a signal, {left} source{} not read to the end",
                plural(left)
            ));
        }
        s
    }
}

impl FetchSummary {
    /// Counts what happened to one source.
    fn add(&mut self, location: &str, outcome: &Outcome) {
        match outcome {
            Outcome::Ok {
                new,
                seen,
                old,
                skipped,
            } => {
                self.ok += 1;
                self.new_mentions += new;
                self.seen_mentions += seen;
                self.old_mentions += old;
                self.skipped_records += skipped;
            }
            Outcome::NotModified => self.not_modified += 1,
            Outcome::Failed(e) => self.failed.push((location.to_owned(), e.to_string())),
        }
    }

    /// Counts what was delivered of a source a signal stopped before its end.
    fn stopped_in(&mut self, counts: &Delivered) {
        self.stopped = true;
        self.new_mentions += counts.new;
        self.seen_mentions += counts.seen;
        self.old_mentions += counts.old;
    }

    /// The message for each failed source: `<source>: <why>`, said once when the reason
    /// names the source already.
    pub fn failures(&self) -> impl Iterator<Item = String> + '_ {
        self.failed.iter().map(|(source, reason)| {
            if reason.starts_with(source.as_str()) || reason.contains(&format!("{source}:")) {
                reason.clone()
            } else {
                format!("{source}: {reason}")
            }
        })
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Where a fetch run's mentions go, and who hears about progress.
pub trait FetchSink {
    /// Writes one mention, a compact JSON line (without its newline).
    fn write(&mut self, line: &[u8]) -> io::Result<()>;
    /// Flushes everything written so far to the OS.
    fn flush(&mut self) -> io::Result<()>;
    /// A record of an export could not be used (skipped), or a notice about one.
    fn problem(&mut self, _problem: &Problem) {}
    /// A source finished (for progress bars and logs).
    fn done(&mut self, _source: &str, _outcome: &Outcome) {}
    /// The bar the readers of local files add the bytes they read to, if any.
    fn reads(&self) -> Option<indicatif::ProgressBar> {
        None
    }
}

/// The usual [`FetchSink`]: JSONL output, a progress bar and per-source logs through a
/// [`Printer`](crate::progress::Printer).
pub struct OutputSink<'a> {
    out: crate::jsonl::Output,
    printer: &'a crate::progress::Printer,
    bar: indicatif::ProgressBar,
    /// The bar counts bytes read (every source is a local file or folder), not sources.
    bytes: bool,
    mentions: u64,
    errors: u64,
}

impl<'a> OutputSink<'a> {
    /// Writes to `out`, with a progress bar (shown only on a terminal): the bytes read of
    /// the files' total size when every source is a local file or folder, else the sources
    /// done of their number.
    pub fn new(
        out: crate::jsonl::Output,
        printer: &'a crate::progress::Printer,
        sources: &[SourceSpec],
    ) -> OutputSink<'a> {
        let total = sources
            .iter()
            .map(|s| local::size(&s.location))
            .sum::<Option<u64>>();
        let bar = match total {
            Some(total) => printer.bytes(total),
            None => printer.progress(sources.len() as u64, "{bar:30} {pos}/{len} sources {msg}"),
        };
        OutputSink {
            out,
            printer,
            bar,
            bytes: total.is_some(),
            mentions: 0,
            errors: 0,
        }
    }

    /// Flushes the output and clears the progress bar.
    pub fn finish(mut self) -> io::Result<()> {
        self.bar.finish_and_clear();
        self.out.flush()
    }
}

impl FetchSink for OutputSink<'_> {
    fn write(&mut self, line: &[u8]) -> io::Result<()> {
        self.mentions += 1;
        self.out.write_line(line)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn problem(&mut self, problem: &Problem) {
        if problem.skipped {
            self.printer.error(&problem.to_string());
        } else {
            self.printer.warn(&problem.to_string());
        }
    }

    fn done(&mut self, source: &str, outcome: &Outcome) {
        match outcome {
            Outcome::Failed(_) => self.errors += 1,
            Outcome::Ok { new, .. } => {
                self.printer.info(&format!("{source}: {new} new mentions"));
            }
            Outcome::NotModified => self.printer.info(&format!("{source}: not modified")),
        }
        if !self.bytes {
            self.bar.inc(1);
        }
        self.bar.set_message(format!(
            "· {} mentions · {} errors",
            self.mentions, self.errors
        ));
    }

    fn reads(&self) -> Option<indicatif::ProgressBar> {
        self.bytes.then(|| self.bar.clone())
    }
}

/// What a fetch task sends to the writer.
struct Done {
    location: String,
    result: Result<Read, SourceError>,
}

enum Read {
    Mentions {
        mentions: Ready,
        validators: Validators,
    },
    NotModified,
}

/// Fetches `sources` and writes their mentions to `sink`. Errors of single sources are
/// counted in the summary; an `Err` means the run itself failed (output or state I/O).
pub fn run(
    sources: &[SourceSpec],
    opts: &RunOptions,
    sink: &mut dyn FetchSink,
) -> Result<FetchSummary, RunError> {
    let _lock = match &opts.state {
        Some((path, _)) => Some(super::state::StateLock::acquire(path)?),
        None => None,
    };
    let mut state = match &opts.state {
        Some((path, _)) => Some(State::load(path)?),
        None => None,
    };
    // Worker threads download; local inputs alone need none.
    let mut runtime = if sources.iter().any(|s| is_url(&s.location)) {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(
            std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .min(8),
        );
        builder
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    let runtime = runtime.enable_all().build().map_err(RunError::Runtime)?;
    let summary = runtime.block_on(run_async(sources, opts, sink, state.as_mut()));
    // Downloads still running (the run was stopped by a signal) end here, unawaited.
    runtime.shutdown_background();
    let summary = summary?;
    if let (Some(state), Some((path, retention))) = (state.as_mut(), &opts.state) {
        sink.flush().map_err(RunError::Output)?;
        state.prune(jiff::Timestamp::now().as_second(), *retention);
        state.save(path)?;
    }
    Ok(summary)
}

/// A failure of the run as a whole.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Loading, locking or saving the state.
    #[error(transparent)]
    State(#[from] StateError),
    /// Writing mentions (a closed pipe included).
    #[error("writing output: {0}")]
    Output(#[source] io::Error),
    /// The async runtime could not start.
    #[error("starting the async runtime: {0}")]
    Runtime(#[source] io::Error),
    /// The HTTP client could not be built.
    #[error("{0}")]
    Http(#[from] HttpError),
}

async fn run_async(
    sources: &[SourceSpec],
    opts: &RunOptions,
    sink: &mut dyn FetchSink,
    mut state: Option<&mut State>,
) -> Result<FetchSummary, RunError> {
    // The HTTP client (its TLS roots take a few milliseconds to load) only when needed.
    let client = if sources.iter().any(|s| is_url(&s.location)) {
        Some(http::client(&opts.http)?)
    } else {
        None
    };
    let started = Instant::now();
    // A deadline too far to represent is no deadline.
    let deadline = opts.deadline.and_then(|d| started.checked_add(d));
    let concurrency = opts.concurrency.clamp(1, MAX_CONCURRENCY);
    let per_host = opts.per_host.clamp(1, MAX_CONCURRENCY);
    let global = Arc::new(Semaphore::new(concurrency));
    let mut hosts: HashMap<String, Arc<Semaphore>> = HashMap::new();
    let (tx, mut rx) = mpsc::channel::<Done>(concurrency);
    let collected = jiff::Timestamp::now();
    let mut unique = HashSet::new();
    let mut pending = 0usize;
    let mut summary = FetchSummary::default();
    let mut locals = Vec::new();
    for spec in sources {
        // The same source twice (stdin included) is read once.
        if !unique.insert(spec.location.clone()) {
            continue;
        }
        summary.sources += 1;
        let mut ctx = Context::new(spec.location.clone());
        ctx.collected = collected;
        ctx.group.clone_from(&spec.group);
        ctx.title.clone_from(&spec.title);
        ctx.format = opts.format;
        if !is_url(&spec.location) {
            locals.push(ctx);
            continue;
        }
        pending += 1;
        let validators = state
            .as_deref()
            .and_then(|s| s.feeds.get(&spec.location))
            .map(|f| Validators {
                etag: f.etag.clone(),
                last_modified: f.last_modified.clone(),
            })
            .unwrap_or_default();
        let host = url::Url::parse(&spec.location)
            .ok()
            .map(|u| {
                format!(
                    "{}:{}",
                    u.host_str().unwrap_or(""),
                    u.port_or_known_default().unwrap_or(0)
                )
            })
            .unwrap_or_default();
        let host_sem = hosts
            .entry(host)
            .or_insert_with(|| Arc::new(Semaphore::new(per_host)))
            .clone();
        let client = client
            .clone()
            .expect("the client is built when a source is a URL");
        let (tx, global, opts) = (tx.clone(), global.clone(), opts.clone());
        let location = spec.location.clone();
        tokio::spawn(async move {
            let work = async {
                let _host = host_sem.acquire().await;
                let _permit = global.acquire().await;
                // After SIGINT/SIGTERM no source is started.
                if crate::exit::interrupted() {
                    return Err(SourceError::Other("stopped by a signal".into()));
                }
                fetch_url(&client, ctx, &validators, &opts, deadline).await
            };
            let result = match deadline {
                Some(d) => tokio::time::timeout_at(d, work)
                    .await
                    .unwrap_or(Err(SourceError::Http(HttpError::Deadline))),
                None => work.await,
            };
            // The writer outlives every task; a closed channel means it stopped early.
            let _ = tx.send(Done { location, result }).await;
        });
    }
    drop(tx);
    let mut delivery = Delivery::new(opts.since, opts.until);
    let mut checkpoints = Checkpoints {
        next: Instant::now() + CHECKPOINT_EVERY,
        dirty: false,
    };
    // Local inputs are read on a pool of threads while the URLs download, and delivered
    // here in argument order as their mentions come, within the deadline.
    let receivers = pool::read_all(
        locals.clone(),
        opts,
        deadline.map(Instant::into_std),
        sink.reads(),
    );
    for (ctx, mut from) in locals.into_iter().zip(receivers) {
        if crate::exit::interrupted() {
            summary.stopped = true;
            break;
        }
        let mut counts = Delivered::default();
        let result = loop {
            // What a reader sent before the deadline is taken after it too (a reader checks
            // the deadline itself); the deadline ends a wait on one that is blocked.
            let message = tokio::select! {
                biased;
                () = signalled() => break Err(SourceError::Other("stopped by a signal".into())),
                message = from.recv() => message,
                () = until(deadline) => break Err(SourceError::Http(HttpError::Deadline)),
            };
            match message {
                Some(Local::Mentions(mentions)) => {
                    delivery.offer_all(&mentions, sink, state.as_deref_mut(), &mut counts)?;
                }
                Some(Local::Problem(problem)) => sink.problem(&problem),
                Some(Local::Done(result)) => break result,
                None => break Err(SourceError::Other("the reader thread failed".into())),
            }
        };
        let outcome = match result {
            // What was written of it stays written (and delivered in the state); the source
            // itself is not marked read.
            Err(_) if crate::exit::interrupted() => {
                summary.stopped_in(&counts);
                sink.flush().map_err(RunError::Output)?;
                break;
            }
            Err(e) => delivery.failed(&ctx.uri, e, state.as_deref_mut()),
            Ok(local) => {
                delivery.succeeded(&ctx.uri, None, state.as_deref_mut());
                counts.outcome(local.skipped)
            }
        };
        summary.add(&ctx.uri, &outcome);
        sink.done(&ctx.uri, &outcome);
        // Each source's mentions reach the output as soon as they are read, so an
        // interrupted run (without --state) keeps what it fetched.
        sink.flush().map_err(RunError::Output)?;
        checkpoints.dirty = true;
        if Instant::now() >= checkpoints.next {
            checkpoints.save(sink, state.as_deref(), opts)?;
        }
    }
    while pending > 0 && !summary.stopped {
        let done = tokio::select! {
            done = rx.recv() => done,
            // Sources not answered yet are left; what was written stays.
            () = signalled() => {
                summary.stopped = true;
                break;
            }
            () = tokio::time::sleep_until(checkpoints.next) => {
                checkpoints.save(sink, state.as_deref(), opts)?;
                continue;
            }
        };
        let Some(done) = done else { break };
        pending -= 1;
        let outcome = match done.result {
            Err(e) => delivery.failed(&done.location, e, state.as_deref_mut()),
            Ok(Read::NotModified) => {
                delivery.succeeded(&done.location, None, state.as_deref_mut());
                Outcome::NotModified
            }
            Ok(Read::Mentions {
                mentions,
                validators,
            }) => {
                let mut counts = Delivered::default();
                delivery.offer_all(&mentions, sink, state.as_deref_mut(), &mut counts)?;
                delivery.succeeded(&done.location, Some(validators), state.as_deref_mut());
                counts.outcome(0)
            }
        };
        checkpoints.dirty = true;
        summary.add(&done.location, &outcome);
        sink.done(&done.location, &outcome);
        // Each source's mentions reach the output as soon as they are read, so an
        // interrupted run (without --state) keeps what it fetched.
        sink.flush().map_err(RunError::Output)?;
    }
    summary.failed.sort();
    Ok(summary)
}

/// Resolves once SIGINT or SIGTERM arrived (the flag of [`crate::exit::stop_flag`], looked
/// at every 50 ms).
async fn signalled() {
    while !crate::exit::interrupted() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Resolves at `deadline`, or never.
async fn until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

/// When the state is saved: on a timer, so a run stuck on one slow source still saves the
/// state of everything delivered so far. A large state (a million ids) takes a while to
/// save: the next checkpoint then waits ten times as long as the last save took.
struct Checkpoints {
    next: Instant,
    /// Something was delivered since the last save.
    dirty: bool,
}

impl Checkpoints {
    fn save(
        &mut self,
        sink: &mut dyn FetchSink,
        state: Option<&State>,
        opts: &RunOptions,
    ) -> Result<(), RunError> {
        let started = Instant::now();
        if self.dirty {
            checkpoint(sink, state, opts)?;
            self.dirty = false;
        }
        self.next = Instant::now() + CHECKPOINT_EVERY.max(started.elapsed() * 10);
        Ok(())
    }
}

/// Flushes the output, then saves the state: the state never gets ahead of the output.
fn checkpoint(
    sink: &mut dyn FetchSink,
    state: Option<&State>,
    opts: &RunOptions,
) -> Result<(), RunError> {
    if let (Some(st), Some((path, _))) = (state, &opts.state) {
        sink.flush().map_err(RunError::Output)?;
        st.save(path)?;
    }
    Ok(())
}

/// The one delivery every mention of a run goes through, whatever its source: entries
/// published before `--since` or after `--until` are dropped, an id is written once per run, and with
/// `--state` an id delivered by an earlier run is not written again (its last-seen time
/// is refreshed). Ids written in this run are remembered as 8-byte hashes.
struct Delivery {
    since: Option<jiff::Timestamp>,
    until: Option<jiff::Timestamp>,
    now: jiff::Timestamp,
    written: HashSet<u64>,
}

/// How one source's mentions were delivered.
#[derive(Debug, Default)]
struct Delivered {
    new: u64,
    seen: u64,
    old: u64,
}

impl Delivered {
    fn outcome(self, skipped: u64) -> Outcome {
        Outcome::Ok {
            new: self.new,
            seen: self.seen,
            old: self.old,
            skipped,
        }
    }
}

impl Delivery {
    fn new(since: Option<jiff::Timestamp>, until: Option<jiff::Timestamp>) -> Delivery {
        Delivery {
            since,
            until,
            now: jiff::Timestamp::now(),
            written: HashSet::new(),
        }
    }

    /// Offers each mention of `ready` in turn ([`Delivery::offer`]).
    fn offer_all(
        &mut self,
        ready: &Ready,
        out: &mut dyn FetchSink,
        mut state: Option<&mut State>,
        counts: &mut Delivered,
    ) -> Result<(), RunError> {
        for m in ready.iter() {
            self.offer(m, out, state.as_deref_mut(), counts)
                .map_err(RunError::Output)?;
        }
        Ok(())
    }

    /// Writes `m` to `out` unless it is too old or already delivered.
    fn offer(
        &mut self,
        m: ReadyMention<'_>,
        out: &mut dyn FetchSink,
        state: Option<&mut State>,
        counts: &mut Delivered,
    ) -> io::Result<()> {
        let outside = |p: jiff::Timestamp| {
            self.since.is_some_and(|since| p < since) || self.until.is_some_and(|until| p > until)
        };
        if (self.since.is_some() || self.until.is_some())
            && let Some(p) = m.published
            && p.parse::<jiff::Timestamp>().is_ok_and(outside)
        {
            counts.old += 1;
            return Ok(());
        }
        // The same id twice in one run (one source or two) is one mention.
        if !self.written.insert(id_hash(m.id)) {
            counts.seen += 1;
            return Ok(());
        }
        if let Some(st) = state {
            let before = st.seen.insert(m.id.to_owned(), self.now.as_second());
            if before.is_some() {
                counts.seen += 1;
                return Ok(());
            }
        }
        out.write(m.line)?;
        counts.new += 1;
        Ok(())
    }

    /// Records in the state that `location` was read (with its validators, for a URL).
    fn succeeded(&self, location: &str, validators: Option<Validators>, state: Option<&mut State>) {
        if let Some(st) = state {
            let f = st
                .feeds
                .entry(location.to_owned())
                .or_insert_with(FeedState::default);
            if let Some(v) = validators {
                f.etag = v.etag;
                f.last_modified = v.last_modified;
            }
            f.failures = 0;
            f.last_error = None;
            f.last_success = Some(format_timestamp(self.now));
        }
    }

    /// Records in the state that `location` failed.
    fn failed(&self, location: &str, e: SourceError, state: Option<&mut State>) -> Outcome {
        if let Some(st) = state {
            let f = st.feeds.entry(location.to_owned()).or_default();
            f.failures += 1;
            f.last_error = Some(e.to_string());
        }
        Outcome::Failed(e)
    }
}

/// The hash under which an id written in this run is remembered.
fn id_hash(id: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    h.write(id.as_bytes());
    h.finish()
}

/// Downloads and parses one feed URL.
async fn fetch_url(
    client: &reqwest::Client,
    mut ctx: Context,
    validators: &Validators,
    opts: &RunOptions,
    deadline: Option<Instant>,
) -> Result<Read, SourceError> {
    match http::fetch(client, &ctx.uri, validators, &opts.http, deadline).await? {
        Fetched::NotModified => Ok(Read::NotModified),
        Fetched::Body {
            bytes,
            content_type,
            validators,
            final_url,
        } => {
            ctx.content_type = content_type;
            ctx.final_url = Some(final_url).filter(|u| *u != ctx.uri);
            // Parsed and serialised on this worker thread; the writer copies bytes.
            let mentions = tokio::task::block_in_place(|| {
                let mut ready = Ready::default();
                feed::parse_each(&bytes, &ctx, &mut |m| ready.push(&m)).map(|_| ready)
            })?;
            Ok(Read::Mentions {
                mentions,
                validators,
            })
        }
    }
}

/// Reads a list of sources: one URL or path per line; blank lines and `#` comments
/// are skipped.
pub fn parse_list(text: &str) -> Vec<SourceSpec> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(SourceSpec::new)
        .collect()
}

/// Reads an OPML subscription list: every outline with an `xmlUrl` is a source; the
/// `text` (or `title`) of the outlines around it, joined with `/`, is its group, and its
/// own `title` (or `text`) its title. Relative paths are made relative to the OPML's own
/// folder by [`relative_to_opml`].
pub fn parse_opml(bytes: &[u8]) -> Result<Vec<SourceSpec>, String> {
    let decoded = feed::encoding::decode(bytes, None);
    let tree = feed::xml::parse(&decoded.text, None);
    let Some(opml) = tree.children.iter().find(|c| c.name == "opml") else {
        return Err("not an OPML document (no <opml> element)".into());
    };
    let body = opml.child("body").unwrap_or(opml);
    let mut out = Vec::new();
    walk_outlines(body, &mut Vec::new(), &mut out);
    Ok(out)
}

/// Makes the local paths of `specs`, read from the OPML file `opml`, relative to its folder
/// rather than to the current one (issue 14); URLs and absolute paths stay as they are.
pub fn relative_to_opml(specs: &mut [SourceSpec], opml: &std::path::Path) {
    let Some(dir) = opml.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return;
    };
    for spec in specs {
        let local = std::path::Path::new(&spec.location);
        if !super::is_url(&spec.location) && spec.location != "-" && local.is_relative() {
            spec.location = dir.join(local).display().to_string();
        }
    }
}

fn walk_outlines(e: &feed::xml::Element, path: &mut Vec<String>, out: &mut Vec<SourceSpec>) {
    for o in e.children_named("outline") {
        let label = |a: &str, b: &str| {
            o.attr(a)
                .or_else(|| o.attr(b))
                .map(crate::sources::html::collapse_whitespace)
                .filter(|s| !s.is_empty())
        };
        if let Some(url) = o.attr("xmlurl").map(str::trim).filter(|u| !u.is_empty()) {
            out.push(SourceSpec {
                location: url.to_owned(),
                title: label("title", "text"),
                group: (!path.is_empty()).then(|| path.join("/")),
            });
            walk_outlines(o, path, out);
        } else {
            let name = label("text", "title").unwrap_or_default();
            path.push(name.replace('/', "∕"));
            walk_outlines(o, path, out);
            path.pop();
        }
    }
}

/// Parses a size such as `20MiB`, `512K`, `1G` or a number of bytes.
pub fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: usize = n.parse().ok()?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("20MiB"), Some(20 << 20));
        assert_eq!(parse_size("512k"), Some(512 << 10));
    }

    #[test]
    fn list_skips_comments_and_blanks() {
        let l = parse_list("# mine\nhttp://a\n\n  http://b  \n#http://c\n");
        assert_eq!(
            l,
            vec![SourceSpec::new("http://a"), SourceSpec::new("http://b")]
        );
    }

    #[test]
    fn opml_folders_become_groups() {
        let opml = r#"<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline text="acme"><outline type="rss" text="Alert" xmlUrl="https://g.example/1"/>
<outline text="Social"><outline type="RSS" title="r/x" text="ignored" xmlUrl="https://r.example/?a=1&amp;b=2"/></outline></outline>
<outline text="Top" xmlUrl="https://top.example/"/>
</body></opml>"#;
        let l = parse_opml(opml.as_bytes()).unwrap();
        assert_eq!(l.len(), 3);
        assert_eq!(l[0].group.as_deref(), Some("acme"));
        assert_eq!(l[0].title.as_deref(), Some("Alert"));
        assert_eq!(l[1].location, "https://r.example/?a=1&b=2");
        assert_eq!(l[1].group.as_deref(), Some("acme/Social"));
        assert_eq!(l[1].title.as_deref(), Some("r/x"));
        assert_eq!(l[2].group, None);
        assert!(parse_opml(b"<rss/>").is_err());
    }
}
