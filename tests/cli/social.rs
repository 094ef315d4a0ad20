//! `fetch` on social exports: every format from its fixture in `tests/fixtures/social/`,
//! checked field by field.

use std::io::Write;

use serde_json::Value;

use crate::common::{earful, fixture, json_lines, peak_kib};

/// Runs `earful fetch ARGS...` and returns (exit code, mentions, stderr).
fn fetch(args: &[&str]) -> (i32, Vec<Value>, String) {
    let out = earful().arg("fetch").args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (
        out.status.code().unwrap_or(-1),
        json_lines(&out.stdout),
        stderr,
    )
}

fn social(rel: &str) -> String {
    fixture(&format!("social/{rel}")).display().to_string()
}

fn by_id<'a>(lines: &'a [Value], id: &str) -> &'a Value {
    lines
        .iter()
        .find(|l| l["id"] == id)
        .unwrap_or_else(|| panic!("no mention {id} in {lines:#?}"))
}

#[test]
fn x_archive_folder() {
    let (code, lines, stderr) = fetch(&[&social("x-archive")]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(lines.len(), 4);
    let reply = by_id(&lines, "x:1700000000000000001");
    assert_eq!(reply["kind"], "reply");
    assert_eq!(reply["in_reply_to"], "x:1699999999999999999");
    assert_eq!(
        reply["text"],
        "@kim_k sorry, your order ships Monday & we'll refund the fee #support"
    );
    assert_eq!(reply["published"], "2023-09-08T09:15:00Z");
    assert_eq!(reply["author"]["handle"], "AcmeHelp");
    assert_eq!(reply["author"]["name"], "Acme Help");
    // Counts given as strings become numbers.
    assert_eq!(reply["metrics"]["likes"], 3);
    assert_eq!(reply["tags"][0], "support");
    assert_eq!(reply["mentions"][0], "kim_k");
    assert_eq!(
        reply["url"],
        "https://x.com/AcmeHelp/status/1700000000000000001"
    );
    assert_eq!(reply["source"]["type"], "x-archive");
    // The archive's generation date is when the metrics were taken.
    assert_eq!(reply["collected"], "2024-03-10T12:00:00Z");

    let rt = by_id(&lines, "x:1700000000000000002");
    assert_eq!(rt["kind"], "repost");
    assert_eq!(
        rt["text"],
        "RT @acme: Our new app is live! Get it https://acme.example/app"
    );
    assert_eq!(rt["links"][0], "https://acme.example/app");
    assert_eq!(rt["metrics"]["reposts"], 12);

    // No created_at: the date comes from the Snowflake id.
    let undated = by_id(&lines, "x:1700000000000000003");
    assert_eq!(undated["published"], "2023-09-08T04:15:59Z");

    // The part file listed in the manifest, with its full text from note-tweet.js.
    let long = by_id(&lines, "x:1700000000000000004");
    assert!(
        long["text"]
            .as_str()
            .unwrap()
            .ends_with("credits are on the way."),
        "{long}"
    );
}

#[test]
fn x_archive_single_part_file_finds_the_owner_next_to_it() {
    let (code, lines, _) = fetch(&[&social("x-archive/data/tweets.js")]);
    assert_eq!(code, 0);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["author"]["handle"], "AcmeHelp");
}

