//! JSON exports: one JSON array (streamed, constant memory) or JSON Lines.

use std::io::{self, Write};

use serde_json::Value;

use super::Sink;

/// Writes the records as one JSON array, one record per line inside it.
pub struct JsonArraySink<W: Write> {
    out: W,
    count: u64,
}

impl<W: Write> JsonArraySink<W> {
    pub fn new(out: W) -> JsonArraySink<W> {
        JsonArraySink { out, count: 0 }
    }
}

impl<W: Write> Sink for JsonArraySink<W> {
    fn write(&mut self, line: &str, _record: &Value) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
        self.count += 1;
        self.out.write_all(line.trim().as_bytes())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

/// Writes the records as JSON Lines, each as its original text.
pub struct JsonlSink<W: Write> {
    out: W,
}

impl<W: Write> JsonlSink<W> {
    pub fn new(out: W) -> JsonlSink<W> {
        JsonlSink { out }
    }
}

impl<W: Write> Sink for JsonlSink<W> {
    fn write(&mut self, line: &str, _record: &Value) -> io::Result<()> {
        self.out.write_all(line.trim().as_bytes())?;
        self.out.write_all(b"\n")
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
        let mut sink = JsonArraySink::new(&mut out);
        for line in lines {
            sink.write(line, &Value::Null).unwrap();
        }
        sink.finish().unwrap();
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
