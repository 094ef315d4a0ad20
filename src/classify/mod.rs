//! Sentiment and intent classification.
