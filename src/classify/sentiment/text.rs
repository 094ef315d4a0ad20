//! Step 1: literal `\\uXXXX` escapes are decoded, and emoji are replaced by their
//! descriptions from VADER's emoji lexicon.

use super::Analyzer;

/// Decodes literal `\uXXXX` escapes left by double-encoded exports ("don\u2019t",
/// "a\u002c b"), so they read as the characters they stand for.
pub(super) fn unescape_u<'a>(text: &str, buf: &'a mut String) -> &'a str {
    buf.clear();
    let mut rest = text;
    while let Some(pos) = rest.find("\\u") {
        buf.push_str(&rest[..pos]);
        let hex = rest.get(pos + 2..pos + 6);
        match hex
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32)
        {
            Some(c) => {
                buf.push(c);
                rest = &rest[pos + 6..];
            }
            None => {
                buf.push_str("\\u");
                rest = &rest[pos + 2..];
            }
        }
    }
    buf.push_str(rest);
    buf
}

impl Analyzer {
    /// Replaces emoji by their descriptions; returns `text` itself when it has none.
    pub(super) fn replace_emoji<'a>(
        &self,
        text: &'a str,
        buf: &'a mut String,
        spans: &mut Vec<(usize, usize)>,
    ) -> &'a str {
        if text.is_ascii()
            || !text
                .chars()
                .any(|c| !c.is_ascii() && self.emoji.contains_key(&c))
        {
            return text.trim();
        }
        buf.clear();
        let mut prev_space = true;
        let mut after_emoji = false;
        for c in text.chars() {
            if !self.compat
                && matches!(
                    c,
                    '\u{FE0E}' | '\u{FE0F}' | '\u{200D}' | '\u{1F3FB}'..='\u{1F3FF}'
                )
            {
                continue;
            }
            if let Some(desc) = self.emoji.get(&c) {
                if !prev_space {
                    buf.push(' ');
                }
                spans.push((buf.len(), buf.len() + desc.len()));
                buf.push_str(desc);
                prev_space = false;
                after_emoji = true;
            } else {
                if after_emoji && !self.compat && !c.is_whitespace() {
                    // vaderSentiment glues the next word onto the description.
                    buf.push(' ');
                }
                buf.push(c);
                prev_space = c == ' ';
                after_emoji = false;
            }
        }
        // Spans are offsets into the trimmed text.
        let lead = buf.len() - buf.trim_start().len();
        for span in spans.iter_mut() {
            *span = (span.0.saturating_sub(lead), span.1.saturating_sub(lead));
        }
        buf.trim()
    }
}
