//! Teaching earful a team's own labels: a linear classifier over hashed word and character
//! n-grams and the sentiment engine's scores, trained from labelled texts, saved as one
//! versioned file, and measured (cross-validation, a holdout file, or any two labellings).
//! See `docs/train.md`.
//!
//! - `features.rs`: text to a sparse vector ([`FeatureConfig`])
//! - `linear.rs`: one-vs-rest linear SVMs by dual coordinate descent
//! - `model.rs`: [`Model`], its file format and predictions
//! - `metrics.rs`: [`Tally`] and its [`Report`]
//! - `data.rs`: labelled rows from CSV, TSV, XLSX or JSONL

pub mod data;
mod features;
mod linear;
mod metrics;
mod model;

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

pub use features::{DENSE, FeatureConfig, Features, normalise};
pub use metrics::{LabelScores, Report, Tally};
pub use model::{
    Decision, FORMAT_VERSION, Model, ModelError, ModelHeader, SENTIMENT_LABELS, Target,
};

use crate::classify::Analyzer;
use linear::{Rows, Solver};

/// A labelled text.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub text: String,
    pub labels: Vec<String>,
}

/// How to train.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub features: FeatureConfig,
    /// Inverse regularisation strength of the SVMs.
    pub c: f64,
    /// Passes over the data at most.
    pub epochs: u32,
    /// Weigh examples so every class counts as much as the others in total.
    pub balanced: bool,
    /// Any number of labels per text (one-vs-rest), else exactly one.
    pub multi_label: bool,
    /// The field `classify --model` sets (`--as`).
    pub field: Option<String>,
    pub seed: u64,
    /// Threads training the labels' problems side by side (the result does not depend on it).
    pub threads: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            features: FeatureConfig::default(),
            c: 0.1,
            epochs: 30,
            balanced: true,
            multi_label: false,
            field: None,
            seed: 1,
            threads: 1,
        }
    }
}

/// Fields `classify` reads or writes itself, which a model cannot set (`--as`).
const OWN_FIELDS: [&str; 6] = ["id", "title", "text", "lang", "sentiment", "labels"];

impl TrainOptions {
    /// Checks the options before any data is read.
    pub fn check(&self) -> Result<(), TrainError> {
        self.features
            .check()
            .map_err(|e| TrainError::Options(format!("features: {e}")))?;
        if !(self.c > 0.0 && self.c.is_finite()) {
            return Err(TrainError::Options(format!(
                "the cost C must be a positive number, found {}",
                self.c
            )));
        }
        if let Some(f) = self
            .field
            .as_deref()
            .filter(|f| OWN_FIELDS.contains(f) || f.is_empty() || f.contains('.'))
        {
            return Err(TrainError::Options(format!(
                "--as {f:?}: name a new top-level field, not one classify reads or writes itself"
            )));
        }
        Ok(())
    }
}

/// Why training could not start.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("no labelled texts to train on")]
    Empty,
    #[error("only one class ({0:?}): a model needs at least two")]
    OneClass(String),
    #[error("label {0:?} is on every text: a one-vs-rest model needs texts without it too")]
    Everywhere(String),
    #[error("{texts} labelled texts are too few for {folds} folds")]
    TooFewForFolds { texts: usize, folds: usize },
    #[error("{0}")]
    Options(String),
}

/// Examples featurised once, with their labels as indices into `labels`.
struct Prepared {
    labels: Vec<String>,
    rows: Rows,
    y: Vec<Vec<usize>>,
}

