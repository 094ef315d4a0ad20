//! `earful stats`: volume, sentiment, share of voice, top values and distinctive terms per
//! period and group, with spike detection; mergeable across shards.
//!
//! Everything counted is one accumulator, [`Stats`], that absorbs one mention
//! ([`Stats::add_line`]) or another accumulator ([`Stats::merge`]): threads, files and
//! machines each count their part, and the parts merge into exactly what one pass over the
//! whole input gives (`--partial`/`--merge`, [`partial`]). [`Stats::report`] turns the counts
//! into rows ([`rows`]). Memory grows with the number of (period, group) cells and, for
//! `--terms`, with the vocabulary of each group; never with the number of mentions.
//! Definitions are in `docs/stats.md`.

pub mod field;
pub mod partial;
pub mod period;
pub mod request;
pub mod rows;
pub mod sketch;
pub mod terms;

use std::borrow::Cow;
use std::collections::HashMap;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::jsonl::LineError;
use crate::mention::{MentionView, ViewFields};

pub use self::field::Field;
pub use self::period::{Periods, Unit};
pub use self::rows::{Report, ReportOptions, SpikeOptions};
use self::sketch::TopK;
use self::terms::TermCounts;

/// Counters kept for a `--top` field: exact while a period and group has fewer distinct
/// values than this (or 20 × N, when larger).
pub const TOP_CAPACITY: usize = 1_000;

/// Counters kept per period and group for each kind of spike driver.
pub const DRIVER_CAPACITY: usize = 64;

/// What to count: fixed for a run, and equal in every part that is merged.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub unit: Unit,
    /// The time zone's name as given (`UTC`, `Europe/Paris`).
    pub tz_name: String,
    pub tz: jiff::tz::TimeZone,
    /// `--group`: the names as given, and their fields.
    pub groups: Vec<(String, Field)>,
    /// `--top N FIELD`.
    pub top: Option<(usize, String, Field)>,
    /// Count each group's terms (`--terms`).
    pub terms: bool,
    /// Keep what each period's spike drivers need (`--spikes`).
    pub drivers: bool,
}

impl Options {
    /// The fields of the mention view counting reads.
    fn reads(&self) -> ViewFields {
        let mut want = ViewFields::PUBLISHED
            | ViewFields::SENTIMENT
            | ViewFields::AUTHOR
            | ViewFields::METRICS;
        for (_, f) in &self.groups {
            want |= f.reads();
        }
        if let Some((_, _, f)) = &self.top {
            want |= f.reads();
        }
        if self.terms || self.drivers {
            want |= ViewFields::TITLE | ViewFields::TEXT | ViewFields::LABELS;
        }
        want
    }

    fn reads_paths(&self) -> bool {
        self.groups.iter().any(|(_, f)| f.is_path())
            || self.top.as_ref().is_some_and(|(_, _, f)| f.is_path())
    }
}

/// The counts of one period and group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub count: u64,
    pub negative: u64,
    pub neutral: u64,
    pub positive: u64,
    /// No sentiment, or `unknown`.
    pub unknown: u64,
    /// The sum of sentiment scores in millionths (integers add up the same in any order,
    /// so merged parts give exactly one pass's mean).
    pub score_micros: i64,
    /// Mentions with a score (labelled negative, neutral or positive).
    pub scored: u64,
    /// Sum of `author.followers` where known.
    pub reach: u64,
    /// Sum of likes, reposts, replies, quotes and comments where known.
    pub engagement: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top: Option<TopK>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drivers: Option<Drivers>,
}

/// What rose in a period: its most frequent words, authors and labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drivers {
    pub terms: TopK,
    pub authors: TopK,
    pub labels: TopK,
}

