//! Mastodon account archives: the `.zip`, the unpacked folder, `outbox.json` itself, or
//! ActivityStreams activities one per line. `Create` of a `Note` (or `Question`) is a post
//! or reply; `Announce` (a boost) is a repost whose object is only the boosted URI.

use std::borrow::Cow;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::doc::{Obj, raw_str};
use super::files::Files;
use super::stream::{for_each_element, json_records};
use super::text::push_unique;
use super::{Bad, Opening, SocialError, SocialSink, ids};
use crate::mention::{Author, Kind, Mention};
use crate::sources::InputFormat;
use crate::sources::html;
use crate::time;

/// The archive owner, from `actor.json`.
#[derive(Debug, Clone, Default)]
struct Actor {
    handle: Option<String>,
    name: Option<String>,
    url: Option<String>,
}

pub(crate) fn read(
    name: &str,
    kind: Opening,
    sink: &mut SocialSink<'_>,
) -> Result<(), SocialError> {
    match kind {
        Opening::Dir(path) => read_files(Files::Dir(path), sink),
        Opening::Zip(path) => read_files(Files::zip(&path, &["outbox.json"])?, sink),
        Opening::Stream { path, reader, head } => {
            let actor = path
                .as_deref()
                .and_then(Path::parent)
                .map(|dir| read_actor(&mut Files::Dir(dir.to_path_buf())))
                .unwrap_or_default();
            if is_collection(&head) {
                read_outbox(name, reader, &actor, sink)
            } else {
                let mut handle =
                    |json: &str, sink: &mut SocialSink<'_>| activity(json, &actor, sink);
                json_records(name, reader, sink, &mut handle, None)
            }
        }
    }
}

/// True when the document is a collection (`outbox.json`) rather than activities.
fn is_collection(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(4096)]);
    text.contains("\"orderedItems\"") || text.contains("\"OrderedCollection\"")
}

fn read_files(mut files: Files, sink: &mut SocialSink<'_>) -> Result<(), SocialError> {
    let actor = read_actor(&mut files);
    if !files.has("outbox.json") {
        return Err(SocialError::Unsupported(format!(
            "{}: no outbox.json in this archive",
            files.display("")
        )));
    }
    let display = files.display("outbox.json");
    let reader = BufReader::with_capacity(256 * 1024, files.open("outbox.json")?);
    read_outbox(&display, reader, &actor, sink)
}

fn read_outbox<R: BufRead>(
    name: &str,
    reader: R,
    actor: &Actor,
    sink: &mut SocialSink<'_>,
) -> Result<(), SocialError> {
    let mut handle = |json: &str, sink: &mut SocialSink<'_>| activity(json, actor, sink);
    for_each_element(name, reader, Some("orderedItems"), sink, &mut handle)
}

fn read_actor(files: &mut Files) -> Actor {
    if !files.has("actor.json") {
        return Actor::default();
    }
    let Ok(text) = files.read_string("actor.json") else {
        return Actor::default();
    };
    let Ok(a) = Obj::parse(&text) else {
        return Actor::default();
    };
    let url = a.str("url").map(Cow::into_owned);
    let host = url
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_owned));
    Actor {
        handle: a.str("preferredUsername").map(|u| match &host {
            Some(h) => format!("{u}@{h}"),
            None => u.into_owned(),
        }),
        name: a.str("name").map(Cow::into_owned),
        url,
    }
}

/// The author of an activity: the archive owner, or one derived from the actor URI
/// (`https://social.example/users/kim` gives `kim@social.example`).
fn author_of(actor_uri: Option<&str>, owner: &Actor) -> Author {
    if owner.handle.is_some() {
        return Author {
            name: owner.name.clone(),
            handle: owner.handle.clone(),
            url: owner.url.clone(),
            followers: None,
        };
    }
    let Some(parsed) = actor_uri.and_then(|u| url::Url::parse(u).ok()) else {
        return Author::default();
    };
    let host = parsed.host_str().unwrap_or_default().to_owned();
    let user = ids::last_segment(parsed.path()).map(|u| u.trim_start_matches('@').to_owned());
    Author {
        handle: user.as_ref().map(|u| format!("{u}@{host}")),
        url: user.map(|u| format!("https://{host}/@{u}")),
        ..Author::default()
    }
}

