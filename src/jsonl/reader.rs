//! The one reader of JSON Lines: inputs in order, into one reused buffer, as single lines
//! or as blocks of many whole lines (for stages that scan bytes before parsing).
//!
//! Line rules, the same everywhere: a byte order mark at the start of an input is dropped,
//! `\r\n` ends a line like `\n`, blank lines are skipped (but counted in line numbers), and a
//! last line without a newline is read and flagged (`terminated: false`), so a rejection of
//! it can say it was cut short.

use std::io::{BufRead, Read};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::ProgressBar;

use super::{Input, Location, ReadError, not_an_object};

/// The longest line read as a record (`--max-record-size`), 8 MiB unless set. A longer line
/// is not held in memory: the reader skips to its end and hands over a short marker line in
/// its place, which [`Line::text`] rejects as a bad line naming its length.
static MAX_RECORD: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_RECORD);

/// The default of [`set_max_record_size`].
pub const DEFAULT_MAX_RECORD: usize = 8 << 20;

/// Sets the longest line read as a record, for every reader of this process.
pub fn set_max_record_size(bytes: usize) {
    MAX_RECORD.store(bytes.max(1024), Ordering::Relaxed);
}

/// The longest record read ([`set_max_record_size`]): a JSONL line, or an element of a
/// JSON array read by fetch.
pub fn max_record_size() -> usize {
    MAX_RECORD.load(Ordering::Relaxed)
}

/// The bar the next [`LineReader`] counts its reading on ([`count_progress`]).
static PROGRESS: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Makes the next [`LineReader`] made (only that one) count what it reads on `bar`:
/// bytes when the bar has a length (the inputs' total size), else lines. The reader adds
/// once per block read (up to 1 MiB), never per line, and clears the bar when dropped.
pub fn count_progress(bar: ProgressBar) {
    *PROGRESS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(bar);
}

/// Adds the bytes just read to the reader's bar, if it has one: their size, or the lines
/// they end when the bar counts lines.
fn tick(progress: &Option<ProgressBar>, bytes: &[u8]) {
    if let Some(bar) = progress {
        bar.inc(match bar.length() {
            Some(_) => bytes.len() as u64,
            None => memchr::memchr_iter(b'\n', bytes).count() as u64,
        });
    }
}

/// The first byte of the marker that stands for an over-long line: `\0` and its length.
const LONG_MARK: u8 = 0;

/// Room kept before the bytes read while skipping an over-long line, for its marker.
const MARK_ROOM: usize = 32;

/// Reads non-blank lines, or blocks of whole lines, from inputs in order.
pub struct LineReader {
    inputs: std::vec::IntoIter<Input>,
    current: Option<(String, Box<dyn BufRead>)>,
    opened: usize,
    line_no: u64,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    /// The block scan ([`LineReader::next_candidate`]): the end of the whole lines being
    /// scanned, and where the finder's next literal is in them (`usize::MAX`: none).
    scan_end: usize,
    literal: Option<usize>,
    /// Where the scan found its next candidate, when it stopped before that line to hand
    /// out the lines in between (`usize::MAX`: not known).
    found: usize,
    /// Where the marker of an over-long line is in `buf` (`usize::MAX`: none), so that the
    /// block scan hands it over as a candidate whatever the finder says.
    mark: usize,
    /// Where the bytes read are counted ([`count_progress`]).
    progress: Option<ProgressBar>,
}

impl Drop for LineReader {
    fn drop(&mut self) {
        if let Some(bar) = &self.progress {
            bar.finish_and_clear();
        }
    }
}

/// What a stage's prefilter looks for in raw bytes, for [`LineReader::next_candidate`].
pub trait Finder {
    /// The offset of the next byte that may make its line match (a literal the query
    /// needs). It may be far ahead: the reader remembers the answer across lines.
    fn find_literal(&self, bytes: &[u8]) -> Option<usize>;
    /// The offset of the first byte that makes its line need a full look (one the literal
    /// search cannot see through, such as an escape or a non-ASCII letter).
    fn find_special(&self, bytes: &[u8]) -> Option<usize>;
}

/// One step of the block scan.
#[derive(Debug)]
pub enum Scan<'a> {
    /// Whole lines in which the finder found nothing: to be counted, not parsed.
    Skipped(Block<'a>),
    /// A non-blank line in which the finder found something.
    Candidate(Line<'a>),
}

/// One non-blank line and where it came from.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// Index of the input in the list given to [`LineReader::new`].
    pub input: usize,
    pub file: &'a str,
    pub line: u64,
    /// BOM and line ending removed; not checked for UTF-8.
    pub bytes: &'a [u8],
    /// False for a last line without a newline (perhaps cut short).
    pub terminated: bool,
}

