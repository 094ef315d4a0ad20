//! A raw-byte prefilter: rejects a line before JSON parsing when it cannot contain any
//! literal the query needs.
//!
//! For each query we compute a set of ASCII literals such that any matching mention contains
//! at least one of them, case-insensitively, in its raw JSON line. The set comes from the
//! terms (the longest run of ASCII letters and digits of a word, so `wendy's` needs `wendy`
//! and `complain*` needs `complain`); AND picks its most selective side, OR needs all sides
//! to have literals, and NOT, fields, ranges and regular expressions give none.
//!
//! Two things can make a match invisible to a byte search, and such lines are always passed
//! on to the parser: a `\u` JSON escape, and non-ASCII characters that fold to ASCII letters
//! (accented Latin letters, combining marks, letter-like symbols such as the Kelvin sign).
//! Other escapes (`\"`, `\n`, `\/`) cannot hide a run of letters.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use unicode_normalization::char::is_combining_mark;

use super::ast::{Node, Span, Word, WordKind};

/// Rejects lines that cannot match, without parsing them. See the module docs.
#[derive(Debug, Clone)]
pub struct Prefilter {
    re: regex::bytes::Regex,
    literals: Vec<String>,
}

impl Prefilter {
    /// A prefilter that passes lines containing any of `literals` (ASCII case-insensitive).
    /// `None` when a literal is empty or the automaton cannot be built.
    pub(crate) fn new(mut literals: Vec<String>) -> Option<Prefilter> {
        literals.sort();
        literals.dedup();
        if literals.is_empty() || literals.iter().any(String::is_empty) {
            return None;
        }
        // The regex engine turns an ASCII case-insensitive alternation of literals into a
        // SIMD search over case variants of their prefixes (Teddy), then verifies: much
        // faster than a case-folding automaton when the literals' letters are common.
        let alternation: Vec<String> = literals.iter().map(|l| regex::escape(l)).collect();
        let re = regex::bytes::RegexBuilder::new(&format!("(?i-u:{})", alternation.join("|")))
            .unicode(false)
            .size_limit(1 << 24)
            .build()
            .ok()?;
        Some(Prefilter { re, literals })
    }

    /// False only when `line` (one raw JSONL line) certainly does not match the query.
    pub fn may_match(&self, line: &[u8]) -> bool {
        self.re.is_match(line) || needs_parse(line)
    }

    /// The offset of the first literal in `bytes` (many lines at once): lines before it
    /// cannot match unless [`Prefilter::find_special`] points into them.
    pub fn find_literal(&self, bytes: &[u8]) -> Option<usize> {
        self.re.find(bytes).map(|m| m.start())
    }

    /// The offset of the first byte that may hide a match from the literal search (a
    /// non-ASCII byte or a backslash); the line holding it goes to [`Prefilter::may_match`].
    pub fn find_special(bytes: &[u8]) -> Option<usize> {
        let mut chunks = bytes.chunks_exact(32);
        let mut at = 0;
        for chunk in &mut chunks {
            if chunk.iter().fold(false, |acc, &b| acc | special(b)) {
                break;
            }
            at += 32;
        }
        bytes[at..].iter().position(|&b| special(b)).map(|i| at + i)
    }

    /// The literals searched for, lower-cased and sorted.
    pub fn literals(&self) -> &[String] {
        &self.literals
    }
}

/// True when a byte search could miss a match in `line`: it has a `\u` escape, a
/// non-ASCII character that folds to ASCII (Latin letters with accents, letter-like symbols),
/// a combining mark right after an ASCII letter or digit (removing it joins letters), or it
/// is not UTF-8 (the parser reports it). Other combining marks and variation selectors (as
/// in emoji) cannot join two ASCII runs, so emoji-heavy lines stay on the fast path.
pub(crate) fn needs_parse(line: &[u8]) -> bool {
    has_special_bytes(line) && needs_parse_slow(line)
}

/// False when the line is ASCII without a backslash (the common case), found in one pass
/// that the compiler vectorises.
fn has_special_bytes(line: &[u8]) -> bool {
    Prefilter::find_special(line).is_some()
}

fn special(b: u8) -> bool {
    (b >= 0x80) | (b == b'\\')
}

