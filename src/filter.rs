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

use crate::jsonl::{
    self, BadLines, Block, Finder, Input, Line, LineError, LineReader, Location, ReadError,
    ReadSummary, Scan,
};
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

impl FilterConfig {
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
        if !one_of(v.lang.as_deref(), &c.langs, true)
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

/// FNV-1a, 64 bits: stable across runs and Rust versions.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The text `--dedup=text` compares: without URLs, @handles and an `RT` prefix, lower case,
/// letters, digits and emoji only, single-spaced.
pub fn dedup_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let lower_word = word.to_lowercase();
        if lower_word.starts_with("http://")
            || lower_word.starts_with("https://")
            || lower_word.starts_with("www.")
            || word.starts_with('@')
            || (out.is_empty() && (lower_word == "rt" || lower_word == "rt:"))
        {
            continue;
        }
        let kept: String = lower_word
            .chars()
            .filter(|c| c.is_alphanumeric() || (!c.is_ascii() && !c.is_whitespace()))
            .collect();
        if kept.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&kept);
    }
    out
}

/// Runs `filter` over `inputs`, writing kept lines to `out`; stops reading at the limit.
/// Malformed lines go to `report` (or end the run under `strict`).
///
/// With a prefilter, input is scanned in blocks of many lines, as ripgrep does: one literal
/// search and one scan for non-ASCII bytes and backslashes find the next line that may
/// match, and the lines before it are only counted.
pub fn run<W, R>(
    filter: &mut Filter,
    inputs: Vec<Input>,
    strict: bool,
    report: R,
    out: &mut W,
) -> Result<FilterSummary, ReadError>
where
    W: Write + ?Sized,
    R: FnMut(Location<'_>, &str),
{
    let mut lines = LineReader::new(inputs);
    let mut cx = LineCx {
        bad: BadLines::new(strict, report),
    };
    if let Some(pre) = filter.prefilter.clone() {
        while !filter.done() {
            match lines.next_candidate(&pre)? {
                None => break,
                Some(Scan::Skipped(block)) => cx.skip_lines(filter, block, out)?,
                Some(Scan::Candidate(line)) => cx.line(filter, line, out)?,
            }
        }
    } else {
        while !filter.done() {
            let Some(line) = lines.next_line()? else {
                break;
            };
            cx.line(filter, line, out)?;
        }
    }
    Ok(FilterSummary {
        read: cx.bad.summary(),
        kept: filter.kept,
    })
}

/// The prefilter finds lines worth parsing in the block scan.
impl Finder for Prefilter {
    fn find_literal(&self, bytes: &[u8]) -> Option<usize> {
        Prefilter::find_literal(self, bytes)
    }
    fn find_special(&self, bytes: &[u8]) -> Option<usize> {
        Prefilter::find_special(bytes)
    }
}

/// A cheap shape check for lines that are not parsed: `{` first and `}` last, ignoring
/// surrounding whitespace. It catches cut-short lines and lines that are not objects.
fn looks_like_object(line: &[u8]) -> bool {
    line.trim_ascii().first() == Some(&b'{') && line.trim_ascii().last() == Some(&b'}')
}

/// What handling one line needs besides the filter: the bad-line rule and its counts.
struct LineCx<R> {
    bad: BadLines<R>,
}

impl<R: FnMut(Location<'_>, &str)> LineCx<R> {
    /// Counts the lines of a block that the prefilter rules out, without parsing them. A
    /// line not shaped like an object (`{...}`: cut short, not JSON) goes through the full
    /// check, so it is reported, never dropped silently.
    fn skip_lines<W: Write + ?Sized>(
        &mut self,
        filter: &mut Filter,
        block: Block<'_>,
        out: &mut W,
    ) -> Result<(), ReadError> {
        for line in block.lines() {
            if looks_like_object(line.bytes) {
                self.bad.read(1);
            } else {
                self.line(filter, line, out)?;
            }
        }
        Ok(())
    }

    /// Counts, prefilters, parses and decides one non-blank line; reports it if malformed.
    fn line<W: Write + ?Sized>(
        &mut self,
        filter: &mut Filter,
        line: Line<'_>,
        out: &mut W,
    ) -> Result<(), ReadError> {
        self.bad.read(1);
        // Rejected on the raw bytes: no UTF-8 check, no parse.
        if filter
            .prefilter
            .as_ref()
            .is_some_and(|p| !p.may_match(line.bytes))
            && looks_like_object(line.bytes)
        {
            return Ok(());
        }
        match line
            .text()
            .map_err(LineError::Malformed)
            .and_then(|text| filter.parsed_line(text, out).map(drop))
        {
            Ok(()) => Ok(()),
            Err(LineError::Fatal(e)) => Err(ReadError::Write(e)),
            Err(LineError::Malformed(why)) => self.bad.bad(line.location(), why, line.terminated),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINES: &str = r#"{"id":"x:1","platform":"x","kind":"post","lang":"en","published":"2024-01-10T10:00:00Z","text":"Lost my luggage again @airline https://t.co/a"}
{"id":"x:2","platform":"x","kind":"repost","lang":"en-GB","published":"2024-01-11T10:00:00Z","text":"RT @bob: lost my LUGGAGE again!"}
{"id":"r:3","platform":"reddit","kind":"comment","lang":"fr","published":"2024-01-12T10:00:00Z","text":"bagages perdus"}
{"id":"x:1","platform":"x","kind":"post","lang":"en","text":"dup id, baggage"}
{"id":"m:5","platform":"mastodon","kind":"post","text":"ok","matches":["old"]}
"#;

    fn run_cfg(cfg: FilterConfig) -> (Vec<String>, FilterSummary) {
        let mut f = Filter::new(cfg);
        let mut out = Vec::new();
        let mut tmp = tempfile::NamedTempFile::new().unwrap();
        tmp.write_all(LINES.as_bytes()).unwrap();
        let inputs = vec![Input::Path(tmp.path().to_path_buf())];
        let summary = run(&mut f, inputs, false, |_, _| {}, &mut out).unwrap();
        let ids = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                let m = v.get("matches").map(|m| format!("{m}")).unwrap_or_default();
                format!("{}{m}", v["id"].as_str().unwrap())
            })
            .collect();
        (ids, summary)
    }

    fn q(s: &str) -> Option<Query> {
        Some(Query::parse(s).unwrap())
    }

    #[test]
    fn options() {
        let base = || FilterConfig {
            dedup_window: 10,
            ..FilterConfig::default()
        };
        let t = |s: &str| crate::time::parse_time(s, Timestamp::UNIX_EPOCH).unwrap();
        let cases: Vec<(FilterConfig, &[&str])> = vec![
            (base(), &["x:1", "x:2", "r:3", "x:1", "m:5[\"old\"]"]),
            (
                FilterConfig {
                    query: q("luggage OR baggage"),
                    ..base()
                },
                &["x:1", "x:2", "x:1"],
            ),
            (
                FilterConfig {
                    query: q("luggage"),
                    invert: true,
                    ..base()
                },
                &["r:3", "x:1", "m:5[\"old\"]"],
            ),
            (
                FilterConfig {
                    langs: vec!["en".into()],
                    ..base()
                },
                &["x:1", "x:2", "x:1"],
            ),
            (
                FilterConfig {
                    platforms: vec!["reddit".into(), "mastodon".into()],
                    ..base()
                },
                &["r:3", "m:5[\"old\"]"],
            ),
            (
                FilterConfig {
                    kinds: vec!["post".into()],
                    ..base()
                },
                &["x:1", "x:1", "m:5[\"old\"]"],
            ),
            (
                FilterConfig {
                    no_reposts: true,
                    ..base()
                },
                &["x:1", "r:3", "x:1", "m:5[\"old\"]"],
            ),
            (
                FilterConfig {
                    min_length: Some(15),
                    ..base()
                },
                &["x:1", "x:2", "x:1"],
            ),
            (
                FilterConfig {
                    since: Some(t("2024-01-11")),
                    ..base()
                },
                &["x:2", "r:3"],
            ),
            (
                FilterConfig {
                    until: Some(t("2024-01-11T10:00:00Z")),
                    ..base()
                },
                &["x:1", "x:2"],
            ),
            (
                FilterConfig {
                    dedup: Some(DedupBy::Id),
                    ..base()
                },
                &["x:1", "x:2", "r:3", "m:5[\"old\"]"],
            ),
            (
                FilterConfig {
                    dedup: Some(DedupBy::Text),
                    ..base()
                },
                &["x:1", "r:3", "x:1", "m:5[\"old\"]"],
            ),
            (
                FilterConfig {
                    limit: Some(2),
                    ..base()
                },
                &["x:1", "x:2"],
            ),
            (
                FilterConfig {
                    sample: Some(0.0),
                    ..base()
                },
                &[],
            ),
            (
                FilterConfig {
                    sample: Some(1.0),
                    ..base()
                },
                &["x:1", "x:2", "r:3", "x:1", "m:5[\"old\"]"],
            ),
        ];
        for (i, (cfg, want)) in cases.into_iter().enumerate() {
            let (got, summary) = run_cfg(cfg);
            assert_eq!(got, want, "case {i}");
            assert_eq!(summary.kept, want.len() as u64, "case {i}");
        }
    }

    #[test]
    fn named_queries_append_matches() {
        let set =
            QuerySet::from_toml("lost = 'lost'\nbag = 'luggage OR baggage'\nok = 'ok'").unwrap();
        let (got, _) = run_cfg(FilterConfig {
            queries: Some(set.clone()),
            ..FilterConfig::default()
        });
        assert_eq!(
            got,
            [
                r#"x:1["lost","bag"]"#,
                r#"x:2["lost","bag"]"#,
                r#"x:1["bag"]"#,
                r#"m:5["old","ok"]"#
            ]
        );
        let (got, _) = run_cfg(FilterConfig {
            queries: Some(set),
            keep_all: true,
            query: q("lost OR perdus"),
            ..FilterConfig::default()
        });
        assert_eq!(got, [r#"x:1["lost","bag"]"#, r#"x:2["lost","bag"]"#, "r:3"]);
    }

    #[test]
    fn kept_lines_are_the_original_bytes() {
        let line = r#"{"id":"1", "text":"Lost  luggage", "big":12345678901234567890123, "z":1.50}"#;
        let mut f = Filter::new(FilterConfig {
            query: q("luggage"),
            ..FilterConfig::default()
        });
        let mut out = Vec::new();
        assert!(f.line(line, &mut out).unwrap());
        assert_eq!(out, format!("{line}\n").as_bytes());
    }

    #[test]
    fn prefiltered_lines_are_not_parsed() {
        let mut f = Filter::new(FilterConfig {
            query: q("luggage"),
            ..FilterConfig::default()
        });
        assert!(f.prefilter().is_some());
        let mut out = Vec::new();
        // Not JSON, but it cannot match: rejected before parsing.
        assert!(!f.line("{nope", &mut out).unwrap());
        assert!(f.line("{luggage", &mut out).is_err());
    }

    #[test]
    fn lines_and_blocks_follow_the_line_rules() {
        let long = format!(
            "{{\"id\":\"long\",\"text\":\"zz {}\"}}",
            "x".repeat(3 << 20)
        );
        let input = format!(
            "\u{feff}{{\"id\":\"a\",\"text\":\"zz\"}}\r\n\n  \n{long}\n[1,\"zz\"]\n{{bad zz}}\n{{\"id\":\"cut\",\"text\":\"zz"
        );
        let mut tmp = tempfile::NamedTempFile::new().unwrap();
        tmp.write_all(input.as_bytes()).unwrap();
        // Without a prefilter line by line, with one in blocks: the same result.
        for query in [None, q("zz")] {
            let mut bad = Vec::new();
            let mut out = Vec::new();
            let mut f = Filter::new(FilterConfig {
                query,
                ..FilterConfig::default()
            });
            let inputs = vec![
                Input::Path(tmp.path().into()),
                Input::Path(tmp.path().into()),
            ];
            let report = |l: Location<'_>, why: &str| bad.push(format!("{}: {why}", l.line));
            let s = run(&mut f, inputs, false, report, &mut out).unwrap();
            let out = String::from_utf8(out).unwrap();
            let lines: Vec<&str> = out.lines().collect();
            assert_eq!(lines.len(), 4);
            assert_eq!(lines[0], r#"{"id":"a","text":"zz"}"#);
            assert_eq!(lines[1], long);
            assert_eq!((s.read.lines, s.read.skipped, s.kept), (10, 6, 4));
            assert_eq!(bad[0], "5: expected an object, found an array");
            assert!(bad[1].starts_with("6: invalid JSON"), "{}", bad[1]);
            assert!(bad[2].starts_with("7: truncated last line"), "{}", bad[2]);
            assert_eq!(bad[3], "5: expected an object, found an array");
        }
    }

    #[test]
    fn dedup_text_normalises() {
        let cases = [
            (
                "RT @bob: Lost my LUGGAGE again! https://t.co/x",
                "lost my luggage again",
            ),
            ("lost my luggage again", "lost my luggage again"),
            ("🔥 Great!!", "🔥 great"),
        ];
        for (give, want) in cases {
            assert_eq!(dedup_text(give), want);
        }
    }

    proptest::proptest! {
        /// The block scan with its prefilter keeps exactly the lines the query matches, and
        /// filtering the output again changes nothing.
        #[test]
        fn block_scan_equals_matching_every_line(
            texts in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(vec![
                    "luggage", "Luggage", "bag", "LOST", "café", "cafe\u{301}", "caf\\u00e9", "🔥",
                    "x\\\"y", "\\n", "", " ", "lug", "gage", "ÉTÉ", "été",
                ]), 0..6),
                0..40,
            ),
            query in proptest::sample::select(vec!["luggage", "lost OR cafe", "été", "bag NOT lost", "\"lost luggage\""]),
        ) {
            let mut input = String::new();
            for (i, words) in texts.iter().enumerate() {
                if words.is_empty() {
                    input.push('\n');
                    continue;
                }
                input.push_str(&format!("{{\"id\":\"{i}\",\"text\":\"{}\"}}\n", words.join(" ")));
            }
            let q = Query::parse(query).unwrap();
            let want: Vec<&str> = input
                .lines()
                .filter(|l| !l.is_empty())
                .filter(|l| q.matches(&serde_json::from_str::<MentionView>(l).unwrap()))
                .collect();
            let once = filter_bytes(&q, input.as_bytes());
            proptest::prop_assert_eq!(once.lines().collect::<Vec<_>>(), want);
            proptest::prop_assert_eq!(filter_bytes(&q, once.as_bytes()), once);
        }
    }

    fn filter_bytes(q: &Query, input: &[u8]) -> String {
        let mut tmp = tempfile::NamedTempFile::new().unwrap();
        tmp.write_all(input).unwrap();
        let mut f = Filter::new(FilterConfig {
            query: Some(q.clone()),
            ..FilterConfig::default()
        });
        let mut out = Vec::new();
        let inputs = vec![Input::Path(tmp.path().into())];
        run(&mut f, inputs, true, |_, _| {}, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }
}
