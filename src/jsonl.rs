//! JSON Lines input and output: inputs (`-` is stdin), a line reader with reused buffers,
//! bad-line accounting, buffered output, and splicing fields into a line without
//! re-serialising it.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde_json::value::RawValue;

/// One input: standard input or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    Path(PathBuf),
}

impl Input {
    /// `-` is stdin, anything else a path.
    pub fn from_arg(arg: &Path) -> Input {
        if arg == Path::new("-") {
            Input::Stdin
        } else {
            Input::Path(arg.to_path_buf())
        }
    }

    /// The name used in messages: the path, or `<stdin>`.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_owned(),
            Input::Path(p) => p.display().to_string(),
        }
    }

    /// Opens the input for buffered reading.
    pub fn open(&self) -> io::Result<Box<dyn BufRead + Send>> {
        Ok(match self {
            Input::Stdin => {
                let stdin = io::stdin();
                grow_pipe(&stdin);
                Box::new(BufReader::with_capacity(256 * 1024, stdin))
            }
            Input::Path(p) => Box::new(BufReader::with_capacity(256 * 1024, File::open(p)?)),
        })
    }
}

/// Resolves positional arguments to inputs: none means stdin; `-` may appear once.
pub fn inputs_from_args(args: &[PathBuf]) -> Result<Vec<Input>, InputError> {
    if args.is_empty() {
        return Ok(vec![Input::Stdin]);
    }
    let inputs: Vec<Input> = args.iter().map(|a| Input::from_arg(a)).collect();
    if inputs.iter().filter(|i| **i == Input::Stdin).count() > 1 {
        return Err(InputError::StdinTwice);
    }
    Ok(inputs)
}

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("`-` (stdin) given more than once")]
    StdinTwice,
}

/// Where a line came from.
#[derive(Debug, Clone, Copy)]
pub struct Location<'a> {
    pub file: &'a str,
    pub line: u64,
}

impl std::fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// What a line handler says about a line it could not use.
#[derive(Debug, thiserror::Error)]
pub enum LineError {
    /// The line is malformed: reported, counted and skipped (fatal under `--strict`).
    #[error("{0}")]
    Malformed(String),
    /// Writing failed or something else that must stop the stage.
    #[error(transparent)]
    Fatal(#[from] io::Error),
}

impl LineError {
    /// A malformed-line error from a JSON parse error, worded for a one-line message.
    pub fn from_json(err: &serde_json::Error) -> LineError {
        let msg = err.to_string();
        // serde_json says "... at line 1 column 40"; the line number is ours to give.
        let msg = msg
            .strip_suffix(&format!(" at line {} column {}", err.line(), err.column()))
            .map(|m| format!("{m} at column {}", err.column()))
            .unwrap_or(msg);
        LineError::Malformed(if err.is_syntax() || err.is_eof() {
            format!("invalid JSON: {msg}")
        } else {
            msg
        })
    }
}

/// A malformed line found under `--strict`, or an I/O failure while reading.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{file}:{line}: {reason}")]
    Malformed {
        file: String,
        line: u64,
        reason: String,
    },
    #[error("reading {file}: {source}")]
    Read { file: String, source: io::Error },
    #[error(transparent)]
    Write(io::Error),
}

/// Counts from reading a stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadSummary {
    /// Non-blank lines read.
    pub lines: u64,
    /// Lines reported as malformed and skipped.
    pub skipped: u64,
}