impl Cell {
    fn merge(&mut self, other: Cell) {
        self.count += other.count;
        self.negative += other.negative;
        self.neutral += other.neutral;
        self.positive += other.positive;
        self.unknown += other.unknown;
        self.score_micros += other.score_micros;
        self.scored += other.scored;
        self.reach += other.reach;
        self.engagement += other.engagement;
        merge_opt(&mut self.top, other.top, TopK::merge);
        merge_opt(&mut self.drivers, other.drivers, |a, b| {
            a.terms.merge(b.terms);
            a.authors.merge(b.authors);
            a.labels.merge(b.labels);
        });
    }
}

fn merge_opt<T>(a: &mut Option<T>, b: Option<T>, merge: impl FnOnce(&mut T, T)) {
    match (a.as_mut(), b) {
        (Some(a), Some(b)) => merge(a, b),
        (None, Some(b)) => *a = Some(b),
        (_, None) => {}
    }
}

/// What one mention adds to each of its cells, computed once.
struct Contribution<'a> {
    sentiment: Sentiment,
    score_micros: Option<i64>,
    reach: u64,
    engagement: u64,
    top: Vec<Option<Cow<'a, str>>>,
    author: Option<Cow<'a, str>>,
}

#[derive(Clone, Copy)]
enum Sentiment {
    Negative,
    Neutral,
    Positive,
    Unknown,
}

/// The accumulator: counts per (period, group), and per group the terms.
#[derive(Debug, Clone)]
pub struct Stats {
    options: Options,
    periods: Periods,
    /// Each group's key (its values as a JSON array), by id.
    keys: Vec<Box<[u8]>>,
    ids: HashMap<Box<[u8]>, u32>,
    cells: FxHashMap<(i64, u32), Cell>,
    terms: FxHashMap<u32, TermCounts>,
    /// Mentions read with a usable `published` time.
    pub mentions: u64,
    /// Mentions without a `published` time (or one that is not RFC 3339): not counted.
    pub undated: u64,
    key: Vec<u8>,
    word: String,
    want: ViewFields,
}

impl Stats {
    pub fn new(options: Options) -> Stats {
        let want = options.reads();
        Stats {
            periods: Periods::new(options.unit, options.tz.clone()),
            options,
            keys: Vec::new(),
            ids: HashMap::new(),
            cells: FxHashMap::default(),
            terms: FxHashMap::default(),
            mentions: 0,
            undated: 0,
            key: Vec::new(),
            word: String::new(),
            want,
        }
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The first and last period with a mention (their starts, in seconds), if any.
    pub fn span(&self) -> Option<(i64, i64)> {
        let first = self.cells.keys().map(|k| k.0).min()?;
        let last = self.cells.keys().map(|k| k.0).max()?;
        Some((first, last))
    }

    /// Counts one JSONL line. A line that is not a mention (a field of the wrong type) is
    /// [`LineError::Malformed`]; one without a usable `published` time is counted as undated.
    pub fn add_line(&mut self, line: &str) -> Result<(), LineError> {
        let m = MentionView::parse(line, self.want).map_err(|e| LineError::from_json(&e))?;
        let extra = if self.options.reads_paths() {
            field::Extra::read(line).map_err(|e| LineError::from_json(&e))?
        } else {
            field::Extra::default()
        };
        self.add(&m, &extra);
        Ok(())
    }

    /// The fields of the mention view this accumulator reads.
    pub fn reads(&self) -> ViewFields {
        self.want
    }

    /// Counts one mention.
    pub fn add<'a>(&mut self, m: &'a MentionView<'a>, extra: &field::Extra<'a>) {
        self.add_with_words(m, extra, &mut None);
    }

