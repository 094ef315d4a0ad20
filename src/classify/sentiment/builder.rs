//! [`AnalyzerBuilder`]: brands, lexicon files and VADER compatibility, compiled into the
//! tables an [`Analyzer`] looks words up in.

use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};

use super::tables::{BOOSTER_NGRAMS, BOOSTERS, NEGATE, SPECIAL_CASES};
use super::words::WordMap;
use super::{Analyzer, CueIndex};
use crate::classify::lexicon::{
    CueKind, Cues, Layer, Lexicon, LexiconError, PhraseIndex, emoji_map, normalize_key,
};

/// Builds an [`Analyzer`]: brand names to mask, extra lexicon files, VADER compatibility.
#[derive(Debug, Clone, Default)]
pub struct AnalyzerBuilder {
    pub(super) brands: Vec<String>,
    pub(super) user: Lexicon,
    pub(super) vader_compat: bool,
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
