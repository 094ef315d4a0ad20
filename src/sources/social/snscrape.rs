//! snscrape JSONL (`--jsonl`), every version: `content` (before 0.5) or `rawContent`,
//! `_type` tags, `_snscrape` version keys, `x.str` copies of big integers. Twitter
//! tweets, Mastodon toots and boosts, Reddit submissions and comments.

use std::borrow::Cow;

use super::doc::{Obj, raw_str, raw_strs};
use super::text::{expand_links, push_unique};
use super::{Bad, SocialSink, ids};
use crate::mention::{Author, Kind, Mention, Metrics, format_timestamp};
use crate::sources::InputFormat;
use crate::sources::html;
use crate::time;

pub(crate) fn record(json: &str, sink: &mut SocialSink<'_>) -> Result<(), Bad> {
    let obj = Obj::parse(json)?;
    let ty = obj
        .str("_type")
        .unwrap_or(Cow::Borrowed("snscrape.modules.twitter.Tweet"));
    let ty = ty
        .strip_prefix("snscrape.modules.")
        .unwrap_or(&ty)
        .to_owned();
    let mention = match ty.as_str() {
        "twitter.Tweet" => tweet(&obj, sink)?,
        "mastodon.Toot" => toot(&obj, sink, None)?,
        "mastodon.Boost" => {
            let inner = obj.obj("toot").ok_or("a boost without `toot`")?;
            let mut m = toot(&inner, sink, obj.obj("user").as_ref())?;
            m.kind = Some(Kind::Repost);
            m
        }
        "reddit.Submission" | "reddit.Comment" => reddit(&obj, &ty, sink)?,
        other => {
            sink.notice(
                sink.here(),
                format!("`{other}` item is not a post; skipped"),
            );
            return Ok(());
        }
    };
    sink.emit(mention)?;
    Ok(())
}

/// An integer field, preferring its exact `<key>.str` copy.
fn big_id(o: &Obj, key: &str) -> Option<String> {
    o.id(&format!("{key}.str")).or_else(|| o.id(key))
}

fn date(o: &Obj, key: &str) -> Option<String> {
    o.str(key).and_then(|d| time::export::normalise(&d))
}

fn tweet_text<'a>(t: &Obj<'a>) -> Option<Cow<'a, str>> {
    t.str("rawContent")
        .or_else(|| t.str("content"))
        .or_else(|| t.str("renderedContent"))
}

/// `(t.co, expanded)` pairs from `links` (0.6+) or `outlinks`/`tcooutlinks` (older).
fn link_pairs(t: &Obj, pairs: &mut Vec<(String, String)>, links: &mut Vec<String>) {
    for raw in t.arr("links") {
        if let Some(l) = Obj::from_raw(raw)
            && let Some(url) = l.str("url")
        {
            if let Some(tco) = l.str("tcourl") {
                pairs.push((tco.into_owned(), url.to_string()));
            }
            push_unique(links, url.into_owned());
        }
    }
    let out = t.raw("outlinks").map(raw_strs).unwrap_or_default();
    let tco = t.raw("tcooutlinks").map(raw_strs).unwrap_or_default();
    for (i, url) in out.iter().enumerate() {
        if let Some(short) = tco.get(i) {
            pairs.push((short.clone(), url.clone()));
        }
        push_unique(links, url.clone());
    }
}

fn user_handle(u: &Obj) -> Option<String> {
    u.str("username").map(Cow::into_owned)
}

fn tweet(t: &Obj, sink: &SocialSink<'_>) -> Result<Mention, Bad> {
    let id = big_id(t, "id").ok_or("a tweet without `id`")?;
    let user = t.obj("user");
    let handle = user
        .as_ref()
        .and_then(user_handle)
        .or_else(|| t.str("username").map(Cow::into_owned));
    let mut pairs = Vec::new();
    let mut links = Vec::new();
    link_pairs(t, &mut pairs, &mut links);
    let own = tweet_text(t).ok_or("a tweet without `rawContent` or `content`")?;
    let retweeted = t.obj("retweetedTweet");
    let raw_text = match &retweeted {
        Some(rt) => {
            link_pairs(rt, &mut pairs, &mut links);
            let rt_handle = rt.obj("user").as_ref().and_then(user_handle);
            match (tweet_text(rt), rt_handle) {
                (Some(text), Some(h)) => format!("RT @{h}: {text}"),
                _ => own.into_owned(),
            }
        }
        None => own.into_owned(),
    };
    let text = super::text::plain(&expand_links(&raw_text, &pairs));
    let quoted = t.obj("quotedTweet");
    if let Some(url) = quoted.as_ref().and_then(|q| q.str("url")) {
        push_unique(&mut links, url.into_owned());
    }
    let in_reply_to = big_id(t, "inReplyToTweetId");
    let kind = if retweeted.is_some() {
        Kind::Repost
    } else if in_reply_to.is_some() {
        Kind::Reply
    } else if quoted.is_some() {
        Kind::Quote
    } else {
        Kind::Post
    };
    let mut mentions = Vec::new();
    for raw in t.arr("mentionedUsers") {
        if let Some(h) = Obj::from_raw(raw).as_ref().and_then(user_handle) {
            push_unique(&mut mentions, h);
        }
    }
    let tags = t.raw("hashtags").map(raw_strs).unwrap_or_default();
    let metrics = Metrics {
        likes: t.count("likeCount"),
        reposts: t.count("retweetCount"),
        replies: t.count("replyCount"),
        quotes: t.count("quoteCount"),
        views: t.count("viewCount"),
        ..Metrics::default()
    };
    let author = Author {
        name: user
            .as_ref()
            .and_then(|u| u.str("displayname"))
            .map(Cow::into_owned),
        url: handle.as_deref().map(ids::x_profile),
        followers: user.as_ref().and_then(|u| u.count("followersCount")),
        handle: handle.clone(),
    };
    Ok(Mention {
        url: Some(ids::x_url(handle.as_deref(), &id)),
        id: ids::x_id(&id),
        platform: Some("x".to_owned()),
        kind: Some(kind),
        text: Some(text),
        lang: t.raw("lang").and_then(raw_str).map(Cow::into_owned),
        published: date(t, "date")
            .or_else(|| time::export::from_snowflake(&id).map(format_timestamp)),
        collected: Some(sink.collected()),
        author: (!author.is_empty()).then_some(author),
        metrics: (!metrics.is_empty()).then_some(metrics),
        in_reply_to: in_reply_to.map(|i| ids::x_id(&i)),
        links,
        tags,
        mentions,
        source: Some(sink.source(InputFormat::Snscrape)),
        ..Mention::default()
    })
}

