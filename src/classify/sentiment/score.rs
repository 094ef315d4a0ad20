//! Step 7: the valences are summed, `!` and `?` add emphasis, and the sum is normalised to
//! [-1, 1] with `x / sqrt(x² + 15)`.

use super::Scores;
use super::tables::{LENGTH_REFERENCE, NORMALIZE_ALPHA};
use super::trace::Trace;

pub(super) fn normalize(score: f64) -> f64 {
    let n = score / (score * score + NORMALIZE_ALPHA).sqrt();
    if n.is_nan() {
        // Only for infinite sums, which finite lexicons cannot produce; be safe anyway.
        if score > 0.0 { 1.0 } else { -1.0 }
    } else {
        n.clamp(-1.0, 1.0)
    }
}

/// VADER's `score_valence`: sum, punctuation emphasis, normalisation and proportions.
#[inline]
pub(super) fn score_valence<T: Trace>(
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
