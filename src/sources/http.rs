//! HTTP settings for fetching feeds: one place for timeouts, redirects, limits and the
//! user agent.

use std::time::Duration;

use futures_util::StreamExt;

/// The `User-Agent` earful sends.
pub const USER_AGENT: &str = concat!(
    "earful/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/earful/earful; feed reader)"
);

/// Client settings.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Per-request timeout (connect to last byte).
    pub timeout: Duration,
    /// Largest body accepted, after decompression.
    pub max_body: usize,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: Duration::from_secs(30),
            max_body: 20 * 1024 * 1024,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("{0}")]
    Request(#[from] reqwest::Error),
    #[error("HTTP {0}")]
    Status(reqwest::StatusCode),
    #[error("body larger than {0} bytes")]
    TooLarge(usize),
}

/// Builds the shared client: gzip/brotli/deflate, at most 10 redirects and never from
/// https to http, proxies from the environment.
pub fn client(opts: &HttpOptions) -> Result<reqwest::Client, HttpError> {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        let downgrade = attempt
            .previous()
            .last()
            .is_some_and(|prev| prev.scheme() == "https")
            && attempt.url().scheme() == "http";
        if attempt.previous().len() >= 10 {
            attempt.error("too many redirects (more than 10)")
        } else if downgrade {
            attempt.error("refusing a redirect from https to http")
        } else {
            attempt.follow()
        }
    });
    Ok(reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(opts.timeout)
        .connect_timeout(opts.timeout.min(Duration::from_secs(10)))
        .redirect(policy)
        .build()?)
}

/// GETs `url` and returns the body, stopping at `max_body` bytes.
pub async fn get(
    client: &reqwest::Client,
    url: &str,
    opts: &HttpOptions,
) -> Result<Vec<u8>, HttpError> {
    let response = client.get(url).send().await?;
    let status = response.status();
    if !status.is_success() {
        return Err(HttpError::Status(status));
    }
    let mut body = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > opts.max_body {
            return Err(HttpError::TooLarge(opts.max_body));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
