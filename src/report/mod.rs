//! `earful report`: one self-contained HTML (or Markdown) document from classified mentions.
//!
//! Every number comes from the accumulators of `stats` ([`Stats`], [`TopK`]): [`ReportStats`]
//! runs several of them side by side (by hour: volume and spikes, share of voice by match,
//! labels with their terms; by language), each line read once and its words found once,
//! and adds what only a report needs, each
//! bounded: a few quotes per label, the questions and complaints waiting for an answer, and
//! the set of authors. Like [`Stats`], it absorbs one line ([`ReportStats::add_line`]) or
//! another part ([`ReportStats::merge`]), so the input is counted on all cores; memory grows
//! with periods, groups, authors and the bounded lists, never with the number of mentions.
//! [`ReportStats::finish`] turns the counts into a [`Summary`], which [`render`] writes.

pub mod chart;
pub mod html;
pub mod render;

use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashSet, FxHasher};

use crate::jsonl::LineError;
use crate::mention::{MentionView, ViewFields};
use crate::stats::field::Extra;
use crate::stats::rows::{CountRow, TermsRow};
use crate::stats::sketch::TopK;
use crate::stats::{
    self, Field, Options as StatsOptions, Report, ReportOptions, SpikeOptions, Stats, Unit,
};

use self::html::HttpUrl;

/// Quotes kept per label.
pub const QUOTES_PER_LABEL: usize = 3;
/// Characters of a quote or an open question shown.
pub const QUOTE_CHARS: usize = 280;
/// Values kept per top list (authors, sources, hashtags, domains).
pub const TOP_CAPACITY: usize = 1_000;
/// Distinctive terms shown per label.
pub const TERMS_PER_LABEL: usize = 8;
/// At most this many hours are shown as hourly bars; a longer span is shown by day.
pub const MAX_HOURLY: i64 = 72;

/// The labels that ask for an answer, and those that go first.
const NEEDS_ANSWER: [&str; 2] = ["question", "complaint"];
const URGENT: [&str; 2] = ["urgent", "churn_risk"];

/// What the report covers and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--period`: the report covers `[start, end)` (seconds); the period of the same length
    /// before it is counted for the change. `None`: the whole input.
    pub window: Option<(i64, i64)>,
    /// The brand's own handles, lowercase, without `@`.
    pub brand_handles: Vec<String>,
    /// Names left out of the distinctive terms.
    pub brands: Vec<String>,
    /// Rows per top list and per "needs an answer".
    pub top: usize,
}

/// A mention shown as text: a quote of a label, or one that needs an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    pub id: String,
    pub text: String,
    pub url: Option<HttpUrl>,
    pub author: String,
    pub reach: u64,
    pub published: String,
    pub urgent: bool,
    pub labels: Vec<String>,
}

impl Quote {
    /// How long before `end` it was published: `3 h`, `2 d`.
    pub fn age(&self, end: Option<i64>) -> Option<String> {
        let secs = end? - stats::period::parse_published(&self.published)?;
        Some(match secs.max(0) {
            s if s < 3600 => format!("{} min", s / 60),
            s if s < 86_400 => format!("{} h", s / 3600),
            s => format!("{} d", s / 86_400),
        })
    }

    /// Urgent first, then the widest reach, then the id (a total order: merged parts keep
    /// the same quotes as one pass).
    fn rank(&self) -> (bool, u64, std::cmp::Reverse<&str>) {
        (self.urgent, self.reach, std::cmp::Reverse(self.id.as_str()))
    }
}

/// Keeps the `n` best quotes of `list`.
fn keep_best(list: &mut Vec<Quote>, n: usize) {
    list.sort_by(|a, b| b.rank().cmp(&a.rank()));
    list.dedup_by(|a, b| a.id == b.id);
    list.truncate(n);
}

/// The top lists: name shown, field counted.
pub const TOP_FIELDS: [(&str, &str); 4] = [
    ("Authors", "author"),
    ("Sources", "source"),
    ("Hashtags", "tag"),
    ("Domains", "domain"),
];

