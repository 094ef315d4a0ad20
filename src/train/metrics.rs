//! How well one labelling agrees with another: accuracy, per-label precision, recall and
//! F1, their macro averages, a confusion matrix and Cohen's kappa (one label per text), or
//! per-label scores, micro-F1 and exact-match accuracy (several labels per text).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::Serialize;

use crate::progress::sanitize;

/// Gold and predicted labels of many texts; [`Tally::report`] computes the figures.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pairs: Vec<(Vec<String>, Vec<String>)>,
    multi_label: bool,
}

/// The figures of one evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub texts: usize,
    pub multi_label: bool,
    /// Share of texts whose predicted label (set) equals the gold one.
    pub accuracy: f64,
    pub macro_precision: f64,
    pub macro_recall: f64,
    pub macro_f1: f64,
    /// Several labels per text: F1 over all (text, label) decisions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub micro_f1: Option<f64>,
    /// One label per text: Cohen's kappa, agreement corrected for chance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kappa: Option<f64>,
    /// Every label seen in gold or predictions, sorted.
    pub labels: Vec<LabelScores>,
    /// One label per text: `confusion[gold][predicted]`, in the order of `labels`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confusion: Option<Vec<Vec<u64>>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelScores {
    pub label: String,
    /// Texts whose gold labels hold it.
    pub support: u64,
    /// Texts predicted to hold it.
    pub predicted: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Tally {
    pub fn new(multi_label: bool) -> Tally {
        Tally {
            pairs: Vec::new(),
            multi_label,
        }
    }

    /// Adds one text's gold and predicted labels (one each unless multi-label).
    pub fn add(&mut self, gold: Vec<String>, predicted: Vec<String>) {
        self.pairs.push((gold, predicted));
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    pub fn report(&self) -> Report {
        let names: BTreeSet<&str> = self
            .pairs
            .iter()
            .flat_map(|(g, p)| g.iter().chain(p))
            .map(String::as_str)
            .collect();
        let names: Vec<&str> = names.into_iter().collect();
        let at = |l: &str| names.binary_search(&l).expect("every label is in names");
        let k = names.len();
        let n = self.pairs.len();
        let (mut tp, mut support, mut predicted) = (vec![0u64; k], vec![0u64; k], vec![0u64; k]);
        let mut confusion = vec![vec![0u64; k]; k];
        let mut exact = 0u64;
        for (gold, pred) in &self.pairs {
            let g: BTreeSet<usize> = gold.iter().map(|l| at(l)).collect();
            let p: BTreeSet<usize> = pred.iter().map(|l| at(l)).collect();
            if g == p {
                exact += 1;
            }
            for &c in &g {
                support[c] += 1;
                if p.contains(&c) {
                    tp[c] += 1;
                }
            }
            for &c in &p {
                predicted[c] += 1;
            }
            if let (Some(&gc), Some(&pc)) = (g.first(), p.first()) {
                confusion[gc][pc] += 1;
            }
        }
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let f1 = |p: f64, r: f64| {
            if p + r == 0.0 {
                0.0
            } else {
                2.0 * p * r / (p + r)
            }
        };
        let labels: Vec<LabelScores> = (0..k)
            .map(|c| {
                let precision = ratio(tp[c], predicted[c]);
                let recall = ratio(tp[c], support[c]);
                LabelScores {
                    label: names[c].to_owned(),
                    support: support[c],
                    predicted: predicted[c],
                    precision,
                    recall,
                    f1: f1(precision, recall),
                }
            })
            .collect();
        let mean = |f: fn(&LabelScores) -> f64| {
            if k == 0 {
                0.0
            } else {
                labels.iter().map(f).sum::<f64>() / k as f64
            }
        };
        let accuracy = ratio(exact, n as u64);
        let (micro_f1, kappa, confusion) = if self.multi_label {
            let (t, s, p) = (
                tp.iter().sum(),
                support.iter().sum(),
                predicted.iter().sum(),
            );
            (Some(f1(ratio(t, p), ratio(t, s))), None, None)
        } else {
            let nf = n as f64;
            let chance: f64 = (0..k)
                .map(|c| (support[c] as f64 / nf) * (predicted[c] as f64 / nf))
                .sum();
            let kappa = if n == 0 || chance >= 1.0 {
                if accuracy == 1.0 { 1.0 } else { 0.0 }
            } else {
                (accuracy - chance) / (1.0 - chance)
            };
            (None, Some(kappa), Some(confusion))
        };
        Report {
            texts: n,
            multi_label: self.multi_label,
            accuracy,
            macro_precision: mean(|l| l.precision),
            macro_recall: mean(|l| l.recall),
            macro_f1: mean(|l| l.f1),
            micro_f1,
            kappa,
            labels,
            confusion,
        }
    }
}

impl Report {
    /// The report as a plain-text table for people (labels sanitised for a terminal).
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = write!(
            s,
            "texts {}  accuracy {:.3}  macro-F1 {:.3}  macro recall {:.3}  macro precision {:.3}",
            self.texts, self.accuracy, self.macro_f1, self.macro_recall, self.macro_precision
        );
        if let Some(k) = self.kappa {
            let _ = write!(s, "  kappa {k:.3}");
        }
        if let Some(m) = self.micro_f1 {
            let _ = write!(s, "  micro-F1 {m:.3}");
        }
        s.push_str("\n\n");
        let names: Vec<String> = self.labels.iter().map(|l| sanitize(&l.label)).collect();
        let w = names
            .iter()
            .map(|n| n.chars().count())
            .max()
            .unwrap_or(0)
            .max(5);
        let _ = writeln!(
            s,
            "{:<w$}  {:>7}  {:>9}  {:>9}  {:>6}  {:>6}",
            "label", "support", "predicted", "precision", "recall", "f1"
        );
        for (l, name) in self.labels.iter().zip(&names) {
            let _ = writeln!(
                s,
                "{name:<w$}  {:>7}  {:>9}  {:>9.3}  {:>6.3}  {:>6.3}",
                l.support, l.predicted, l.precision, l.recall, l.f1
            );
        }
        if let Some(confusion) = &self.confusion {
            s.push_str("\nconfusion matrix (rows: gold, columns: predicted)\n");
            let cw = names
                .iter()
                .map(|n| n.chars().count())
                .max()
                .unwrap_or(1)
                .max(6);
            let _ = write!(s, "{:<w$}", "");
            for name in &names {
                let _ = write!(s, "  {name:>cw$}");
            }
            s.push('\n');
            for (row, name) in confusion.iter().zip(&names) {
                let _ = write!(s, "{name:<w$}");
                for n in row {
                    let _ = write!(s, "  {n:>cw$}");
                }
                s.push('\n');
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(pairs: &[(&str, &str)]) -> Report {
        let mut t = Tally::new(false);
        for (g, p) in pairs {
            t.add(vec![(*g).to_owned()], vec![(*p).to_owned()]);
        }
        t.report()
    }

    /// Worked by hand: 10 texts, two annotators.
    ///
    /// ```text
    ///            b:yes b:no
    ///   a:yes      4     2     (6)
    ///   a:no       1     3     (4)
    ///             (5)   (5)
    /// ```
    /// accuracy 7/10; chance = 0.6*0.5 + 0.4*0.5 = 0.5; kappa = (0.7-0.5)/0.5 = 0.4.
    /// yes: P 4/5, R 4/6, F1 8/11; no: P 3/5, R 3/4, F1 2/3.
    #[test]
    fn hand_computed_example() {
        let mut pairs = vec![("yes", "yes"); 4];
        pairs.extend([("yes", "no"); 2]);
        pairs.push(("no", "yes"));
        pairs.extend([("no", "no"); 3]);
        let r = tally(&pairs);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(close(r.accuracy, 0.7));
        assert!(close(r.kappa.unwrap(), 0.4));
        assert_eq!(r.labels[1].label, "yes");
        assert!(close(r.labels[1].precision, 0.8));
        assert!(close(r.labels[1].recall, 4.0 / 6.0));
        assert!(close(r.labels[1].f1, 8.0 / 11.0));
        assert!(close(r.labels[0].f1, 2.0 / 3.0));
        assert!(close(r.macro_f1, (8.0 / 11.0 + 2.0 / 3.0) / 2.0));
        assert!(close(r.macro_recall, (4.0 / 6.0 + 0.75) / 2.0));
        assert_eq!(r.confusion, Some(vec![vec![3, 1], vec![2, 4]]));
        let table = r.table();
        assert!(table.contains("kappa 0.400"), "{table}");
    }

    #[test]
    fn perfect_and_multi_label() {
        let r = tally(&[("a", "a"), ("a", "a")]);
        assert_eq!((r.accuracy, r.kappa), (1.0, Some(1.0)));
        let mut t = Tally::new(true);
        t.add(vec!["x".into(), "y".into()], vec!["x".into()]);
        t.add(vec![], vec!["y".into()]);
        let r = t.report();
        // x: tp 1, support 1, predicted 1; y: tp 0, support 1, predicted 1.
        assert_eq!(r.accuracy, 0.0);
        assert!((r.micro_f1.unwrap() - 0.5).abs() < 1e-12);
        assert!((r.macro_f1 - 0.5).abs() < 1e-12);
        assert!(r.confusion.is_none() && r.kappa.is_none());
    }
}