#[test]
fn x_archive_zip() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("twitter-2024-03-10-abc.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for file in [
        "manifest.js",
        "account.js",
        "tweets.js",
        "tweets-part1.js",
        "note-tweet.js",
    ] {
        zip.start_file(format!("data/{file}"), opts).unwrap();
        zip.write_all(&std::fs::read(fixture(&format!("social/x-archive/data/{file}"))).unwrap())
            .unwrap();
    }
    zip.start_file("Your archive.html", opts).unwrap();
    zip.write_all(b"<html></html>").unwrap();
    zip.finish().unwrap();
    let (code, lines, stderr) = fetch(&[zip_path.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(lines.len(), 4);
    assert_eq!(
        by_id(&lines, "x:1700000000000000001")["author"]["handle"],
        "AcmeHelp"
    );
}

#[test]
fn bundled_example_archive() {
    let (code, lines, stderr) = fetch(&["examples/x-archive"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(lines.len(), 14);
    assert!(lines.iter().all(|l| l["author"]["handle"] == "NimbusHelp"));
    assert_eq!(lines.iter().filter(|l| l["kind"] == "repost").count(), 1);
    assert!(
        lines
            .iter()
            .all(|l| l["text"].as_str().is_some_and(|t| !t.contains("&amp;")))
    );
}

#[test]
fn grailbird_archive() {
    let (code, lines, _) = fetch(&[&social("grailbird")]);
    assert_eq!(code, 0);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["id"], "x:290000000000000001");
    assert_eq!(lines[0]["published"], "2013-01-12T09:30:00Z");
    assert_eq!(lines[0]["text"], "Old-style archive post <3 acme");
    assert_eq!(lines[0]["author"]["handle"], "pat_old");
}

#[test]
fn twarc_v1() {
    let path = social("twarc.jsonl");
    let (code, lines, stderr) = fetch(&[&path]);
    // One line is not JSON: reported with its line number, skipped, exit 1.
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!("earful fetch: {path}:5: invalid JSON")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{path}:2: `limit` message skipped")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{path}:4: `warning` message skipped")),
        "{stderr}"
    );
    assert_eq!(lines.len(), 3);

    let rt = by_id(&lines, "x:1050118621198921728");
    assert_eq!(rt["kind"], "repost");
    // The full text of the retweet, its t.co link expanded.
    assert_eq!(
        rt["text"],
        "RT @acme: Our new app is live! Tell us what you think about the redesign, the good and the bad. https://acme.example/app"
    );
    assert_eq!(rt["author"]["handle"], "jdoe");
    assert_eq!(rt["author"]["followers"], 120);
    assert_eq!(rt["published"], "2018-10-10T20:19:24Z");

    // Only a numeric id above 2^53: read without loss.
    let reply = by_id(&lines, "x:1050128968135536641");
    assert_eq!(reply["kind"], "reply");
    assert_eq!(reply["in_reply_to"], "x:1050098621198921000");
    assert!(
        reply["text"]
            .as_str()
            .unwrap()
            .contains("payment step. #fail https://imgs.example/crash.png")
    );
    assert_eq!(reply["author"]["followers"], 45);
    assert_eq!(reply["tags"][0], "fail");

    let quote = by_id(&lines, "x:1050144067436384256");
    assert_eq!(quote["kind"], "quote");
    assert_eq!(
        quote["links"][0],
        "https://twitter.com/acme/status/1050098621198921000"
    );
}

#[test]
fn strict_stops_at_the_first_bad_record() {
    let path = social("twarc.jsonl");
    let (code, lines, stderr) = fetch(&["--strict", &path]);
    assert_eq!(code, 1);
    assert_eq!(lines.len(), 2);
    assert!(
        stderr.contains(&format!("{path}:5: invalid JSON")),
        "{stderr}"
    );
}

#[test]
fn twarc2_pages() {
    let path = social("twarc2-pages.jsonl");
    let (code, lines, stderr) = fetch(&[&path]);
    assert_eq!(code, 1, "the truncated last line fails the run");
    assert!(
        stderr.contains(&format!("{path}:4: truncated last line")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{path}:2: API error message skipped: operational-disconnect"
        )),
        "{stderr}"
    );
    assert_eq!(lines.len(), 3);

    let rt = by_id(&lines, "x:1394735776701816833");
    assert_eq!(rt["kind"], "repost");
    assert_eq!(
        rt["text"],
        "RT @acme: Loving the new app so far, but checkout keeps crashing on Android 12. Anyone else?"
    );
    assert_eq!(rt["author"]["handle"], "jdoe");
    assert_eq!(rt["author"]["followers"], 10);
    assert_eq!(rt["matches"], serde_json::json!(["acme"]));
    assert_eq!(rt["collected"], "2021-05-18T19:35:00Z");

    let reply = by_id(&lines, "x:1394735776701816999");
    assert_eq!(reply["kind"], "reply");
    assert_eq!(reply["in_reply_to"], "x:1391677057810288641");
    assert_eq!(
        reply["text"],
        "@acme same here & the refund never came https://acme.example/refunds"
    );
    assert_eq!(
        reply["metrics"],
        serde_json::json!({"likes":7,"reposts":0,"replies":2,"quotes":1,"views":300})
    );
    assert_eq!(reply["tags"][0], "refunds");

    // A stream line: `data` is one object; the long text is in note_tweet.
    let long = by_id(&lines, "x:1394735776701817000");
    assert!(
        long["text"]
            .as_str()
            .unwrap()
            .ends_with("fixed my line in ten minutes.")
    );
    assert_eq!(long["matches"], serde_json::json!(["acme support"]));
}

