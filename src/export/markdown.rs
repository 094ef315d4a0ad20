//! Markdown export: one table for chat and tickets. Cells are flattened to one line, `|` and
//! HTML escaped, and text cut to [`MD_TEXT_WIDTH`] characters.

use std::io::{self, Write};

use serde_json::Value;

use super::{RecordWriter, lookup};
use crate::jsonl::LineError;

/// The default Markdown columns (fewer than CSV's: a table for reading).
pub const MD_COLUMNS: [&str; 6] = [
    "published",
    "platform",
    "author.handle",
    "sentiment.label",
    "labels",
    "text",
];

/// A cell longer than this many characters is cut and ends with `…`.
pub const MD_TEXT_WIDTH: usize = 120;

pub struct MarkdownWriter<W: Write> {
    out: W,
    columns: Vec<String>,
    cell: String,
}

impl<W: Write> MarkdownWriter<W> {
    /// A writer that writes the header and separator rows at once.
    pub fn new(mut out: W, columns: Option<Vec<String>>) -> io::Result<MarkdownWriter<W>> {
        let columns =
            columns.unwrap_or_else(|| MD_COLUMNS.iter().map(|c| (*c).to_owned()).collect());
        let mut cell = String::new();
        let mut header = String::from("|");
        let mut rule = String::from("|");
        for column in &columns {
            cell.clear();
            push_escaped(&mut cell, column);
            header.push_str(&format!(" {cell} |"));
            rule.push_str(" --- |");
        }
        writeln!(out, "{header}\n{rule}")?;
        Ok(MarkdownWriter { out, columns, cell })
    }
}

impl<W: Write> RecordWriter for MarkdownWriter<W> {
    fn write(&mut self, _line: &str, record: &Value) -> Result<(), LineError> {
        self.out.write_all(b"|")?;
        for column in &self.columns {
            self.cell.clear();
            if let Some(value) = lookup(record, column) {
                let mut text = String::new();
                super::csv::write_cell(&mut text, value);
                push_escaped(&mut self.cell, &cut(&text));
            }
            write!(self.out, " {} |", self.cell)?;
        }
        Ok(self.out.write_all(b"\n")?)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// The first [`MD_TEXT_WIDTH`] characters of `text`, with `…` when cut.
fn cut(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MD_TEXT_WIDTH) {
        Some((end, _)) => format!("{}…", &text[..end]).into(),
        None => text.into(),
    }
}

/// Appends `text` on one line: whitespace runs (newlines included) become one space, `|` and
/// `\` are escaped with `\`, `<`, `>` and `&` become entities so no HTML reaches a renderer.
fn push_escaped(out: &mut String, text: &str) {
    let mut space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match c {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_flattens_and_cuts() {
        let mut out = Vec::new();
        let mut writer =
            MarkdownWriter::new(&mut out, Some(vec!["id".into(), "text".into()])).unwrap();
        let long = "é".repeat(MD_TEXT_WIDTH + 5);
        let rec = serde_json::json!({"id": "a|b", "text": "one\n\ntwo <b>&</b> \\ end"});
        writer.write("", &rec).unwrap();
        writer
            .write("", &serde_json::json!({"id": "c", "text": long}))
            .unwrap();
        writer.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        let want = format!(
            "| id | text |\n| --- | --- |\n| a\\|b | one two &lt;b&gt;&amp;&lt;/b&gt; \\\\ end |\n\
             | c | {}… |\n",
            "é".repeat(MD_TEXT_WIDTH)
        );
        assert_eq!(text, want);
    }
}
