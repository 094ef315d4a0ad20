//! Local inputs of a fetch run read in parallel and handed to the writer in argument order.
//!
//! Files and folders are read on a pool of threads (one per core): each thread takes the
//! next input in argument order and sends its mentions through a channel of its own, which
//! the writer drains input by input. A channel holds at most `IN_FLIGHT` (4) batches, so at
//! most one input per thread is being read ahead, whatever the number of inputs. stdin, a
//! FIFO or a device (a read that may block for ever) gets a thread of its own, never
//! joined: one blocked past `--deadline` ends with the process.
//!
//! Mentions are serialised where they are read ([`Ready`]): the writer copies bytes, and a
//! mention's strings are freed on the thread that made them.

use std::collections::VecDeque;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use indicatif::ProgressBar;
use tokio::sync::mpsc;

use super::Context;
use super::http::HttpError;
use super::local::{self, LocalSummary};
use super::run::RunOptions;
use super::run::SourceError;
use super::social::{self, Problem};
use crate::mention::Mention;

/// Mentions serialised as compact JSON lines, with what delivery looks at: each one's id
/// and publication time.
#[derive(Debug, Default)]
pub struct Ready {
    /// Each mention's id, then its `published` (if any).
    fields: String,
    lines: Vec<u8>,
    items: Vec<Item>,
}

#[derive(Debug, Clone, Copy)]
struct Item {
    id_end: usize,
    published_end: usize,
    line_end: usize,
}

/// One mention of a [`Ready`] batch.
#[derive(Debug, Clone, Copy)]
pub struct ReadyMention<'a> {
    pub id: &'a str,
    pub published: Option<&'a str>,
    /// The JSON line, without its newline.
    pub line: &'a [u8],
}

impl Ready {
    /// Serialises `m` at the end of the batch.
    pub fn push(&mut self, m: &Mention) -> io::Result<()> {
        serde_json::to_writer(&mut self.lines, m)?;
        self.fields.push_str(&m.id);
        let id_end = self.fields.len();
        self.fields
            .push_str(m.published.as_deref().unwrap_or_default());
        self.items.push(Item {
            id_end,
            published_end: self.fields.len(),
            line_end: self.lines.len(),
        });
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The mentions, in the order pushed.
    pub fn iter(&self) -> impl Iterator<Item = ReadyMention<'_>> {
        let mut starts = (0, 0);
        self.items.iter().map(move |item| {
            let (id_start, line_start) = starts;
            starts = (item.published_end, item.line_end);
            ReadyMention {
                id: &self.fields[id_start..item.id_end],
                published: Some(&self.fields[item.id_end..item.published_end])
                    .filter(|p| !p.is_empty()),
                line: &self.lines[line_start..item.line_end],
            }
        })
    }
}

/// What a thread reading a local input sends to the writer.
pub enum Local {
    Mentions(Ready),
    Problem(Problem),
    Done(Result<LocalSummary, SourceError>),
}

/// Mentions a reader sends at once.
const BATCH: usize = 256;

/// Batches a reader may send before the writer takes them.
const IN_FLIGHT: usize = 4;

