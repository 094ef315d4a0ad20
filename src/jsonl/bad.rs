//! The bad-line rule, in one place: a malformed line is reported with its `file:line`,
//! counted and skipped, or ends the read under `--strict`; a rejected last line without a
//! newline says it was cut short; the summary says how many were skipped.

use super::{Line, LineError, Location, ReadError, ReadSummary};

/// Applies the bad-line rule and counts the lines of a read.
pub struct BadLines<R> {
    strict: bool,
    report: R,
    summary: ReadSummary,
    foreign: ForeignInput,
}

impl<R: FnMut(Location<'_>, &str)> BadLines<R> {
    /// `report` receives each skipped line's location and reason; with `strict` the first
    /// bad line is an error instead.
    pub fn new(strict: bool, report: R) -> BadLines<R> {
        BadLines {
            strict,
            report,
            summary: ReadSummary::default(),
            foreign: ForeignInput::default(),
        }
    }

    /// Counts `n` lines read (good or bad).
    #[inline]
    pub fn read(&mut self, n: u64) {
        self.summary.lines += n;
    }

    /// A line that cannot be used: reported and counted, or under `strict` the error that
    /// ends the read. `terminated` is false for a last line without a newline.
    pub fn bad(
        &mut self,
        loc: Location<'_>,
        reason: String,
        terminated: bool,
    ) -> Result<(), ReadError> {
        let reason = explain(reason, terminated);
        if self.strict {
            return Err(ReadError::Malformed {
                file: loc.file.to_owned(),
                line: loc.line,
                reason,
            });
        }
        self.summary.skipped += 1;
        (self.report)(loc, &reason);
        Ok(())
    }

    /// Gives `line`'s text to `handle`: a line that is not a record, or that `handle` finds
    /// malformed, goes to [`BadLines::bad`]; a fatal error (writing) ends the read.
    pub fn check(
        &mut self,
        line: &Line<'_>,
        handle: impl FnOnce(&str) -> Result<(), LineError>,
    ) -> Result<(), ReadError> {
        let text = match line.text() {
            Ok(text) => text,
            Err(reason) => {
                self.bad(line.location(), reason, line.terminated)?;
                return self.foreign.not_an_object(line);
            }
        };
        match handle(text) {
            Ok(()) => Ok(()),
            Err(LineError::Fatal(e)) => Err(ReadError::Write(e)),
            Err(LineError::Malformed(reason)) => self.bad(line.location(), reason, line.terminated),
        }
    }

    /// The counts so far.
    pub fn summary(&self) -> ReadSummary {
        self.summary
    }
}

/// How many lines at the start of an input, all of one foreign format, stop the read.
const FOREIGN_LINES: u64 = 5;

/// Notices an input that is not JSON Lines at all (a CSV export, a feed, a web page given
/// to a stage that reads mentions): when its first five lines are not objects
/// and all look like one such format, the read stops with one message that names the
/// format and says to read it with `earful fetch`, instead of one error per line. Damaged
/// JSONL (a bad line among good ones) keeps the per-line rule.
#[derive(Debug, Default)]
pub struct ForeignInput {
    input: usize,
    run: u64,
    kind: Option<&'static str>,
}

impl ForeignInput {
    /// Sees a line that is not a JSON object; an error when the input is foreign.
    pub fn not_an_object(&mut self, line: &Line<'_>) -> Result<(), ReadError> {
        let kind = foreign_kind(line.bytes);
        let continues = line.input == self.input && line.line == self.run + 1 && kind == self.kind;
        if line.line == 1 || continues {
            (self.input, self.kind) = (line.input, kind);
            self.run = line.line;
        } else {
            self.run = 0;
        }
        match self.kind {
            Some(kind) if self.run == FOREIGN_LINES => Err(ReadError::Foreign {
                file: line.file.to_owned(),
                kind,
            }),
            _ => Ok(()),
        }
    }
}

/// The format a line that is not JSON seems to come from.
fn foreign_kind(line: &[u8]) -> Option<&'static str> {
    let line = line.trim_ascii_start();
    if line.first() == Some(&b'<') {
        let head = line[..line.len().min(64)].to_ascii_lowercase();
        return Some(
            if head.starts_with(b"<!doctype html") || head.starts_with(b"<html") {
                "an HTML page"
            } else {
                "XML (a feed or an export?)"
            },
        );
    }
    let json_like = matches!(line.first(), Some(b'{' | b'[' | b'"'));
    (!json_like && line.iter().any(|b| matches!(b, b',' | b'\t' | b';'))).then_some("CSV")
}

/// `reason`, noting when the line was a last line without a newline (cut short).
pub fn explain(reason: String, terminated: bool) -> String {
    if terminated {
        reason
    } else {
        format!("truncated last line (no newline at end): {reason}")
    }
}

impl ReadSummary {
    /// The line a stage prints at the end when it skipped lines (`skipped 2 malformed
    /// lines of 40`), or `None`.
    pub fn skipped_message(&self) -> Option<String> {
        (self.skipped > 0).then(|| {
            format!(
                "skipped {} malformed line{} of {}",
                self.skipped,
                if self.skipped == 1 { "" } else { "s" },
                self.lines
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_counts_or_stops() {
        let mut seen = Vec::new();
        let mut bad = BadLines::new(false, |loc: Location<'_>, why: &str| {
            seen.push(format!("{loc}: {why}"))
        });
        bad.read(3);
        let loc = |line| Location { file: "f", line };
        bad.bad(loc(2), "no".into(), true).unwrap();
        bad.bad(loc(3), "cut".into(), false).unwrap();
        let summary = bad.summary();
        assert_eq!(summary.skipped, 2);
        assert_eq!(
            summary.skipped_message().as_deref(),
            Some("skipped 2 malformed lines of 3")
        );
        assert_eq!(
            seen,
            [
                "f:2: no",
                "f:3: truncated last line (no newline at end): cut"
            ]
        );
        let mut strict = BadLines::new(true, |_: Location<'_>, _: &str| panic!("reported"));
        let err = strict.bad(loc(7), "no".into(), true).unwrap_err();
        assert_eq!(err.to_string(), "f:7: no");
        assert_eq!(ReadSummary::default().skipped_message(), None);
    }

    #[test]
    fn a_foreign_input_stops_after_five_lines_damaged_jsonl_does_not() {
        let line = |n, bytes: &'static [u8]| Line {
            input: 0,
            file: "t.csv",
            line: n,
            bytes,
            terminated: true,
        };
        let mut foreign = ForeignInput::default();
        for n in 1..5 {
            foreign
                .not_an_object(&line(n, b"570306133677760513,neutral,1.0"))
                .unwrap();
        }
        let err = foreign
            .not_an_object(&line(5, b"570306133677760514,positive,0.3"))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("t.csv: this is CSV, not JSON Lines"),
            "{err}"
        );
        assert!(err.to_string().contains("earful fetch t.csv"), "{err}");
        // Bad lines that do not start the input, or differ, are damage: no stop.
        let mut damaged = ForeignInput::default();
        for n in [2, 3, 4, 5, 6, 7] {
            damaged.not_an_object(&line(n, b"a,b")).unwrap();
        }
        let mut mixed = ForeignInput::default();
        for (n, text) in [
            (1, &b"a,b"[..]),
            (2, b"<p>"),
            (3, b"a,b"),
            (4, b"a,b"),
            (5, b"a,b"),
        ] {
            mixed.not_an_object(&line(n, text)).unwrap();
        }
        assert_eq!(foreign_kind(b"<!DOCTYPE html><html>"), Some("an HTML page"));
        assert_eq!(foreign_kind(b"{\"a\":1,"), None);
    }
}