impl<'a> Line<'a> {
    pub fn location(&self) -> Location<'a> {
        Location {
            file: self.file,
            line: self.line,
        }
    }

    /// The line as text if it is UTF-8 and an object, else why it cannot be a record.
    pub fn text(&self) -> Result<&'a str, String> {
        if let Some(len) = self.bytes.strip_prefix(&[LONG_MARK]) {
            let len = String::from_utf8_lossy(len);
            return Err(format!(
                "line of {len} bytes, longer than --max-record-size ({} bytes): skipped unread",
                MAX_RECORD.load(Ordering::Relaxed)
            ));
        }
        match std::str::from_utf8(self.bytes) {
            Err(e) => Err(format!("invalid UTF-8 at byte {}", e.valid_up_to() + 1)),
            Ok(line) => object_text(line),
        }
    }
}

/// `line` if it starts with `{`, else why it cannot be a record.
pub fn object_text(line: &str) -> Result<&str, String> {
    if line.trim_start().starts_with('{') {
        Ok(line)
    } else {
        Err(not_an_object(line))
    }
}

/// A run of whole lines of one input ([`LineReader::next_block`]).
#[derive(Debug, Clone, Copy)]
pub struct Block<'a> {
    pub file: &'a str,
    /// The number of the first line in `bytes`.
    pub first_line: u64,
    /// Whole lines, each ending in `\n`, except a last line of the input without one; a
    /// BOM at the start of an input is still there ([`Block::lines`] drops it).
    pub bytes: &'a [u8],
}

impl<'a> Block<'a> {
    /// The non-blank lines of the block, numbered, by the reader's line rules
    /// (`input` is 0).
    pub fn lines(&self) -> BlockLines<'a> {
        BlockLines {
            file: self.file,
            rest: self.bytes,
            line: self.first_line,
        }
    }
}

/// The lines of a [`Block`].
pub struct BlockLines<'a> {
    file: &'a str,
    rest: &'a [u8],
    line: u64,
}

impl<'a> Iterator for BlockLines<'a> {
    type Item = Line<'a>;

    #[inline]
    fn next(&mut self) -> Option<Line<'a>> {
        while !self.rest.is_empty() {
            let (bytes, terminated) = match memchr::memchr(b'\n', self.rest) {
                Some(nl) => {
                    let bytes = &self.rest[..nl];
                    self.rest = &self.rest[nl + 1..];
                    (bytes, true)
                }
                None => (std::mem::take(&mut self.rest), false),
            };
            let line = self.line;
            self.line += 1;
            if let Some(range) = content(bytes, line) {
                return Some(Line {
                    input: 0,
                    file: self.file,
                    line,
                    bytes: &bytes[range],
                    terminated,
                });
            }
        }
        None
    }
}

/// Where the content of a line is (its `\r`, and on line 1 a BOM, left out); `None` for a
/// blank line.
#[inline]
fn content(bytes: &[u8], line: u64) -> Option<std::ops::Range<usize>> {
    let end = bytes.len() - usize::from(bytes.ends_with(b"\r"));
    let start = if line == 1 && bytes[..end].starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    (!bytes[start..end].iter().all(u8::is_ascii_whitespace)).then_some(start..end)
}

impl LineReader {
    /// Block size: large reads bypass the input's own buffer.
    const BLOCK: usize = 1 << 20;

    pub fn new(inputs: Vec<Input>) -> LineReader {
        LineReader {
            inputs: inputs.into_iter(),
            current: None,
            opened: 0,
            line_no: 0,
            buf: vec![0; LineReader::BLOCK],
            start: 0,
            end: 0,
            eof: false,
            scan_end: 0,
            literal: None,
            found: usize::MAX,
            mark: usize::MAX,
            progress: PROGRESS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take(),
        }
    }

    /// A reader over one stream that is already open, named `name` in messages.
    pub fn from_reader(name: &str, reader: Box<dyn BufRead>) -> LineReader {
        let mut lines = LineReader::new(Vec::new());
        lines.current = Some((name.to_owned(), reader));
        lines.opened = 1;
        lines
    }

