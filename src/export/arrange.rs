//! The analyst helpers of `earful export`: `--dedup` (by id), `--sample N --seed S`
//! (reservoir sampling) and `--sort KEY`, applied in that order in front of a writer.
//!
//! Memory: `--dedup` keeps a 64-bit hash per distinct id; `--sample N` keeps N lines;
//! `--sort` keeps every line it writes (the bytes of the lines plus a few words each).

use std::cmp::Ordering;
use std::collections::HashSet;
use std::io;

use serde_json::Value;

use super::{RecordWriter, lookup};
use crate::filter::fnv1a;
use crate::jsonl::LineError;

/// What `--sort` orders by. Each key has a natural direction; `-KEY` reverses it. Mentions
/// without the value come last either way; ties keep their input order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// `published`, oldest first.
    Published,
    /// `sentiment.score`, most negative first.
    Score,
    /// `author.followers`, largest audience first.
    Reach,
}

/// A `--sort` value: a key and whether it is reversed (`-published`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub reversed: bool,
}

impl Sort {
    pub const NAMES: [&'static str; 3] = ["published", "score", "reach"];

    /// Parses `published`, `-published`, `score`, `-score`, `reach`, `-reach`.
    pub fn parse(s: &str) -> Option<Sort> {
        let s = s.trim();
        let (reversed, name) = match s.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, s),
        };
        let key = match name {
            "published" => SortKey::Published,
            "score" => SortKey::Score,
            "reach" => SortKey::Reach,
            _ => return None,
        };
        Some(Sort { key, reversed })
    }

    /// [`Sort::parse`] for a command line: the error lists the keys.
    pub fn from_arg(s: &str) -> Result<Sort, String> {
        Sort::parse(s).ok_or_else(|| {
            let names = Sort::NAMES.join(", ");
            format!("expected one of {names}, or one of them after - to reverse")
        })
    }

    /// The value a mention sorts by, in the key's natural direction (smaller first).
    fn value(self, record: &Value) -> Option<f64> {
        match self.key {
            SortKey::Published => {
                let ts = crate::time::export::parse(record.get("published")?.as_str()?)?;
                Some(ts.as_nanosecond() as f64)
            }
            SortKey::Score => lookup(record, "sentiment.score")?.as_f64(),
            SortKey::Reach => lookup(record, "author.followers")?.as_f64().map(|n| -n),
        }
        .filter(|v| !v.is_nan())
        .map(|v| if self.reversed { -v } else { v })
    }
}

/// `--dedup`, `--sample` and `--sort`.
#[derive(Debug, Clone, Default)]
pub struct Arrange {
    pub dedup: bool,
    /// Keep `n` mentions chosen at random with this seed, in input order.
    pub sample: Option<(usize, u64)>,
    pub sort: Option<Sort>,
}

/// One held line: its sort value, its place in the input, its text.
struct Held {
    value: Option<f64>,
    seq: u64,
    line: String,
}

/// A writer in front of `inner` that drops repeated ids, samples and sorts. Without
/// `--sample` or `--sort`, lines go through at once.
pub struct Arranged<W: RecordWriter> {
    inner: W,
    options: Arrange,
    seen: HashSet<u64>,
    held: Vec<Held>,
    seq: u64,
    written: u64,
    rng: fastrand::Rng,
}

