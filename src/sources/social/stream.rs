//! Record streams: JSON Lines with per-line accounting, JSON arrays and pretty-printed
//! JSON values streamed element by element from a reader, and UTF-16 input.

use std::fmt;
use std::io::{self, BufRead, Read};

use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::{Bad, Pos, RecordFn, SocialError, SocialSink};
use crate::jsonl::{self, Block, Line, LineReader, ReadError};

/// The first complete JSON record in `text` (the start of a file): the first line when it
/// is one JSON value, else the first value however many lines it spans; for an array,
/// its first element. `None` when the head ends before the first record does.
pub(crate) fn first_json_record(text: &str) -> Option<String> {
    if text.trim_start().starts_with('[') {
        return first_element(text.trim_start());
    }
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<&RawValue>();
    let first = values.next()?.ok()?;
    let raw = first.get();
    if raw.starts_with('[') {
        return first_element(raw);
    }
    Some(raw.to_owned())
}

fn first_element(array: &str) -> Option<String> {
    struct First;
    impl<'de> Visitor<'de> for First {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an array")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            Ok(seq.next_element::<&RawValue>()?.map(|r| r.get().to_owned()))
        }
    }
    // Only the first element has to be complete: the head may stop mid-array.
    let mut de = serde_json::Deserializer::from_str(array);
    de.deserialize_seq(First).ok().flatten().or_else(|| {
        let mut de = serde_json::Deserializer::from_str(array);
        let mut out = None;
        let _ = de.deserialize_seq(FirstPartial(&mut out));
        out
    })
}

struct FirstPartial<'o>(&'o mut Option<String>);
impl<'de> Visitor<'de> for FirstPartial<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if let Some(r) = seq.next_element::<&RawValue>()? {
            *self.0 = Some(r.get().to_owned());
        }
        Err(de::Error::custom("stop"))
    }
}

/// Reads JSON records from `reader`: JSON Lines (one record per line, each bad line
/// reported with its number), one JSON array (each element a record), or JSON values
/// pretty-printed over several lines. An array on one line of a JSONL file is exploded.
pub(crate) fn json_records(
    name: &str,
    mut reader: Box<dyn BufRead>,
    sink: &mut SocialSink<'_>,
    handle: &mut RecordFn<'_>,
    parallel: Option<ParFn>,
) -> Result<(), SocialError> {
    let read_err = |source| SocialError::Read {
        file: name.to_owned(),
        source,
    };
    // Skip a BOM and leading blank space to see how the file starts.
    let first = loop {
        let buf = reader.fill_buf().map_err(read_err)?;
        if buf.is_empty() {
            return Ok(());
        }
        if buf.starts_with(b"\xef\xbb\xbf") {
            reader.consume(3);
            continue;
        }
        let ws = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
        if ws == 0 {
            break buf[0];
        }
        // Leading blank lines would shift line numbers: keep them in the line reader.
        if buf[..ws].contains(&b'\n') {
            break b'\n';
        }
        reader.consume(ws);
    };
    if first == b'[' {
        return for_each_element(name, reader, None, sink, handle);
    }
    if first == b'{' {
        let mut line = Vec::new();
        reader.read_until(b'\n', &mut line).map_err(read_err)?;
        let complete = std::str::from_utf8(&line)
            .ok()
            .is_some_and(|l| serde_json::from_str::<IgnoredAny>(l).is_ok());
        let rest = io::Cursor::new(line).chain(reader);
        if !complete {
            return pretty_values(name, rest, sink, handle);
        }
        let rest = Box::new(io::BufReader::with_capacity(256 * 1024, rest));
        return match parallel {
            Some(par) => lines_parallel(name, rest, sink, par),
            None => lines(name, rest, sink, handle),
        };
    }
    lines(name, reader, sink, handle)
}

/// JSON Lines, read by the one line reader ([`LineReader`]) and its line rules.
fn lines(
    name: &str,
    reader: Box<dyn BufRead>,
    sink: &mut SocialSink<'_>,
    handle: &mut RecordFn<'_>,
) -> Result<(), SocialError> {
    let mut lines = LineReader::from_reader(name, reader);
    sink.at_file(name);
    while let Some(line) = lines.next_line().map_err(|e| read_error(name, e))? {
        one_line(name, line, sink, handle)?;
    }
    Ok(())
}

