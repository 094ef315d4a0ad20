//! A trained model and its file: magic, format version, a JSON header (labels, how texts
//! become features, what the model sets), the non-zero weight rows, and a checksum.
//!
//! ```text
//! "EARFULMODEL\n"            12 bytes
//! version                    u32 LE (FORMAT_VERSION)
//! header length, header      u32 LE, JSON (ModelHeader)
//! row count                  u32 LE
//! rows                       u32 LE slot, then one f32 LE per label
//! checksum                   first 8 bytes of the SHA-256 of everything before
//! ```

use std::cell::RefCell;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::features::{FeatureConfig, Features};
use crate::classify::Scores;
use crate::scratch;

const MAGIC: &[u8; 12] = b"EARFULMODEL\n";

/// The version of the model file format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// The labels of a model that sets `sentiment` instead of adding labels.
pub const SENTIMENT_LABELS: [&str; 3] = ["negative", "neutral", "positive"];

/// Why a model file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("not an earful model file")]
    NotAModel,
    #[error(
        "model file format version {found}, this earful reads version {FORMAT_VERSION}: train the model again with this earful"
    )]
    Version { found: u32 },
    #[error("model file is truncated")]
    Truncated,
    #[error("model file is corrupt: {0}")]
    Corrupt(String),
}

/// What a model says about itself: the part of the file before the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelHeader {
    /// The classes, in the order of the weight columns (sorted).
    pub labels: Vec<String>,
    /// One-vs-rest labels, any number per text; else exactly one label per text.
    pub multi_label: bool,
    /// The field `classify --model` sets (`--as`); else sentiment or `labels`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub features: FeatureConfig,
    /// Texts the model was trained on.
    pub trained_on: usize,
}

/// A trained linear model: per slot, one weight per label.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub header: ModelHeader,
    /// `weights[slot * labels + k]`.
    weights: Vec<f32>,
}

/// What a model does to a mention in `classify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// Sets `sentiment` (label and score).
    Sentiment,
    /// Adds its labels to `labels`.
    Labels,
    /// Sets this field: a string, or a list for a multi-label model.
    Field(&'a str),
}

/// A model's answer for one text ([`Model::decide`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Decision<'m> {
    pub labels: Vec<&'m str>,
    /// Index of the label with the largest margin.
    pub best: usize,
    pub score: f64,
}

thread_local! {
    static FEATURES: RefCell<Features> = RefCell::new(Features::default());
}

impl Model {
    /// A model from its header and per-label weight vectors (each `features.dim()` long).
    pub fn from_columns(header: ModelHeader, columns: &[Vec<f32>]) -> Model {
        let dim = header.features.dim();
        let k = header.labels.len();
        let mut weights = vec![0f32; dim * k];
        for (c, col) in columns.iter().enumerate() {
            for (slot, &x) in col.iter().enumerate() {
                weights[slot * k + c] = x;
            }
        }
        Model { header, weights }
    }

    pub fn labels(&self) -> &[String] {
        &self.header.labels
    }

