//! twarc2 (X API v2) JSONL: raw response pages (`data` + `includes`, one page per line,
//! exploded into one mention per post) and the flattened form (`twarc2 flatten`).

use std::borrow::Cow;
use std::collections::HashMap;

use super::doc::{Obj, raw_str};
use super::text::{expand_links, push_unique};
use super::{Bad, SocialSink, ids};
use crate::mention::{Author, Kind, Mention, Metrics, format_timestamp};
use crate::sources::InputFormat;
use crate::time;

/// What a page provides to each of its posts.
#[derive(Default)]
struct Page<'a> {
    users: HashMap<Cow<'a, str>, Obj<'a>>,
    tweets: HashMap<Cow<'a, str>, Obj<'a>>,
    rules: Vec<String>,
    retrieved: Option<String>,
}

/// A raw page, read in one pass: posts and included users and posts come out as lazy
/// objects without scanning the page again.
#[derive(serde::Deserialize)]
struct PageDe<'a> {
    #[serde(borrow, default)]
    data: Option<Posts<'a>>,
    #[serde(borrow, default)]
    includes: Option<IncludesDe<'a>>,
    #[serde(borrow, default)]
    matching_rules: Option<Vec<Obj<'a>>>,
    #[serde(borrow, default, rename = "__twarc")]
    twarc: Option<Obj<'a>>,
}

#[derive(serde::Deserialize)]
struct IncludesDe<'a> {
    #[serde(borrow, default)]
    users: Option<Vec<Obj<'a>>>,
    #[serde(borrow, default)]
    tweets: Option<Vec<Obj<'a>>>,
}

/// `data`: an array of posts, or one post (stream lines).
struct Posts<'a>(Vec<Obj<'a>>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Posts<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = Posts<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a post or an array of posts")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Posts<'a>, A::Error> {
                let mut posts = Vec::with_capacity(seq.size_hint().unwrap_or(100));
                while let Some(p) = seq.next_element::<Obj<'a>>()? {
                    posts.push(p);
                }
                Ok(Posts(posts))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Posts<'a>, A::Error> {
                let obj = <Obj as serde::Deserialize>::deserialize(
                    serde::de::value::MapAccessDeserializer::new(map),
                )?;
                Ok(Posts(vec![obj]))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

pub(crate) fn record(json: &str, sink: &mut SocialSink<'_>) -> Result<(), Bad> {
    if let Ok(PageDe {
        data: Some(Posts(posts)),
        includes,
        matching_rules,
        twarc,
    }) = serde_json::from_str::<PageDe>(json)
    {
        let mut page = Page::default();
        for rule in matching_rules.unwrap_or_default() {
            if let Some(tag) = rule
                .str("tag")
                .map(Cow::into_owned)
                .or_else(|| rule.id("id"))
            {
                push_unique(&mut page.rules, tag);
            }
        }
        page.retrieved = twarc
            .and_then(|t| t.str("retrieved_at"))
            .and_then(|d| time::export::normalise(&d));
        if let Some(includes) = includes {
            for (list, map) in [
                (includes.users, &mut page.users),
                (includes.tweets, &mut page.tweets),
            ] {
                for o in list.unwrap_or_default() {
                    if let Some(id) = o.str("id").or_else(|| o.id("id").map(Cow::Owned)) {
                        map.insert(id, o);
                    }
                }
            }
        }
        for post in &posts {
            emit(post, &page, sink)?;
        }
        return Ok(());
    }
    // Not a page with posts: a flattened post, an error line, or something else.
    let obj = Obj::parse(json)?;
    let mut page = Page::default();
    collect_rules(&obj, &mut page.rules);
    page.retrieved = retrieved_at(&obj);
    if obj.has("id") && obj.has("text") {
        return emit(&obj, &page, sink);
    }
    if obj.has("errors") {
        let detail = obj
            .arr("errors")
            .first()
            .and_then(|e| Obj::from_raw(e))
            .map(|e| {
                [e.str("title"), e.str("detail")]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(": ")
            })
            .unwrap_or_default();
        sink.notice(sink.here(), format!("API error message skipped: {detail}"));
        return Ok(());
    }
    if obj.has("data") {
        return Err("`data` is not a post or an array of posts".into());
    }
    Err("no `data` and no `id`/`text`: not a twarc2 page or post".into())
}

fn collect_rules(obj: &Obj, rules: &mut Vec<String>) {
    for raw in obj.arr("matching_rules") {
        if let Some(rule) = Obj::from_raw(raw)
            && let Some(tag) = rule
                .str("tag")
                .map(Cow::into_owned)
                .or_else(|| rule.id("id"))
        {
            push_unique(rules, tag);
        }
    }
}

fn retrieved_at(obj: &Obj) -> Option<String> {
    obj.obj("__twarc")
        .and_then(|t| t.str("retrieved_at"))
        .and_then(|d| time::export::normalise(&d))
}

/// The text of a v2 post: `note_tweet.text` (long posts) or `text`, with its link pairs.
fn text_of<'a>(t: &Obj<'a>, pairs: &mut Vec<(String, String)>) -> Option<Cow<'a, str>> {
    let note = t.obj("note_tweet");
    for entities in [
        t.obj("entities"),
        note.as_ref().and_then(|n| n.obj("entities")),
    ]
    .into_iter()
    .flatten()
    {
        for raw in entities.arr("urls") {
            if let Some(u) = Obj::from_raw(raw)
                && let (Some(short), Some(long)) = (u.str("url"), u.str("expanded_url"))
            {
                pairs.push((short.into_owned(), long.into_owned()));
            }
        }
    }
    note.and_then(|n| n.str("text")).or_else(|| t.str("text"))
}

