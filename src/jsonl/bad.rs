//! The bad-line rule, in one place: a malformed line is reported with its `file:line`,
//! counted and skipped, or ends the read under `--strict`; a rejected last line without a
//! newline says it was cut short; the summary says how many were skipped.

use super::{Line, LineError, Location, ReadError, ReadSummary};

/// Applies the bad-line rule and counts the lines of a read.
pub struct BadLines<R> {
    strict: bool,
    report: R,
    summary: ReadSummary,
}

impl<R: FnMut(Location<'_>, &str)> BadLines<R> {
    /// `report` receives each skipped line's location and reason; with `strict` the first
    /// bad line is an error instead.
    pub fn new(strict: bool, report: R) -> BadLines<R> {
        BadLines {
            strict,
            report,
            summary: ReadSummary::default(),
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
        match line.text().map_err(LineError::Malformed).and_then(handle) {
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
}
