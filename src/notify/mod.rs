//! `earful notify`: post mentions (or spike rows) to a chat or ticketing webhook, each one
//! once, ever.
//!
//! # The guarantee (with a state file)
//!
//! A run first appends every new item it reads to the queue beside the state
//! (`STATE.queue`, JSONL) and syncs it, then posts from the queue. After each post the
//! server accepted, the ids it carried are recorded in the state, saved atomically (as
//! `fetch --state` saves). At the end the queue is rewritten with what is still unsent. So
//! if a run is killed at any moment, nothing it read is lost (it waits in the queue) and at
//! most the message in flight is sent a second time; a post that fails after its retries,
//! and whatever is over `--max`, waits in the queue for the next run.

pub mod message;

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use self::message::{Item, Payload, Template};
use crate::jsonl::{self, Input, LineError, Location, ReadError, ReadSummary};
use crate::sources::http::{self, HttpOptions};
use crate::sources::state::{State, StateError, StateLock};

/// Where to post and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The webhook (http or https).
    pub url: String,
    pub payload: Payload,
    pub template: Option<Template>,
    /// Items per message: 1, or more for a digest.
    pub per_message: usize,
    /// Messages posted per run at most.
    pub max: usize,
    /// Wait between two posts.
    pub interval: Duration,
    pub http: HttpOptions,
    /// Print the payloads to the output instead of posting.
    pub dry_run: bool,
    /// The state file: ids sent, and the queue beside it.
    pub state: Option<PathBuf>,
    /// Ids sent longer ago than this are forgotten.
    pub retention: Duration,
}

/// What a run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Messages posted (or printed with `--dry-run`).
    pub messages: u64,
    /// Items in them.
    pub items: u64,
    /// Items skipped because they were sent before.
    pub already: u64,
    /// Items not sent: waiting in the queue (with a state), else dropped.
    pub unsent: u64,
    /// Posts that failed after their retries.
    pub failed: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("starting the HTTP client: {0}")]
    Client(String),
}

/// The URL as shown in messages: scheme and host only, never the path or query where a
/// webhook keeps its secret.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => format!("{}://{}/…", u.scheme(), u.host_str().unwrap_or("")),
        Err(_) => "the webhook".to_owned(),
    }
}

/// `STATE.queue`: the items waiting to be sent.
pub fn queue_path(state: &Path) -> PathBuf {
    let mut p = state.as_os_str().to_owned();
    p.push(".queue");
    PathBuf::from(p)
}

/// A run: reads items, posts them, keeps the state.
pub struct Notifier<'a> {
    options: Options,
    /// With `--state`: the state, its lock, and the queue file appended to.
    state: Option<(State, StateLock, BufWriter<File>)>,
    client: reqwest::Client,
    runtime: tokio::runtime::Runtime,
    out: &'a mut dyn Write,
    warn: &'a dyn Fn(&str),
    batch: Vec<Item>,
    /// Why posting stopped for this run (a failure, or `--max`).
    stopped: Option<String>,
    posted_once: bool,
    summary: Summary,
}

