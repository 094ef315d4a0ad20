//! From counts to rows: zero-filled periods, shares, spikes and their drivers, top values,
//! distinctive terms.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::terms::{self, Distinctive, TermCounts};
use super::{Cell, Stats, period};

/// More periods than this between the first and the last mention is refused: a stray date
/// (year 1970 among this year's mentions) would otherwise ask for millions of zero rows.
pub const MAX_PERIODS: usize = 100_000;

/// Spike test (`--spikes`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpikeOptions {
    /// Earlier periods the baseline is taken over.
    pub window: usize,
    /// Standard deviations above the baseline's mean.
    pub k: f64,
    /// A spike has at least this many mentions.
    pub min_count: u64,
}

/// How to turn the counts into rows.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    pub spikes: Option<SpikeOptions>,
    /// `--terms N`: rows of distinctive terms per group instead of counts.
    pub terms: Option<usize>,
    /// Names whose words are left out of terms (`--brand`).
    pub brands: Vec<String>,
}

/// Drivers listed per kind on a spike row.
const DRIVERS_SHOWN: usize = 5;

/// One row of `stats` (counts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountRow {
    pub period: String,
    pub group: Map<String, Value>,
    pub count: u64,
    pub negative: u64,
    pub neutral: u64,
    pub positive: u64,
    pub unknown: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub net_sentiment: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    pub reach: u64,
    pub engagement: u64,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub spike: Option<SpikeFields>,
}

/// The fields `--spikes` adds to a row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpikeFields {
    /// Mean count of the `window` periods before (absent for the first `window` periods).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    /// (count − baseline) / standard deviation of the window (absent when it is 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub z: Option<f64>,
    pub spike: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub negative_baseline: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub negative_z: Option<f64>,
    pub negative_spike: bool,
    /// On a spike: the terms, authors and labels that rose most against the baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drivers: Option<DriverRows>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriverRows {
    pub terms: Vec<Rise>,
    pub authors: Vec<Rise>,
    pub labels: Vec<Rise>,
}

/// A value that rose: its count in the period and its mean over the baseline window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rise {
    pub value: String,
    pub count: u64,
    pub baseline: f64,
}

/// One row of `stats --top N FIELD`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopRow {
    pub period: String,
    pub group: Map<String, Value>,
    pub field: String,
    pub count: u64,
    pub top: Vec<TopValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopValue {
    pub value: String,
    pub count: u64,
}

/// One row of `stats --terms N`: a group's distinctive terms over the whole input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermsRow {
    pub group: Map<String, Value>,
    /// Mentions in the group.
    pub count: u64,
    /// Terms counted in the group.
    pub tokens: u64,
    pub terms: Vec<Distinctive>,
}

/// What `stats` writes.
#[derive(Debug, Clone, PartialEq)]
pub enum Report {
    Counts(Vec<CountRow>),
    Top(Vec<TopRow>),
    Terms(Vec<TermsRow>),
}

impl Report {
    /// Each row as a JSON value, in order.
    pub fn values(&self) -> Vec<Value> {
        fn all<T: Serialize>(rows: &[T]) -> Vec<Value> {
            rows.iter()
                .map(|r| serde_json::to_value(r).unwrap_or(Value::Null))
                .collect()
        }
        match self {
            Report::Counts(rows) => all(rows),
            Report::Top(rows) => all(rows),
            Report::Terms(rows) => all(rows),
        }
    }

    /// The spike rows of the last period (what `--fail-on-spike` reports).
    pub fn latest_spikes(&self) -> Vec<&CountRow> {
        let Report::Counts(rows) = self else {
            return Vec::new();
        };
        let Some(last) = rows.last().map(|r| &r.period) else {
            return Vec::new();
        };
        rows.iter()
            .filter(|r| &r.period == last)
            .filter(|r| {
                r.spike
                    .as_ref()
                    .is_some_and(|s| s.spike || s.negative_spike)
            })
            .collect()
    }
}

