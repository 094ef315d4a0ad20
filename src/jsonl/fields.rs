//! Splicing fields into a JSON line without re-serialising the rest of it.

use std::cell::RefCell;
use std::io::{self, Write};

use indexmap::IndexMap;
use serde_json::value::RawValue;

use super::LineError;
use crate::scratch;

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
    scratch::with(&FINDERS, |finders| {
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
}