    /// Counts one mention, its words computed at most once for several accumulators: when
    /// this one needs them and `words` is `None`, it is filled with [`words_of`]; when it is
    /// `Some`, it is used as it is (with the phrases if an accumulator counts `--terms`).
    pub fn add_with_words<'a>(
        &mut self,
        m: &'a MentionView<'a>,
        extra: &field::Extra<'a>,
        words: &mut Option<Vec<Box<str>>>,
    ) {
        let Some(secs) = m.published.as_deref().and_then(period::parse_published) else {
            self.undated += 1;
            return;
        };
        self.mentions += 1;
        let period = self.periods.start_of(secs);
        let contribution = self.contribution(m, extra);
        // The values of each group field; the mention counts once in each combination.
        let mut values: Vec<Vec<Option<Cow<'a, str>>>> =
            Vec::with_capacity(self.options.groups.len());
        for (_, f) in &self.options.groups {
            let mut v = Vec::new();
            f.values(m, extra, &mut v);
            values.push(v);
        }
        let mut pick = vec![0usize; values.len()];
        loop {
            let id = self.group_id(values.iter().zip(&pick).map(|(v, &i)| &v[i]));
            let cell = self.cells.entry((period, id)).or_default();
            add_to_cell(cell, &contribution, &self.options);
            if self.options.drivers || self.options.terms {
                let words =
                    words.get_or_insert_with(|| words_of(m, self.options.terms, &mut self.word));
                if let Some(d) = &mut cell.drivers {
                    for w in words.iter().filter(|w| !w.contains(' ')) {
                        d.terms.add(w);
                    }
                    if let Some(a) = &contribution.author {
                        d.authors.add(a);
                    }
                    for l in &m.labels {
                        d.labels.add(l);
                    }
                }
                if self.options.terms {
                    let counts = self.terms.entry(id).or_default();
                    for w in words.iter() {
                        counts.add(w);
                    }
                }
            }
            // The next combination, odometer style.
            let mut i = pick.len();
            loop {
                if i == 0 {
                    return;
                }
                i -= 1;
                pick[i] += 1;
                if pick[i] < values[i].len() {
                    break;
                }
                pick[i] = 0;
            }
        }
    }

    fn contribution<'a>(
        &self,
        m: &'a MentionView<'a>,
        extra: &field::Extra<'a>,
    ) -> Contribution<'a> {
        let (sentiment, score_micros) = match &m.sentiment {
            Some(s) => {
                let label = match s.label.as_ref() {
                    "negative" => Sentiment::Negative,
                    "neutral" => Sentiment::Neutral,
                    "positive" => Sentiment::Positive,
                    _ => Sentiment::Unknown,
                };
                let score = (!matches!(label, Sentiment::Unknown) && s.score.is_finite())
                    .then(|| (s.score.clamp(-1.0, 1.0) * 1e6).round() as i64);
                (label, score)
            }
            None => (Sentiment::Unknown, None),
        };
        let engagement = m.metrics.as_ref().map_or(0, |x| {
            [x.likes, x.reposts, x.replies, x.quotes, x.comments]
                .into_iter()
                .flatten()
                .fold(0u64, u64::saturating_add)
        });
        let mut top = Vec::new();
        if let Some((_, _, f)) = &self.options.top {
            f.values(m, extra, &mut top);
        }
        let author = m
            .author
            .as_ref()
            .and_then(|a| a.handle.as_deref().or(a.name.as_deref()).map(Cow::Borrowed));
        Contribution {
            sentiment,
            score_micros,
            reach: m.author.as_ref().and_then(|a| a.followers).unwrap_or(0),
            engagement,
            top,
            author,
        }
    }

    /// The id of the group with these values, made when new.
    fn group_id<'v, 'a: 'v>(
        &mut self,
        values: impl Iterator<Item = &'v Option<Cow<'a, str>>>,
    ) -> u32 {
        self.key.clear();
        self.key.push(b'[');
        for (i, v) in values.enumerate() {
            if i > 0 {
                self.key.push(b',');
            }
            // Writing a string or null to a Vec cannot fail.
            let _ = serde_json::to_writer(&mut self.key, v);
        }
        self.key.push(b']');
        if let Some(&id) = self.ids.get(self.key.as_slice()) {
            return id;
        }
        self.intern(self.key.clone().into_boxed_slice())
    }

    fn intern(&mut self, key: Box<[u8]>) -> u32 {
        let id = u32::try_from(self.keys.len()).unwrap_or(u32::MAX);
        self.ids.insert(key.clone(), id);
        self.keys.push(key);
        id
    }

    /// The same counts in longer periods (`unit` a multiple of this one's: hours into days,
    /// days into weeks or months): each cell is added to the cell of the period holding it,
    /// so the rows equal those of counting by `unit` in the first place.
    pub fn coarsen(self, unit: Unit) -> Stats {
        let mut periods = Periods::new(unit, self.options.tz.clone());
        let mut cells: FxHashMap<(i64, u32), Cell> = FxHashMap::default();
        for ((start, id), cell) in self.cells {
            let key = (periods.start_of(start), id);
            match cells.get_mut(&key) {
                Some(mine) => mine.merge(cell),
                None => {
                    cells.insert(key, cell);
                }
            }
        }
        Stats {
            options: Options {
                unit,
                ..self.options
            },
            periods,
            cells,
            ..self
        }
    }

    /// Adds the counts of `other` (made with the same options).
    pub fn merge(&mut self, other: Stats) {
        self.mentions += other.mentions;
        self.undated += other.undated;
        let remap: Vec<u32> = other
            .keys
            .into_iter()
            .map(|key| match self.ids.get(&key) {
                Some(&id) => id,
                None => self.intern(key),
            })
            .collect();
        for ((period, id), cell) in other.cells {
            let id = remap[id as usize];
            match self.cells.get_mut(&(period, id)) {
                Some(mine) => mine.merge(cell),
                None => {
                    self.cells.insert((period, id), cell);
                }
            }
        }
        for (id, counts) in other.terms {
            self.terms
                .entry(remap[id as usize])
                .or_default()
                .merge(counts);
        }
    }
}