/// Rounds a ratio for output (4 decimals, as sentiment scores are written).
fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl Stats {
    /// The rows for these counts. Fails when the mentions span more than [`MAX_PERIODS`]
    /// periods.
    pub fn report(&self, options: &ReportOptions) -> Result<Report, String> {
        if let Some(n) = options.terms {
            return Ok(Report::Terms(self.terms_rows(n, &options.brands)));
        }
        let starts = self.period_starts()?;
        let order = self.group_order();
        if let Some((n, name, _)) = &self.options.top {
            return Ok(Report::Top(self.top_rows(&starts, &order, *n, name)));
        }
        Ok(Report::Counts(self.count_rows(
            &starts,
            &order,
            options.spikes,
        )))
    }

    /// Every period from the first mention's to the last's.
    fn period_starts(&self) -> Result<Vec<i64>, String> {
        let (Some(first), Some(last)) = (
            self.cells.keys().map(|k| k.0).min(),
            self.cells.keys().map(|k| k.0).max(),
        ) else {
            return Ok(Vec::new());
        };
        let mut starts = vec![first];
        while let Some(&p) = starts.last()
            && p < last
        {
            if starts.len() == MAX_PERIODS {
                return Err(format!(
                    "the mentions span more than {MAX_PERIODS} {}s, from {} to {}: use a \
                     longer --by, or keep the dates you want first \
                     (earful filter 'published:[2026-01-01 TO *]')",
                    self.options.unit.as_str(),
                    period::format_utc(first),
                    period::format_utc(last)
                ));
            }
            starts.push(self.periods.next(p));
        }
        Ok(starts)
    }

    /// Group ids in the order of their keys.
    fn group_order(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = (0..self.keys.len() as u32).collect();
        ids.sort_by(|a, b| self.keys[*a as usize].cmp(&self.keys[*b as usize]));
        ids
    }

    /// The `group` object of a row: each group field's name and value.
    fn group_object(&self, id: u32) -> Map<String, Value> {
        let values: Vec<Value> =
            serde_json::from_slice(&self.keys[id as usize]).unwrap_or_default();
        self.options
            .groups
            .iter()
            .map(|(name, _)| name.clone())
            .zip(values)
            .collect()
    }

    fn count_rows(
        &self,
        starts: &[i64],
        order: &[u32],
        spikes: Option<SpikeOptions>,
    ) -> Vec<CountRow> {
        let zero = Cell::default();
        let cell = |p: i64, id: u32| self.cells.get(&(p, id)).unwrap_or(&zero);
        let groups: Vec<Map<String, Value>> =
            order.iter().map(|id| self.group_object(*id)).collect();
        let mut rows = Vec::with_capacity(starts.len() * order.len());
        for (i, &p) in starts.iter().enumerate() {
            let total: u64 = order.iter().map(|id| cell(p, *id).count).sum();
            for (g, &id) in order.iter().enumerate() {
                let c = cell(p, id);
                let ratio = |n: u64, of: u64| (of > 0).then(|| round(n as f64 / of as f64));
                rows.push(CountRow {
                    period: period::format_utc(p),
                    group: groups[g].clone(),
                    count: c.count,
                    negative: c.negative,
                    neutral: c.neutral,
                    positive: c.positive,
                    unknown: c.unknown,
                    mean_score: (c.scored > 0)
                        .then(|| round(c.score_micros as f64 / 1e6 / c.scored as f64)),
                    net_sentiment: (c.count > 0)
                        .then(|| round((c.positive as f64 - c.negative as f64) / c.count as f64)),
                    share: ratio(c.count, total),
                    reach: c.reach,
                    engagement: c.engagement,
                    spike: spikes.map(|s| {
                        let window = || {
                            starts[i.saturating_sub(s.window)..i]
                                .iter()
                                .map(|q| cell(*q, id))
                        };
                        spike_fields(c, window, i >= s.window, s)
                    }),
                });
            }
        }
        rows
    }

    fn top_rows(&self, starts: &[i64], order: &[u32], n: usize, field: &str) -> Vec<TopRow> {
        let mut rows = Vec::new();
        for &p in starts {
            for &id in order {
                let Some(cell) = self.cells.get(&(p, id)) else {
                    continue;
                };
                let top = cell.top.as_ref().map(|t| t.top(n)).unwrap_or_default();
                rows.push(TopRow {
                    period: period::format_utc(p),
                    group: self.group_object(id),
                    field: field.to_owned(),
                    count: cell.count,
                    top: top
                        .into_iter()
                        .map(|(value, count)| TopValue {
                            value: value.to_owned(),
                            count,
                        })
                        .collect(),
                });
            }
        }
        rows
    }

    fn terms_rows(&self, n: usize, brands: &[String]) -> Vec<TermsRow> {
        let mut all: HashMap<&str, u64> = HashMap::new();
        let mut all_total = 0;
        for counts in self.terms.values() {
            all_total += counts.total;
            for (t, c) in &counts.counts {
                *all.entry(&**t).or_default() += c;
            }
        }
        // Brand names and the groups' own values say nothing about a group.
        let values: Vec<String> = self
            .keys
            .iter()
            .flat_map(|k| serde_json::from_slice::<Vec<Option<String>>>(k).unwrap_or_default())
            .flatten()
            .collect();
        let mut own: HashSet<String> = HashSet::new();
        let mut buf = String::new();
        for name in brands.iter().chain(&values) {
            terms::for_each_term(name, false, &mut buf, |w| {
                own.insert(w.trim_start_matches('#').to_owned());
            });
        }
        // `vireo's` is the brand too.
        let skip = |term: &str| {
            term.split(' ').any(|w| {
                let w = w.trim_start_matches('#');
                own.contains(w)
                    || w.split_once('\'')
                        .is_some_and(|(stem, _)| own.contains(stem))
            })
        };
        let empty = TermCounts::default();
        let mut mentions: HashMap<u32, u64> = HashMap::new();
        for ((_, id), cell) in &self.cells {
            *mentions.entry(*id).or_default() += cell.count;
        }
        self.group_order()
            .into_iter()
            .map(|id| {
                let counts = self.terms.get(&id).unwrap_or(&empty);
                TermsRow {
                    group: self.group_object(id),
                    count: mentions.get(&id).copied().unwrap_or(0),
                    tokens: counts.total,
                    terms: terms::distinctive(counts, &all, all_total, n, skip),
                }
            })
            .collect()
    }
}