/// The accumulator of a report. Volume, matches and labels are counted by hour and added
/// up by day in [`ReportStats::finish`] when the span is longer than [`MAX_HOURLY`] hours.
#[derive(Debug, Clone)]
pub struct ReportStats {
    options: Options,
    pub volume: Stats,
    pub by_match: Stats,
    pub by_label: Stats,
    pub by_lang: Stats,
    /// The period before `--period`, of the same length.
    pub previous: Stats,
    tops: Vec<(Field, TopK)>,
    authors: FxHashSet<u64>,
    quotes: BTreeMap<String, Vec<Quote>>,
    open: Vec<Quote>,
    /// Ids and URLs the brand's handles replied to.
    answered: HashSet<String>,
    /// Mentions outside `--period` and the period before it.
    pub outside: u64,
    /// The latest `published` time counted (seconds).
    latest: Option<i64>,
    /// The latest `published` time read, in the period or not.
    pub latest_read: Option<i64>,
    /// The fields a line is read for.
    want: ViewFields,
    word: String,
}

fn new_stats(unit: Unit, group: Option<(&str, Field)>, terms: bool, drivers: bool) -> Stats {
    Stats::new(StatsOptions {
        unit,
        tz_name: "UTC".into(),
        tz: jiff::tz::TimeZone::UTC,
        groups: group.map(|(n, f)| (n.to_owned(), f)).into_iter().collect(),
        top: None,
        terms,
        drivers,
    })
}

impl ReportStats {
    pub fn new(options: Options) -> ReportStats {
        let volume = new_stats(Unit::Hour, None, false, true);
        let by_match = new_stats(Unit::Hour, Some(("match", Field::Match)), false, false);
        let by_label = new_stats(Unit::Hour, Some(("label", Field::Label)), true, false);
        let by_lang = new_stats(Unit::Day, Some(("lang", Field::Lang)), false, false);
        let tops: Vec<(Field, TopK)> = TOP_FIELDS
            .iter()
            .map(|(_, f)| {
                (
                    Field::parse(f).expect("a named field"),
                    TopK::new(TOP_CAPACITY),
                )
            })
            .collect();
        let mut want = ViewFields::ID
            | ViewFields::URL
            | ViewFields::TITLE
            | ViewFields::TEXT
            | ViewFields::PUBLISHED
            | ViewFields::AUTHOR
            | ViewFields::IN_REPLY_TO
            | ViewFields::LABELS;
        for s in [&volume, &by_match, &by_label, &by_lang] {
            want |= s.reads();
        }
        for (f, _) in &tops {
            want |= f.reads();
        }
        ReportStats {
            volume,
            by_match,
            by_label,
            by_lang,
            previous: new_stats(Unit::Day, None, false, false),
            tops,
            authors: FxHashSet::default(),
            quotes: BTreeMap::new(),
            open: Vec::new(),
            answered: HashSet::new(),
            outside: 0,
            latest: None,
            latest_read: None,
            want,
            word: String::new(),
            options,
        }
    }

    /// How many "needs an answer" candidates are kept: more than shown, so that those
    /// answered later in the input leave others to show.
    fn open_capacity(&self) -> usize {
        self.options.top.saturating_mul(10).max(200)
    }

