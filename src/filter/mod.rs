//! The `filter` stage: keep the mentions that match a query, named queries and simple
//! metadata filters, writing each kept line as its original bytes.
//!
//! Speed comes from three things: a [`Prefilter`] rejects lines before JSON parsing when
//! they cannot contain a required literal; the mention is parsed into a borrowed
//! [`MentionView`]; and a kept line is copied out unchanged, or with `matches` spliced in
//! by [`jsonl::set_fields`] (never re-serialised). Memory is one line buffer, plus the
//! dedup window when `--dedup` is on.

use std::collections::{HashSet, VecDeque};
use std::io::Write;

use jiff::Timestamp;

use crate::classify::{language, scoring_text};
use crate::jsonl::{self, LineError, ReadSummary};
use crate::mention::MentionView;
use crate::query::{Prefilter, Query, QuerySet};

/// How `--dedup` recognises a duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DedupBy {
    /// The same `id`.
    Id,
    /// The same text after removing URLs, @handles, `RT` prefixes, punctuation and case.
    Text,
}

impl std::str::FromStr for DedupBy {
    type Err = String;
    fn from_str(s: &str) -> Result<DedupBy, String> {
        match s {
            "id" => Ok(DedupBy::Id),
            "text" => Ok(DedupBy::Text),
            _ => Err(format!("expected `id` or `text`, found `{s}`")),
        }
    }
}

/// The default number of recent keys `--dedup` remembers.
pub const DEFAULT_DEDUP_WINDOW: usize = 1_000_000;

/// Everything that decides which lines are kept. `Default` keeps every line.
#[derive(Debug, Clone, Default)]
pub struct FilterConfig {
    /// A query every kept mention matches (or does not match, with `invert`).
    pub query: Option<Query>,
    /// Named queries: the names that match are appended to `matches`.
    pub queries: Option<QuerySet>,
    /// Keep mentions that match none of `queries` (they are written unchanged).
    pub keep_all: bool,
    /// Invert the query test (`query` and `queries`); the other filters still apply.
    pub invert: bool,
    /// Keep mentions published at or after this time (mentions without a date are dropped).
    pub since: Option<Timestamp>,
    /// Keep mentions published at or before this time.
    pub until: Option<Timestamp>,
    /// Language codes (`en` also keeps `en-GB`); empty keeps all.
    pub langs: Vec<String>,
    /// Platforms; empty keeps all.
    pub platforms: Vec<String>,
    /// Kinds (`post`, `reply`, ...); empty keeps all.
    pub kinds: Vec<String>,
    /// Drop `kind: repost`.
    pub no_reposts: bool,
    /// Minimum length of the text (else the title), in characters.
    pub min_length: Option<usize>,
    /// Drop duplicates seen within the last `dedup_window` kept mentions.
    pub dedup: Option<DedupBy>,
    pub dedup_window: usize,
    /// Keep this fraction of mentions, chosen deterministically from the id.
    pub sample: Option<f64>,
    /// Stop after this many kept mentions (and stop reading).
    pub limit: Option<u64>,
}

/// Which argument is the query. With `-e QUERY` (`expr`) or `--queries FILE` (`queries`),
/// every positional argument is a FILE, so `positional` joins the front of `files`; a
/// positional that names no file then is a slip, and the error says how to give both.
pub fn query_and_files(
    positional: Option<String>,
    expr: Option<String>,
    queries: bool,
    files: &mut Vec<std::path::PathBuf>,
) -> Result<Option<String>, String> {
    if expr.is_none() && !queries {
        return Ok(positional);
    }
    let slip = |q: &&str| expr.is_none() && *q != "-" && !std::path::Path::new(q).exists();
    if let Some(q) = positional.as_deref().filter(slip) {
        let hint = "with --queries every argument is a FILE; give a query with -e QUERY";
        return Err(format!("{q}: no such file ({hint})"));
    }
    files.splice(0..0, positional.map(std::path::PathBuf::from));
    Ok(expr)
}

