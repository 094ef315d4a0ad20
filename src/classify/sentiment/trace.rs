//! The steps of a scoring run, recorded for [`Analyzer::explain`](super::Analyzer::explain)
//! and compiled away for [`Analyzer::score`](super::Analyzer::score).

use super::Contribution;

/// Receives the steps of a scoring run; a no-op for [`Analyzer::score`].
pub(super) trait Trace {
    const ON: bool;
    fn rec(&mut self, token: &str, rule: &'static str, delta: f64);
}

pub(super) struct NoTrace;

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
