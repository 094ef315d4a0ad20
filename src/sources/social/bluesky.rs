//! Bluesky post views (`app.bsky.feed.defs#postView`) as saved from the AppView API:
//! one per line, a JSON array, or whole responses (`{"posts": [...]}` from
//! `searchPosts`, `{"feed": [{"post": ..., "reason": ...}]}` from `getAuthorFeed`).

use std::borrow::Cow;

use super::doc::{Obj, raw_str};
use super::text::push_unique;
use super::{Bad, SocialSink, ids};
use crate::mention::{Author, Kind, Mention, Metrics, format_timestamp};
use crate::sources::InputFormat;
use crate::sources::html;
use crate::time;

pub(crate) fn record(json: &str, sink: &mut SocialSink<'_>) -> Result<(), Bad> {
    let obj = Obj::parse(json)?;
    // A whole API response: explode it.
    for key in ["posts", "feed"] {
        if !obj.has("uri") && obj.has(key) {
            for raw in obj.arr(key) {
                if let Some(item) = Obj::from_raw(raw) {
                    feed_item(&item, sink)?;
                }
            }
            return Ok(());
        }
    }
    feed_item(&obj, sink)
}

/// A post view, or a feed item (`{"post": view, "reason": ...}`).
fn feed_item(obj: &Obj, sink: &mut SocialSink<'_>) -> Result<(), Bad> {
    let (post, reason) = match obj.obj("post") {
        Some(p) => (p, obj.obj("reason")),
        None => (obj.clone(), None),
    };
    let mut mention = post_view(&post, sink)?;
    if let Some(reason) = reason
        && reason
            .str("$type")
            .is_some_and(|t| t.ends_with("reasonRepost"))
    {
        // A repost by someone else: the mention is the repost.
        let by = reason.obj("by");
        let by_did = by.as_ref().and_then(|b| b.str("did")).unwrap_or_default();
        let rkey = post
            .str("uri")
            .as_deref()
            .and_then(ids::at_uri_parts)
            .map(|(_, _, r)| r.to_owned())
            .unwrap_or_default();
        mention.id = format!("bluesky:{by_did}/repost/{rkey}");
        mention.kind = Some(Kind::Repost);
        mention.author = by.as_ref().map(author_of).filter(|a| !a.is_empty());
        mention.published = reason
            .str("indexedAt")
            .and_then(|d| time::export::normalise(&d));
        mention.metrics = None;
        mention.in_reply_to = None;
    }
    sink.emit(mention)?;
    Ok(())
}

fn author_of(a: &Obj) -> Author {
    let handle = a.str("handle").map(Cow::into_owned);
    Author {
        name: a.str("displayName").map(Cow::into_owned),
        url: handle
            .as_deref()
            .map(|h| format!("https://bsky.app/profile/{h}")),
        handle,
        followers: a.count("followersCount"),
    }
}

fn post_view(p: &Obj, sink: &SocialSink<'_>) -> Result<Mention, Bad> {
    let uri = p.str("uri").ok_or("a post without `uri`")?;
    let record = p.obj("record").or_else(|| p.obj("value"));
    let text = record
        .as_ref()
        .and_then(|r| r.str("text"))
        .or_else(|| p.str("text"))
        .unwrap_or_default();
    let author = p.obj("author").map(|a| author_of(&a)).unwrap_or_default();
    let rkey = ids::at_uri_parts(&uri).map(|(_, _, r)| r.to_owned());
    let url = match (&author.handle, &rkey) {
        (Some(h), Some(r)) => Some(format!("https://bsky.app/profile/{h}/post/{r}")),
        _ => None,
    };
    let mut tags = Vec::new();
    let mut links = Vec::new();
    let mut lang = None;
    let mut in_reply_to = None;
    let mut kind = Kind::Post;
    let mut created = None;
    if let Some(r) = &record {
        for raw in r.arr("facets") {
            let Some(facet) = Obj::from_raw(raw) else {
                continue;
            };
            for fraw in facet.arr("features") {
                let Some(f) = Obj::from_raw(fraw) else {
                    continue;
                };
                match f.str("$type").as_deref() {
                    Some("app.bsky.richtext.facet#tag") => {
                        if let Some(t) = f.str("tag") {
                            push_unique(&mut tags, t.into_owned());
                        }
                    }
                    Some("app.bsky.richtext.facet#link") => {
                        if let Some(u) = f.str("uri") {
                            push_unique(&mut links, u.into_owned());
                        }
                    }
                    _ => {}
                }
            }
        }
        for t in r.arr("tags").into_iter().filter_map(raw_str) {
            push_unique(&mut tags, t.into_owned());
        }
        lang = r
            .arr("langs")
            .first()
            .and_then(|l| raw_str(l))
            .map(Cow::into_owned);
        if let Some(parent) = r
            .obj("reply")
            .and_then(|rep| rep.obj("parent"))
            .and_then(|p| p.str("uri"))
        {
            in_reply_to = Some(ids::bluesky_id(&parent));
            kind = Kind::Reply;
        }
        if let Some(embed) = r.obj("embed") {
            let ty = embed.str("$type").unwrap_or_default();
            if kind == Kind::Post && (ty.starts_with("app.bsky.embed.record")) {
                kind = Kind::Quote;
            }
            if let Some(ext) = embed.obj("external").and_then(|e| e.str("uri")) {
                push_unique(&mut links, ext.into_owned());
            }
        }
        created = r.str("createdAt").and_then(|d| time::export::parse(&d));
    }
    let indexed = p.str("indexedAt").and_then(|d| time::export::parse(&d));
    // `createdAt` is set by the client and may be absurd: trust `indexedAt` when the two
    // disagree by more than a day, or when `createdAt` is before Bluesky existed.
    let published = match (created, indexed) {
        (Some(c), Some(i)) => {
            let apart = (i.as_second() - c.as_second()).abs();
            if apart > 86_400 || c.as_second() < 1_640_995_200 {
                i
            } else {
                c
            }
        }
        (c, i) => match c.or(i) {
            Some(t) => t,
            None => return Err("a post without `createdAt` or `indexedAt`".into()),
        },
    };
    let (mentions, text_tags) = super::text::scan(&text);
    for t in text_tags {
        push_unique(&mut tags, t);
    }
    let metrics = Metrics {
        likes: p.count("likeCount"),
        reposts: p.count("repostCount"),
        replies: p.count("replyCount"),
        quotes: p.count("quoteCount"),
        ..Metrics::default()
    };
    Ok(Mention {
        id: ids::bluesky_id(&uri),
        platform: Some("bluesky".to_owned()),
        kind: Some(kind),
        url,
        text: Some(html::collapse_whitespace(&text)),
        lang,
        published: Some(format_timestamp(published)),
        collected: Some(sink.collected()),
        author: (!author.is_empty()).then_some(author),
        metrics: (!metrics.is_empty()).then_some(metrics),
        in_reply_to,
        links,
        tags,
        mentions,
        source: Some(sink.source(InputFormat::Bluesky)),
        ..Mention::default()
    })
}