/// The words of a mention's title and text, and with `phrases` its two-word phrases (which
/// `--terms` counts; spike drivers use the words alone). `buf` is scratch space.
pub fn words_of(m: &MentionView<'_>, phrases: bool, buf: &mut String) -> Vec<Box<str>> {
    let mut out = Vec::new();
    for text in [m.title.as_deref(), m.text.as_deref()]
        .into_iter()
        .flatten()
    {
        terms::for_each_term(text, phrases, buf, |t| out.push(t.into()));
    }
    out
}

fn add_to_cell(cell: &mut Cell, c: &Contribution<'_>, options: &Options) {
    cell.count += 1;
    match c.sentiment {
        Sentiment::Negative => cell.negative += 1,
        Sentiment::Neutral => cell.neutral += 1,
        Sentiment::Positive => cell.positive += 1,
        Sentiment::Unknown => cell.unknown += 1,
    }
    if let Some(s) = c.score_micros {
        cell.score_micros += s;
        cell.scored += 1;
    }
    cell.reach = cell.reach.saturating_add(c.reach);
    cell.engagement = cell.engagement.saturating_add(c.engagement);
    if let Some((n, _, _)) = &options.top {
        let top = cell
            .top
            .get_or_insert_with(|| TopK::new(TOP_CAPACITY.max(n.saturating_mul(20))));
        for v in c.top.iter().flatten() {
            top.add(v);
        }
    }
    if options.drivers && cell.drivers.is_none() {
        cell.drivers = Some(Drivers {
            terms: TopK::new(DRIVER_CAPACITY),
            authors: TopK::new(DRIVER_CAPACITY),
            labels: TopK::new(DRIVER_CAPACITY),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn options() -> Options {
        Options {
            unit: Unit::Day,
            tz_name: "Europe/Paris".into(),
            tz: jiff::tz::TimeZone::get("Europe/Paris").unwrap(),
            groups: vec![
                ("match".into(), Field::Match),
                ("team".into(), Field::parse("extra.team").unwrap()),
            ],
            top: Some((3, "tag".into(), Field::Tag)),
            terms: true,
            drivers: true,
        }
    }

    fn line(day: u8, hour: u8, brand: u8, label: u8, word: u8) -> String {
        let labels = ["negative", "neutral", "positive", "unknown"];
        let brands = [&["a"][..], &["b"], &["a", "b"], &[]];
        serde_json::json!({
            "id": format!("{day}{hour}{brand}"),
            "published": format!("2026-03-{:02}T{:02}:00:00Z", day + 1, hour),
            "text": format!("word{word} late flight"),
            "tags": [format!("t{}", word % 3)],
            "matches": brands[brand as usize],
            "extra": {"team": if word.is_multiple_of(2) { serde_json::json!("ops") } else { serde_json::json!(null) }},
            "sentiment": {"score": (f64::from(word) - 4.0) / 7.0, "label": labels[label as usize]},
            "author": {"handle": format!("u{word}"), "followers": word},
        })
        .to_string()
    }

    proptest! {
        /// Any split of the input, counted apart and merged, gives one pass's report.
        #[test]
        fn any_split_merged_equals_one_pass(
            mentions in prop::collection::vec((0u8..5, 0u8..24, 0u8..4, 0u8..4, 0u8..9), 1..40),
            cuts in prop::collection::vec(0usize..40, 0..3),
        ) {
            let lines: Vec<String> = mentions.iter().map(|m| line(m.0, m.1, m.2, m.3, m.4)).collect();
            let mut whole = Stats::new(options());
            for l in &lines {
                whole.add_line(l).unwrap();
            }
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(lines.len())).collect();
            cuts.sort_unstable();
            let mut merged = Stats::new(options());
            let mut start = 0;
            for end in cuts.into_iter().chain([lines.len()]) {
                let mut part = Stats::new(options());
                for l in &lines[start..end.max(start)] {
                    part.add_line(l).unwrap();
                }
                start = end.max(start);
                merged.merge(part);
            }
            let spikes = Some(SpikeOptions { window: 2, k: 1.0, min_count: 1 });
            for report in [
                ReportOptions { spikes, ..ReportOptions::default() },
                ReportOptions { terms: Some(5), ..ReportOptions::default() },
            ] {
                prop_assert_eq!(merged.report(&report), whole.report(&report));
            }
            prop_assert_eq!(merged.mentions, lines.len() as u64);
        }
    }

    proptest! {
        /// Hours added up into days (or weeks) give the rows of counting by day (or week).
        #[test]
        fn coarsened_equals_counted_by_the_longer_unit(
            mentions in prop::collection::vec((0u8..5, 0u8..24, 0u8..4, 0u8..4, 0u8..9), 1..40),
        ) {
            let by = |unit| {
                let mut s = Stats::new(Options { unit, drivers: false, ..options() });
                for m in &mentions {
                    s.add_line(&line(m.0, m.1, m.2, m.3, m.4)).unwrap();
                }
                s
            };
            for unit in [Unit::Day, Unit::Week] {
                let report = ReportOptions { terms: Some(3), ..ReportOptions::default() };
                prop_assert_eq!(by(Unit::Hour).coarsen(unit).report(&report), by(unit).report(&report));
                prop_assert_eq!(
                    by(Unit::Hour).coarsen(unit).report(&ReportOptions::default()),
                    by(unit).report(&ReportOptions::default())
                );
            }
        }
    }

    #[test]
    fn a_stray_date_is_refused_not_zero_filled() {
        let mut stats = Stats::new(Options {
            top: None,
            ..options()
        });
        stats
            .add_line(r#"{"id":"1","published":"1970-01-01T00:00:00Z"}"#)
            .unwrap();
        stats
            .add_line(r#"{"id":"2","published":"2026-01-01T00:00:00Z"}"#)
            .unwrap();
        let hourly = Stats {
            options: Options {
                unit: Unit::Hour,
                ..stats.options.clone()
            },
            periods: Periods::new(Unit::Hour, jiff::tz::TimeZone::UTC),
            ..stats.clone()
        };
        let err = hourly.report(&ReportOptions::default()).unwrap_err();
        assert!(err.contains("span more than 100000 hours"), "{err}");
        // By day the same span fits.
        assert!(stats.report(&ReportOptions::default()).is_ok());
    }
}
