//! The sentiment engine: a port of VADER 3.3.2 with layers for customer mentions.
//!
//! Scoring a text runs these steps (see `docs/classify.md` for the full description):
//!
//! 1. Emoji are replaced by their descriptions from VADER's emoji lexicon.
//! 2. The text is split on whitespace; punctuation is stripped from both ends of a token.
//! 3. (earful) @handles, URLs and the configured brand names are masked: they are dropped
//!    and never score ("@united" is not the positive word "united").
//! 4. (earful) Multi-word lexicon phrases ("on hold", "still waiting", "thanks for nothing")
//!    are merged into one token, longest phrase first.
//! 5. VADER's rules give each token a valence: lexicon value, ALL-CAPS emphasis, boosters and
//!    dampeners in the three preceding tokens, negation in the three preceding tokens,
//!    idioms, "least", then the "but" shift.
//! 6. (earful) Sarcasm cues reverse praise that is followed by a complaint, and questions
//!    that are complaints in disguise add a negative valence (cues in `data/cues.tsv`).
//! 7. The valences are summed, `!` and `?` add emphasis, and the sum is normalised to
//!    [-1, 1] with `x / sqrt(x² + 15)`.
//!
//! With [`AnalyzerBuilder::vader_compat`] steps 3, 4 and 6 and the customer-service lexicon
//! are off and the result matches vaderSentiment 3.3.2.
//!
//! Each step has its file: `text.rs` (1), `tokenize.rs` with `classes.rs` and `lookup.rs`
//! (2), `mask.rs` (3), `phrases.rs` (4), `rules.rs` (5, with `Pass`, the state the rules of
//! one text share), `cues.rs` (6) and `score.rs` (7). The word lists are in `tables.rs`,
//! what is known about each word in `words.rs`, and `builder.rs` compiles them; `trace.rs`
//! records the steps for [`Analyzer::explain`].

mod builder;
mod classes;
mod cues;
mod lookup;
mod mask;
mod phrases;
mod rules;
mod score;
mod tables;
mod text;
mod tokenize;
mod trace;
mod words;

#[cfg(test)]
mod tests;

use std::cell::RefCell;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::scratch;

use super::lexicon::{CueKind, Lexicon, PhraseIndex, Words};

pub use builder::AnalyzerBuilder;
pub use tables::{NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD};

use rules::{Hit, Pass};
use score::score_valence;
use text::unescape_u;
use tokenize::{Source, Tok, Toks};
use trace::{NoTrace, Trace};
use words::WordMap;

/// First word -> cue phrases starting with it, longest first.
type CueIndex = FxHashMap<Box<str>, Vec<(CueKind, Words)>>;

/// Sentiment scores of one text, as in VADER.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Normalised sum of valences, in [-1, 1]; the one number to use.
    pub compound: f64,
    /// Share of the text's sentiment-bearing weight that is positive, in [0, 1].
    pub pos: f64,
    /// Share that is negative, in [0, 1].
    pub neg: f64,
    /// Share that is neutral, in [0, 1].
    pub neu: f64,
}

impl Scores {
    const ZERO: Scores = Scores {
        compound: 0.0,
        pos: 0.0,
        neg: 0.0,
        neu: 0.0,
    };
}

/// One step that moved the score, as reported by [`Analyzer::explain`].
///
/// `delta` is in raw valence units, before normalisation: the deltas of a text add up to
/// the sum that is normalised into `compound`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// The token or phrase (lower-cased), or the punctuation for `punctuation`.
    pub token: String,
    /// The rule: `lexicon`, `customer-service`, `user-lexicon` (a token's base valence),
    /// `booster`, `negation`, `caps`, `idiom`, `least`, `but`, `sarcasm`, `irrealis`,
    /// `negativity`, `question-complaint`, `punctuation`, `length` (token empty), or, with
    /// delta 0, `like-preposition`, `proper-noun` (a lexicon word that did not count) and
    /// `masked-handle`, `masked-url`, `masked-brand` (removed before scoring).
    pub rule: &'static str,
    /// How much the rule moved the raw sum.
    pub delta: f64,
}

/// Maps a compound score to `"negative"`, `"neutral"` or `"positive"`.
///
/// At least [`POSITIVE_THRESHOLD`] (0.25) is positive, at most [`NEGATIVE_THRESHOLD`]
/// (-0.05) is negative, anything between (and NaN) is neutral. VADER uses ±0.05; the
/// positive side is higher here because mild praise words are common in neutral posts.
pub fn label(compound: f64) -> &'static str {
    if compound >= POSITIVE_THRESHOLD {
        "positive"
    } else if compound <= NEGATIVE_THRESHOLD {
        "negative"
    } else {
        "neutral"
    }
}

