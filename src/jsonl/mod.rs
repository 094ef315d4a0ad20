//! JSON Lines, the format between stages: the one line reader ([`LineReader`]), the one
//! bad-line rule ([`BadLines`]), inputs (`-` is stdin), buffered output, and splicing fields
//! into a line without re-serialising it.

mod bad;
mod fields;
mod inout;
mod reader;

pub use bad::{BadLines, ForeignInput, explain};
pub use fields::{append_fields, is_plain, set_fields};
pub use inout::{Input, InputError, Output, inputs_from_args, read_all};
pub use reader::{
    Block, BlockLines, DEFAULT_MAX_RECORD, Finder, Line, LineReader, Scan, count_progress,
    max_record_size, object_text, set_max_record_size,
};

use std::io;

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
    /// The input could not be read; the cause is the error's source (so `{:#}` says it once).
    #[error("reading {file}")]
    Read {
        file: String,
        #[source]
        source: io::Error,
    },
    #[error(transparent)]
    Write(io::Error),
    /// The input is not JSON Lines but another format ([`ForeignInput`]).
    #[error(
        "{file}: this is {kind}, not JSON Lines (one mention per line): read it with \
         `earful fetch {file}` first"
    )]
    Foreign { file: String, kind: &'static str },
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
    report: R,
    mut handle: F,
) -> Result<ReadSummary, ReadError>
where
    F: FnMut(&str, Location<'_>) -> Result<(), LineError>,
    R: FnMut(Location<'_>, &str),
{
    let mut bad = BadLines::new(strict, report);
    let mut lines = LineReader::new(inputs.to_vec());
    while let Some(line) = lines.next_line()? {
        bad.read(1);
        let loc = line.location();
        bad.check(&line, |text| handle(text, loc))?;
    }
    Ok(bad.summary())
}

/// Why a line (or an array element) that does not start with `{` is rejected: valid JSON
/// of another type, or not JSON at all.
pub fn not_an_object(line: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

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