fn emit(t: &Obj, page: &Page, sink: &mut SocialSink<'_>) -> Result<(), Bad> {
    let id = t.id("id").ok_or("a post without `id`")?;
    let author_id = t.id("author_id");
    let inline_author = t.obj("author");
    let author_obj: Option<&Obj> = inline_author
        .as_ref()
        .or_else(|| author_id.as_ref().and_then(|a| page.users.get(a.as_str())));
    let handle = author_obj
        .as_ref()
        .and_then(|a| a.str("username"))
        .map(Cow::into_owned);

    let mut kind = Kind::Post;
    let mut in_reply_to = None;
    let mut retweeted: Option<Obj> = None;
    let mut links = Vec::new();
    for raw in t.arr("referenced_tweets") {
        let Some(r) = Obj::from_raw(raw) else {
            continue;
        };
        let Some(rid) = r.id("id") else { continue };
        match r.str("type").as_deref() {
            Some("retweeted") => {
                kind = Kind::Repost;
                // Flattened posts carry the referenced post inline; pages in `includes`.
                retweeted = if r.has("text") {
                    Some(r)
                } else {
                    page.tweets.get(rid.as_str()).cloned()
                };
            }
            Some("replied_to") => {
                if kind == Kind::Post {
                    kind = Kind::Reply;
                }
                in_reply_to = Some(ids::x_id(&rid));
            }
            Some("quoted") => {
                if kind == Kind::Post {
                    kind = Kind::Quote;
                }
                let qhandle = r
                    .obj("author")
                    .or_else(|| {
                        page.tweets
                            .get(rid.as_str())
                            .and_then(|q| q.id("author_id"))
                            .and_then(|a| page.users.get(a.as_str()).cloned())
                    })
                    .and_then(|a| a.str("username").map(Cow::into_owned));
                push_unique(&mut links, ids::x_url(qhandle.as_deref(), &rid));
            }
            _ => {}
        }
    }
    if kind == Kind::Repost && in_reply_to.is_some() {
        // A retweet of a reply: the reply belongs to the original.
        in_reply_to = None;
    }

    let mut pairs = Vec::new();
    let own = text_of(t, &mut pairs).ok_or("a post without `text`")?;
    let raw_text = match &retweeted {
        Some(rt) => {
            let rt_handle = rt
                .obj("author")
                .or_else(|| {
                    rt.id("author_id")
                        .and_then(|a| page.users.get(a.as_str()).cloned())
                })
                .and_then(|a| a.str("username").map(Cow::into_owned))
                .or_else(|| {
                    own.strip_prefix("RT @")
                        .and_then(|r| r.split_once(':'))
                        .map(|(h, _)| h.to_owned())
                });
            match (text_of(rt, &mut pairs), rt_handle) {
                (Some(rt_text), Some(h)) => format!("RT @{h}: {rt_text}"),
                _ => own.into_owned(),
            }
        }
        None => own.into_owned(),
    };
    let text = super::text::plain(&expand_links(&raw_text, &pairs));
    let mut all_links = Vec::new();
    for (_, long) in &pairs {
        push_unique(&mut all_links, long.clone());
    }
    for l in links {
        push_unique(&mut all_links, l);
    }

    let mut tags = Vec::new();
    let mut mentions = Vec::new();
    for src in std::iter::once(t).chain(retweeted.as_ref()) {
        if let Some(e) = src.obj("entities") {
            for raw in e.arr("hashtags") {
                if let Some(tag) =
                    Obj::from_raw(raw).and_then(|h| h.str("tag").map(Cow::into_owned))
                {
                    push_unique(&mut tags, tag);
                }
            }
            for raw in e.arr("mentions") {
                if let Some(m) =
                    Obj::from_raw(raw).and_then(|h| h.str("username").map(Cow::into_owned))
                {
                    push_unique(&mut mentions, m);
                }
            }
        }
    }

    let pm = t.obj("public_metrics");
    let count = |k: &str| pm.as_ref().and_then(|p| p.count(k));
    let metrics = Metrics {
        likes: count("like_count"),
        reposts: count("retweet_count"),
        replies: count("reply_count"),
        quotes: count("quote_count"),
        views: count("impression_count"),
        ..Metrics::default()
    };
    let author = Author {
        name: author_obj
            .as_ref()
            .and_then(|a| a.str("name"))
            .map(Cow::into_owned),
        url: handle.as_deref().map(ids::x_profile),
        followers: author_obj
            .as_ref()
            .and_then(|a| a.obj("public_metrics"))
            .and_then(|p| p.count("followers_count")),
        handle: handle.clone(),
    };
    let mut rules = page.rules.clone();
    collect_rules(t, &mut rules);
    let published = t
        .str("created_at")
        .and_then(|d| time::export::normalise(&d))
        .or_else(|| time::export::from_snowflake(&id).map(format_timestamp));
    let mention = Mention {
        url: Some(ids::x_url(handle.as_deref(), &id)),
        id: ids::x_id(&id),
        platform: Some("x".to_owned()),
        kind: Some(kind),
        text: Some(text),
        lang: t.raw("lang").and_then(raw_str).map(Cow::into_owned),
        published,
        collected: Some(
            retrieved_at(t)
                .or_else(|| page.retrieved.clone())
                .unwrap_or_else(|| sink.collected()),
        ),
        author: (!author.is_empty()).then_some(author),
        metrics: (!metrics.is_empty()).then_some(metrics),
        in_reply_to,
        links: all_links,
        tags,
        mentions,
        source: Some(sink.source(InputFormat::Twarc2)),
        matches: rules,
        ..Mention::default()
    };
    sink.emit(mention)?;
    Ok(())
}