/// The query a user typed, parsed with the named queries it may refer to; blank is none.
/// The error shows the query with a caret under the place.
pub fn parse_query(src: Option<&str>, named: Option<&QuerySet>) -> Result<Option<Query>, String> {
    let Some(src) = src.filter(|q| !q.trim().is_empty()) else {
        return Ok(None);
    };
    let named = named.cloned().unwrap_or_default();
    Query::parse_with(src, &named)
        .map(Some)
        .map_err(|e| format!("invalid query\n{}", e.render(src)))
}

impl FilterConfig {
    /// What the user should hear about the queries before the run (a lower-case `or`
    /// searched as a word, ...): the query's own warnings, then the named queries'.
    pub fn warnings(&self) -> Vec<String> {
        let named = self.queries.iter().flat_map(QuerySet::warnings);
        let own = self.query.iter().flat_map(|q| q.warnings().iter().cloned());
        own.chain(named).collect()
    }

    /// Checks the values a caller may have got wrong (`sample` in 0..=1, `invert` with a query).
    pub fn check(&self) -> Result<(), String> {
        if let Some(p) = self.sample
            && !(0.0..=1.0).contains(&p)
        {
            return Err(format!(
                "--sample: expected a fraction from 0 to 1, found {p}"
            ));
        }
        if self.invert && self.query.is_none() && self.queries.is_none() {
            return Err("--invert needs a query or --queries".to_owned());
        }
        Ok(())
    }
}

/// Counts from a filter run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FilterSummary {
    pub read: ReadSummary,
    /// Lines written (or counted).
    pub kept: u64,
}

/// A compiled filter with its state (the dedup window, the count kept).
#[derive(Debug)]
pub struct Filter {
    cfg: FilterConfig,
    prefilter: Option<Prefilter>,
    seen: HashSet<u64>,
    order: VecDeque<u64>,
    kept: u64,
    names: Vec<String>,
}

impl Filter {
    /// Compiles the configuration (picks the prefilter).
    pub fn new(cfg: FilterConfig) -> Filter {
        let prefilter = if cfg.invert {
            None
        } else if let Some(q) = &cfg.query {
            q.prefilter()
        } else {
            match &cfg.queries {
                Some(set) if !cfg.keep_all => set.prefilter(),
                _ => None,
            }
        };
        Filter {
            cfg,
            prefilter,
            seen: HashSet::new(),
            order: VecDeque::new(),
            kept: 0,
            names: Vec::new(),
        }
    }

    /// The prefilter in use, if any.
    pub fn prefilter(&self) -> Option<&Prefilter> {
        self.prefilter.as_ref()
    }

    /// True once `limit` lines have been kept.
    pub fn done(&self) -> bool {
        self.cfg.limit.is_some_and(|l| self.kept >= l)
    }

    /// Decides one line (a JSON object); writes it to `out` with a newline when kept.
    /// Returns whether it was kept.
    pub fn line<W: Write + ?Sized>(&mut self, line: &str, out: &mut W) -> Result<bool, LineError> {
        if self
            .prefilter
            .as_ref()
            .is_some_and(|p| !p.may_match(line.as_bytes()))
        {
            return Ok(false);
        }
        self.parsed_line(line, out)
    }

