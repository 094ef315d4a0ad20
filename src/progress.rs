//! The one place that decides what goes to stderr and when.
//!
//! Data goes to stdout; everything else (warnings, errors, summaries, progress bars) goes
//! through a [`Printer`], which prefixes each line with `earful <command>:`, honours
//! `--quiet` and `--verbose`, strips control and bidi characters from untrusted text, and
//! shows progress bars only when stderr is a terminal.

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

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
}

impl Printer {
    /// A printer for `earful <command>`.
    pub fn new(command: &str, verbosity: Verbosity) -> Printer {
        Printer {
            prefix: format!("earful {command}"),
            verbosity,
            tty: std::io::stderr().is_terminal(),
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
            Some(_) => "{bar:30} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {eta}",
            None => "{spinner} {human_pos} lines, {per_sec}",
        };
        if let Some(bar) = self.bar(total, template) {
            jsonl::count_progress(bar);
        }
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
        Some(bar)
    }

    fn line(&self, msg: &str) {
        let msg = sanitize(msg);
        // stderr is unbuffered; a failure to write a diagnostic has nowhere to be reported.
        let _ = writeln!(std::io::stderr().lock(), "{}: {msg}", self.prefix);
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
    fn sanitize_strips_controls_and_bidi() {
        assert_eq!(sanitize("a\u{1b}[31mb\u{202e}c\n"), "a[31mbc");
    }
}
