//! twarc (X API v1.1) JSONL, and the v1.1 tweet normaliser that X account archives and
//! Grailbird archives share.

use super::doc::{Obj, raw_str};
use super::text::{expand_links, push_unique};
use super::{Bad, SocialSink, ids};
use crate::mention::{Author, Kind, Mention, Metrics, format_timestamp};
use crate::sources::InputFormat;
use crate::time;

/// Who wrote the tweets of an archive (archives carry no `user` object).
#[derive(Debug, Clone, Default)]
pub(crate) struct Owner {
    pub handle: Option<String>,
    pub name: Option<String>,
}

/// One line of twarc output: a tweet, or a `limit`/`warning`/`delete` notice.
pub(crate) fn record(json: &str, sink: &mut SocialSink<'_>) -> Result<(), Bad> {
    let obj = Obj::parse(json)?;
    for notice in [
        "limit",
        "warning",
        "delete",
        "scrub_geo",
        "status_withheld",
        "user_withheld",
        "disconnect",
    ] {
        if obj.has(notice) && !obj.has("id_str") && !obj.has("id") {
            let detail = obj
                .raw(notice)
                .map(|r| r.get().chars().take(200).collect::<String>())
                .unwrap_or_default();
            sink.notice(sink.here(), format!("`{notice}` message skipped: {detail}"));
            return Ok(());
        }
    }
    let mention = v1_tweet(&obj, InputFormat::Twarc, None, sink)?;
    sink.emit(mention)?;
    Ok(())
}

/// The text of a v1.1 tweet object: `extended_tweet.full_text`, `full_text`, `text`.
fn own_text<'a>(t: &Obj<'a>) -> Option<(std::borrow::Cow<'a, str>, Option<Obj<'a>>)> {
    if let Some(ext) = t.obj("extended_tweet")
        && let Some(text) = ext.str("full_text")
    {
        return Some((text, ext.obj("entities")));
    }
    t.str("full_text")
        .or_else(|| t.str("text"))
        .map(|text| (text, t.obj("entities")))
}

/// `(t.co, expanded)` pairs from `entities.urls` and `entities.media`.
fn link_pairs(entities: Option<&Obj>, pairs: &mut Vec<(String, String)>) {
    let Some(entities) = entities else { return };
    for key in ["urls", "media"] {
        for raw in entities.arr(key) {
            let Some(u) = Obj::from_raw(raw) else {
                continue;
            };
            if let (Some(short), Some(long)) = (u.str("url"), u.str("expanded_url")) {
                pairs.push((short.into_owned(), long.into_owned()));
            }
        }
    }
}

/// Normalises a v1.1-shaped tweet: twarc, account archives (`owner` set, ids and counts as
/// strings) and Grailbird archives.
pub(crate) fn v1_tweet(
    t: &Obj,
    format: InputFormat,
    owner: Option<&Owner>,
    sink: &SocialSink<'_>,
) -> Result<Mention, Bad> {
    let id = t
        .id("id_str")
        .or_else(|| t.id("id"))
        .ok_or("no `id_str` or `id`: not a tweet")?;
    let user = t.obj("user");
    let handle = user
        .as_ref()
        .and_then(|u| u.str("screen_name"))
        .map(|s| s.into_owned())
        .or_else(|| owner.and_then(|o| o.handle.clone()));
    let name = user
        .as_ref()
        .and_then(|u| u.str("name"))
        .map(|s| s.into_owned())
        .or_else(|| owner.and_then(|o| o.name.clone()));
    let retweeted = t.obj("retweeted_status");
    let (own, own_entities) = own_text(t).ok_or("no `full_text` or `text`")?;
    let mut pairs = Vec::new();
    link_pairs(own_entities.as_ref(), &mut pairs);
    let raw_text = match &retweeted {
        Some(rt) => match own_text(rt) {
            Some((rt_text, rt_entities)) => {
                link_pairs(rt_entities.as_ref(), &mut pairs);
                match rt.obj("user").and_then(|u| u.str("screen_name")) {
                    Some(rt_handle) => format!("RT @{rt_handle}: {rt_text}"),
                    None => own.into_owned(),
                }
            }
            None => own.into_owned(),
        },
        None => own.into_owned(),
    };
    // X escapes `&`, `<` and `>` in tweet text; there is no markup to strip.
    let text = super::text::plain(&expand_links(&raw_text, &pairs));

    let mut links = Vec::new();
    for (_, long) in &pairs {
        push_unique(&mut links, long.clone());
    }
    let mut tags = Vec::new();
    let mut mentions = Vec::new();
    let mut entity_sources = vec![own_entities];
    if let Some(rt) = &retweeted {
        entity_sources.push(own_text(rt).and_then(|(_, e)| e));
    }
    for entities in entity_sources.iter().flatten() {
        for raw in entities.arr("hashtags") {
            if let Some(tag) =
                Obj::from_raw(raw).and_then(|h| h.str("text").map(|s| s.into_owned()))
            {
                push_unique(&mut tags, tag);
            }
        }
        for raw in entities.arr("user_mentions") {
            if let Some(m) =
                Obj::from_raw(raw).and_then(|h| h.str("screen_name").map(|s| s.into_owned()))
            {
                push_unique(&mut mentions, m);
            }
        }
    }

    let in_reply_to = t
        .id("in_reply_to_status_id_str")
        .or_else(|| t.id("in_reply_to_status_id"));
    let kind = if retweeted.is_some() || raw_text.starts_with("RT @") {
        Kind::Repost
    } else if in_reply_to.is_some() {
        Kind::Reply
    } else if t.bool("is_quote_status") == Some(true) || t.has("quoted_status_id_str") {
        Kind::Quote
    } else {
        Kind::Post
    };
    if kind == Kind::Quote
        && let Some(link) = t
            .obj("quoted_status_permalink")
            .and_then(|p| p.str("expanded").map(|s| s.into_owned()))
    {
        push_unique(&mut links, link);
    }
    let published = t
        .str("created_at")
        .and_then(|d| time::export::parse(&d))
        .or_else(|| time::export::from_snowflake(&id))
        .map(format_timestamp);
    let metrics = Metrics {
        likes: t.count("favorite_count"),
        reposts: t.count("retweet_count"),
        replies: t.count("reply_count"),
        quotes: t.count("quote_count"),
        ..Metrics::default()
    };
    let author = Author {
        url: handle.as_deref().map(ids::x_profile),
        followers: user.as_ref().and_then(|u| u.count("followers_count")),
        handle: handle.clone(),
        name,
    };
    Ok(Mention {
        id: ids::x_id(&id),
        platform: Some("x".to_owned()),
        kind: Some(kind),
        url: Some(ids::x_url(handle.as_deref(), &id)),
        text: Some(text),
        lang: t.raw("lang").and_then(raw_str).map(|s| s.into_owned()),
        published,
        collected: Some(sink.collected()),
        author: (!author.is_empty()).then_some(author),
        metrics: (!metrics.is_empty()).then_some(metrics),
        in_reply_to: in_reply_to.map(|i| ids::x_id(&i)),
        links,
        tags,
        mentions,
        source: Some(sink.source(format)),
        ..Mention::default()
    })
}