/// Starts reading `inputs` (files and folders on the pool, anything else on a thread of
/// its own) and returns one receiver per input, in their order. A reader past `deadline`
/// stops between batches ("deadline reached"); the files' bytes are counted on `reads`, if
/// given.
pub fn read_all(
    inputs: Vec<Context>,
    opts: &RunOptions,
    deadline: Option<Instant>,
    reads: Option<ProgressBar>,
) -> Vec<mpsc::Receiver<Local>> {
    let (opts, max_body) = (&opts.social, opts.http.max_body);
    let limits = Limits { max_body, deadline };
    let mut receivers = Vec::with_capacity(inputs.len());
    let mut queue = VecDeque::new();
    for ctx in inputs {
        let (tx, rx) = mpsc::channel(IN_FLIGHT);
        receivers.push(rx);
        if is_file_or_folder(&ctx.uri) {
            queue.push_back((ctx, tx));
        } else {
            let opts = opts.clone();
            std::thread::spawn(move || read_one(&ctx, &opts, limits, &tx));
        }
    }
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(queue.len());
    let queue = Arc::new(Mutex::new(queue));
    for _ in 0..threads {
        let (queue, opts, reads) = (queue.clone(), opts.clone(), reads.clone());
        std::thread::spawn(move || {
            crate::progress::count_reads(reads);
            loop {
                // Inputs are taken in order: the one the writer waits for is always being
                // read, so the pool cannot stall.
                let next = queue
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .pop_front();
                let Some((ctx, tx)) = next else { break };
                // The writer gave up on it (deadline, signal, closed output).
                if !tx.is_closed() {
                    read_one(&ctx, &opts, limits, &tx);
                }
            }
        });
    }
    receivers
}

/// The bounds of a local read: the body limit of a document read whole, and the run's
/// deadline.
#[derive(Debug, Clone, Copy)]
struct Limits {
    max_body: usize,
    deadline: Option<Instant>,
}

/// Reads one local input ([`local::read`]) into `tx`, in batches, until `limits.deadline`.
fn read_one(ctx: &Context, opts: &social::Options, limits: Limits, tx: &mpsc::Sender<Local>) {
    let late = || limits.deadline.is_some_and(|d| Instant::now() >= d);
    if late() {
        let _ = tx.blocking_send(Local::Done(Err(HttpError::Deadline.into())));
        return;
    }
    let gone = || io::Error::new(io::ErrorKind::BrokenPipe, "the writer stopped");
    let (mut batch, mut stopped) = (Ready::default(), false);
    let mut emit = |m: Mention| {
        batch.push(&m)?;
        if batch.len() == BATCH {
            if late() {
                stopped = true;
                return Err(io::Error::other("deadline reached"));
            }
            tx.blocking_send(Local::Mentions(std::mem::take(&mut batch)))
                .map_err(|_| gone())?;
        }
        Ok(())
    };
    let mut report = |p: &Problem| {
        let _ = tx.blocking_send(Local::Problem(p.clone()));
    };
    let result = local::read(ctx, opts, limits.max_body, &mut report, &mut emit);
    let result = match result {
        Err(_) if stopped => Err(HttpError::Deadline.into()),
        other => {
            if !batch.is_empty() {
                let _ = tx.blocking_send(Local::Mentions(batch));
            }
            other.map_err(SourceError::from)
        }
    };
    let _ = tx.blocking_send(Local::Done(result));
}

/// True for a regular file or a folder: reading it cannot block for ever.
fn is_file_or_folder(location: &str) -> bool {
    location != "-" && std::fs::metadata(location).is_ok_and(|m| m.is_file() || m.is_dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_keeps_ids_times_and_lines_in_order() {
        let mut a = Mention {
            id: "web:a".into(),
            text: Some("one".into()),
            published: Some("2024-03-01T10:00:00Z".into()),
            ..Mention::default()
        };
        let mut ready = Ready::default();
        ready.push(&a).unwrap();
        a.id = "web:b".into();
        a.published = Some("not a time".into());
        ready.push(&a).unwrap();
        a.published = None;
        ready.push(&a).unwrap();
        let got: Vec<_> = ready.iter().collect();
        assert_eq!(got.len(), 3);
        assert_eq!(got[2].published, None);
        assert_eq!(got[0].id, "web:a");
        assert_eq!(got[1].id, "web:b");
        assert_eq!(got[0].published, Some("2024-03-01T10:00:00Z"));
        assert_eq!(got[1].published, Some("not a time"));
        let back: Mention = serde_json::from_slice(got[1].line).unwrap();
        assert_eq!(back.id, "web:b");
        assert_eq!(back.text.as_deref(), Some("one"));
    }
}
