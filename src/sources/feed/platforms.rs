//! Per-source rules: what Google Alerts, Reddit, Mastodon, Hacker News (and hnrss.org),
//! YouTube and WordPress comment feeds put where, and how earful maps it.
//!
//! [`detect`] picks the rule for an entry, [`prepare`] cleans the entry before the generic
//! conversion (unwrapping links, stripping boilerplate), and [`finish`] sets the fields
//! only that source has (native ids, handles, metrics, kinds).

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::{Entry, FeedMeta, Text};
use crate::mention::{Author, Kind, Mention, native_id};

/// The source-specific rule applied to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Google Alerts Atom feeds.
    GoogleAlerts,
    /// Reddit Atom (and legacy RSS) feeds.
    Reddit,
    /// Mastodon tag and account RSS.
    Mastodon,
    /// news.ycombinator.com and hnrss.org.
    HackerNews,
    /// YouTube channel and playlist feeds.
    YouTube,
    /// WordPress comment feeds.
    WordPressComments,
    /// Any other feed.
    Generic,
}

fn host_of(url: &str) -> Option<String> {
    url::Url::parse(url.trim())
        .ok()?
        .host_str()
        .map(|h| h.trim_start_matches("www.").to_ascii_lowercase())
}

fn host_is(url: Option<&str>, domain: &str) -> bool {
    url.and_then(host_of)
        .is_some_and(|h| h == domain || h.ends_with(&format!(".{domain}")))
}

static MASTODON_STATUS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^https?://([^/]+)/@([^/@]+)(?:@([^/]+))?/(\d+)/?$").expect("valid regex")
});
static REDDIT_COMMENTS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/comments/([0-9a-z]+)(?:/|$)").expect("valid regex"));
static REDDIT_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^t([0-9])_([0-9a-z]+)$").expect("valid regex"));
static HN_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^https?://news\.ycombinator\.com/item\?id=(\d+)").expect("valid regex")
});
static HN_METRIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)<p>\s*(Article URL|Comments URL|Points|# Comments):\s*(.*?)</p>")
        .expect("valid regex")
});
static REDDIT_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"<a href="([^"]+)">\s*\[link\]\s*</a>"#).expect("valid regex"));
static WP_COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:Comment on (.+) by (.+)|By: (.+))$").expect("valid regex"));

/// The rule for `entry` of a feed read from `uri`.
pub fn detect(entry: &Entry, meta: &FeedMeta, uri: &str) -> Rule {
    let link = entry.link.as_deref();
    let id = entry.id.as_deref().unwrap_or("");
    if id.starts_with("tag:google.com,2013:googlealerts")
        || meta
            .id
            .as_deref()
            .is_some_and(|i| i.contains("com.google/alerts"))
        || (host_is(link, "google.com") && link.is_some_and(|l| l.contains("/url?")))
    {
        return Rule::GoogleAlerts;
    }
    if entry.extra("yt:videoid").is_some() || host_is(link, "youtube.com") {
        return Rule::YouTube;
    }
    if REDDIT_ID.is_match(id) || host_is(link, "reddit.com") {
        return Rule::Reddit;
    }
    if host_is(Some(uri), "hnrss.org")
        || host_is(entry.comments.as_deref(), "news.ycombinator.com")
        || host_is(link, "news.ycombinator.com")
    {
        return Rule::HackerNews;
    }
    if entry.title.is_none() && link.is_some_and(|l| MASTODON_STATUS.is_match(l)) {
        return Rule::Mastodon;
    }
    let title = entry.title.as_ref().map(Text::to_plain).unwrap_or_default();
    let comment_feed = meta
        .title
        .as_deref()
        .is_some_and(|t| t.starts_with("Comments on:") || t.starts_with("Comments for"));
    if WP_COMMENT.is_match(&title)
        && (comment_feed || link.is_some_and(|l| l.contains("#comment-")))
    {
        return Rule::WordPressComments;
    }
    Rule::Generic
}

/// The platform name for an entry under `rule` whose link (or feed URL) is `url`.
pub fn platform(rule: Rule, url: &str) -> &'static str {
    match rule {
        Rule::Reddit => "reddit",
        Rule::Mastodon => "mastodon",
        Rule::HackerNews => "hackernews",
        Rule::YouTube => "youtube",
        _ => platform_of(url),
    }
}