/// A read error of the line reader as this module's error.
fn read_error(name: &str, err: ReadError) -> SocialError {
    match err {
        ReadError::Read { source, .. } => SocialError::Read {
            file: name.to_owned(),
            source,
        },
        other => SocialError::Read {
            file: name.to_owned(),
            source: io::Error::other(other),
        },
    }
}

/// A record handler that can run on several threads at once.
pub(crate) type ParFn = fn(&str, &mut SocialSink<'_>) -> Result<(), Bad>;

/// How many bytes of lines each batch of [`lines_parallel`] holds.
const BATCH: usize = 8 << 20;

/// [`lines`] on two threads: batches of whole lines are cut in two at a line end, each half
/// is normalised on its own thread, and the results are written in input order (so output,
/// line numbers and `--strict` behave exactly as with one thread).
fn lines_parallel(
    name: &str,
    reader: Box<dyn BufRead>,
    sink: &mut SocialSink<'_>,
    handle: ParFn,
) -> Result<(), SocialError> {
    sink.at_file(name);
    let mut lines = LineReader::from_reader(name, reader);
    let mut batch = Vec::with_capacity(BATCH + (1 << 20));
    loop {
        batch.clear();
        let mut first_line = None;
        while batch.len() < BATCH {
            let Some(block) = lines.next_block().map_err(|e| read_error(name, e))? else {
                break;
            };
            first_line.get_or_insert(block.first_line);
            batch.extend_from_slice(block.bytes);
        }
        let Some(first_line) = first_line else {
            return Ok(());
        };
        let half = batch.len() / 2;
        let mid = memchr::memchr(b'\n', &batch[half..]).map_or(batch.len(), |i| half + i + 1);
        let (first, second) = batch.split_at(mid);
        let halves = [
            Block {
                file: name,
                first_line,
                bytes: first,
            },
            Block {
                file: name,
                first_line: first_line + memchr::memchr_iter(b'\n', first).count() as u64,
                bytes: second,
            },
        ];
        let fork = sink.fork();
        let (a, b) = std::thread::scope(|scope| {
            let worker = {
                let fork = fork.clone();
                scope.spawn(move || chunk(name, halves[1], fork, handle))
            };
            let a = chunk(name, halves[0], fork, handle);
            (a, worker.join())
        });
        let b =
            b.map_err(|_| SocialError::Unsupported(format!("{name}: a reader thread failed")))?;
        for (worker, result) in [a, b] {
            sink.absorb(worker)?;
            result?;
        }
    }
}

/// The lines of `block` through a sink of their own.
fn chunk<'f>(
    name: &str,
    block: Block<'_>,
    fork: super::Fork<'f>,
    handle: ParFn,
) -> (super::Kept, Result<(), SocialError>) {
    let mut sink = SocialSink::kept(fork);
    let mut handle = handle;
    let mut result = Ok(());
    for line in block.lines() {
        if let Err(e) = one_line(name, line, &mut sink, &mut handle) {
            result = Err(e);
            break;
        }
    }
    (sink.into_kept(), result)
}

/// One non-blank line of a JSONL file: a record, or an array of records on one line.
fn one_line(
    name: &str,
    line: Line<'_>,
    sink: &mut SocialSink<'_>,
    handle: &mut RecordFn<'_>,
) -> Result<(), SocialError> {
    sink.at(Pos::Line(line.line));
    let outcome = match std::str::from_utf8(line.bytes) {
        Ok(text) if text.trim_start().starts_with('[') => {
            let place = format!("{name}:{}", line.line);
            return explode_array(&place, text.trim(), sink, handle);
        }
        _ => {
            sink.summary.records += 1;
            line.text()
                .map_err(Bad::Skip)
                .and_then(|text| handle(text, sink))
        }
    };
    match outcome {
        Ok(()) => Ok(()),
        Err(Bad::Stop(e)) => Err(e),
        Err(Bad::Skip(reason)) => {
            let reason = jsonl::explain(reason, line.terminated);
            sink.skip(format!("{name}:{}", line.line), reason)
        }
    }
}