#[test]
fn twarc2_flattened() {
    let (code, lines, _) = fetch(&[&social("twarc2-flat.jsonl")]);
    assert_eq!(code, 0);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["kind"], "repost");
    assert!(lines[0]["text"].as_str().unwrap().ends_with("Anyone else?"));
    assert_eq!(lines[0]["author"]["handle"], "jdoe");
    assert_eq!(lines[1]["kind"], "quote");
    assert_eq!(
        lines[1]["links"][0],
        "https://x.com/acme/status/1391677057810288641"
    );
    assert_eq!(lines[1]["source"]["type"], "twarc2");
}

#[test]
fn snscrape_all_versions_and_item_types() {
    let path = social("snscrape.jsonl");
    let (code, lines, stderr) = fetch(&[&path]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("`twitter.User` item is not a post"),
        "{stderr}"
    );
    assert_eq!(lines.len(), 5);

    let new = by_id(&lines, "x:1614695471923216384");
    assert_eq!(new["kind"], "reply");
    assert_eq!(new["in_reply_to"], "x:1614695000000000000");
    assert_eq!(new["published"], "2023-01-15T18:32:10Z");
    assert_eq!(new["metrics"]["views"], 310);
    assert_eq!(new["author"]["name"], "J Doe");

    // Before 0.5: `content`, `outlinks`/`tcooutlinks`.
    let old = by_id(&lines, "x:1400000000000000000");
    assert_eq!(
        old["text"],
        "acme's app ate my boarding pass https://acme.example/pass #travel"
    );
    assert_eq!(old["tags"][0], "travel");

    let rt = by_id(&lines, "x:1614695471923216999");
    assert_eq!(rt["kind"], "repost");
    assert_eq!(
        rt["text"],
        "RT @acme: We are back online. Sorry for the trouble, everyone."
    );

    let toot = by_id(&lines, "mastodon:111");
    assert_eq!(toot["platform"], "mastodon");
    assert_eq!(toot["text"], "Anyone else seeing #acme sync failures?");
    assert_eq!(toot["author"]["handle"], "kim@social.example");

    let reddit = by_id(&lines, "reddit:t3_1abcde");
    assert_eq!(reddit["title"], "Dropped calls every evening");
    assert_eq!(reddit["author"]["handle"], "night_owl");
}

#[test]
fn mastodon_archive_folder_and_outbox() {
    for path in [
        social("mastodon-archive"),
        social("mastodon-archive/outbox.json"),
    ] {
        let (code, lines, stderr) = fetch(&[&path]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(lines.len(), 3, "{path}");
        let post = by_id(&lines, "mastodon:111");
        assert_eq!(post["kind"], "post");
        assert_eq!(
            post["text"],
            "Anyone else seeing #acme sync failures? Details: status page & more"
        );
        assert_eq!(post["tags"], serde_json::json!(["acme"]));
        assert_eq!(
            post["links"],
            serde_json::json!(["https://status.acme.example/"])
        );
        assert_eq!(post["lang"], "en");
        assert_eq!(post["author"]["handle"], "kim@social.example");
        assert_eq!(post["source"]["type"], "mastodon");
        let boost = by_id(&lines, "mastodon:112");
        assert_eq!(boost["kind"], "repost");
        assert_eq!(boost["url"], "https://other.example/users/lee/statuses/999");
        let reply = by_id(&lines, "mastodon:113");
        assert_eq!(reply["kind"], "reply");
        assert_eq!(reply["title"], "acme rant");
        assert_eq!(reply["mentions"], serde_json::json!(["lee@other.example"]));
    }
}

#[test]
fn bluesky_post_views() {
    let (code, lines, _) = fetch(&[&social("bluesky.jsonl")]);
    assert_eq!(code, 0);
    assert_eq!(lines.len(), 2);
    let post = by_id(&lines, "bluesky:did:plc:abc123/3kxyzabc2k2a");
    assert_eq!(
        post["url"],
        "https://bsky.app/profile/kim.bsky.social/post/3kxyzabc2k2a"
    );
    assert_eq!(
        post["metrics"],
        serde_json::json!({"likes":9,"reposts":0,"replies":2,"quotes":1})
    );
    assert_eq!(post["tags"], serde_json::json!(["pricing"]));
    let reply = by_id(&lines, "bluesky:did:plc:def456/3kxyzdef");
    assert_eq!(reply["kind"], "reply");
    assert_eq!(reply["in_reply_to"], "bluesky:did:plc:abc123/3kxyzabc2k2a");
    // An absurd createdAt (1970) gives way to indexedAt.
    assert_eq!(reply["published"], "2024-03-01T11:00:00Z");
    assert_eq!(reply["links"][0], "https://acme.example/pricing");
}

#[test]
fn bluesky_feed_response_pretty_printed() {
    let (code, lines, _) = fetch(&[&social("bluesky-feed.json")]);
    assert_eq!(code, 0);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["kind"], "repost");
    assert_eq!(lines[0]["author"]["handle"], "sam.bsky.social");
    assert_eq!(lines[0]["published"], "2024-03-02T09:00:00Z");
}