    /// Counts one JSONL line (a line that is not a mention is [`LineError::Malformed`]).
    pub fn add_line(&mut self, line: &str) -> Result<(), LineError> {
        let m = MentionView::parse(line, self.want).map_err(|e| LineError::from_json(&e))?;
        let extra = Extra::default();
        let secs = m
            .published
            .as_deref()
            .and_then(stats::period::parse_published);
        self.latest_read = self.latest_read.max(secs);
        if let (Some((start, end)), Some(t)) = (self.options.window, secs) {
            if t < start && t >= start - (end - start) {
                self.previous.add(&m, &extra);
                return Ok(());
            }
            if t < start || t >= end {
                self.outside += 1;
                return Ok(());
            }
        }
        // The words are found once, with phrases: the labels' terms count them.
        let mut words = Some(stats::words_of(&m, true, &mut self.word));
        for s in [
            &mut self.volume,
            &mut self.by_match,
            &mut self.by_label,
            &mut self.by_lang,
        ] {
            s.add_with_words(&m, &extra, &mut words);
        }
        let Some(secs) = secs else {
            return Ok(());
        };
        self.latest = self.latest.max(Some(secs));
        let mut values = Vec::new();
        for (field, top) in &mut self.tops {
            values.clear();
            field.values(&m, &extra, &mut values);
            for v in values.iter().flatten() {
                top.add(v);
            }
        }
        let author = m.author.as_ref();
        let handle = author.and_then(|a| a.handle.as_deref());
        let name = handle.or(author.and_then(|a| a.name.as_deref()));
        if let Some(name) = name {
            let mut h = FxHasher::default();
            name.to_lowercase().hash(&mut h);
            self.authors.insert(h.finish());
        }
        let is_brand = handle.is_some_and(|h| {
            let h = h.trim_start_matches('@').to_lowercase();
            self.options.brand_handles.contains(&h)
        });
        if is_brand {
            if let Some(parent) = m.in_reply_to.as_deref() {
                self.answered.insert(parent.to_owned());
            }
            return Ok(());
        }
        if m.labels.is_empty() {
            return Ok(());
        }
        let quote = Quote {
            id: m.id.as_deref().unwrap_or_default().to_owned(),
            text: shorten(m.text.as_deref().or(m.title.as_deref()).unwrap_or_default()),
            url: m.url.as_deref().and_then(HttpUrl::parse),
            author: name.unwrap_or_default().to_owned(),
            reach: author.and_then(|a| a.followers).unwrap_or(0),
            published: m.published.as_deref().unwrap_or_default().to_owned(),
            urgent: m.labels.iter().any(|l| URGENT.contains(&l.as_ref())),
            labels: m.labels.iter().map(|l| l.to_string()).collect(),
        };
        for label in &m.labels {
            let list = self.quotes.entry(label.to_string()).or_default();
            list.push(quote.clone());
            if list.len() > QUOTES_PER_LABEL * 4 {
                keep_best(list, QUOTES_PER_LABEL);
            }
        }
        if m.labels.iter().any(|l| NEEDS_ANSWER.contains(&l.as_ref())) {
            self.open.push(quote);
            let cap = self.open_capacity();
            if self.open.len() > cap * 2 {
                keep_best(&mut self.open, cap);
            }
        }
        Ok(())
    }

    /// Adds the counts of `other` (made with the same options).
    pub fn merge(&mut self, other: ReportStats) {
        self.volume.merge(other.volume);
        self.by_match.merge(other.by_match);
        self.by_label.merge(other.by_label);
        self.by_lang.merge(other.by_lang);
        self.previous.merge(other.previous);
        for ((_, mine), (_, theirs)) in self.tops.iter_mut().zip(other.tops) {
            mine.merge(theirs);
        }
        self.authors.extend(other.authors);
        for (label, list) in other.quotes {
            let mine = self.quotes.entry(label).or_default();
            mine.extend(list);
            keep_best(mine, QUOTES_PER_LABEL);
        }
        self.open.extend(other.open);
        let cap = self.open_capacity();
        keep_best(&mut self.open, cap);
        self.answered.extend(other.answered);
        self.outside += other.outside;
        self.latest = self.latest.max(other.latest);
        self.latest_read = self.latest_read.max(other.latest_read);
    }

