//! Text to a sparse feature vector: hashed word unigrams and bigrams, character n-grams
//! inside words, and the default sentiment engine's scores as a few dense features.
//!
//! A text's hashed features are listed occurrence by occurrence (no counting, no sorting),
//! each with the weight of its block: `1 / sqrt(occurrences in the block)`. The vector is
//! the sum of those, so a model's score is one pass over the list, and the squared norm of
//! each block is at most 1 (exactly 1 when no feature repeats).

use serde::{Deserialize, Serialize};

use crate::classify::Scores;

/// Dense features after the hashed space: a bias, then the sentiment engine's `compound`,
/// `pos`, `neg`, `neu`.
pub const DENSE: usize = 5;

/// How texts become features. Stored in the model file, so a model featurises texts as it
/// was trained.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FeatureConfig {
    /// The hashed space has `2^bits` slots.
    pub bits: u8,
    /// Word n-grams from 1 to this (1 or 2).
    pub word_ngrams: u8,
    /// Character n-grams inside words (with `<` and `>` marking the word's ends), from
    /// `char_min` to `char_max` bytes; `char_max` 0 turns them off.
    pub char_min: u8,
    pub char_max: u8,
    /// Weight of the character n-gram block relative to the word block.
    pub char_weight: f32,
    /// Weight of the sentiment engine's scores (0 turns them off).
    pub sentiment_weight: f32,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig {
            bits: 18,
            word_ngrams: 2,
            char_min: 3,
            char_max: 5,
            char_weight: 1.0,
            sentiment_weight: 1.0,
        }
    }
}

impl FeatureConfig {
    /// Number of weights per class: the hashed slots and the dense features.
    pub fn dim(&self) -> usize {
        (1usize << self.bits) + DENSE
    }

    /// Reads `--char-ngrams`: `MIN-MAX` (`3-5`), or `0` for none.
    pub fn parse_char_ngrams(s: &str) -> Result<(u8, u8), String> {
        if s.trim() == "0" {
            return Ok((0, 0));
        }
        s.split_once('-')
            .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)))
            .ok_or_else(|| format!("expected MIN-MAX or 0, found {s:?}"))
    }

    /// Checks values read from a file or given by a caller.
    pub fn check(&self) -> Result<(), String> {
        if !(8..=24).contains(&self.bits) {
            return Err(format!("hash bits {} out of 8..=24", self.bits));
        }
        if !(1..=2).contains(&self.word_ngrams) {
            return Err(format!("word n-grams {} out of 1..=2", self.word_ngrams));
        }
        if self.char_max != 0
            && !(1 <= self.char_min && self.char_min <= self.char_max && self.char_max <= 8)
        {
            return Err(format!(
                "character n-grams {}..={} out of 1..=8",
                self.char_min, self.char_max
            ));
        }
        if !self.char_weight.is_finite() || !self.sentiment_weight.is_finite() {
            return Err("feature weights must be finite".to_owned());
        }
        Ok(())
    }
}

/// The features of one text: hashed slots with their values, then the dense values.
#[derive(Debug, Clone, Default)]
pub struct Features {
    /// `(slot, value)` per occurrence; a slot may appear several times.
    pub hashed: Vec<(u32, f32)>,
    /// Values of the slots `2^bits ..` (see [`DENSE`]).
    pub dense: [f32; DENSE],
    words: Vec<(usize, usize)>,
    lower: String,
}