/// Each element of an array given on one line.
fn explode_array(
    place: &str,
    line: &str,
    sink: &mut SocialSink<'_>,
    handle: &mut RecordFn<'_>,
) -> Result<(), SocialError> {
    match serde_json::from_str::<Vec<&RawValue>>(line) {
        Err(e) => sink.skip(place.to_owned(), super::json_reason(&e)),
        Ok(elements) => {
            for (i, el) in elements.into_iter().enumerate() {
                sink.summary.records += 1;
                match handle_element(el.get(), sink, handle) {
                    Ok(()) => {}
                    Err(Bad::Stop(e)) => return Err(e),
                    Err(Bad::Skip(reason)) => {
                        sink.skip(format!("{place}: element {}", i + 1), reason)?
                    }
                }
            }
            Ok(())
        }
    }
}

fn handle_element(
    json: &str,
    sink: &mut SocialSink<'_>,
    handle: &mut RecordFn<'_>,
) -> Result<(), Bad> {
    if json.starts_with('{') {
        handle(json, sink)
    } else {
        Err(Bad::Skip(jsonl::not_an_object(json)))
    }
}

/// JSON values one after the other, pretty-printed or not (`twarc2 tweet --pretty`), each
/// held only up to `--max-record-size` bytes ([`Scanner`]).
fn pretty_values<R: Read>(
    name: &str,
    reader: R,
    sink: &mut SocialSink<'_>,
    handle: &mut RecordFn<'_>,
) -> Result<(), SocialError> {
    sink.at_file(name);
    let read_err = |source| SocialError::Read {
        file: name.to_owned(),
        source,
    };
    let mut scan = Scanner::new(io::BufReader::new(reader));
    let limit = jsonl::max_record_size();
    let mut buf = Vec::new();
    for i in 1.. {
        if scan.peek().map_err(read_err)?.is_none() {
            break;
        }
        let place = format!("{name}: value {i}");
        sink.at(Pos::Element(i));
        let outcome = match scan.value(&mut buf, limit) {
            Err(Broken::Io(e)) => return Err(read_err(e)),
            Err(Broken::Stop(e)) => return Err(e),
            Err(Broken::Json(reason)) => {
                sink.summary.records += 1;
                return sink.skip(place, format!("{reason}; the rest of the file is not read"));
            }
            Ok(Some(len)) => Err(Bad::Skip(too_long(len, limit))),
            Ok(None) => match std::str::from_utf8(&buf) {
                Ok(json) if json.starts_with('[') => {
                    explode_array(&place, json, sink, handle)?;
                    continue;
                }
                Ok(json) => handle_element(json, sink, handle),
                Err(_) => Err(Bad::Skip("not UTF-8".into())),
            },
        };
        sink.summary.records += 1;
        match outcome {
            Ok(()) => {}
            Err(Bad::Stop(e)) => return Err(e),
            Err(Bad::Skip(reason)) => sink.skip(place, reason)?,
        }
    }
    Ok(())
}

/// The reason a record longer than `--max-record-size` is skipped.
fn too_long(len: u64, limit: usize) -> String {
    format!("a record of {len} bytes, longer than --max-record-size ({limit} bytes)")
}

/// Streams the elements of a JSON array from `reader` (the array itself, or with
/// `key`, the array under that key of the top-level object), calling `handle` for each.
/// Only one element is held in memory at a time, and at most `--max-record-size` bytes of
/// it: a longer element is skipped to its end without being kept, reported with its length
/// and counted (issue 14, item 7).
pub(crate) fn for_each_element<R: Read>(
    name: &str,
    reader: R,
    key: Option<&str>,
    sink: &mut SocialSink<'_>,
    handle: &mut RecordFn<'_>,
) -> Result<(), SocialError> {
    sink.at_file(name);
    let mut scan = Scanner::new(io::BufReader::with_capacity(256 * 1024, reader));
    let limit = jsonl::max_record_size();
    let mut buf = Vec::new();
    let mut index = 0u64;
    let result = (|| -> Result<(), Broken> {
        if let Some(key) = key
            && !scan.find_key(key)?
        {
            return Ok(());
        }
        scan.expect(b'[', "a JSON array")?;
        if scan.peek()? == Some(b']') {
            return Ok(());
        }
        loop {
            index += 1;
            sink.summary.records += 1;
            sink.at(Pos::Element(index));
            let place = || format!("{name}: element {index}");
            let outcome = match scan.value(&mut buf, limit)? {
                Some(len) => Err(Bad::Skip(too_long(len, limit))),
                None => match std::str::from_utf8(&buf) {
                    Ok(json) => handle_element(json, sink, handle),
                    Err(_) => Err(Bad::Skip("not UTF-8".into())),
                },
            };
            match outcome {
                Ok(()) => {}
                Err(Bad::Stop(e)) => return Err(Broken::Stop(e)),
                Err(Bad::Skip(reason)) => sink.skip(place(), reason).map_err(Broken::Stop)?,
            }
            match scan.peek()? {
                Some(b',') => scan.bump(),
                Some(b']') => return Ok(()),
                Some(_) => return Err(scan.invalid("`,` or `]` after an element")),
                None => return Err(scan.truncated()),
            }
        }
    })();
    match result {
        Ok(()) => Ok(()),
        Err(Broken::Stop(e)) => Err(e),
        Err(Broken::Io(source)) => Err(SocialError::Read {
            file: name.to_owned(),
            source,
        }),
        Err(Broken::Json(reason)) => {
            let place = match index {
                0 => name.to_owned(),
                n => format!("{name}: element {n}"),
            };
            sink.summary.records += u64::from(index == 0);
            sink.skip(place, format!("{reason}; the rest of the file is not read"))
        }
    }
}