    /// The numbers and lists of the report.
    pub fn finish(mut self) -> Result<Summary, String> {
        let hourly = self
            .volume
            .span()
            .is_some_and(|(a, b)| (b - a) / 3600 < MAX_HOURLY);
        let unit = if hourly { Unit::Hour } else { Unit::Day };
        if !hourly {
            for s in [&mut self.volume, &mut self.by_match, &mut self.by_label] {
                *s = std::mem::replace(s, new_stats(unit, None, false, false)).coarsen(unit);
            }
        }
        let spikes = SpikeOptions {
            window: unit.default_window(),
            k: 2.0,
            min_count: 10,
        };
        let volume = counts(self.volume.report(&ReportOptions {
            spikes: Some(spikes),
            ..ReportOptions::default()
        })?);
        let total = totals(&volume)
            .into_iter()
            .next()
            .map(|(_, row)| row)
            .unwrap_or_default();
        let previous = self.options.window.map(|_| self.previous.mentions);
        let match_trend = counts(self.by_match.report(&ReportOptions::default())?);
        let label_trend = counts(self.by_label.report(&ReportOptions::default())?);
        let matches = totals(&match_trend);
        let labels = totals(&label_trend);
        let langs = totals(&counts(self.by_lang.report(&ReportOptions::default())?));
        let terms = match self.by_label.report(&ReportOptions {
            terms: Some(TERMS_PER_LABEL),
            brands: self.options.brands.clone(),
            ..ReportOptions::default()
        })? {
            Report::Terms(rows) => rows,
            _ => Vec::new(),
        };
        let top = self.options.top;
        let tops = TOP_FIELDS
            .iter()
            .zip(&self.tops)
            .map(|((title, _), (_, k))| {
                let rows = k
                    .top(top)
                    .into_iter()
                    .map(|(v, c)| (v.to_owned(), c))
                    .collect();
                (*title, rows)
            })
            .collect();
        let answered = &self.answered;
        self.open.retain(|q| {
            !answered.contains(&q.id)
                && !q
                    .url
                    .as_ref()
                    .is_some_and(|u| answered.contains(u.as_str()))
        });
        keep_best(&mut self.open, top);
        for list in self.quotes.values_mut() {
            keep_best(list, QUOTES_PER_LABEL);
        }
        Ok(Summary {
            end: self.options.window.map(|w| w.1).or(self.latest),
            unit,
            window: self.options.window,
            total,
            mentions: self.volume.mentions,
            undated: self.volume.undated,
            latest_read: self.latest_read,
            outside: self.outside,
            previous,
            authors: self.authors.len() as u64,
            volume,
            matches,
            match_trend,
            labels,
            label_trend,
            terms,
            quotes: self.quotes,
            langs,
            tops,
            open: self.open,
            brand_handles: self.options.brand_handles,
        })
    }
}

fn counts(report: Report) -> Vec<CountRow> {
    match report {
        Report::Counts(rows) => rows,
        _ => Vec::new(),
    }
}

/// The totals over all periods of each group, in the order of `stats` (the group's value
/// as text, `(none)` for a mention without one), most mentions first.
pub fn totals(rows: &[CountRow]) -> Vec<(String, Totals)> {
    let mut out: Vec<(String, Totals)> = Vec::new();
    for row in rows {
        let name = row
            .group
            .values()
            .map(|v| v.as_str().unwrap_or("(none)").to_owned())
            .collect::<Vec<_>>()
            .join(" ");
        let t = match out.iter_mut().find(|(n, _)| *n == name) {
            Some((_, t)) => t,
            None => {
                out.push((name, Totals::default()));
                &mut out.last_mut().expect("just pushed").1
            }
        };
        t.count += row.count;
        t.negative += row.negative;
        t.neutral += row.neutral;
        t.positive += row.positive;
        t.unknown += row.unknown;
        t.reach = t.reach.saturating_add(row.reach);
    }
    out.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(&b.0)));
    out
}

/// The periods of `rows` (one row per period and group, as `stats` writes them) and, for
/// each of the groups `names`, its values (`value` of the row) in period order: the series
/// of a trend chart.
pub fn series(
    rows: &[CountRow],
    names: &[&str],
    value: impl Fn(&CountRow) -> f64,
) -> (Vec<String>, Vec<chart::Series>) {
    let mut periods: Vec<String> = Vec::new();
    let mut out: Vec<chart::Series> = names.iter().map(|n| (n.to_string(), Vec::new())).collect();
    for row in rows {
        if periods.last() != Some(&row.period) {
            periods.push(row.period.clone());
            for (_, values) in &mut out {
                values.push(0.0);
            }
        }
        let name = row.group.values().next().and_then(|v| v.as_str());
        if let Some((_, values)) = out.iter_mut().find(|(n, _)| Some(n.as_str()) == name) {
            *values.last_mut().expect("a period was pushed") = value(row);
        }
    }
    (periods, out)
}

/// Counts summed over periods.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub count: u64,
    pub negative: u64,
    pub neutral: u64,
    pub positive: u64,
    pub unknown: u64,
    pub reach: u64,
}

impl Totals {
    /// `(positive - negative) / count`, as `stats` defines net sentiment.
    pub fn net(&self) -> Option<f64> {
        (self.count > 0).then(|| (self.positive as f64 - self.negative as f64) / self.count as f64)
    }

    /// `n` as a share of the count.
    pub fn share(&self, n: u64) -> Option<f64> {
        (self.count > 0).then(|| n as f64 / self.count as f64)
    }
}

