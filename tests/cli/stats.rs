//! `earful stats`: counts checked against an independent computation, zero-filled periods,
//! time zones, spikes with their drivers and exit 3, and shards merged into one run.

use std::collections::BTreeMap;
use std::io::Write as _;

use serde_json::{Value, json};

use crate::common::{earful, fixture, json_lines};

fn stats(args: &[&str], input: &std::path::Path) -> (Vec<Value>, String, Option<i32>) {
    let out = earful()
        .arg("stats")
        .args(args)
        .arg(input)
        .output()
        .unwrap();
    (
        json_lines(&out.stdout),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

/// The fixture's mentions as values, bad and undated lines left out.
fn fixture_mentions() -> Vec<Value> {
    std::fs::read_to_string(fixture("records/stats.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|m| m["matches"].is_array() && m["published"].is_string())
        .collect()
}

#[test]
fn counts_equal_an_independent_count() {
    // Computed here from the values, with jiff for the dates: day and match.
    #[derive(Default, Debug, PartialEq)]
    struct Expect {
        count: u64,
        negative: u64,
        neutral: u64,
        positive: u64,
        unknown: u64,
        reach: u64,
        scores: Vec<f64>,
    }
    let mut want: BTreeMap<(String, String), Expect> = BTreeMap::new();
    for m in fixture_mentions() {
        let ts: jiff::Timestamp = m["published"].as_str().unwrap().parse().unwrap();
        let day = ts.strftime("%Y-%m-%dT00:00:00Z").to_string();
        for brand in m["matches"].as_array().unwrap() {
            let e = want
                .entry((day.clone(), brand.as_str().unwrap().to_owned()))
                .or_default();
            e.count += 1;
            match m["sentiment"]["label"].as_str() {
                Some("negative") => e.negative += 1,
                Some("neutral") => e.neutral += 1,
                Some("positive") => e.positive += 1,
                _ => e.unknown += 1,
            }
            if let Some(s) = m["sentiment"]["score"].as_f64() {
                e.scores.push(s);
            }
            e.reach += m["author"]["followers"].as_u64().unwrap_or(0);
        }
    }
    let (rows, stderr, code) = stats(
        &["--by", "day", "--group", "match"],
        &fixture("records/stats.jsonl"),
    );
    assert_eq!(code, Some(1), "one bad line: {stderr}");
    assert!(stderr.contains("stats.jsonl:13:"), "{stderr}");
    assert!(
        stderr.contains("1 mention without a published time"),
        "{stderr}"
    );
    assert!(
        stderr.contains("skipped 1 malformed line of 19"),
        "{stderr}"
    );
    let mut period_totals: BTreeMap<String, u64> = BTreeMap::new();
    for ((day, _), e) in &want {
        *period_totals.entry(day.clone()).or_default() += e.count;
    }
    for row in &rows {
        let key = (
            row["period"].as_str().unwrap().to_owned(),
            row["group"]["match"].as_str().unwrap().to_owned(),
        );
        let Some(e) = want.get(&key) else {
            assert_eq!(row["count"], 0, "{row}");
            continue;
        };
        assert_eq!(row["count"], e.count, "{row}");
        assert_eq!(row["negative"], e.negative, "{row}");
        assert_eq!(row["neutral"], e.neutral, "{row}");
        assert_eq!(row["positive"], e.positive, "{row}");
        assert_eq!(row["unknown"], e.unknown, "{row}");
        assert_eq!(row["reach"], e.reach, "{row}");
        let net = (e.positive as f64 - e.negative as f64) / e.count as f64;
        assert!(
            (row["net_sentiment"].as_f64().unwrap() - net).abs() < 1e-4,
            "{row}"
        );
        let share = e.count as f64 / period_totals[&key.0] as f64;
        assert!(
            (row["share"].as_f64().unwrap() - share).abs() < 1e-4,
            "{row}"
        );
        if e.scores.is_empty() {
            assert!(row.get("mean_score").is_none(), "{row}");
        } else {
            let mean = e.scores.iter().sum::<f64>() / e.scores.len() as f64;
            assert!(
                (row["mean_score"].as_f64().unwrap() - mean).abs() < 1e-4,
                "{row}"
            );
        }
    }
    // Every (day, brand) pair counted shows up.
    let seen: Vec<(String, String)> = rows
        .iter()
        .filter(|r| r["count"] != 0)
        .map(|r| {
            (
                r["period"].as_str().unwrap().into(),
                r["group"]["match"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(seen, want.keys().cloned().collect::<Vec<_>>());
}

#[test]
fn empty_periods_are_zero_rows() {
    let (rows, _, _) = stats(&[], &fixture("records/stats.jsonl"));
    let periods: Vec<&str> = rows.iter().map(|r| r["period"].as_str().unwrap()).collect();
    assert_eq!(
        periods,
        [
            "2026-03-02T00:00:00Z",
            "2026-03-03T00:00:00Z",
            "2026-03-04T00:00:00Z",
            "2026-03-05T00:00:00Z",
            "2026-03-06T00:00:00Z"
        ]
    );
    let gap = &rows[2];
    assert_eq!(gap["count"], 0);
    assert_eq!(gap["group"], json!({}));
    assert!(
        gap.get("net_sentiment").is_none() && gap.get("share").is_none(),
        "{gap}"
    );
    // Without --group every dated mention counts once.
    let total: u64 = rows.iter().map(|r| r["count"].as_u64().unwrap()).sum();
    assert_eq!(total, fixture_mentions().len() as u64);
}

fn write_lines(lines: &[String]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    for line in lines {
        writeln!(file, "{line}").unwrap();
    }
    file
}

#[test]
fn a_time_zone_moves_a_mention_across_midnight() {
    // 23:30 UTC on 2 March is 00:30 on 3 March in Paris.
    let file = write_lines(&[json!({"id":"a","published":"2026-03-02T23:30:00Z"}).to_string()]);
    let (utc, _, _) = stats(&["--by", "day"], file.path());
    assert_eq!(utc[0]["period"], "2026-03-02T00:00:00Z");
    let (paris, _, code) = stats(&["--by", "day", "--tz", "Europe/Paris"], file.path());
    assert_eq!(code, Some(0));
    // The Paris day of 3 March starts at 23:00 UTC on the 2nd.
    assert_eq!(paris[0]["period"], "2026-03-02T23:00:00Z");
    let (_, stderr, code) = stats(&["--tz", "Mars/Olympus"], file.path());
    assert_eq!(code, Some(2));
    assert!(stderr.contains("unknown time zone"), "{stderr}");
}

/// `days` days of `base` quiet mentions a day, then a last day of `last` mentions about an
/// outage by one loud author.
fn series(days: u32, base: u32, last: u32) -> Vec<String> {
    let mut lines = Vec::new();
    for d in 0..days {
        for i in 0..base {
            let day = format!("2026-03-{:02}T{:02}:00:00Z", d + 1, i % 24);
            lines.push(json!({"id": format!("q{d}-{i}"), "published": day, "text": format!("nice plan {i} today"),
                "author": {"handle": format!("user{i}")}, "matches": ["nimbus"],
                "sentiment": {"score": 0.2, "label": "positive"}}).to_string());
        }
    }
    for i in 0..last {
        let day = format!("2026-03-{:02}T{:02}:00:00Z", days + 1, i % 24);
        lines.push(json!({"id": format!("s{i}"), "published": day, "text": "Nimbus outage again, no signal",
            "author": {"handle": if i % 2 == 0 { "angry_al".to_owned() } else { format!("user{i}") }},
            "matches": ["nimbus"], "labels": ["complaint"],
            "sentiment": {"score": -0.6, "label": "negative"}}).to_string());
    }
    lines
}

#[test]
fn a_planted_spike_is_found_with_its_drivers_and_exits_3() {
    let file = write_lines(&series(10, 6, 40));
    let out = earful()
        .args(["stats", "--group", "match", "--fail-on-spike"])
        .arg(file.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    let rows = json_lines(&out.stdout);
    let last = rows.last().unwrap();
    assert_eq!(last["period"], "2026-03-11T00:00:00Z");
    assert_eq!(last["spike"], true);
    assert_eq!(last["negative_spike"], true);
    assert_eq!(last["baseline"], 6.0);
    let terms: Vec<&str> = last["drivers"]["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["value"].as_str().unwrap())
        .collect();
    assert!(
        terms.contains(&"outage") && terms.contains(&"signal"),
        "{last}"
    );
    assert_eq!(last["drivers"]["authors"][0]["value"], "angry_al", "{last}");
    assert_eq!(last["drivers"]["labels"][0]["value"], "complaint", "{last}");
    // The first seven days have no full window; none of the quiet days is a spike.
    assert!(rows[..7].iter().all(|r| r.get("baseline").is_none()));
    assert!(rows[..10].iter().all(|r| r["spike"] == false));
    let spike_lines: Vec<&str> = stderr.lines().filter(|l| l.contains("spike:")).collect();
    assert_eq!(spike_lines.len(), 1, "{stderr}");
    assert!(
        spike_lines[0].starts_with(
            "earful stats: spike: 2026-03-11T00:00:00Z match=nimbus: 40 mentions, baseline 6.0"
        ),
        "{stderr}"
    );
    assert!(spike_lines[0].contains("outage"), "{stderr}");
}

#[test]
fn a_flat_series_exits_0_and_a_small_rise_is_not_a_spike() {
    let flat = write_lines(&series(10, 6, 6));
    let (rows, stderr, code) = stats(&["--fail-on-spike"], flat.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(rows.iter().all(|r| r["spike"] == false));
    // 9 after a flat 6 exceeds mean + 2 sd, but not --min-count 10.
    let small = write_lines(&series(10, 6, 9));
    let (_, stderr, code) = stats(&["--fail-on-spike"], small.path());
    assert_eq!(code, Some(0), "{stderr}");
    let (_, _, code) = stats(&["--fail-on-spike", "--min-count", "5"], small.path());
    assert_eq!(code, Some(3));
}

/// Splits the fixture into three files, runs `--partial` on each and merges them.
fn merged(args: &[&str]) -> Vec<Value> {
    let text = std::fs::read_to_string(fixture("records/stats.jsonl")).unwrap();
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let dir = tempfile::tempdir().unwrap();
    let mut parts = Vec::new();
    for (i, chunk) in [&lines[..4], &lines[4..11], &lines[11..]]
        .iter()
        .enumerate()
    {
        let shard = dir.path().join(format!("shard{i}.jsonl"));
        std::fs::write(&shard, chunk.join("\n") + "\n").unwrap();
        let part = dir.path().join(format!("part{i}.jsonl"));
        earful()
            .args(["stats", "--partial", "-o"])
            .arg(&part)
            .args(args)
            .arg(&shard)
            .output()
            .unwrap();
        parts.push(part);
    }
    // Two parts as files and one on stdin, in another order.
    let out = earful()
        .args(["stats", "--merge"])
        .args(args)
        .arg(&parts[2])
        .arg("-")
        .arg(&parts[0])
        .pipe_stdin(&parts[1])
        .unwrap()
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_lines(&out.stdout)
}

#[test]
fn merged_shards_equal_one_run() {
    for args in [
        &["--group", "match"][..],
        &[
            "--by",
            "hour",
            "--group",
            "match,label",
            "--spikes",
            "--window",
            "2",
            "--min-count",
            "1",
        ],
        &["--group", "airline", "--top", "2", "author"],
        &["--group", "sentiment", "--terms", "5"],
        &["--by", "week", "--tz", "America/New_York"],
    ] {
        let (one, _, _) = stats(args, &fixture("records/stats.jsonl"));
        assert!(!one.is_empty());
        assert_eq!(merged(args), one, "{args:?}");
    }
}

#[test]
fn merge_refuses_parts_counted_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let part = dir.path().join("part.jsonl");
    earful()
        .args(["stats", "--partial", "--by", "hour", "-o"])
        .arg(&part)
        .arg(fixture("records/airline-mentions.jsonl"))
        .assert()
        .success();
    let out = earful()
        .args(["stats", "--merge", "--by", "day"])
        .arg(&part)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("counted with --by hour --tz UTC, this run with --by day"),
        "{stderr}"
    );
    let out = earful()
        .args(["stats", "--merge"])
        .arg(fixture("records/airline-mentions.jsonl"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn tables_for_spreadsheets_and_chat() {
    let out = earful()
        .args(["stats", "--group", "match", "--format", "csv"])
        .arg(fixture("records/stats.jsonl"))
        .output()
        .unwrap();
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(&headers[..3], ["period", "match", "count"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let (json, _, _) = stats(&["--group", "match"], &fixture("records/stats.jsonl"));
    assert_eq!(rows.len(), json.len());
    assert_eq!(&rows[0][1], json[0]["group"]["match"].as_str().unwrap());
    assert_eq!(
        rows[0][2].parse::<u64>().unwrap(),
        json[0]["count"].as_u64().unwrap()
    );
    // A negative share of sentiment stays a number, not a neutralised formula.
    let net = headers.iter().position(|h| h == "net_sentiment").unwrap();
    assert!(rows.iter().any(|r| r[net].starts_with('-')));

    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("terms.md");
    earful()
        .args(["stats", "--group", "match", "--terms", "3", "-o"])
        .arg(&md)
        .arg(fixture("records/stats.jsonl"))
        .assert()
        .code(1);
    let text = std::fs::read_to_string(md).unwrap();
    assert!(
        text.starts_with("| match | count | tokens | rank | term | term_count | z |"),
        "{text}"
    );
}

#[test]
fn usage_errors_exit_2() {
    for (args, want) in [
        (&["--terms", "5"][..], "add --group"),
        (
            &["--by", "fortnight"],
            "--by: expected one of hour, day, week, month",
        ),
        (&["--group", "a..b"], "--group: expected a field name"),
        (&["--top", "0", "tag"], "--top N FIELD"),
        (&["--format", "sqlite"], "stats writes"),
        (&["-o", "out.xyz"], "cannot tell the format"),
    ] {
        let (_, stderr, code) = stats(args, &fixture("records/stats.jsonl"));
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(want), "{args:?}: {stderr}");
    }
}

#[test]
fn top_values_per_period() {
    let (rows, _, _) = stats(
        &["--by", "month", "--top", "2", "author"],
        &fixture("records/stats.jsonl"),
    );
    assert_eq!(rows.len(), 1);
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for m in fixture_mentions() {
        if let Some(h) = m["author"]["handle"].as_str() {
            *counts.entry(h.to_owned()).or_default() += 1;
        }
    }
    let mut want: Vec<(String, u64)> = counts.into_iter().collect();
    want.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let got: Vec<(String, u64)> = rows[0]["top"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap().to_owned(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, want[..2]);
}

#[test]
fn a_device_takes_the_default_format_and_a_name_without_extension_is_refused() {
    earful()
        .args(["stats", "-q", "-o", "/dev/null"])
        .arg(fixture("records/airline-mentions.jsonl"))
        .assert()
        .success();
    let dir = tempfile::tempdir().unwrap();
    let (_, stderr, code) = stats(
        &["-o", dir.path().join("counts").to_str().unwrap()],
        &fixture("records/airline-mentions.jsonl"),
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("cannot tell the format"), "{stderr}");
}
