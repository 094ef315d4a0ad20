//! Step 3 (earful): @handles, URLs and the configured brand names are masked: they are
//! dropped and never score ("@united" is not the positive word "united").

use super::Analyzer;
use super::tokenize::Tok;
use super::trace::Trace;

impl Analyzer {
    /// Drops tokens that spell a brand name (longest name first).
    pub(super) fn mask_brands<T: Trace>(&self, lower: &str, toks: &mut Vec<Tok>, tr: &mut T) {
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
}

/// Which mask, if any, applies to a raw (unstripped) token.
pub(super) fn mask_rule(raw: &str) -> Option<&'static str> {
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
