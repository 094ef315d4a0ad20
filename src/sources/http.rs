//! HTTP for fetching feeds and posting to webhooks: one place for timeouts, retries,
//! redirects, limits, conditional GET and the user agent.
//!
//! - gzip, brotli and deflate; at most 10 redirects and never from https to http; proxies
//!   from the environment (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`);
//! - a timeout per request (connect to last byte), so a server that trickles bytes is cut;
//! - retries with exponential backoff and full jitter on timeouts, connection errors, 429
//!   and 5xx, honouring `Retry-After` (seconds or an HTTP date); no retry on other 4xx;
//! - a body limit counted after decompression, so a gzip bomb stops at the limit.

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use tokio::time::Instant;

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
    /// Retries after the first attempt.
    pub retries: u32,
    /// First backoff delay; doubled at each retry, with jitter.
    pub backoff: Duration,
    /// Longest single wait between attempts (also caps `Retry-After`).
    pub max_backoff: Duration,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: Duration::from_secs(30),
            max_body: 20 * 1024 * 1024,
            retries: 3,
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
        }
    }
}

#[derive(Debug, thiserror::Error)]
/// Why a request failed.
pub enum HttpError {
    /// The request took longer than the per-request timeout.
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    /// Connecting (TCP, and TLS for https) took longer than the connect timeout.
    #[error("connecting timed out after {after:?}{hint}")]
    ConnectTimeout { after: Duration, hint: &'static str },
    /// Connecting, or the connection broke (reset, truncated body): retried.
    #[error("connection failed: {0}")]
    Connect(String),
    /// Any other client-side failure (bad URL, redirect policy): not retried.
    #[error("{0}")]
    Request(String),
    /// A status other than 2xx and 304.
    #[error("HTTP {0}")]
    Status(StatusCode),
    /// The body exceeded the limit (after decompression).
    #[error("body larger than {0} bytes")]
    TooLarge(usize),
    /// The run's deadline came first.
    #[error("deadline reached")]
    Deadline,
}

impl HttpError {
    fn is_retryable(&self) -> bool {
        match self {
            HttpError::Timeout(_) | HttpError::ConnectTimeout { .. } | HttpError::Connect(_) => {
                true
            }
            HttpError::Status(s) => *s == StatusCode::TOO_MANY_REQUESTS || s.is_server_error(),
            _ => false,
        }
    }

    fn from_reqwest(e: reqwest::Error, timeout: Duration) -> HttpError {
        let https = e.url().is_some_and(|u| u.scheme() == "https");
        let cause = root_cause(&e);
        if e.is_timeout() && e.is_connect() {
            HttpError::ConnectTimeout {
                after: connect_timeout(timeout),
                hint: if https { PLAIN_HTTP_HINT } else { "" },
            }
        } else if e.is_timeout() {
            HttpError::Timeout(timeout)
        } else if https && NOT_TLS.iter().any(|m| cause.contains(m)) {
            // Asked for TLS, answered in plain text: another try gets the same answer.
            HttpError::Request(format!(
                "the server did not answer in TLS ({cause}){PLAIN_HTTP_HINT}"
            ))
        } else if e.is_connect() || e.is_request() && !e.is_redirect() && !e.is_builder() {
            HttpError::Connect(root_cause(&e))
        } else if e.is_body() || e.is_decode() {
            // A connection reset or a truncated chunked body: worth another try.
            HttpError::Connect(root_cause(&e))
        } else {
            HttpError::Request(root_cause(&e))
        }
    }
}

/// What rustls says when the answer to its handshake is not TLS (a plain-HTTP port).
const NOT_TLS: &[&str] = &[
    "InvalidContentType",
    "corrupt message",
    "wrong version number",
    "handshake eof",
];
const PLAIN_HTTP_HINT: &str =
    "; an https:// URL to a port that speaks plain HTTP does this: try http://";

/// The time allowed to connect, TLS handshake included: the request timeout, at most 10 s.
fn connect_timeout(timeout: Duration) -> Duration {
    timeout.min(Duration::from_secs(10))
}

/// The causes of an error, without reqwest's generic outer layers ("error sending request
/// for url (...)", "client error (Connect)"), which repeat what the caller already says.
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut msgs = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(c) = cur {
        let m = c.to_string();
        if !msgs.iter().any(|x| x.contains(&m)) {
            msgs.push(m);
        }
        cur = c.source();
    }
    let specific: Vec<&String> = msgs
        .iter()
        .skip(1)
        .filter(|m| !m.starts_with("client error") && !m.starts_with("error sending request"))
        .collect();
    if specific.is_empty() {
        msgs.join(": ")
    } else {
        specific
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(": ")
    }
}

