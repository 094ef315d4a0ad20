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

use std::cell::RefCell;
use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::lexicon::{
    CueKind, Cues, Entry, Layer, Lexicon, LexiconError, PhraseIndex, Words, emoji_map,
    normalize_key,
};

/// First word -> cue phrases starting with it, longest first.
type CueIndex = FxHashMap<Box<str>, Vec<(CueKind, Words)>>;

// Constants of VADER 3.3.2 (empirically derived by its authors).
const B_INCR: f64 = 0.293;
const B_DECR: f64 = -0.293;
const C_INCR: f64 = 0.733;
const N_SCALAR: f64 = -0.74;
const NORMALIZE_ALPHA: f64 = 15.0;

/// earful: how much a sarcastic opener's valence is reversed (like a negation).
const SARCASM_SCALAR: f64 = -0.74;
/// earful: a negative token must be at most this to make an opener sarcastic.
const SARCASM_TRIGGER: f64 = -1.0;
/// earful: how many tokens after an opener are searched for a negative token.
const SARCASM_WINDOW: usize = 3;
/// earful: weight of negative valences (SO-CAL's negativity weighting, Taboada et al. 2011):
/// language leans positive, so a negative word says more than a positive one.
const NEGATIVE_WEIGHT: f64 = 1.3;
/// earful: texts longer than this many tokens have their sum scaled by
/// `sqrt(LENGTH_REFERENCE / tokens)`, so that a long post with a few incidental words does
/// not look as charged as a short outburst (sentiment density rather than volume).
const LENGTH_REFERENCE: f64 = 15.0;
/// earful: valence added by a question that is a complaint in disguise.
const QUESTION_COMPLAINT: f64 = -1.2;

/// Compound scores at or above this are labelled positive.
///
/// Higher than VADER's 0.05: language leans positive, and one mild word of praise ("ok",
/// "fine", "sure") in a post is mostly politeness, not a positive opinion. Chosen on the
/// training splits (airline train, SemEval 2013-2016); see `docs/classify.md`.
pub const POSITIVE_THRESHOLD: f64 = 0.25;
/// Compound scores at or below this are labelled negative (VADER's threshold).
pub const NEGATIVE_THRESHOLD: f64 = -0.05;

const NEGATE: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
];

const BOOSTERS: &[(&str, f64)] = &[
    ("absolutely", B_INCR),
    ("amazingly", B_INCR),
    ("awfully", B_INCR),
    ("completely", B_INCR),
    ("considerable", B_INCR),
    ("considerably", B_INCR),
    ("decidedly", B_INCR),
    ("deeply", B_INCR),
    ("effing", B_INCR),
    ("enormous", B_INCR),
    ("enormously", B_INCR),
    ("entirely", B_INCR),
    ("especially", B_INCR),
    ("exceptional", B_INCR),
    ("exceptionally", B_INCR),
    ("extreme", B_INCR),
    ("extremely", B_INCR),
    ("fabulously", B_INCR),
    ("flipping", B_INCR),
    ("flippin", B_INCR),
    ("frackin", B_INCR),
    ("fracking", B_INCR),
    ("fricking", B_INCR),
    ("frickin", B_INCR),
    ("frigging", B_INCR),
    ("friggin", B_INCR),
    ("fully", B_INCR),
    ("fuckin", B_INCR),
    ("fucking", B_INCR),
    ("fuggin", B_INCR),
    ("fugging", B_INCR),
    ("greatly", B_INCR),
    ("hella", B_INCR),
    ("highly", B_INCR),
    ("hugely", B_INCR),
    ("incredible", B_INCR),
    ("incredibly", B_INCR),
    ("intensely", B_INCR),
    ("major", B_INCR),
    ("majorly", B_INCR),
    ("more", B_INCR),
    ("most", B_INCR),
    ("particularly", B_INCR),
    ("purely", B_INCR),
    ("quite", B_INCR),
    ("really", B_INCR),
    ("remarkably", B_INCR),
    ("so", B_INCR),
    ("substantially", B_INCR),
    ("thoroughly", B_INCR),
    ("total", B_INCR),
    ("totally", B_INCR),
    ("tremendous", B_INCR),
    ("tremendously", B_INCR),
    ("uber", B_INCR),
    ("unbelievably", B_INCR),
    ("unusually", B_INCR),
    ("utter", B_INCR),
    ("utterly", B_INCR),
    ("very", B_INCR),
    ("almost", B_DECR),
    ("barely", B_DECR),
    ("hardly", B_DECR),
    ("just enough", B_DECR),
    ("kind of", B_DECR),
    ("kinda", B_DECR),
    ("kindof", B_DECR),
    ("kind-of", B_DECR),
    ("less", B_DECR),
    ("little", B_DECR),
    ("marginal", B_DECR),
    ("marginally", B_DECR),
    ("occasional", B_DECR),
    ("occasionally", B_DECR),
    ("partly", B_DECR),
    ("scarce", B_DECR),
    ("scarcely", B_DECR),
    ("slight", B_DECR),
    ("slightly", B_DECR),
    ("somewhat", B_DECR),
    ("sort of", B_DECR),
    ("sorta", B_DECR),
    ("sortof", B_DECR),
    ("sort-of", B_DECR),
];

/// Multi-word boosters, checked as n-grams before a lexicon word.
const BOOSTER_NGRAMS: &[(&str, f64)] = &[
    ("just enough", B_DECR),
    ("kind of", B_DECR),
    ("sort of", B_DECR),
];

const SPECIAL_CASES: &[(&str, f64)] = &[
    ("the shit", 3.0),
    ("the bomb", 3.0),
    ("bad ass", 1.5),
    ("badass", 1.5),
    ("bus stop", 0.0),
    ("yeah right", -2.0),
    ("kiss of death", -1.5),
    ("to die for", 3.0),
    ("beating heart", 3.5),
];

/// Sentiment scores of one text, as in VADER.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
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

/// Builds an [`Analyzer`]: brand names to mask, extra lexicon files, VADER compatibility.
#[derive(Debug, Clone, Default)]
pub struct AnalyzerBuilder {
    brands: Vec<String>,
    user: Lexicon,
    vader_compat: bool,
}

impl AnalyzerBuilder {
    /// Brand names to mask before scoring, case-insensitively: "United" in "United
    /// Airlines", "#united", "United's" and "@united" then never counts as the positive word
    /// "united". A multi-word name ("Virgin America") is also masked written as one word
    /// ("virginamerica"). A leading `@` or `#` in a name is ignored.
    pub fn brands<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, names: I) -> Self {
        self.brands
            .extend(names.into_iter().map(|s| s.as_ref().to_string()));
        self
    }

    /// Adds the entries of a lexicon file, replacing built-in entries with the same token.
    ///
    /// The file has one `token<TAB>valence` entry a line (valence on VADER's -4..+4 scale;
    /// further columns are ignored), blank lines and lines starting with `#` are skipped,
    /// and a token may be a phrase of several words. Later files override earlier ones.
    pub fn lexicon_file(mut self, path: &Path) -> Result<Self, LexiconError> {
        let text = std::fs::read_to_string(path).map_err(|source| LexiconError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        self.user.add_tsv(path, &text, Layer::User)?;
        Ok(self)
    }

    /// Reproduces vaderSentiment 3.3.2: no masking, no customer-service lexicon, no phrase
    /// matching, no sarcasm or question rules. Brands and lexicon files are still applied if
    /// given. Off by default.
    pub fn vader_compat(mut self, on: bool) -> Self {
        self.vader_compat = on;
        self
    }

    /// Builds the analyzer.
    pub fn build(self) -> Analyzer {
        let mut lexicon = Lexicon::built_in(self.vader_compat);
        for (key, entry) in self.user.iter() {
            lexicon.insert(key.to_string(), entry);
        }
        let mut brands: PhraseIndex = FxHashMap::default();
        for name in &self.brands {
            let name = name.trim().trim_start_matches(['@', '#']);
            let key = normalize_key(name);
            let words: Vec<&str> = key
                .split(' ')
                .map(|w| w.trim_matches(|c: char| c.is_ascii_punctuation()))
                .filter(|w| !w.is_empty())
                .collect();
            if words.is_empty() {
                continue;
            }
            if words.len() > 1 {
                add_brand(&mut brands, &[words.concat().as_str()]);
            }
            add_brand(&mut brands, &words);
        }
        let mut cues: CueIndex = FxHashMap::default();
        let mut like_subject = FxHashSet::default();
        let mut like_adverb = FxHashSet::default();
        for (kind, words) in Cues::built_in().by_kind {
            match kind {
                CueKind::LikeSubject => drop(like_subject.insert(words.join(" ").into())),
                CueKind::LikeAdverb => drop(like_adverb.insert(words.join(" ").into())),
                _ => cues
                    .entry(words[0].clone())
                    .or_default()
                    .push((kind, words)),
            }
        }
        for list in cues.values_mut() {
            list.sort_by_key(|(_, w)| std::cmp::Reverse(w.len()));
        }
        let mut words = WordMap::default();
        for (key, entry) in lexicon.iter() {
            words.update(key, |w| w.entry = Some(entry));
        }
        for &(key, b) in BOOSTERS {
            words.update(key, |w| w.booster = Some(b));
        }
        for &key in NEGATE {
            words.update(key, |w| w.negation = true);
        }
        for key in lexicon.phrase_first_words() {
            words.update(key, |w| w.phrase_start = true);
        }
        for key in cues.keys() {
            words.update(key, |w| w.cue_start = true);
        }
        for key in brands.keys() {
            words.update(key, |w| w.brand_start = true);
        }
        for (entry, _) in SPECIAL_CASES.iter().chain(BOOSTER_NGRAMS) {
            let first = entry.split(' ').next().unwrap_or(entry);
            words.update(first, |w| w.idiom_start = true);
        }
        Analyzer {
            lexicon,
            words,
            emoji: emoji_map(),
            brands,
            cues,
            like_subject,
            like_adverb,
            compat: self.vader_compat,
        }
    }
}

