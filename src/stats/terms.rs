//! Terms: the words and two-word phrases of a mention's text (`--terms`, spike drivers),
//! and what makes a group's terms distinctive.
//!
//! Words are the query language's tokens (`query::Tokens`), lower-cased; `@handles`, links,
//! numbers, one-letter words and English stop words are left out, and a hashtag keeps its
//! `#`. A phrase is two words next to each other with only spaces between them.
//!
//! A group's distinctive terms are ranked by the log-odds ratio with an informative
//! Dirichlet prior of Monroe, Colaresi & Quinn (2008, "Fightin' Words", eq. 16–22): the
//! group against all other groups, the prior the whole input's term counts scaled by
//! [`PRIOR`] (so the prior weighs a tenth of the evidence at any input size), and the score
//! the z of the log-odds.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::query::{Sigil, Tokens, push_lower};

/// The prior's weight against the counts: α_w = PRIOR × (the term's count in the whole
/// input), so Monroe et al.'s α₀ is PRIOR × all terms counted.
pub const PRIOR: f64 = 0.1;

/// A term must occur this many times in a group to be listed as distinctive of it.
pub const MIN_COUNT: u64 = 3;

/// Past this many distinct terms in one group, the rarest are dropped (lossy counting).
const MAX_TERMS: usize = 1 << 20;

/// English function words, and the pieces of links and retweets that are not words.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "amp",
    "an",
    "and",
    "any",
    "are",
    "aren't",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "can't",
    "cannot",
    "co",
    "com",
    "could",
    "couldn't",
    "did",
    "didn't",
    "do",
    "does",
    "doesn't",
    "doing",
    "don't",
    "down",
    "during",
    "each",
    "even",
    "few",
    "for",
    "from",
    "further",
    "get",
    "got",
    "had",
    "hadn't",
    "has",
    "hasn't",
    "have",
    "haven't",
    "having",
    "he",
    "he'd",
    "he'll",
    "he's",
    "her",
    "here",
    "here's",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "how's",
    "http",
    "https",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "if",
    "in",
    "into",
    "is",
    "isn't",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "let's",
    "me",
    "more",
    "most",
    "mustn't",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "ought",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "really",
    "rt",
    "same",
    "shan't",
    "she",
    "she'd",
    "she'll",
    "she's",
    "should",
    "shouldn't",
    "so",
    "some",
    "such",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they'd",
    "they'll",
    "they're",
    "they've",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "us",
    "very",
    "via",
    "was",
    "wasn't",
    "we",
    "we'd",
    "we'll",
    "we're",
    "we've",
    "were",
    "weren't",
    "what",
    "what's",
    "when",
    "when's",
    "where",
    "where's",
    "which",
    "while",
    "who",
    "who's",
    "whom",
    "why",
    "why's",
    "will",
    "with",
    "won't",
    "would",
    "wouldn't",
    "www",
    "you",
    "you'd",
    "you'll",
    "you're",
    "you've",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Whether `word` (lower case) is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Calls `each` with every word (and, with `phrases`, every two-word phrase) of `text`.
/// `buf` is scratch space.
pub fn for_each_term(text: &str, phrases: bool, buf: &mut String, mut each: impl FnMut(&str)) {
    // `buf` holds the previous word kept (when `prev_end` is its end in `text`), then the
    // current one after a space: the phrase is the whole buffer.
    let mut prev_end: Option<usize> = None;
    buf.clear();
    for chunk_start in chunk_starts(text) {
        let chunk_end = text[chunk_start..]
            .find(char::is_whitespace)
            .map_or(text.len(), |i| chunk_start + i);
        let chunk = &text[chunk_start..chunk_end];
        if chunk.contains("://") || chunk.starts_with("www.") {
            prev_end = None;
            continue;
        }
        for tok in Tokens::new(chunk, false) {
            let (start, end) = (chunk_start + tok.body.start, chunk_start + tok.body.end);
            let word = &text[start..end];
            let sigil_start = if tok.sigil == Sigil::None {
                start
            } else {
                start - 1
            };
            let joined =
                prev_end.is_some_and(|p| text[p..sigil_start].chars().all(char::is_whitespace));
            let at = match prev_end {
                Some(_) => {
                    buf.push(' ');
                    buf.len()
                }
                None => {
                    buf.clear();
                    0
                }
            };
            if tok.sigil == Sigil::Hash {
                buf.push('#');
            }
            push_lower(word, buf);
            let keep = match tok.sigil {
                Sigil::At => false,
                Sigil::Hash => true,
                Sigil::None => {
                    !word.bytes().all(|b| b.is_ascii_digit())
                        && (word.len() > 1 || !word.is_ascii())
                        && !is_stop_word(&buf[at..])
                }
            };
            if !keep {
                prev_end = None;
                continue;
            }
            each(&buf[at..]);
            if phrases && joined {
                each(buf);
            }
            buf.drain(..at);
            prev_end = Some(end);
        }
    }
}