/// The spike test for one row against its `window` of earlier cells (`full` when there
/// are `window` of them).
fn spike_fields<'c, I>(c: &Cell, window: impl Fn() -> I, full: bool, s: SpikeOptions) -> SpikeFields
where
    I: Iterator<Item = &'c Cell>,
{
    let test = |value: fn(&Cell) -> u64| -> (Option<f64>, Option<f64>, bool) {
        if !full || s.window == 0 {
            return (None, None, false);
        }
        let counts: Vec<f64> = window().map(|w| value(w) as f64).collect();
        let mean = counts.iter().sum::<f64>() / counts.len() as f64;
        let var = counts.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / counts.len() as f64;
        let sd = var.sqrt();
        let now = value(c) as f64;
        let spike = value(c) >= s.min_count && now > mean + s.k * sd;
        let z = (sd > 0.0).then(|| round((now - mean) / sd));
        (Some(round(mean)), z, spike)
    };
    let (baseline, z, spike) = test(|c| c.count);
    let (negative_baseline, negative_z, negative_spike) = test(|c| c.negative);
    let drivers = (spike || negative_spike)
        .then(|| {
            let d = c.drivers.as_ref()?;
            let rises = |kind: fn(&super::Drivers) -> &super::sketch::TopK| {
                let mut out: Vec<Rise> = kind(d)
                    .top(usize::MAX)
                    .into_iter()
                    .map(|(value, count)| {
                        let before: Vec<u64> = window()
                            .map(|w| w.drivers.as_ref().map_or(0, |wd| kind(wd).count(value)))
                            .collect();
                        let baseline =
                            before.iter().sum::<u64>() as f64 / before.len().max(1) as f64;
                        Rise {
                            value: value.to_owned(),
                            count,
                            baseline: round(baseline),
                        }
                    })
                    .filter(|r| r.count as f64 > r.baseline)
                    .collect();
                out.sort_by(|a, b| {
                    (b.count as f64 - b.baseline)
                        .total_cmp(&(a.count as f64 - a.baseline))
                        .then_with(|| a.value.cmp(&b.value))
                });
                out.truncate(DRIVERS_SHOWN);
                out
            };
            Some(DriverRows {
                terms: rises(|d| &d.terms),
                authors: rises(|d| &d.authors),
                labels: rises(|d| &d.labels),
            })
        })
        .flatten();
    SpikeFields {
        baseline,
        z,
        spike,
        negative_baseline,
        negative_z,
        negative_spike,
        drivers,
    }
}