/// A sentiment analyzer: built once, then shared across threads (`Send + Sync`).
///
/// ```
/// use earful::classify::{Analyzer, label};
/// let analyzer = Analyzer::builder().brands(["United"]).build();
/// let s = analyzer.score("@united flight delayed 3 hours, still waiting for an answer");
/// assert_eq!(label(s.compound), "negative");
/// ```
#[derive(Debug, Clone)]
pub struct Analyzer {
    lexicon: Lexicon,
    /// Everything known about a lower-cased word, found with one hash lookup per token.
    words: WordMap,
    emoji: FxHashMap<char, Box<str>>,
    brands: PhraseIndex,
    cues: CueIndex,
    like_subject: FxHashSet<Box<str>>,
    like_adverb: FxHashSet<Box<str>>,
    compat: bool,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new()
    }
}

/// Per-thread buffers reused between calls, so scoring does not allocate in steady state.
#[derive(Debug, Default)]
struct Buffers {
    unescaped: String,
    emoji_spans: Vec<(usize, usize)>,
    text: String,
    lower: String,
    toks: Vec<Tok>,
    sent: Vec<f64>,
    hits: Vec<Hit>,
    /// Take the general (Unicode) path for ASCII text too: tests compare the two paths.
    general: bool,
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = RefCell::new(Buffers::default());
}

impl Analyzer {
    /// An analyzer with the built-in lexicons (VADER and customer service) and no brands.
    pub fn new() -> Analyzer {
        AnalyzerBuilder::default().build()
    }

    /// A builder to add brand names and lexicon files.
    pub fn builder() -> AnalyzerBuilder {
        AnalyzerBuilder::default()
    }

    /// Scores one text. Never panics; `compound` is always in [-1, 1].
    pub fn score(&self, text: &str) -> Scores {
        scratch::with(&BUFFERS, |bufs| {
            let s = self.run(text, bufs, &mut NoTrace);
            // Keep memory flat after an unusually long text.
            if bufs.lower.capacity() > 1 << 20
                || bufs.text.capacity() > 1 << 20
                || bufs.unescaped.capacity() > 1 << 20
                || bufs.toks.capacity() > 1 << 14
            {
                *bufs = Buffers::default();
            }
            s
        })
    }

    /// Scores one text and lists the tokens and rules that moved the score.
    pub fn explain(&self, text: &str) -> (Scores, Vec<Contribution>) {
        let mut trace = Vec::new();
        let scores = self.run(text, &mut Buffers::default(), &mut trace);
        (scores, trace)
    }

    /// Runs the steps of the module doc over `text`, in the buffers `sc`.
    fn run<T: Trace>(&self, text: &str, sc: &mut Buffers, tr: &mut T) -> Scores {
        let Buffers {
            unescaped,
            emoji_spans,
            text: tbuf,
            lower,
            toks,
            sent,
            hits,
            general,
        } = sc;
        lower.clear();
        toks.clear();
        sent.clear();
        hits.clear();

        let escaped_u = memchr::memchr_iter(b'\\', text.as_bytes())
            .any(|i| text.as_bytes().get(i + 1) == Some(&b'u'));
        let text = if !self.compat && escaped_u {
            unescape_u(text, unescaped)
        } else {
            text
        };
        emoji_spans.clear();
        let text = self.replace_emoji(text, tbuf, emoji_spans);
        // ASCII text (nearly all) takes a faster path.
        let ascii = !*general && text.is_ascii();
        let src = Source {
            text,
            ascii,
            emoji_spans,
        };
        let (bangs, qms) = self.tokenize(src, lower, toks, tr);
        if toks.is_empty() {
            return Scores::ZERO;
        }
        if !self.compat {
            if !self.brands.is_empty() {
                self.mask_brands(lower, toks, tr);
            }
            if self.lexicon.has_phrases() {
                self.merge_phrases(text, lower, toks);
            }
            if toks.is_empty() {
                return Scores::ZERO;
            }
        }
        let mut pass = Pass {
            an: self,
            toks: Toks { toks, lower },
            sent,
            hits,
            tr,
        };
        pass.valences();
        if !self.compat {
            pass.find_cues();
            pass.sarcasm();
            pass.irrealis();
            pass.negativity();
        }
        pass.but();
        if !self.compat && qms > 0 {
            pass.question_complaint();
        }
        let n_tokens = (!self.compat).then_some(toks.len());
        score_valence(sent, bangs, qms, n_tokens, tr)
    }
}