fn add_brand(brands: &mut PhraseIndex, words: &[&str]) {
    let list = brands.entry(words[0].into()).or_default();
    if !list
        .iter()
        .any(|b| b.len() == words.len() && b.iter().zip(words).all(|(a, b)| &**a == *b))
    {
        list.push(words.iter().map(|w| Box::from(*w)).collect());
        list.sort_by_key(|b| std::cmp::Reverse(b.len()));
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

/// What the analyzer knows about one lower-cased word.
#[derive(Debug, Clone, Copy, Default)]
struct WordInfo {
    entry: Option<Entry>,
    booster: Option<f64>,
    negation: bool,
    /// The first word of a multi-word lexicon phrase, cue phrase or brand name.
    phrase_start: bool,
    cue_start: bool,
    brand_start: bool,
    /// The first word of an entry of [`SPECIAL_CASES`] or [`BOOSTER_NGRAMS`].
    idiom_start: bool,
}

/// [`WordInfo`] in 16 bytes, so that the map's buckets take 32 bytes: the lexicon's table
/// then stays in the caches, where lookups of the text's words go at every token.
#[derive(Debug, Clone, Copy, Default)]
struct PackedInfo {
    valence: f64,
    /// `None`: no lexicon entry.
    layer: Option<Layer>,
    /// 1 for a booster ([`B_INCR`]), -1 for a dampener ([`B_DECR`]).
    booster: i8,
    flags: u8,
}

const NEGATION: u8 = 1;
const PHRASE_START: u8 = 2;
const CUE_START: u8 = 4;
const BRAND_START: u8 = 8;
const IDIOM_START: u8 = 16;

impl PackedInfo {
    fn pack(info: WordInfo) -> PackedInfo {
        let flag = |on: bool, bit: u8| if on { bit } else { 0 };
        PackedInfo {
            valence: info.entry.map_or(0.0, |e| e.valence),
            layer: info.entry.map(|e| e.layer),
            booster: match info.booster {
                None => 0,
                Some(b) if b == B_INCR => 1,
                Some(b) if b == B_DECR => -1,
                Some(b) => unreachable!("booster {b} is neither B_INCR nor B_DECR"),
            },
            flags: flag(info.negation, NEGATION)
                | flag(info.phrase_start, PHRASE_START)
                | flag(info.cue_start, CUE_START)
                | flag(info.brand_start, BRAND_START)
                | flag(info.idiom_start, IDIOM_START),
        }
    }

    #[inline]
    fn unpack(self) -> WordInfo {
        WordInfo {
            entry: self.layer.map(|layer| Entry {
                valence: self.valence,
                layer,
            }),
            booster: match self.booster {
                0 => None,
                1 => Some(B_INCR),
                _ => Some(B_DECR),
            },
            negation: self.flags & NEGATION != 0,
            phrase_start: self.flags & PHRASE_START != 0,
            cue_start: self.flags & CUE_START != 0,
            brand_start: self.flags & BRAND_START != 0,
            idiom_start: self.flags & IDIOM_START != 0,
        }
    }
}

/// Word -> [`WordInfo`]. Words of up to 15 bytes (nearly all) are packed into a `u128`
/// key, so a lookup hashes two machine words and never follows a pointer to compare keys.
#[derive(Debug, Clone, Default)]
struct WordMap {
    short: FxHashMap<u128, PackedInfo>,
    long: FxHashMap<Box<[u8]>, PackedInfo>,
}

impl WordMap {
    /// Packs bytes (little-endian) and length (in the top byte), so "a" and "a\0" differ.
    /// Reads the bytes with a few overlapping loads: copying them into a buffer and loading
    /// it back stalls the processor (the small stores cannot be forwarded to the load).
    #[inline]
    fn pack(b: &[u8]) -> Option<u128> {
        let n = b.len();
        let le64 = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        let le32 = |i: usize| u64::from(u32::from_le_bytes(b[i..i + 4].try_into().unwrap()));
        let (lo, hi) = match n {
            0 => (0, 0),
            1..=3 => {
                let byte = |i: usize| u64::from(b[i]) << (8 * i);
                (byte(0) | byte(n / 2) | byte(n - 1), 0)
            }
            4..=7 => (le32(0) | le32(n - 4) << (8 * (n - 4)), 0),
            8 => (le64(0), 0),
            9..=15 => (le64(0), le64(n - 8) >> (8 * (16 - n))),
            _ => return None,
        };
        Some(u128::from(lo) | u128::from(hi) << 64 | (n as u128) << 120)
    }

    /// What is known about `word` (bytes of a string: callers slice their buffers as
    /// bytes, which spares the character-boundary checks of slicing a `str`).
    #[inline]
    fn get(&self, word: &[u8]) -> Option<WordInfo> {
        let packed = match Self::pack(word) {
            Some(key) => self.short.get(&key),
            None => self.long.get(word),
        };
        packed.map(|p| p.unpack())
    }

    /// Changes what is known about `word`.
    fn update(&mut self, word: &str, change: impl FnOnce(&mut WordInfo)) {
        let slot = match Self::pack(word.as_bytes()) {
            Some(key) => self.short.entry(key).or_default(),
            None => self.long.entry(word.as_bytes().into()).or_default(),
        };
        let mut info = slot.unpack();
        change(&mut info);
        *slot = PackedInfo::pack(info);
    }
}

/// A token of the text being scored.
#[derive(Debug, Clone, Copy)]
struct Tok {
    /// Byte span of the token (punctuation stripped) in the text.
    start: usize,
    end: usize,
    /// Byte span of the lower-cased token in the scratch buffer.
    lo_start: usize,
    lo_end: usize,
    /// The text after the token, up to the next token, ends a sentence (`.`, `!`, `?`).
    ends_sentence: bool,
    entry: Option<Entry>,
    booster: Option<f64>,
    upper: bool,
    /// Capitalised like a name: an upper-case first letter and some lower-case letters.
    title: bool,
    /// The text after the token holds a `?`.
    ends_question: bool,
    /// Written as a #hashtag.
    hashtag: bool,
    /// The lower-cased token has an `'`.
    apostrophe: bool,
    negation: bool,
    phrase_start: bool,
    cue_start: bool,
    brand_start: bool,
    idiom_start: bool,
    /// Never negated: an emoji, an emoticon or a negator itself.
    shielded: bool,
}

impl Tok {
    /// Takes what the lexicon knows about the token, whose lower-cased form is `lower`
    /// (which has an `'` when `apostrophe`).
    fn set_info(&mut self, info: WordInfo, lower: &[u8], apostrophe: bool) {
        self.entry = info.entry;
        self.booster = info.booster;
        self.negation = info.negation || (apostrophe && lower.windows(3).any(|w| w == b"n't"));
        self.phrase_start = info.phrase_start;
        self.cue_start = info.cue_start;
        self.brand_start = info.brand_start;
        self.idiom_start = info.idiom_start;
    }
}

/// Classes of ASCII bytes (`BYTE_CLASS`): a token's classes are the OR of its bytes'.
type Class = u16;
const UPPER: Class = 1;
const LOWER: Class = 2;
const DIGIT: Class = 4;
const APOSTROPHE: Class = 8;
/// ASCII punctuation (`str.strip(string.punctuation)` strips these).
const PUNCT: Class = 16;
/// What [`glued_split`] cuts after: `.,;!?/`.
const GLUE: Class = 32;
/// What [`mask_rule`] needs: `@` of a handle, `:` of `http://`, `.` of `www.`.
const MASKABLE: Class = 64;
/// Unicode White_Space in ASCII: \t \n \x0b \x0c \r and space.
const SPACE: Class = 128;
const BANG: Class = 256;
const QUESTION: Class = 512;
/// The classes of a token that were not computed: every test answers "maybe".
const UNKNOWN: Class = Class::MAX;

static BYTE_CLASS: [Class; 256] = {
    let mut t = [0; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        let mut k = if b.is_ascii_uppercase() {
            UPPER
        } else if b.is_ascii_lowercase() {
            LOWER
        } else if b.is_ascii_digit() {
            DIGIT
        } else if matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
            SPACE
        } else {
            0
        };
        if b.is_ascii_punctuation() {
            k |= PUNCT;
        }
        if b == b'\'' {
            k |= APOSTROPHE;
        }
        if matches!(b, b'.' | b',' | b';' | b'!' | b'?' | b'/') {
            k |= GLUE;
        }
        if matches!(b, b'@' | b':' | b'.') {
            k |= MASKABLE;
        }
        if b == b'!' {
            k |= BANG;
        }
        if b == b'?' {
            k |= QUESTION;
        }
        t[c] = k;
        c += 1;
    }
    t
};

/// The OR of the classes of an ASCII string's bytes.
fn classes(s: &str) -> Class {
    s.bytes().fold(0, |acc, c| acc | BYTE_CLASS[usize::from(c)])
}

/// A text being tokenised, after emoji are replaced by their descriptions (at
/// `emoji_spans`).
#[derive(Debug, Clone, Copy)]
struct Source<'a> {
    text: &'a str,
    /// Take the ASCII path: the text is ASCII (and the general path is not forced).
    ascii: bool,
    emoji_spans: &'a [(usize, usize)],
}

