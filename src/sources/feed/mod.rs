//! Web feeds: RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.0/1.1, read liberally and
//! normalised into mentions.
//!
//! The pipeline for one document is: [`encoding::decode`] to UTF-8, [`detect`] the format
//! from the content (or take `--format`), read it with the forgiving [`xml`] reader or
//! serde_json into [`Entry`] values, apply per-source rules ([`platforms`]), and build
//! [`Mention`]s. No input makes it panic; a document that is not a feed (an HTML page,
//! an empty body) is an error naming what it was.

pub mod encoding;
pub mod platforms;
pub mod xml;

use std::panic::{AssertUnwindSafe, catch_unwind};

use base64::Engine as _;
use serde_json::Value;

use super::{Context, InputFormat};
use crate::mention::{Author, Kind, Mention, Metrics, SourceInfo, derived_id, format_timestamp};
use crate::sources::html;
use crate::time;
use xml::Element;

/// A parsed feed.
#[derive(Debug, Clone)]
pub struct ParsedFeed {
    /// The feed's own title.
    pub title: Option<String>,
    /// RSS, Atom or JSON Feed.
    pub format: InputFormat,
    /// The encoding the document was read in.
    pub encoding: &'static str,
    /// The entries, normalised.
    pub mentions: Vec<Mention>,
}

/// Why a document could not be read as a feed.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// The document is something else (an HTML page, an empty body, other XML).
    #[error("not a feed: {0}")]
    NotAFeed(String),
    /// A JSON document that is not a JSON Feed.
    #[error("not a JSON Feed: {0}")]
    Json(String),
    /// A bug: the parser panicked (it is contained to this one source).
    #[error("the feed parser crashed on this input")]
    Crashed,
    /// The caller of [`parse_each`] could not take a mention (its output failed).
    #[error("writing output: {0}")]
    Write(#[source] std::io::Error),
}

/// What [`parse_each`] tells of a feed besides its mentions.
#[derive(Debug, Clone)]
pub struct FeedInfo {
    /// The feed's own title.
    pub title: Option<String>,
    /// RSS, Atom or JSON Feed.
    pub format: InputFormat,
    /// The encoding the document was read in.
    pub encoding: &'static str,
}

/// Text read from a feed element: plain text, or HTML to be converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// Plain text (whitespace is collapsed, nothing else).
    Plain(String),
    /// HTML (tags stripped, entities decoded).
    Html(String),
}

impl Text {
    fn to_plain(&self) -> String {
        match self {
            Text::Plain(s) => html::collapse_whitespace(s),
            Text::Html(s) => html::to_text(s),
        }
    }
}

/// A person named by a feed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    /// Display name.
    pub name: Option<String>,
    /// Profile URL.
    pub uri: Option<String>,
    /// Email address.
    pub email: Option<String>,
}