impl Features {
    /// Featurises `text` (with the sentiment engine's `scores` of the same text) into this
    /// buffer, replacing what it held.
    pub fn fill(&mut self, config: &FeatureConfig, text: &str, scores: &Scores) {
        self.hashed.clear();
        normalise(text, &mut self.lower, &mut self.words);
        let shift = 64 - u32::from(config.bits);
        let lower = self.lower.as_bytes();

        // Word unigrams and bigrams.
        let mut prev: Option<u64> = None;
        for &(s, e) in &self.words {
            let h = hash_bytes(&lower[s..e], 0x9e37_79b9_7f4a_7c15);
            self.hashed.push(((mix(h) >> shift) as u32, 1.0));
            if config.word_ngrams >= 2 {
                if let Some(p) = prev {
                    let b = mix(p.rotate_left(17) ^ h ^ 0x5851_f42d_4c95_7f2d);
                    self.hashed.push(((b >> shift) as u32, 1.0));
                }
                prev = Some(h);
            }
        }
        let n_words = self.hashed.len();
        scale(&mut self.hashed[..], 1.0);

        // Character n-grams inside words, `<word>`.
        if config.char_max > 0 {
            let (lo, hi) = (usize::from(config.char_min), usize::from(config.char_max));
            let mut padded = [0u8; 64];
            for &(s, e) in &self.words {
                let word = &lower[s..e];
                if word.len() + 2 > padded.len()
                    || !word[0].is_ascii_alphanumeric() && word[0] < 0x80
                {
                    continue;
                }
                let len = word.len() + 2;
                padded[0] = b'<';
                padded[1..=word.len()].copy_from_slice(word);
                padded[len - 1] = b'>';
                // Each start, extended byte by byte: the n-grams from `lo` to `hi` bytes.
                for start in 0..len {
                    let mut v = 0u64;
                    for (n, &b) in padded[start..len.min(start + hi)].iter().enumerate() {
                        v = (v << 8) | u64::from(b);
                        if n + 1 >= lo {
                            let h = mix(v ^ ((n as u64 + 1) << 56) ^ 0x2545_f491_4f6c_dd1d);
                            self.hashed.push(((h >> shift) as u32, 1.0));
                        }
                    }
                }
            }
            scale(&mut self.hashed[n_words..], config.char_weight);
        }

        let w = config.sentiment_weight;
        self.dense = [
            1.0,
            scores.compound as f32 * w,
            scores.pos as f32 * w,
            scores.neg as f32 * w,
            scores.neu as f32 * w,
        ];
    }

    /// The features as sorted, merged `(index, value)` pairs over the whole space
    /// (`dim` of the config), as the trainer stores them.
    pub fn merged(&self, bits: u8) -> Vec<(u32, f32)> {
        let mut v = self.hashed.clone();
        v.sort_unstable_by_key(|&(i, _)| i);
        let mut out: Vec<(u32, f32)> = Vec::with_capacity(v.len() + DENSE);
        for (i, x) in v {
            match out.last_mut() {
                Some((j, y)) if *j == i => *y += x,
                _ => out.push((i, x)),
            }
        }
        let base = 1u32 << bits;
        for (k, &x) in self.dense.iter().enumerate() {
            if x != 0.0 {
                out.push((base + k as u32, x));
            }
        }
        out
    }
}

/// Multiplies the values of a block by `weight / sqrt(len)`.
fn scale(block: &mut [(u32, f32)], weight: f32) {
    if block.is_empty() {
        return;
    }
    let v = weight / (block.len() as f32).sqrt();
    for x in block {
        x.1 = v;
    }
}

/// Lower-cases `text` into `lower` and lists its words as byte spans: runs of letters,
/// digits, `'` and `_`; each other non-space symbol (emoji, `!`, `?`) is a word of its own,
/// other ASCII punctuation is dropped. @handles become `@user`, links `<url>`, and letters
/// repeated more than twice are cut to two (`sooooo` reads as `soo`), as the sentiment
/// engine reads them.
pub fn normalise(text: &str, lower: &mut String, words: &mut Vec<(usize, usize)>) {
    lower.clear();
    words.clear();
    for chunk in text.split_whitespace() {
        if chunk.len() > 1 && chunk.starts_with('@') {
            push_word(lower, words, "@user");
            continue;
        }
        let l = chunk.as_bytes();
        if l.len() > 4
            && (starts_ci(l, b"http://") || starts_ci(l, b"https://") || starts_ci(l, b"www."))
        {
            push_word(lower, words, "<url>");
            continue;
        }
        let mut start: Option<usize> = None;
        let mut last: Option<char> = None;
        let mut run = 0;
        for c in chunk.chars() {
            if c.is_alphanumeric() || c == '\'' || c == '_' || c == '’' {
                let c = if c == '’' { '\'' } else { c };
                if start.is_none() {
                    start = Some(lower.len());
                    last = None;
                }
                for lc in c.to_lowercase() {
                    if Some(lc) == last {
                        run += 1;
                        if run >= 2 && lc.is_alphabetic() {
                            continue;
                        }
                    } else {
                        run = 0;
                    }
                    last = Some(lc);
                    lower.push(lc);
                }
            } else {
                end_word(lower, words, &mut start);
                if c == '!' || c == '?' || !(c.is_ascii() || c.is_whitespace() || is_joiner(c)) {
                    let s = lower.len();
                    lower.push(c);
                    words.push((s, lower.len()));
                }
            }
        }
        end_word(lower, words, &mut start);
    }
}

fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '\u{200d}' | '\u{fe0f}' | '\u{fe0e}' | '\u{1f3fb}'..='\u{1f3ff}'
    )
}

fn end_word(lower: &mut String, words: &mut Vec<(usize, usize)>, start: &mut Option<usize>) {
    if let Some(s) = start.take() {
        // Apostrophes at the ends are quotes, not part of the word.
        let trimmed = lower[s..].trim_matches('\'').len();
        if trimmed == 0 {
            lower.truncate(s);
            return;
        }
        let lead = lower[s..].len() - lower[s..].trim_start_matches('\'').len();
        words.push((s + lead, s + lead + trimmed));
    }
}

fn push_word(lower: &mut String, words: &mut Vec<(usize, usize)>, w: &str) {
    let s = lower.len();
    lower.push_str(w);
    words.push((s, lower.len()));
}

fn starts_ci(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// A 64-bit hash of a byte string (8 bytes at a time, then [`mix`]).
fn hash_bytes(bytes: &[u8], seed: u64) -> u64 {
    let mut h = seed ^ (bytes.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let v = u64::from_le_bytes(c.try_into().expect("chunks_exact(8) gives 8 bytes"));
        h = mix(h ^ v);
    }
    let mut tail = 0u64;
    for (i, &b) in chunks.remainder().iter().enumerate() {
        tail |= u64::from(b) << (8 * i);
    }
    mix(h ^ tail ^ 0xff)
}

/// The finaliser of MurmurHash3 (64 bits): every input bit moves every output bit.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let (mut lower, mut spans) = (String::new(), Vec::new());
        normalise(text, &mut lower, &mut spans);
        spans.iter().map(|&(s, e)| lower[s..e].to_owned()).collect()
    }

    #[test]
    fn normalises_as_the_engine_reads() {
        assert_eq!(
            words("@united Sooooo LATE!! see https://t.co/x 'quoted' don’t 😀"),
            [
                "@user", "soo", "late", "!", "!", "see", "<url>", "quoted", "don't", "😀"
            ]
        );
        assert_eq!(
            words("delayed...again, 3.5 hrs"),
            ["delayed", "again", "3", "5", "hrs"]
        );
        assert_eq!(words("' '' -- "), Vec::<String>::new());
    }

    #[test]
    fn blocks_have_unit_norm_and_slots_fit() {
        let config = FeatureConfig::default();
        let mut f = Features::default();
        let scores = crate::classify::Analyzer::new().score("great flight, thanks");
        f.fill(&config, "Great flight, thanks", &scores);
        assert!(
            f.hashed
                .iter()
                .all(|&(i, _)| (i as usize) < 1 << config.bits)
        );
        let merged = f.merged(config.bits);
        assert!(merged.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(f.dense[1] > 0.0);
        // Word block: 3 unigrams + 2 bigrams.
        let words: f32 = f.hashed[..5].iter().map(|x| x.1 * x.1).sum();
        assert!((words - 1.0).abs() < 1e-5);
        f.fill(&config, "", &Scores::default());
        assert!(f.hashed.is_empty());
    }
}