/// The columns of a counts table after the period and the groups.
const COUNT_COLUMNS: [&str; 10] = [
    "count",
    "negative",
    "neutral",
    "positive",
    "unknown",
    "mean_score",
    "net_sentiment",
    "share",
    "reach",
    "engagement",
];

/// The columns `--spikes` adds to a counts table.
const SPIKE_COLUMNS: [&str; 7] = [
    "baseline",
    "z",
    "spike",
    "negative_baseline",
    "negative_z",
    "negative_spike",
    "drivers",
];

impl Report {
    /// The report as a table (CSV, TSV, Markdown): the columns, and one flat object per
    /// row. A group is a column named after it (dots become `_`); a top value or a term is
    /// a row of its own, with its rank; a spike's drivers are one cell of text.
    pub fn table(&self, groups: &[String]) -> (Vec<String>, Vec<Value>) {
        let group_columns: Vec<String> = groups.iter().map(|g| g.replace('.', "_")).collect();
        let start = |period: Option<&str>, group: &Map<String, Value>| {
            let mut out = Map::new();
            if let Some(p) = period {
                out.insert("period".into(), p.into());
            }
            for (column, value) in group_columns.iter().zip(group.values()) {
                out.insert(column.clone(), value.clone());
            }
            out
        };
        let mut columns: Vec<String> = Vec::new();
        let mut rows = Vec::new();
        let mut push = |mut row: Map<String, Value>, extra: &[(&str, Value)]| {
            for (k, v) in extra {
                row.insert((*k).into(), v.clone());
            }
            rows.push(Value::Object(row));
        };
        match self {
            Report::Counts(counts) => {
                columns.push("period".into());
                columns.extend(group_columns.iter().cloned());
                columns.extend(COUNT_COLUMNS.map(String::from));
                if counts.iter().any(|r| r.spike.is_some()) {
                    columns.extend(SPIKE_COLUMNS.map(String::from));
                }
                for row in counts {
                    let mut out = start(Some(&row.period), &row.group);
                    if let Ok(Value::Object(fields)) = serde_json::to_value(row) {
                        out.extend(
                            fields
                                .into_iter()
                                .filter(|(k, _)| k != "period" && k != "group"),
                        );
                    }
                    if let Some(d) = row.spike.as_ref().and_then(|s| s.drivers.as_ref()) {
                        out.insert("drivers".into(), d.to_string().into());
                    }
                    push(out, &[]);
                }
            }
            Report::Top(top) => {
                columns.push("period".into());
                columns.extend(group_columns.iter().cloned());
                columns
                    .extend(["field", "count", "rank", "value", "value_count"].map(String::from));
                for row in top {
                    let mut base = start(Some(&row.period), &row.group);
                    base.insert("field".into(), row.field.clone().into());
                    base.insert("count".into(), row.count.into());
                    if row.top.is_empty() {
                        push(base.clone(), &[]);
                    }
                    for (rank, v) in row.top.iter().enumerate() {
                        let extra = [
                            ("rank", (rank + 1).into()),
                            ("value", v.value.clone().into()),
                            ("value_count", v.count.into()),
                        ];
                        push(base.clone(), &extra);
                    }
                }
            }
            Report::Terms(terms) => {
                columns.extend(group_columns.iter().cloned());
                columns.extend(
                    ["count", "tokens", "rank", "term", "term_count", "z"].map(String::from),
                );
                for row in terms {
                    let mut base = start(None, &row.group);
                    base.insert("count".into(), row.count.into());
                    base.insert("tokens".into(), row.tokens.into());
                    for (rank, t) in row.terms.iter().enumerate() {
                        let extra = [
                            ("rank", (rank + 1).into()),
                            ("term", t.term.clone().into()),
                            ("term_count", t.count.into()),
                            ("z", t.z.into()),
                        ];
                        push(base.clone(), &extra);
                    }
                }
            }
        }
        (columns, rows)
    }
}