fn prepare(examples: &[Example], opts: &TrainOptions) -> Result<Prepared, TrainError> {
    opts.check()?;
    if examples.is_empty() {
        return Err(TrainError::Empty);
    }
    let mut labels: Vec<String> = examples
        .iter()
        .flat_map(|e| e.labels.iter().cloned())
        .collect();
    labels.sort();
    labels.dedup();
    if opts.multi_label {
        if labels.is_empty() {
            return Err(TrainError::Empty);
        }
        for l in &labels {
            if examples.iter().all(|e| e.labels.contains(l)) {
                return Err(TrainError::Everywhere(l.clone()));
            }
        }
    } else if labels.len() < 2 {
        return Err(TrainError::OneClass(labels.pop().unwrap_or_default()));
    }
    let analyzer = Analyzer::new();
    let mut rows = Rows::default();
    let mut features = Features::default();
    let mut y = Vec::with_capacity(examples.len());
    for e in examples {
        features.fill(&opts.features, &e.text, &analyzer.score(&e.text));
        rows.push(&features.merged(opts.features.bits));
        y.push(
            e.labels
                .iter()
                .map(|l| labels.binary_search(l).expect("labels holds every label"))
                .collect(),
        );
    }
    Ok(Prepared { labels, rows, y })
}

/// Trains a model on the rows `chosen` of `p`.
fn fit(p: &Prepared, chosen: &[usize], opts: &TrainOptions) -> Model {
    let k = p.labels.len();
    let n = chosen.len() as f64;
    // Texts per class among the chosen rows.
    let mut count = vec![0usize; k];
    for &i in chosen {
        for &c in &p.y[i] {
            count[c] += 1;
        }
    }
    let dim = opts.features.dim();
    let columns: Mutex<Vec<Option<Vec<f32>>>> = Mutex::new(vec![None; k]);
    let next = AtomicUsize::new(0);
    let work = || {
        loop {
            let c = next.fetch_add(1, Ordering::Relaxed);
            if c >= k {
                break;
            }
            let positive: Vec<bool> = chosen.iter().map(|&i| p.y[i].contains(&c)).collect();
            let weight: Vec<f64> = chosen
                .iter()
                .zip(&positive)
                .map(|(&i, &pos)| {
                    if !opts.balanced {
                        1.0
                    } else if opts.multi_label {
                        let n_pos = count[c].max(1) as f64;
                        if pos {
                            n / (2.0 * n_pos)
                        } else {
                            n / (2.0 * (n - n_pos).max(1.0))
                        }
                    } else {
                        let own = p.y[i][0];
                        n / (k as f64 * count[own].max(1) as f64)
                    }
                })
                .collect();
            let solver = Solver {
                c: opts.c,
                epochs: opts.epochs,
                tolerance: 0.1,
                seed: opts
                    .seed
                    .wrapping_add((c as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
            };
            let w = linear::train_binary(&p.rows, chosen, &positive, &weight, dim, solver);
            columns.lock().expect("no thread panics holding the lock")[c] = Some(w);
        }
    };
    std::thread::scope(|s| {
        for _ in 1..opts.threads.clamp(1, k) {
            s.spawn(work);
        }
        work();
    });
    let columns: Vec<Vec<f32>> = columns
        .into_inner()
        .expect("no thread panicked")
        .into_iter()
        .map(|c| c.expect("every label was trained"))
        .collect();
    let header = ModelHeader {
        labels: p.labels.clone(),
        multi_label: opts.multi_label,
        field: opts.field.clone(),
        features: opts.features,
        trained_on: chosen.len(),
    };
    Model::from_columns(header, &columns)
}

/// Trains a model on all `examples`. The same examples, options and seed give the same
/// model, byte for byte.
pub fn train(examples: &[Example], opts: &TrainOptions) -> Result<Model, TrainError> {
    let p = prepare(examples, opts)?;
    let all: Vec<usize> = (0..examples.len()).collect();
    Ok(fit(&p, &all, opts))
}

/// K-fold cross-validation, stratified by (first) label: each text is predicted by the
/// model trained on the other folds, and the report pools those predictions.
pub fn cross_validate(
    examples: &[Example],
    opts: &TrainOptions,
    folds: usize,
) -> Result<Report, TrainError> {
    if folds < 2 || examples.len() < folds {
        return Err(TrainError::TooFewForFolds {
            texts: examples.len(),
            folds,
        });
    }
    let p = prepare(examples, opts)?;
    // Deal each class's texts, shuffled, round the folds.
    let mut fold_of = vec![0usize; examples.len()];
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); p.labels.len() + 1];
    for (i, y) in p.y.iter().enumerate() {
        by_class[y.first().map_or(p.labels.len(), |&c| c)].push(i);
    }
    let mut rng = fastrand::Rng::with_seed(opts.seed);
    let mut dealt = 0;
    for class in &mut by_class {
        rng.shuffle(class);
        for &i in class.iter() {
            fold_of[i] = dealt % folds;
            dealt += 1;
        }
    }
    let mut tally = Tally::new(opts.multi_label);
    let mut predicted = vec![Vec::new(); examples.len()];
    let analyzer = Analyzer::new();
    for f in 0..folds {
        let chosen: Vec<usize> = (0..examples.len()).filter(|&i| fold_of[i] != f).collect();
        let model = fit(&p, &chosen, opts);
        for i in (0..examples.len()).filter(|&i| fold_of[i] == f) {
            predicted[i] = model.predict(&examples[i].text, &analyzer);
        }
    }
    for (e, pred) in examples.iter().zip(predicted) {
        tally.add(e.labels.clone(), pred);
    }
    Ok(tally.report())
}

