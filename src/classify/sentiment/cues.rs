//! Step 6 (earful): sarcasm cues reverse praise that is followed by a complaint, questions
//! that are complaints in disguise add a negative valence, and hypothetical praise does not
//! count (cues in `data/cues.tsv`).

use super::rules::Pass;
use super::tables::{QUESTION_COMPLAINT, SARCASM_SCALAR, SARCASM_TRIGGER, SARCASM_WINDOW};
use super::trace::Trace;
use crate::classify::lexicon::CueKind;

impl<T: Trace> Pass<'_, T> {
    /// Finds cue phrases (data/cues.tsv) in the token sequence.
    #[inline]
    pub(super) fn find_cues(&mut self) {
        let (toks, hits) = (self.toks, &mut *self.hits);
        let lw = |i: usize| toks.lw(i);
        for i in 0..toks.len() {
            if !toks[i].cue_start {
                continue;
            }
            let Some(cands) = self.an.cues.get(lw(i)) else {
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
    #[inline]
    pub(super) fn irrealis(&mut self) {
        let (toks, hits, sent, tr) = (self.toks, &*self.hits, &mut *self.sent, &mut *self.tr);
        let lw = |i: usize| toks.lw(i);
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
    #[inline]
    pub(super) fn sarcasm(&mut self) {
        let (toks, hits, sent, tr) = (self.toks, &*self.hits, &mut *self.sent, &mut *self.tr);
        let lw = |i: usize| toks.lw(i);
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

    /// Adds [`QUESTION_COMPLAINT`] to a question that is a complaint in disguise.
    #[inline]
    pub(super) fn question_complaint(&mut self) {
        if !self.is_complaint_question() {
            return;
        }
        let cue = self
            .hits
            .iter()
            .find(|h| h.0 == CueKind::QuestionCue)
            .map_or("?", |h| self.toks.lw(h.1));
        if T::ON {
            self.tr.rec(cue, "question-complaint", QUESTION_COMPLAINT);
        }
        self.sent.push(QUESTION_COMPLAINT);
    }

    /// A question that opens with a complaint cue ("why", "when will", ...) and holds a
    /// complaint signal (a negative token, a negation or a complaint marker).
    fn is_complaint_question(&self) -> bool {
        let (toks, hits, sent) = (self.toks, &*self.hits, &*self.sent);
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
