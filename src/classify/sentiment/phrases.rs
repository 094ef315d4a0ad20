//! Step 4 (earful): multi-word lexicon phrases ("on hold", "still waiting", "thanks for
//! nothing") are merged into one token, longest phrase first.

use super::Analyzer;
use super::classes::is_upper;
use super::tokenize::Tok;

impl Analyzer {
    /// Merges multi-word lexicon phrases into one token each.
    pub(super) fn merge_phrases(&self, text: &str, lower: &mut String, toks: &mut Vec<Tok>) {
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
}