/// Reads JSONL from `inputs` in order, calling `handle` with each non-blank line (as UTF-8,
/// BOM and line ending removed) that starts with `{`.
///
/// Lines that are not UTF-8, not objects, or that `handle` rejects as
/// [`LineError::Malformed`] are passed to `report` with their location and skipped; with
/// `strict` the first one ends the read with [`ReadError::Malformed`]. A last line without
/// a newline that is rejected is reported as truncated. Memory use is one line buffer.
pub fn for_each_line<F, R>(
    inputs: &[Input],
    strict: bool,
    mut report: R,
    mut handle: F,
) -> Result<ReadSummary, ReadError>
where
    F: FnMut(&str, Location<'_>) -> Result<(), LineError>,
    R: FnMut(Location<'_>, &str),
{
    let mut summary = ReadSummary::default();
    let mut lines = Lines::new(inputs.to_vec());
    while let Some(line) = lines.next_line()? {
        summary.lines += 1;
        let loc = line.location();
        let outcome = match &line.content {
            Ok(text) => handle(text, loc),
            Err(reason) => Err(LineError::Malformed(reason.clone())),
        };
        match outcome {
            Ok(()) => {}
            Err(LineError::Fatal(e)) => return Err(ReadError::Write(e)),
            Err(LineError::Malformed(reason)) => {
                let reason = line.explain(reason);
                if strict {
                    return Err(ReadError::Malformed {
                        file: loc.file.to_owned(),
                        line: loc.line,
                        reason,
                    });
                }
                summary.skipped += 1;
                report(loc, &reason);
            }
        }
    }
    Ok(summary)
}

/// Reads non-blank lines from inputs in order into one reused buffer.
pub struct Lines {
    raw: RawLines,
}

/// One non-blank line and where it came from.
pub struct Line<'a> {
    /// Index of the input in the list given to [`Lines::new`].
    pub input: usize,
    pub file: &'a str,
    pub line: u64,
    /// The line as text (BOM and line ending removed), or why it cannot be a record:
    /// not UTF-8, or not an object.
    pub content: Result<&'a str, String>,
    /// False for a last line without a newline (perhaps cut short).
    pub terminated: bool,
}

impl Line<'_> {
    pub fn location(&self) -> Location<'_> {
        Location {
            file: self.file,
            line: self.line,
        }
    }

    /// The reason a line was rejected, noting when it is a truncated last line.
    pub fn explain(&self, reason: String) -> String {
        explain(reason, self.terminated)
    }
}

/// Notes on a rejection when the line was a last line without a newline (cut short).
pub fn explain(reason: String, terminated: bool) -> String {
    if terminated {
        reason
    } else {
        format!("truncated last line (no newline at end): {reason}")
    }
}

impl Lines {
    pub fn new(inputs: Vec<Input>) -> Lines {
        Lines {
            raw: RawLines::new(inputs),
        }
    }

    /// The next non-blank line, or `None` at the end of the last input.
    pub fn next_line(&mut self) -> Result<Option<Line<'_>>, ReadError> {
        let Some(raw) = self.raw.next_line()? else {
            return Ok(None);
        };
        Ok(Some(Line {
            input: raw.input,
            file: raw.file,
            line: raw.line,
            content: raw.text(),
            terminated: raw.terminated,
        }))
    }
}

/// Reads non-blank lines as raw bytes, cut out of large blocks without a copy per line, for
/// stages that look at the bytes before deciding to decode a line (the filter prefilter).
/// Same line rules as [`Lines`]: BOM on the first line, `\r\n`, blank lines skipped.
pub struct RawLines {
    inputs: std::vec::IntoIter<Input>,
    current: Option<(String, Box<dyn BufRead + Send>)>,
    opened: usize,
    line_no: u64,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
}

/// One raw line of [`RawLines`] and where it came from.
pub struct RawLine<'a> {
    /// Index of the input in the list given to [`RawLines::new`].
    pub input: usize,
    pub file: &'a str,
    pub line: u64,
    /// BOM and line ending removed; not checked for UTF-8.
    pub bytes: &'a [u8],
    /// False for a last line without a newline (perhaps cut short).
    pub terminated: bool,
}