/// A model's predictions on labelled examples, against their labels.
pub fn evaluate(model: &Model, examples: &[Example]) -> Report {
    let analyzer = Analyzer::new();
    let mut tally = Tally::new(model.header.multi_label);
    for e in examples {
        tally.add(e.labels.clone(), model.predict(&e.text, &analyzer));
    }
    tally.report()
}

impl Model {
    /// The labels the model gives `text`: the best one, or (multi-label) every label with a
    /// positive margin. `analyzer` gives the sentiment features (the default engine, as in
    /// training).
    pub fn predict(&self, text: &str, analyzer: &Analyzer) -> Vec<String> {
        let decision = self.decide(text, &analyzer.score(text));
        decision.labels.into_iter().map(str::to_owned).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small synthetic set: the topic is in the words, with noise words around them.
    pub(crate) fn synthetic(n: usize, seed: u64) -> Vec<Example> {
        let topics = [
            ("billing", ["charged", "refund", "invoice", "payment"]),
            ("delay", ["late", "delayed", "waiting", "hours"]),
            ("praise", ["thanks", "great", "love", "amazing"]),
        ];
        let noise = ["the", "my", "flight", "today", "again", "app", "you", "is"];
        let mut rng = fastrand::Rng::with_seed(seed);
        (0..n)
            .map(|i| {
                let (label, words) = topics[i % 3];
                let mut text = Vec::new();
                for _ in 0..4 {
                    text.push(noise[rng.usize(..noise.len())]);
                }
                text.insert(rng.usize(..=text.len()), words[rng.usize(..4)]);
                Example {
                    text: text.join(" "),
                    labels: vec![label.to_owned()],
                }
            })
            .collect()
    }

    #[test]
    fn learns_a_synthetic_set_and_round_trips() {
        let train_set = synthetic(300, 1);
        let test_set = synthetic(150, 2);
        let opts = TrainOptions::default();
        let model = train(&train_set, &opts).unwrap();
        let report = evaluate(&model, &test_set);
        assert!(report.accuracy > 0.95, "{}", report.table());
        let bytes = model.to_bytes();
        let loaded = Model::from_bytes(&bytes).unwrap();
        assert_eq!(loaded, model);
        assert_eq!(evaluate(&loaded, &test_set), report);
        // Same seed, same bytes, whatever the threads; another seed, other weights.
        let threads = TrainOptions {
            threads: 3,
            ..opts.clone()
        };
        assert_eq!(train(&train_set, &threads).unwrap().to_bytes(), bytes);
        let other = TrainOptions {
            seed: 7,
            ..opts.clone()
        };
        assert_ne!(train(&train_set, &other).unwrap().to_bytes(), bytes);
        let cv = cross_validate(&train_set, &opts, 5).unwrap();
        assert_eq!(cv.texts, 300);
        assert!(cv.macro_f1 > 0.9, "{}", cv.table());
    }

    #[test]
    fn bad_files_are_clear_errors() {
        let model = train(&synthetic(30, 1), &TrainOptions::default()).unwrap();
        let bytes = model.to_bytes();
        let err = |b: &[u8]| Model::from_bytes(b).unwrap_err().to_string();
        assert_eq!(err(b"hello"), "not an earful model file");
        assert_eq!(err(&bytes[..bytes.len() - 3]), "model file is truncated");
        assert_eq!(err(&bytes[..40]), "model file is truncated");
        let mut v2 = bytes.clone();
        v2[12] = 2;
        assert!(err(&v2).starts_with("model file format version 2, this earful reads version 1"));
        let mut flipped = bytes.clone();
        let last = flipped.len() - 9;
        flipped[last] ^= 1;
        assert_eq!(err(&flipped), "model file is corrupt: checksum mismatch");
    }

    #[test]
    fn bad_training_sets_are_clear_errors() {
        let one: Vec<Example> = synthetic(9, 1)
            .into_iter()
            .filter(|e| e.labels[0] == "delay")
            .collect();
        let err = train(&one, &TrainOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"only one class ("delay"): a model needs at least two"#
        );
        assert!(matches!(
            train(&[], &TrainOptions::default()),
            Err(TrainError::Empty)
        ));
        let err = cross_validate(&synthetic(3, 1), &TrainOptions::default(), 5).unwrap_err();
        assert_eq!(err.to_string(), "3 labelled texts are too few for 5 folds");
    }

    #[test]
    fn multi_label_learns_each_label() {
        let mut set = synthetic(300, 3);
        for e in set.iter_mut().step_by(2) {
            e.text.push_str(" urgent");
            e.labels.push("urgent".to_owned());
        }
        let opts = TrainOptions {
            multi_label: true,
            ..TrainOptions::default()
        };
        let model = train(&set, &opts).unwrap();
        let analyzer = Analyzer::new();
        let mut got = model.predict("my invoice is wrong urgent", &analyzer);
        got.sort();
        assert_eq!(got, ["billing", "urgent"]);
        assert_eq!(
            model.predict("the flight is delayed today", &analyzer),
            ["delay"]
        );
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]

            /// Any text featurises without panicking, into slots inside the space.
            #[test]
            fn any_text_featurises(text in "\\PC{0,80}") {
                let config = FeatureConfig::default();
                let mut f = Features::default();
                f.fill(&config, &text, &Analyzer::new().score(&text));
                prop_assert!(f.hashed.iter().all(|&(i, v)| (i as usize) < 1 << config.bits && v.is_finite()));
            }

            /// Any bytes, or any damage to a model file, read as a model or a clear error.
            #[test]
            fn damaged_model_files_never_panic(cut in 0usize..4000, at in 0usize..4000, bit in 0u8..8, junk in proptest::collection::vec(any::<u8>(), 0..64)) {
                let _ = Model::from_bytes(&junk);
                let bytes = model_bytes();
                let _ = Model::from_bytes(&bytes[..cut.min(bytes.len())]);
                let mut flipped = bytes.to_vec();
                let at = at % flipped.len();
                flipped[at] ^= 1 << bit;
                prop_assert!(Model::from_bytes(&flipped).is_err());
            }
        }

        fn model_bytes() -> &'static [u8] {
            static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
            BYTES.get_or_init(|| {
                let opts = TrainOptions {
                    features: FeatureConfig {
                        bits: 10,
                        ..FeatureConfig::default()
                    },
                    ..TrainOptions::default()
                };
                train(&synthetic(30, 1), &opts).unwrap().to_bytes()
            })
        }
    }
}
