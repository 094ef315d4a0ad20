use crate::common::{earful, fixture, json_lines};

const MENTIONS: &str = "records/airline-mentions.jsonl";

/// Runs `earful filter ARGS fixture` and returns (ids kept, exit code, stderr).
fn filter(args: &[&str]) -> (Vec<String>, i32, String) {
    let out = earful()
        .arg("filter")
        .args(args)
        .arg(fixture(MENTIONS))
        .output()
        .unwrap();
    let ids = json_lines(&out.stdout)
        .iter()
        .map(|v| {
            let id = v["id"].as_str().unwrap().to_owned();
            match v.get("matches") {
                Some(m) => format!("{id}{m}"),
                None => id,
            }
        })
        .collect();
    (
        ids,
        out.status.code().unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn table_of_queries_and_flags() {
    let cases: &[(&[&str], &[&str])] = &[
        (&["skyjet"], &["x:1", "x:2", "m:4", "x:6[\"old\"]"]),
        (&["globeair"], &["r:5"]),
        (&["title:globeair"], &["r:5"]),
        (&["(luggage OR baggage) NOT lost"], &["x:3"]),
        (&["\"lost my luggage\" -kind:repost"], &["x:1"]),
        (&["bagages"], &["m:4"]),
        (&["cafe"], &["m:4"]),
        (&["café"], &["m:4"]),
        (&["delay* NEAR/3 flight"], &["r:5"]),
        (&["👍"], &["x:3"]),
        (&["@skyjet"], &["x:1", "x:2"]),
        (&["{SkyJet} AND likes:[10 TO *]"], &["x:1"]),
        (&["authorFollowers:[100 TO *]"], &["x:1"]),
        (&["minuteOfDay:[1110 TO 1140]"], &["x:3"]),
        (&["published:[2024-02-01 TO *]"], &["r:5", "x:6[\"old\"]"]),
        (&["match:old"], &["x:6[\"old\"]"]),
        (&["skyjet", "--invert"], &["x:3", "r:5"]),
        (
            &["", "--lang", "en"],
            &["x:1", "x:2", "x:3", "r:5", "x:6[\"old\"]"],
        ),
        (&["", "--lang", "fr,en-GB"], &["x:3", "m:4"]),
        (&["", "--platform", "mastodon,reddit"], &["m:4", "r:5"]),
        (&["", "--kind", "reply,quote"], &["x:3", "x:6[\"old\"]"]),
        (&["skyjet", "--no-reposts"], &["x:1", "m:4", "x:6[\"old\"]"]),
        (&["", "--min-length", "60"], &["x:2", "x:3"]),
        (
            &[
                "",
                "--since",
                "2024-01-12",
                "--until",
                "2024-02-01T12:00:00Z",
            ],
            &["x:3", "m:4", "r:5"],
        ),
        (&["skyjet", "--dedup=text"], &["x:1", "m:4", "x:6[\"old\"]"]),
        (
            &["skyjet", "--dedup"],
            &["x:1", "x:2", "m:4", "x:6[\"old\"]"],
        ),
        (&["skyjet", "--limit", "2"], &["x:1", "x:2"]),
        (&["skyjet", "--sample", "0"], &[]),
        (
            &["skyjet", "--sample", "1"],
            &["x:1", "x:2", "m:4", "x:6[\"old\"]"],
        ),
        (&["-e", "globeair"], &["r:5"]),
    ];
    for (args, want) in cases {
        let (got, code, stderr) = filter(args);
        assert_eq!(got, *want, "{args:?}: {stderr}");
        assert_eq!(code, 0, "{args:?}: {stderr}");
    }
}

#[test]
fn kept_lines_are_the_input_bytes() {
    let input = std::fs::read_to_string(fixture(MENTIONS)).unwrap();
    let want: String = input
        .lines()
        .filter(|l| l.contains("\"x:1\"") || l.contains("\"x:3\""))
        .map(|l| format!("{l}\n"))
        .collect();
    earful()
        .args(["filter", "customer OR likes:[10 TO *]"])
        .arg(fixture(MENTIONS))
        .assert()
        .success()
        .stdout(want);
}

#[test]
fn count_prints_only_the_number() {
    earful()
        .args(["filter", "--count", "skyjet"])
        .arg(fixture(MENTIONS))
        .assert()
        .success()
        .stdout("4\n");
}

#[test]
fn named_queries_tag_matches() {
    let queries = fixture("brand-queries.toml");
    let q = queries.to_str().unwrap();
    let (got, code, _) = filter(&["--queries", q]);
    assert_eq!(code, 0);
    assert_eq!(
        got,
        [
            r#"x:1["skyjet","lost_bags"]"#,
            r#"x:2["skyjet","lost_bags"]"#,
            r#"m:4["skyjet","lost_bags"]"#,
            r#"r:5["globeair"]"#,
            r#"x:6["old","skyjet"]"#,
        ]
    );
    let (got, _, _) = filter(&[
        "--queries",
        q,
        "--keep-all",
        "-e",
        "customer OR query:competitors",
    ]);
    assert_eq!(got, ["x:3", r#"r:5["globeair"]"#]);
    // Filtering twice gives the same lines as filtering once.
    let once = earful()
        .args(["filter", "--queries", q])
        .arg(fixture(MENTIONS))
        .output()
        .unwrap();
    earful()
        .args(["filter", "--queries", q])
        .write_stdin(once.stdout.clone())
        .assert()
        .success()
        .stdout(once.stdout);
}

#[test]
fn syntax_errors_show_a_caret_and_exit_2() {
    let cases: &[(&str, &str)] = &[
        (
            "luggage AND OR bags",
            "earful filter: invalid query\n\
             earful filter:   luggage AND OR bags\n\
             earful filter:               ^^\n\
             earful filter: expected a term, phrase or `(`, found `OR`\n",
        ),
        (
            "lost AND luggage OR bags",
            "earful filter: invalid query\n\
             earful filter:   lost AND luggage OR bags\n\
             earful filter:                    ^^\n\
             earful filter: expected AND, found OR: AND and OR cannot be mixed at one level \
             without brackets; write `(lost AND luggage) OR bags` or `lost AND (luggage OR bags)`\n",
        ),
        (
            "NOT spam",
            "earful filter: invalid query\n\
             earful filter:   NOT spam\n\
             earful filter:   ^^^^^^^^\n\
             earful filter: expected at least one term that must match, found only exclusions: a \
             purely negative query matches almost everything; add what to look for, for example \
             `brand NOT spam`\n",
        ),
    ];
    for (query, stderr) in cases {
        earful()
            .args(["filter", query])
            .arg(fixture(MENTIONS))
            .assert()
            .code(2)
            .stdout("")
            .stderr(*stderr);
    }
    let out = earful().args(["filter", "colour:red"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("expected a known field, found `colour:`; known fields: title, text,"),
        "{stderr}"
    );
}

#[test]
fn bad_queries_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.toml");
    std::fs::write(&path, "ok = 'a'\nbad = '(a OR b'\n").unwrap();
    let out = earful()
        .args(["filter", "--queries"])
        .arg(&path)
        .arg(fixture(MENTIONS))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.ends_with(
            "query `bad`:\n\
         earful filter:   (a OR b\n\
         earful filter:          ^\n\
         earful filter: expected `)`, found end of query (to close the `(` at byte 0)\n"
        ),
        "{stderr}"
    );
    earful()
        .args(["filter", "--sample", "2", "x"])
        .assert()
        .code(2)
        .stderr("earful filter: --sample: expected a fraction from 0 to 1, found 2\n");
    earful()
        .args(["filter", "--since", "yesterday", "x"])
        .assert()
        .code(2);
}

#[test]
fn bad_lines_are_reported_when_they_could_match() {
    let run = |args: &[&str]| {
        let out = earful()
            .arg("filter")
            .args(args)
            .arg(fixture("records/bad-line.jsonl"))
            .output()
            .unwrap();
        let ids: Vec<String> = json_lines(&out.stdout)
            .iter()
            .map(|v| v["id"].as_str().unwrap().to_owned())
            .collect();
        (
            ids,
            out.status.code().unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    // The cut line contains "luggage": it is parsed, reported and counted.
    let (got, code, stderr) = run(&["luggage"]);
    assert_eq!((got, code), (vec!["b:1".to_owned()], 1));
    assert!(
        stderr.contains("bad-line.jsonl:2: invalid JSON: EOF"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("skipped 1 malformed line of 3\n"),
        "{stderr}"
    );
    // It cannot contain "fine": the prefilter skips it unparsed, but its shape (cut short)
    // still gets it reported.
    let (got, code, stderr) = run(&["fine"]);
    assert_eq!((got, code), (vec!["b:3".to_owned()], 1));
    assert!(
        stderr.contains("bad-line.jsonl:2: invalid JSON: EOF"),
        "{stderr}"
    );
    // --strict stops there.
    let (got, code, stderr) = run(&["luggage OR fine", "--strict"]);
    assert_eq!((got, code), (vec!["b:1".to_owned()], 1));
    assert!(stderr.contains("bad-line.jsonl:2"), "{stderr}");
}

#[test]
fn closing_the_pipe_early_is_quiet() {
    let line = r#"{"id":"1","text":"lost luggage"}"#;
    let (code, stderr) =
        crate::pipeline::close_after_one_line(&["filter", "luggage"], line, 200_000);
    assert_eq!(code, Some(0));
    assert_eq!(stderr, "");
}

#[test]
fn lines_skipped_by_the_prefilter_are_still_checked_for_shape() {
    earful()
        .args(["filter", "luggage OR baggage"])
        .write_stdin(
            "{\"id\":\"1\",\"text\":\"luggage lost\"}\n{\"id\":\"2\",\"text\":\"nothing\"\n[1,2]\n{\"id\":\"3\",\"text\":\"fine\"}\n{\"id\":\"5\",\"te",
        )
        .assert()
        .code(1)
        .stdout("{\"id\":\"1\",\"text\":\"luggage lost\"}\n")
        .stderr(predicates::str::contains("<stdin>:2: invalid JSON"))
        .stderr(predicates::str::contains("<stdin>:3: expected an object, found an array"))
        .stderr(predicates::str::contains("<stdin>:5: truncated last line"))
        .stderr(predicates::str::contains("skipped 3 malformed lines of 5"));
}

/// Issue 13: `--since` reads one grammar in every stage; a bare number is refused the same
/// way by fetch and filter (it used to mean seconds ago in fetch and an error in filter).
#[test]
fn since_bare_number_is_the_same_error_in_fetch_and_filter() {
    let stderr = |stage: &str| {
        let out = earful()
            .args([stage, "--since", "2024"])
            .arg(fixture(MENTIONS))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{stage}");
        assert!(out.stdout.is_empty(), "{stage}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains("`2024` is a bare number: write a date (2024-03-01)"),
            "{stage}: {stderr}"
        );
        stderr
    };
    assert_eq!(stderr("fetch"), stderr("filter"));
    // The forms of the grammar work in both.
    for since in ["7d", "90min", "2015-02-01", "2015-02-01T00:00:00Z"] {
        for stage in ["fetch", "filter"] {
            earful()
                .args([stage, "--since", since])
                .arg(fixture(MENTIONS))
                .assert()
                .success();
        }
    }
}

/// Issue 14, item 2: 5,000 nested brackets (or a chain of 20,000 references) is a usage
/// error naming the limit, exit 2, not a stack overflow (exit 134).
#[test]
fn regression_14_2_deep_queries_exit_2() {
    let deep = format!("{}a{}", "(".repeat(5000), ")".repeat(5000));
    let dir = tempfile::tempdir().unwrap();
    let queries = dir.path().join("q.toml");
    let mut chain: String = (0..20_000)
        .map(|i| format!("q{i} = 'query:q{} OR x'\n", i + 1))
        .collect();
    chain.push_str("q20000 = 'end'\n");
    std::fs::write(&queries, chain).unwrap();
    let runs: [Vec<std::ffi::OsString>; 3] = [
        vec![deep.clone().into()],
        vec!["-e".into(), deep.into()],
        vec!["--queries".into(), queries.into_os_string()],
    ];
    for args in runs {
        let out = earful()
            .arg("filter")
            .args(&args)
            .arg(fixture(MENTIONS))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("at most 100 levels deep"), "{stderr}");
    }
}

/// Issue 14, item 13: a stage given another format (here a CSV export) stops after a few
/// lines with one message naming the format and `earful fetch`, instead of one error per
/// line; damaged JSONL keeps the per-line rule.
#[test]
fn a_foreign_format_is_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("Tweets.csv");
    let mut rows = String::from("tweet_id,airline_sentiment,text\n");
    for i in 0..500 {
        rows.push_str(&format!("{i},negative,@united lost my bag {i}\n"));
    }
    std::fs::write(&csv, rows).unwrap();
    for stage in [&["filter", "united"][..], &["classify"], &["export"]] {
        let out = earful().args(stage).arg(&csv).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{stage:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.lines().count() <= 6, "{stage:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "{}: this is CSV, not JSON Lines (one mention per line): read it with `earful fetch {}` first",
                csv.display(),
                csv.display()
            )),
            "{stage:?}: {stderr}"
        );
    }
    // Damaged JSONL: every bad line reported, the good ones kept.
    let damaged = dir.path().join("damaged.jsonl");
    let mut lines = String::new();
    for i in 0..20 {
        if i % 2 == 0 {
            lines.push_str(&format!("{{\"id\":\"x:{i}\",\"text\":\"united\"}}\n"));
        } else {
            lines.push_str("a,b,c\n");
        }
    }
    std::fs::write(&damaged, lines).unwrap();
    let out = earful()
        .args(["filter", "united"])
        .arg(&damaged)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_lines(&out.stdout).len(), 10);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("skipped 10 malformed lines of 20"),
        "{stderr}"
    );
}