fn needs_parse_slow(line: &[u8]) -> bool {
    if memchr::memchr_iter(b'\\', line).any(|i| line.get(i + 1) == Some(&b'u')) {
        return true;
    }
    if line.is_ascii() {
        return false;
    }
    let mut i = 0;
    while let Some(off) = line[i..].iter().position(|b| !b.is_ascii()) {
        let p = i + off;
        let len = match line[p] {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => return true,
        };
        let Some(c) = line
            .get(p..p + len)
            .and_then(|b| std::str::from_utf8(b).ok())
            .and_then(|s| s.chars().next())
        else {
            return true;
        };
        let u = c as u32;
        if matches!(u,
            0xC0..=0x24F            // Latin-1 letters, Latin Extended-A and -B
            | 0x1D00..=0x1DBF       // phonetic extensions
            | 0x1E00..=0x1EFF       // Latin Extended Additional
            | 0x2100..=0x214F       // letter-like symbols (Kelvin, Angstrom)
            | 0x2C60..=0x2C7F       // Latin Extended-C
            | 0xA720..=0xA7FF)      // Latin Extended-D
            || (p > 0 && line[p - 1].is_ascii_alphanumeric() && is_combining_mark(c))
        {
            return true;
        }
        i = p + len;
    }
    false
}

/// The longest run of ASCII letters and digits in `s`, lower-cased.
fn literal(s: &str) -> Option<String> {
    let best = s
        .split(|c: char| !c.is_ascii_alphanumeric())
        .max_by_key(|p| p.len())?;
    (!best.is_empty()).then(|| best.to_ascii_lowercase())
}

fn word_literal(w: &Word) -> Option<String> {
    match w.kind {
        WordKind::Exact => literal(&w.text),
        WordKind::Term | WordKind::Wild => literal(&w.text),
    }
}

/// How good a set is: the length of its shortest literal (longer is more selective).
fn score(set: &[String]) -> usize {
    set.iter().map(String::len).min().unwrap_or(0)
}

fn best(sets: impl Iterator<Item = Option<Vec<String>>>) -> Option<Vec<String>> {
    sets.flatten().max_by_key(|s| score(s))
}

/// The union of the sets, each literal once; `None` when one of them is `None`.
fn all(sets: impl Iterator<Item = Option<Vec<String>>>) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut have = HashSet::new();
    for s in sets {
        for literal in s? {
            if have.insert(literal.clone()) {
                out.push(literal);
            }
        }
    }
    Some(out)
}

fn span_literals(span: &Span) -> Option<Vec<String>> {
    match span {
        Span::Word(w) => word_literal(w).map(|l| vec![l]),
        Span::Phrase { words, .. } => best(words.iter().map(|w| word_literal(w).map(|l| vec![l]))),
        Span::Or(xs) => all(xs.iter().map(span_literals)),
        Span::Near { left, right, .. } => {
            best([span_literals(left), span_literals(right)].into_iter())
        }
    }
}

/// Literals one of which every mention matching `node` contains; `None` when there is no
/// such set.
pub(crate) fn required(node: &Node) -> Option<Vec<String>> {
    required_in(node, &mut HashMap::new())
}

/// [`required`], each referenced node walked once (`seen`, by address).
fn required_in(node: &Node, seen: &mut HashMap<usize, Option<Vec<String>>>) -> Option<Vec<String>> {
    match node {
        Node::And(xs) => best(xs.iter().map(|x| required_in(x, seen))),
        Node::Or(xs) => all(xs.iter().map(|x| required_in(x, seen))),
        Node::Text { span, .. } => span_literals(span),
        Node::Raw(s) => literal(s).map(|l| vec![l]),
        Node::Ref { node, .. } => {
            let key = Arc::as_ptr(node) as usize;
            if let Some(set) = seen.get(&key) {
                return set.clone();
            }
            let set = required_in(node, seen);
            seen.insert(key, set.clone());
            set
        }
        Node::Not(_) | Node::Regex { .. } | Node::Field(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_parse_cases() {
        let cases: &[(&str, bool)] = &[
            (r#"{"text":"plain ascii \"quoted\" \n"}"#, false),
            (r#"{"text":"caf\u00e9"}"#, true),
            (r#"{"text":"emoji 🔥 and “quotes” and 東京"}"#, false),
            (r#"{"text":"café"}"#, true),
            ("{\"text\":\"cafe\u{301}\"}", true),
            ("{\"text\":\"200 \u{212A}\"}", true),
            ("{\"text\":\"Ελληνικά\"}", false),
            ("{\"text\":\"love ❤\u{FE0F} it\"}", false),
            ("{\"text\":\"lug\u{FE0F}gage\"}", true),
        ];
        for (give, gives) in cases {
            assert_eq!(needs_parse(give.as_bytes()), *gives, "{give}");
        }
        assert!(needs_parse(b"{\"text\":\"\xff\"}"));
    }

    #[test]
    fn literal_runs() {
        assert_eq!(literal("wendy's").as_deref(), Some("wendy"));
        assert_eq!(literal("complain*").as_deref(), Some("complain"));
        assert_eq!(literal("straße").as_deref(), Some("stra"));
        assert_eq!(literal("🔥"), None);
        assert_eq!(literal("Google+").as_deref(), Some("google"));
    }
}
