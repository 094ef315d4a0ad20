//! Step 5: VADER's rules give each token a valence: lexicon value, ALL-CAPS emphasis,
//! boosters and dampeners, negation, idioms, "least", then the "but" shift.

use super::Analyzer;
use super::tables::{BOOSTER_NGRAMS, C_INCR, N_SCALAR, NEGATIVE_WEIGHT, SPECIAL_CASES};
use super::tokenize::{Tok, Toks};
use super::trace::Trace;
use crate::classify::lexicon::{CueKind, Entry, Layer};

/// A cue phrase found in the tokens: its kind, first token and length in tokens.
pub(super) type Hit = (CueKind, usize, usize);

/// The state the rules of one scoring pass share: the tokens (masked and merged), their
/// valences so far (`sent`, one a token; a complaint question pushes one more), the cue
/// phrases found, and the trace the steps are reported to.
pub(super) struct Pass<'p, T: Trace> {
    pub(super) an: &'p Analyzer,
    pub(super) toks: Toks<'p>,
    pub(super) sent: &'p mut Vec<f64>,
    pub(super) hits: &'p mut Vec<Hit>,
    pub(super) tr: &'p mut T,
}

impl<T: Trace> Pass<'_, T> {
    /// Gives each token its valence (0 for boosters and words without sentiment).
    #[inline]
    pub(super) fn valences(&mut self) {
        let toks = self.toks;
        let n_upper = toks.iter().filter(|t| t.upper).count();
        let is_cap_diff = n_upper > 0 && n_upper < toks.len();

        // In Title Case Text Every Word Looks Like A Name; skip the proper-noun guard there.
        let n_title = toks.iter().filter(|t| t.title).count();
        let proper_nouns = n_title * 5 <= toks.len() * 2;
        let compat = self.an.compat;
        for i in 0..toks.len() {
            let t = &toks[i];
            // "kind" starts the n-gram booster "kind of": its flag spares most string compares.
            let kind_of = t.idiom_start
                && toks.lw(i) == "kind"
                && i + 1 < toks.len()
                && toks.lw(i + 1) == "of";
            if t.booster.is_some() || kind_of {
                self.sent.push(0.0);
                continue;
            }
            let v = match t.entry {
                Some(_) if !compat && toks.lw(i) == "like" && !self.like_is_verb(i) => {
                    if T::ON {
                        self.tr.rec(toks.lw(i), "like-preposition", 0.0);
                    }
                    0.0
                }
                Some(_) if !compat && proper_nouns && toks.is_proper_noun(i) => {
                    if T::ON {
                        self.tr.rec(toks.lw(i), "proper-noun", 0.0);
                    }
                    0.0
                }
                Some(entry) => self.valence(i, entry, is_cap_diff),
                None => 0.0,
            };
            self.sent.push(v);
        }
    }

    /// "like" is the verb after a subject or auxiliary ("I like", "would like", "I really
    /// like"), otherwise a preposition or filler ("looks like", "like 3 hours").
    fn like_is_verb(&self, i: usize) -> bool {
        let (an, lw) = (self.an, |j: usize| self.toks.lw(j));
        i > 0
            && (an.like_subject.contains(lw(i - 1))
                || (i > 1
                    && an.like_adverb.contains(lw(i - 1))
                    && an.like_subject.contains(lw(i - 2))))
    }

    /// VADER's `sentiment_valence` for the lexicon token at `i`.
    fn valence(&mut self, i: usize, entry: Entry, is_cap_diff: bool) -> f64 {
        let toks = self.toks;
        let lw = |j: usize| toks.lw(j);
        let n = toks.len();
        let item = lw(i);
        let base = entry.valence;
        let mut v = base;
        if T::ON {
            self.tr.rec(item, entry.layer.rule(), base);
        }
        let step = |v: &mut f64, new: f64, rule: &'static str, tr: &mut T| {
            if T::ON {
                tr.rec(item, rule, new - *v);
            }
            *v = new;
        };
        // "no" before another lexicon word is a negation, not a negative word itself.
        if item == "no" && i + 1 < n && toks[i + 1].entry.is_some() {
            step(&mut v, 0.0, "negation", self.tr);
        }
        let can_negate = self.an.compat || !toks[i].shielded;
        if can_negate
            && ((i > 0 && lw(i - 1) == "no")
                || (i > 1 && lw(i - 2) == "no")
                || (i > 2 && lw(i - 3) == "no" && matches!(lw(i - 1), "or" | "nor")))
        {
            step(&mut v, base * N_SCALAR, "negation", self.tr);
        }
        if toks[i].upper && is_cap_diff {
            let new = if v > 0.0 { v + C_INCR } else { v - C_INCR };
            step(&mut v, new, "caps", self.tr);
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
                    step(&mut v, new, "booster", self.tr);
                }
                let new = self.negation_check(v, start_i, i, can_negate);
                if new != v {
                    step(&mut v, new, "negation", self.tr);
                }
                if start_i == 2 {
                    let new = toks.special_idioms(v, i);
                    if new != v {
                        step(&mut v, new, "idiom", self.tr);
                    }
                }
            }
        }
        // "least": "the least good" negates, "at least good" does not.
        if i > 1 && toks[i - 1].entry.is_none() && lw(i - 1) == "least" {
            if lw(i - 2) != "at" && lw(i - 2) != "very" {
                let new = v * N_SCALAR;
                step(&mut v, new, "least", self.tr);
            }
        } else if i > 0 && toks[i - 1].entry.is_none() && lw(i - 1) == "least" {
            let new = v * N_SCALAR;
            step(&mut v, new, "least", self.tr);
        }
        v
    }

    /// (earful) Weighs negative valences by [`NEGATIVE_WEIGHT`].
    #[inline]
    pub(super) fn negativity(&mut self) {
        let toks = self.toks;
        for (i, s) in self.sent.iter_mut().enumerate() {
            if *s < 0.0 {
                let new = *s * NEGATIVE_WEIGHT;
                if T::ON {
                    self.tr.rec(toks.lw(i), "negativity", new - *s);
                }
                *s = new;
            }
        }
    }

    /// "but": halves what comes before the first "but" and adds half to what comes after.
    #[inline]
    pub(super) fn but(&mut self) {
        let toks = self.toks;
        // Compared as bytes: str slicing would check character boundaries at every token.
        let is_but = |t: &Tok| toks.lower.as_bytes()[t.lo_start..t.lo_end] == *b"but";
        let Some(bi) = toks.iter().position(is_but) else {
            return;
        };
        if self.an.compat {
            self.python_but_check(bi);
            return;
        }
        for (si, s) in self.sent.iter_mut().enumerate() {
            if *s == 0.0 || si == bi {
                continue;
            }
            let new = if si < bi { *s * 0.5 } else { *s * 1.5 };
            if T::ON {
                self.tr.rec(toks.lw(si), "but", new - *s);
            }
            *s = new;
        }
    }

    /// VADER's `_negation_check` for the token at `i` and the token `start_i + 1` before it.
    fn negation_check(&self, v: f64, start_i: usize, i: usize, can_negate: bool) -> f64 {
        let (toks, compat) = (self.toks, self.an.compat);
        let lw = |j: usize| toks.lw(j);
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
                    matches!(lw(i - 1), "so" | "this") || (!compat && comparative(i - 1));
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
                    || (!compat
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

    /// vaderSentiment's `_but_check` exactly, including its quirk: each value is looked up
    /// with `list.index`, so when two tokens share a valence the first one is scaled twice.
    fn python_but_check(&mut self, bi: usize) {
        let sent = &mut *self.sent;
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
                self.tr.rec(self.toks.lw(si), "but", new - val);
            }
            sent[si] = new;
        }
    }
}