/// Where each whitespace-separated chunk of `text` starts.
fn chunk_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.char_indices()
        .filter(move |(i, c)| {
            !c.is_whitespace()
                && text[..*i]
                    .chars()
                    .next_back()
                    .is_none_or(char::is_whitespace)
        })
        .map(|(i, _)| i)
}

/// Term counts of one group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermCounts {
    /// Terms counted (words and phrases).
    pub total: u64,
    pub counts: HashMap<Box<str>, u64>,
    /// Terms seen this many times or fewer may have been dropped (0: none dropped).
    pub pruned: u64,
}

impl TermCounts {
    pub fn add(&mut self, term: &str) {
        self.total += 1;
        match self.counts.get_mut(term) {
            Some(n) => *n += 1,
            None => {
                self.counts.insert(term.into(), 1);
                if self.counts.len() > MAX_TERMS {
                    self.prune();
                }
            }
        }
    }

    pub fn merge(&mut self, other: TermCounts) {
        self.total += other.total;
        self.pruned = self.pruned.max(other.pruned);
        for (term, n) in other.counts {
            *self.counts.entry(term).or_default() += n;
        }
        while self.counts.len() > MAX_TERMS {
            self.prune();
        }
    }

    fn prune(&mut self) {
        self.pruned += 1;
        let floor = self.pruned;
        self.counts.retain(|_, n| *n > floor);
    }
}

/// A distinctive term of a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distinctive {
    pub term: String,
    /// Times the group used it.
    pub count: u64,
    /// The z-score of the log-odds ratio (group against the rest).
    pub z: f64,
}

/// The `n` terms most distinctive of `group` against `rest` (the other groups' counts
/// summed), leaving out terms for which `skip` is true.
pub fn distinctive(
    group: &TermCounts,
    all: &HashMap<&str, u64>,
    all_total: u64,
    n: usize,
    skip: impl Fn(&str) -> bool,
) -> Vec<Distinctive> {
    let n_i = group.total as f64;
    let n_j = all_total.saturating_sub(group.total) as f64;
    let a0 = PRIOR * all_total as f64;
    let mut out: Vec<Distinctive> = group
        .counts
        .iter()
        .filter(|(term, count)| **count >= MIN_COUNT && !skip(term))
        .map(|(term, &count)| {
            let total = all.get(&**term).copied().unwrap_or(count).max(count);
            let (y_i, y_j) = (count as f64, (total - count) as f64);
            let a = PRIOR * total as f64;
            let odds_i = (y_i + a) / (n_i + a0 - y_i - a);
            let odds_j = (y_j + a) / (n_j + a0 - y_j - a);
            let delta = odds_i.ln() - odds_j.ln();
            let variance = 1.0 / (y_i + a) + 1.0 / (y_j + a);
            Distinctive {
                term: term.to_string(),
                count,
                z: ((delta / variance.sqrt()) * 10_000.0).round() / 10_000.0,
            }
        })
        .filter(|d| d.z > 0.0)
        .collect();
    out.sort_by(|a, b| b.z.total_cmp(&a.z).then_with(|| a.term.cmp(&b.term)));
    out.truncate(n);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str, phrases: bool) -> Vec<String> {
        let mut out = Vec::new();
        for_each_term(text, phrases, &mut String::new(), |t| {
            out.push(t.to_owned())
        });
        out
    }

    #[test]
    fn stop_words_are_sorted() {
        assert!(
            STOP_WORDS.windows(2).all(|w| w[0] < w[1]),
            "keep STOP_WORDS sorted"
        );
    }

    #[test]
    fn words_and_phrases() {
        assert_eq!(
            terms(
                "@united My flight was Delayed again!! #fail http://t.co/x 2 hours",
                true
            ),
            ["flight", "delayed", "#fail", "hours"]
        );
        assert_eq!(
            terms(
                "Customer service, lost bags. Customer   service rocks",
                true
            ),
            [
                "customer",
                "service",
                "customer service",
                "lost",
                "bags",
                "lost bags",
                "customer",
                "service",
                "customer service",
                "rocks",
                "service rocks"
            ]
        );
        assert_eq!(terms("Café crème", false), ["café", "crème"]);
        assert_eq!(terms("", true), Vec::<String>::new());
    }

    #[test]
    fn a_group_s_own_words_rank_first() {
        let mut a = TermCounts::default();
        let mut b = TermCounts::default();
        for _ in 0..20 {
            for t in ["refund", "late", "flight"] {
                a.add(t);
            }
            for t in ["great", "crew", "flight"] {
                b.add(t);
            }
        }
        let mut all: HashMap<&str, u64> = HashMap::new();
        for g in [&a, &b] {
            for (t, n) in &g.counts {
                *all.entry(&**t).or_default() += n;
            }
        }
        let top = distinctive(&a, &all, a.total + b.total, 5, |_| false);
        let names: Vec<&str> = top.iter().map(|d| d.term.as_str()).collect();
        assert_eq!(names, ["late", "refund"]);
        assert!(top[0].z > 2.0);
        let skipped = distinctive(&a, &all, a.total + b.total, 5, |t| t == "late");
        assert_eq!(skipped[0].term, "refund");
    }
}
