//! Reading for the filter stage: the block scan with the prefilter, or line by line, and
//! the bad-line rule.

use std::io::Write;

use super::{Filter, FilterSummary};
use crate::jsonl::{BadLines, Block, Finder, Input, Line, LineReader, Location, ReadError, Scan};
use crate::query::Prefilter;

/// Runs `filter` over `inputs`, writing kept lines to `out`; stops reading at the limit.
/// Malformed lines go to `report` (or end the run under `strict`).
///
/// With a prefilter, input is scanned in blocks of many lines, as ripgrep does: one literal
/// search and one scan for non-ASCII bytes and backslashes find the next line that may
/// match, and the lines before it are only counted.
pub fn run<W, R>(
    filter: &mut Filter,
    inputs: Vec<Input>,
    strict: bool,
    report: R,
    out: &mut W,
) -> Result<FilterSummary, ReadError>
where
    W: Write + ?Sized,
    R: FnMut(Location<'_>, &str),
{
    let mut lines = LineReader::new(inputs);
    let mut cx = LineCx {
        bad: BadLines::new(strict, report),
    };
    if let Some(pre) = filter.prefilter.clone() {
        while !filter.done() {
            match lines.next_candidate(&pre)? {
                None => break,
                Some(Scan::Skipped(block)) => cx.skip_lines(filter, block, out)?,
                Some(Scan::Candidate(line)) => cx.line(filter, line, out)?,
            }
        }
    } else {
        while !filter.done() {
            let Some(line) = lines.next_line()? else {
                break;
            };
            cx.line(filter, line, out)?;
        }
    }
    Ok(FilterSummary {
        read: cx.bad.summary(),
        kept: filter.kept,
    })
}

/// The prefilter finds lines worth parsing in the block scan.
impl Finder for Prefilter {
    fn find_literal(&self, bytes: &[u8]) -> Option<usize> {
        Prefilter::find_literal(self, bytes)
    }
    fn find_special(&self, bytes: &[u8]) -> Option<usize> {
        Prefilter::find_special(bytes)
    }
}

/// A cheap shape check for lines that are not parsed: `{` first and `}` last, ignoring
/// surrounding whitespace. It catches cut-short lines and lines that are not objects.
fn looks_like_object(line: &[u8]) -> bool {
    line.trim_ascii().first() == Some(&b'{') && line.trim_ascii().last() == Some(&b'}')
}

/// What handling one line needs besides the filter: the bad-line rule and its counts.
struct LineCx<R> {
    bad: BadLines<R>,
}

impl<R: FnMut(Location<'_>, &str)> LineCx<R> {
    /// Counts the lines of a block that the prefilter rules out, without parsing them. A
    /// line not shaped like an object (`{...}`: cut short, not JSON) goes through the full
    /// check, so it is reported, never dropped silently.
    fn skip_lines<W: Write + ?Sized>(
        &mut self,
        filter: &mut Filter,
        block: Block<'_>,
        out: &mut W,
    ) -> Result<(), ReadError> {
        for line in block.lines() {
            if looks_like_object(line.bytes) {
                self.bad.read(1);
            } else {
                self.line(filter, line, out)?;
            }
        }
        Ok(())
    }

    /// Counts, prefilters, parses and decides one non-blank line; reports it if malformed.
    fn line<W: Write + ?Sized>(
        &mut self,
        filter: &mut Filter,
        line: Line<'_>,
        out: &mut W,
    ) -> Result<(), ReadError> {
        self.bad.read(1);
        // Rejected on the raw bytes: no UTF-8 check, no parse.
        if filter
            .prefilter
            .as_ref()
            .is_some_and(|p| !p.may_match(line.bytes))
            && looks_like_object(line.bytes)
        {
            return Ok(());
        }
        self.bad
            .check(&line, |text| filter.parsed_line(text, out).map(drop))
    }
}
