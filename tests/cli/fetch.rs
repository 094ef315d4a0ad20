use std::collections::HashSet;
use std::time::{Duration, Instant};

use predicates::str::contains;
use serde_json::Value;

use crate::common::server::{Reply, Server, gzip_zeros, rss_items};
use crate::common::{earful, fixture, json_lines, peak_kib};

const FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local</title>
<item><title>Nimbus &amp;amp; friends</title><link>http://n.example/1</link><guid>n1</guid>
<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate><description>Dropped calls &lt;b&gt;again&lt;/b&gt;</description></item>
</channel></rss>"#;

fn stdout_of(out: &assert_cmd::assert::Assert) -> Vec<Value> {
    json_lines(&out.get_output().stdout)
}

fn stderr_of(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

fn ids(lines: &[Value]) -> HashSet<String> {
    lines
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn fetches_a_feed_over_http() {
    let server = Server::start();
    let url = server.route("/feed.xml", Reply::rss(FEED));
    let out = earful().args(["fetch", &url]).assert().success();
    let lines = stdout_of(&out);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["title"], "Nimbus & friends");
    assert_eq!(lines[0]["text"], "Dropped calls again");
    assert_eq!(lines[0]["published"], "2026-03-02T10:00:00Z");
    assert_eq!(lines[0]["source"]["uri"], url.as_str());
    assert_eq!(lines[0]["source"]["type"], "rss");
    let ua = &server.requests()[0].headers["user-agent"];
    assert!(ua.starts_with("earful/"), "{ua}");
    assert!(
        stderr_of(&out).contains("1 source: 1 ok, 0 not modified, 0 failed; 1 new mention"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn a_failing_source_does_not_stop_the_others() {
    let server = Server::start();
    let bad = server.route("/bad", Reply::status("500 Internal Server Error"));
    let good = server.route("/good", Reply::rss(FEED));
    let out = earful()
        .args(["fetch", "--retries", "0", &bad, &good])
        .assert()
        .code(1);
    assert_eq!(stdout_of(&out).len(), 1);
    assert!(
        stderr_of(&out).contains(&format!("earful fetch: {bad}: HTTP 500")),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn retries_a_500_then_succeeds() {
    let server = Server::start();
    let url = server.route(
        "/flaky",
        Reply::Sequence(vec![
            Reply::status("500 Internal Server Error"),
            Reply::status("503 Service Unavailable"),
            Reply::rss(FEED),
        ]),
    );
    let out = earful().args(["fetch", &url]).assert().success();
    assert_eq!(stdout_of(&out).len(), 1);
    assert_eq!(server.hits("/flaky"), 3);
}

#[test]
fn honours_retry_after_on_429() {
    let server = Server::start();
    let url = server.route(
        "/busy",
        Reply::Sequence(vec![
            Reply::with_headers("429 Too Many Requests", &[("Retry-After", "2")]),
            Reply::rss(FEED),
        ]),
    );
    let start = Instant::now();
    earful().args(["fetch", &url]).assert().success();
    assert!(start.elapsed() >= Duration::from_secs(2));
    assert_eq!(server.hits("/busy"), 2);
}

#[test]
fn no_retry_on_404_or_403() {
    let server = Server::start();
    let missing = server.url("/missing");
    let forbidden = server.route("/forbidden", Reply::status("403 Forbidden"));
    let out = earful()
        .args(["fetch", &missing, &forbidden])
        .assert()
        .code(1);
    assert_eq!(server.hits("/missing"), 1);
    assert_eq!(server.hits("/forbidden"), 1);
    let err = stderr_of(&out);
    assert!(
        err.contains("HTTP 404") && err.contains("HTTP 403"),
        "{err}"
    );
    assert!(err.contains("2 failed"), "{err}");
}

#[test]
fn connection_resets_are_retried_then_reported() {
    let server = Server::start();
    let url = server.route("/reset", Reply::Reset);
    let out = earful()
        .args(["fetch", "--retries", "1", &url])
        .assert()
        .code(1);
    assert_eq!(server.hits("/reset"), 2);
    assert!(stderr_of(&out).contains(&format!("{url}: ")));
}

#[test]
fn a_hanging_server_times_out() {
    let server = Server::start();
    let url = server.route("/hang", Reply::Hang);
    let start = Instant::now();
    let out = earful()
        .args(["fetch", "--timeout", "1", "--retries", "0", &url])
        .assert()
        .code(1);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert!(
        stderr_of(&out).contains("timed out after 1s"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn a_trickling_server_hits_the_timeout() {
    let server = Server::start();
    let url = server.route("/trickle", Reply::Trickle(Duration::from_millis(200)));
    let start = Instant::now();
    let out = earful()
        .args(["fetch", "--timeout", "2", "--retries", "0", &url])
        .assert()
        .code(1);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert!(stderr_of(&out).contains("timed out"), "{}", stderr_of(&out));
}

#[test]
fn the_total_deadline_ends_the_run() {
    let server = Server::start();
    let slow = server.route("/trickle", Reply::Trickle(Duration::from_millis(200)));
    let fast = server.route("/fast", Reply::rss(FEED));
    let start = Instant::now();
    let out = earful()
        .args(["fetch", "--deadline", "2s", &slow, &fast])
        .assert()
        .code(1);
    assert!(start.elapsed() < Duration::from_secs(8));
    assert_eq!(stdout_of(&out).len(), 1);
    assert!(
        stderr_of(&out).contains("deadline reached"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn follows_redirects_and_stops_loops() {
    let server = Server::start();
    server.route("/feed", Reply::rss(FEED));
    let moved = server.route("/moved", Reply::redirect("/feed"));
    let a = server.route("/a", Reply::redirect("/b"));
    server.route("/b", Reply::redirect("/a"));
    let out = earful().args(["fetch", &moved, &a]).assert().code(1);
    assert_eq!(stdout_of(&out).len(), 1);
    assert!(
        stderr_of(&out).contains("too many redirects"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(server.hits("/a") + server.hits("/b"), 11);
}

/// Issue 14, item 10: a redirect to `file://` said only "HTTP 302 Found".
#[test]
fn regression_14_10_redirect_to_a_file_says_so() {
    let server = Server::start();
    let url = server.route("/f", Reply::redirect("file:///etc/passwd"));
    let out = earful().args(["fetch", &url]).assert().code(1);
    assert!(
        stderr_of(&out).contains(
            "HTTP 302 Found: a redirect to file:///etc/passwd, not followed (only http and \
             https are)"
        ),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn truncated_bodies_are_errors_and_truncated_xml_is_recovered() {
    let server = Server::start();
    let cut = server.route(
        "/cut",
        Reply::Truncated {
            declared: 100_000,
            body: FEED.as_bytes()[..200].to_vec(),
        },
    );
    let out = earful()
        .args(["fetch", "--retries", "0", &cut])
        .assert()
        .code(1);
    assert!(stderr_of(&out).contains(&cut), "{}", stderr_of(&out));
    // A complete response whose XML stops half-way still yields its entries.
    let doc = &FEED[..FEED.find("</description>").unwrap()];
    let half = server.route("/half", Reply::rss(doc));
    let out = earful().args(["fetch", &half]).assert().success();
    assert_eq!(stdout_of(&out)[0]["title"], "Nimbus & friends");
}

#[test]
fn huge_bodies_stop_at_the_limit() {
    let server = Server::start();
    let url = server.route("/huge", Reply::Huge(8 << 20));
    let out = earful()
        .args(["fetch", "--max-body", "1MiB", &url])
        .assert()
        .code(1);
    assert!(
        stderr_of(&out).contains("body larger than 1048576 bytes"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn a_gzip_bomb_stops_at_the_limit() {
    let server = Server::start();
    let bomb = gzip_zeros(200 << 20);
    assert!(bomb.len() < 1 << 20);
    let url = server.route(
        "/bomb",
        Reply::Full {
            status: "200 OK",
            headers: vec![
                ("Content-Type".into(), "application/rss+xml".into()),
                ("Content-Encoding".into(), "gzip".into()),
            ],
            body: bomb,
        },
    );
    let start = Instant::now();
    let out = earful()
        .args(["fetch", "--max-body", "4MiB", &url])
        .assert()
        .code(1);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert!(
        stderr_of(&out).contains("body larger than 4194304 bytes"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn gzip_bodies_are_decoded() {
    use std::io::Write;
    let server = Server::start();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(FEED.as_bytes()).unwrap();
    let url = server.route(
        "/gz",
        Reply::Full {
            status: "200 OK",
            headers: vec![("Content-Encoding".into(), "gzip".into())],
            body: enc.finish().unwrap(),
        },
    );
    let out = earful().args(["fetch", &url]).assert().success();
    assert_eq!(stdout_of(&out).len(), 1);
    assert!(server.requests()[0].headers["accept-encoding"].contains("gzip"));
}

#[test]
fn content_type_is_not_trusted_and_html_is_not_a_feed() {
    let server = Server::start();
    let wrong = server.route("/wrong", Reply::ok("text/html", FEED));
    let octets = server.route("/octets", Reply::ok("application/octet-stream", FEED));
    let page = server.route(
        "/page",
        Reply::ok(
            "text/html",
            std::fs::read(fixture("feeds/not-a-feed.html")).unwrap(),
        ),
    );
    let out = earful()
        .args(["fetch", &wrong, &octets, &page])
        .assert()
        .code(1);
    assert_eq!(stdout_of(&out).len(), 2);
    assert!(
        stderr_of(&out).contains(&format!("{page}: not a feed: an HTML page")),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn legacy_encodings_from_header_prolog_and_bom() {
    let server = Server::start();
    let latin1_body = "<rss version=\"2.0\"><channel><item><title>Crème brûlée</title><link>https://e.example/1</link></item></channel></rss>"
        .chars()
        .map(|c| c as u32 as u8)
        .collect::<Vec<u8>>();
    let header_only = server.route(
        "/latin1",
        Reply::ok("application/rss+xml; charset=ISO-8859-1", latin1_body),
    );
    let prolog = server.route(
        "/prolog",
        Reply::rss(std::fs::read(fixture("feeds/rss-windows-1252.xml")).unwrap()),
    );
    let utf16 = server.route(
        "/utf16",
        Reply::ok(
            "application/atom+xml",
            std::fs::read(fixture("feeds/atom-utf16be-bom.xml")).unwrap(),
        ),
    );
    let out = earful()
        .args(["fetch", &header_only, &prolog, &utf16])
        .assert()
        .success();
    let titles: HashSet<String> = stdout_of(&out)
        .iter()
        .map(|l| l["title"].as_str().unwrap().to_owned())
        .collect();
    for want in ["Crème brûlée", "Café “Nimbus” – 5 €", "Grüße aus Köln"] {
        assert!(titles.contains(want), "{want} not in {titles:?}");
    }
}

#[test]
fn fetches_concurrently_within_the_per_host_limit() {
    let server = Server::start();
    let urls: Vec<String> = (0..12)
        .map(|i| {
            server.route(
                &format!("/slow{i}"),
                Reply::Slow(
                    Duration::from_millis(500),
                    Box::new(Reply::rss(rss_items(&format!("s{i}"), 0, 2))),
                ),
            )
        })
        .collect();
    let start = Instant::now();
    let out = earful()
        .args(["fetch", "--concurrency", "12", "--per-host", "12"])
        .args(&urls)
        .assert()
        .success();
    assert_eq!(stdout_of(&out).len(), 24);
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
    let limited = Server::start();
    let urls: Vec<String> = (0..6)
        .map(|i| {
            limited.route(
                &format!("/slow{i}"),
                Reply::Slow(Duration::from_millis(300), Box::new(Reply::rss(FEED))),
            )
        })
        .collect();
    earful()
        .args(["fetch", "--per-host", "2"])
        .args(&urls)
        .assert()
        .success();
    assert!(
        limited.max_concurrent() <= 2,
        "{}",
        limited.max_concurrent()
    );
}

#[test]
fn state_second_run_emits_nothing_new_and_sends_the_etag() {
    let server = Server::start();
    let tagged = server.route(
        "/tagged",
        Reply::ETag {
            etag: "\"v1\"".into(),
            body: rss_items("tagged", 0, 3).into_bytes(),
        },
    );
    let plain = server.route(
        "/plain",
        Reply::Sequence(vec![
            Reply::rss(rss_items("plain", 0, 2)),
            Reply::rss(rss_items("plain", 0, 3)),
        ]),
    );
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let run = || {
        earful()
            .args(["fetch", "--state"])
            .arg(&state)
            .args([&tagged, &plain])
            .assert()
            .success()
    };
    let first = run();
    assert_eq!(stdout_of(&first).len(), 5);
    let second = run();
    let new = stdout_of(&second);
    assert_eq!(new.len(), 1, "only the new item of /plain: {new:?}");
    assert_eq!(new[0]["title"], "plain 2");
    let err = stderr_of(&second);
    assert!(err.contains("1 ok, 1 not modified"), "{err}");
    assert!(err.contains("2 already delivered"), "{err}");
    let tagged_requests: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/tagged")
        .collect();
    assert_eq!(tagged_requests.len(), 2);
    assert!(!tagged_requests[0].headers.contains_key("if-none-match"));
    assert_eq!(tagged_requests[1].headers["if-none-match"], "\"v1\"");
    let third = run();
    assert!(stdout_of(&third).is_empty());
    let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(saved["feeds"][&tagged]["etag"], "\"v1\"");
    assert_eq!(saved["seen"].as_object().unwrap().len(), 6);
}

#[test]
fn state_run_killed_midway_then_rerun_loses_nothing() {
    let server = Server::start();
    let mut urls = Vec::new();
    for i in 0..5 {
        urls.push(server.route(
            &format!("/f{i}"),
            Reply::rss(rss_items(&format!("f{i}"), 0, 4)),
        ));
    }
    // The last feed hangs in the first run and answers in the second.
    urls.push(server.route(
        "/late",
        Reply::Sequence(vec![Reply::Hang, Reply::rss(rss_items("late", 0, 4))]),
    ));
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let out1 = dir.path().join("out1.jsonl");
    let bin = assert_cmd::cargo::cargo_bin("earful");
    let mut child = std::process::Command::new(&bin)
        .args(["fetch", "-q", "--timeout", "60", "--state"])
        .arg(&state)
        .arg("-o")
        .arg(&out1)
        .args(&urls)
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !state.exists() && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        state.exists(),
        "a checkpoint was written while the run hung"
    );
    // kill -9 while /late still hangs.
    child.kill().unwrap();
    child.wait().unwrap();
    let first = json_lines(&std::fs::read(&out1).unwrap());
    let out = earful()
        .args(["fetch", "--state"])
        .arg(&state)
        .args(&urls)
        .assert()
        .success();
    let second = stdout_of(&out);
    let (a, b) = (ids(&first), ids(&second));
    assert_eq!(
        a.len() + b.len(),
        24,
        "first {} + second {}",
        a.len(),
        b.len()
    );
    assert!(a.is_disjoint(&b), "nothing twice");
    assert_eq!(a.union(&b).count(), 24, "nothing lost");
    assert_eq!(first.len(), 20);
}

#[test]
fn a_second_run_on_the_same_state_exits_with_a_message() {
    let server = Server::start();
    let hang = server.route("/hang", Reply::Hang);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let bin = assert_cmd::cargo::cargo_bin("earful");
    let mut first = std::process::Command::new(&bin)
        .args(["fetch", "-q", "--timeout", "60", "--state"])
        .arg(&state)
        .arg(&hang)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let lock = dir.path().join("state.json.lock");
    let start = Instant::now();
    while server.hits("/hang") == 0 && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(lock.exists());
    earful()
        .args(["fetch", "--state"])
        .arg(&state)
        .arg(&hang)
        .assert()
        .code(1)
        .stderr(contains("another earful run is using"));
    first.kill().unwrap();
    first.wait().unwrap();
}

#[test]
fn since_drops_older_entries() {
    let out = earful()
        .args(["fetch", "--since", "2004-07-08T12:00:00Z"])
        .arg(fixture("feeds/rss-1.0-no-link.xml"))
        .arg(fixture("feeds/atom-0.3.xml"))
        .assert()
        .success();
    let titles: Vec<_> = stdout_of(&out)
        .iter()
        .map(|l| l["title"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert!(!titles.contains(&"Second 0.3 entry".to_owned()));
    assert!(
        stderr_of(&out).contains("1 before --since or after --until"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn opml_groups_and_titles() {
    let out = earful()
        .args(["fetch", "--opml"])
        .arg(fixture("feeds/subs.opml"))
        .assert()
        .success();
    let lines = stdout_of(&out);
    let by_type = |uri_end: &str| {
        lines
            .iter()
            .find(|l| l["source"]["uri"].as_str().unwrap().ends_with(uri_end))
            .unwrap()["source"]
            .clone()
    };
    let reddit = by_type("reddit-search.xml");
    assert_eq!(reddit["group"], "acme/Social");
    assert_eq!(reddit["title"], "Reddit search");
    assert_eq!(by_type("google-alerts.xml")["group"], "acme");
    assert_eq!(by_type("hnrss-newest.xml")["group"], "competitors");
    assert!(by_type("youtube-channel.xml").get("group").is_none());
}

#[test]
fn list_files_with_comments() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("feeds.txt");
    std::fs::write(
        &list,
        "# my feeds\ntests/fixtures/feeds/rss-dates.xml\n\n  tests/fixtures/feeds/jsonfeed-1.1.json\n",
    )
    .unwrap();
    let out = earful()
        .args(["fetch", "--list"])
        .arg(&list)
        .assert()
        .success();
    assert_eq!(stdout_of(&out).len(), 9);
}

#[test]
fn format_override_and_usage_errors() {
    earful()
        .args(["fetch", "--format", "rss"])
        .arg(fixture("feeds/rss-dates.xml"))
        .assert()
        .success();
    earful()
        .args(["fetch", "--format", "pdf", "x"])
        .assert()
        .code(2)
        .stderr(contains("unknown format `pdf`"));
    earful()
        .arg("fetch")
        .assert()
        .code(2)
        .stderr(contains("no sources"));
    earful()
        .args(["fetch", "--since", "soon", "x"])
        .assert()
        .code(2);
}

/// One fixture per liberal-parsing class, with what earful must recover from it.
#[test]
fn every_fixture_class_is_recovered() {
    let cases: &[(&str, usize, &str, &str)] = &[
        // file, entries, field of the first entry, expected value
        ("rss-no-version.xml", 2, "title", "Item 1"),
        ("rss-0.94.xml", 1, "title", "Item 1"),
        ("rss-2.01.xml", 1, "title", "Item 1"),
        ("rss-0.91-netscape.xml", 1, "url", "https://fx.example/old"),
        ("rss-0.90.xml", 1, "url", "https://fx.example/90"),
        ("rss-bare-ampersand.xml", 1, "title", "Fish & chips at AT&T"),
        (
            "rss-br-in-description.xml",
            1,
            "text",
            "first line second line third para",
        ),
        ("rss-truncated.xml", 3, "title", "Item 1"),
        ("rss-mismatched-tags.xml", 2, "title", "First"),
        (
            "rss-html-entities.xml",
            1,
            "title",
            "Café – crème brûlée … ’’",
        ),
        ("rss-windows-1252.xml", 1, "title", "Café “Nimbus” – 5 €"),
        ("rss-iso-8859-1.xml", 1, "title", "Crème brûlée à Paris"),
        ("atom-utf16be-bom.xml", 1, "title", "Grüße aus Köln"),
        ("atom-utf16le-bom.xml", 1, "title", "日本語のタイトル"),
        ("rss-dates.xml", 8, "published", "2004-07-08T23:56:58Z"),
        ("atom-0.3.xml", 2, "text", "Escaped HTML"),
        ("atom-base64-content.xml", 2, "text", "Base64 encoded HTML"),
        (
            "atom-xml-base.xml",
            2,
            "url",
            "https://fx.example/blog/2024/post-1",
        ),
        ("rss-permalink-guid.xml", 2, "url", "https://fx.example/g1"),
        ("rss-1.0-no-link.xml", 2, "title", "No link here"),
        ("jsonfeed-1.0.json", 2, "title", "Json one"),
        ("jsonfeed-1.1.json", 1, "title", "Eleven – one"),
    ];
    for (file, count, field, want) in cases {
        let out = earful()
            .arg("fetch")
            .arg(fixture(&format!("feeds/{file}")))
            .assert()
            .success();
        let lines = stdout_of(&out);
        assert_eq!(lines.len(), *count, "{file}");
        assert_eq!(lines[0][field], *want, "{file}: {field}");
    }
}

#[test]
fn dates_of_every_form_agree() {
    let out = earful()
        .arg("fetch")
        .arg(fixture("feeds/rss-dates.xml"))
        .assert()
        .success();
    let dates: Vec<_> = stdout_of(&out)
        .iter()
        .map(|l| l["published"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        dates,
        [
            "2004-07-08T23:56:58Z",
            "2004-07-08T00:00:00Z",
            "2004-07-09T04:56:58Z",
            "2004-07-09T06:56:58Z",
            "2004-07-08T23:56:58Z",
            "2004-07-08T21:56:58Z",
            "2004-07-08T23:56:00Z",
            "2004-07-08T23:56:58Z",
        ]
    );
}

#[test]
fn relative_links_resolve_against_the_feed_url() {
    let server = Server::start();
    let url = server.route(
        "/dir/feed.xml",
        Reply::rss(std::fs::read(fixture("feeds/rss-relative-links.xml")).unwrap()),
    );
    let out = earful().args(["fetch", &url]).assert().success();
    assert_eq!(stdout_of(&out)[0]["url"], server.url("/posts/1"));
    // After a redirect, against the URL the feed was finally read from.
    server.route(
        "/new/dir/feed.xml",
        Reply::rss("<rss><channel><item><link>post/2</link></item></channel></rss>"),
    );
    let old = server.route("/old/feed.xml", Reply::redirect("/new/dir/feed.xml"));
    let out = earful().args(["fetch", &old]).assert().success();
    let line = &stdout_of(&out)[0];
    assert_eq!(line["url"], server.url("/new/dir/post/2"));
    assert_eq!(line["source"]["uri"], old.as_str());
}

#[test]
fn per_source_fixtures() {
    let run = |file: &str| {
        let out = earful()
            .arg("fetch")
            .arg(fixture(&format!("feeds/{file}")))
            .assert()
            .success();
        stdout_of(&out)
    };
    let g = run("google-alerts.xml");
    assert_eq!(g[0]["url"], "https://news.example.com/acme-redesign");
    assert_eq!(
        g[0]["title"],
        "Why the Acme app redesign annoyed users' wallets"
    );
    assert_eq!(g[1]["url"], "https://biz.example.org/a?id=7");
    assert_eq!(g[1]["title"], "Acme & Globex merge");
    let r = run("reddit-search.xml");
    assert_eq!(r[0]["id"], "reddit:t3_1abcde");
    assert_eq!(r[0]["author"]["handle"], "night_owl");
    assert_eq!(r[0]["subreddit"], "androidapps");
    assert_eq!(r[0]["text"], "Acme keeps logging me out after the update.");
    assert_eq!(r[1]["links"][0], "https://news.example.com/acme-fined");
    assert!(r[1].get("text").is_none(), "{}", r[1]);
    let m = run("mastodon-tag.xml");
    assert_eq!(m[0]["platform"], "mastodon");
    assert_eq!(m[0]["author"]["handle"], "kim@fosstodon.example");
    assert_eq!(m[0]["tags"], serde_json::json!(["acme", "sync"]));
    assert_eq!(m[1]["author"]["handle"], "lee@other.example");
    let h = run("hnrss-newest.xml");
    assert_eq!(h[0]["id"], "hackernews:39500000");
    assert_eq!(
        h[0]["metrics"],
        serde_json::json!({"score": 42, "comments": 17})
    );
    assert_eq!(h[1]["text"], "Login fails since this morning.");
    let y = run("youtube-channel.xml");
    assert_eq!(y[0]["id"], "youtube:dQw4w9WgXcQ");
    assert_eq!(y[0]["metrics"]["views"], 98765);
    assert_eq!(
        y[0]["text"],
        "The battery lasts half a day. Full review inside."
    );
    let w = run("wordpress-comments.xml");
    assert_eq!(w[0]["kind"], "comment");
    assert_eq!(w[0]["author"]["name"], "Jane Doe");
    assert_eq!(w[1]["author"]["name"], "Bob");
    assert_eq!(
        w[0]["in_reply_to"],
        "https://blog.acme.example/2024/02/new-checkout/"
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
        let lines = stdout_of(&out);
        assert!(!lines.is_empty(), "{} gave no mentions", feed.display());
        for line in &lines {
            assert!(line["id"].is_string(), "{}: {line}", feed.display());
        }
    }
}

#[test]
fn real_feeds_get_their_platform_rules() {
    let Some(dir) = crate::common::shared("data/real-feeds") else {
        return;
    };
    let first = |file: &str| {
        let out = earful().arg("fetch").arg(dir.join(file)).assert().success();
        stdout_of(&out).remove(0)
    };
    let g = first("google-alerts.atom.xml");
    assert!(
        !g["url"].as_str().unwrap().contains("google.com/url"),
        "{g}"
    );
    assert!(!g["title"].as_str().unwrap().contains("<b>"));
    let r = first("reddit-frontpage.atom.xml");
    assert_eq!(r["id"], "reddit:t3_42tizy");
    assert_eq!(r["platform"], "reddit");
    assert!(
        r["author"]["handle"]
            .as_str()
            .is_some_and(|h| !h.starts_with("/u/"))
    );
    let r = first("reddit-search.atom.xml");
    assert_eq!(r["subreddit"], "kevincox");
    let legacy = first("reddit-frontpage-legacy.rss.xml");
    assert!(
        legacy["id"].as_str().unwrap().starts_with("reddit:t3_"),
        "{legacy}"
    );
    let y = first("youtube-channel.atom.xml");
    assert!(y["id"].as_str().unwrap().starts_with("youtube:"));
    assert!(y["metrics"]["views"].as_u64().is_some());
    let h = first("hackernews-frontpage.rss.xml");
    assert!(h["id"].as_str().unwrap().starts_with("hackernews:"));
    assert!(h.get("text").is_none(), "{h}");
}

#[test]
fn proxies_come_from_the_environment() {
    // The proxy is the test server on 127.0.0.1; `.invalid` never resolves, so nothing
    // leaves the machine even if the proxy were ignored.
    let proxy = Server::start();
    proxy.route("http://feeds.invalid/feed.xml", Reply::rss(FEED));
    let out = earful()
        .env("HTTP_PROXY", proxy.url(""))
        .args(["fetch", "--retries", "0", "http://feeds.invalid/feed.xml"])
        .assert()
        .success();
    assert_eq!(stdout_of(&out).len(), 1);
    assert_eq!(proxy.hits("http://feeds.invalid/feed.xml"), 1);
}

#[test]
fn a_reader_closing_the_pipe_ends_quietly() {
    use std::io::{BufRead, BufReader};
    let server = Server::start();
    // Several times the 1 MiB pipe fetch asks for, so the writer is still writing when the
    // reader closes it (3,000 entries could fit in the pipe whole: a flaky test).
    let url = server.route("/big", Reply::rss(rss_items("big", 0, 20_000)));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("earful"))
        .args(["fetch", &url])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader has enough (`| head -1`): stdout is closed here.
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with("{\"id\":"));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// Issue 13: a feed read from stdin goes through the same delivery as any other source, so
/// `--state` delivers each entry once across runs (it used to bypass the state).
#[test]
fn stdin_feed_with_state_is_delivered_once() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let feed = std::fs::read(fixture("feeds/rss-dates.xml")).unwrap();
    let run = || {
        earful()
            .args(["fetch", "--state"])
            .arg(&state)
            .arg("-")
            .write_stdin(feed.clone())
            .assert()
            .success()
    };
    let first = run();
    let delivered = stdout_of(&first).len();
    assert!(delivered > 0);
    let second = run();
    assert!(stdout_of(&second).is_empty(), "{}", stderr_of(&second));
    assert!(
        stderr_of(&second).contains(&format!("0 new mentions, {delivered} already delivered")),
        "{}",
        stderr_of(&second)
    );
}

/// Issue 13: `--since` applies to a feed on stdin as to a feed file.
#[test]
fn stdin_feed_honours_since() {
    let feed = std::fs::read(fixture("feeds/atom-0.3.xml")).unwrap();
    let since = |stdin: bool| {
        let mut cmd = earful();
        cmd.args(["fetch", "--since", "2004-07-08T12:00:00Z"]);
        if stdin {
            cmd.arg("-").write_stdin(feed.clone());
        } else {
            cmd.arg(fixture("feeds/atom-0.3.xml"));
        }
        let out = cmd.assert().success();
        (ids(&stdout_of(&out)), stderr_of(&out))
    };
    let (from_stdin, stderr) = since(true);
    assert!(
        stderr.contains("1 before --since or after --until"),
        "{stderr}"
    );
    assert_eq!(from_stdin.len(), 1);
    // Entry ids are the same whatever the source is called.
    assert_eq!(from_stdin, since(false).0);
}

/// Issue 13: every argument is checked before the first record is written: a bad OPML
/// (or an unreadable list) is a usage error even after an export that could be read.
#[test]
fn bad_opml_rejects_before_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let opml = dir.path().join("subs.opml");
    std::fs::write(&opml, "<html>not an outline</html>").unwrap();
    let out = earful()
        .arg("fetch")
        .arg(fixture("social/twarc2-flat.jsonl"))
        .arg("--opml")
        .arg(&opml)
        .assert()
        .code(2);
    assert!(out.get_output().stdout.is_empty());
    assert!(
        stderr_of(&out).contains("not an OPML document"),
        "{}",
        stderr_of(&out)
    );
    let out = earful()
        .arg("fetch")
        .arg(fixture("social/twarc2-flat.jsonl"))
        .arg("--list")
        .arg(dir.path().join("nosuch.txt"))
        .assert()
        .code(2);
    assert!(out.get_output().stdout.is_empty());
}

/// Issue 14, item 11: a JSON Feed is known by its `version` URL even when the feed is too
/// long to parse from the first bytes (a real 1.1 feed was read as one generic JSON record).
#[test]
fn long_json_feed_is_known_by_its_version() {
    let dir = tempfile::tempdir().unwrap();
    for version in ["1", "1.1"] {
        let items: Vec<serde_json::Value> = (0..40)
            .map(|i| {
                serde_json::json!({
                    "id": format!("item-{i}"),
                    "url": format!("https://blog.example/{i}"),
                    "content_html": format!("<p>{}</p>", "acme is great. ".repeat(200)),
                })
            })
            .collect();
        let feed = serde_json::json!({
            "version": format!("https://jsonfeed.org/version/{version}"),
            "title": "A long blog",
            "items": items,
        });
        let path = dir.path().join(format!("feed-{version}.json"));
        let text = serde_json::to_string_pretty(&feed).unwrap();
        assert!(text.len() > 100 * 1024);
        std::fs::write(&path, text).unwrap();
        let out = earful().arg("fetch").arg(&path).assert().success();
        let lines = stdout_of(&out);
        assert_eq!(lines.len(), 40, "{version}");
        assert!(lines.iter().all(|l| l["source"]["type"] == "jsonfeed"));
    }
}

/// Issue 14, item 16: the summary counts every mention written, exports included, and a
/// file given twice is read once.
#[test]
fn counts_add_up_and_a_file_twice_is_read_once() {
    let csv = fixture("social/twitwi.csv");
    let feed = fixture("feeds/rss-dates.xml");
    let out = earful()
        .arg("fetch")
        .args([&csv, &feed, &csv])
        .assert()
        .success();
    let written = stdout_of(&out).len();
    let once = |path: &std::path::Path| {
        stdout_of(&earful().arg("fetch").arg(path).assert().success()).len()
    };
    assert_eq!(written, once(&csv) + once(&feed));
    assert!(
        stderr_of(&out).contains(&format!(
            "2 sources: 2 ok, 0 not modified, 0 failed; {written} new mentions"
        )),
        "{}",
        stderr_of(&out)
    );
}

/// Issue 14, item 14: a folder of feeds and exports is read (recursively, known formats;
/// others skipped and counted); an HTML page is named as one; an OPML list given as a
/// source is read as with --opml.
#[test]
fn folders_pages_and_opml_as_sources() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("more/deeper");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::copy(fixture("feeds/rss-dates.xml"), dir.path().join("a.xml")).unwrap();
    std::fs::copy(fixture("social/twitwi.csv"), nested.join("b.csv")).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "just some notes").unwrap();
    std::fs::write(dir.path().join(".hidden.xml"), "<rss>").unwrap();
    let out = earful().arg("fetch").arg(dir.path()).assert().success();
    let from_folder = stdout_of(&out).len();
    let count = |path: std::path::PathBuf| {
        stdout_of(&earful().arg("fetch").arg(path).assert().success()).len()
    };
    assert_eq!(
        from_folder,
        count(fixture("feeds/rss-dates.xml")) + count(fixture("social/twitwi.csv"))
    );
    assert!(
        stderr_of(&out)
            .contains("a folder: 2 files read, 1 skipped (not a feed or a known export)"),
        "{}",
        stderr_of(&out)
    );

    let page = fixture("feeds/not-a-feed.html");
    let out = earful().arg("fetch").arg(&page).assert().code(1);
    assert!(
        stderr_of(&out).contains(&format!("{}: not a feed: an HTML page", page.display())),
        "{}",
        stderr_of(&out)
    );

    let by_flag = earful()
        .args(["fetch", "--opml"])
        .arg(fixture("feeds/subs.opml"))
        .assert()
        .success();
    let as_source = earful()
        .arg("fetch")
        .arg(fixture("feeds/subs.opml"))
        .assert()
        .success();
    assert_eq!(ids(&stdout_of(&as_source)), ids(&stdout_of(&by_flag)));
    assert!(!stdout_of(&as_source).is_empty());
}

/// Issue 14, item 5: a local source that never ends (a FIFO no one writes to, /dev/zero)
/// obeys --deadline and the body limit like a URL; the other sources' mentions are written,
/// those of a file after the blocked FIFO too (files are read on a pool of threads while
/// the writer waits), and a regular file over the body limit fails like /dev/zero.
#[cfg(unix)]
#[test]
fn endless_local_sources_obey_deadline_and_body_limit() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let big = dir.path().join("big.xml");
    std::fs::write(&big, rss_items("big", 0, 6000)).unwrap();
    let started = Instant::now();
    let out = earful()
        .args(["fetch", "--deadline", "2s", "--max-body", "1MiB"])
        .arg(&fifo)
        .arg(fixture("feeds/rss-dates.xml"))
        .arg("/dev/zero")
        .arg(&big)
        .timeout(Duration::from_secs(30))
        .assert()
        .code(1);
    assert!(started.elapsed() < Duration::from_secs(20));
    let stderr = stderr_of(&out);
    assert!(!stdout_of(&out).is_empty(), "{stderr}");
    assert!(
        stderr.contains(&format!("{}: deadline reached", fifo.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains("/dev/zero: larger than --max-body"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{}: larger than --max-body", big.display())),
        "{stderr}"
    );
    assert!(stderr.contains("4 sources: 1 ok"), "{stderr}");
}

/// Issue 14 item 10: relative paths in an OPML file are relative to the OPML's folder, not to
/// the directory fetch runs in.
#[test]
fn opml_relative_paths_resolve_against_its_folder() {
    let elsewhere = tempfile::tempdir().unwrap();
    for as_flag in [true, false] {
        let mut cmd = earful();
        cmd.current_dir(elsewhere.path()).arg("fetch");
        if as_flag {
            cmd.arg("--opml");
        }
        let out = cmd.arg(fixture("feeds/subs.opml")).assert().success();
        assert!(
            stderr_of(&out).contains("4 ok, 0 not modified, 0 failed"),
            "{}",
            stderr_of(&out)
        );
    }
}

/// Issue 14 item 10: an https:// URL to a port that speaks plain HTTP says so, whether the
/// server answers the TLS hello with an HTTP error or waits for more.
#[test]
fn https_to_a_plain_http_port_says_what_happened() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let _ = std::io::Write::write_all(
                &mut stream,
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    let answers = format!("https://127.0.0.1:{port}/feed.xml");
    let waits = format!("https://{}/feed.xml", silent_server());
    let server = Server::start();
    let closes = server
        .route("/feed", Reply::rss(FEED))
        .replace("http://", "https://");
    let out = earful()
        .args([
            "fetch",
            "--timeout",
            "30",
            "--retries",
            "0",
            &answers,
            &waits,
            &closes,
        ])
        .assert()
        .code(1);
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains(&format!("{answers}: the server did not answer in TLS")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{waits}: connecting timed out after 10s")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{closes}: the server did not answer in TLS")),
        "{stderr}"
    );
    assert_eq!(stderr.matches("try http://").count(), 3, "{stderr}");
}

/// Issue 14 item 6: without --state, each source's mentions are written (flushed) as soon as
/// it is read, not at the end of the run, so an interrupted run keeps them.
#[test]
fn each_source_is_flushed_when_ready() {
    use std::io::BufRead as _;
    let stalls = format!("http://{}/feed.xml", silent_server());
    let server = Server::start();
    let fast = server.route("/feed", Reply::rss(FEED));
    let started = Instant::now();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("earful"))
        .args(["fetch", "--timeout", "4", "--retries", "0", &fast, &stalls])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let first_at = started.elapsed();
    let status = child.wait().unwrap();
    assert!(first.ends_with('\n'), "{first}");
    assert_eq!(status.code(), Some(1));
    assert!(
        first_at < Duration::from_secs(3) && started.elapsed() >= Duration::from_secs(4),
        "first line after {first_at:?}, run {:?}",
        started.elapsed()
    );
}

/// A loopback address that accepts connections and never reads or answers, as a server
/// waiting for the end of headers.
fn silent_server() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let held: Vec<_> = listener.incoming().flatten().collect();
        drop(held);
    });
    addr
}

/// Waits up to 20 s for `child` to end; kills it and fails if it does not.
fn wait_for(child: &mut std::process::Child) -> std::process::ExitStatus {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    panic!("the process did not end within 20 s");
}

/// Issue 14 item 6: SIGINT stops fetch with whole lines out, the sources read so far kept
/// (and delivered in --state), nothing more started, exit 130.
#[test]
fn sigint_keeps_whole_lines_and_saves_the_state() {
    use std::io::BufRead as _;
    let server = Server::start();
    let fast = server.route("/fast", Reply::rss(rss_items("fast", 0, 5)));
    let stall = server.route("/stall", Reply::Hang);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("earful"))
        .args(["fetch", "-q", "--timeout", "60", "--state"])
        .arg(&state)
        .args([&fast, &stall])
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut stdout = std::io::BufReader::new(stdout);
        let mut line = Vec::new();
        while stdout.read_until(b'\n', &mut line).unwrap() > 0 {
            all.extend_from_slice(&line);
            let _ = tx.send(());
            line.clear();
        }
        all
    });
    // The fast feed's five mentions are out while /stall hangs.
    for _ in 0..5 {
        if rx.recv_timeout(Duration::from_secs(20)).is_err() {
            child.kill().unwrap();
            panic!("the fast feed's mentions were not written while another hung");
        }
    }
    let start = Instant::now();
    while server.hits("/stall") == 0 && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = wait_for(&mut child);
    let out = reader.join().unwrap();
    assert_eq!(status.code(), Some(130));
    assert_eq!(out.last(), Some(&b'\n'));
    let lines = json_lines(&out);
    let want: HashSet<String> = (0..5)
        .map(|i| format!("https://t.example/fast/{i}"))
        .collect();
    let got: HashSet<String> = lines
        .iter()
        .map(|l| l["url"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(got, want);
    let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(saved["seen"].as_object().unwrap().len(), 5, "{saved}");
    assert!(saved["feeds"][&fast]["last_success"].is_string(), "{saved}");
    assert!(saved["feeds"][&stall]["last_success"].is_null(), "{saved}");
}

/// Issue 14: local files are read on a pool of threads; their mentions still come out in
/// the order of the arguments (stdin among them), each file's in its own order.
#[test]
fn many_local_files_keep_the_argument_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = Vec::new();
    let mut want = Vec::new();
    for k in 0..60 {
        // Not in name order, and of different sizes, so that readers finish out of order.
        let i = (k * 17) % 60;
        let n = (i * 7) % 13 + 1;
        if k == 30 {
            args.push("-".to_owned());
            want.extend((0..3).map(|j| format!("https://t.example/stdin/{j}")));
        }
        let path = dir.path().join(format!("f{i:02}.xml"));
        std::fs::write(&path, rss_items(&format!("f{i:02}"), 0, n * 40)).unwrap();
        args.push(path.display().to_string());
        want.extend((0..n * 40).map(|j| format!("https://t.example/f{i:02}/{j}")));
    }
    let out = earful()
        .arg("fetch")
        .args(&args)
        .write_stdin(rss_items("stdin", 0, 3))
        .assert()
        .success();
    let got: Vec<String> = stdout_of(&out)
        .iter()
        .map(|l| l["url"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got.len(), want.len());
    assert!(got == want, "the mentions came out of argument order");
    assert!(
        stderr_of(&out).contains("61 sources: 61 ok"),
        "{}",
        stderr_of(&out)
    );
}

/// Issue 14 item 7: a large feed costs a small multiple of its body: the file is read into
/// a buffer of its size, and entries become mentions one at a time and go out as they are
/// made (a 20 MiB feed held 5× its size).
#[test]
fn a_large_feed_costs_a_small_multiple_of_its_body() {
    let dir = tempfile::tempdir().unwrap();
    let mut feed =
        String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Big</title>");
    let words =
        "the flight was late again &amp; support kept me on hold &lt;b&gt;for hours&lt;/b&gt; ";
    let mut i = 0;
    while feed.len() < 16 << 20 {
        feed.push_str(&format!(
            "<item><title>Entry {i}</title><link>https://big.example/{i}</link><guid>https://big.example/{i}</guid><pubDate>Fri, 01 Mar 2024 10:00:00 GMT</pubDate><description>&lt;p&gt;{}&lt;/p&gt;</description></item>\n",
            words.repeat(20)
        ));
        i += 1;
    }
    feed.push_str("</channel></rss>");
    let big = dir.path().join("big.xml");
    std::fs::write(&big, &feed).unwrap();
    let small = fixture("feeds/rss-2.01.xml");
    let quiet = ["fetch", "-q", "-o", "/dev/null"].map(std::ffi::OsStr::new);
    let (Some(base), Some(peak)) = (
        peak_kib(&[&quiet[..], &[small.as_os_str()]].concat()),
        peak_kib(&[&quiet[..], &[big.as_os_str()]].concat()),
    ) else {
        return;
    };
    let body = feed.len() as f64 / 1024.0;
    let ratio = (peak.saturating_sub(base)) as f64 / body;
    println!("a {body:.0} KiB feed: peak {peak} KiB, {ratio:.2}× its size over {base} KiB");
    assert!(
        ratio < 3.5,
        "a {body:.0} KiB feed took {peak} KiB ({ratio:.2}× over {base} KiB)"
    );
}
