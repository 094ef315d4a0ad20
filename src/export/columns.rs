//! `--columns`: which columns a table format writes, and the check that every name is a
//! schema field or a pass-through field the data has.

use std::fmt;
use std::io;

use serde_json::Value;

use super::{DEFAULT_COLUMNS, RecordWriter, lookup};
use crate::jsonl::LineError;

/// Columns that are always known: the default CSV columns and the schema's other paths.
pub fn known_columns() -> impl Iterator<Item = &'static str> {
    const OTHERS: [&str; 6] = [
        "author",
        "author.url",
        "metrics",
        "sentiment",
        "source",
        "source.group",
    ];
    DEFAULT_COLUMNS.iter().chain(&OTHERS).copied()
}

/// How many mentions are read, at most, looking for a column that is not in the schema
/// before it is called unknown.
pub const COLUMN_LOOKAHEAD: usize = 1_000;

/// The columns a `--columns` value names, and those not in the schema (to be seen in the
/// data). `+name` entries add to `default`; otherwise the list replaces it. Names are trimmed.
pub fn parse_columns(
    spec: &[String],
    default: &[&str],
) -> Result<(Vec<String>, Vec<String>), String> {
    let names: Vec<&str> = spec.iter().map(|c| c.trim()).collect();
    if names
        .iter()
        .any(|n| n.trim_start_matches('+').trim().is_empty())
    {
        return Err("expected comma-separated dotted paths, found an empty one".to_owned());
    }
    let added = names.iter().filter(|n| n.starts_with('+')).count();
    let columns: Vec<String> = if added == 0 {
        names.iter().map(|n| (*n).to_owned()).collect()
    } else if added == names.len() {
        let extra = names.iter().map(|n| n[1..].trim().to_owned());
        default
            .iter()
            .map(|c| (*c).to_owned())
            .chain(extra)
            .collect()
    } else {
        return Err(
            "either list the columns (id,text) or add to the default ones (+airline), not both"
                .to_owned(),
        );
    };
    let unknown = columns
        .iter()
        .filter(|c| !known_columns().any(|k| k == c.as_str()))
        .cloned()
        .collect();
    Ok((columns, unknown))
}

/// A column neither in the schema nor in the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownColumns(pub Vec<String>);

impl fmt::Display for UnknownColumns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.0.iter().map(|c| format!("{c:?}")).collect();
        let known: Vec<&str> = known_columns().collect();
        write!(
            f,
            "--columns: unknown column {} (not in the schema, and no mention among the first \
             {COLUMN_LOOKAHEAD} has it); known columns: {}",
            names.join(", "),
            known.join(", ")
        )
    }
}

type Build<'w> = Box<dyn FnOnce() -> io::Result<Box<dyn RecordWriter + 'w>> + 'w>;

/// A writer that is built only once every column not in the schema was seen in a mention:
/// until then (at most [`COLUMN_LOOKAHEAD`] mentions) mentions are held. When one stays
/// unseen, nothing is built (no output file is created) and [`ColumnCheck::refused`] says
/// why. An input without mentions has nothing to check against and is accepted.
pub struct ColumnCheck<'w> {
    unseen: Vec<String>,
    held: Vec<(String, Value)>,
    build: Option<Build<'w>>,
    writer: Option<Box<dyn RecordWriter + 'w>>,
    refused: Option<UnknownColumns>,
}

impl<'w> ColumnCheck<'w> {
    /// Builds the writer at once when `unseen` is empty.
    pub fn new(
        unseen: Vec<String>,
        build: impl FnOnce() -> io::Result<Box<dyn RecordWriter + 'w>> + 'w,
    ) -> io::Result<ColumnCheck<'w>> {
        let mut check = ColumnCheck {
            unseen,
            held: Vec::new(),
            build: Some(Box::new(build)),
            writer: None,
            refused: None,
        };
        if check.unseen.is_empty() {
            check.release()?;
        }
        Ok(check)
    }

    /// The columns found neither in the schema nor in the data, once that is known.
    pub fn refused(&self) -> Option<&UnknownColumns> {
        self.refused.as_ref()
    }

    fn release(&mut self) -> io::Result<()> {
        if !self.unseen.is_empty() && !self.held.is_empty() {
            let refused = UnknownColumns(std::mem::take(&mut self.unseen));
            let err = io::Error::new(io::ErrorKind::InvalidInput, refused.to_string());
            self.refused = Some(refused);
            return Err(err);
        }
        let build = self
            .build
            .take()
            .expect("release runs once: the writer is built once");
        let mut writer = build()?;
        for (line, record) in self.held.drain(..) {
            writer.write(&line, &record).map_err(|e| match e {
                LineError::Fatal(e) => e,
                LineError::Malformed(why) => io::Error::other(why),
            })?;
        }
        self.writer = Some(writer);
        Ok(())
    }
}