/// Everything a report shows.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The end of `--period`, else the latest mention: what a question's age is counted to.
    pub end: Option<i64>,
    pub unit: Unit,
    pub window: Option<(i64, i64)>,
    pub total: Totals,
    pub mentions: u64,
    pub undated: u64,
    /// The latest `published` time of the input, in the period or not.
    pub latest_read: Option<i64>,
    pub outside: u64,
    /// Mentions in the period before `--period`.
    pub previous: Option<u64>,
    pub authors: u64,
    /// One row per period (no group), with spikes.
    pub volume: Vec<CountRow>,
    pub matches: Vec<(String, Totals)>,
    /// One row per (period, match): share of voice over time.
    pub match_trend: Vec<CountRow>,
    pub labels: Vec<(String, Totals)>,
    /// One row per (period, label).
    pub label_trend: Vec<CountRow>,
    pub terms: Vec<TermsRow>,
    pub quotes: BTreeMap<String, Vec<Quote>>,
    pub langs: Vec<(String, Totals)>,
    pub tops: Vec<(&'static str, Vec<(String, u64)>)>,
    pub open: Vec<Quote>,
    pub brand_handles: Vec<String>,
}

/// The first [`QUOTE_CHARS`] characters of `text`, whitespace collapsed.
fn shorten(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    if joined.chars().count() <= QUOTE_CHARS {
        return joined;
    }
    joined.chars().take(QUOTE_CHARS).chain(['…']).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines() -> Vec<String> {
        (0..60)
            .map(|i| {
                let brand = ["nimbus", "vireo"][i % 2];
                let sentiment = ["negative", "positive"][i % 2];
                let labels: &[&str] = [&["question"][..], &["complaint"], &["complaint", "urgent"]][i % 3];
                serde_json::json!({
                    "id": format!("x:{i}"),
                    "url": format!("https://x.com/u/status/{i}"),
                    "published": format!("2026-03-{:02}T{:02}:00:00Z", 1 + i % 5, i % 24),
                    "text": format!("late refund number {i}"),
                    "author": {"handle": format!("u{}", i % 7), "followers": i * 3},
                    "matches": [brand],
                    "labels": labels,
                    "in_reply_to": if i % 7 == 0 { serde_json::json!(format!("x:{}", i + 1)) } else { serde_json::Value::Null },
                    "sentiment": {"score": 0.1, "label": sentiment},
                })
                .to_string()
            })
            .collect()
    }

    fn options() -> Options {
        Options {
            brand_handles: vec!["u0".into()],
            top: 5,
            ..Options::default()
        }
    }

    #[test]
    fn any_split_merged_equals_one_pass() {
        let lines = lines();
        let mut whole = ReportStats::new(options());
        lines.iter().for_each(|l| whole.add_line(l).unwrap());
        for cut in [0, 1, 17, 59] {
            let (mut a, mut b) = (ReportStats::new(options()), ReportStats::new(options()));
            lines[..cut].iter().for_each(|l| a.add_line(l).unwrap());
            lines[cut..].iter().for_each(|l| b.add_line(l).unwrap());
            a.merge(b);
            let (x, y) = (a.finish().unwrap(), whole.clone().finish().unwrap());
            assert_eq!(x.volume, y.volume);
            assert_eq!(x.total, y.total);
            assert_eq!(x.quotes, y.quotes);
            assert_eq!(x.open, y.open);
            assert_eq!(x.authors, y.authors);
        }
    }

    #[test]
    fn brand_replies_close_questions() {
        let mut r = ReportStats::new(options());
        lines().iter().for_each(|l| r.add_line(l).unwrap());
        let s = r.finish().unwrap();
        // u0 (the brand) replied to x:1, x:8, ...; none of those is open, none of u0's own.
        assert!(
            s.open
                .iter()
                .all(|q| q.id != "x:1" && q.id != "x:8" && q.author != "u0")
        );
        assert_eq!(s.open.len(), 5);
        assert!(s.open[0].urgent);
    }

    #[test]
    fn long_text_is_shortened() {
        let s = shorten(&"word ".repeat(200));
        assert!(s.chars().count() <= QUOTE_CHARS + 1 && s.ends_with('…'));
        assert_eq!(shorten(&"x".repeat(1000)).chars().count(), QUOTE_CHARS + 1);
    }
}
