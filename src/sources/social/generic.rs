//! Rows of named values, from CSV or from any JSON, mapped onto mention fields by common
//! names or `--map FIELD=COLUMN` (dotted paths into JSON).

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::doc::{Obj, raw_scalar, raw_strs};
use super::fields::{FIELDS, Field, FieldMap};
use super::text::{push_unique, scan};
use super::{Bad, SocialSink, date_of, ids};
use crate::mention::{Author, Kind, Mention, Metrics, derived_id};
use crate::sources::InputFormat;
use crate::sources::html;
use crate::time;

/// A value read for a field: one string, or a list (JSON arrays; CSV cells split on `|`).
#[derive(Debug, Clone)]
pub(crate) enum Cell {
    One(String),
    Many(Vec<String>),
}

impl Cell {
    fn one(self) -> Option<String> {
        match self {
            Cell::One(s) => Some(s),
            Cell::Many(v) => v.into_iter().next(),
        }
    }

    fn many(self) -> Vec<String> {
        match self {
            Cell::Many(v) => v,
            Cell::One(s) => {
                let sep: &[char] = if s.contains('|') {
                    &['|']
                } else {
                    &[',', ' ', ';']
                };
                s.split(sep)
                    .map(|p| p.trim().trim_start_matches(['#', '@']).to_owned())
                    .filter(|p| !p.is_empty())
                    .collect()
            }
        }
    }
}

/// Names of the mention's own fields: a passed-through column with one of these names is
/// prefixed with `csv_` so it cannot overwrite or shadow a schema field.
const SCHEMA_FIELDS: &[&str] = &[
    "id",
    "platform",
    "kind",
    "url",
    "title",
    "text",
    "lang",
    "published",
    "collected",
    "author",
    "metrics",
    "in_reply_to",
    "links",
    "tags",
    "mentions",
    "source",
    "matches",
    "sentiment",
    "labels",
];

/// The name a passed-through column gets.
pub(crate) fn extra_name(column: &str) -> String {
    if SCHEMA_FIELDS.contains(&column) {
        format!("csv_{column}")
    } else {
        column.to_owned()
    }
}

/// Builds a mention from the values of one row or record.
pub(crate) struct Builder<'b> {
    pub format: InputFormat,
    /// The platform when the row does not say (`x` for tweet exports, else `web`).
    pub platform: &'b str,
    pub date_format: Option<&'b str>,
}

