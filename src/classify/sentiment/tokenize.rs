//! Step 2: the text is split on whitespace, punctuation is stripped from both ends of a
//! token, tokens are lower-cased (then looked up, see `lookup.rs`), and @handles and URLs
//! are masked.

use super::Analyzer;
use super::classes::{
    BANG, BYTE_CLASS, Class, GLUE, MASKABLE, PUNCT, QUESTION, SPACE, Shape, UNKNOWN, classes,
};
use super::mask::mask_rule;
use super::trace::Trace;
use super::words::WordInfo;
use crate::classify::lexicon::Entry;

/// A token of the text being scored.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tok {
    /// Byte span of the token (punctuation stripped) in the text.
    pub(super) start: usize,
    pub(super) end: usize,
    /// Byte span of the lower-cased token in the scratch buffer.
    pub(super) lo_start: usize,
    pub(super) lo_end: usize,
    /// The text after the token, up to the next token, ends a sentence (`.`, `!`, `?`).
    pub(super) ends_sentence: bool,
    pub(super) entry: Option<Entry>,
    pub(super) booster: Option<f64>,
    pub(super) upper: bool,
    /// Capitalised like a name: an upper-case first letter and some lower-case letters.
    pub(super) title: bool,
    /// The text after the token holds a `?`.
    pub(super) ends_question: bool,
    /// Written as a #hashtag.
    pub(super) hashtag: bool,
    /// The lower-cased token has an `'`.
    pub(super) apostrophe: bool,
    pub(super) negation: bool,
    pub(super) phrase_start: bool,
    pub(super) cue_start: bool,
    pub(super) brand_start: bool,
    pub(super) idiom_start: bool,
    /// Never negated: an emoji, an emoticon or a negator itself.
    pub(super) shielded: bool,
}

impl Tok {
    /// Takes what the lexicon knows about the token, whose lower-cased form is `lower`
    /// (which has an `'` when `apostrophe`).
    pub(super) fn set_info(&mut self, info: WordInfo, lower: &[u8], apostrophe: bool) {
        self.entry = info.entry;
        self.booster = info.booster;
        self.negation = info.negation || (apostrophe && lower.windows(3).any(|w| w == b"n't"));
        self.phrase_start = info.phrase_start;
        self.cue_start = info.cue_start;
        self.brand_start = info.brand_start;
        self.idiom_start = info.idiom_start;
    }
}

/// The tokens of a text with their lower-cased forms: what the rules read.
#[derive(Debug, Clone, Copy)]
pub(super) struct Toks<'a> {
    pub(super) toks: &'a [Tok],
    /// The buffer the tokens' `lo_start..lo_end` spans point into.
    pub(super) lower: &'a str,
}

impl<'a> Toks<'a> {
    /// The lower-cased token at `i`.
    #[inline]
    pub(super) fn lw(self, i: usize) -> &'a str {
        &self.lower[self.toks[i].lo_start..self.toks[i].lo_end]
    }
}

impl std::ops::Deref for Toks<'_> {
    type Target = [Tok];

    #[inline]
    fn deref(&self) -> &[Tok] {
        self.toks
    }
}

/// A text being tokenised, after emoji are replaced by their descriptions (at
/// `emoji_spans`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Source<'a> {
    pub(super) text: &'a str,
    /// Take the ASCII path: the text is ASCII (and the general path is not forced).
    pub(super) ascii: bool,
    pub(super) emoji_spans: &'a [(usize, usize)],
}

impl Source<'_> {
    /// The [`classes`] of a token of this text, or [`UNKNOWN`] off the ASCII path.
    pub(super) fn classes(&self, token: &str) -> Class {
        if self.ascii { classes(token) } else { UNKNOWN }
    }
}

/// Python's `str.strip(string.punctuation)`: ASCII punctuation off both ends. Works on bytes;
/// punctuation is ASCII, so the cuts fall on character boundaries.
fn trim_ascii_punct(s: &str) -> &str {
    let b = s.as_bytes();
    let start = b
        .iter()
        .position(|c| !c.is_ascii_punctuation())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_punctuation())
        .map_or(start, |e| e + 1);
    &s[start..end.max(start)]
}