    /// [`Filter::line`] for a line the prefilter has passed.
    fn parsed_line<W: Write + ?Sized>(
        &mut self,
        line: &str,
        out: &mut W,
    ) -> Result<bool, LineError> {
        if self.done() {
            return Ok(false);
        }
        let view: MentionView = serde_json::from_str(line).map_err(|e| LineError::from_json(&e))?;
        if !self.metadata_ok(&view) {
            return Ok(false);
        }
        let mut names = std::mem::take(&mut self.names);
        names.clear();
        let mut hit = self.cfg.query.as_ref().is_none_or(|q| q.matches(&view));
        if hit && let Some(set) = &self.cfg.queries {
            let matched = set.matching(&view);
            for n in &matched {
                if !view.matches.iter().any(|m| m == n) && !names.iter().any(|m| m == n) {
                    names.push((*n).to_owned());
                }
            }
            hit = self.cfg.keep_all || !matched.is_empty();
        }
        if hit == self.cfg.invert || !self.sampled(&view) || self.duplicate(&view) {
            self.names = names;
            return Ok(false);
        }
        if names.is_empty() || self.cfg.invert {
            out.write_all(line.as_bytes())?;
        } else {
            let mut all: Vec<&str> = view.matches.iter().map(|m| m.as_ref()).collect();
            all.extend(names.iter().map(String::as_str));
            let value = serde_json::to_string(&all).map_err(|e| LineError::Fatal(e.into()))?;
            jsonl::set_fields(line, &[("matches", &value)], out)?;
        }
        out.write_all(b"\n")?;
        self.names = names;
        self.kept += 1;
        Ok(true)
    }

    fn metadata_ok(&self, v: &MentionView<'_>) -> bool {
        let c = &self.cfg;
        if c.since.is_some() || c.until.is_some() {
            let Some(ts) = v
                .published
                .as_deref()
                .and_then(|p| p.parse::<Timestamp>().ok())
            else {
                return false;
            };
            if c.since.is_some_and(|s| ts < s) || c.until.is_some_and(|u| ts > u) {
                return false;
            }
        }
        let one_of = |value: Option<&str>, list: &[String], prefix: bool| {
            list.is_empty()
                || value.is_some_and(|v| {
                    list.iter().any(|want| {
                        v.eq_ignore_ascii_case(want)
                            || (prefix
                                && v.len() > want.len()
                                && v.is_char_boundary(want.len())
                                && v[..want.len()].eq_ignore_ascii_case(want)
                                && matches!(v.as_bytes()[want.len()], b'-' | b'_'))
                    })
                })
        };
        // A mention without `lang` is judged by the language classify would detect, and kept
        // when it is too short to tell, as classify scores it (issue 14).
        let lang_ok = match v.lang.as_deref() {
            Some(lang) => one_of(Some(lang), &c.langs, true),
            None if c.langs.is_empty() => true,
            None => {
                language::detect(&scoring_text(v)).is_none_or(|l| one_of(Some(l), &c.langs, true))
            }
        };
        if !lang_ok
            || !one_of(v.platform.as_deref(), &c.platforms, false)
            || !one_of(v.kind.as_deref(), &c.kinds, false)
        {
            return false;
        }
        if c.no_reposts && v.kind.as_deref() == Some("repost") {
            return false;
        }
        if let Some(min) = c.min_length {
            let text = v.text.as_deref().or(v.title.as_deref()).unwrap_or("");
            if text.chars().count() < min {
                return false;
            }
        }
        true
    }

    fn sampled(&self, v: &MentionView<'_>) -> bool {
        match self.cfg.sample {
            None => true,
            Some(p) => {
                let h = fnv1a(v.id.as_deref().unwrap_or("").as_bytes());
                (h as f64 / u64::MAX as f64) < p
            }
        }
    }

    /// Records the mention's key; true when it was seen within the window.
    fn duplicate(&mut self, v: &MentionView<'_>) -> bool {
        let key = match self.cfg.dedup {
            None => return false,
            Some(DedupBy::Id) => fnv1a(v.id.as_deref().unwrap_or("").as_bytes()),
            Some(DedupBy::Text) => {
                let text = v.text.as_deref().or(v.title.as_deref()).unwrap_or("");
                fnv1a(dedup_text(text).as_bytes())
            }
        };
        if !self.seen.insert(key) {
            return true;
        }
        self.order.push_back(key);
        if self.order.len() > self.cfg.dedup_window.max(1)
            && let Some(old) = self.order.pop_front()
        {
            self.seen.remove(&old);
        }
        false
    }
}

mod dedup;
mod scan;

pub use dedup::{dedup_text, fnv1a};
pub use scan::run;

#[cfg(test)]
mod tests;
