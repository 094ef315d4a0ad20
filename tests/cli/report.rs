//! `earful report`: escaping, numbers equal to `earful stats`, Markdown, and the page in a
//! real headless Chromium.

use std::collections::BTreeMap;

use crate::common::{earful, fixture, json_lines};

fn report(args: &[&str]) -> String {
    let out = earful()
        .arg("report")
        .args(args)
        .arg(fixture("records/report.jsonl"))
        .output()
        .unwrap();
    // The fixture has one malformed line: reported, skipped, exit 1.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("report.jsonl:9"));
    String::from_utf8(out.stdout).unwrap()
}

/// `(attribute value) of every `name="..."` in `html`.
fn attrs<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let re = regex::Regex::new(&format!(r#"\s{name}="([^"]*)""#)).unwrap();
    re.captures_iter(html)
        .map(|c| c.get(1).unwrap().as_str())
        .collect()
}

#[test]
fn hostile_mentions_render_as_text() {
    let html = report(&["--brand-handle", "@NimbusHelp"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("script-src &#39;none&#39;"),
        "CSP forbids scripts"
    );
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "no script element");
    assert!(!lower.contains("<img"), "no img element");
    assert!(!lower.contains("<b>evil"), "no markup from a handle");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    let hrefs = attrs(&html, "href");
    assert!(!hrefs.is_empty());
    for href in hrefs {
        assert!(
            href.starts_with("https://") || href.starts_with("http://"),
            "{href}"
        );
    }
    assert!(
        !lower.contains("javascript:"),
        "the javascript: link is dropped, not shown"
    );
}

#[test]
fn a_question_the_brand_answered_is_not_listed() {
    let html = report(&["--brand-handle", "@NimbusHelp"]);
    let section = html.split("id=\"needs-an-answer\"").nth(1).unwrap();
    let section = section.split("</section>").next().unwrap();
    assert!(
        !section.contains("outage in Lyon"),
        "x:1 was answered by NimbusHelp"
    );
    assert!(section.contains("roaming cost"));
    // Urgent and churn risk first.
    let churn = section.find("charged me twice").unwrap();
    assert!(churn < section.find("roaming cost").unwrap());
    // Without --brand-handle it is listed.
    let all = report(&[]);
    assert!(
        all.split("id=\"needs-an-answer\"")
            .nth(1)
            .unwrap()
            .contains("outage in Lyon")
    );
}

fn stats_rows(args: &[&str]) -> Vec<serde_json::Value> {
    let out = earful()
        .arg("stats")
        .args(args)
        .arg(fixture("records/report.jsonl"))
        .output()
        .unwrap();
    json_lines(&out.stdout)
}

#[test]
fn chart_values_equal_earful_stats() {
    let html = report(&[]);
    let section = |id: &str| {
        let s = html.split(&format!("id=\"{id}\"")).nth(1).unwrap();
        s.split("</section>").next().unwrap().to_owned()
    };
    // The span is over 72 hours: days.
    let volume = section("volume");
    let periods = attrs(&volume, "data-period");
    let rows = stats_rows(&["--by", "day"]);
    assert_eq!(periods.len(), rows.len());
    let group =
        regex::Regex::new(r#"<g data-period="([^"]+)" data-value="(\d+)">(.*?)</g>"#).unwrap();
    let rect = regex::Regex::new(r#"data-sentiment="(\w+)" data-value="(\d+)""#).unwrap();
    for (caps, row) in group.captures_iter(&volume).zip(&rows) {
        assert_eq!(caps[1], *row["period"].as_str().unwrap());
        assert_eq!(
            caps[2].parse::<u64>().unwrap(),
            row["count"].as_u64().unwrap()
        );
        for r in rect.captures_iter(&caps[3]) {
            assert_eq!(
                r[2].parse::<u64>().unwrap(),
                row[&r[1]].as_u64().unwrap(),
                "{}",
                &r[1]
            );
        }
    }
    // Share of voice: each match's bar is the sum of its stats rows.
    let mut by_match: BTreeMap<String, u64> = BTreeMap::new();
    for row in stats_rows(&["--by", "day", "--group", "match"]) {
        if let Some(m) = row["group"]["match"].as_str() {
            *by_match.entry(m.to_owned()).or_default() += row["count"].as_u64().unwrap();
        }
    }
    let sov = html.split("id=\"share-of-voice\"").nth(1).unwrap();
    let sov = sov.split("</svg>").next().unwrap();
    let bar = regex::Regex::new(r#"data-name="([^"]+)" data-value="(\d+)""#).unwrap();
    let bars: BTreeMap<String, u64> = bar
        .captures_iter(sov)
        .map(|c| (c[1].to_owned(), c[2].parse().unwrap()))
        .collect();
    assert_eq!(bars, by_match);
    assert_eq!(bars["nimbus"], 5);
    // The trends: each point is stats' share of voice (by match) or count (by label) of its
    // day, every day and group of stats drawn.
    let series =
        regex::Regex::new(r#"(?s)<g class="line\d" data-name="([^"]+)">(.*?)</g>"#).unwrap();
    let point = regex::Regex::new(r#"data-period="([^"]+)" data-value="([^"]+)""#).unwrap();
    for (id, group, value) in [
        ("share-of-voice", "match", "share"),
        ("topics", "label", "count"),
    ] {
        let mut drawn = BTreeMap::new();
        for s in series.captures_iter(&section(id)) {
            for p in point.captures_iter(&s[2]) {
                drawn.insert(
                    (s[1].to_owned(), p[1].to_owned()),
                    p[2].parse::<f64>().unwrap(),
                );
            }
        }
        let mut expected = BTreeMap::new();
        for row in stats_rows(&["--by", "day", "--group", group]) {
            if let Some(g) = row["group"][group].as_str() {
                let v = row[value].as_f64().unwrap_or(0.0);
                expected.insert(
                    (g.to_owned(), row["period"].as_str().unwrap().to_owned()),
                    v,
                );
            }
        }
        assert!(!drawn.is_empty(), "{id}: no trend drawn");
        assert_eq!(drawn, expected, "{id}");
    }
}

#[test]
fn markdown_has_every_section_and_escapes() {
    let md = report(&["--format", "md", "--title", "Nimbus *weekly*"]);
    assert!(md.starts_with("# Nimbus \\*weekly\\*\n"));
    for heading in [
        "## Headline numbers",
        "## Volume per day by sentiment",
        "## Share of voice",
        "## What people talk about",
        "## Needs an answer",
        "## Top authors",
        "## Language mix",
        "## Method",
    ] {
        assert!(md.contains(heading), "{heading}");
    }
    assert!(md.contains("\\<script\\>"));
    assert!(!md.contains("javascript:"));
    assert!(md.contains("| nimbus | 5 |"));
    // A question's age runs to the latest mention (x:8, 2026-03-05T18:00Z).
    assert!(
        md.contains(
            "Nimbus charged me twice, cancelling — \\<b\\>evil\\</b\\>, 50 followers, 3 d old"
        ),
        "{md}"
    );
}

/// The Markdown report as a CommonMark reader sees it (markdown-it-py, CommonMark with
/// tables): every section a heading, the tables tables, hostile text still text, and links
/// only to http(s).
#[test]
fn markdown_renders_as_commonmark() {
    let md = report(&["--format", "md"]);
    let script = r#"
import sys
from markdown_it import MarkdownIt
sys.stdout.write(MarkdownIt("commonmark").enable("table").render(sys.stdin.read()))
"#;
    let run = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = run else {
        eprintln!("SKIP: python3 is missing; the Markdown report is not rendered");
        return;
    };
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(md.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    if !out.status.success() {
        eprintln!(
            "SKIP: markdown-it-py is missing (pip install markdown-it-py): {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
        return;
    }
    let html = String::from_utf8(out.stdout).unwrap();
    assert_eq!(html.matches("<h1>").count(), 1, "{html}");
    for heading in [
        "Headline numbers",
        "Share of voice",
        "Needs an answer",
        "Method",
    ] {
        assert!(
            html.contains(&format!("<h2>{heading}")),
            "{heading} is not a heading: {html}"
        );
    }
    assert!(html.matches("<table>").count() >= 4, "{html}");
    assert!(html.contains("<td>nimbus</td>"), "{html}");
    assert!(
        !html.contains("<script") && !html.contains("<b>evil"),
        "{html}"
    );
    for href in attrs(&html, "href") {
        assert!(
            href.starts_with("https://") || href.starts_with("http://"),
            "{href}"
        );
    }
}

#[test]
fn format_comes_from_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("r.md");
    earful()
        .arg("report")
        .arg("-o")
        .arg(&md)
        .arg(fixture("records/stats.jsonl"))
        .assert()
        .code(1);
    assert!(
        std::fs::read_to_string(&md)
            .unwrap()
            .starts_with("# Voice of the customer")
    );
    earful()
        .args(["report", "-o"])
        .arg(dir.path().join("r.txt"))
        .arg(fixture("records/stats.jsonl"))
        .assert()
        .code(2);
}

fn chromium() -> Option<std::path::PathBuf> {
    for name in ["chromium", "chromium-browser"] {
        if let Ok(out) = std::process::Command::new("which").arg(name).output()
            && out.status.success()
        {
            return Some(String::from_utf8_lossy(&out.stdout).trim().into());
        }
    }
    eprintln!("SKIP: chromium is not installed (apt-get install -y chromium); .ci/run installs it");
    None
}

/// The page in Debian's headless Chromium, driven over the DevTools pipe by
/// `tests/browser/check_page.py` (Python's standard library only): loaded from a file with no
/// console error or failed load; at 1280×2000 and 390×844 the document's scroll width is at
/// most the viewport's (no horizontal overflow) and the screenshot is far larger than one of
/// an empty page of the same size (not blank).
#[test]
fn the_page_loads_in_chromium_at_desktop_and_phone_width() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    earful()
        .args(["report", "--brand-handle", "@NimbusHelp", "-o"])
        .arg(&page)
        .arg(fixture("records/report.jsonl"))
        .assert()
        .code(1);
    let out = std::process::Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/browser/check_page.py"
        ))
        .arg(&chromium)
        .arg(&page)
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(result["errors"], serde_json::json!([]), "console errors");
    for width in ["1280", "390"] {
        let w = &result["widths"][width];
        let scroll = w["scroll_width"].as_u64().unwrap();
        assert!(
            scroll <= w["viewport"].as_u64().unwrap(),
            "{width}: overflows: {w}"
        );
        assert!(w["text"].as_u64().unwrap() > 500, "{width}: {w}");
        let (png, blank) = (
            w["png_bytes"].as_u64().unwrap(),
            w["blank_png_bytes"].as_u64().unwrap(),
        );
        assert!(png > blank * 4, "{width}: screenshot looks blank: {w}");
    }
}

#[test]
fn period_compares_with_the_period_before() {
    let now = jiff::Timestamp::now().as_second();
    let line = |id: u32, days_ago: i64| {
        let t = jiff::Timestamp::from_second(now - days_ago * 86_400 - 60).unwrap();
        format!(
            r#"{{"id":"x:{id}","published":"{t}","text":"hello","sentiment":{{"score":0.5,"label":"positive"}}}}"#
        )
    };
    // In the last 7 days: 3; in the 7 before: 2; older: 1.
    let input = [
        line(1, 0),
        line(2, 1),
        line(3, 6),
        line(4, 8),
        line(5, 13),
        line(6, 30),
    ]
    .join("\n");
    let md = earful()
        .args(["report", "--period", "7d", "--format", "md"])
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let md = String::from_utf8(md).unwrap();
    assert!(md.contains("| Mentions | 3 |"), "{md}");
    assert!(
        md.contains("| Change vs previous period | +50.0% |"),
        "{md}"
    );
    assert!(
        md.contains("1 outside the period, 2 in the previous period"),
        "{md}"
    );
    earful()
        .args(["report", "--period", "soon"])
        .write_stdin("")
        .assert()
        .code(2);
    earful()
        .args(["report", "--until", "2026-03-01"])
        .write_stdin("")
        .assert()
        .code(2);
}

#[test]
fn until_ends_the_period_and_an_empty_period_is_warned_about() {
    let fixture = fixture("records/report.jsonl");
    let md = |args: &[&str]| {
        earful()
            .args(["report", "--format", "md"])
            .args(args)
            .arg(&fixture)
            .output()
            .unwrap()
    };
    // The fixture spans 2 to 5 March 2026 (and has a malformed line: exit 1); stats counts
    // the two days before 5 March the same way.
    let out = md(&["--period", "2d", "--until", "2026-03-05"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let week: u64 = stats_rows(&["--by", "day"])
        .iter()
        .filter(|r| ("2026-03-03".."2026-03-05").contains(&&r["period"].as_str().unwrap()[..10]))
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert!(week > 0);
    assert!(text.contains(&format!("| Mentions | {week} |")), "{text}");
    // Up to now, nothing: a warning names the latest date.
    let out = md(&["--period", "7d"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("no mention in --period") && err.contains("2026-03-"),
        "{err}"
    );
}