/// Cleans `entry` before it is converted: unwraps links, strips boilerplate from content.
pub fn prepare(rule: Rule, entry: &mut Entry, _meta: &FeedMeta) {
    match rule {
        Rule::GoogleAlerts => {
            if let Some(link) = entry.link.as_deref().and_then(unwrap_google) {
                entry.link = Some(link);
            }
        }
        Rule::Reddit => {
            if let Some(Text::Html(h)) = &mut entry.content {
                let (body, external) = strip_reddit_footer(h);
                *h = body;
                if let Some(url) = external {
                    entry.extras.push(("reddit:link", url));
                }
            }
        }
        Rule::HackerNews => {
            if let Some(Text::Html(h)) = &mut entry.content {
                let mut points = None;
                let mut comments = None;
                for cap in HN_METRIC.captures_iter(h) {
                    let value = cap[2].trim().to_owned();
                    match &cap[1] {
                        "Points" | "points" => points = Some(value),
                        "# Comments" | "# comments" => comments = Some(value),
                        _ => {}
                    }
                }
                let stripped = HN_METRIC.replace_all(h, "").into_owned();
                let stripped = stripped.trim().trim_end_matches("<hr>").to_owned();
                *h = stripped;
                entry.extras.extend(points.map(|p| ("hn:points", p)));
                entry.extras.extend(comments.map(|c| ("hn:comments", c)));
            }
        }
        Rule::YouTube => {
            if entry.content.is_none()
                && let Some(d) = entry.extra("media:description")
            {
                entry.content = Some(Text::Plain(d.to_owned()));
            }
        }
        _ => {}
    }
}

/// Sets the fields only this source has.
pub fn finish(rule: Rule, entry: &Entry, meta: &FeedMeta, m: &mut Mention) {
    let mut metrics = m.metrics.take().unwrap_or_default();
    if let Some(n) = entry
        .extra("slash:comments")
        .and_then(|n| n.trim().parse().ok())
    {
        metrics.comments = Some(n);
    }
    match rule {
        Rule::GoogleAlerts => {
            m.author = None;
            if let Some(host) = m.url.as_deref().and_then(host_of) {
                m.extra.insert("site".into(), Value::String(host));
            }
        }
        Rule::Reddit => reddit(entry, m),
        Rule::Mastodon => mastodon(m),
        Rule::HackerNews => {
            m.kind = Some(Kind::Post);
            let item = [
                entry.comments.as_deref(),
                entry.id.as_deref(),
                m.url.as_deref(),
            ]
            .into_iter()
            .flatten()
            .find_map(|u| HN_ITEM.captures(u).map(|c| c[1].to_owned()));
            if let Some(item) = item {
                m.id = native_id("hackernews", &item);
            }
            // The official HN feed's description is only a "Comments" link.
            if m.text.as_deref() == Some("Comments") {
                m.text = None;
                m.links.clear();
            }
            if m.title
                .as_deref()
                .is_some_and(|t| t.starts_with("New comment by "))
            {
                m.kind = Some(Kind::Comment);
            }
            metrics.score = entry.extra("hn:points").and_then(|p| p.parse().ok());
            metrics.comments = entry
                .extra("hn:comments")
                .and_then(|p| p.parse().ok())
                .or(metrics.comments);
            if let Some(author) = &mut m.author {
                author.handle = author.name.clone();
                author.url = author
                    .handle
                    .as_ref()
                    .map(|h| format!("https://news.ycombinator.com/user?id={h}"));
            }
        }
        Rule::YouTube => {
            m.kind = Some(Kind::Post);
            if let Some(id) = entry.extra("yt:videoid") {
                m.id = native_id("youtube", id);
            }
            metrics.views = entry.extra("media:views").and_then(|v| v.parse().ok());
            if let Some(ch) = entry.extra("yt:channelid") {
                m.extra
                    .insert("channel_id".into(), Value::String(ch.to_owned()));
            }
        }
        Rule::WordPressComments => {
            m.kind = Some(Kind::Comment);
            let title = m.title.clone().unwrap_or_default();
            if let Some(cap) = WP_COMMENT.captures(&title) {
                let by = cap
                    .get(2)
                    .or(cap.get(3))
                    .map(|b| b.as_str().trim().to_owned());
                if m.author.is_none() {
                    m.author = by.map(|name| Author {
                        name: Some(name),
                        ..Author::default()
                    });
                }
                if let Some(post) = cap.get(1) {
                    m.extra.insert(
                        "post_title".into(),
                        Value::String(post.as_str().trim().to_owned()),
                    );
                }
            }
            m.in_reply_to = m
                .url
                .as_deref()
                .map(|u| u.split('#').next().unwrap_or(u).to_owned());
        }
        Rule::Generic => {}
    }
    let _ = meta;
    m.metrics = Some(metrics);
}