impl Builder<'_> {
    /// The mention, and whether a date was present but could not be read.
    pub fn build(
        &self,
        get: &mut dyn FnMut(Field) -> Option<Cell>,
        extra: Map<String, Value>,
        sink: &SocialSink<'_>,
    ) -> Result<(Mention, bool), Bad> {
        let mut one = |f: Field| {
            get(f)
                .and_then(Cell::one)
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
        };
        let platform = one(Field::Platform)
            .unwrap_or_else(|| self.platform.to_owned())
            .to_lowercase();
        let raw_text = one(Field::Text);
        let title = one(Field::Title).map(|t| html::to_text(&t));
        let native = one(Field::Id);
        let url = one(Field::Url);
        let published_raw = one(Field::Published);
        let published = published_raw
            .as_deref()
            .and_then(|d| date_of(d, self.date_format));
        let bad_date = published_raw.is_some() && published.is_none();
        let published = published.or_else(|| {
            (platform == "x")
                .then(|| native.as_deref().and_then(time::export::from_snowflake))
                .flatten()
                .map(crate::mention::format_timestamp)
        });
        if raw_text.is_none() && title.is_none() && native.is_none() {
            return Err("no text, title or id".into());
        }
        let text = raw_text.map(|t| {
            if t.contains("</") || t.contains("<br") || t.contains("<p>") {
                html::to_text(&t)
            } else {
                super::text::plain(&t)
            }
        });
        let mut handle = one(Field::AuthorHandle).map(|h| h.trim_start_matches('@').to_owned());
        let name = one(Field::AuthorName);
        if platform == "x"
            && handle.is_none()
            && name
                .as_deref()
                .is_some_and(|n| !n.contains(char::is_whitespace))
        {
            // Tweet exports often put the screen name in a `name` column.
            handle.clone_from(&name);
        }
        let is_x = platform == "x";
        let author_url = one(Field::AuthorUrl)
            .or_else(|| handle.as_deref().filter(|_| is_x).map(ids::x_profile));
        let author = Author {
            name,
            handle: handle.clone(),
            url: author_url,
            followers: one(Field::AuthorFollowers).and_then(|f| super::doc::parse_count(&f)),
        };
        let id = match &native {
            Some(n) if n.starts_with(&format!("{platform}:")) => n.clone(),
            Some(n) => format!("{platform}:{n}"),
            None => {
                let key = url.clone().unwrap_or_else(|| {
                    format!(
                        "{}\u{0}{}\u{0}{}",
                        handle.as_deref().unwrap_or(""),
                        published.as_deref().unwrap_or(""),
                        text.as_deref().or(title.as_deref()).unwrap_or("")
                    )
                });
                derived_id(&platform, &key)
            }
        };
        let url = url.or_else(|| {
            native
                .as_deref()
                .filter(|n| is_x && n.bytes().all(|b| b.is_ascii_digit()))
                .map(|n| ids::x_url(handle.as_deref(), n))
        });
        let in_reply_to = one(Field::InReplyTo).map(|r| {
            if is_x && r.bytes().all(|b| b.is_ascii_digit()) {
                ids::x_id(&r)
            } else {
                r
            }
        });
        let kind = one(Field::Kind)
            .and_then(|k| {
                Kind::ALL
                    .into_iter()
                    .find(|x| x.as_str().eq_ignore_ascii_case(&k))
            })
            .unwrap_or_else(|| {
                if one(Field::RepostOf).is_some()
                    || is_x && text.as_deref().is_some_and(|t| t.starts_with("RT @"))
                {
                    Kind::Repost
                } else if in_reply_to.is_some() {
                    Kind::Reply
                } else if one(Field::QuoteOf).is_some() {
                    Kind::Quote
                } else {
                    Kind::Post
                }
            });
        let count = |f: Field, one: &mut dyn FnMut(Field) -> Option<String>| {
            one(f).and_then(|v| super::doc::parse_count(&v))
        };
        let metrics = Metrics {
            likes: count(Field::Likes, &mut one),
            reposts: count(Field::Reposts, &mut one),
            replies: count(Field::Replies, &mut one),
            quotes: count(Field::Quotes, &mut one),
            views: count(Field::Views, &mut one),
            score: one(Field::Score).and_then(|s| s.trim().parse::<i64>().ok()),
            comments: count(Field::Comments, &mut one),
        };
        let lang = one(Field::Lang);
        let collected = one(Field::Collected)
            .and_then(|c| date_of(&c, None))
            .unwrap_or_else(|| sink.collected());
        let (scanned_mentions, scanned_tags) = text.as_deref().map(scan).unwrap_or_default();
        let list = |f: Field, get: &mut dyn FnMut(Field) -> Option<Cell>| get(f).map(Cell::many);
        let tags = list(Field::Tags, get).unwrap_or(scanned_tags);
        let mentions = list(Field::Mentions, get).unwrap_or(scanned_mentions);
        let mut links = Vec::new();
        for l in list(Field::Links, get).unwrap_or_default() {
            push_unique(&mut links, l);
        }
        let mention = Mention {
            id,
            platform: Some(platform),
            kind: Some(kind),
            url,
            title,
            text,
            lang,
            published,
            collected: Some(collected),
            author: (!author.is_empty()).then_some(author),
            metrics: (!metrics.is_empty()).then_some(metrics),
            in_reply_to,
            links,
            tags,
            mentions,
            source: Some(sink.source(self.format)),
            extra,
            ..Mention::default()
        };
        Ok((mention, bad_date))
    }
}

/// Maps any JSON record onto a mention (`--format json`).
pub(crate) struct Mapper {
    map: FieldMap,
    date_format: Option<String>,
    bad_dates: u64,
}

impl Mapper {
    pub fn new(map: &FieldMap, date_format: Option<String>) -> Mapper {
        Mapper {
            map: map.clone(),
            date_format,
            bad_dates: 0,
        }
    }

    pub fn record(&mut self, json: &str, sink: &mut SocialSink<'_>) -> Result<(), Bad> {
        let obj = Obj::parse(json)?;
        let mut used: HashSet<String> = HashSet::new();
        let map = &self.map;
        let mut get = |field: Field| -> Option<Cell> {
            let paths: Vec<&str> = match map.get(field) {
                Some(p) => vec![p],
                None => FIELDS
                    .iter()
                    .find(|(f, _, _)| *f == field)
                    .map(|(_, _, a)| a.to_vec())
                    .unwrap_or_default(),
            };
            for path in paths {
                let Some(raw) = obj.path(path) else { continue };
                let cell = if raw.get().starts_with('[') {
                    Some(Cell::Many(raw_strs(raw)))
                } else {
                    raw_scalar(raw).map(Cell::One)
                };
                if let Some(cell) = cell {
                    let top = if obj.raw(path).is_some() {
                        path
                    } else {
                        path.split('.').next().unwrap_or(path)
                    };
                    used.insert(top.to_owned());
                    return Some(cell);
                }
            }
            None
        };
        let builder = Builder {
            format: InputFormat::Json,
            platform: "web",
            date_format: self.date_format.as_deref(),
        };
        let (mut mention, bad_date) = builder.build(&mut get, Map::new(), sink)?;
        for (key, raw) in obj.members() {
            if used.contains(key) {
                continue;
            }
            if let Ok(v) = serde_json::from_str::<Value>(raw.get())
                && !v.is_null()
            {
                mention.extra.insert(extra_name(key), v);
            }
        }
        if bad_date {
            // Reported once per source: the rest would repeat the same message.
            if self.bad_dates == 0 {
                sink.notice(
                    sink.here(),
                    "a date could not be read (left out; give its format with --date-format)"
                        .to_owned(),
                );
            }
            self.bad_dates += 1;
        }
        sink.emit(mention)?;
        Ok(())
    }
}