/// Issue 14 item 10: a `--queries` file that is not UTF-8 is a usage error (exit 2).
#[test]
fn non_utf8_queries_file_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.toml");
    std::fs::write(&path, b"acme = \"\xff\"\n").unwrap();
    let out = earful()
        .args(["filter", "--queries"])
        .arg(&path)
        .arg(fixture("records/airline-mentions.jsonl"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not UTF-8 text"));
}

/// Issue 14 item 12: `--lang` before classify detects the language of mentions that carry
/// none, with classify's detector, so the README's order (fetch | filter --lang en) works.
#[test]
fn lang_is_detected_for_mentions_without_one() {
    let fetched = earful()
        .args(["fetch", "-q", "examples/feeds"])
        .output()
        .unwrap();
    assert_eq!(fetched.status.code(), Some(0));
    let mentions = json_lines(&fetched.stdout);
    assert!(mentions.iter().all(|m| m.get("lang").is_none()));
    let classified = earful()
        .arg("classify")
        .write_stdin(fetched.stdout.clone())
        .output()
        .unwrap();
    let english = json_lines(&classified.stdout)
        .iter()
        .filter(|m| m["lang"] == "en")
        .count();
    let kept = earful()
        .args(["filter", "--lang", "en", ""])
        .write_stdin(fetched.stdout)
        .output()
        .unwrap();
    assert_eq!(kept.status.code(), Some(0));
    let kept = json_lines(&kept.stdout);
    assert!(english > 0);
    assert_eq!(kept.len(), english);
    // Filter does not add the field: that is classify's job.
    assert!(kept.iter().all(|m| m.get("lang").is_none()));
}