    /// Opens the next input; false when there is none.
    fn open_next(&mut self) -> Result<bool, ReadError> {
        let Some(input) = self.inputs.next() else {
            return Ok(false);
        };
        let name = input.name();
        let reader = input.open().map_err(|source| ReadError::Read {
            file: name.clone(),
            source,
        })?;
        (self.line_no, self.start, self.end, self.eof) = (0, 0, 0, false);
        self.scan_end = 0;
        self.opened += 1;
        self.current = Some((name, reader));
        Ok(true)
    }

    /// Moves the unread bytes to the front of the buffer (growing it when full) and reads
    /// more from the current input.
    fn refill(&mut self) -> Result<(), ReadError> {
        let Some((name, reader)) = &mut self.current else {
            return Ok(());
        };
        self.buf.copy_within(self.start..self.end, 0);
        self.mark = self.mark.checked_sub(self.start).unwrap_or(usize::MAX);
        (self.end, self.start) = (self.end - self.start, 0);
        let err = |source| ReadError::Read {
            file: name.clone(),
            source,
        };
        // Called only when the unread bytes hold no newline: they are one partial line.
        if self.end >= MAX_RECORD.load(Ordering::Relaxed) {
            let mut len = self.end as u64;
            loop {
                let n = reader.read(&mut self.buf[MARK_ROOM..]).map_err(err)?;
                tick(&self.progress, &self.buf[MARK_ROOM..MARK_ROOM + n]);
                let nl = memchr::memchr(b'\n', &self.buf[MARK_ROOM..MARK_ROOM + n]);
                len += nl.unwrap_or(n) as u64;
                if n > 0 && nl.is_none() {
                    continue;
                }
                // The marker ends where the line ended; the bytes after it stay.
                let mark = format!("{}{len}", LONG_MARK as char);
                let line_end = MARK_ROOM + nl.unwrap_or(0);
                self.start = line_end - mark.len();
                self.buf[self.start..line_end].copy_from_slice(mark.as_bytes());
                self.end = if n == 0 { line_end } else { MARK_ROOM + n };
                self.mark = self.start;
                self.eof = n == 0;
                break;
            }
            (self.scan_end, self.found) = (0, usize::MAX);
            return Ok(());
        }
        if self.end == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        let n = reader.read(&mut self.buf[self.end..]).map_err(err)?;
        tick(&self.progress, &self.buf[self.end..self.end + n]);
        self.end += n;
        self.eof = n == 0;
        // The bytes moved: no region of the block scan is left.
        (self.scan_end, self.found) = (0, usize::MAX);
        Ok(())
    }

    /// The name of the input being read.
    fn file(&self) -> &str {
        self.current.as_ref().map_or("", |(name, _)| name.as_str())
    }

    /// Makes the whole lines read so far (up to the last newline, or the end of an input)
    /// the region at `start..scan_end`, reading more when there is none; false at the end
    /// of the last input.
    fn next_region(&mut self) -> Result<bool, ReadError> {
        loop {
            if crate::exit::interrupted() {
                return Ok(false);
            }
            if self.current.is_none() {
                if !self.open_next()? {
                    return Ok(false);
                }
                continue;
            }
            let pending = &self.buf[self.start..self.end];
            let cut = match memchr::memrchr(b'\n', pending) {
                Some(nl) => nl + 1,
                _ if self.eof && !pending.is_empty() => pending.len(),
                _ if self.eof => {
                    self.current = None;
                    continue;
                }
                _ => {
                    self.refill()?;
                    continue;
                }
            };
            self.scan_end = self.start + cut;
            (self.literal, self.found) = (None, usize::MAX);
            return Ok(true);
        }
    }

