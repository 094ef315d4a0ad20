//! JSON exports: one JSON array (streamed, constant memory) or JSON Lines.

use std::io::{self, Write};

use serde_json::Value;

use super::RecordWriter;
use crate::jsonl::LineError;

/// Writes the records as one JSON array, one record per line inside it.
pub struct JsonArrayWriter<W: Write> {
    out: W,
    count: u64,
}

impl<W: Write> JsonArrayWriter<W> {
    pub fn new(out: W) -> JsonArrayWriter<W> {
        JsonArrayWriter { out, count: 0 }
    }
}

impl<W: Write> RecordWriter for JsonArrayWriter<W> {
    fn write(&mut self, line: &str, _record: &Value) -> Result<(), LineError> {
        self.out
            .write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
        self.count += 1;
        Ok(self.out.write_all(line.trim().as_bytes())?)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

/// Writes the records as JSON Lines, each as its original text.
pub struct JsonlWriter<W: Write> {
    out: W,
}

impl<W: Write> JsonlWriter<W> {
    pub fn new(out: W) -> JsonlWriter<W> {
        JsonlWriter { out }
    }
}

impl<W: Write> RecordWriter for JsonlWriter<W> {
    fn write(&mut self, line: &str, _record: &Value) -> Result<(), LineError> {
        self.out.write_all(line.trim().as_bytes())?;
        Ok(self.out.write_all(b"\n")?)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn array(lines: &[&str]) -> String {
        let mut out = Vec::new();
        let mut writer = JsonArrayWriter::new(&mut out);
        for line in lines {
            writer.write(line, &Value::Null).unwrap();
        }
        writer.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn array_is_valid_json() {
        for lines in [&[][..], &[r#"{"a":1}"#], &[r#"{"a":1}"#, r#" {"b":2} "#]] {
            let text = array(lines);
            let v: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v.as_array().unwrap().len(), lines.len());
        }
    }
}