/// `str::split_whitespace` with each token's [`classes`]; ASCII text is split by a byte
/// loop that finds the classes on the way ([`UNKNOWN`] for other text).
enum RawTokens<'a> {
    Ascii(&'a str, usize),
    Unicode(std::str::SplitWhitespace<'a>),
}

impl<'a> RawTokens<'a> {
    pub(super) fn new(text: &'a str, ascii: bool) -> Self {
        if ascii {
            RawTokens::Ascii(text, 0)
        } else {
            RawTokens::Unicode(text.split_whitespace())
        }
    }
}

impl<'a> Iterator for RawTokens<'a> {
    type Item = (&'a str, Class);

    // Always inlined into the tokenizer's loop, as it was before the module was split (out
    // of line it costs 2% of classify's instructions).
    #[inline(always)]
    fn next(&mut self) -> Option<(&'a str, Class)> {
        match self {
            RawTokens::Unicode(it) => it.next().map(|t| (t, UNKNOWN)),
            RawTokens::Ascii(text, pos) => {
                let b = text.as_bytes();
                let mut i = *pos;
                while i < b.len() && BYTE_CLASS[usize::from(b[i])] == SPACE {
                    i += 1;
                }
                if i == b.len() {
                    *pos = i;
                    return None;
                }
                let start = i;
                let mut class = 0;
                while i < b.len() {
                    let c = BYTE_CLASS[usize::from(b[i])];
                    if c == SPACE {
                        break;
                    }
                    class |= c;
                    i += 1;
                }
                *pos = i;
                Some((&text[start..i], class))
            }
        }
    }
}

/// At most two characters.
#[inline]
fn char_count_le2(s: &str) -> bool {
    s.len() <= 2 || (s.len() <= 8 && !s.is_ascii() && s.chars().nth(2).is_none())
}

/// Appends `s` lower-cased; with `fold_quotes`, typographic apostrophes (’ ‘ ʼ) become `'`
/// so that "don’t" is a negation like "don't".
fn push_lower(buf: &mut String, s: &str, fold_quotes: bool) {
    if s.is_ascii() {
        let start = buf.len();
        buf.push_str(s);
        buf[start..].make_ascii_lowercase();
    } else if fold_quotes {
        for c in s.to_lowercase().chars() {
            buf.push(if matches!(c, '\u{2019}' | '\u{2018}' | '\u{02BC}') {
                '\''
            } else {
                c
            });
        }
    } else {
        buf.push_str(&s.to_lowercase());
    }
}

/// Where to cut a token whose words are glued by punctuation: after a run of `.,;!?/`
/// that has at least two letters on each side ("delayed...again", "ok,thanks"), so that
/// "U.S.", "3.5", "w/the" and emoticons stay whole. Returns the byte offset of the second
/// word.
pub(super) fn glued_split(raw: &str) -> Option<usize> {
    let b = raw.as_bytes();
    let glue = |c: u8| BYTE_CLASS[usize::from(c)] & GLUE != 0;
    let mut i = 0;
    while i < b.len() {
        if glue(b[i]) {
            let run_start = i;
            while i < b.len() && glue(b[i]) {
                i += 1;
            }
            let before = run_start >= 2
                && b[run_start - 1].is_ascii_alphabetic()
                && b[run_start - 2].is_ascii_alphabetic();
            let after =
                i + 1 < b.len() && b[i].is_ascii_alphabetic() && b[i + 1].is_ascii_alphabetic();
            if before && after {
                return Some(i);
            }
        } else {
            i += 1;
        }
    }
    None
}

impl Analyzer {
    /// Splits on whitespace, strips punctuation, lower-cases, and masks handles and URLs.
    /// Returns the counts of `!` and `?` in the text, leaving out those in masked tokens.
    pub(super) fn tokenize<T: Trace>(
        &self,
        src: Source<'_>,
        lower: &mut String,
        toks: &mut Vec<Tok>,
        tr: &mut T,
    ) -> (usize, usize) {
        let count = |c: u8, s: &str| memchr::memchr_iter(c, s.as_bytes()).count();
        let mut masked = (0, 0);
        // The classes of every token (all the bytes but spaces), to skip counting `!` and
        // `?` in texts without them.
        let mut seen = if src.ascii { 0 } else { UNKNOWN };
        // ASCII text is lower-cased at once, at the same offsets.
        if src.ascii {
            lower.push_str(src.text);
            lower.make_ascii_lowercase();
        }
        for (raw, class) in RawTokens::new(src.text, src.ascii) {
            seen |= class;
            if self.compat {
                self.push_token(src, raw, class, lower, toks);
                continue;
            }
            if class & MASKABLE != 0
                && let Some(rule) = mask_rule(raw)
            {
                masked.0 += count(b'!', raw);
                masked.1 += count(b'?', raw);
                if T::ON {
                    tr.rec(raw, rule, 0.0);
                }
                continue;
            }
            // earful: split words glued by punctuation ("delayed...again", "ok,thanks").
            let mut rest = raw;
            if class & GLUE != 0 {
                while let Some(cut) = glued_split(rest) {
                    let piece = &rest[..cut];
                    self.push_token(src, piece, src.classes(piece), lower, toks);
                    rest = &rest[cut..];
                }
            }
            let class = if rest.len() == raw.len() {
                class
            } else {
                src.classes(rest)
            };
            self.push_token(src, rest, class, lower, toks);
        }
        self.look_up(lower, toks);
        let total = |c: u8, bit: Class| {
            if seen & bit != 0 {
                count(c, src.text)
            } else {
                0
            }
        };
        (
            total(b'!', BANG).saturating_sub(masked.0),
            total(b'?', QUESTION).saturating_sub(masked.1),
        )
    }

    /// Adds one whitespace-separated token (or a piece of one) whose [`classes`] are
    /// `class`: strips punctuation, lower-cases and looks it up. For ASCII text `lower`
    /// starts with the whole text lower-cased; otherwise each token is lower-cased onto its
    /// end.
    fn push_token(
        &self,
        src: Source<'_>,
        raw: &str,
        class: Class,
        lower: &mut String,
        toks: &mut Vec<Tok>,
    ) {
        let Source {
            text,
            ascii,
            emoji_spans,
        } = src;
        let base = text.as_ptr() as usize;
        let raw_start = raw.as_ptr() as usize - base;
        let stripped = if class & PUNCT == 0 {
            raw
        } else {
            trim_ascii_punct(raw)
        };
        let word = if char_count_le2(stripped) {
            if self.compat || stripped.is_empty() || stripped.len() == raw.len() {
                raw
            } else {
                // earful: keep short tokens whole only when they are lexicon entries
                // (emoticons such as ":)" or ":d"); otherwise "ok!" reads as "ok".
                let known = |lo: &str| {
                    let info = self.words.get(lo.as_bytes());
                    info.is_some_and(|w| w.entry.is_some())
                };
                let known = if ascii {
                    known(&lower[raw_start..raw_start + raw.len()])
                } else {
                    let lo_start = lower.len();
                    push_lower(lower, raw, false);
                    let known = known(&lower[lo_start..]);
                    lower.truncate(lo_start);
                    known
                };
                if known { raw } else { stripped }
            }
        } else {
            stripped
        };
        let start = word.as_ptr() as usize - base;
        let end = start + word.len();
        let (mut lo_start, mut lo_end) = (start, end);
        if !ascii {
            lo_start = lower.len();
            push_lower(lower, word, !self.compat);
            lo_end = lower.len();
        }
        let class = if word.len() == raw.len() {
            class
        } else {
            src.classes(word)
        };
        let shape = Shape::of(word, &lower.as_bytes()[lo_start..lo_end], class);
        let tail = &text.as_bytes()[end..raw_start + raw.len()];
        toks.push(Tok {
            start,
            end,
            lo_start,
            lo_end,
            ends_sentence: tail.iter().any(|c| matches!(c, b'.' | b'!' | b'?')),
            ends_question: tail.contains(&b'?'),
            entry: None,
            booster: None,
            upper: shape.upper,
            title: shape.title,
            hashtag: raw.starts_with('#'),
            apostrophe: shape.apostrophe,
            negation: false,
            phrase_start: false,
            cue_start: false,
            brand_start: false,
            idiom_start: false,
            // earful: emoji and emoticons are never negated ("I don't want to go :(" stays
            // sad); negators neither, once looked up ([`Analyzer::look_up`]).
            shielded: !self.compat
                && (!shape.alnum || emoji_spans.iter().any(|&(a, b)| start >= a && start < b)),
        });
    }
}