/// The status id in a status or activity URI (`.../statuses/111/activity` gives `111`).
fn status_id(uri: &str) -> String {
    let trimmed = uri.trim_end_matches("/activity");
    ids::last_segment(trimmed).unwrap_or(trimmed).to_owned()
}

fn activity(json: &str, owner: &Actor, sink: &mut SocialSink<'_>) -> Result<(), Bad> {
    let a = Obj::parse(json)?;
    let ty = a.str("type").ok_or("an activity without `type`")?;
    let actor = a.str("actor");
    let mention = match ty.as_ref() {
        "Create" | "Update" => {
            let note = a.obj("object").ok_or("a `Create` without an object")?;
            note_mention(&note, &a, author_of(actor.as_deref(), owner), sink)?
        }
        "Note" | "Question" | "Article" => note_mention(
            &a,
            &a,
            author_of(a.str("attributedTo").as_deref(), owner),
            sink,
        )?,
        "Announce" => {
            let id = a.str("id").ok_or("an `Announce` without `id`")?;
            let target = a
                .str("object")
                .map(Cow::into_owned)
                .or_else(|| {
                    a.obj("object")
                        .and_then(|o| o.str("id").map(Cow::into_owned))
                })
                .ok_or("an `Announce` without an object")?;
            let author = author_of(actor.as_deref(), owner);
            Mention {
                id: format!("mastodon:{}", status_id(&id)),
                platform: Some("mastodon".to_owned()),
                kind: Some(Kind::Repost),
                url: Some(target.clone()),
                published: a.str("published").and_then(|d| time::export::normalise(&d)),
                collected: Some(sink.collected()),
                author: (!author.is_empty()).then_some(author),
                links: vec![target],
                source: Some(sink.source(InputFormat::Mastodon)),
                ..Mention::default()
            }
        }
        other => {
            sink.notice(
                sink.here(),
                format!("`{other}` activity is not a post; skipped"),
            );
            return Ok(());
        }
    };
    sink.emit(mention)?;
    Ok(())
}

fn note_mention(
    note: &Obj,
    activity: &Obj,
    author: Author,
    sink: &SocialSink<'_>,
) -> Result<Mention, Bad> {
    let id = note.str("id").ok_or("a note without `id`")?;
    let content = note
        .str("content")
        .or_else(|| {
            note.obj("contentMap")
                .and_then(|m| m.members().next().and_then(|(_, v)| raw_str(v)))
        })
        .unwrap_or_default();
    let extracted = html::extract(&content);
    let mut tags = Vec::new();
    let mut mentions = Vec::new();
    let mut links = Vec::new();
    let mut tag_links = Vec::new();
    for raw in note.arr("tag") {
        let Some(tag) = Obj::from_raw(raw) else {
            continue;
        };
        let name = tag.str("name").unwrap_or_default();
        match tag.str("type").as_deref() {
            Some("Hashtag") => push_unique(&mut tags, name.trim_start_matches('#')),
            Some("Mention") => push_unique(&mut mentions, name.trim_start_matches('@')),
            _ => {}
        }
        if let Some(href) = tag.str("href") {
            tag_links.push(href.into_owned());
        }
    }
    // Links to hashtag pages and mentioned profiles are markup, not links.
    for l in extracted.links {
        if !tag_links.contains(&l) && !l.contains("/tags/") {
            push_unique(&mut links, l);
        }
    }
    let lang = note
        .obj("contentMap")
        .and_then(|m| m.keys().next().map(str::to_owned));
    let in_reply_to = note.str("inReplyTo").map(Cow::into_owned);
    let published = note
        .str("published")
        .or_else(|| activity.str("published"))
        .and_then(|d| time::export::normalise(&d));
    Ok(Mention {
        id: format!("mastodon:{}", status_id(&id)),
        platform: Some("mastodon".to_owned()),
        kind: Some(if in_reply_to.is_some() {
            Kind::Reply
        } else {
            Kind::Post
        }),
        url: note
            .str("url")
            .map(Cow::into_owned)
            .or_else(|| Some(id.into_owned())),
        title: note
            .str("summary")
            .map(|s| html::to_text(&s))
            .filter(|s| !s.is_empty()),
        text: Some(extracted.text),
        lang,
        published,
        collected: Some(sink.collected()),
        author: (!author.is_empty()).then_some(author),
        in_reply_to,
        links,
        tags,
        mentions,
        source: Some(sink.source(InputFormat::Mastodon)),
        ..Mention::default()
    })
}