    /// Takes `start..to` of the region as a block of whole lines.
    fn take_block(&mut self, to: usize) -> Block<'_> {
        let start = self.start;
        self.start = to;
        let first_line = self.line_no + 1;
        let bytes = &self.buf[start..to];
        self.line_no += memchr::memchr_iter(b'\n', bytes).count() as u64;
        if bytes.last() != Some(&b'\n') {
            self.line_no += 1;
        }
        Block {
            file: self.current.as_ref().map_or("", |(name, _)| name.as_str()),
            first_line,
            bytes: &self.buf[start..to],
        }
    }

    /// The next run of whole lines (blank ones included), up to the last newline read so far,
    /// or `None` at the end of the last input. Lines and blocks can be mixed.
    pub fn next_block(&mut self) -> Result<Option<Block<'_>>, ReadError> {
        if self.start >= self.scan_end && !self.next_region()? {
            return Ok(None);
        }
        self.found = usize::MAX;
        Ok(Some(self.take_block(self.scan_end)))
    }

    /// The block scan, as ripgrep does it: one search for the finder's literal and one for
    /// its special bytes over many lines at once find the next line worth parsing; the lines
    /// before it come back as one [`Scan::Skipped`] block, to be counted without parsing.
    /// `None` at the end of the last input.
    pub fn next_candidate<F: Finder>(&mut self, finder: &F) -> Result<Option<Scan<'_>>, ReadError> {
        loop {
            if self.start >= self.scan_end && !self.next_region()? {
                return Ok(None);
            }
            let (pos, end) = (self.start, self.scan_end);
            let bytes = &self.buf[..end];
            let literal = *self.literal.get_or_insert_with(|| {
                finder
                    .find_literal(&bytes[pos..])
                    .map_or(usize::MAX, |i| pos + i)
            });
            let next = match std::mem::replace(&mut self.found, usize::MAX) {
                found if found != usize::MAX => found,
                _ => finder
                    .find_special(&bytes[pos..literal.min(end)])
                    .map_or(literal, |i| pos + i),
            };
            // An over-long line's marker is always looked at (and reported).
            let next = if (pos..end).contains(&self.mark) {
                next.min(self.mark)
            } else {
                next
            };
            if next == usize::MAX {
                return Ok(Some(Scan::Skipped(self.take_block(end))));
            }
            let line_start = memchr::memrchr(b'\n', &bytes[pos..next]).map_or(pos, |i| pos + i + 1);
            if line_start > pos {
                self.found = next;
                return Ok(Some(Scan::Skipped(self.take_block(line_start))));
            }
            let (line_end, terminated) = match memchr::memchr(b'\n', &bytes[pos..end]) {
                Some(i) => (pos + i, true),
                None => (end, false),
            };
            self.start = (line_end + 1).min(end);
            self.line_no += 1;
            if literal < self.start {
                self.literal = None;
            }
            if let Some(range) = content(&self.buf[pos..line_end], self.line_no) {
                return Ok(Some(Scan::Candidate(Line {
                    input: self.opened.saturating_sub(1),
                    file: self.current.as_ref().map_or("", |(name, _)| name.as_str()),
                    line: self.line_no,
                    bytes: &self.buf[pos + range.start..pos + range.end],
                    terminated,
                })));
            }
        }
    }

    /// The next non-blank line, or `None` at the end of the last input.
    pub fn next_line(&mut self) -> Result<Option<Line<'_>>, ReadError> {
        let Some((start, end, terminated)) = self.advance()? else {
            return Ok(None);
        };
        Ok(Some(Line {
            input: self.opened.saturating_sub(1),
            file: self.file(),
            line: self.line_no,
            bytes: &self.buf[start..end],
            terminated,
        }))
    }

    fn advance(&mut self) -> Result<Option<(usize, usize, bool)>, ReadError> {
        loop {
            // SIGINT/SIGTERM: end the input here, on a whole line.
            if crate::exit::interrupted() {
                return Ok(None);
            }
            if self.current.is_none() {
                if !self.open_next()? {
                    return Ok(None);
                }
                continue;
            }
            let pending = &self.buf[self.start..self.end];
            let (line_start, line_end, terminated) = match memchr::memchr(b'\n', pending) {
                Some(nl) => (self.start, self.start + nl, true),
                None if self.eof && self.start < self.end => (self.start, self.end, false),
                None if self.eof => {
                    self.current = None;
                    continue;
                }
                None => {
                    self.refill()?;
                    continue;
                }
            };
            self.start = line_end + usize::from(terminated);
            self.line_no += 1;
            if let Some(range) = content(&self.buf[line_start..line_end], self.line_no) {
                return Ok(Some((
                    line_start + range.start,
                    line_start + range.end,
                    terminated,
                )));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(bytes: &'static [u8]) -> LineReader {
        LineReader::from_reader("t", Box::new(bytes))
    }

    /// A stream that gives at most `n` bytes a read, as pipes and chained readers do.
    struct Trickle(&'static [u8], usize);
    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn trickle(bytes: &'static [u8], n: usize) -> LineReader {
        LineReader::from_reader(
            "t",
            Box::new(std::io::BufReader::with_capacity(1, Trickle(bytes, n))),
        )
    }

    /// Reads every line of `lines` with a bar of `len` on it; the bar's position after.
    fn counted(mut lines: LineReader, len: Option<u64>) -> u64 {
        let bar = ProgressBar::hidden();
        bar.set_length(len.unwrap_or(0));
        if len.is_none() {
            bar.unset_length();
        }
        lines.progress = Some(bar.clone());
        while lines.next_line().unwrap().is_some() {}
        bar.position()
    }

    #[test]
    fn progress_counts_bytes_or_lines_read() {
        let text = b"{\"a\":1}\n\n{\"b\":2}\r\n{\"c\":3}";
        let total = Some(text.len() as u64);
        assert_eq!(counted(trickle(text, 3), total), text.len() as u64);
        assert_eq!(counted(reader(text), total), text.len() as u64);
        // Lines ended by a newline, blank ones too.
        assert_eq!(counted(trickle(text, 3), None), 3);
    }

    #[test]
    fn lines_and_blocks_follow_the_same_rules() {
        let text = b"\xef\xbb\xbf{\"a\":1}\r\n\n  \n{\"b\":2}\n{\"c\":";
        let mut lines = reader(text);
        let mut by_line = Vec::new();
        while let Some(l) = lines.next_line().unwrap() {
            by_line.push((l.line, l.bytes.to_vec(), l.terminated));
        }
        let mut blocks = reader(text);
        let mut by_block = Vec::new();
        while let Some(b) = blocks.next_block().unwrap() {
            by_block.extend(b.lines().map(|l| (l.line, l.bytes.to_vec(), l.terminated)));
        }
        assert_eq!(by_line, by_block);
        assert_eq!(
            by_line,
            vec![
                (1, b"{\"a\":1}".to_vec(), true),
                (4, b"{\"b\":2}".to_vec(), true),
                (5, b"{\"c\":".to_vec(), false),
            ]
        );
    }

    #[test]
    fn text_says_why_a_line_is_not_a_record() {
        let line = |bytes: &'static [u8]| Line {
            input: 0,
            file: "t",
            line: 1,
            bytes,
            terminated: true,
        };
        assert_eq!(line(b" {}").text(), Ok(" {}"));
        assert_eq!(
            line(b"[1]").text(),
            Err("expected an object, found an array".to_owned())
        );
        assert_eq!(
            line(b"\xff").text(),
            Err("invalid UTF-8 at byte 1".to_owned())
        );
    }

    /// Finds `x` as the literal and `\\` as the special byte.
    struct Xs;
    impl Finder for Xs {
        fn find_literal(&self, bytes: &[u8]) -> Option<usize> {
            memchr::memchr(b'x', bytes)
        }
        fn find_special(&self, bytes: &[u8]) -> Option<usize> {
            memchr::memchr(b'\\', bytes)
        }
    }

    proptest::proptest! {
        /// Blocks and the block scan hand out every line next_line reads, in order, with
        /// the same numbers, however the stream is cut into reads; the scan's candidates are
        /// exactly the lines the finder finds something in.
        #[test]
        fn block_scan_sees_every_line(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "a", "x", "\\", "\r", "\n", "\n", " ", "{", "}", "\u{feff}",
            ]), 0..200),
            step in 1usize..8,
        ) {
            let text: &'static [u8] = parts.concat().into_bytes().leak();
            let mut want = Vec::new();
            let mut lines = reader(text);
            while let Some(l) = lines.next_line().unwrap() {
                want.push((l.line, l.bytes.to_vec(), l.terminated));
            }
            let mut blocks = Vec::new();
            let mut by_block = trickle(text, step);
            while let Some(b) = by_block.next_block().unwrap() {
                blocks.extend(b.lines().map(|l| (l.line, l.bytes.to_vec(), l.terminated)));
            }
            // At the end it stays at the end.
            proptest::prop_assert!(by_block.next_block().unwrap().is_none());
            proptest::prop_assert_eq!(&blocks, &want);
            let mut got = Vec::new();
            let mut scan = trickle(text, step);
            while let Some(step) = scan.next_candidate(&Xs).unwrap() {
                match step {
                    Scan::Skipped(block) => {
                        for l in block.lines() {
                            proptest::prop_assert!(!l.bytes.iter().any(|b| *b == b'x' || *b == b'\\'));
                            got.push((l.line, l.bytes.to_vec(), l.terminated));
                        }
                    }
                    Scan::Candidate(l) => {
                        proptest::prop_assert!(l.bytes.iter().any(|b| *b == b'x' || *b == b'\\'));
                        got.push((l.line, l.bytes.to_vec(), l.terminated));
                    }
                }
            }
            proptest::prop_assert_eq!(got, want);
        }
    }
}
