//! `TopK`: the most frequent values of a stream in bounded memory (Misra–Gries, 1982), for
//! `--top` and the drivers of a spike.
//!
//! It keeps at most `capacity` counters. While a stream has no more distinct values than
//! that, every count is exact. Past it, a new value decrements every counter instead of
//! taking one, so a count may be low by at most (values seen) / (capacity + 1), and every
//! value more frequent than that is kept. Two sketches merge into one with the same bound
//! (Agarwal et al., "Mergeable summaries", 2012), which is what `stats --merge` relies on.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopK {
    capacity: usize,
    counts: HashMap<Box<str>, u64>,
}

impl TopK {
    pub fn new(capacity: usize) -> TopK {
        TopK {
            capacity: capacity.max(1),
            counts: HashMap::new(),
        }
    }

    /// Counts one occurrence of `value`.
    pub fn add(&mut self, value: &str) {
        self.add_n(value, 1);
    }

    fn add_n(&mut self, value: &str, n: u64) {
        if let Some(count) = self.counts.get_mut(value) {
            *count += n;
        } else if self.counts.len() < self.capacity {
            self.counts.insert(value.into(), n);
        } else {
            // Misra–Gries: the newcomer and every counter lose one together.
            let least = self.counts.values().copied().min().unwrap_or(0).min(n);
            self.counts.values_mut().for_each(|c| *c -= least);
            self.counts.retain(|_, c| *c > 0);
            if n > least {
                self.counts.insert(value.into(), n - least);
            }
        }
    }

    /// Adds the counts of `other`, then cuts back to the capacity.
    pub fn merge(&mut self, other: TopK) {
        for (value, n) in other.counts {
            *self.counts.entry(value).or_default() += n;
        }
        if self.counts.len() > self.capacity {
            let mut counts: Vec<u64> = self.counts.values().copied().collect();
            counts.sort_unstable_by(|a, b| b.cmp(a));
            let cut = counts[self.capacity];
            self.counts
                .values_mut()
                .for_each(|c| *c = c.saturating_sub(cut));
            self.counts.retain(|_, c| *c > 0);
        }
    }

    /// The count of `value` (0 when not kept).
    pub fn count(&self, value: &str) -> u64 {
        self.counts.get(value).copied().unwrap_or(0)
    }

    /// The `n` most frequent values, most frequent first, ties in value order.
    pub fn top(&self, n: usize) -> Vec<(&str, u64)> {
        let mut all: Vec<(&str, u64)> = self.counts.iter().map(|(v, c)| (&**v, *c)).collect();
        all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        all.truncate(n);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn exact_while_it_fits() {
        let mut k = TopK::new(3);
        for v in ["a", "b", "a", "c", "a", "b"] {
            k.add(v);
        }
        assert_eq!(k.top(5), vec![("a", 3), ("b", 2), ("c", 1)]);
    }

    #[test]
    fn a_frequent_value_survives_many_rare_ones() {
        let mut k = TopK::new(4);
        for i in 0..1_000 {
            k.add("hot");
            k.add(&format!("rare{i}"));
        }
        assert_eq!(k.top(1)[0].0, "hot");
        // Low by at most 2,000 / 5.
        assert!(k.count("hot") >= 1_000 - 400);
    }

    proptest! {
        /// Merged sketches keep the Misra–Gries bound: every count is at most the true count
        /// and at least the true count minus n / (capacity + 1).
        #[test]
        fn merged_counts_stay_within_the_bound(
            stream in prop::collection::vec(0u8..12, 0..300),
            cut in 0usize..300,
            capacity in 1usize..8,
        ) {
            let cut = cut.min(stream.len());
            let (mut a, mut b) = (TopK::new(capacity), TopK::new(capacity));
            for v in &stream[..cut] { a.add(&v.to_string()); }
            for v in &stream[cut..] { b.add(&v.to_string()); }
            a.merge(b);
            let bound = stream.len() as u64 / (capacity as u64 + 1);
            for v in 0u8..12 {
                let truth = stream.iter().filter(|x| **x == v).count() as u64;
                let got = a.count(&v.to_string());
                prop_assert!(got <= truth);
                prop_assert!(got + 2 * bound >= truth, "{v}: {got} vs {truth}");
            }
        }

        /// With room for every value, a split and merged stream counts exactly.
        #[test]
        fn merge_is_exact_while_it_fits(stream in prop::collection::vec(0u8..10, 0..200), cut in 0usize..200) {
            let cut = cut.min(stream.len());
            let (mut whole, mut a, mut b) = (TopK::new(10), TopK::new(10), TopK::new(10));
            for v in &stream { whole.add(&v.to_string()); }
            for v in &stream[..cut] { a.add(&v.to_string()); }
            for v in &stream[cut..] { b.add(&v.to_string()); }
            a.merge(b);
            prop_assert_eq!(a, whole);
        }
    }
}