impl Source<'_> {
    /// The [`classes`] of a token of this text, or [`UNKNOWN`] off the ASCII path.
    fn classes(&self, token: &str) -> Class {
        if self.ascii { classes(token) } else { UNKNOWN }
    }
}

/// Letter case and character classes of a token.
#[derive(Debug, Clone, Copy)]
struct Shape {
    /// [`is_upper`] of the token as written.
    upper: bool,
    /// [`is_title`] of the token as written.
    title: bool,
    /// The lower-cased token has an ASCII letter or digit.
    alnum: bool,
    /// The lower-cased token has an `'`.
    apostrophe: bool,
}

impl Shape {
    /// The shape of `word`, whose lower-cased form is `lower`; `class` is its [`classes`]
    /// for ASCII text, else [`UNKNOWN`].
    #[inline]
    fn of(word: &str, lower: &[u8], class: Class) -> Shape {
        if class == UNKNOWN {
            return Shape {
                upper: is_upper(word),
                title: is_title(word),
                alnum: lower.iter().any(u8::is_ascii_alphanumeric),
                apostrophe: lower.contains(&b'\''),
            };
        }
        let low = class & LOWER != 0;
        Shape {
            upper: class & UPPER != 0 && !low,
            title: word.as_bytes().first().is_some_and(u8::is_ascii_uppercase) && low,
            alnum: class & (UPPER | LOWER | DIGIT) != 0,
            apostrophe: class & APOSTROPHE != 0,
        }
    }
}