fn toot(t: &Obj, sink: &SocialSink<'_>, booster: Option<&Obj>) -> Result<Mention, Bad> {
    let id = big_id(t, "id").ok_or("a toot without `id`")?;
    let html_text = t
        .str("content")
        .or_else(|| t.str("text"))
        .unwrap_or_default();
    let extracted = html::extract(&html_text);
    let user = booster.cloned().or_else(|| t.obj("user"));
    let account = user
        .as_ref()
        .and_then(|u| u.str("account"))
        .map(Cow::into_owned);
    let author = Author {
        name: user
            .as_ref()
            .and_then(|u| u.str("displayName"))
            .map(Cow::into_owned),
        url: user
            .as_ref()
            .and_then(|u| u.str("url"))
            .map(Cow::into_owned),
        handle: account,
        followers: user.as_ref().and_then(|u| u.count("followersCount")),
    };
    let (mentions, tags) = super::text::scan(&extracted.text);
    // Links to hashtag pages are markup, not links.
    let mut links: Vec<String> = extracted
        .links
        .into_iter()
        .filter(|l| !l.contains("/tags/"))
        .collect();
    for l in t.raw("links").map(raw_strs).unwrap_or_default() {
        push_unique(&mut links, l);
    }
    Ok(Mention {
        id: format!("mastodon:{id}"),
        platform: Some("mastodon".to_owned()),
        kind: Some(Kind::Post),
        url: t.str("url").map(Cow::into_owned),
        title: t.str("spoilerText").map(Cow::into_owned),
        text: Some(extracted.text),
        published: date(t, "date"),
        collected: Some(sink.collected()),
        author: (!author.is_empty()).then_some(author),
        links,
        tags,
        mentions,
        source: Some(sink.source(InputFormat::Snscrape)),
        ..Mention::default()
    })
}

fn reddit(o: &Obj, ty: &str, sink: &SocialSink<'_>) -> Result<Mention, Bad> {
    let id = o.id("id").ok_or("a Reddit item without `id`")?;
    let comment = ty == "reddit.Comment";
    let prefix = if comment { "t1_" } else { "t3_" };
    let native = if id.starts_with("t1_") || id.starts_with("t3_") {
        id
    } else {
        format!("{prefix}{id}")
    };
    let body = if comment {
        o.str("body")
    } else {
        o.str("selftext")
    };
    let mut links = Vec::new();
    if let Some(link) = o.str("link") {
        push_unique(&mut links, link.into_owned());
    }
    let author = Author {
        url: o
            .str("author")
            .map(|a| format!("https://www.reddit.com/user/{a}")),
        handle: o.str("author").map(Cow::into_owned),
        ..Author::default()
    };
    Ok(Mention {
        id: format!("reddit:{native}"),
        platform: Some("reddit".to_owned()),
        kind: Some(if comment { Kind::Comment } else { Kind::Post }),
        url: o.str("url").map(Cow::into_owned),
        title: o.str("title").map(|t| html::collapse_whitespace(&t)),
        text: body.map(|b| super::text::plain(&b)),
        published: date(o, "created").or_else(|| date(o, "date")),
        collected: Some(sink.collected()),
        author: (!author.is_empty()).then_some(author),
        in_reply_to: o.str("parentId").map(|p| format!("reddit:{p}")),
        links,
        tags: o
            .str("subreddit")
            .map(|s| vec![s.into_owned()])
            .unwrap_or_default(),
        source: Some(sink.source(InputFormat::Snscrape)),
        ..Mention::default()
    })
}