/// Why a scan of a JSON array stopped early.
enum Broken {
    /// Reading failed.
    Io(io::Error),
    /// The array is cut short or its structure is broken.
    Json(String),
    /// `--strict`, or the output failed.
    Stop(SocialError),
}

impl From<io::Error> for Broken {
    fn from(e: io::Error) -> Broken {
        Broken::Io(e)
    }
}

/// A byte scanner that knows JSON strings and nesting and nothing else: it finds where one
/// value ends without parsing it (its handler parses it), so an element never has to be
/// held whole to be skipped.
struct Scanner<R> {
    reader: R,
    /// Lines before the current byte, for messages.
    line: u64,
}

impl<R: BufRead> Scanner<R> {
    fn new(reader: R) -> Scanner<R> {
        Scanner { reader, line: 1 }
    }

    /// The next byte that is not blank, not consumed; `None` at the end.
    fn peek(&mut self) -> io::Result<Option<u8>> {
        loop {
            let buf = self.reader.fill_buf()?;
            let Some(&first) = buf.first() else {
                return Ok(None);
            };
            let blank = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
            if blank == 0 {
                return Ok(Some(first));
            }
            self.line += memchr::memchr_iter(b'\n', &buf[..blank]).count() as u64;
            self.reader.consume(blank);
        }
    }

    fn bump(&mut self) {
        self.reader.consume(1);
    }

    fn truncated(&self) -> Broken {
        Broken::Json(format!("truncated JSON at line {}", self.line))
    }

    fn invalid(&self, expected: &str) -> Broken {
        Broken::Json(format!(
            "invalid JSON at line {}: expected {expected}",
            self.line
        ))
    }

    /// Consumes `byte` (after blanks), or fails naming `what` was expected.
    fn expect(&mut self, byte: u8, what: &str) -> Result<(), Broken> {
        match self.peek()? {
            Some(b) if b == byte => {
                self.bump();
                Ok(())
            }
            Some(_) => Err(self.invalid(what)),
            None => Err(self.truncated()),
        }
    }

    /// Reads the next value into `out` (cleared first). `None` when it fitted in `limit`
    /// bytes; else `Some(its length)`, `out` left empty and the value skipped to its end.
    fn value(&mut self, out: &mut Vec<u8>, limit: usize) -> Result<Option<u64>, Broken> {
        out.clear();
        let Some(first) = self.peek()? else {
            return Err(self.truncated());
        };
        let scalar = !matches!(first, b'{' | b'[' | b'"');
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        let (mut len, mut long) = (0u64, false);
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                if scalar {
                    break;
                }
                return Err(self.truncated());
            }
            let mut end = None;
            for (i, &b) in buf.iter().enumerate() {
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if b == b'\\' {
                        escaped = true;
                    } else if b == b'"' {
                        in_string = false;
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    continue;
                }
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth == 0 => {
                        end = Some(i);
                        break;
                    }
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    b',' if depth == 0 => {
                        end = Some(i);
                        break;
                    }
                    b if depth == 0 && b.is_ascii_whitespace() => {
                        end = Some(i);
                        break;
                    }
                    _ => {}
                }
            }
            let n = end.unwrap_or(buf.len());
            self.line += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
            len += n as u64;
            if !long && out.len() + n <= limit {
                out.extend_from_slice(&buf[..n]);
            } else if !long {
                long = true;
                *out = Vec::new();
            }
            self.reader.consume(n);
            if end.is_some() {
                break;
            }
        }
        if len == 0 {
            return Err(self.invalid("a value"));
        }
        Ok(long.then_some(len))
    }

    /// Moves to the value of `key` in the top-level object; false when it has none.
    fn find_key(&mut self, key: &str) -> Result<bool, Broken> {
        self.expect(b'{', "an object")?;
        let mut name = Vec::new();
        let mut skipped = Vec::new();
        loop {
            match self.peek()? {
                Some(b'}') => return Ok(false),
                Some(b'"') => {}
                Some(_) => return Err(self.invalid("a key")),
                None => return Err(self.truncated()),
            }
            if self.value(&mut name, 4096)?.is_some() {
                return Err(self.invalid("a key"));
            }
            self.expect(b':', "`:`")?;
            if serde_json::from_slice::<String>(&name).is_ok_and(|k| k == key) {
                return Ok(true);
            }
            // Another key's value is skipped, never kept.
            self.value(&mut skipped, 0)?;
            match self.peek()? {
                Some(b',') => self.bump(),
                Some(b'}') => return Ok(false),
                Some(_) => return Err(self.invalid("`,` or `}`")),
                None => return Err(self.truncated()),
            }
        }
    }
}