impl Toks<'_> {
    /// A capitalised VADER word next to a capitalised word that carries no sentiment,
    /// neither at the start of a sentence nor a hashtag: part of a name ("United States",
    /// "Jones County Fair", "Super Concert", "Kevin Love", "Foo Fighters"). Customer-service
    /// entries are never treated as names, so a capitalised complaint ("Delayed Flight")
    /// still counts.
    fn is_proper_noun(self, i: usize) -> bool {
        let toks = self;
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

    /// Whether the tokens at `idxs`, joined by single spaces, spell `target`.
    fn seq_is(self, idxs: &[usize], target: &str) -> bool {
        let mut rest = target;
        for (k, &i) in idxs.iter().enumerate() {
            if k > 0 {
                match rest.strip_prefix(' ') {
                    Some(r) => rest = r,
                    None => return false,
                }
            }
            match rest.strip_prefix(self.lw(i)) {
                Some(r) => rest = r,
                None => return false,
            }
        }
        rest.is_empty()
    }

    /// VADER's `_special_idioms_check` (only called with `i >= 3`).
    fn special_idioms(self, mut v: f64, i: usize) -> f64 {
        let toks = self;
        let n = toks.len();
        // The first entry of `table` that the tokens at `seq` spell. Most sequences do not
        // start with the first word of any entry, or differ from each in length: both are
        // tested before any string compare.
        let find = |seq: &[usize], table: &[(&str, f64)]| {
            if !toks[seq[0]].idiom_start {
                return None;
            }
            let len = seq.iter().map(|&j| toks.lw(j).len() + 1).sum::<usize>() - 1;
            table
                .iter()
                .find(|(p, _)| p.len() == len && toks.seq_is(seq, p))
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
}