    /// What `classify --model` does with this model.
    pub fn target(&self) -> Target<'_> {
        match &self.header.field {
            Some(f) => Target::Field(f),
            None if !self.header.multi_label && self.header.labels == SENTIMENT_LABELS => {
                Target::Sentiment
            }
            None => Target::Labels,
        }
    }

    /// The decision value of each label for `text` (whose sentiment-engine scores are
    /// `scores`), written into `out`: positive means "in the class".
    pub fn margins(&self, text: &str, scores: &Scores, out: &mut Vec<f32>) {
        let k = self.header.labels.len();
        out.clear();
        out.resize(k, 0.0);
        let config = &self.header.features;
        scratch::with(&FEATURES, |f| {
            f.fill(config, text, scores);
            let base = 1u32 << config.bits;
            let dense = f
                .dense
                .iter()
                .enumerate()
                .map(|(d, &v)| (base + d as u32, v));
            let all = f.hashed.iter().copied().chain(dense);
            // Fixed-size rows for the common label counts: the compiler unrolls them.
            match k {
                2 => add_rows::<2>(&self.weights, all, out),
                3 => add_rows::<3>(&self.weights, all, out),
                4 => add_rows::<4>(&self.weights, all, out),
                _ => {
                    for (slot, v) in all {
                        let row = &self.weights[slot as usize * k..][..k];
                        for (o, w) in out.iter_mut().zip(row) {
                            *o += w * v;
                        }
                    }
                }
            }
        });
    }

    /// What the model says about `text` (whose sentiment-engine scores are `scores`): its
    /// labels (the best one, or every label with a positive margin when multi-label) and a
    /// score: P(positive) - P(negative) for a sentiment model, else the best label's
    /// probability.
    pub fn decide(&self, text: &str, scores: &Scores) -> Decision<'_> {
        thread_local! {
            static BUFS: RefCell<(Vec<f32>, Vec<f64>)> = const { RefCell::new((Vec::new(), Vec::new())) };
        }
        scratch::with(&BUFS, |(margins, probs)| {
            self.margins(text, scores, margins);
            let labels = self.labels();
            let best = Model::best(margins);
            Model::probabilities(margins, probs);
            let chosen: Vec<&str> = if self.header.multi_label {
                margins
                    .iter()
                    .zip(labels)
                    .filter(|(m, _)| **m > 0.0)
                    .map(|(_, l)| l.as_str())
                    .collect()
            } else {
                vec![labels[best].as_str()]
            };
            let score = match self.target() {
                Target::Sentiment => probs[2] - probs[0],
                _ => probs[best],
            };
            Decision {
                labels: chosen,
                best,
                score,
            }
        })
    }

    /// The label with the largest margin.
    pub fn best(margins: &[f32]) -> usize {
        let mut best = 0;
        for (i, &m) in margins.iter().enumerate() {
            if m > margins[best] {
                best = i;
            }
        }
        best
    }

    /// Class probabilities from margins (softmax): a confidence, not calibrated.
    pub fn probabilities(margins: &[f32], out: &mut Vec<f64>) {
        out.clear();
        let max = margins.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        out.extend(margins.iter().map(|&m| f64::from(m - max).exp()));
        let sum: f64 = out.iter().sum();
        for p in out.iter_mut() {
            *p /= sum;
        }
    }

    /// The model file's bytes. The same model always gives the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let k = self.header.labels.len();
        let header = serde_json::to_vec(&self.header).expect("a model header serialises");
        let rows: Vec<(usize, &[f32])> = self
            .weights
            .chunks_exact(k.max(1))
            .enumerate()
            .filter(|(_, row)| row.iter().any(|&x| x != 0.0))
            .collect();
        let mut out = Vec::with_capacity(32 + header.len() + rows.len() * (4 + 4 * k));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(header.len() as u32).to_le_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        for (slot, row) in rows {
            out.extend_from_slice(&(slot as u32).to_le_bytes());
            for x in row {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        let sum = Sha256::digest(&out);
        out.extend_from_slice(&sum[..8]);
        out
    }

    /// Reads a model file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut r = Cursor { bytes, at: 0 };
        if r.take(MAGIC.len()).ok() != Some(&MAGIC[..]) {
            return Err(ModelError::NotAModel);
        }
        let found = r.u32()?;
        if found != FORMAT_VERSION {
            return Err(ModelError::Version { found });
        }
        let len = r.u32()? as usize;
        let header: ModelHeader = serde_json::from_slice(r.take(len)?)
            .map_err(|e| ModelError::Corrupt(format!("header: {e}")))?;
        header.features.check().map_err(ModelError::Corrupt)?;
        let k = header.labels.len();
        if k == 0 {
            return Err(ModelError::Corrupt("no labels".to_owned()));
        }
        let dim = header.features.dim();
        let rows = r.u32()? as usize;
        if rows > dim {
            return Err(ModelError::Corrupt(format!("{rows} rows for {dim} slots")));
        }
        let body = r.take(rows * (4 + 4 * k))?;
        let end = r.at;
        let sum = r.take(8)?;
        if r.at != bytes.len() {
            return Err(ModelError::Corrupt("data after the checksum".to_owned()));
        }
        if Sha256::digest(&bytes[..end])[..8] != *sum {
            return Err(ModelError::Corrupt("checksum mismatch".to_owned()));
        }
        let mut weights = vec![0f32; dim * k];
        for row in body.chunks_exact(4 + 4 * k) {
            let slot = u32::from_le_bytes(row[..4].try_into().expect("4 bytes")) as usize;
            if slot >= dim {
                return Err(ModelError::Corrupt(format!("slot {slot} out of range")));
            }
            for (c, x) in row[4..].chunks_exact(4).enumerate() {
                weights[slot * k + c] = f32::from_le_bytes(x.try_into().expect("4 bytes"));
            }
        }
        Ok(Model { header, weights })
    }
}

/// Adds `value` times the weight row of each slot to `out` (`K` labels).
fn add_rows<const K: usize>(
    weights: &[f32],
    slots: impl Iterator<Item = (u32, f32)>,
    out: &mut [f32],
) {
    let mut sum = [0f32; K];
    for (slot, v) in slots {
        let start = slot as usize * K;
        let row: &[f32; K] = weights[start..start + K]
            .try_into()
            .expect("a slice of K weights");
        for (s, w) in sum.iter_mut().zip(row) {
            *s += w * v;
        }
    }
    out.copy_from_slice(&sum);
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self.at.checked_add(n).ok_or(ModelError::Truncated)?;
        let s = self.bytes.get(self.at..end).ok_or(ModelError::Truncated)?;
        self.at = end;
        Ok(s)
    }

    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("take(4) gives 4 bytes"),
        ))
    }
}
