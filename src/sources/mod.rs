//! Reading sources into mentions: web feeds (local files or http(s) URLs) and social
//! exports.
//!
//! [`run::run`] is the entry point of `fetch`: it downloads URLs ([`http`], [`feed`]),
//! reads local inputs through [`local::read`] (the one place a file, folder or stdin is
//! opened and its format detected: [`feed`] or [`social`]), and delivers every mention the
//! same way (`--since`, one id once per run, [`state`]).

pub mod feed;
pub mod html;
pub mod http;
pub mod local;
pub mod pool;
pub mod run;
pub mod social;
pub mod state;

/// What a parser needs to know about where the bytes came from.
#[derive(Debug, Clone)]
pub struct Context {
    /// The URL or path the bytes were read from (`source.uri`).
    pub uri: String,
    /// When the source was read (`collected`).
    pub collected: jiff::Timestamp,
    /// Folder path in an OPML list (`source.group`).
    pub group: Option<String>,
    /// Title given by the list the source came from (an OPML outline), which takes the
    /// place of the feed's own title in `source.title`.
    pub title: Option<String>,
    /// The HTTP `Content-Type`, whose charset is one hint for the encoding.
    pub content_type: Option<String>,
    /// The format to read, overriding detection (`--format`).
    pub format: Option<InputFormat>,
    /// The URL the document was finally read from (after redirects), when it differs
    /// from `uri`: relative links resolve against it.
    pub final_url: Option<String>,
}

impl Context {
    /// A context for `uri`, collected now, with no list metadata or overrides.
    pub fn new(uri: impl Into<String>) -> Context {
        Context {
            uri: uri.into(),
            collected: jiff::Timestamp::now(),
            group: None,
            title: None,
            content_type: None,
            format: None,
            final_url: None,
        }
    }
}

impl Context {
    /// The URL relative links resolve against: the final URL, else `uri` if it is a URL.
    pub fn base(&self) -> Option<&str> {
        self.final_url
            .as_deref()
            .or(Some(self.uri.as_str()).filter(|u| is_url(u)))
    }
}

/// True for arguments that name an http(s) URL rather than a file.
pub fn is_url(arg: &str) -> bool {
    let lower = arg.get(..8).unwrap_or(arg).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Every input format `fetch` reads. Detected from content; `fetch --format NAME` overrides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// RSS 0.9x, 1.0 (RDF) and 2.0.
    Rss,
    /// Atom 0.3 and 1.0.
    Atom,
    /// JSON Feed 1.0 and 1.1.
    JsonFeed,
    /// X/Twitter account archive (`tweets.js`, a folder, or the `.zip`).
    XArchive,
    /// twarc (X API v1.1) JSONL.
    Twarc,
    /// twarc2 (X API v2) JSONL, raw pages or flattened.
    Twarc2,
    /// snscrape JSONL.
    Snscrape,
    /// CSV with a header row.
    Csv,
    /// Mastodon account archive (`outbox.json` or the `.zip`).
    Mastodon,
    /// Bluesky post views.
    Bluesky,
    /// Any JSON or JSONL, mapped with `--map`.
    Json,
}

impl InputFormat {
    /// Every format with its `--format` name.
    pub const ALL: [(InputFormat, &'static str); 11] = [
        (InputFormat::Rss, "rss"),
        (InputFormat::Atom, "atom"),
        (InputFormat::JsonFeed, "jsonfeed"),
        (InputFormat::XArchive, "x-archive"),
        (InputFormat::Twarc, "twarc"),
        (InputFormat::Twarc2, "twarc2"),
        (InputFormat::Snscrape, "snscrape"),
        (InputFormat::Csv, "csv"),
        (InputFormat::Mastodon, "mastodon"),
        (InputFormat::Bluesky, "bluesky"),
        (InputFormat::Json, "json"),
    ];

    /// The `--format` name, also used as `source.type`.
    pub fn name(self) -> &'static str {
        InputFormat::ALL
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("unknown", |(_, n)| n)
    }

    /// The format called `name` (case-insensitive).
    pub fn from_name(name: &str) -> Option<InputFormat> {
        InputFormat::ALL
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(name))
            .map(|(f, _)| *f)
    }

    /// True for web feed formats (handled by [`feed`]).
    pub fn is_feed(self) -> bool {
        matches!(
            self,
            InputFormat::Rss | InputFormat::Atom | InputFormat::JsonFeed
        )
    }
}
