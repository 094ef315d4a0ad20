//! Reading sources into mentions: web feeds (local files or http(s) URLs).

pub mod feed;
pub mod http;

/// What a parser needs to know about where the bytes came from.
#[derive(Debug, Clone)]
pub struct Context {
    /// The URL or path the bytes were read from (`source.uri`).
    pub uri: String,
    /// When the source was read (`collected`).
    pub collected: jiff::Timestamp,
    /// Folder path in an OPML list (`source.group`).
    pub group: Option<String>,
}

impl Context {
    pub fn new(uri: impl Into<String>) -> Context {
        Context {
            uri: uri.into(),
            collected: jiff::Timestamp::now(),
            group: None,
        }
    }
}

/// True for arguments that name an http(s) URL rather than a file.
pub fn is_url(arg: &str) -> bool {
    let lower = arg.get(..8).unwrap_or(arg).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}
