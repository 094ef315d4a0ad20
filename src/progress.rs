//! The one place that decides what goes to stderr and when.
//!
//! Data goes to stdout; everything else (warnings, errors, summaries, progress bars) goes
//! through a [`Printer`], which prefixes each line with `earful <command>:`, honours
//! `--quiet` and `--verbose`, strips control and bidi characters from untrusted text, and
//! shows progress bars only when stderr is a terminal.

use std::cell::RefCell;
use std::io::{IsTerminal, Read, Seek, Write};
use std::sync::{Arc, Mutex, PoisonError};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle, WeakProgressBar};

use crate::jsonl::{self, Input};

/// How much to say on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbosity {
    /// Errors only (`-q`).
    Quiet,
    /// Errors, warnings and the end-of-run summary.
    #[default]
    Normal,
    /// Also informational logs (`-v`); progress bars are hidden so they do not interleave.
    Verbose,
}

/// Writes diagnostics for one subcommand to stderr.
#[derive(Debug, Clone)]
pub struct Printer {
    prefix: String,
    verbosity: Verbosity,
    tty: bool,
    shown: Shown,
}

/// The bar a printer drew last, hidden while a line is written so the two do not tear.
#[derive(Clone, Default)]
struct Shown(Arc<Mutex<WeakProgressBar>>);

impl std::fmt::Debug for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Shown")
    }
}

/// The template of a bar of bytes read of a known total.
const BYTES: &str =
    "{bar:30} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {eta} {msg}";

impl Printer {
    /// A printer for `earful <command>`.
    pub fn new(command: &str, verbosity: Verbosity) -> Printer {
        Printer {
            prefix: format!("earful {command}"),
            verbosity,
            tty: std::io::stderr().is_terminal(),
            shown: Shown::default(),
        }
    }

    pub fn verbosity(&self) -> Verbosity {
        self.verbosity
    }

    /// An error about one item; always shown.
    pub fn error(&self, msg: &str) {
        self.line(msg);
    }

    /// A warning; hidden by `--quiet`.
    pub fn warn(&self, msg: &str) {
        if self.verbosity != Verbosity::Quiet {
            self.line(msg);
        }
    }

    /// An informational log line; shown only with `--verbose`.
    pub fn info(&self, msg: &str) {
        if self.verbosity == Verbosity::Verbose {
            self.line(msg);
        }
    }

    /// A progress bar with `len` steps, drawn only when stderr is a terminal and the
    /// verbosity is normal; otherwise a hidden bar that costs nothing.
    pub fn progress(&self, len: u64, template: &str) -> ProgressBar {
        self.bar(Some(len), template)
            .unwrap_or_else(ProgressBar::hidden)
    }

    /// Shows the reading of the JSONL `inputs` on a bar, when [`Printer::progress`] would:
    /// bytes read of their total size when they are all files, else lines and lines/s
    /// (stdin, a pipe). The next [`jsonl::LineReader`] counts on it and clears it.
    pub fn reading(&self, inputs: &[Input]) {
        let total = inputs
            .iter()
            .map(|input| match input {
                Input::Path(path) => std::fs::metadata(path).ok().map(|m| m.len()),
                Input::Stdin => None,
            })
            .sum::<Option<u64>>();
        let template = match total {
            Some(_) => BYTES,
            None => "{spinner} {human_pos} lines, {per_sec}",
        };
        if let Some(bar) = self.bar(total, template) {
            jsonl::count_progress(bar);
        }
    }

    /// A bar of `total` bytes (files read by fetch, counted through [`counted`]), or a
    /// hidden one when [`Printer::progress`] would be.
    pub fn bytes(&self, total: u64) -> ProgressBar {
        self.progress(total, BYTES)
    }

    /// A bar drawn on stderr, or `None` when stderr is not a terminal or the verbosity is
    /// not normal.
    fn bar(&self, len: Option<u64>, template: &str) -> Option<ProgressBar> {
        if !self.tty || self.verbosity != Verbosity::Normal {
            return None;
        }
        let bar = ProgressBar::with_draw_target(len, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        *self.shown.0.lock().unwrap_or_else(PoisonError::into_inner) = bar.downgrade();
        Some(bar)
    }

    fn line(&self, msg: &str) {
        let msg = sanitize(msg);
        // stderr is unbuffered; a failure to write a diagnostic has nowhere to be reported.
        let write = || {
            let _ = writeln!(std::io::stderr().lock(), "{}: {msg}", self.prefix);
        };
        // A bar being drawn is taken off the screen for the line, then drawn again below.
        let shown = self
            .shown
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .upgrade();
        match shown {
            Some(bar) if !bar.is_finished() => bar.suspend(write),
            _ => write(),
        }
    }
}

thread_local! {
    /// The bar the files this thread opens count their bytes on ([`count_reads`]).
    static READS: RefCell<Option<ProgressBar>> = const { RefCell::new(None) };
}

/// Makes the files this thread opens through [`counted`] add the bytes read to `bar` (the
/// readers of fetch's local inputs, each on a thread of its own).
pub fn count_reads(bar: Option<ProgressBar>) {
    READS.with(|r| *r.borrow_mut() = bar);
}

/// `file`, whose reads are added to this thread's bar of [`count_reads`], if any.
pub fn counted<R>(file: R) -> Counted<R> {
    Counted {
        inner: file,
        bar: READS.with(|r| r.borrow().clone()),
    }
}

/// A reader that adds the bytes it reads to a progress bar.
pub struct Counted<R> {
    inner: R,
    bar: Option<ProgressBar>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
        }
        Ok(n)
    }
}

impl<R: Seek> Seek for Counted<R> {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Removes control characters (except tab) and bidi overrides from text shown on a terminal.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            !(c.is_control() && c != '\t'
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_reads_add_to_the_threads_bar() {
        let bar = ProgressBar::hidden();
        bar.set_length(100);
        count_reads(Some(bar.clone()));
        let mut out = Vec::new();
        counted(&b"twelve bytes"[..]).read_to_end(&mut out).unwrap();
        count_reads(None);
        counted(&b"more"[..]).read_to_end(&mut out).unwrap();
        assert_eq!(bar.position(), 12);
    }

    #[test]
    fn sanitize_strips_controls_and_bidi() {
        assert_eq!(sanitize("a\u{1b}[31mb\u{202e}c\n"), "a[31mbc");
    }
}
