//! Line-by-line work on several threads, with the output in input order.
//!
//! A reader thread cuts the input into batches of lines, worker threads turn each batch into
//! output bytes, and the calling thread writes the batches in order. Channels are bounded,
//! so memory is a few batches per thread whatever the input size. Malformed lines are
//! reported in input order, exactly as [`crate::jsonl::for_each_line`] reports them.

use std::collections::BTreeMap;
use std::io;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use crate::jsonl::{
    BadLines, ForeignInput, Input, LineError, LineReader, Location, Output, ReadError, ReadSummary,
};

/// Lines per batch: large enough to amortise channel traffic, small enough to keep latency.
const BATCH_LINES: usize = 512;

/// More worker threads than this gain nothing and cost memory (two batches each); a larger
/// `--threads` is lowered to it.
pub const MAX_THREADS: usize = 256;

/// Runs `work` on every line of `inputs` on `threads` threads (at most [`MAX_THREADS`]) and writes what it produces
/// to `out` in input order. `work` appends the output for one line (with its newline) to
/// the buffer it is given. Malformed lines go to `report` (or end the run under `strict`).
///
/// With one thread the work runs on the calling thread, with no channels at all.
pub fn map_lines<F, R>(
    inputs: Vec<Input>,
    threads: usize,
    strict: bool,
    report: R,
    out: &mut Output,
    work: F,
) -> Result<ReadSummary, ReadError>
where
    F: Fn(&str, &mut Vec<u8>) -> Result<(), LineError> + Send + Sync + 'static,
    R: FnMut(Location<'_>, &str),
{
    let work = move |_: &mut (), line: &str, buf: &mut Vec<u8>| work(line, buf);
    run(inputs, threads, strict, report, out, || (), work).map(|(summary, _)| summary)
}

/// The worker threads a stage runs: `requested` (`--threads`), else one per core.
pub fn threads(requested: Option<u16>) -> usize {
    requested.map_or_else(
        || std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
        usize::from,
    )
}

/// Folds every line of `inputs` into per-thread states on `threads` threads: each worker
/// starts from `new()`, `work` adds one line to its state, and `merge` adds the states up at
/// the end, so an aggregate's memory is one state per thread whatever the input size.
/// Malformed lines are reported in input order, exactly as in [`map_lines`].
pub fn fold_lines<S, N, F, M, R>(
    inputs: Vec<Input>,
    threads: usize,
    strict: bool,
    report: R,
    (new, work, merge): (N, F, M),
) -> Result<(ReadSummary, S), ReadError>
where
    S: Send + 'static,
    N: Fn() -> S + Send + Sync + 'static,
    F: Fn(&mut S, &str) -> Result<(), LineError> + Send + Sync + 'static,
    M: Fn(&mut S, S),
    R: FnMut(Location<'_>, &str),
{
    let mut sink = Output::from_writer(Box::new(io::sink()));
    let work = move |state: &mut S, line: &str, _: &mut Vec<u8>| work(state, line);
    let (summary, states) = run(inputs, threads, strict, report, &mut sink, new, work)?;
    let mut states = states.into_iter();
    let mut all = states
        .next()
        .expect("run returns one state per thread, at least one");
    states.for_each(|part| merge(&mut all, part));
    Ok((summary, all))
}

/// [`map_lines`] and [`fold_lines`]: each worker owns a state made by `new`.
fn run<S, N, F, R>(
    inputs: Vec<Input>,
    threads: usize,
    strict: bool,
    report: R,
    out: &mut Output,
    new: N,
    work: F,
) -> Result<(ReadSummary, Vec<S>), ReadError>
where
    S: Send + 'static,
    N: Fn() -> S + Send + Sync + 'static,
    F: Fn(&mut S, &str, &mut Vec<u8>) -> Result<(), LineError> + Send + Sync + 'static,
    R: FnMut(Location<'_>, &str),
{
    let threads = threads.min(MAX_THREADS);
    if threads <= 1 {
        let mut buf = Vec::new();
        let mut state = new();
        let summary = crate::jsonl::for_each_line(&inputs, strict, report, |line, _| {
            buf.clear();
            work(&mut state, line, &mut buf)?;
            out.write_records(&buf)?;
            Ok(())
        })?;
        return Ok((summary, vec![state]));
    }
    let names: Vec<String> = inputs.iter().map(Input::name).collect();
    let (batch_tx, batch_rx) = sync_channel::<Batch>(threads * 2);
    let (done_tx, done_rx) = sync_channel::<(u64, Result<Done, ReadError>)>(threads * 4);
    let batch_rx = Arc::new(Mutex::new(batch_rx));
    let (work, new) = (Arc::new(work), Arc::new(new));
    let spare = Arc::new(Spare {
        texts: Pool::new(threads * 2),
        outs: Pool::new(threads * 2),
    });
    let mut workers = Vec::with_capacity(threads);
    for _ in 0..threads {
        let (rx, tx, work) = (Arc::clone(&batch_rx), done_tx.clone(), Arc::clone(&work));
        let (spare, new) = (Arc::clone(&spare), Arc::clone(&new));
        workers.push(std::thread::spawn(move || {
            let mut state = new();
            worker(&rx, &tx, &mut state, &*work, &spare);
            state
        }));
    }
    let reader_tx = done_tx.clone();
    drop(done_tx);
    let reader_spare = Arc::clone(&spare);
    std::thread::spawn(move || read_batches(inputs, &batch_tx, &reader_tx, &reader_spare));

    // Threads left behind on an early return stop at their next send: the receiver is gone.
    let mut bad_lines = BadLines::new(strict, report);
    let mut pending = BTreeMap::new();
    let mut next = 0u64;
    for (seq, done) in done_rx {
        pending.insert(seq, done);
        while let Some(done) = pending.remove(&next) {
            next += 1;
            let done = done?;
            bad_lines.read(done.lines);
            for bad in done.bad.iter() {
                let loc = Location {
                    file: &names[bad.input],
                    line: bad.line,
                };
                if let Err(err) = bad_lines.bad(loc, bad.reason.clone(), bad.terminated) {
                    // Under --strict: the output of the lines before it, then the error.
                    out.write_records(&done.out[..bad.out_pos])
                        .map_err(ReadError::Write)?;
                    return Err(err);
                }
            }
            out.write_records(&done.out).map_err(ReadError::Write)?;
            if let Some(err) = done.fatal {
                return Err(ReadError::Write(err));
            }
            spare.outs.give(done.out);
        }
    }
    // Every worker has ended: the channel closes when the last one drops its sender.
    let states = workers
        .into_iter()
        .map(|w| {
            w.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
        .collect();
    Ok((bad_lines.summary(), states))
}

/// Buffers handed back for reuse, so that each batch does not take fresh memory from the
/// system (and fault in its pages) and give it back: batch texts go from the workers back
/// to the reader, output buffers from the writer back to the workers.
struct Spare {
    texts: Pool<String>,
    outs: Pool<Vec<u8>>,
}

/// Buffers of one kind, a few kept.
struct Pool<B> {
    free: Mutex<Vec<B>>,
    keep: usize,
}

impl<B: Default> Pool<B> {
    fn new(keep: usize) -> Pool<B> {
        Pool {
            free: Mutex::new(Vec::new()),
            keep,
        }
    }

    /// A buffer given back before (not cleared), or a new one.
    fn take(&self) -> B {
        let free = self.free.lock().ok().and_then(|mut free| free.pop());
        free.unwrap_or_default()
    }

    /// Keeps `buf` for reuse, unless enough are kept.
    fn give(&self, buf: B) {
        if let Ok(mut free) = self.free.lock()
            && free.len() < self.keep
        {
            free.push(buf);
        }
    }
}

/// Lines cut from the input, stored back to back in `text`.
struct Batch {
    seq: u64,
    text: String,
    items: Vec<Item>,
}

enum Item {
    Line {
        input: usize,
        line: u64,
        end: usize,
        terminated: bool,
    },
    Bad(Bad),
}

struct Bad {
    input: usize,
    line: u64,
    reason: String,
    terminated: bool,
    /// How much output precedes this line in its batch.
    out_pos: usize,
}

/// The output of one batch.
struct Done {
    out: Vec<u8>,
    lines: u64,
    bad: Vec<Bad>,
    fatal: Option<io::Error>,
}

fn read_batches(
    inputs: Vec<Input>,
    batch_tx: &SyncSender<Batch>,
    done_tx: &SyncSender<(u64, Result<Done, ReadError>)>,
    spare: &Spare,
) {
    let mut lines = LineReader::new(inputs);
    let mut seq = 0u64;
    let new_batch = |seq| {
        let mut text = spare.texts.take();
        text.clear();
        text.reserve(256 * 1024);
        Batch {
            seq,
            text,
            items: Vec::with_capacity(BATCH_LINES),
        }
    };
    let mut batch = new_batch(seq);
    let mut foreign = ForeignInput::default();
    loop {
        match lines.next_line() {
            Ok(Some(line)) => {
                let mut stop = Ok(());
                let item = match line.text() {
                    Ok(text) => {
                        batch.text.push_str(text);
                        Item::Line {
                            input: line.input,
                            line: line.line,
                            end: batch.text.len(),
                            terminated: line.terminated,
                        }
                    }
                    Err(reason) => {
                        stop = foreign.not_an_object(&line);
                        Item::Bad(Bad {
                            input: line.input,
                            line: line.line,
                            reason,
                            terminated: line.terminated,
                            out_pos: 0,
                        })
                    }
                };
                batch.items.push(item);
                if let Err(err) = stop {
                    let _ = batch_tx.send(batch);
                    let _ = done_tx.send((seq + 1, Err(err)));
                    return;
                }
                if batch.items.len() == BATCH_LINES {
                    seq += 1;
                    if batch_tx
                        .send(std::mem::replace(&mut batch, new_batch(seq)))
                        .is_err()
                    {
                        return;
                    }
                }
            }
            Ok(None) => {
                if !batch.items.is_empty() {
                    let _ = batch_tx.send(batch);
                }
                return;
            }
            Err(err) => {
                if !batch.items.is_empty() {
                    let _ = batch_tx.send(batch);
                    seq += 1;
                }
                let _ = done_tx.send((seq, Err(err)));
                return;
            }
        }
    }
}

fn worker<S, F>(
    batches: &Mutex<Receiver<Batch>>,
    done_tx: &SyncSender<(u64, Result<Done, ReadError>)>,
    state: &mut S,
    work: &F,
    spare: &Spare,
) where
    F: Fn(&mut S, &str, &mut Vec<u8>) -> Result<(), LineError>,
{
    loop {
        let batch = match batches.lock() {
            Ok(rx) => match rx.recv() {
                Ok(batch) => batch,
                Err(_) => return,
            },
            Err(_) => return,
        };
        let mut out = spare.outs.take();
        out.clear();
        out.reserve(batch.text.len() + batch.items.len() * 64);
        let mut done = Done {
            out,
            lines: batch.items.len() as u64,
            bad: Vec::new(),
            fatal: None,
        };
        let mut start = 0;
        for item in batch.items {
            match item {
                Item::Bad(mut bad) => {
                    bad.out_pos = done.out.len();
                    done.bad.push(bad);
                }
                Item::Line {
                    input,
                    line,
                    end,
                    terminated,
                } => {
                    let text = &batch.text[start..end];
                    start = end;
                    let before = done.out.len();
                    match work(state, text, &mut done.out) {
                        Ok(()) => {}
                        Err(LineError::Malformed(reason)) => {
                            done.out.truncate(before);
                            done.bad.push(Bad {
                                input,
                                line,
                                reason,
                                terminated,
                                out_pos: before,
                            });
                        }
                        Err(LineError::Fatal(err)) => {
                            done.fatal = Some(err);
                            break;
                        }
                    }
                }
            }
        }
        spare.texts.give(batch.text);
        if done_tx.send((batch.seq, Ok(done))).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    /// Runs an uppercasing job over `input` and returns (output, reports, result).
    fn run(
        input: &str,
        threads: usize,
        strict: bool,
    ) -> (String, Vec<String>, Result<ReadSummary, ReadError>) {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(input.as_bytes()).unwrap();
        let path = file.path().to_path_buf();
        let out_file = tempfile::NamedTempFile::new().unwrap();
        let mut out = Output::file(out_file.path()).unwrap();
        let mut reports = Vec::new();
        let res = map_lines(
            vec![Input::Path(path.clone()), Input::Path(path)],
            threads,
            strict,
            |loc, why| reports.push(format!("{}: {why}", loc.line)),
            &mut out,
            |line, buf| {
                if line.contains("bad") {
                    return Err(LineError::Malformed("contains bad".into()));
                }
                buf.extend_from_slice(line.to_uppercase().as_bytes());
                buf.push(b'\n');
                Ok(())
            },
        );
        out.flush().unwrap();
        (
            std::fs::read_to_string(out_file.path()).unwrap(),
            reports,
            res,
        )
    }

    fn input(n: usize) -> String {
        (0..n)
            .map(|i| match i % 97 {
                13 => "[1]\n".to_owned(),
                50 => format!("{{\"bad\":{i}}}\n"),
                _ => format!("{{\"i\":{i}}}\n"),
            })
            .collect()
    }

    #[test]
    fn parallel_output_equals_serial_output() {
        let text = input(5_000);
        let serial = run(&text, 1, false);
        let parallel = run(&text, 4, false);
        assert_eq!(serial.0, parallel.0);
        assert_eq!(serial.1, parallel.1);
        assert_eq!(serial.2.unwrap(), parallel.2.unwrap());
        assert!(serial.0.starts_with("{\"I\":0}\n"));
        assert_eq!(serial.1[0], "14: expected an object, found an array");
        assert_eq!(serial.1[1], "51: contains bad");
    }

    #[test]
    fn strict_stops_at_the_same_line_with_the_same_output() {
        let text = input(3_000);
        let serial = run(&text, 1, true);
        let parallel = run(&text, 3, true);
        assert_eq!(serial.0, parallel.0);
        assert_eq!(serial.0.lines().count(), 13);
        for res in [serial.2, parallel.2] {
            match res {
                Err(ReadError::Malformed { line, .. }) => assert_eq!(line, 14),
                other => panic!("{other:?}"),
            }
        }
    }
}