impl<W: RecordWriter> Arranged<W> {
    pub fn new(inner: W, options: Arrange) -> Arranged<W> {
        let seed = options.sample.map_or(0, |(_, seed)| seed);
        Arranged {
            inner,
            options,
            seen: HashSet::new(),
            held: Vec::new(),
            seq: 0,
            written: 0,
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    pub fn inner(&self) -> &W {
        &self.inner
    }

    /// How many mentions were handed to the writer.
    pub fn written(&self) -> u64 {
        self.written
    }

    fn holds(&self) -> bool {
        self.options.sample.is_some() || self.options.sort.is_some()
    }

    /// True when the mention's id was written before (a mention without an id is kept).
    fn repeated(&mut self, record: &Value) -> bool {
        let Some(id) = record.get("id").and_then(Value::as_str) else {
            return false;
        };
        !self.seen.insert(fnv1a(id.as_bytes()))
    }
}

impl<W: RecordWriter> RecordWriter for Arranged<W> {
    fn write(&mut self, line: &str, record: &Value) -> Result<(), LineError> {
        if self.options.dedup && self.repeated(record) {
            return Ok(());
        }
        if !self.holds() {
            self.inner.write(line, record)?;
            self.written += 1;
            return Ok(());
        }
        let seq = self.seq;
        self.seq += 1;
        let held = || Held {
            value: self.options.sort.and_then(|s| s.value(record)),
            seq,
            line: line.to_owned(),
        };
        match self.options.sample {
            // Algorithm R: the i-th mention replaces a random one of the n held with
            // probability n / (i + 1), so each mention is kept with probability n / count.
            Some((n, _)) if self.held.len() >= n => {
                let j = self.rng.u64(0..=seq);
                if let Ok(j) = usize::try_from(j)
                    && j < n
                {
                    self.held[j] = held();
                }
            }
            _ => self.held.push(held()),
        }
        Ok(())
    }

    fn reads_record(&self) -> bool {
        self.options.dedup || self.holds() || self.inner.reads_record()
    }

    fn finish(&mut self) -> io::Result<()> {
        let mut held = std::mem::take(&mut self.held);
        match self.options.sort {
            Some(_) => held.sort_by(|a, b| match (a.value, b.value) {
                (Some(x), Some(y)) => x.total_cmp(&y).then(a.seq.cmp(&b.seq)),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => a.seq.cmp(&b.seq),
            }),
            None => held.sort_by_key(|h| h.seq),
        }
        for h in held {
            let record: Value = serde_json::from_str(&h.line).map_err(io::Error::other)?;
            self.inner.write(&h.line, &record).map_err(|e| match e {
                LineError::Fatal(e) => e,
                LineError::Malformed(why) => io::Error::other(why),
            })?;
            self.written += 1;
        }
        self.inner.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Ids(Vec<String>);
    impl RecordWriter for &mut Ids {
        fn write(&mut self, _: &str, record: &Value) -> Result<(), LineError> {
            self.0.push(record["id"].as_str().unwrap_or("").to_owned());
            Ok(())
        }
        fn finish(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn run(options: Arrange, records: &[Value]) -> Vec<String> {
        let mut ids = Ids(Vec::new());
        let mut w = Arranged::new(&mut ids, options);
        for r in records {
            w.write(&r.to_string(), r).unwrap();
        }
        w.finish().unwrap();
        ids.0
    }

    fn sorted(by: &str, records: &[Value]) -> Vec<String> {
        let sort = Sort::parse(by);
        assert!(sort.is_some(), "{by}");
        run(
            Arrange {
                sort,
                ..Arrange::default()
            },
            records,
        )
    }

    #[test]
    fn sorts_with_missing_values_last_and_ties_in_order() {
        let records = [
            serde_json::json!({"id": "a", "published": "2024-03-02T00:00:00Z", "sentiment": {"score": 0.5}}),
            serde_json::json!({"id": "b", "author": {"followers": 10}}),
            serde_json::json!({"id": "c", "published": "2024-03-01T00:00:00.5Z", "sentiment": {"score": -0.5}, "author": {"followers": 3}}),
            serde_json::json!({"id": "d", "published": "2024-03-01T00:00:00.5Z", "sentiment": {"score": 0.5}}),
        ];
        assert_eq!(sorted("published", &records), ["c", "d", "a", "b"]);
        assert_eq!(sorted("-published", &records), ["a", "c", "d", "b"]);
        assert_eq!(sorted("score", &records), ["c", "a", "d", "b"]);
        assert_eq!(sorted("-score", &records), ["a", "d", "c", "b"]);
        assert_eq!(sorted("reach", &records), ["b", "c", "a", "d"]);
        assert_eq!(sorted("-reach", &records), ["c", "b", "a", "d"]);
        assert_eq!(Sort::parse("likes"), None);
    }

    #[test]
    fn dedup_keeps_the_first_of_each_id() {
        let records: Vec<Value> = ["a", "b", "a", "c", "b"]
            .iter()
            .map(|id| serde_json::json!({"id": id}))
            .chain([
                serde_json::json!({"text": "no id"}),
                serde_json::json!({"text": "no id"}),
            ])
            .collect();
        let ids = run(
            Arrange {
                dedup: true,
                ..Arrange::default()
            },
            &records,
        );
        assert_eq!(ids, ["a", "b", "c", "", ""]);
    }

    #[test]
    fn samples_n_in_input_order_the_same_for_a_seed() {
        let records: Vec<Value> = (0..1000)
            .map(|i| serde_json::json!({"id": format!("{i:04}")}))
            .collect();
        let sample = |seed| {
            run(
                Arrange {
                    sample: Some((10, seed)),
                    ..Arrange::default()
                },
                &records,
            )
        };
        let one = sample(7);
        assert_eq!(one.len(), 10);
        assert!(one.windows(2).all(|w| w[0] < w[1]), "{one:?}");
        assert_eq!(one, sample(7));
        assert_ne!(one, sample(8));
        assert_eq!(
            run(
                Arrange {
                    sample: Some((5, 1)),
                    ..Arrange::default()
                },
                &records[..3]
            )
            .len(),
            3
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]
        /// Each mention is as likely to be sampled as any other: over many seeds, the first
        /// and the last of 20 are picked about equally often (n/count = 1/4 each).
        #[test]
        fn reservoir_is_not_biased_to_early_or_late(start in 0u64..1000) {
            let records: Vec<Value> = (0..20).map(|i| serde_json::json!({"id": format!("{i:02}")})).collect();
            let (mut first, mut last) = (0, 0);
            for seed in start..start + 400 {
                let ids = run(Arrange { sample: Some((5, seed)), ..Arrange::default() }, &records);
                first += usize::from(ids.contains(&"00".to_owned()));
                last += usize::from(ids.contains(&"19".to_owned()));
            }
            proptest::prop_assert!((60..=140).contains(&first), "first {first}");
            proptest::prop_assert!((60..=140).contains(&last), "last {last}");
        }
    }
}
