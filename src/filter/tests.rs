//! Tests of the filter stage: flags, the block scan against a line-by-line pass, dedup.

use super::*;
use crate::jsonl::{Input, Location};

const LINES: &str = r#"{"id":"x:1","platform":"x","kind":"post","lang":"en","published":"2024-01-10T10:00:00Z","text":"Lost my luggage again @airline https://t.co/a"}
{"id":"x:2","platform":"x","kind":"repost","lang":"en-GB","published":"2024-01-11T10:00:00Z","text":"RT @bob: lost my LUGGAGE again!"}
{"id":"r:3","platform":"reddit","kind":"comment","lang":"fr","published":"2024-01-12T10:00:00Z","text":"bagages perdus"}
{"id":"x:1","platform":"x","kind":"post","lang":"en","text":"dup id, baggage"}
{"id":"m:5","platform":"mastodon","kind":"post","text":"ok","matches":["old"]}
"#;

fn run_cfg(cfg: FilterConfig) -> (Vec<String>, FilterSummary) {
    let mut f = Filter::new(cfg);
    let mut out = Vec::new();
    let mut tmp = tempfile::NamedTempFile::new().unwrap();
    tmp.write_all(LINES.as_bytes()).unwrap();
    let inputs = vec![Input::Path(tmp.path().to_path_buf())];
    let summary = run(&mut f, inputs, false, |_, _| {}, &mut out).unwrap();
    let ids = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let m = v.get("matches").map(|m| format!("{m}")).unwrap_or_default();
            format!("{}{m}", v["id"].as_str().unwrap())
        })
        .collect();
    (ids, summary)
}

fn q(s: &str) -> Option<Query> {
    Some(Query::parse(s).unwrap())
}

#[test]
fn options() {
    let base = || FilterConfig {
        dedup_window: 10,
        ..FilterConfig::default()
    };
    let t = |s: &str| crate::time::parse_time(s, Timestamp::UNIX_EPOCH).unwrap();
    let cases: Vec<(FilterConfig, &[&str])> = vec![
        (base(), &["x:1", "x:2", "r:3", "x:1", "m:5[\"old\"]"]),
        (
            FilterConfig {
                query: q("luggage OR baggage"),
                ..base()
            },
            &["x:1", "x:2", "x:1"],
        ),
        (
            FilterConfig {
                query: q("luggage"),
                invert: true,
                ..base()
            },
            &["r:3", "x:1", "m:5[\"old\"]"],
        ),
        (
            FilterConfig {
                langs: vec!["en".into()],
                ..base()
            },
            // m:5 has no `lang` and "ok" is too short to tell: kept, as classify scores it.
            &["x:1", "x:2", "x:1", "m:5[\"old\"]"],
        ),
        (
            FilterConfig {
                platforms: vec!["reddit".into(), "mastodon".into()],
                ..base()
            },
            &["r:3", "m:5[\"old\"]"],
        ),
        (
            FilterConfig {
                kinds: vec!["post".into()],
                ..base()
            },
            &["x:1", "x:1", "m:5[\"old\"]"],
        ),
        (
            FilterConfig {
                no_reposts: true,
                ..base()
            },
            &["x:1", "r:3", "x:1", "m:5[\"old\"]"],
        ),
        (
            FilterConfig {
                min_length: Some(15),
                ..base()
            },
            &["x:1", "x:2", "x:1"],
        ),
        (
            FilterConfig {
                since: Some(t("2024-01-11")),
                ..base()
            },
            &["x:2", "r:3"],
        ),
        (
            FilterConfig {
                until: Some(t("2024-01-11T10:00:00Z")),
                ..base()
            },
            &["x:1", "x:2"],
        ),
        (
            FilterConfig {
                dedup: Some(DedupBy::Id),
                ..base()
            },
            &["x:1", "x:2", "r:3", "m:5[\"old\"]"],
        ),
        (
            FilterConfig {
                dedup: Some(DedupBy::Text),
                ..base()
            },
            &["x:1", "r:3", "x:1", "m:5[\"old\"]"],
        ),
        (
            FilterConfig {
                limit: Some(2),
                ..base()
            },
            &["x:1", "x:2"],
        ),
        (
            FilterConfig {
                sample: Some(0.0),
                ..base()
            },
            &[],
        ),
        (
            FilterConfig {
                sample: Some(1.0),
                ..base()
            },
            &["x:1", "x:2", "r:3", "x:1", "m:5[\"old\"]"],
        ),
    ];
    for (i, (cfg, want)) in cases.into_iter().enumerate() {
        let (got, summary) = run_cfg(cfg);
        assert_eq!(got, want, "case {i}");
        assert_eq!(summary.kept, want.len() as u64, "case {i}");
    }
}

