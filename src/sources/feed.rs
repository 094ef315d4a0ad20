//! RSS 0.9x/1.0/2.0, Atom and JSON Feed, parsed with feed-rs and normalised into mentions.

use std::panic::{AssertUnwindSafe, catch_unwind};

use feed_rs::model::{self, FeedType};

use super::Context;
use crate::html;
use crate::mention::{Author, Kind, Mention, SourceInfo, derived_id, format_timestamp};

/// Marks ids that feed-rs would have invented (it uses random UUIDs when an entry has
/// neither id nor link); such entries get a deterministic id from their content instead.
const GENERATED: &str = "\u{0}earful-generated\u{0}";

/// A parsed feed.
#[derive(Debug, Clone)]
pub struct ParsedFeed {
    /// The feed's own title.
    pub title: Option<String>,
    /// `rss`, `atom` or `jsonfeed`.
    pub format: &'static str,
    pub mentions: Vec<Mention>,
}

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("not a feed: {0}")]
    Parse(String),
    #[error("the feed parser crashed on this input")]
    Crashed,
}

/// Parses a feed document and normalises its entries.
pub fn parse(bytes: &[u8], ctx: &Context) -> Result<ParsedFeed, FeedError> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(ctx.uri.as_str()).filter(|u| super::is_url(u)))
        .id_generator(|links, title, _| {
            let link = links.first().map_or("", |l| l.href.as_str());
            let title = title.as_ref().map_or("", |t| t.content.as_str());
            format!("{GENERATED}{link}\u{0}{title}")
        })
        .build();
    // feed-rs can panic on some malformed input: contain it to this one source.
    let feed = catch_unwind(AssertUnwindSafe(|| parser.parse(bytes)))
        .map_err(|_| FeedError::Crashed)?
        .map_err(|e| FeedError::Parse(e.to_string()))?;
    let format = match feed.feed_type {
        FeedType::Atom => "atom",
        FeedType::JSON => "jsonfeed",
        FeedType::RSS0 | FeedType::RSS1 | FeedType::RSS2 => "rss",
    };
    let title = feed.title.as_ref().map(text_of).filter(|t| !t.is_empty());
    let source = SourceInfo {
        kind: format.to_owned(),
        uri: Some(ctx.uri.clone()),
        title: title.clone(),
        group: ctx.group.clone(),
    };
    let mentions = feed
        .entries
        .into_iter()
        .map(|entry| normalise(entry, &source, ctx))
        .collect();
    Ok(ParsedFeed {
        title,
        format,
        mentions,
    })
}

fn normalise(entry: model::Entry, source: &SourceInfo, ctx: &Context) -> Mention {
    let url = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(entry.links.first())
        .map(|l| l.href.clone());
    let body = entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
        .unwrap_or_default();
    let extracted = html::extract(&body);
    let title = entry.title.as_ref().map(text_of).filter(|t| !t.is_empty());
    let published = entry.published.or(entry.updated).and_then(|d| {
        jiff::Timestamp::from_second(d.timestamp())
            .ok()
            .map(format_timestamp)
    });
    let platform = platform_of(url.as_deref().unwrap_or(&ctx.uri));
    let id = if let Some(key) = entry.id.strip_prefix(GENERATED) {
        let key = format!(
            "{key}\u{0}{}\u{0}{}",
            published.as_deref().unwrap_or(""),
            extracted.text
        );
        derived_id(platform, &key)
    } else {
        derived_id(platform, &entry.id)
    };
    let author = entry.authors.first().map(|p| Author {
        name: p
            .name
            .as_deref()
            .map(html::to_text)
            .filter(|n| !n.is_empty()),
        url: p.uri.clone(),
        ..Author::default()
    });
    Mention {
        id,
        platform: Some(platform.to_owned()),
        kind: Some(Kind::Article),
        url,
        title,
        text: Some(extracted.text).filter(|t| !t.is_empty()),
        published,
        collected: Some(format_timestamp(ctx.collected)),
        author: author.filter(|a| !a.is_empty()),
        links: extracted.links,
        tags: entry
            .categories
            .iter()
            .map(|c| c.term.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect(),
        source: Some(source.clone()),
        ..Mention::default()
    }
}

/// Plain text of a feed text construct (titles may be HTML-escaped markup).
fn text_of(text: &model::Text) -> String {
    html::to_text(&text.content)
}

/// The platform a URL belongs to, from its host.
pub fn platform_of(url: &str) -> &'static str {
    let host = url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| h.trim_start_matches("www.").to_owned())
        })
        .unwrap_or_default();
    let is = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
    if is("reddit.com") {
        "reddit"
    } else if is("news.ycombinator.com") || is("hnrss.org") {
        "hackernews"
    } else if is("youtube.com") {
        "youtube"
    } else if is("twitter.com") || is("x.com") {
        "x"
    } else if is("bsky.app") {
        "bluesky"
    } else {
        "web"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>News &amp; Views</title>
<item><title>Caf&amp;eacute; &lt;b&gt;Nimbus&lt;/b&gt;</title><link>https://n.example/a</link>
<guid>https://n.example/a</guid><pubDate>Fri, 01 Mar 2024 10:00:00 +0100</pubDate>
<description>&lt;p&gt;Hello &lt;a href="https://x.example"&gt;world&lt;/a&gt;&lt;/p&gt;</description>
<category>phones</category></item>
<item><description>no id, no link</description></item>
</channel></rss>"#;

    #[test]
    fn rss_items_are_normalised() {
        let feed = parse(RSS.as_bytes(), &Context::new("feed.xml")).unwrap();
        assert_eq!(feed.format, "rss");
        assert_eq!(feed.title.as_deref(), Some("News & Views"));
        let m = &feed.mentions[0];
        assert_eq!(m.title.as_deref(), Some("Café Nimbus"));
        assert_eq!(m.text.as_deref(), Some("Hello world"));
        assert_eq!(m.published.as_deref(), Some("2024-03-01T09:00:00Z"));
        assert_eq!(m.links, vec!["https://x.example"]);
        assert_eq!(m.tags, vec!["phones"]);
        assert_eq!(m.id, derived_id("web", "https://n.example/a"));
    }

    #[test]
    fn ids_without_guid_or_link_are_deterministic() {
        let a = parse(RSS.as_bytes(), &Context::new("feed.xml")).unwrap();
        let b = parse(RSS.as_bytes(), &Context::new("feed.xml")).unwrap();
        assert_eq!(a.mentions[1].id, b.mentions[1].id);
        assert!(a.mentions[1].id.starts_with("web:"));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(parse(b"<html><body>hi</body></html>", &Context::new("x")).is_err());
        assert!(parse(b"\xff\xfe<\x00r\x00", &Context::new("x")).is_err());
    }
}