/// One feed entry, format-independent, before it becomes a [`Mention`].
#[derive(Debug, Clone, Default)]
pub struct Entry {
    /// RSS `guid`, Atom `id`, RDF `rdf:about`, JSON Feed `id`.
    pub id: Option<String>,
    /// Resolved against `xml:base` or the feed URL; never rewritten otherwise.
    pub link: Option<String>,
    /// Title as written (text or HTML).
    pub title: Option<Text>,
    /// Body: full content when there is one, else the summary.
    pub content: Option<Text>,
    /// Publication date.
    pub published: Option<jiff::Timestamp>,
    /// Last update.
    pub updated: Option<jiff::Timestamp>,
    /// Authors, the entry's or else the feed's.
    pub authors: Vec<Person>,
    /// Category terms, with Atom labels kept apart.
    pub categories: Vec<(String, Option<String>)>,
    /// RSS `<comments>`: the discussion page.
    pub comments: Option<String>,
    /// Base URL for relative links inside the content.
    pub base: Option<String>,
    /// Namespaced extras platforms use: `yt:videoid`, `yt:channelid`, `media:views`,
    /// `media:description`, `slash:comments`.
    pub extras: Vec<(&'static str, String)>,
}

impl Entry {
    /// The value of extra `key`.
    pub fn extra(&self, key: &str) -> Option<&str> {
        self.extras
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Feed-level facts that per-source rules look at.
#[derive(Debug, Clone, Default)]
pub struct FeedMeta {
    /// The feed's title, as plain text.
    pub title: Option<String>,
    /// Atom feed `id`, RSS channel `link`.
    pub id: Option<String>,
    /// The feed's home page.
    pub link: Option<String>,
    /// `<generator>`.
    pub generator: Option<String>,
}

/// Parses a feed document and normalises its entries. `ctx` gives the source URI (for
/// relative links), the HTTP `Content-Type` (for its charset) and an optional format
/// that overrides detection.
pub fn parse(bytes: &[u8], ctx: &Context) -> Result<ParsedFeed, FeedError> {
    let mut mentions = Vec::new();
    let info = parse_each(bytes, ctx, &mut |m| {
        mentions.push(m);
        Ok(())
    })?;
    Ok(ParsedFeed {
        title: info.title,
        format: info.format,
        encoding: info.encoding,
        mentions,
    })
}

/// Parses a feed document as [`parse`] does, handing each mention to `emit` as soon as its
/// entry is read: the entries are never all held at once, so a feed costs its bytes, the
/// element tree and the mentions the caller keeps (issue 14, item 7). An error of `emit`
/// stops the parse ([`FeedError::Write`]).
pub fn parse_each(
    bytes: &[u8],
    ctx: &Context,
    emit: &mut dyn FnMut(Mention) -> std::io::Result<()>,
) -> Result<FeedInfo, FeedError> {
    // The parser has no known panics; this keeps a bug from ending the whole run.
    catch_unwind(AssertUnwindSafe(|| parse_inner(bytes, ctx, emit)))
        .map_err(|_| FeedError::Crashed)?
}

fn parse_inner(
    bytes: &[u8],
    ctx: &Context,
    emit: &mut dyn FnMut(Mention) -> std::io::Result<()>,
) -> Result<FeedInfo, FeedError> {
    let charset = ctx.content_type.as_deref().and_then(encoding::charset_of);
    let decoded = encoding::decode(bytes, charset.as_deref());
    let text = decoded.text.trim_start_matches('\u{feff}');
    let start = text.trim_start();
    if start.is_empty() {
        return Err(FeedError::NotAFeed("the document is empty".into()));
    }
    let json = start.starts_with('{') || start.starts_with('[');
    if json || ctx.format == Some(InputFormat::JsonFeed) {
        let (meta, entries) = json_feed(text)?;
        let info = (InputFormat::JsonFeed, decoded.encoding);
        return finish(meta, entries.into_iter(), info, ctx, emit);
    }
    let base = ctx.base();
    let tree = xml::parse(text, base);
    let Some(root) = tree.children.iter().find(|c| !c.name.is_empty()) else {
        return Err(FeedError::NotAFeed("no XML element found".into()));
    };
    let detected = detect_root(root);
    let format = match (ctx.format, detected) {
        (Some(f), _) if f.is_feed() => f,
        (_, Ok(f)) => f,
        (_, Err(e)) => return Err(e),
    };
    let stripped;
    let (meta, entries) = match format {
        InputFormat::Atom => {
            let root = if root.name.starts_with("atom:") {
                stripped = strip_atom_prefix(root.clone());
                &stripped
            } else {
                root
            };
            atom(root, text)
        }
        _ => rss(root, text),
    };
    finish(meta, entries, (format, decoded.encoding), ctx, emit)
}

/// The feed format of a document, from its content: the root element of XML, or a
/// JSON object with `version` or `items`. `None` when it is not a feed.
pub fn detect(bytes: &[u8]) -> Option<InputFormat> {
    let decoded = encoding::decode(bytes, None);
    let text = decoded.text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with('{') {
        let v: Value = serde_json::from_str(text).ok()?;
        let is_feed = v
            .get("version")
            .and_then(Value::as_str)
            .is_some_and(|s| s.contains("jsonfeed"))
            || v.get("items").is_some_and(Value::is_array);
        return is_feed.then_some(InputFormat::JsonFeed);
    }
    let tree = xml::parse(text, None);
    let root = tree.children.iter().find(|c| !c.name.is_empty())?;
    detect_root(root).ok()
}

fn detect_root(root: &Element) -> Result<InputFormat, FeedError> {
    match root.name.as_str() {
        "rss" | "rdf:rdf" | "rdf" | "channel" | "scriptingnews" => Ok(InputFormat::Rss),
        "feed" | "atom:feed" => Ok(InputFormat::Atom),
        "html" | "xhtml:html" | "head" | "body" => Err(FeedError::NotAFeed(match discover(root) {
            Some(href) => format!(
                "an HTML page (it names a feed: {})",
                crate::progress::sanitize(&href)
            ),
            None => "an HTML page".into(),
        })),
        "opml" => Err(FeedError::NotAFeed(
            "an OPML subscription list (use --opml)".into(),
        )),
        other => Err(FeedError::NotAFeed(format!(
            "XML with root element <{}>",
            crate::progress::sanitize(other)
        ))),
    }
}

/// The first feed an HTML page advertises (`<link rel="alternate" type="application/rss+xml"
/// href="...">`), resolved against the page's base.
fn discover(page: &Element) -> Option<String> {
    let mut links = Vec::new();
    page.descendants("link", &mut links);
    links.into_iter().find_map(|l| {
        let rel = l.attr("rel")?.to_ascii_lowercase();
        let ty = l.attr("type")?.to_ascii_lowercase();
        let feedish = ty.contains("rss") || ty.contains("atom") || ty.contains("feed+json");
        (rel.split_whitespace().any(|r| r == "alternate") && feedish)
            .then(|| xml::resolve(l.base.as_deref(), l.attr("href")?).into())
            .flatten()
    })
}

fn strip_atom_prefix(mut e: Element) -> Element {
    if let Some(local) = e.name.strip_prefix("atom:") {
        e.name = local.to_owned();
    }
    e.children = e.children.into_iter().map(strip_atom_prefix).collect();
    e
}

// ---------------------------------------------------------------------------------------
// RSS 0.9x, 1.0 (RDF) and 2.0

/// The entries of a document, read one at a time from its element tree.
type Entries<'a> = Box<dyn Iterator<Item = Entry> + 'a>;

fn rss<'a>(root: &'a Element, doc: &'a str) -> (FeedMeta, Entries<'a>) {
    let channel = root.find("channel").unwrap_or(root);
    let meta = FeedMeta {
        title: channel
            .child("title")
            .or_else(|| channel.child("dc:title"))
            .map(|t| html::to_text(&element_html(t, doc)))
            .filter(|t| !t.is_empty()),
        id: None,
        link: channel
            .child("link")
            .and_then(Element::text_trimmed)
            .map(str::to_owned),
        generator: channel
            .child("generator")
            .and_then(Element::text_trimmed)
            .map(str::to_owned),
    };
    let mut items = Vec::new();
    root.descendants("item", &mut items);
    if items.is_empty() {
        root.descendants("entry", &mut items);
    }
    let entries = items.into_iter().map(move |item| rss_item(item, doc));
    (meta, Box::new(entries))
}

fn rss_item(item: &Element, doc: &str) -> Entry {
    let base = item.base.as_deref();
    let mut entry = Entry {
        base: item.base.clone(),
        ..Entry::default()
    };
    entry.title = item
        .child("title")
        .or_else(|| item.child("dc:title"))
        .or_else(|| item.child("media:title"))
        .map(|t| Text::Html(element_html(t, doc)));
    let guid = item.child("guid");
    entry.id = guid
        .and_then(Element::text_trimmed)
        .map(str::to_owned)
        .or_else(|| item.attr("rdf:about").map(|s| s.trim().to_owned()))
        .filter(|s| !s.is_empty());
    entry.link = item
        .children_named("link")
        .find_map(|l| l.text_trimmed().or_else(|| l.attr("href")))
        .or_else(|| {
            item.children_named("atom:link")
                .find(|l| l.attr("rel").is_none_or(|r| r == "alternate"))
                .and_then(|l| l.attr("href"))
        })
        .map(|l| xml::resolve(base, l));
    if entry.link.is_none() {
        // A permalink guid is the link when there is no <link> (isPermaLink defaults to true).
        if let Some(g) = guid.filter(|g| {
            g.attr("ispermalink")
                .is_none_or(|p| !p.eq_ignore_ascii_case("false"))
        }) {
            let text = g.text.trim();
            if text.starts_with("http://") || text.starts_with("https://") {
                entry.link = Some(text.to_owned());
            }
        }
    }
    entry.content = [
        "content:encoded",
        "xhtml:body",
        "body",
        "description",
        "atom:content",
        "atom:summary",
        "dc:description",
    ]
    .iter()
    .filter_map(|name| item.child(name))
    .map(|e| element_html(e, doc))
    .find(|s| !s.trim().is_empty())
    .map(Text::Html);
    let dates = [
        "pubdate",
        "dc:date",
        "dcterms:issued",
        "dcterms:created",
        "atom:published",
        "issued",
        "published",
    ];
    entry.published = dates
        .iter()
        .filter_map(|n| item.child(n))
        .find_map(|e| time::feed::parse(&e.text));
    entry.updated = [
        "dcterms:modified",
        "atom:updated",
        "updated",
        "lastbuilddate",
    ]
    .iter()
    .filter_map(|n| item.child(n))
    .find_map(|e| time::feed::parse(&e.text));
    for creator in item.children_named("dc:creator") {
        if let Some(name) = creator.text_trimmed() {
            entry.authors.push(Person {
                name: Some(name.to_owned()),
                ..Person::default()
            });
        }
    }
    if entry.authors.is_empty() {
        if let Some(a) = item.child("author").or_else(|| item.child("itunes:author")) {
            entry.authors.push(rss_author(a));
        } else if let Some(a) = item.child("atom:author") {
            entry.authors.push(atom_person(a));
        }
    }
    for c in item
        .children_named("category")
        .chain(item.children_named("dc:subject"))
    {
        if let Some(t) = c.text_trimmed().or_else(|| c.attr("term")) {
            entry.categories.push((t.to_owned(), None));
        }
    }
    entry.comments = item
        .child("comments")
        .and_then(Element::text_trimmed)
        .map(|c| xml::resolve(base, c));
    if let Some(n) = item.child("slash:comments").and_then(Element::text_trimmed) {
        entry.extras.push(("slash:comments", n.to_owned()));
    }
    media_extras(item, &mut entry);
    entry
}

/// RSS `<author>`: `email (Name)`, `Name <email>`, or a name.
fn rss_author(a: &Element) -> Person {
    if !a.children.is_empty() {
        return atom_person(a);
    }
    let raw = html::decode_entities(a.text.trim());
    if let (Some(open), Some(close)) = (raw.find('('), raw.rfind(')'))
        && open < close
    {
        let email = raw[..open].trim();
        return Person {
            name: Some(raw[open + 1..close].trim().to_owned()).filter(|s| !s.is_empty()),
            email: Some(email.to_owned()).filter(|e| e.contains('@')),
            uri: None,
        };
    }
    if raw.contains('@') && !raw.contains(' ') {
        return Person {
            email: Some(raw),
            ..Person::default()
        };
    }
    Person {
        name: Some(raw).filter(|s| !s.is_empty()),
        ..Person::default()
    }
}

// ---------------------------------------------------------------------------------------
// Atom 0.3 and 1.0

fn atom<'a>(root: &'a Element, doc: &'a str) -> (FeedMeta, Entries<'a>) {
    let meta = FeedMeta {
        title: root
            .child("title")
            .map(|t| text_construct(t, doc).to_plain())
            .filter(|t| !t.is_empty()),
        id: root
            .child("id")
            .and_then(Element::text_trimmed)
            .map(str::to_owned),
        link: atom_link(root),
        generator: root
            .child("generator")
            .and_then(Element::text_trimmed)
            .map(str::to_owned),
    };
    let feed_author = root.child("author").map(atom_person);
    let mut found = Vec::new();
    root.descendants("entry", &mut found);
    if found.is_empty() {
        root.descendants("item", &mut found);
    }
    let entries = found.into_iter().map(move |e| {
        let mut entry = atom_entry(e, doc);
        if entry.authors.is_empty() {
            entry.authors.extend(feed_author.clone());
        }
        entry
    });
    (meta, Box::new(entries))
}

fn atom_entry(e: &Element, doc: &str) -> Entry {
    let mut entry = Entry {
        base: e.base.clone(),
        ..Entry::default()
    };
    entry.id = e
        .child("id")
        .and_then(Element::text_trimmed)
        .map(str::to_owned);
    entry.title = e.child("title").map(|t| text_construct(t, doc));
    entry.link = atom_link(e).or_else(|| {
        // As for an RSS permalink guid: an http(s) id is the link when there is none.
        entry
            .id
            .as_deref()
            .filter(|id| id.starts_with("http://") || id.starts_with("https://"))
            .map(str::to_owned)
    });
    entry.content = ["content", "summary"]
        .iter()
        .filter_map(|n| e.child(n))
        .map(|c| text_construct(c, doc))
        .find(|t| match t {
            Text::Plain(s) | Text::Html(s) => !s.trim().is_empty(),
        });
    entry.published = ["published", "issued", "created", "dc:date"]
        .iter()
        .filter_map(|n| e.child(n))
        .find_map(|d| time::feed::parse(&d.text));
    entry.updated = ["updated", "modified"]
        .iter()
        .filter_map(|n| e.child(n))
        .find_map(|d| time::feed::parse(&d.text));
    entry.authors = e.children_named("author").map(atom_person).collect();
    if entry.authors.is_empty() {
        entry
            .authors
            .extend(e.children_named("dc:creator").filter_map(|c| {
                c.text_trimmed().map(|n| Person {
                    name: Some(n.to_owned()),
                    ..Person::default()
                })
            }));
    }
    for c in e.children_named("category") {
        if let Some(term) = c.attr("term").map(str::trim).filter(|t| !t.is_empty()) {
            entry
                .categories
                .push((term.to_owned(), c.attr("label").map(str::to_owned)));
        } else if let Some(t) = c.text_trimmed() {
            entry.categories.push((t.to_owned(), None));
        }
    }
    if let Some(id) = e.child("yt:videoid").and_then(Element::text_trimmed) {
        entry.extras.push(("yt:videoid", id.to_owned()));
    }
    if let Some(id) = e.child("yt:channelid").and_then(Element::text_trimmed) {
        entry.extras.push(("yt:channelid", id.to_owned()));
    }
    media_extras(e, &mut entry);
    entry
}

/// The alternate link of an Atom feed or entry (the first link without `rel` or with
/// `rel="alternate"`, preferring HTML), resolved against its `xml:base`.
fn atom_link(e: &Element) -> Option<String> {
    let links: Vec<&Element> = e.children_named("link").collect();
    let alternate = |l: &Element| {
        l.attr("rel")
            .is_none_or(|r| r.eq_ignore_ascii_case("alternate"))
    };
    let pick = links
        .iter()
        .copied()
        .filter(|l| alternate(l))
        .find(|l| l.attr("type").is_none_or(|t| t.contains("html")))
        .or_else(|| links.iter().copied().find(|l| alternate(l)))?;
    let href = pick.attr("href").or_else(|| pick.text_trimmed())?;
    Some(xml::resolve(pick.base.as_deref(), href))
}

fn atom_person(a: &Element) -> Person {
    let field = |n: &str| {
        a.child(n)
            .and_then(Element::text_trimmed)
            .map(|s| s.to_owned())
    };
    Person {
        name: field("name").or_else(|| {
            // Atom 0.3 and broken feeds: `<author>Name</author>`.
            a.children
                .is_empty()
                .then(|| a.text.trim().to_owned())
                .filter(|s| !s.is_empty())
        }),
        uri: field("uri")
            .or_else(|| field("url"))
            .map(|u| xml::resolve(a.base.as_deref(), &u)),
        email: field("email"),
    }
}

/// An Atom text construct (1.0 `type` text/html/xhtml or a MIME type; 0.3 `mode`
/// xml/escaped/base64).
fn text_construct(e: &Element, doc: &str) -> Text {
    let ty = e
        .attr("type")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("text")
        .to_ascii_lowercase();
    let mode = e.attr("mode").map(str::to_ascii_lowercase);
    let base64_body = mode.as_deref() == Some("base64")
        || !(ty.starts_with("text") || ty == "html" || ty == "xhtml" || ty.contains("xml"));
    if base64_body {
        let cleaned: String = e.text.chars().filter(|c| !c.is_whitespace()).collect();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(cleaned.as_bytes())
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        return match decoded {
            Some(s) if ty.contains("html") => Text::Html(s),
            // Text in any other type (binary content is not UTF-8 and reads as nothing).
            Some(s) => Text::Plain(s),
            None => Text::Plain(String::new()),
        };
    }
    if ty == "xhtml"
        || ty.contains("xhtml")
        || mode.as_deref() == Some("xml")
        || !e.children.is_empty()
    {
        return Text::Html(element_html(e, doc));
    }
    if ty == "html" || ty == "text/html" || mode.as_deref() == Some("escaped") {
        Text::Html(e.text.clone())
    } else {
        Text::Plain(e.text.clone())
    }
}

/// The content of an element as HTML: its inner source when it holds markup (embedded
/// HTML or XHTML), else its text (escaped HTML, now unescaped, or CDATA).
fn element_html(e: &Element, doc: &str) -> String {
    if e.children.is_empty() {
        e.text.clone()
    } else {
        strip_cdata_markers(e.inner_source(doc))
    }
}

fn strip_cdata_markers(s: &str) -> String {
    s.replace("<![CDATA[", "").replace("]]>", "")
}

/// Media RSS and YouTube extras: description, views, rating count.
fn media_extras(e: &Element, entry: &mut Entry) {
    let group = e.child("media:group");
    let scopes = [Some(e), group];
    for scope in scopes.into_iter().flatten() {
        if entry.extra("media:description").is_none()
            && let Some(d) = scope
                .child("media:description")
                .and_then(Element::text_trimmed)
        {
            entry.extras.push(("media:description", d.to_owned()));
        }
        if let Some(community) = scope.child("media:community") {
            if let Some(v) = community
                .child("media:statistics")
                .and_then(|s| s.attr("views"))
            {
                entry.extras.push(("media:views", v.to_owned()));
            }
            if let Some(c) = community
                .child("media:starrating")
                .and_then(|s| s.attr("count"))
            {
                entry.extras.push(("media:ratings", c.to_owned()));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// JSON Feed 1.0 and 1.1

fn json_feed(text: &str) -> Result<(FeedMeta, Vec<Entry>), FeedError> {
    let v: Value = serde_json::from_str(text.trim()).map_err(|e| FeedError::Json(e.to_string()))?;
    let Some(obj) = v.as_object() else {
        return Err(FeedError::Json("expected an object".into()));
    };
    let s = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let Some(items) = obj.get("items").and_then(Value::as_array) else {
        return Err(FeedError::Json("no \"items\" array".into()));
    };
    let meta = FeedMeta {
        title: s(&v, "title").map(|t| html::to_text(&t)),
        id: s(&v, "feed_url"),
        link: s(&v, "home_page_url"),
        generator: None,
    };
    let base = meta.link.clone().or_else(|| meta.id.clone());
    let person = |a: &Value| Person {
        name: s(a, "name"),
        uri: s(a, "url"),
        email: None,
    };
    let feed_authors: Vec<Person> = match (v.get("authors"), v.get("author")) {
        (Some(Value::Array(a)), _) => a.iter().map(person).collect(),
        (_, Some(a)) if a.is_object() => vec![person(a)],
        _ => Vec::new(),
    };
    let entries = items
        .iter()
        .filter(|i| i.is_object())
        .map(|item| {
            let mut authors: Vec<Person> = match (item.get("authors"), item.get("author")) {
                (Some(Value::Array(a)), _) => a.iter().map(person).collect(),
                (_, Some(a)) if a.is_object() => vec![person(a)],
                _ => Vec::new(),
            };
            if authors.is_empty() {
                authors.clone_from(&feed_authors);
            }
            let id = match item.get("id") {
                Some(Value::String(s)) => Some(s.trim().to_owned()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            }
            .filter(|s| !s.is_empty());
            Entry {
                id,
                link: s(item, "url").map(|u| xml::resolve(base.as_deref(), &u)),
                title: s(item, "title").map(Text::Html),
                content: s(item, "content_html")
                    .map(Text::Html)
                    .or_else(|| s(item, "content_text").map(Text::Plain))
                    .or_else(|| s(item, "summary").map(Text::Plain)),
                published: s(item, "date_published").and_then(|d| time::feed::parse(&d)),
                updated: s(item, "date_modified").and_then(|d| time::feed::parse(&d)),
                authors,
                categories: item
                    .get("tags")
                    .and_then(Value::as_array)
                    .map(|t| {
                        t.iter()
                            .filter_map(Value::as_str)
                            .map(|t| (t.to_owned(), None))
                            .collect()
                    })
                    .unwrap_or_default(),
                comments: None,
                base: base.clone(),
                extras: s(item, "external_url")
                    .map(|u| vec![("external_url", u)])
                    .unwrap_or_default(),
            }
        })
        .collect();
    Ok((meta, entries))
}

// ---------------------------------------------------------------------------------------
// Entries to mentions

/// Turns each entry into a mention and hands it to `emit`, one at a time.
fn finish(
    meta: FeedMeta,
    entries: impl Iterator<Item = Entry>,
    (format, encoding): (InputFormat, &'static str),
    ctx: &Context,
    emit: &mut dyn FnMut(Mention) -> std::io::Result<()>,
) -> Result<FeedInfo, FeedError> {
    let title = meta.title.clone();
    let source = SourceInfo {
        kind: format.name().to_owned(),
        uri: Some(ctx.uri.clone()),
        title: ctx.title.clone().or_else(|| title.clone()),
        group: ctx.group.clone(),
    };
    for entry in entries {
        emit(to_mention(entry, &meta, &source, ctx)).map_err(FeedError::Write)?;
    }
    Ok(FeedInfo {
        title,
        format,
        encoding,
    })
}

/// True for an http(s) URL. Feed text is untrusted: an `xml:base="file:///etc/"` or a
/// `file:`/`javascript:` link must not become a mention's `url` or `links`.
fn is_web_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

fn to_mention(mut entry: Entry, meta: &FeedMeta, source: &SourceInfo, ctx: &Context) -> Mention {
    let rule = platforms::detect(&entry, meta, &ctx.uri);
    platforms::prepare(rule, &mut entry, meta);
    let base = entry.base.as_deref().or(ctx.base());
    let (text, links) = match &entry.content {
        Some(Text::Html(h)) => {
            let extracted = html::extract(h);
            let links = extracted
                .links
                .into_iter()
                .map(|l| xml::resolve(base, &l))
                .filter(|l| is_web_url(l))
                .collect();
            (extracted.text, links)
        }
        Some(Text::Plain(p)) => (html::collapse_whitespace(p), Vec::new()),
        None => (String::new(), Vec::new()),
    };
    let title = entry
        .title
        .as_ref()
        .map(Text::to_plain)
        .filter(|t| !t.is_empty());
    let published = entry.published.or(entry.updated).map(format_timestamp);
    let platform = platforms::platform(rule, entry.link.as_deref().unwrap_or(&ctx.uri));
    let key = match (&entry.id, &entry.link) {
        (Some(id), _) if id.contains(':') || id.contains('/') => id.clone(),
        (Some(id), _) => format!("{}#{id}", ctx.uri),
        (None, Some(link)) => link.clone(),
        (None, None) => format!(
            "{}\u{0}{}\u{0}{}\u{0}{text}",
            ctx.uri,
            title.as_deref().unwrap_or(""),
            published.as_deref().unwrap_or("")
        ),
    };
    let author = entry.authors.first().map(|p| Author {
        name: p
            .name
            .as_deref()
            .map(html::to_text)
            .filter(|n| !n.is_empty()),
        url: p.uri.clone().filter(|u| is_web_url(u)),
        ..Author::default()
    });
    let mut mention = Mention {
        id: derived_id(platform, &key),
        platform: Some(platform.to_owned()),
        kind: Some(Kind::Article),
        url: entry.link.clone().filter(|u| is_web_url(u)),
        title,
        text: Some(text).filter(|t| !t.is_empty()),
        published,
        collected: Some(format_timestamp(ctx.collected)),
        author: author.filter(|a| !a.is_empty()),
        links,
        tags: entry
            .categories
            .iter()
            .map(|(t, _)| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect(),
        source: Some(source.clone()),
        ..Mention::default()
    };
    platforms::finish(rule, &entry, meta, &mut mention);
    if mention.metrics.as_ref().is_some_and(Metrics::is_empty) {
        mention.metrics = None;
    }
    keep_web_links(&mut mention);
    mention
}

/// Drops the links of another scheme than http(s): a hostile feed's `xml:base` or `href`
/// (`file:///etc/passwd`, `javascript:`) must not reach a report as a link (issue 14). A
/// relative link that could not be resolved is kept as written.
fn keep_web_links(mention: &mut Mention) {
    let web =
        |u: &String| url::Url::parse(u).map_or(true, |u| matches!(u.scheme(), "http" | "https"));
    mention.url = mention.url.take().filter(web);
    mention.links.retain(web);
    if let Some(author) = &mut mention.author {
        author.url = author.url.take().filter(web);
    }
}

#[cfg(test)]
mod tests;
