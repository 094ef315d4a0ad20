//! Sentiment and intent classification.
//!
//! The sentiment engine ([`Analyzer`]) is a Rust port of VADER 3.3.2 (Hutto & Gilbert,
//! ICWSM 2014; lexicon MIT, see `data/LICENSE-VADER.txt`) with layers for customer mentions:
//! masking of @handles, URLs and brand names, a customer-service lexicon with phrases,
//! sarcasm cues and complaint questions. See `docs/classify.md`.

mod classifier;
pub mod language;
mod lexicon;
mod sentiment;

pub use classifier::{
    BUILTIN_RULES, Classifier, UNKNOWN, builtin_rules, join_title_text, rules_with, scoring_text,
};

pub use lexicon::LexiconError;
pub use sentiment::{
    Analyzer, AnalyzerBuilder, Contribution, NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD, Scores, label,
};