/// Per-thread buffers reused between calls, so scoring does not allocate in steady state.
#[derive(Debug, Default)]
struct Scratch {
    unescaped: String,
    emoji_spans: Vec<(usize, usize)>,
    text: String,
    lower: String,
    toks: Vec<Tok>,
    sent: Vec<f64>,
    hits: Vec<(CueKind, usize, usize)>,
    /// Take the general (Unicode) path for ASCII text too: tests compare the two paths.
    general: bool,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Receives the steps of a scoring run; a no-op for [`Analyzer::score`].
trait Trace {
    const ON: bool;
    fn rec(&mut self, token: &str, rule: &'static str, delta: f64);
}

struct NoTrace;

impl Trace for NoTrace {
    const ON: bool = false;
    #[inline(always)]
    fn rec(&mut self, _: &str, _: &'static str, _: f64) {}
}

impl Trace for Vec<Contribution> {
    const ON: bool = true;
    fn rec(&mut self, token: &str, rule: &'static str, delta: f64) {
        if delta != 0.0 || rule.starts_with("masked") {
            self.push(Contribution {
                token: token.to_string(),
                rule,
                delta,
            });
        }
    }
}

/// Python's `str.isupper`: at least one cased character and no lower-case one.
fn is_upper(s: &str) -> bool {
    if s.is_ascii() {
        let mut upper = false;
        for &b in s.as_bytes() {
            if b.is_ascii_lowercase() {
                return false;
            }
            upper |= b.is_ascii_uppercase();
        }
        upper
    } else {
        s.chars().any(char::is_uppercase) && !s.chars().any(char::is_lowercase)
    }
}

/// An upper-case first letter followed by at least one lower-case letter ("United", "K-Pop").
fn is_title(s: &str) -> bool {
    if s.is_ascii() {
        let b = s.as_bytes();
        return b.first().is_some_and(u8::is_ascii_uppercase)
            && b[1..].iter().any(u8::is_ascii_lowercase);
    }
    let mut chars = s.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
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
enum Tokens<'a> {
    Ascii(&'a str, usize),
    Unicode(std::str::SplitWhitespace<'a>),
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str, ascii: bool) -> Self {
        if ascii {
            Tokens::Ascii(text, 0)
        } else {
            Tokens::Unicode(text.split_whitespace())
        }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = (&'a str, Class);

    #[inline]
    fn next(&mut self) -> Option<(&'a str, Class)> {
        match self {
            Tokens::Unicode(it) => it.next().map(|t| (t, UNKNOWN)),
            Tokens::Ascii(text, pos) => {
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

/// Decodes literal `\uXXXX` escapes left by double-encoded exports ("don\u2019t",
/// "a\u002c b"), so they read as the characters they stand for.
fn unescape_u<'a>(text: &str, buf: &'a mut String) -> &'a str {
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

/// Whether a word has a run of three or more equal letters ("sooo", "loooove").
fn has_elongation(word: &str) -> bool {
    let b = word.as_bytes();
    b.windows(3)
        .any(|w| w[0] == w[1] && w[1] == w[2] && w[0].is_ascii_alphabetic())
}

/// Where to cut a token whose words are glued by punctuation: after a run of `.,;!?/`
/// that has at least two letters on each side ("delayed...again", "ok,thanks"), so that
/// "U.S.", "3.5", "w/the" and emoticons stay whole. Returns the byte offset of the second
/// word.
fn glued_split(raw: &str) -> Option<usize> {
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

fn normalize(score: f64) -> f64 {
    let n = score / (score * score + NORMALIZE_ALPHA).sqrt();
    if n.is_nan() {
        // Only for infinite sums, which finite lexicons cannot produce; be safe anyway.
        if score > 0.0 { 1.0 } else { -1.0 }
    } else {
        n.clamp(-1.0, 1.0)
    }
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
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => {
                let s = self.run(text, &mut scratch, &mut NoTrace);
                // Keep memory flat after an unusually long text.
                if scratch.lower.capacity() > 1 << 20
                    || scratch.text.capacity() > 1 << 20
                    || scratch.unescaped.capacity() > 1 << 20
                    || scratch.toks.capacity() > 1 << 14
                {
                    *scratch = Scratch::default();
                }
                s
            }
            Err(_) => self.run(text, &mut Scratch::default(), &mut NoTrace),
        })
    }

    /// Scores one text and lists the tokens and rules that moved the score.
    pub fn explain(&self, text: &str) -> (Scores, Vec<Contribution>) {
        let mut trace = Vec::new();
        let scores = self.run(text, &mut Scratch::default(), &mut trace);
        (scores, trace)
    }

    fn run<T: Trace>(&self, text: &str, sc: &mut Scratch, tr: &mut T) -> Scores {
        let Scratch {
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
        let n_upper = toks.iter().filter(|t| t.upper).count();
        let is_cap_diff = n_upper > 0 && n_upper < toks.len();

        // In Title Case Text Every Word Looks Like A Name; skip the proper-noun guard there.
        let n_title = toks.iter().filter(|t| t.title).count();
        let proper_nouns = n_title * 5 <= toks.len() * 2;
        let lw = |i: usize| &lower[toks[i].lo_start..toks[i].lo_end];
        for i in 0..toks.len() {
            let t = &toks[i];
            // "kind" starts the n-gram booster "kind of": its flag spares most string compares.
            let kind_of =
                t.idiom_start && lw(i) == "kind" && i + 1 < toks.len() && lw(i + 1) == "of";
            if t.booster.is_some() || kind_of {
                sent.push(0.0);
                continue;
            }
            let v = match t.entry {
                Some(_) if !self.compat && lw(i) == "like" && !self.like_is_verb(&lw, i) => {
                    if T::ON {
                        tr.rec(lw(i), "like-preposition", 0.0);
                    }
                    0.0
                }
                Some(_) if !self.compat && proper_nouns && is_proper_noun(toks, i) => {
                    if T::ON {
                        tr.rec(lw(i), "proper-noun", 0.0);
                    }
                    0.0
                }
                Some(entry) => self.valence(toks, &lw, i, entry, is_cap_diff, tr),
                None => 0.0,
            };
            sent.push(v);
        }

        if !self.compat {
            self.find_cues(toks, &lw, hits);
            self.sarcasm(toks, &lw, hits, sent, tr);
            self.irrealis(toks, &lw, hits, sent, tr);
            for (i, s) in sent.iter_mut().enumerate() {
                if *s < 0.0 {
                    let new = *s * NEGATIVE_WEIGHT;
                    if T::ON {
                        tr.rec(lw(i), "negativity", new - *s);
                    }
                    *s = new;
                }
            }
        }

        // "but": halve what comes before the first "but", add half to what comes after.
        // Compared as bytes: str slicing would check character boundaries at every token.
        let is_but = |t: &Tok| lower.as_bytes()[t.lo_start..t.lo_end] == *b"but";
        if let Some(bi) = toks.iter().position(is_but) {
            if self.compat {
                python_but_check(sent, bi, &lw, tr);
            } else {
                for (si, s) in sent.iter_mut().enumerate() {
                    if *s == 0.0 || si == bi {
                        continue;
                    }
                    let new = if si < bi { *s * 0.5 } else { *s * 1.5 };
                    if T::ON {
                        tr.rec(lw(si), "but", new - *s);
                    }
                    *s = new;
                }
            }
        }

        if !self.compat && qms > 0 && self.question_complaint(toks, hits, sent) {
            let cue = hits
                .iter()
                .find(|h| h.0 == CueKind::QuestionCue)
                .map_or("?", |h| lw(h.1));
            if T::ON {
                tr.rec(cue, "question-complaint", QUESTION_COMPLAINT);
            }
            sent.push(QUESTION_COMPLAINT);
        }
        let n_tokens = (!self.compat).then_some(toks.len());
        score_valence(sent, bangs, qms, n_tokens, tr)
    }

    /// Replaces emoji by their descriptions; returns `text` itself when it has none.
    fn replace_emoji<'a>(
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

    /// Splits on whitespace, strips punctuation, lower-cases, and masks handles and URLs.
    /// Returns the counts of `!` and `?` in the text, leaving out those in masked tokens.
    fn tokenize<T: Trace>(
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
        for (raw, class) in Tokens::new(src.text, src.ascii) {
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

    /// Takes what the lexicons know about each token, in one pass after tokenising.
    fn look_up(&self, lower: &mut String, toks: &mut [Tok]) {
        for tok in toks {
            let mut info = self.words.get(&lower.as_bytes()[tok.lo_start..tok.lo_end]);
            if info.is_none() && !self.compat {
                let lw = &lower[tok.lo_start..tok.lo_end];
                // earful: "goooood" and "loooove" are "good" and "love"; British spellings
                // of American lexicon entries ("favourite").
                let known = has_elongation(lw)
                    .then(|| self.unelongate(lw))
                    .flatten()
                    .or_else(|| self.american_spelling(lw));
                if let Some((found, form)) = known {
                    info = Some(found);
                    tok.lo_start = lower.len();
                    lower.push_str(&form);
                    tok.lo_end = lower.len();
                }
            }
            let lw = &lower.as_bytes()[tok.lo_start..tok.lo_end];
            tok.set_info(info.unwrap_or_default(), lw, tok.apostrophe);
            // earful: "can't believe there's no more" is not positive.
            tok.shielded |= !self.compat && (tok.negation || lw == b"no");
        }
    }

    /// Looks up "-our" words as "-or" and "-ise" words as "-ize": the known form and what
    /// the lexicon knows about it.
    fn american_spelling(&self, word: &str) -> Option<(WordInfo, String)> {
        let b = word.as_bytes();
        if b.len() < 6 {
            // Both rewrites need six letters ("colour", "apologise").
            return None;
        }
        let ise = ["ise", "ised", "ises", "ising", "isation", "isations"]
            .iter()
            .find(|suffix| word.len() > suffix.len() + 2 && word.ends_with(*suffix));
        let alt = if let Some(suffix) = ise {
            let pos = word.len() - suffix.len();
            format!("{}iz{}", &word[..pos], &word[pos + 2..])
        } else if let Some(pos) = b.windows(3).position(|w| w == b"our")
            && pos > 0
        {
            format!("{}or{}", &word[..pos], &word[pos + 3..])
        } else {
            return None;
        };
        let info = self.words.get(alt.as_bytes())?;
        info.entry?;
        Some((info, alt))
    }

    /// Looks up an elongated word with its runs of three or more letters cut to two, then to
    /// one: the known form and what the lexicon knows about it.
    fn unelongate(&self, word: &str) -> Option<(WordInfo, String)> {
        let chars: Vec<char> = word.chars().collect();
        for keep in [2, 1] {
            let mut cut = String::with_capacity(word.len());
            let mut i = 0;
            while i < chars.len() {
                let mut j = i;
                while j < chars.len() && chars[j] == chars[i] {
                    j += 1;
                }
                let n = if j - i >= 3 { keep } else { j - i };
                cut.extend(std::iter::repeat_n(chars[i], n));
                i = j;
            }
            if let Some(info) = self.words.get(cut.as_bytes())
                && info.entry.is_some()
            {
                return Some((info, cut));
            }
        }
        None
    }

    /// Drops tokens that spell a brand name (longest name first).
    fn mask_brands<T: Trace>(&self, lower: &str, toks: &mut Vec<Tok>, tr: &mut T) {
        let lw = |t: &Tok| &lower[t.lo_start..t.lo_end];
        let mut out = 0;
        let mut i = 0;
        while i < toks.len() {
            let mut matched = 0;
            let first = lw(&toks[i]);
            let possessive = first.ends_with('s') && strip_possessive(first).len() < first.len();
            let cands = if toks[i].brand_start || possessive {
                self.brands.get(strip_possessive(first))
            } else {
                None
            };
            if let Some(cands) = cands {
                for words in cands {
                    let n = words.len();
                    if i + n <= toks.len()
                        && words.iter().enumerate().all(|(k, w)| {
                            let tok = lw(&toks[i + k]);
                            &**w == tok || (k + 1 == n && &**w == strip_possessive(tok))
                        })
                    {
                        matched = n;
                        break;
                    }
                }
            }
            if matched > 0 {
                if T::ON {
                    let joined: Vec<&str> = toks[i..i + matched].iter().map(lw).collect();
                    tr.rec(&joined.join(" "), "masked-brand", 0.0);
                }
                // Keep a sentence end carried by the masked name on the previous token.
                if toks[i + matched - 1].ends_sentence && out > 0 {
                    toks[out - 1].ends_sentence = true;
                }
                i += matched;
            } else {
                toks[out] = toks[i];
                out += 1;
                i += 1;
            }
        }
        toks.truncate(out);
    }

    /// Merges multi-word lexicon phrases into one token each.
    fn merge_phrases(&self, text: &str, lower: &mut String, toks: &mut Vec<Tok>) {
        let mut out = 0;
        let mut i = 0;
        while i < toks.len() {
            let mut matched = 0;
            let cands = if toks[i].phrase_start {
                self.lexicon
                    .phrases_starting_with(&lower[toks[i].lo_start..toks[i].lo_end])
            } else {
                &[]
            };
            for words in cands {
                let n = words.len();
                if i + n <= toks.len()
                    && words[1..].iter().enumerate().all(|(k, w)| {
                        let t = &toks[i + 1 + k];
                        // A phrase does not run across the end of a sentence.
                        !toks[i + k].ends_sentence && **w == lower[t.lo_start..t.lo_end]
                    })
                {
                    matched = n;
                    break;
                }
            }
            if matched > 1 {
                let parts = &toks[i..i + matched];
                let lo_start = lower.len();
                for (k, t) in parts.iter().enumerate() {
                    if k > 0 {
                        lower.push(' ');
                    }
                    let (a, b) = (t.lo_start, t.lo_end);
                    lower.extend_from_within(a..b);
                }
                let last = parts[matched - 1];
                let upper = parts.iter().all(|t| is_upper(&text[t.start..t.end]));
                let info = self
                    .words
                    .get(&lower.as_bytes()[lo_start..])
                    .unwrap_or_default();
                let apostrophe = lower.as_bytes()[lo_start..].contains(&b'\'');
                let mut tok = Tok {
                    start: parts[0].start,
                    end: last.end,
                    lo_start,
                    lo_end: lower.len(),
                    ends_sentence: last.ends_sentence,
                    ends_question: last.ends_question,
                    entry: None,
                    booster: None,
                    upper,
                    title: parts[0].title,
                    hashtag: parts[0].hashtag,
                    apostrophe,
                    negation: false,
                    phrase_start: false,
                    cue_start: false,
                    brand_start: false,
                    idiom_start: false,
                    shielded: parts.iter().all(|t| t.shielded),
                };
                tok.set_info(info, &lower.as_bytes()[lo_start..], apostrophe);
                // The merged token starts with its first part's word.
                tok.idiom_start = parts[0].idiom_start;
                toks[out] = tok;
                i += matched;
            } else {
                if out != i {
                    toks[out] = toks[i];
                }
                i += 1;
            }
            out += 1;
        }
        toks.truncate(out);
    }

    /// "like" is the verb after a subject or auxiliary ("I like", "would like", "I really
    /// like"), otherwise a preposition or filler ("looks like", "like 3 hours").
    fn like_is_verb<'a>(&self, lw: &impl Fn(usize) -> &'a str, i: usize) -> bool {
        i > 0
            && (self.like_subject.contains(lw(i - 1))
                || (i > 1
                    && self.like_adverb.contains(lw(i - 1))
                    && self.like_subject.contains(lw(i - 2))))
    }

    /// VADER's `sentiment_valence` for the lexicon token at `i`.
    fn valence<'a, T: Trace>(
        &self,
        toks: &[Tok],
        lw: &impl Fn(usize) -> &'a str,
        i: usize,
        entry: Entry,
        is_cap_diff: bool,
        tr: &mut T,
    ) -> f64 {
        let n = toks.len();
        let item = lw(i);
        let base = entry.valence;
        let mut v = base;
        if T::ON {
            tr.rec(item, entry.layer.rule(), base);
        }
        let step = |v: &mut f64, new: f64, rule: &'static str, tr: &mut T| {
            if T::ON {
                tr.rec(item, rule, new - *v);
            }
            *v = new;
        };
        // "no" before another lexicon word is a negation, not a negative word itself.
        if item == "no" && i + 1 < n && toks[i + 1].entry.is_some() {
            step(&mut v, 0.0, "negation", tr);
        }
        let can_negate = self.compat || !toks[i].shielded;
        if can_negate
            && ((i > 0 && lw(i - 1) == "no")
                || (i > 1 && lw(i - 2) == "no")
                || (i > 2 && lw(i - 3) == "no" && matches!(lw(i - 1), "or" | "nor")))
        {
            step(&mut v, base * N_SCALAR, "negation", tr);
        }
        if toks[i].upper && is_cap_diff {
            let new = if v > 0.0 { v + C_INCR } else { v - C_INCR };
            step(&mut v, new, "caps", tr);
        }
        for start_i in 0..3 {
            if i > start_i && toks[i - start_i - 1].entry.is_none() {
                let w = &toks[i - start_i - 1];
                let mut s = 0.0;
                if let Some(b) = w.booster {
                    s = if v < 0.0 { -b } else { b };
                    if w.upper && is_cap_diff {
                        if v > 0.0 { s += C_INCR } else { s -= C_INCR }
                    }
                }
                if start_i == 1 {
                    s *= 0.95;
                } else if start_i == 2 {
                    s *= 0.9;
                }
                if s != 0.0 {
                    let new = v + s;
                    step(&mut v, new, "booster", tr);
                }
                let new = self.negation_check(toks, lw, v, start_i, i, can_negate);
                if new != v {
                    step(&mut v, new, "negation", tr);
                }
                if start_i == 2 {
                    let new = special_idioms(toks, lw, v, i);
                    if new != v {
                        step(&mut v, new, "idiom", tr);
                    }
                }
            }
        }
        // "least": "the least good" negates, "at least good" does not.
        if i > 1 && toks[i - 1].entry.is_none() && lw(i - 1) == "least" {
            if lw(i - 2) != "at" && lw(i - 2) != "very" {
                let new = v * N_SCALAR;
                step(&mut v, new, "least", tr);
            }
        } else if i > 0 && toks[i - 1].entry.is_none() && lw(i - 1) == "least" {
            let new = v * N_SCALAR;
            step(&mut v, new, "least", tr);
        }
        v
    }

    fn negation_check<'a>(
        &self,
        toks: &[Tok],
        lw: &impl Fn(usize) -> &'a str,
        v: f64,
        start_i: usize,
        i: usize,
        can_negate: bool,
    ) -> f64 {
        // earful: "never been more angry", "never ever so happy" intensify like VADER's
        // "never so good".
        let comparative = |j: usize| matches!(lw(j), "so" | "this" | "more" | "ever");
        match start_i {
            0 => {
                if toks[i - 1].negation && can_negate {
                    return v * N_SCALAR;
                }
            }
            1 => {
                let intensifies =
                    matches!(lw(i - 1), "so" | "this") || (!self.compat && comparative(i - 1));
                if lw(i - 2) == "never" && intensifies {
                    return v * 1.25;
                } else if lw(i - 2) == "without" && lw(i - 1) == "doubt" {
                    return v;
                } else if toks[i - 2].negation && can_negate {
                    return v * N_SCALAR;
                }
            }
            _ => {
                // VADER's condition; the second line fires without "never" (its quirk).
                if (lw(i - 3) == "never" && matches!(lw(i - 2), "so" | "this"))
                    || matches!(lw(i - 1), "so" | "this")
                    || (!self.compat
                        && lw(i - 3) == "never"
                        && (comparative(i - 2) || comparative(i - 1)))
                {
                    return v * 1.25;
                } else if lw(i - 3) == "without" && (lw(i - 2) == "doubt" || lw(i - 1) == "doubt") {
                    return v;
                } else if toks[i - 3].negation && can_negate {
                    return v * N_SCALAR;
                }
            }
        }
        v
    }

    /// Finds cue phrases (data/cues.tsv) in the token sequence.
    fn find_cues<'a>(
        &self,
        toks: &[Tok],
        lw: &impl Fn(usize) -> &'a str,
        hits: &mut Vec<(CueKind, usize, usize)>,
    ) {
        for i in 0..toks.len() {
            if !toks[i].cue_start {
                continue;
            }
            let Some(cands) = self.cues.get(lw(i)) else {
                continue;
            };
            for (kind, words) in cands {
                let n = words.len();
                if i + n <= toks.len() && words.iter().enumerate().all(|(k, w)| **w == *lw(i + k)) {
                    hits.push((*kind, i, n));
                }
            }
        }
    }

    /// Zeroes praise that is hypothetical: inside a question, or after an irrealis cue
    /// ("would", "if", "should") up to the end of its sentence or a clause break.
    fn irrealis<'a, T: Trace>(
        &self,
        toks: &[Tok],
        lw: &impl Fn(usize) -> &'a str,
        hits: &[(CueKind, usize, usize)],
        sent: &mut [f64],
        tr: &mut T,
    ) {
        let mut question = false;
        let mut blocked = [false; 64];
        let mut blocked_vec = Vec::new();
        let blocked: &mut [bool] = if toks.len() <= blocked.len() {
            &mut blocked[..toks.len()]
        } else {
            blocked_vec.resize(toks.len(), false);
            &mut blocked_vec
        };
        for i in (0..toks.len()).rev() {
            if toks[i].ends_sentence {
                question = toks[i].ends_question;
            }
            blocked[i] = question;
        }
        for &(kind, start, len) in hits {
            if kind != CueKind::Irrealis {
                continue;
            }
            for j in start + len..toks.len() {
                if hits.iter().any(|h| h.0 == CueKind::ClauseBreak && h.1 == j) {
                    break;
                }
                blocked[j] = true;
                if toks[j].ends_sentence {
                    break;
                }
            }
        }
        for (i, s) in sent.iter_mut().enumerate() {
            if blocked[i] && *s > 0.0 {
                if T::ON {
                    tr.rec(lw(i), "irrealis", -*s);
                }
                *s = 0.0;
            }
        }
    }

    /// Reverses praise that is sarcastic: an opener followed closely by a complaint, or a
    /// sarcastic formula in an otherwise negative text.
    fn sarcasm<'a, T: Trace>(
        &self,
        toks: &[Tok],
        lw: &impl Fn(usize) -> &'a str,
        hits: &[(CueKind, usize, usize)],
        sent: &mut [f64],
        tr: &mut T,
    ) {
        let n = toks.len();
        for &(kind, start, len) in hits {
            let end = start + len;
            let span_positive = sent[start..end].iter().any(|&s| s > 0.0);
            if !span_positive {
                continue;
            }
            let sarcastic = match kind {
                CueKind::SarcasmOpener => {
                    let marker = hits
                        .iter()
                        .any(|h| h.0 == CueKind::SarcasmMarker && h.1 == end);
                    marker || {
                        let mut found = false;
                        let multiword = len > 1;
                        let mut j = end;
                        while j < n && j < end + SARCASM_WINDOW {
                            if toks[j - 1].ends_sentence
                                || hits.iter().any(|h| h.0 == CueKind::ClauseBreak && h.1 == j)
                            {
                                break;
                            }
                            if sent[j] <= SARCASM_TRIGGER || (multiword && toks[j].negation) {
                                found = true;
                                break;
                            }
                            j += 1;
                        }
                        found
                    }
                }
                CueKind::SarcasmContext => {
                    let rest: f64 = sent[..start].iter().chain(&sent[end..]).sum();
                    rest <= SARCASM_TRIGGER
                }
                _ => false,
            };
            if sarcastic {
                for (k, s) in sent[start..end].iter_mut().enumerate() {
                    if *s > 0.0 {
                        let new = *s * SARCASM_SCALAR;
                        if T::ON {
                            tr.rec(lw(start + k), "sarcasm", new - *s);
                        }
                        *s = new;
                    }
                }
            }
        }
    }

    /// A question that opens with a complaint cue ("why", "when will", ...) and holds a
    /// complaint signal (a negative token, a negation or a complaint marker).
    fn question_complaint(
        &self,
        toks: &[Tok],
        hits: &[(CueKind, usize, usize)],
        sent: &[f64],
    ) -> bool {
        let Some(&(_, cue_start, _)) = hits.iter().find(|h| h.0 == CueKind::QuestionCue) else {
            return false;
        };
        let signal = sent[cue_start..].iter().any(|&s| s < 0.0)
            || toks[cue_start..].iter().any(|t| t.negation)
            || hits
                .iter()
                .any(|h| h.0 == CueKind::ComplaintMarker && h.1 >= cue_start);
        let praise = sent.iter().sum::<f64>() > 1.0;
        signal && !praise
    }
}

/// vaderSentiment's `_but_check` exactly, including its quirk: each value is looked up with
/// `list.index`, so when two tokens share a valence the first one is scaled twice.
fn python_but_check<'a, T: Trace>(
    sent: &mut [f64],
    bi: usize,
    lw: &impl Fn(usize) -> &'a str,
    tr: &mut T,
) {
    for k in 0..sent.len() {
        let val = sent[k];
        let Some(si) = sent.iter().position(|&x| x == val) else {
            continue;
        };
        let new = match si.cmp(&bi) {
            std::cmp::Ordering::Less => val * 0.5,
            std::cmp::Ordering::Greater => val * 1.5,
            std::cmp::Ordering::Equal => continue,
        };
        if T::ON {
            tr.rec(lw(si), "but", new - val);
        }
        sent[si] = new;
    }
}

/// A capitalised VADER word next to a capitalised word that carries no sentiment, neither at
/// the start of a sentence nor a hashtag: part of a name ("United States", "Jones County
/// Fair", "Super Concert", "Kevin Love", "Foo Fighters"). Customer-service entries are never
/// treated as names, so a capitalised complaint ("Delayed Flight") still counts.
fn is_proper_noun(toks: &[Tok], i: usize) -> bool {
    let starts = |j: usize| j == 0 || toks[j - 1].ends_sentence;
    let name_part = |j: usize| toks[j].title && !toks[j].hashtag && !starts(j);
    let t = &toks[i];
    let positive_vader = t
        .entry
        .is_some_and(|e| e.valence != 0.0 && e.layer == Layer::Vader);
    positive_vader
        && name_part(i)
        && ((i > 0 && name_part(i - 1) && toks[i - 1].entry.is_none())
            || (i + 1 < toks.len() && name_part(i + 1) && toks[i + 1].entry.is_none()))
}

/// Which mask, if any, applies to a raw (unstripped) token.
fn mask_rule(raw: &str) -> Option<&'static str> {
    let b = raw.as_bytes();
    let lead = b
        .iter()
        .position(|&c| !c.is_ascii_punctuation() || c == b'@')
        .unwrap_or(b.len());
    let b = &b[lead..];
    if b.len() > 1 && b[0] == b'@' {
        return Some("masked-handle");
    }
    let starts = |p: &[u8]| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p);
    if starts(b"http://") || starts(b"https://") || starts(b"www.") {
        return Some("masked-url");
    }
    None
}