#[test]
fn twarc_csv_and_twitwi_csv() {
    let (code, lines, _) = fetch(&[&social("twarc-csv.csv")]);
    assert_eq!(code, 0);
    assert_eq!(lines.len(), 2);
    let reply = by_id(&lines, "x:1394735776701816999");
    assert_eq!(reply["kind"], "reply");
    assert_eq!(reply["text"], "@acme same here, the refund never came");
    assert_eq!(reply["author"]["handle"], "kim");
    assert_eq!(reply["author"]["followers"], 99);
    assert_eq!(reply["metrics"]["likes"], 7);
    assert_eq!(reply["collected"], "2021-05-18T19:35:00Z");
    assert_eq!(by_id(&lines, "x:1394735776701816833")["kind"], "repost");

    let (code, lines, _) = fetch(&[&social("twitwi.csv")]);
    assert_eq!(code, 0);
    let t = &lines[0];
    assert_eq!(t["id"], "x:1614695471923216384");
    // timestamp_utc is epoch seconds.
    assert_eq!(t["published"], "2023-01-15T18:32:10Z");
    assert_eq!(t["tags"], serde_json::json!(["fail", "acme"]));
    assert_eq!(t["links"], serde_json::json!(["https://acme.example/help"]));
    assert_eq!(t["in_reply_to"], "x:1614695000000000000");
    assert_eq!(t["author"]["handle"], "jdoe");
}

#[test]
fn csv_with_map_and_date_format() {
    let path = social("reviews.csv");
    let (code, lines, stderr) = fetch(&[
        "--map",
        "text=Body",
        "--map",
        "published=Posted",
        "--map",
        "author.name=Who",
        "--map",
        "id=Ref",
        "--date-format",
        "%d/%m/%Y %H:%M",
        &path,
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], "web:r-1");
    assert_eq!(lines[0]["text"], "The acme app is great & fast");
    assert_eq!(lines[0]["published"], "2015-02-24T11:35:00Z");
    assert_eq!(lines[0]["author"]["name"], "Dana Reyes");
    assert_eq!(lines[0]["Stars"], "5", "unmapped columns pass through");
    assert!(lines[2].get("published").is_none());
    assert!(
        stderr.contains(&format!("{path}:4: a date could not be read")),
        "{stderr}"
    );
}