impl<'a> RawLine<'a> {
    pub fn location(&self) -> Location<'_> {
        Location {
            file: self.file,
            line: self.line,
        }
    }

    /// The line as text if it is UTF-8 and an object, else why not (as [`Lines`] says it).
    pub fn text(&self) -> Result<&'a str, String> {
        match std::str::from_utf8(self.bytes) {
            Err(e) => Err(format!("invalid UTF-8 at byte {}", e.valid_up_to() + 1)),
            Ok(line) => object_text(line),
        }
    }
}

/// `line` if it starts with `{`, else why it cannot be a record (as [`Lines`] says it).
pub fn object_text(line: &str) -> Result<&str, String> {
    if line.trim_start().starts_with('{') {
        Ok(line)
    } else {
        Err(not_an_object(line))
    }
}

/// A run of whole lines of one input, for scanning many lines at once ([`RawLines::next_block`]).
pub struct RawBlock<'a> {
    pub file: &'a str,
    /// The number of the first line in `bytes`.
    pub first_line: u64,
    /// Whole lines, each ending in `\n`, except a last line of the input without one.
    pub bytes: &'a [u8],
}

impl RawLines {
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
        (self.end, self.start) = (self.end - self.start, 0);
        if self.end == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        let n = reader
            .read(&mut self.buf[self.end..])
            .map_err(|source| ReadError::Read {
                file: name.clone(),
                source,
            })?;
        self.end += n;
        self.eof = n == 0;
        Ok(())
    }

    /// The next run of whole lines (blank ones included), up to the last newline read so far,
    /// or `None` at the end of the last input. Lines and blocks can be mixed.
    pub fn next_block(&mut self) -> Result<Option<RawBlock<'_>>, ReadError> {
        loop {
            if self.current.is_none() {
                if !self.open_next()? {
                    return Ok(None);
                }
                continue;
            }
            if self.line_no == 0
                && self.end - self.start >= 3
                && self.buf[self.start..].starts_with(b"\xef\xbb\xbf")
            {
                self.start += 3;
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
            let start = self.start;
            self.start += cut;
            let bytes = &self.buf[start..self.start];
            let first_line = self.line_no + 1;
            self.line_no += memchr::memchr_iter(b'\n', bytes).count() as u64;
            if bytes.last() != Some(&b'\n') {
                self.line_no += 1;
            }
            return Ok(Some(RawBlock {
                file: self.current.as_ref().map_or("", |(name, _)| name.as_str()),
                first_line,
                bytes,
            }));
        }
    }

    /// Block size: large reads bypass the input's own buffer.
    const BLOCK: usize = 1 << 20;

    pub fn new(inputs: Vec<Input>) -> RawLines {
        RawLines {
            inputs: inputs.into_iter(),
            current: None,
            opened: 0,
            line_no: 0,
            buf: vec![0; RawLines::BLOCK],
            start: 0,
            end: 0,
            eof: false,
        }
    }

    /// The next non-blank line, or `None` at the end of the last input.
    pub fn next_line(&mut self) -> Result<Option<RawLine<'_>>, ReadError> {
        let Some((start, end, terminated)) = self.advance()? else {
            return Ok(None);
        };
        Ok(Some(RawLine {
            input: self.opened.saturating_sub(1),
            file: self.current.as_ref().map_or("", |(name, _)| name.as_str()),
            line: self.line_no,
            bytes: &self.buf[start..end],
            terminated,
        }))
    }

    fn advance(&mut self) -> Result<Option<(usize, usize, bool)>, ReadError> {
        loop {
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
            let mut end = line_end;
            if end > line_start && self.buf[end - 1] == b'\r' {
                end -= 1;
            }
            let mut start = line_start;
            if self.line_no == 1 && self.buf[start..end].starts_with(b"\xef\xbb\xbf") {
                start += 3;
            }
            if !self.buf[start..end].iter().all(u8::is_ascii_whitespace) {
                return Ok(Some((start, end, terminated)));
            }
        }
    }
}