fn reddit(entry: &Entry, m: &mut Mention) {
    m.kind = Some(Kind::Post);
    if let Some(cap) = entry
        .id
        .as_deref()
        .and_then(|i| REDDIT_ID.captures(i.trim()))
    {
        m.id = native_id("reddit", &format!("t{}_{}", &cap[1], &cap[2]));
        if &cap[1] == "1" {
            m.kind = Some(Kind::Comment);
        }
    } else if let Some(cap) = m.url.as_deref().and_then(|u| REDDIT_COMMENTS.captures(u)) {
        // Old RSS feeds have no t3_ id; the post id is in the permalink.
        m.id = native_id("reddit", &format!("t3_{}", &cap[1]));
    }
    if let Some(author) = &mut m.author
        && let Some(name) = author.name.take()
    {
        let handle = name
            .trim()
            .trim_start_matches("/u/")
            .trim_start_matches("u/")
            .to_owned();
        author.name = Some(handle.clone());
        author.handle = Some(handle);
    }
    // The subreddit is a category (`term="sub" label="r/sub"`): kept in `tags` (as in
    // docs/schema.md) and in its own `subreddit` field for grouping.
    let sub = entry
        .categories
        .iter()
        .find(|(_, label)| label.as_deref().is_some_and(|l| l.starts_with("r/")))
        .map(|(term, _)| term.clone())
        .or_else(|| {
            m.url.as_deref().and_then(|u| {
                let path = url::Url::parse(u).ok()?.path().to_owned();
                let rest = path.strip_prefix("/r/")?;
                Some(rest.split('/').next()?.to_owned())
            })
        });
    if let Some(sub) = sub {
        if !m.tags.contains(&sub) {
            m.tags.push(sub.clone());
        }
        m.extra.insert("subreddit".into(), Value::String(sub));
    }
    if let Some(external) = entry.extra("reddit:link")
        && !host_is(Some(external), "reddit.com")
        && !m.links.iter().any(|l| l == external)
    {
        m.links.insert(0, external.to_owned());
    }
}

fn mastodon(m: &mut Mention) {
    m.kind = Some(Kind::Post);
    let Some(url) = m.url.clone() else { return };
    let Some(cap) = MASTODON_STATUS.captures(&url) else {
        return;
    };
    let (host, user) = (&cap[1], &cap[2]);
    // `mastodon:<status id>`, as in docs/schema.md and the Mastodon archive reader.
    m.id = native_id("mastodon", &cap[4]);
    // `/@lee@other.example/...` on a server that is not lee's own: the home is other.example.
    let home = cap.get(3).map_or(host, |h| h.as_str());
    let author = m.author.get_or_insert_with(Author::default);
    author.handle = Some(format!("{user}@{home}"));
    author.url = Some(match cap.get(3) {
        Some(h) => format!("https://{host}/@{user}@{}", h.as_str()),
        None => format!("https://{host}/@{user}"),
    });
    // Hashtag links in the text duplicate the tags.
    m.links.retain(|l| !l.contains("/tags/"));
}

/// The target of a `google.com/url?...&url=<target>` (or `q=`) redirect link.
pub fn unwrap_google(link: &str) -> Option<String> {
    let url = url::Url::parse(link).ok()?;
    if !host_is(Some(link), "google.com") && !url.host_str()?.contains(".google.") {
        return None;
    }
    if url.path() != "/url" {
        return None;
    }
    let target = url
        .query_pairs()
        .find(|(k, _)| k == "url")
        .or_else(|| url.query_pairs().find(|(k, _)| k == "q"))?
        .1
        .into_owned();
    (target.starts_with("http://") || target.starts_with("https://")).then_some(target)
}

/// Splits Reddit's "submitted by /u/x [link] [comments]" footer off the body; returns the
/// body and the `[link]` target.
fn strip_reddit_footer(html: &str) -> (String, Option<String>) {
    let external = REDDIT_LINK
        .captures(html)
        .map(|c| crate::sources::html::decode_entities(&c[1]));
    let body = match html.rfind("submitted by") {
        Some(at) => html[..at].trim_end().trim_end_matches("&#32;").to_owned(),
        None => html.to_owned(),
    };
    let body = body
        .replace("<!-- SC_OFF -->", "")
        .replace("<!-- SC_ON -->", "");
    // Link posts keep a thumbnail table before the footer; its text is empty anyway.
    (body, external)
}

/// The platform a URL belongs to, from its host.
pub fn platform_of(url: &str) -> &'static str {
    let host = host_of(url).unwrap_or_default();
    let is = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
    if is("reddit.com") {
        "reddit"
    } else if is("news.ycombinator.com") || is("hnrss.org") {
        "hackernews"
    } else if is("youtube.com") || is("youtu.be") {
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

    #[test]
    fn google_links_unwrap() {
        assert_eq!(
            unwrap_google(
                "https://www.google.com/url?rct=j&sa=t&url=https://news.example.com/a%3Fb%3D1&ct=ga"
            )
            .as_deref(),
            Some("https://news.example.com/a?b=1")
        );
        assert_eq!(unwrap_google("https://news.example.com/"), None);
    }

    #[test]
    fn reddit_footer_is_stripped() {
        let h = r#"<!-- SC_OFF --><div class="md"><p>Logs me out.</p></div><!-- SC_ON --> &#32; submitted by &#32; <a href="https://www.reddit.com/user/x"> /u/x </a> <br/> <span><a href="https://ext.example/a">[link]</a></span> &#32; <span><a href="https://www.reddit.com/r/a/comments/1/">[comments]</a></span>"#;
        let (body, link) = strip_reddit_footer(h);
        assert_eq!(crate::sources::html::to_text(&body), "Logs me out.");
        assert_eq!(link.as_deref(), Some("https://ext.example/a"));
    }
}
