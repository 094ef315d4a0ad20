//! Native ids and the URLs built from them.

/// The mention id of an X post: `x:<id>`.
pub fn x_id(native: &str) -> String {
    format!("x:{native}")
}

/// The permalink of an X post; `https://x.com/i/web/status/<id>` when the handle is unknown.
pub fn x_url(handle: Option<&str>, id: &str) -> String {
    match handle {
        Some(h) if !h.is_empty() => format!("https://x.com/{h}/status/{id}"),
        _ => format!("https://x.com/i/web/status/{id}"),
    }
}

/// The profile URL of an X account.
pub fn x_profile(handle: &str) -> String {
    format!("https://x.com/{handle}")
}

/// The last non-empty path segment of a URL or URI (`.../statuses/111/activity` gives
/// `activity`; callers strip known suffixes first).
pub fn last_segment(uri: &str) -> Option<&str> {
    let uri = uri.split(['?', '#']).next().unwrap_or(uri);
    uri.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
}

/// `did` and `rkey` of an `at://did/collection/rkey` URI.
pub fn at_uri_parts(uri: &str) -> Option<(&str, &str, &str)> {
    let rest = uri.strip_prefix("at://")?;
    let mut parts = rest.splitn(3, '/');
    let did = parts.next().filter(|s| !s.is_empty())?;
    let collection = parts.next().filter(|s| !s.is_empty())?;
    let rkey = parts.next().filter(|s| !s.is_empty() && !s.contains('/'))?;
    Some((did, collection, rkey))
}

/// The mention id of a Bluesky post: `bluesky:<did>/<rkey>`, or `bluesky:<uri>` for an
/// URI of another shape.
pub fn bluesky_id(uri: &str) -> String {
    match at_uri_parts(uri) {
        Some((did, _, rkey)) => format!("bluesky:{did}/{rkey}"),
        None => format!("bluesky:{}", uri.strip_prefix("at://").unwrap_or(uri)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_urls() {
        assert_eq!(x_url(Some("acme"), "1"), "https://x.com/acme/status/1");
        assert_eq!(x_url(None, "1"), "https://x.com/i/web/status/1");
        assert_eq!(
            last_segment("https://s.example/users/kim/statuses/111/"),
            Some("111")
        );
        assert_eq!(
            bluesky_id("at://did:plc:abc/app.bsky.feed.post/3kx"),
            "bluesky:did:plc:abc/3kx"
        );
        assert_eq!(bluesky_id("at://weird"), "bluesky:weird");
    }
}
