use std::io::{Read, Write};
use std::net::TcpListener;

use crate::common::{earful, json_lines};

/// Serves `body` with `status` to every connection on 127.0.0.1 until the test ends.
fn serve(status: &'static str, content_type: &'static str, body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}/feed.xml")
}

const FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local</title>
<item><title>Nimbus &amp;amp; friends</title><link>http://n.example/1</link><guid>n1</guid>
<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate><description>Dropped calls &lt;b&gt;again&lt;/b&gt;</description></item>
</channel></rss>"#;

#[test]
fn fetches_a_feed_over_http() {
    let url = serve("200 OK", "application/rss+xml", FEED);
    let out = earful().args(["fetch", &url]).assert().success();
    let lines = json_lines(&out.get_output().stdout);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["title"], "Nimbus & friends");
    assert_eq!(lines[0]["text"], "Dropped calls again");
    assert_eq!(lines[0]["published"], "2026-03-02T10:00:00Z");
    assert_eq!(lines[0]["source"]["uri"], url.as_str());
    assert_eq!(lines[0]["source"]["type"], "rss");
}

#[test]
fn a_failing_source_does_not_stop_the_others() {
    let bad = serve("500 Internal Server Error", "text/plain", "oops");
    let good = serve("200 OK", "application/rss+xml", FEED);
    let out = earful().args(["fetch", &bad, &good]).assert().code(1);
    let output = out.get_output();
    assert_eq!(json_lines(&output.stdout).len(), 1);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("earful fetch: {bad}: HTTP 500")),
        "{stderr}"
    );
}

#[test]
fn reads_every_captured_real_feed() {
    let Some(dir) = crate::common::shared("data/real-feeds") else {
        return;
    };
    let mut feeds: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml" || e == "json"))
        .collect();
    feeds.sort();
    for feed in feeds {
        let out = earful().arg("fetch").arg(&feed).assert().success();
        let lines = json_lines(&out.get_output().stdout);
        assert!(!lines.is_empty(), "{} gave no mentions", feed.display());
        for line in &lines {
            assert!(line["id"].is_string(), "{}: {line}", feed.display());
        }
    }
}