#[test]
fn named_queries_append_matches() {
    let set = QuerySet::from_toml("lost = 'lost'\nbag = 'luggage OR baggage'\nok = 'ok'").unwrap();
    let (got, _) = run_cfg(FilterConfig {
        queries: Some(set.clone()),
        ..FilterConfig::default()
    });
    assert_eq!(
        got,
        [
            r#"x:1["lost","bag"]"#,
            r#"x:2["lost","bag"]"#,
            r#"x:1["bag"]"#,
            r#"m:5["old","ok"]"#
        ]
    );
    let (got, _) = run_cfg(FilterConfig {
        queries: Some(set),
        keep_all: true,
        query: q("lost OR perdus"),
        ..FilterConfig::default()
    });
    assert_eq!(got, [r#"x:1["lost","bag"]"#, r#"x:2["lost","bag"]"#, "r:3"]);
}

#[test]
fn kept_lines_are_the_original_bytes() {
    let line = r#"{"id":"1", "text":"Lost  luggage", "big":12345678901234567890123, "z":1.50}"#;
    let mut f = Filter::new(FilterConfig {
        query: q("luggage"),
        ..FilterConfig::default()
    });
    let mut out = Vec::new();
    assert!(f.line(line, &mut out).unwrap());
    assert_eq!(out, format!("{line}\n").as_bytes());
}

#[test]
fn prefiltered_lines_are_not_parsed() {
    let mut f = Filter::new(FilterConfig {
        query: q("luggage"),
        ..FilterConfig::default()
    });
    assert!(f.prefilter().is_some());
    let mut out = Vec::new();
    // Not JSON, but it cannot match: rejected before parsing.
    assert!(!f.line("{nope", &mut out).unwrap());
    assert!(f.line("{luggage", &mut out).is_err());
}

#[test]
fn lines_and_blocks_follow_the_line_rules() {
    let long = format!(
        "{{\"id\":\"long\",\"text\":\"zz {}\"}}",
        "x".repeat(3 << 20)
    );
    let input = format!(
        "\u{feff}{{\"id\":\"a\",\"text\":\"zz\"}}\r\n\n  \n{long}\n[1,\"zz\"]\n{{bad zz}}\n{{\"id\":\"cut\",\"text\":\"zz"
    );
    let mut tmp = tempfile::NamedTempFile::new().unwrap();
    tmp.write_all(input.as_bytes()).unwrap();
    // Without a prefilter line by line, with one in blocks: the same result.
    for query in [None, q("zz")] {
        let mut bad = Vec::new();
        let mut out = Vec::new();
        let mut f = Filter::new(FilterConfig {
            query,
            ..FilterConfig::default()
        });
        let inputs = vec![
            Input::Path(tmp.path().into()),
            Input::Path(tmp.path().into()),
        ];
        let report = |l: Location<'_>, why: &str| bad.push(format!("{}: {why}", l.line));
        let s = run(&mut f, inputs, false, report, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0], r#"{"id":"a","text":"zz"}"#);
        assert_eq!(lines[1], long);
        assert_eq!((s.read.lines, s.read.skipped, s.kept), (10, 6, 4));
        assert_eq!(bad[0], "5: expected an object, found an array");
        assert!(bad[1].starts_with("6: invalid JSON"), "{}", bad[1]);
        assert!(bad[2].starts_with("7: truncated last line"), "{}", bad[2]);
        assert_eq!(bad[3], "5: expected an object, found an array");
    }
}

#[test]
fn dedup_text_normalises() {
    let cases = [
        (
            "RT @bob: Lost my LUGGAGE again! https://t.co/x",
            "lost my luggage again",
        ),
        ("lost my luggage again", "lost my luggage again"),
        ("🔥 Great!!", "🔥 great"),
    ];
    for (give, want) in cases {
        assert_eq!(dedup_text(give), want);
    }
}

proptest::proptest! {
    /// The block scan with its prefilter keeps exactly the lines the query matches, and
    /// filtering the output again changes nothing.
    #[test]
    fn block_scan_equals_matching_every_line(
        texts in proptest::collection::vec(
            proptest::collection::vec(proptest::sample::select(vec![
                "luggage", "Luggage", "bag", "LOST", "café", "cafe\u{301}", "caf\\u00e9", "🔥",
                "x\\\"y", "\\n", "", " ", "lug", "gage", "ÉTÉ", "été",
            ]), 0..6),
            0..40,
        ),
        query in proptest::sample::select(vec!["luggage", "lost OR cafe", "été", "bag NOT lost", "\"lost luggage\""]),
    ) {
        let mut input = String::new();
        for (i, words) in texts.iter().enumerate() {
            if words.is_empty() {
                input.push('\n');
                continue;
            }
            input.push_str(&format!("{{\"id\":\"{i}\",\"text\":\"{}\"}}\n", words.join(" ")));
        }
        let q = Query::parse(query).unwrap();
        let want: Vec<&str> = input
            .lines()
            .filter(|l| !l.is_empty())
            .filter(|l| q.matches(&serde_json::from_str::<MentionView>(l).unwrap()))
            .collect();
        let once = filter_bytes(&q, input.as_bytes());
        proptest::prop_assert_eq!(once.lines().collect::<Vec<_>>(), want);
        proptest::prop_assert_eq!(filter_bytes(&q, once.as_bytes()), once);
    }
}

fn filter_bytes(q: &Query, input: &[u8]) -> String {
    let mut tmp = tempfile::NamedTempFile::new().unwrap();
    tmp.write_all(input).unwrap();
    let mut f = Filter::new(FilterConfig {
        query: Some(q.clone()),
        ..FilterConfig::default()
    });
    let mut out = Vec::new();
    let inputs = vec![Input::Path(tmp.path().into())];
    run(&mut f, inputs, true, |_, _| {}, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}