#[test]
fn bad_map_is_a_usage_error() {
    let (code, _, stderr) = fetch(&["--map", "colour=Body", &social("reviews.csv")]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown field `colour`"), "{stderr}");
    let (code, _, stderr) = fetch(&["--map", "text=Nope", &social("reviews.csv")]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("--map text=Nope: no such column"),
        "{stderr}"
    );
}

#[test]
fn generic_json_with_dotted_paths() {
    let (code, lines, stderr) = fetch(&[
        "--map",
        "text=body.content",
        "--map",
        "published=meta.when",
        "--map",
        "author.name=meta.who",
        "--map",
        "id=review_id",
        &social("generic.json"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "web:a1");
    assert_eq!(lines[0]["text"], "Acme support solved it in minutes");
    assert_eq!(lines[0]["published"], "2024-03-01T10:00:00Z");
    assert_eq!(lines[0]["rating"], 5);
    assert_eq!(lines[0]["source"]["type"], "json");
}

#[test]
fn format_flag_overrides_detection() {
    // Read as generic JSON, a twarc file keeps its own fields but maps `text` and `id`.
    let (_, lines, _) = fetch(&["--format", "json", &social("twarc2-flat.jsonl")]);
    assert_eq!(lines[0]["source"]["type"], "json");
    let (code, _, stderr) = fetch(&["--format", "nope", &social("twarc.jsonl")]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown format `nope`"), "{stderr}");
}

#[test]
fn utf16_and_bom_redirections() {
    // twarc#508: `twarc2 search ... > out.jsonl` in Windows PowerShell writes UTF-16LE.
    let text = std::fs::read_to_string(fixture("social/twarc2-flat.jsonl")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let utf16 = dir.path().join("utf16.jsonl");
    let mut bytes = vec![0xff, 0xfe];
    for unit in text.replace('\n', "\r\n").encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    std::fs::write(&utf16, bytes).unwrap();
    let bom = dir.path().join("bom.jsonl");
    std::fs::write(&bom, format!("\u{feff}{text}")).unwrap();
    for path in [utf16, bom] {
        let (code, lines, stderr) = fetch(&[path.to_str().unwrap()]);
        assert_eq!(code, 0, "{}: {stderr}", path.display());
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["id"], "x:1394735776701816833");
    }
}

#[test]
fn stdin_is_detected_too() {
    let data = std::fs::read(fixture("social/snscrape.jsonl")).unwrap();
    let out = earful()
        .args(["fetch", "-"])
        .write_stdin(data)
        .assert()
        .success();
    let lines = json_lines(&out.get_output().stdout);
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["source"]["uri"], "-");
}

#[test]
fn unknown_format_is_named() {
    let path = social("unknown.txt");
    let (code, lines, stderr) = fetch(&[&path]);
    assert_eq!(code, 1);
    assert!(lines.is_empty());
    assert!(
        stderr.contains(&format!("earful fetch: {path}: unknown format")),
        "{stderr}"
    );
    assert!(stderr.contains("--format"), "{stderr}");
}

#[test]
fn closed_pipe_ends_quietly() {
    // A CSV export far larger than a pipe buffer, so fetch is still writing when the pipe closes.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("tweets.csv");
    let mut rows = String::from("tweet_id,name,text,tweet_created\n");
    for i in 0..20_000u64 {
        rows.push_str(&format!(
            "{},user{i},@acme row {i} of a long export,2015-02-24 11:35:52 -0800\n",
            570_306_133_677_760_513u64 + i
        ));
    }
    std::fs::write(&csv, rows).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("earful"))
        .args(["fetch", &social("twarc2-flat.jsonl"), csv.to_str().unwrap()])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line and close the pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut byte = [0u8; 1];
    while std::io::Read::read(&mut stdout, &mut byte).unwrap() == 1 && byte[0] != b'\n' {}
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn airline_tweets_csv_out_of_the_box() {
    let Some(path) = crate::common::shared("data/airline-tweets/Tweets.csv") else {
        return;
    };
    let (code, lines, stderr) = fetch(&[path.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    // 14,640 rows, 155 of them a second copy of a tweet (same id, same text): an id is
    // delivered once per run, whatever the source, and the summary says so.
    assert_eq!(
        stderr,
        "earful fetch: 1 source: 1 ok, 0 not modified, 0 failed; 14485 new mentions, \
         155 already delivered\n"
    );
    assert_eq!(lines.len(), 14_485);
    let first = &lines[0];
    assert_eq!(first["id"], "x:570306133677760513");
    assert_eq!(first["platform"], "x");
    assert_eq!(first["text"], "@VirginAmerica What @dhepburn said.");
    assert_eq!(first["author"]["handle"], "cairdin");
    assert_eq!(first["published"], "2015-02-24T19:35:52Z");
    assert_eq!(
        first["mentions"],
        serde_json::json!(["VirginAmerica", "dhepburn"])
    );
    assert_eq!(first["airline_sentiment"], "neutral");
    assert_eq!(first["airline"], "Virgin America");
    assert_eq!(first["source"]["type"], "csv");
    // Every row has an id, a text and a date; entities are decoded.
    for l in &lines {
        assert!(l["id"].as_str().unwrap().starts_with("x:5"), "{l}");
        assert!(
            l["published"].as_str().unwrap().starts_with("2015-02-"),
            "{l}"
        );
        assert!(!l["text"].as_str().unwrap().contains("&amp;"), "{l}");
    }
}

#[test]
fn airline_tweets_through_export() {
    let Some(path) = crate::common::shared("data/airline-tweets/Tweets.csv") else {
        return;
    };
    let fetched = earful().arg("fetch").arg(&path).output().unwrap();
    assert!(fetched.status.success());
    let out = earful()
        .args(["export", "--format", "csv"])
        .write_stdin(fetched.stdout)
        .assert()
        .success();
    let csv = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.records().count(), 14_485);
    assert!(
        csv.contains("x:570306133677760513,x,post,2015-02-24T19:35:52Z"),
        "{}",
        &csv[..500]
    );
}

/// Writes `files` (relative path, source fixture) into a stored zip file.
fn write_zip(path: &std::path::Path, files: &[(&str, std::path::PathBuf)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, src) in files {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(&std::fs::read(src).unwrap()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn mastodon_archive_zip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join("archive-20240301100000-0123456789abcdef0123456789abcdef.zip");
    write_zip(
        &path,
        &[
            ("actor.json", fixture("social/mastodon-archive/actor.json")),
            (
                "outbox.json",
                fixture("social/mastodon-archive/outbox.json"),
            ),
        ],
    );
    let (code, lines, stderr) = fetch(&[path.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(lines.len(), 3);
    assert_eq!(by_id(&lines, "mastodon:112")["kind"], "repost");
    assert_eq!(by_id(&lines, "mastodon:111")["author"]["name"], "Kim");
}

#[test]
fn zip_on_stdin_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.zip");
    write_zip(
        &path,
        &[(
            "outbox.json",
            fixture("social/mastodon-archive/outbox.json"),
        )],
    );
    let out = earful()
        .args(["fetch", "--format", "mastodon", "-"])
        .write_stdin(std::fs::read(&path).unwrap())
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("cannot be read from stdin"), "{stderr}");
}

#[test]
fn json_array_instead_of_jsonl() {
    let text = std::fs::read_to_string(fixture("social/bluesky.jsonl")).unwrap();
    let array = format!("[\n{}\n]\n", text.trim_end().replace('\n', ",\n"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("posts.json");
    std::fs::write(&path, array).unwrap();
    let (code, lines, stderr) = fetch(&[path.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["kind"], "reply");
    assert_eq!(lines[0]["source"]["type"], "bluesky");
}

/// Issue 14 item 1: the file names in `data/manifest.js` stay inside the archive folder.
#[test]
fn x_archive_folder_confines_manifest_paths() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("secret.js");
    std::fs::write(
        &outside,
        r#"window.YTD.tweets.part0 = [{"tweet":{"id_str":"1","full_text":"SECRET","created_at":"Fri Sep 08 09:15:00 +0000 2023"}}]"#,
    )
    .unwrap();
    let archive = dir.path().join("archive");
    let data = archive.join("data");
    std::fs::create_dir_all(&data).unwrap();
    for file in ["account.js", "tweets.js"] {
        std::fs::copy(
            fixture(&format!("social/x-archive/data/{file}")),
            data.join(file),
        )
        .unwrap();
    }
    std::os::unix::fs::symlink(&outside, data.join("linked.js")).unwrap();
    std::os::unix::fs::symlink(&outside, data.join("note-tweet.js")).unwrap();
    std::fs::write(
        data.join("manifest.js"),
        format!(
            r#"window.__THAR_CONFIG = {{"dataTypes":{{"tweets":{{"files":[
                {{"fileName":{:?}}}, {{"fileName":"../secret.js"}}, {{"fileName":"data/linked.js"}},
                {{"fileName":"data/tweets.js"}}]}}}}}}"#,
            outside.display()
        ),
    )
    .unwrap();
    let (code, lines, stderr) = fetch(&[archive.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(lines.iter().all(|l| !l.to_string().contains("SECRET")));
    assert!(
        stderr.contains("\"../secret.js\" is not a path inside the archive"),
        "{stderr}"
    );
    assert!(
        stderr.contains("\"data/linked.js\" leads outside the archive folder"),
        "{stderr}"
    );
    assert!(
        stderr.contains("\"data/note-tweet.js\" leads outside"),
        "{stderr}"
    );
    assert!(stderr.contains("skipped 4 "), "{stderr}");
}

/// Issue 14 item 9: an unterminated quote is reported with the line it opened on, not read
/// silently as one giant mention.
#[test]
fn csv_unterminated_quote_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("broken.csv");
    let mut rows = String::from("id,text\n1,first row\n2,\"second row never closes\n");
    for i in 3..1000 {
        rows.push_str(&format!("{i},row {i}\n"));
    }
    std::fs::write(&csv, rows).unwrap();
    let (code, lines, stderr) = fetch(&[csv.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(lines.len(), 1, "{stderr}");
    assert_eq!(lines[0]["text"], "first row");
    assert!(
        stderr.contains("broken.csv:3: a quote opened on this line is never closed; lines 3-1000"),
        "{stderr}"
    );
    assert!(stderr.contains("skipped 1 "), "{stderr}");
    let strict = earful()
        .args(["fetch", "--strict", csv.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
}

/// Issue 14 item 7: an element of a JSON array longer than --max-record-size is reported
/// with its length, counted and skipped, and never held in memory; the others are read.
#[test]
fn an_oversized_array_element_is_skipped_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reviews.json");
    let big = "x".repeat(24 << 20);
    let doc = format!(
        r#"[{{"review_id":"a1","body":{{"content":"first"}}}},
{{"review_id":"a2","body":{{"content":"{big} \" ] }} [ {{"}}}},
{{"review_id":"a3","body":{{"content":"third"}}}}]"#
    );
    std::fs::write(&path, doc).unwrap();
    let path = path.to_str().unwrap();
    let args = [
        "--max-record-size",
        "1MiB",
        "--map",
        "text=body.content",
        "--map",
        "id=review_id",
        path,
    ];
    let (code, lines, stderr) = fetch(&args);
    assert_eq!(code, 1, "{stderr}");
    let ids: Vec<_> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["web:a1", "web:a3"]);
    assert!(
        stderr.contains("reviews.json: element 2: a record of 251") // 25,165,8xx bytes
            && stderr.contains("longer than --max-record-size (1048576 bytes)")
            && stderr.contains("skipped 1 malformed record"),
        "{stderr}"
    );
    let args: Vec<&std::ffi::OsStr> = ["fetch", "-q", "-o", "/dev/null"]
        .iter()
        .chain(&args)
        .map(std::ffi::OsStr::new)
        .collect();
    let Some(peak) = peak_kib(&args) else { return };
    assert!(peak < 24 << 10, "a 24 MiB element took {peak} KiB");
}

/// Issue 14 item 7: the same limit applies to a tweet inside an X archive zip.
#[test]
fn an_oversized_tweet_in_a_zip_is_skipped() {
    let fixture_js = std::fs::read_to_string(fixture("social/x-archive/data/tweets.js")).unwrap();
    let (prefix, array) = fixture_js.split_once('=').unwrap();
    let mut tweets: Vec<Value> = serde_json::from_str(array.trim().trim_end_matches(';')).unwrap();
    let mut big = tweets[0].clone();
    big["tweet"]["id_str"] = "1799999999999999999".into();
    big["tweet"]["id"] = "1799999999999999999".into();
    big["tweet"]["full_text"] = "y".repeat(3 << 20).into();
    tweets.insert(1, big);
    let tweets_js = format!(
        "{prefix}= {}",
        serde_json::to_string_pretty(&tweets).unwrap()
    );
    let dir = tempfile::tempdir().unwrap();
    let generated = dir.path().join("tweets.js");
    std::fs::write(&generated, tweets_js).unwrap();
    let zip_path = dir.path().join("twitter-2024-03-10-abc.zip");
    let data = |f: &str| fixture(&format!("social/x-archive/data/{f}"));
    write_zip(
        &zip_path,
        &[
            ("data/manifest.js", data("manifest.js")),
            ("data/account.js", data("account.js")),
            ("data/tweets-part1.js", data("tweets-part1.js")),
            ("data/note-tweet.js", data("note-tweet.js")),
            ("data/tweets.js", generated),
        ],
    );
    let (code, lines, stderr) = fetch(&["--max-record-size", "1M", zip_path.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(lines.len(), 4, "{stderr}");
    assert!(lines.iter().all(|l| l["id"] != "x:1799999999999999999"));
    assert!(
        stderr.contains("data/tweets.js: element 2: a record of")
            && stderr.contains("longer than --max-record-size"),
        "{stderr}"
    );
}
