//! Record streams: JSON Lines with per-line accounting, JSON arrays and pretty-printed
//! JSON values streamed element by element from a reader, and UTF-16 input.

use std::fmt;
use std::io::{self, BufRead, Read};

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
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

/// JSON values one after the other, pretty-printed or not (`twarc2 tweet --pretty`).
fn pretty_values<R: Read>(
    name: &str,
    reader: R,
    sink: &mut SocialSink<'_>,
    handle: &mut RecordFn<'_>,
) -> Result<(), SocialError> {
    sink.at_file(name);
    let values = serde_json::Deserializer::from_reader(io::BufReader::new(reader))
        .into_iter::<Box<RawValue>>();
    for (i, value) in values.enumerate() {
        let place = format!("{name}: value {}", i + 1);
        sink.at(Pos::Element(i as u64 + 1));
        match value {
            Err(e) if e.is_io() => {
                return Err(SocialError::Read {
                    file: name.to_owned(),
                    source: io::Error::other(e),
                });
            }
            Err(e) => {
                sink.summary.records += 1;
                let reason = format!(
                    "{} at line {} column {}",
                    json_error_kind(&e),
                    e.line(),
                    e.column()
                );
                return sink.skip(place, format!("{reason}; the rest of the file is not read"));
            }
            Ok(raw) if raw.get().starts_with('[') => {
                explode_array(&place, raw.get(), sink, handle)?
            }
            Ok(raw) => {
                sink.summary.records += 1;
                match handle_element(raw.get(), sink, handle) {
                    Ok(()) => {}
                    Err(Bad::Stop(e)) => return Err(e),
                    Err(Bad::Skip(reason)) => sink.skip(place, reason)?,
                }
            }
        }
    }
    Ok(())
}

fn json_error_kind(e: &serde_json::Error) -> &'static str {
    if e.is_eof() {
        "truncated JSON"
    } else {
        "invalid JSON"
    }
}

/// Streams the elements of a JSON array from `reader` (the array itself, or with
/// `key`, the array under that key of the top-level object), calling `handle` for each.
/// Only one element is held in memory at a time.
pub(crate) fn for_each_element<R: Read>(
    name: &str,
    reader: R,
    key: Option<&str>,
    sink: &mut SocialSink<'_>,
    handle: &mut RecordFn<'_>,
) -> Result<(), SocialError> {
    sink.at_file(name);
    let mut state = ElementState {
        name,
        sink,
        handle,
        stop: None,
        index: 0,
    };
    let mut de =
        serde_json::Deserializer::from_reader(io::BufReader::with_capacity(256 * 1024, reader));
    let res = match key {
        None => de.deserialize_seq(ElementsVisitor(&mut state)),
        Some(key) => de.deserialize_map(UnderKey {
            key,
            state: &mut state,
        }),
    };
    if let Some(stop) = state.stop.take() {
        return Err(stop);
    }
    match res {
        Ok(()) => Ok(()),
        Err(e) if e.is_io() => Err(SocialError::Read {
            file: name.to_owned(),
            source: io::Error::other(e),
        }),
        Err(e) => {
            let place = match state.index {
                0 => name.to_owned(),
                n => format!("{name}: element {}", n + 1),
            };
            state.sink.summary.records += 1;
            let reason = format!(
                "{} at line {} column {}; the rest of the file is not read",
                json_error_kind(&e),
                e.line(),
                e.column()
            );
            state.sink.skip(place, reason)
        }
    }
}

struct ElementState<'s, 'k, 'h, 'f> {
    name: &'s str,
    sink: &'s mut SocialSink<'k>,
    handle: &'h mut RecordFn<'f>,
    /// A fatal error from the handler (strict mode or a write error), kept out of serde.
    stop: Option<SocialError>,
    index: u64,
}

struct ElementsVisitor<'a, 's, 'k, 'h, 'f>(&'a mut ElementState<'s, 'k, 'h, 'f>);

impl<'de> Visitor<'de> for ElementsVisitor<'_, '_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let st = self.0;
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            st.index += 1;
            st.sink.summary.records += 1;
            st.sink.at(Pos::Element(st.index));
            let stop = match handle_element(raw.get(), st.sink, st.handle) {
                Ok(()) => None,
                Err(Bad::Stop(e)) => Some(e),
                Err(Bad::Skip(reason)) => {
                    let place = format!("{}: element {}", st.name, st.index);
                    st.sink.skip(place, reason).err()
                }
            };
            if let Some(stop) = stop {
                st.stop = Some(stop);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

struct UnderKey<'a, 'k2, 's, 'k, 'h, 'f> {
    key: &'k2 str,
    state: &'a mut ElementState<'s, 'k, 'h, 'f>,
}

impl<'de> Visitor<'de> for UnderKey<'_, '_, '_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object with `{}`", self.key)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(k) = map.next_key::<String>()? {
            if k == self.key {
                map.next_value_seed(Seed(&mut *self.state))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct Seed<'a, 's, 'k, 'h, 'f>(&'a mut ElementState<'s, 'k, 'h, 'f>);

impl<'de> DeserializeSeed<'de> for Seed<'_, '_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(ElementsVisitor(self.0))
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