/// Why a line that does not start with `{` is rejected: valid JSON of another type, or
/// not JSON at all.
fn not_an_object(line: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(line) {
        Ok(value) => format!(
            "expected an object, found {}",
            match value {
                serde_json::Value::Array(_) => "an array",
                serde_json::Value::String(_) => "a string",
                serde_json::Value::Number(_) => "a number",
                serde_json::Value::Bool(_) => "a boolean",
                _ => "null",
            }
        ),
        Err(e) => LineError::from_json(&e).to_string(),
    }
}

/// Asks for a 1 MiB buffer when `fd` is a pipe (Linux's largest for an unprivileged user
/// by default; it keeps its 64 KiB otherwise). With the default, a stage that writes a
/// lot waits for the next one to read every 64 KiB, and the next one wakes that often.
/// Anything but a pipe, or a refusal, leaves things as they are.
fn grow_pipe(fd: &impl std::os::fd::AsFd) {
    #[cfg(target_os = "linux")]
    {
        let fd = fd.as_fd();
        if rustix::fs::fstat(fd).is_ok_and(|st| {
            rustix::fs::FileType::from_raw_mode(st.st_mode) == rustix::fs::FileType::Fifo
        }) && rustix::pipe::fcntl_getpipe_size(fd).is_ok_and(|n| n < PIPE_SIZE)
        {
            let _ = rustix::pipe::fcntl_setpipe_size(fd, PIPE_SIZE);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = fd;
}

/// The pipe buffer [`grow_pipe`] asks for.
#[cfg(target_os = "linux")]
const PIPE_SIZE: usize = 1 << 20;

/// Buffered output for records. Locked stdout or a file; flushed after every record when
/// writing to a terminal, in blocks otherwise.
pub struct Output {
    inner: BufWriter<Box<dyn Write>>,
    line_buffered: bool,
}

impl Output {
    /// Locked, buffered standard output.
    pub fn stdout() -> Output {
        let stdout = io::stdout();
        let line_buffered = stdout.is_terminal();
        if !line_buffered {
            grow_pipe(&stdout);
        }
        Output {
            inner: BufWriter::with_capacity(128 * 1024, Box::new(stdout.lock())),
            line_buffered,
        }
    }

    /// A file, created or truncated.
    pub fn file(path: &Path) -> io::Result<Output> {
        Ok(Output::from_writer(Box::new(File::create(path)?)))
    }

    /// `None` or `-` is stdout, anything else a file.
    pub fn from_arg(path: Option<&Path>) -> io::Result<Output> {
        match path {
            None => Ok(Output::stdout()),
            Some(p) if p == Path::new("-") => Ok(Output::stdout()),
            Some(p) => Output::file(p),
        }
    }

    /// Any writer, block-buffered.
    pub fn from_writer(w: Box<dyn Write>) -> Output {
        Output {
            inner: BufWriter::with_capacity(128 * 1024, w),
            line_buffered: false,
        }
    }

    /// Writes a block of whole records (each ending in a newline).
    pub fn write_records(&mut self, block: &[u8]) -> io::Result<()> {
        self.inner.write_all(block)?;
        if self.line_buffered {
            self.inner.flush()?;
        }
        Ok(())
    }

    /// Writes one line (a newline is added).
    pub fn write_line(&mut self, line: &[u8]) -> io::Result<()> {
        self.inner.write_all(line)?;
        self.end_record()
    }

    /// Serialises `value` as one compact JSON line.
    pub fn write_json<T: serde::Serialize>(&mut self, value: &T) -> io::Result<()> {
        serde_json::to_writer(&mut self.inner, value).map_err(io::Error::from)?;
        self.end_record()
    }

    /// Ends a record written through [`Write`]: newline, and a flush on a terminal.
    pub fn end_record(&mut self) -> io::Result<()> {
        self.inner.write_all(b"\n")?;
        if self.line_buffered {
            self.inner.flush()?;
        }
        Ok(())
    }

    /// Flushes; call at the end, since dropping a buffered writer swallows its error.
    pub fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes `line` (one JSON object) to `out` with `fields` set: each is a key and its value
/// already serialised as JSON.
///
/// When none of the keys occurs anywhere in the line, the fields are spliced in before
/// the closing brace and every other byte is kept as it was. Otherwise the object is
/// rebuilt from its raw members: existing keys keep their place and get the new value,
/// new keys go at the end, and all other values keep their exact bytes.
pub fn set_fields<W: Write + ?Sized>(
    line: &str,
    fields: &[(&str, &str)],
    out: &mut W,
) -> Result<(), LineError> {
    let trimmed = line.trim_end();
    if !fields.iter().any(|(key, _)| has_quoted(trimmed, key)) {
        return append_fields(line, fields, out);
    }
    let mut members: IndexMap<String, &RawValue> =
        serde_json::from_str(trimmed).map_err(|e| LineError::from_json(&e))?;
    let owned: Vec<Box<RawValue>> = fields
        .iter()
        .map(|(_, v)| RawValue::from_string((*v).to_owned()))
        .collect::<Result<_, _>>()
        .map_err(|e| LineError::Fatal(io::Error::other(e)))?;
    for ((key, _), value) in fields.iter().zip(&owned) {
        members.insert((*key).to_owned(), value);
    }
    out.write_all(b"{")?;
    for (i, (key, value)) in members.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write_member(out, key, value.get())?;
    }
    out.write_all(b"}")?;
    Ok(())
}

/// [`set_fields`] for a line whose object has none of the keys at its top level (the
/// caller knows): the fields are spliced in before the closing brace, and every other byte
/// is kept as it was.
pub fn append_fields<W: Write + ?Sized>(
    line: &str,
    fields: &[(&str, &str)],
    out: &mut W,
) -> Result<(), LineError> {
    let body = line
        .trim_end()
        .strip_suffix('}')
        .ok_or_else(|| LineError::Malformed("expected an object".to_owned()))?;
    let empty = body.trim_end() == "{" || body.trim() == "{";
    out.write_all(body.as_bytes())?;
    for (i, (key, value)) in fields.iter().enumerate() {
        if i > 0 || !empty {
            out.write_all(b",")?;
        }
        write_member(out, key, value)?;
    }
    out.write_all(b"}")?;
    Ok(())
}

/// `"key"` occurs in `line` (anywhere: a hit inside a string value only costs the slow
/// path). The searchers are built once per key and thread, as stages set the same few keys
/// on every line.
fn has_quoted(line: &str, key: &str) -> bool {
    use memchr::memmem::Finder;
    thread_local! {
        static FINDERS: RefCell<Vec<(String, Finder<'static>)>> = const { RefCell::new(Vec::new()) };
    }
    FINDERS.with(|cell| {
        let mut finders = cell.borrow_mut();
        let i = match finders.iter().position(|(k, _)| k == key) {
            Some(i) => i,
            None => {
                let quoted = serde_json::to_string(key).unwrap_or_default();
                finders.push((key.to_owned(), Finder::new(quoted.as_bytes()).into_owned()));
                finders.len() - 1
            }
        };
        finders[i].1.find(line.as_bytes()).is_some()
    })
}

/// True when `s` needs no escape in a JSON string.
pub fn is_plain(s: &str) -> bool {
    s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\')
}

fn write_member<W: Write + ?Sized>(out: &mut W, key: &str, value: &str) -> io::Result<()> {
    // Keys are field names: nearly always plain, written as they are.
    if is_plain(key) {
        out.write_all(b"\"")?;
        out.write_all(key.as_bytes())?;
        out.write_all(b"\":")?;
    } else {
        serde_json::to_writer(&mut *out, key).map_err(io::Error::from)?;
        out.write_all(b":")?;
    }
    out.write_all(value.as_bytes())
}

/// True when `err` (or anything in its chain) is a closed pipe: the reader has enough.
pub fn is_broken_pipe(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(err);
    while let Some(e) = cur {
        let io = e
            .downcast_ref::<io::Error>()
            .or(match e.downcast_ref::<ReadError>() {
                Some(ReadError::Write(io)) => Some(io),
                _ => None,
            });
        if io.is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe) {
            return true;
        }
        cur = e.source();
    }
    false
}

/// Reads a whole input into memory (for formats that are one document).
pub fn read_all(input: &Input) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    input.open()?.read_to_end(&mut buf)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn splice(line: &str, fields: &[(&str, &str)]) -> String {
        let mut out = Vec::new();
        set_fields(line, fields, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn set_fields_appends_without_touching_other_bytes() {
        assert_eq!(
            splice(r#"{"b": 1.50, "a":"x"}"#, &[("matches", r#"["q"]"#)]),
            r#"{"b": 1.50, "a":"x","matches":["q"]}"#
        );
        assert_eq!(splice("{}", &[("k", "1"), ("j", "2")]), r#"{"k":1,"j":2}"#);
        assert_eq!(splice("{ }", &[("k", "1")]), r#"{ "k":1}"#);
    }

    #[test]
    fn set_fields_replaces_in_place() {
        assert_eq!(
            splice(
                r#"{"id":"1","sentiment":{"score":0},"big":12345678901234567890123,"z":1}"#,
                &[("sentiment", r#"{"score":1}"#), ("labels", "[]")]
            ),
            r#"{"id":"1","sentiment":{"score":1},"big":12345678901234567890123,"z":1,"labels":[]}"#
        );
        // The key only inside a string value: rebuilt, still correct.
        assert_eq!(
            splice(r#"{"text":"\"labels\""}"#, &[("labels", "[1]")]),
            r#"{"text":"\"labels\"","labels":[1]}"#
        );
    }

    fn run(
        input: &[u8],
        strict: bool,
    ) -> (Result<ReadSummary, ReadError>, Vec<String>, Vec<String>) {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(input).unwrap();
        let inputs = vec![Input::Path(f.path().to_path_buf())];
        let mut seen = Vec::new();
        let mut bad = Vec::new();
        let res = for_each_line(
            &inputs,
            strict,
            |loc, why| bad.push(format!("{}: {why}", loc.line)),
            |line, _| {
                let _: serde_json::Value =
                    serde_json::from_str(line).map_err(|e| LineError::from_json(&e))?;
                seen.push(line.to_owned());
                Ok(())
            },
        );
        (res, seen, bad)
    }

    #[test]
    fn bad_lines_are_reported_with_line_numbers() {
        let (res, seen, bad) = run(
            b"\xef\xbb\xbf{\"a\":1}\r\n\n[1]\n{\"b\":\xff}\n{\"c\":\n{\"d\":2}\n{\"e\":",
            false,
        );
        let summary = res.unwrap();
        assert_eq!(seen, vec![r#"{"a":1}"#, r#"{"d":2}"#]);
        assert_eq!(summary.skipped, 4);
        assert_eq!(summary.lines, 6);
        assert_eq!(bad[0], "3: expected an object, found an array");
        assert!(bad[1].starts_with("4: invalid UTF-8"), "{}", bad[1]);
        assert!(bad[2].starts_with("5: invalid JSON: EOF"), "{}", bad[2]);
        assert!(bad[3].starts_with("7: truncated last line"), "{}", bad[3]);
    }

    #[test]
    fn strict_stops_at_the_first_bad_line() {
        let (res, seen, _) = run(b"{}\nnope\n{}\n", true);
        match res {
            Err(ReadError::Malformed { line, .. }) => assert_eq!(line, 2),
            other => panic!("expected malformed, got {other:?}"),
        }
        assert_eq!(seen.len(), 1);
    }

    #[test]
    fn stdin_only_once() {
        assert!(inputs_from_args(&["-".into(), "-".into()]).is_err());
        assert_eq!(inputs_from_args(&[]).unwrap(), vec![Input::Stdin]);
    }
}