impl<'a> Notifier<'a> {
    /// Loads the state (and locks it), opens the queue. `out` gets the `--dry-run`
    /// payloads; `warn` each failure.
    pub fn new(
        options: Options,
        out: &'a mut dyn Write,
        warn: &'a dyn Fn(&str),
    ) -> Result<Notifier<'a>, NotifyError> {
        let state = match (&options.state, options.dry_run) {
            (Some(path), false) => {
                let lock = StateLock::acquire(path)?;
                let mut state = State::load(path)?;
                state.prune(jiff::Timestamp::now().as_second(), options.retention);
                let queue = queue_path(path);
                let file = OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&queue)
                    .map_err(|source| NotifyError::Io {
                        what: "opening",
                        path: queue,
                        source,
                    })?;
                Some((state, lock, BufWriter::new(file)))
            }
            _ => None,
        };
        let client = http::client(&options.http).map_err(|e| NotifyError::Client(e.to_string()))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| NotifyError::Client(e.to_string()))?;
        Ok(Notifier {
            options,
            state,
            client,
            runtime,
            out,
            warn,
            batch: Vec::new(),
            stopped: None,
            posted_once: false,
            summary: Summary::default(),
        })
    }

    /// Reads every input, then sends: with a state, through the queue (see the module's
    /// guarantee); without, as the items come.
    pub fn run<R: FnMut(Location<'_>, &str)>(
        mut self,
        inputs: &[Input],
        strict: bool,
        report: R,
    ) -> Result<(ReadSummary, Summary), NotifyError> {
        // A dry run reads the state without taking it, to skip what was sent.
        let seen: Option<State> = match (&self.options.state, self.options.dry_run) {
            (Some(path), true) => Some(State::load(path)?),
            _ => None,
        };
        let read = match &mut self.state {
            Some((state, _, queue)) => {
                let mut already = 0;
                let read = jsonl::for_each_line(inputs, strict, report, |line, _| {
                    let Some(item) = Item::parse(line)? else {
                        return Ok(());
                    };
                    if state.seen.contains_key(&item.id) {
                        already += 1;
                        return Ok(());
                    }
                    queue.write_all(line.trim_end().as_bytes())?;
                    queue.write_all(b"\n")?;
                    Ok(())
                })?;
                self.summary.already += already;
                queue
                    .flush()
                    .and_then(|()| queue.get_ref().sync_all())
                    .map_err(|source| NotifyError::Io {
                        what: "writing",
                        path: queue_path(self.options.state.as_deref().expect("a state")),
                        source,
                    })?;
                let path = queue_path(self.options.state.as_deref().expect("a state"));
                self.send_queue(&path)?;
                read
            }
            None => jsonl::for_each_line(inputs, strict, report, |line, _| {
                let Some(item) = Item::parse(line)? else {
                    return Ok(());
                };
                if seen.as_ref().is_some_and(|s| s.seen.contains_key(&item.id)) {
                    self.summary.already += 1;
                    return Ok(());
                }
                self.offer(item).map_err(LineError::Fatal)
            })?,
        };
        self.flush_batch().map_err(|source| NotifyError::Io {
            what: "writing",
            path: PathBuf::from("the output"),
            source,
        })?;
        Ok((read, self.summary))
    }

    /// Sends what waits in the queue, then rewrites it with what is left.
    fn send_queue(&mut self, path: &Path) -> Result<(), NotifyError> {
        let io = |what, source| NotifyError::Io {
            what,
            path: path.to_owned(),
            source,
        };
        let mut done: HashSet<String> = HashSet::new();
        let queue = [Input::Path(path.to_owned())];
        // Lines in the queue were checked when they were queued.
        jsonl::for_each_line(
            &queue,
            false,
            |_, _| {},
            |line, _| {
                let Some(item) = Item::parse(line)? else {
                    return Ok(());
                };
                let sent = self
                    .state
                    .as_ref()
                    .is_some_and(|(s, _, _)| s.seen.contains_key(&item.id));
                if sent || !done.insert(item.id.clone()) {
                    return Ok(());
                }
                self.offer(item).map_err(LineError::Fatal)
            },
        )?;
        self.flush_batch().map_err(|e| io("writing", e))?;
        // What is left: every queued item not sent, once.
        let tmp = path.with_extension("queue.tmp");
        let mut left = BufWriter::new(File::create(&tmp).map_err(|e| io("creating", e))?);
        let mut kept: HashSet<String> = HashSet::new();
        let mut unsent = 0;
        let state = &self.state.as_ref().expect("a state").0;
        jsonl::for_each_line(
            &queue,
            false,
            |_, _| {},
            |line, _| {
                if let Some(item) = Item::parse(line)?
                    && !state.seen.contains_key(&item.id)
                    && kept.insert(item.id)
                {
                    unsent += 1;
                    left.write_all(line.as_bytes())?;
                    left.write_all(b"\n")?;
                }
                Ok(())
            },
        )?;
        let file = left
            .into_inner()
            .map_err(|e| io("writing", e.into_error()))?;
        file.sync_all().map_err(|e| io("writing", e))?;
        fs::rename(&tmp, path).map_err(|e| io("replacing", e))?;
        self.summary.unsent = unsent;
        Ok(())
    }

    /// Takes one item: into the batch, posted when the batch is full.
    fn offer(&mut self, item: Item) -> io::Result<()> {
        if self.stopped.is_some() {
            // Without a state there is no queue: it is counted as not sent.
            if self.state.is_none() {
                self.summary.unsent += 1;
            }
            return Ok(());
        }
        self.batch.push(item);
        if self.batch.len() >= self.options.per_message {
            self.flush_batch()?;
        }
        Ok(())
    }

    /// Posts (or prints) the batch as one message.
    fn flush_batch(&mut self) -> io::Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        if self.summary.messages >= self.options.max as u64 {
            self.stop(
                format!("--max {} messages reached", self.options.max),
                batch.len(),
            );
            return Ok(());
        }
        let title = (self.options.per_message > 1).then(|| {
            let kind = if batch.iter().all(|i| i.spike) {
                "spikes"
            } else {
                "mentions"
            };
            format!("earful: {} {kind}", batch.len())
        });
        let refs: Vec<&Item> = batch.iter().collect();
        let body = message::payload(
            self.options.payload,
            title.as_deref(),
            &refs,
            self.options.template.as_ref(),
        );
        if self.options.dry_run {
            serde_json::to_writer(&mut *self.out, &body)?;
            self.out.write_all(b"\n")?;
            self.count(&batch);
            return Ok(());
        }
        if self.posted_once {
            std::thread::sleep(self.options.interval);
        }
        self.posted_once = true;
        let body = body.to_string();
        let sent = self.runtime.block_on(http::post_json(
            &self.client,
            &self.options.url,
            body.as_bytes(),
            &self.options.http,
            None,
        ));
        match sent {
            Ok(()) => {
                self.count(&batch);
                if let (Some((state, _, _)), Some(path)) = (&mut self.state, &self.options.state) {
                    let now = jiff::Timestamp::now().as_second();
                    for item in &batch {
                        state.seen.insert(item.id.clone(), now);
                    }
                    state.save(path).map_err(io::Error::other)?;
                }
            }
            Err(e) => {
                self.summary.failed += 1;
                let why = e
                    .to_string()
                    .replace(&self.options.url, &redact(&self.options.url));
                (self.warn)(&format!(
                    "posting to {} failed: {why}",
                    redact(&self.options.url)
                ));
                self.stop(why, batch.len());
            }
        }
        Ok(())
    }

    fn count(&mut self, batch: &[Item]) {
        self.summary.messages += 1;
        self.summary.items += batch.len() as u64;
    }

    /// Posts no more this run; `n` items of the current batch are not sent.
    fn stop(&mut self, why: String, n: usize) {
        if self.state.is_none() {
            self.summary.unsent += n as u64;
        }
        self.stopped.get_or_insert(why);
    }
}