/// Skips a JavaScript assignment prefix (`window.YTD.tweets.part0 = `): everything up to and
/// including the first `=`. Returns false when there is no `=` before a `[` or `{`.
pub(crate) fn skip_assignment<R: BufRead>(reader: &mut R) -> io::Result<bool> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        let stop = buf
            .iter()
            .position(|&b| b == b'=' || b == b'[' || b == b'{');
        match stop {
            Some(i) if buf[i] == b'=' => {
                reader.consume(i + 1);
                return Ok(true);
            }
            Some(_) => return Ok(false),
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

/// Converts UTF-16 (either byte order, with a byte order mark) to UTF-8 while reading.
pub(crate) struct Utf16Reader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    output: Vec<u8>,
    pos: usize,
    done: bool,
}

impl<R: Read> Utf16Reader<R> {
    pub fn new(inner: R) -> Utf16Reader<R> {
        Utf16Reader {
            inner,
            // Sniffs the BOM, which picks the byte order, and removes it.
            decoder: encoding_rs::UTF_16LE.new_decoder(),
            input: vec![0; 32 * 1024],
            output: Vec::new(),
            pos: 0,
            done: false,
        }
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.output.len() {
            if self.done {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.input)?;
            let last = n == 0;
            let cap = self.decoder.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16);
            self.output.resize(cap, 0);
            let (_, _, written, _) =
                self.decoder
                    .decode_to_utf8(&self.input[..n], &mut self.output, last);
            self.output.truncate(written);
            self.pos = 0;
            self.done = last;
        }
        let n = buf.len().min(self.output.len() - self.pos);
        buf[..n].copy_from_slice(&self.output[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_is_converted() {
        let mut bytes = vec![0xff, 0xfe];
        for u in "{\"a\":\"é\"}\r\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let mut out = String::new();
        Utf16Reader::new(&bytes[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "{\"a\":\"é\"}\r\n");
        let mut be = vec![0xfe, 0xff];
        for u in "ok".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        let mut out = String::new();
        Utf16Reader::new(&be[..]).read_to_string(&mut out).unwrap();
        assert_eq!(out, "ok");
    }

    #[test]
    fn skips_javascript_assignments() {
        let mut r = io::Cursor::new(&b"window.YTD.tweets.part0 = [1]"[..]);
        assert!(skip_assignment(&mut r).unwrap());
        let mut rest = String::new();
        r.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, " [1]");
        let mut r = io::Cursor::new(&b"[1]"[..]);
        assert!(!skip_assignment(&mut r).unwrap());
    }

    #[test]
    fn first_records() {
        assert_eq!(
            first_json_record("{\"a\":1}\n{\"b\":").as_deref(),
            Some("{\"a\":1}")
        );
        assert_eq!(
            first_json_record("[{\"a\":1},{\"b\":").as_deref(),
            Some("{\"a\":1}")
        );
        assert_eq!(
            first_json_record("{\n \"a\": 1\n}\n").as_deref(),
            Some("{\n \"a\": 1\n}")
        );
        assert_eq!(first_json_record("{\"a\":"), None);
    }
}