fn strip_possessive(s: &str) -> &str {
    s.strip_suffix("'s")
        .or_else(|| s.strip_suffix("’s"))
        .unwrap_or(s)
}

/// Whether the tokens at `idxs`, joined by single spaces, spell `target`.
fn seq_is<'a>(lw: &impl Fn(usize) -> &'a str, idxs: &[usize], target: &str) -> bool {
    let mut rest = target;
    for (k, &i) in idxs.iter().enumerate() {
        if k > 0 {
            match rest.strip_prefix(' ') {
                Some(r) => rest = r,
                None => return false,
            }
        }
        match rest.strip_prefix(lw(i)) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

/// VADER's `_special_idioms_check` (only called with `i >= 3`).
fn special_idioms<'a>(toks: &[Tok], lw: &impl Fn(usize) -> &'a str, mut v: f64, i: usize) -> f64 {
    let n = toks.len();
    // The first entry of `table` that the tokens at `seq` spell. Most sequences do not
    // start with the first word of any entry, or differ from each in length: both are
    // tested before any string compare.
    let find = |seq: &[usize], table: &[(&str, f64)]| {
        if !toks[seq[0]].idiom_start {
            return None;
        }
        let len = seq.iter().map(|&j| lw(j).len() + 1).sum::<usize>() - 1;
        table
            .iter()
            .find(|(p, _)| p.len() == len && seq_is(lw, seq, p))
            .map(|&(_, val)| val)
    };
    let seqs: [&[usize]; 5] = [
        &[i - 1, i],
        &[i - 2, i - 1, i],
        &[i - 2, i - 1],
        &[i - 3, i - 2, i - 1],
        &[i - 3, i - 2],
    ];
    if let Some(val) = seqs.iter().find_map(|seq| find(seq, SPECIAL_CASES)) {
        v = val;
    }
    if n - 1 > i
        && let Some(val) = find(&[i, i + 1], SPECIAL_CASES)
    {
        v = val;
    }
    if n - 1 > i + 1
        && let Some(val) = find(&[i, i + 1, i + 2], SPECIAL_CASES)
    {
        v = val;
    }
    let ngrams: [&[usize]; 3] = [&[i - 3, i - 2, i - 1], &[i - 3, i - 2], &[i - 2, i - 1]];
    for seq in ngrams {
        if let Some(val) = find(seq, BOOSTER_NGRAMS) {
            v += val;
        }
    }
    v
}

/// VADER's `score_valence`: sum, punctuation emphasis, normalisation and proportions.
fn score_valence<T: Trace>(
    sent: &[f64],
    bangs: usize,
    qms: usize,
    n_tokens: Option<usize>,
    tr: &mut T,
) -> Scores {
    if sent.is_empty() {
        return Scores::ZERO;
    }
    let mut sum: f64 = sent.iter().sum();
    let ep = bangs.min(4) as f64 * 0.292;
    let qm = match qms {
        0 | 1 => 0.0,
        2 | 3 => qms as f64 * 0.18,
        _ => 0.96,
    };
    let punct = ep + qm;
    if sum > 0.0 {
        sum += punct;
    } else if sum < 0.0 {
        sum -= punct;
    }
    if T::ON && sum != 0.0 && punct != 0.0 {
        let token = match (bangs > 0, qms > 1) {
            (true, true) => "!?",
            (true, false) => "!",
            _ => "?",
        };
        tr.rec(token, "punctuation", if sum > 0.0 { punct } else { -punct });
    }
    if let Some(n) = n_tokens
        && (n as f64) > LENGTH_REFERENCE
    {
        let new = sum * (LENGTH_REFERENCE / n as f64).sqrt();
        if T::ON && new != sum {
            tr.rec("", "length", new - sum);
        }
        sum = new;
    }
    let compound = normalize(sum);

    let mut pos_sum = 0.0;
    let mut neg_sum = 0.0;
    let mut neu = 0usize;
    for &s in sent {
        if s > 0.0 {
            pos_sum += s + 1.0;
        } else if s < 0.0 {
            neg_sum += s - 1.0;
        } else {
            neu += 1;
        }
    }
    if pos_sum > neg_sum.abs() {
        pos_sum += punct;
    } else if pos_sum < neg_sum.abs() {
        neg_sum -= punct;
    }
    let total = pos_sum + neg_sum.abs() + neu as f64;
    if total > 0.0 && total.is_finite() {
        Scores {
            compound,
            pos: (pos_sum / total).abs(),
            neg: (neg_sum / total).abs(),
            neu: (neu as f64 / total).abs(),
        }
    } else {
        Scores {
            compound,
            ..Scores::ZERO
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::*;

    fn ours() -> &'static Analyzer {
        static A: OnceLock<Analyzer> = OnceLock::new();
        A.get_or_init(Analyzer::new)
    }

    fn vader() -> &'static Analyzer {
        static A: OnceLock<Analyzer> = OnceLock::new();
        A.get_or_init(|| Analyzer::builder().vader_compat(true).build())
    }

    fn airline() -> &'static Analyzer {
        static A: OnceLock<Analyzer> = OnceLock::new();
        A.get_or_init(|| {
            Analyzer::builder()
                .brands(["United", "Virgin America", "@JetBlue"])
                .build()
        })
    }

    fn c(a: &Analyzer, text: &str) -> f64 {
        a.score(text).compound
    }

    /// -1, 0 or 1 by the label thresholds.
    fn sgn(x: f64) -> i8 {
        match label(x) {
            "negative" => -1,
            "neutral" => 0,
            _ => 1,
        }
    }

    fn rules(a: &Analyzer, text: &str) -> Vec<(String, &'static str)> {
        a.explain(text)
            .1
            .into_iter()
            .map(|c| (c.token, c.rule))
            .collect()
    }

    #[test]
    fn word_keys_pack_bytes_and_length() {
        let reference = |w: &str| {
            let mut buf = [0u8; 16];
            buf[..w.len()].copy_from_slice(w.as_bytes());
            buf[15] = w.len() as u8;
            u128::from_le_bytes(buf)
        };
        let word = "abcdefghijklmnopq";
        for n in 0..=15 {
            let w = &word[..n];
            assert_eq!(WordMap::pack(w.as_bytes()), Some(reference(w)), "{w:?}");
            // A zero byte is a byte like any other.
            let z = format!("{}\0", &word[..n.saturating_sub(1)]);
            assert_eq!(WordMap::pack(z.as_bytes()), Some(reference(&z)), "{z:?}");
        }
        assert_eq!(WordMap::pack(&word.as_bytes()[..16]), None);
    }

    #[test]
    fn analyzer_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Analyzer>();
    }

    /// Values printed by vaderSentiment 3.3.2 (compound rounded to 4 places, the rest to 3).
    #[test]
    fn vader_compat_matches_python() {
        let cases: &[(&str, f64, f64, f64, f64)] = &[
            (
                "VADER is smart, handsome, and funny.",
                0.8316,
                0.746,
                0.0,
                0.254,
            ),
            (
                "VADER is smart, handsome, and funny!",
                0.8439,
                0.752,
                0.0,
                0.248,
            ),
            (
                "VADER is very smart, handsome, and funny.",
                0.8545,
                0.701,
                0.0,
                0.299,
            ),
            (
                "VADER is VERY SMART, handsome, and FUNNY.",
                0.9227,
                0.754,
                0.0,
                0.246,
            ),
            (
                "VADER is VERY SMART, handsome, and FUNNY!!!",
                0.9342,
                0.767,
                0.0,
                0.233,
            ),
            (
                "VADER is not smart, handsome, nor funny.",
                -0.7424,
                0.0,
                0.646,
                0.354,
            ),
            ("The book was good.", 0.4404, 0.492, 0.0, 0.508),
            (
                "At least it isn't a horrible book.",
                0.431,
                0.322,
                0.0,
                0.678,
            ),
            ("The book was only kind of good.", 0.3832, 0.303, 0.0, 0.697),
            (
                "The plot was good, but the characters are uncompelling and the dialog is not great.",
                -0.7042,
                0.094,
                0.327,
                0.579,
            ),
            ("Today SUX!", -0.5461, 0.0, 0.779, 0.221),
            (
                "Today only kinda sux! But I'll get by, lol",
                0.5249,
                0.317,
                0.127,
                0.556,
            ),
            ("Make sure you :) or :D today!", 0.8633, 0.706, 0.0, 0.294),
            (
                "Catch utf-8 emoji such as 💘 and 💋 and 😁",
                0.875,
                0.417,
                0.0,
                0.583,
            ),
            ("Not bad at all", 0.431, 0.487, 0.0, 0.513),
            (
                "Sentiment analysis has never been this good!",
                0.5672,
                0.379,
                0.0,
                0.621,
            ),
            (
                "With VADER, sentiment analysis is the shit!",
                0.6476,
                0.417,
                0.0,
                0.583,
            ),
            (
                "Roger Dodger is one of the least compelling variations on this theme.",
                -0.1695,
                0.0,
                0.132,
                0.868,
            ),
            ("not the food was good", 0.4404, 0.42, 0.0, 0.58),
            ("I am happy??", 0.6199, 0.67, 0.0, 0.33),
            ("I am happy!!!!!!", 0.7067, 0.709, 0.0, 0.291),
            ("it is good but bad", -0.5859, 0.201, 0.49, 0.309),
            ("@united is great", 0.7845, 0.873, 0.0, 0.127),
            ("", 0.0, 0.0, 0.0, 0.0),
        ];
        for &(text, compound, pos, neg, neu) in cases {
            let s = vader().score(text);
            assert!((s.compound - compound).abs() < 6e-5, "{text:?}: {s:?}");
            assert!((s.pos - pos).abs() < 6e-4, "{text:?}: {s:?}");
            assert!((s.neg - neg).abs() < 6e-4, "{text:?}: {s:?}");
            assert!((s.neu - neu).abs() < 6e-4, "{text:?}: {s:?}");
        }
    }

    #[test]
    fn negation_scope() {
        // (text, expected sign of compound) for the default analyzer.
        let cases: &[(&str, i8)] = &[
            ("good", 1),
            ("not good", -1),
            ("isn't good", -1),
            ("not very good", -1),
            ("not at all good", -1), // "not" three tokens back still negates
            ("not the food was good", 1), // four tokens back is out of scope
            ("never so good", 1),    // "never so" intensifies instead
            ("not bad", 1),
            ("no problems", 1),
            ("without a doubt good", 1),
            // Emoji, emoticons and negators are never negated.
            ("I don't want to go :(", -1),
            ("I don't want 😢", -1),
            ("can't believe there's no", -1),
            // "never ... more" intensifies.
            ("I have never been more angry", -1),
            ("never been more happy", 1),
        ];
        for &(text, sign) in cases {
            let got = c(ours(), text);
            assert_eq!(sgn(got), sign, "{text:?}: {got}");
        }
        assert!(rules(ours(), "not good").contains(&("good".into(), "negation")));
    }

    #[test]
    fn but_clause_shifts_weight_to_the_second_half() {
        let cases: &[(&str, i8)] = &[
            ("the seats were good but the food was bad", -1),
            ("the food was bad but the seats were good", 1),
        ];
        for &(text, sign) in cases {
            assert_eq!(sgn(c(ours(), text)), sign, "{text:?}");
        }
        let why = rules(ours(), "good but bad");
        assert!(why.contains(&("good".into(), "but")));
        assert!(why.contains(&("bad".into(), "but")));
    }

    #[test]
    fn caps_and_exclamation_emphasis() {
        // (weaker, stronger)
        let cases: &[(&str, &str)] = &[
            ("I am happy", "I am HAPPY"),
            ("I am happy", "I am happy!"),
            ("I am happy!", "I am happy!!!"),
            ("this is bad", "this is BAD"),
        ];
        for &(weak, strong) in cases {
            let (w, s) = (c(ours(), weak).abs(), c(ours(), strong).abs());
            assert!(
                s > w,
                "{strong:?} ({s}) should be stronger than {weak:?} ({w})"
            );
        }
        // "!" counts up to four; all-caps text has no caps differential.
        assert_eq!(c(ours(), "happy!!!!"), c(ours(), "happy!!!!!!!!"));
        assert_eq!(c(ours(), "I AM HAPPY"), c(ours(), "i am happy"));
        assert!(rules(ours(), "I am HAPPY").contains(&("happy".into(), "caps")));
    }

    #[test]
    fn emoji_and_emoticons() {
        let cases: &[(&str, i8)] = &[
            ("😀", 1),
            ("😠", -1),
            ("❤️", 1), // red heart + variation selector
            (":)", 1),
            (":(", -1),
            (":-)", 1),
            ("<3", 1),
            ("🙂🙂", 1),
            ("flight 🛫", 0),
        ];
        for &(text, sign) in cases {
            let got = c(ours(), text);
            assert_eq!(sgn(got), sign, "{text:?}: {got}");
        }
        // Skin-tone modifiers add nothing.
        assert_eq!(c(ours(), "😀🏽"), c(ours(), "😀"));
        // vaderSentiment glues the next word onto an emoji's description; we do not.
        assert!(c(ours(), "😀great") > c(ours(), "😀"));
        // vaderSentiment keeps short tokens with punctuation whole: "ok!" is unknown to it.
        assert!(c(ours(), "ok!") > 0.0);
        assert_eq!(c(vader(), "ok!"), 0.0);
    }

    #[test]
    fn masks_handles_urls_and_brands() {
        // (analyzer, text, expected compound equal to the score of `same_as`)
        let cases: &[(&Analyzer, &str, &str)] = &[
            (ours(), "@united", ""),
            (ours(), "@united thank you", "thank you"),
            (ours(), ".@united thank you", "thank you"),
            (ours(), "great https://t.co/great?x=1?y", "great"),
            (ours(), "great www.example.com/?q=!!", "great"),
            (airline(), "United", ""),
            (airline(), "I flew United Airlines", "I flew Airlines"),
            (airline(), "#United again", "again"),
            (airline(), "United's crew", "crew"),
            (airline(), "virginamerica rocks", "rocks"),
            (airline(), "Virgin America rocks", "rocks"),
            (airline(), "flying jetblue", "flying"),
        ];
        for &(a, text, same_as) in cases {
            assert_eq!(c(a, text), c(a, same_as), "{text:?} vs {same_as:?}");
        }
        assert!(
            c(vader(), "@united") > 0.0,
            "vaderSentiment reads @united as positive"
        );
        let why = rules(airline(), "@united United great http://x.y");
        assert!(why.contains(&("@united".into(), "masked-handle")));
        assert!(why.contains(&("united".into(), "masked-brand")));
        assert!(why.contains(&("http://x.y".into(), "masked-url")));
        // A brand name is masked only as whole words.
        assert!(c(airline(), "we stand united") == 0.0 || c(airline(), "reunited") > 0.0);
    }

    #[test]
    fn customer_service_phrases() {
        let cases: &[(&str, &str)] = &[
            ("I have been on hold for 2 hours", "on hold"),
            ("still waiting for my refund", "still waiting"),
            ("my package never arrived", "never arrived"),
            ("you charged twice for one ticket", "charged twice"),
            ("lost luggage again", "lost luggage"),
            ("no response from support", "no response"),
            ("flight delayed", "delayed"),
            ("stuck at the gate", "stuck"),
        ];
        for &(text, token) in cases {
            assert!(c(ours(), text) < -0.05, "{text:?}: {}", c(ours(), text));
            let why = rules(ours(), text);
            assert!(
                why.contains(&(token.into(), "customer-service")),
                "{text:?}: {why:?}"
            );
        }
        assert_eq!(c(vader(), "I have been on hold for 2 hours"), 0.0);
        // Negation in front of a phrase still applies.
        assert!(c(ours(), "never stuck on hold") > 0.0);
        // A phrase does not run across a sentence end.
        assert!(
            !rules(ours(), "I am on. Hold on")
                .iter()
                .any(|r| r.0 == "on hold")
        );
    }

    #[test]
    fn sarcasm_cues() {
        let sarcastic = [
            "great, another delay",
            "Great. Another delay",
            "love being on hold",
            "thanks for the delay",
            "thanks for nothing",
            "thanks a lot, now my bag is lost and nobody answers",
            "love how you can't answer a simple question",
            "oh great, yet another email",
        ];
        for text in sarcastic {
            assert!(c(ours(), text) < -0.05, "{text:?}: {}", c(ours(), text));
            assert!(c(vader(), text) > c(ours(), text), "{text:?}");
        }
        let sincere = [
            "great flight, thanks!",
            "thanks for the help",
            "love the new seats",
            "thanks a lot, you made my day",
            "great crew, and the delay was short",
        ];
        for text in sincere {
            assert!(c(ours(), text) > 0.05, "{text:?}: {}", c(ours(), text));
        }
        assert!(rules(ours(), "great, another delay").contains(&("great".into(), "sarcasm")));
    }

    #[test]
    fn complaint_questions() {
        let cases: &[(&str, i8)] = &[
            ("why is my flight delayed again?", -1),
            ("when will I get my refund?", -1),
            ("why can't I check in online?", -1),
            ("how long do I have to wait on hold?", -1),
            ("when does the lounge open?", 0),
            ("why is the sky blue", 0),
        ];
        for &(text, sign) in cases {
            let got = c(ours(), text);
            assert_eq!(
                label(got),
                ["negative", "neutral", "positive"][(sign + 1) as usize],
                "{text:?}: {got}"
            );
        }
        assert!(
            c(ours(), "why can't I check in online?") < c(vader(), "why can't I check in online?")
        );
        assert!(
            rules(ours(), "why can't I check in online?")
                .iter()
                .any(|r| r.1 == "question-complaint")
        );
    }

    #[test]
    fn like_proper_nouns_and_irrealis() {
        let cases: &[(&str, i8)] = &[
            ("looks like rain", 0),
            ("I like it", 1),
            ("I really like it", 1),
            ("we waited like 3 hours", 0),
            ("last weekend we took the kids to the Jones County Fair", 0),
            ("the fair was fair", 1),
            ("it would be nice if someone answered", 0),
            ("is my flight on time?", 0),
            ("my flight is on time", 1),
            ("if this is delayed again I will scream", -1),
        ];
        for &(text, sign) in cases {
            let got = c(ours(), text);
            assert_eq!(sgn(got), sign, "{text:?}: {got}");
        }
    }

    #[test]
    fn tweet_spelling() {
        // (text, reads like)
        let cases: &[(&str, &str)] = &[
            ("don’t like it", "don't like it"),
            ("don\\u2019t like it", "don't like it"),
            ("so goooood", "so good"),
            ("loooove it", "love it"),
            ("delayed...again", "delayed... again"),
            ("great,thanks", "great, thanks"),
            ("bad\\u002c sad", "bad, sad"),
            ("my favourite seat", "my favorite seat"),
            ("they antagonised me", "they antagonized me"),
        ];
        for &(text, same_as) in cases {
            assert_eq!(
                c(ours(), text),
                c(ours(), same_as),
                "{text:?} vs {same_as:?}"
            );
        }
        // Not split: initials, numbers, "w/".
        let cases: &[(&str, usize)] = &[
            ("U.S.", 1),
            ("3.5", 1),
            ("w/the", 1),
            ("and/or", 2),
            ("wait...what", 2),
        ];
        for &(text, n) in cases {
            for ascii in [true, false] {
                let mut scratch = Scratch::default();
                let mut lower = String::new();
                let src = Source {
                    text,
                    ascii,
                    emoji_spans: &[],
                };
                ours().tokenize(src, &mut lower, &mut scratch.toks, &mut NoTrace);
                assert_eq!(scratch.toks.len(), n, "{text:?}");
            }
        }
        assert!(c(ours(), "can't wait for the weekend") > 0.3);
        assert!(c(vader(), "can't wait for the weekend") == 0.0);
        // Unknown escapes are left alone.
        assert_eq!(c(ours(), "\\uZZZZ good"), c(ours(), "good"));
    }

    /// Hand-written mentions with the airline names as brands: the labels a support team
    /// would give.
    #[test]
    fn customer_mentions_golden() {
        let a = Analyzer::builder()
            .brands([
                "United",
                "Delta",
                "JetBlue",
                "American Airlines",
                "SouthwestAir",
            ])
            .build();
        let cases: &[(&str, &str)] = &[
            (
                "@united thanks for the quick response, rebooked on the next flight",
                "positive",
            ),
            (
                "@SouthwestAir I've been on hold for 2 hours. Unacceptable.",
                "negative",
            ),
            (
                "@JetBlue flight was delayed but the crew was amazing",
                "positive",
            ),
            ("@AmericanAir can you help me change my flight?", "neutral"),
            ("@delta lost my bag again. Thanks a lot.", "negative"),
            (
                "@united great, another delay. love sitting on the tarmac",
                "negative",
            ),
            ("@JetBlue best airline ever! ❤️", "positive"),
            ("@united why is my flight delayed again?", "negative"),
            ("@Delta when will I get my refund?", "negative"),
            ("@SouthwestAir what time does boarding start?", "neutral"),
            ("United Airlines is the worst", "negative"),
            ("I flew United today", "neutral"),
            ("@united thank you so much for getting me home!", "positive"),
            (
                "@delta still waiting for my refund, no response to emails",
                "negative",
            ),
            (
                "@JetBlue charged twice for the same seat. Please fix",
                "negative",
            ),
            ("@united my luggage never arrived", "negative"),
            ("Not bad at all, @JetBlue", "positive"),
            (
                "@united customer service was rude and unhelpful",
                "negative",
            ),
            ("@SouthwestAir you guys rock 🙌", "positive"),
            ("@united Is there wifi on this flight?", "neutral"),
            ("@delta thanks for nothing", "negative"),
            ("thanks so much for nothing", "negative"),
            ("The new app is great but it keeps crashing", "negative"),
            (
                "Love how @united can't answer a simple question",
                "negative",
            ),
        ];
        for &(text, want) in cases {
            let got = a.score(text).compound;
            assert_eq!(label(got), want, "{text:?}: {got}");
        }
    }

    #[test]
    fn labels_and_thresholds() {
        let cases: &[(f64, &str)] = &[
            (-1.0, "negative"),
            (NEGATIVE_THRESHOLD, "negative"),
            (NEGATIVE_THRESHOLD + 1e-9, "neutral"),
            (0.0, "neutral"),
            (f64::NAN, "neutral"),
            (POSITIVE_THRESHOLD - 1e-9, "neutral"),
            (POSITIVE_THRESHOLD, "positive"),
            (1.0, "positive"),
        ];
        for &(x, want) in cases {
            assert_eq!(label(x), want, "{x}");
        }
    }

    #[test]
    fn explain_adds_up_to_compound() {
        for text in [
            "great, another delay",
            "The plot was good, but the characters are uncompelling!!",
            "why is my flight delayed again??",
            "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
            "@united not bad at all :)",
            "",
        ] {
            for a in [ours(), vader()] {
                let (scores, why) = a.explain(text);
                assert_eq!(scores, a.score(text), "{text:?}");
                let sum: f64 = why.iter().map(|c| c.delta).sum();
                let want = if sum == 0.0 { 0.0 } else { normalize(sum) };
                assert!((want - scores.compound).abs() < 1e-9, "{text:?}: {why:?}");
            }
        }
    }

    #[test]
    fn lexicon_file_adds_and_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("extra.tsv");
        std::fs::write(
            &path,
            "# team lexicon\nboarding pass\t-2.5\ngreat\t-1\n\nwidget\t2.0\t0.5\t[2, 2]\n",
        )
        .unwrap();
        let a = Analyzer::builder().lexicon_file(&path).unwrap().build();
        assert!(c(&a, "great") < 0.0);
        assert!(c(&a, "widget") > 0.0);
        assert!(c(&a, "my Boarding Pass") < 0.0);
        assert!(a.explain("boarding pass").1.contains(&Contribution {
            token: "boarding pass".into(),
            rule: "user-lexicon",
            delta: -2.5
        }));
        // A user entry survives vader_compat, where phrases are not matched.
        let compat = Analyzer::builder()
            .vader_compat(true)
            .lexicon_file(&path)
            .unwrap()
            .build();
        assert!(c(&compat, "great") < 0.0);
    }

    #[test]
    fn lexicon_file_errors_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let cases: &[(&str, &str)] = &[
            (
                "ok\t1\nno tab here\n",
                "bad.tsv:2: expected token<TAB>valence",
            ),
            ("# c\n\nx\tabc\n", "bad.tsv:3: invalid valence \"abc\""),
            ("x\t1\n\t2\n", "bad.tsv:2: empty token"),
            (
                "x\tNaN\n",
                "bad.tsv:1: valence for \"x\" is not a finite number",
            ),
        ];
        for &(content, want) in cases {
            let path = dir.path().join("bad.tsv");
            std::fs::write(&path, content).unwrap();
            let err = Analyzer::builder().lexicon_file(&path).err().unwrap();
            let msg = err.to_string();
            assert!(msg.ends_with(want) || msg.contains(want), "{msg}");
            assert!(msg.contains(&*path.display().to_string()), "{msg}");
        }
        let missing = dir.path().join("missing.tsv");
        let err = Analyzer::builder().lexicon_file(&missing).err().unwrap();
        assert!(matches!(err, LexiconError::Io { .. }));
        assert!(err.to_string().starts_with("reading lexicon "), "{err}");
        assert!(err.to_string().contains("missing.tsv"), "{err}");
    }

    #[test]
    fn odd_inputs() {
        let long = "bad ".repeat(100_000);
        for text in [
            "",
            "   \n\t ",
            "!!!???",
            "no",
            "no no no",
            "but",
            "kind of",
            "least",
            "\u{0}\u{200D}\u{FE0F}",
            "🏽",
            long.as_str(),
        ] {
            for a in [ours(), vader(), airline()] {
                let s = a.score(text);
                assert!((-1.0..=1.0).contains(&s.compound), "{text:?}: {s:?}");
            }
        }
        assert!(c(ours(), &long) < -0.99);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn never_panics_and_stays_in_range(text in "\\PC{0,200}") {
            for a in [ours(), vader(), airline()] {
                let s = a.score(&text);
                prop_assert!((-1.0..=1.0).contains(&s.compound));
                for x in [s.pos, s.neg, s.neu] {
                    prop_assert!((0.0..=1.0).contains(&x));
                }
                prop_assert_eq!(s, a.score(&text));
                prop_assert_eq!(s, a.explain(&text).0);
            }
        }

        #[test]
        fn ascii_path_agrees_with_general_path(
            words in proptest::collection::vec(
                prop_oneof![
                    "[ -~]{1,12}",
                    prop::sample::select(vec![
                        "not", "don't", "no", "but", "GREAT", "Great", "sooo", "goooood",
                        "colour", "apologise", "@united", "http://x.co", "www.x.com", ":)",
                        ":D", "ok!", "ok,thanks", "delayed...again", "U.S.", "#fail", "on",
                        "hold", "thanks", "for", "nothing", "?", "!", "kind", "of", "least",
                        "shouldn't've", "Wouldn't've", "good", "bad", "love", "like", "i",
                    ]).prop_map(String::from),
                ],
                0..30,
            ),
            seps in proptest::collection::vec(prop::sample::select(vec![" ", "  ", "\t", "\n", "\r\n"]), 30),
        ) {
            let mut text = String::new();
            for (w, sep) in words.iter().zip(&seps) {
                text.push_str(w);
                text.push_str(sep);
            }
            for a in [ours(), vader(), airline()] {
                let mut general = Scratch { general: true, ..Scratch::default() };
                let (mut slow_trace, mut fast_trace) = (Vec::new(), Vec::new());
                let slow = a.run(&text, &mut general, &mut slow_trace);
                let fast = a.run(&text, &mut Scratch::default(), &mut fast_trace);
                prop_assert_eq!(fast, slow);
                prop_assert_eq!(fast_trace, slow_trace);
            }
        }

        #[test]
        fn word_soup_never_panics(words in proptest::collection::vec(
            prop::sample::select(vec![
                "not", "no", "but", "great", "GREAT", "delay", "on", "hold", "why", "?", "!",
                "kind", "of", "least", "at", "very", "@united", "United", "like", "I", "would",
                "thanks", "for", "nothing", "another", ":)", "😀", "never", "so", "this",
                "the", "shit", "yeah", "right", "http://x", ".", ",",
            ]),
            0..40,
        )) {
            let text = words.join(" ");
            for a in [ours(), vader(), airline()] {
                let s = a.score(&text);
                prop_assert!((-1.0..=1.0).contains(&s.compound));
                prop_assert_eq!(s, a.score(&text));
            }
        }
    }
}