impl Report {
    /// Writes the rows in `format` (not xlsx or sqlite): JSON values as they are, tables
    /// (CSV, TSV, Markdown) with one column per group field (`groups`).
    pub fn write(
        &self,
        format: crate::export::OutputFormat,
        groups: &[String],
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        use crate::export::{CsvOptions, OutputFormat};
        let (values, columns) = match format {
            OutputFormat::Jsonl | OutputFormat::Json => (self.values(), None),
            _ => {
                let (columns, rows) = self.table(groups);
                (rows, Some(columns))
            }
        };
        let csv = CsvOptions {
            columns,
            ..CsvOptions::default()
        };
        let mut writer = crate::export::writer(format, out, csv)?;
        for value in &values {
            writer
                .write(&value.to_string(), value)
                .map_err(|e| match e {
                    crate::jsonl::LineError::Fatal(e) => e,
                    other => std::io::Error::other(other.to_string()),
                })?;
        }
        writer.finish()
    }
}

impl Report {
    /// One line per group whose latest period is a spike (`--fail-on-spike`).
    pub fn spike_lines(&self) -> Vec<String> {
        self.latest_spikes()
            .iter()
            .map(|r| r.spike_line())
            .collect()
    }
}

impl CountRow {
    /// One stderr line for a spike row (`--fail-on-spike`).
    pub fn spike_line(&self) -> String {
        let row = self;
        let group: Vec<String> = row
            .group
            .iter()
            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("none")))
            .collect();
        let mut line = format!("spike: {}", row.period);
        if !group.is_empty() {
            line.push_str(&format!(" {}", group.join(" ")));
        }
        if let Some(s) = &row.spike {
            let what = if s.spike {
                "mentions"
            } else {
                "negative mentions"
            };
            let (n, baseline, z) = if s.spike {
                (row.count, s.baseline, s.z)
            } else {
                (row.negative, s.negative_baseline, s.negative_z)
            };
            line.push_str(&format!(
                ": {n} {what}, baseline {:.1}",
                baseline.unwrap_or(0.0)
            ));
            if let Some(z) = z {
                line.push_str(&format!(", z {z:.1}"));
            }
            if let Some(d) = &s.drivers {
                line.push_str(&format!(" ({d})"));
            }
        }
        line
    }
}

impl std::fmt::Display for DriverRows {
    /// `terms: outage, down; authors: maria_k; labels: complaint`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut first = true;
        for (kind, rises) in [
            ("terms", &self.terms),
            ("authors", &self.authors),
            ("labels", &self.labels),
        ] {
            if rises.is_empty() {
                continue;
            }
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            let values: Vec<&str> = rises.iter().map(|r| r.value.as_str()).collect();
            write!(f, "{kind}: {}", values.join(", "))?;
        }
        Ok(())
    }
}