/// Validators from an earlier response, sent back as a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag`, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// `Last-Modified`, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

/// A successful fetch.
#[derive(Debug)]
pub enum Fetched {
    /// 304: the feed did not change since the validators were issued.
    NotModified,
    /// 200 with its body.
    Body {
        /// The body, decompressed.
        bytes: Vec<u8>,
        /// `Content-Type`.
        content_type: Option<String>,
        /// Validators for the next conditional GET.
        validators: Validators,
        /// The URL after redirects.
        final_url: String,
    },
}

/// Builds the shared client.
pub fn client(opts: &HttpOptions) -> Result<reqwest::Client, HttpError> {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        let downgrade = attempt
            .previous()
            .last()
            .is_some_and(|prev| prev.scheme() == "https")
            && attempt.url().scheme() == "http";
        if attempt.previous().len() > 10 {
            attempt.error("too many redirects (more than 10)")
        } else if downgrade {
            attempt.error("refusing a redirect from https to http")
        } else if !matches!(attempt.url().scheme(), "http" | "https") {
            let refused = format!("refusing a redirect to {}", attempt.url());
            attempt.error(refused)
        } else {
            attempt.follow()
        }
    });
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(opts.timeout)
        .connect_timeout(connect_timeout(opts.timeout))
        .redirect(policy)
        .pool_max_idle_per_host(8)
        .build()
        .map_err(|e| HttpError::Request(root_cause(&e)))
}

/// GETs `url` with retries, sending `validators` as `If-None-Match`/`If-Modified-Since`.
/// Gives up with [`HttpError::Deadline`] rather than wait past `deadline`.
pub async fn fetch(
    client: &reqwest::Client,
    url: &str,
    validators: &Validators,
    opts: &HttpOptions,
    deadline: Option<Instant>,
) -> Result<Fetched, HttpError> {
    with_retries(opts, deadline, || once(client, url, validators, opts)).await
}

/// POSTs `body` as JSON to `url` with retries (a webhook): done on any 2xx. Gives up rather
/// than wait past `deadline`.
pub async fn post_json(
    client: &reqwest::Client,
    url: &str,
    body: &[u8],
    opts: &HttpOptions,
    deadline: Option<Instant>,
) -> Result<(), HttpError> {
    with_retries(opts, deadline, || async {
        let response = client
            .post(url)
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.to_vec())
            .send()
            .await
            .map_err(|e| (HttpError::from_reqwest(e, opts.timeout), None))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err((HttpError::Status(status), retry_after(response.headers())))
        }
    })
    .await
}

/// Runs `attempt` until it succeeds, fails in a way another try would not mend, or
/// `opts.retries` retries are spent. Between attempts it waits what the server asked
/// (`Retry-After`) or the backoff, at most `opts.max_backoff`, and never past `deadline`.
async fn with_retries<T, F, Fut>(
    opts: &HttpOptions,
    deadline: Option<Instant>,
    mut attempt: F,
) -> Result<T, HttpError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, (HttpError, Option<Duration>)>>,
{
    let mut n = 0;
    loop {
        let (err, retry_after) = match attempt().await {
            Ok(done) => return Ok(done),
            Err(e) => e,
        };
        if n >= opts.retries || !err.is_retryable() {
            return Err(err);
        }
        let wait = retry_after
            .unwrap_or_else(|| backoff(opts, n))
            .min(opts.max_backoff);
        if deadline.is_some_and(|d| Instant::now() + wait >= d) {
            return Err(err);
        }
        tokio::time::sleep(wait).await;
        n += 1;
    }
}