impl RecordWriter for ColumnCheck<'_> {
    fn write(&mut self, line: &str, record: &Value) -> Result<(), LineError> {
        if let Some(writer) = &mut self.writer {
            return writer.write(line, record);
        }
        if self.refused.is_some() {
            return Err(LineError::Fatal(io::Error::other("unknown columns")));
        }
        self.unseen.retain(|c| lookup(record, c).is_none());
        self.held.push((line.to_owned(), record.clone()));
        if self.unseen.is_empty() || self.held.len() >= COLUMN_LOOKAHEAD {
            self.release()?;
        }
        Ok(())
    }

    fn reads_record(&self) -> bool {
        self.writer.as_ref().is_none_or(|w| w.reads_record())
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.writer.is_none() && self.refused.is_none() {
            self.release()?;
        }
        match &mut self.writer {
            Some(writer) => writer.finish(),
            None => Err(io::Error::other("unknown columns")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(s: &str) -> Vec<String> {
        s.split(',').map(str::to_owned).collect()
    }

    #[test]
    fn parses_lists_and_additions() {
        let (columns, unknown) = parse_columns(&spec(" id , author.handle,airline "), &[]).unwrap();
        assert_eq!(columns, ["id", "author.handle", "airline"]);
        assert_eq!(unknown, ["airline"]);
        let (columns, unknown) =
            parse_columns(&spec("+airline, +negativereason"), &["id", "text"]).unwrap();
        assert_eq!(columns, ["id", "text", "airline", "negativereason"]);
        assert_eq!(unknown, ["airline", "negativereason"]);
        assert!(parse_columns(&spec("id,+airline"), &["id"]).is_err());
        assert!(parse_columns(&spec("id,,text"), &["id"]).is_err());
        assert!(parse_columns(&spec("+"), &["id"]).is_err());
    }

    /// A writer that records what it was given, to see what the check lets through.
    struct Lines<'a>(&'a mut Vec<String>);
    impl RecordWriter for Lines<'_> {
        fn write(&mut self, line: &str, _: &Value) -> Result<(), LineError> {
            self.0.push(line.to_owned());
            Ok(())
        }
        fn finish(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn holds_until_seen_then_refuses_or_writes() {
        let mut got = Vec::new();
        {
            let mut check =
                ColumnCheck::new(vec!["airline".into()], || Ok(Box::new(Lines(&mut got)))).unwrap();
            check.write("a", &serde_json::json!({"id": "a"})).unwrap();
            check
                .write("b", &serde_json::json!({"airline": "x"}))
                .unwrap();
            check.write("c", &serde_json::json!({"id": "c"})).unwrap();
            check.finish().unwrap();
        }
        assert_eq!(got, ["a", "b", "c"]);

        let mut check = ColumnCheck::new(
            vec!["airlin".into()],
            || -> io::Result<Box<dyn RecordWriter>> {
                panic!("built although a column is unknown")
            },
        )
        .unwrap();
        check
            .write("a", &serde_json::json!({"airline": "x"}))
            .unwrap();
        assert!(check.finish().is_err());
        assert_eq!(
            check.refused(),
            Some(&UnknownColumns(vec!["airlin".into()]))
        );

        let mut empty = Vec::new();
        let mut check =
            ColumnCheck::new(vec!["airline".into()], || Ok(Box::new(Lines(&mut empty)))).unwrap();
        check.finish().unwrap();
        assert!(check.refused().is_none());
    }
}
