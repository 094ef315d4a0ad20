//! What the lexicons know about each token, with elongated words ("soooo") and British
//! spellings ("favourite") looked up in their known form.

use super::Analyzer;
use super::tokenize::Tok;
use super::words::WordInfo;

/// Whether a word has a run of three or more equal letters ("sooo", "loooove").
fn has_elongation(word: &str) -> bool {
    let b = word.as_bytes();
    b.windows(3)
        .any(|w| w[0] == w[1] && w[1] == w[2] && w[0].is_ascii_alphabetic())
}

impl Analyzer {
    /// Takes what the lexicons know about each token, in one pass after tokenising.
    pub(super) fn look_up(&self, lower: &mut String, toks: &mut [Tok]) {
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
}