/// Exponential backoff with jitter: uniformly in [d/2, d] where d = backoff × 2^attempt.
fn backoff(opts: &HttpOptions, attempt: u32) -> Duration {
    let base = opts.backoff.saturating_mul(1u32 << attempt.min(16));
    let base = base.min(opts.max_backoff);
    base / 2 + base.mul_f64(fastrand::f64() / 2.0)
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

async fn once(
    client: &reqwest::Client,
    url: &str,
    validators: &Validators,
    opts: &HttpOptions,
) -> Result<Fetched, (HttpError, Option<Duration>)> {
    let started = Instant::now();
    let mut req = client.get(url).header(
        header::ACCEPT,
        "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8",
    );
    if let Some(etag) = &validators.etag {
        req = req.header(header::IF_NONE_MATCH, etag);
    }
    if let Some(lm) = &validators.last_modified {
        req = req.header(header::IF_MODIFIED_SINCE, lm);
    }
    let plain = |e: HttpError| (e, None);
    let response = req
        .send()
        .await
        .map_err(|e| plain(HttpError::from_reqwest(e, opts.timeout)))?;
    let status = response.status();
    if status == StatusCode::NOT_MODIFIED {
        return Ok(Fetched::NotModified);
    }
    if status.is_redirection() {
        // A redirect the policy did not follow: to a scheme other than http(s) (`file:`).
        let to = response.headers().get(header::LOCATION);
        let to = to.and_then(|v| v.to_str().ok()).unwrap_or("nowhere");
        return Err(plain(HttpError::Request(format!(
            "HTTP {status}: a redirect to {to}, not followed (only http and https are)"
        ))));
    }
    if !status.is_success() {
        return Err((HttpError::Status(status), retry_after(response.headers())));
    }
    let headers = response.headers();
    let text = |h| {
        headers
            .get(h)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = text(header::CONTENT_TYPE);
    let validators = Validators {
        etag: text(header::ETAG),
        last_modified: text(header::LAST_MODIFIED),
    };
    let final_url = response.url().to_string();
    // Content-Length counts compressed bytes; the limit is checked on decompressed ones too.
    if response
        .content_length()
        .is_some_and(|n| n > opts.max_body as u64)
        && response.headers().get(header::CONTENT_ENCODING).is_none()
    {
        return Err(plain(HttpError::TooLarge(opts.max_body)));
    }
    // Sized once when the length is known (grown by doubling, a 20 MiB body would hold 48
    // MiB while it moves); never past the limit, whatever the header says.
    let declared = response
        .content_length()
        .filter(|_| response.headers().get(header::CONTENT_ENCODING).is_none())
        .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX));
    let mut body = Vec::with_capacity(declared.min(opts.max_body));
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            // reqwest's timeout covers the body too; report it as the timeout it is.
            if started.elapsed() >= opts.timeout {
                plain(HttpError::Timeout(opts.timeout))
            } else {
                plain(HttpError::from_reqwest(e, opts.timeout))
            }
        })?;
        if body.len() + chunk.len() > opts.max_body {
            return Err(plain(HttpError::TooLarge(opts.max_body)));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Fetched::Body {
        bytes: body,
        content_type,
        validators,
        final_url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        let opts = HttpOptions::default();
        for attempt in 0..20 {
            let d = backoff(&opts, attempt);
            let base = opts
                .backoff
                .saturating_mul(1 << attempt.min(16))
                .min(opts.max_backoff);
            assert!(d >= base / 2 && d <= base, "{attempt}: {d:?}");
        }
    }

    #[test]
    fn retry_after_forms() {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
    }

    #[test]
    fn which_errors_are_retried() {
        assert!(HttpError::Status(StatusCode::TOO_MANY_REQUESTS).is_retryable());
        assert!(HttpError::Status(StatusCode::BAD_GATEWAY).is_retryable());
        assert!(!HttpError::Status(StatusCode::NOT_FOUND).is_retryable());
        assert!(!HttpError::Status(StatusCode::FORBIDDEN).is_retryable());
        assert!(HttpError::Timeout(Duration::from_secs(1)).is_retryable());
        assert!(!HttpError::TooLarge(1).is_retryable());
    }
}
