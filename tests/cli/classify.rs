use predicates::prelude::*;

use crate::common::{earful, fixture, json_lines};

#[test]
fn adds_sentiment_and_labels_and_passes_everything_else_through() {
    let input = r#"{"id":"x:1","text":"@NimbusHelp charged twice this month and still waiting for my refund. Why?","lang":"en","mine":{"n":1.50}}
{"id":"x:2","text":"Honestly the best support team, thank you so much!","lang":"en"}
"#;
    let out = earful()
        .args(["classify", "--brand", "Nimbus"])
        .write_stdin(input)
        .assert()
        .success()
        .stderr("");
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    // The original bytes come first, unchanged (even `1.50`).
    assert!(stdout.starts_with(
        r#"{"id":"x:1","text":"@NimbusHelp charged twice this month and still waiting for my refund. Why?","lang":"en","mine":{"n":1.50},"sentiment":{"score":"#
    ));
    let lines = json_lines(stdout.as_bytes());
    assert_eq!(lines[0]["sentiment"]["label"], "negative");
    assert_eq!(
        lines[0]["labels"],
        serde_json::json!(["complaint", "question"])
    );
    assert_eq!(lines[1]["sentiment"]["label"], "positive");
    assert_eq!(lines[1]["labels"], serde_json::json!(["praise"]));
    let score = lines[1]["sentiment"]["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&score));
}

#[test]
fn threads_keep_the_input_order() {
    let input: String = (0..5_000)
        .map(|i| format!("{{\"id\":\"{i}\",\"text\":\"message number {i} is great\"}}\n"))
        .collect();
    for threads in ["1", "3"] {
        let out = earful()
            .args(["classify", "--threads", threads])
            .write_stdin(input.clone())
            .assert()
            .success();
        let lines = json_lines(&out.get_output().stdout);
        assert_eq!(lines.len(), 5_000);
        for (i, line) in lines.iter().enumerate() {
            assert_eq!(line["id"], i.to_string());
        }
    }
}

#[test]
fn bad_lines_are_reported_counted_and_skipped() {
    earful()
        .arg("classify")
        .arg(fixture("records/mixed.jsonl"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"id\":\"x:2\""))
        .stderr(predicate::str::contains("earful classify: "))
        .stderr(predicate::str::contains("mixed.jsonl:4: invalid JSON"))
        .stderr(predicate::str::contains("skipped 2 malformed lines of 5"));
}

#[test]
fn user_rules_add_labels_and_bad_rules_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        "lost_luggage = 'luggage OR baggage OR \"lost my bag\"'\n",
    )
    .unwrap();
    let out = earful()
        .args(["classify", "--no-builtin-rules", "--rules"])
        .arg(&rules)
        .write_stdin("{\"id\":\"1\",\"text\":\"They lost my luggage again\"}\n")
        .assert()
        .success();
    assert_eq!(
        json_lines(&out.get_output().stdout)[0]["labels"],
        serde_json::json!(["lost_luggage"])
    );
    std::fs::write(&rules, "broken = 'a AND (b'\n").unwrap();
    earful()
        .args(["classify", "--rules"])
        .arg(&rules)
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("rules.toml"));
}

#[test]
fn other_languages_are_unknown() {
    let out = earful()
        .arg("classify")
        .write_stdin(
            "{\"id\":\"1\",\"lang\":\"fr\",\"text\":\"Service client nul, je suis furieux\"}\n",
        )
        .assert()
        .success();
    assert_eq!(
        json_lines(&out.get_output().stdout)[0]["sentiment"]["label"],
        "unknown"
    );
}

#[test]
fn explain_shows_what_moved_the_score() {
    let out = earful()
        .args(["classify", "--explain"])
        .write_stdin("{\"id\":\"1\",\"text\":\"The app is terrible\"}\n")
        .assert()
        .success();
    let line = &json_lines(&out.get_output().stdout)[0];
    let steps = line["sentiment"]["explain"].as_array().unwrap();
    assert!(
        steps
            .iter()
            .any(|s| s["token"] == "terrible" && s["delta"].as_f64().unwrap() < 0.0)
    );
}

/// Issue 14, item 2: a rule nested 5,000 deep is a usage error, exit 2.
#[test]
fn regression_14_2_deep_rules_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    let deep = format!("{}a{}", "(".repeat(5000), ")".repeat(5000));
    std::fs::write(&rules, format!("deep = '{deep}'\n")).unwrap();
    earful()
        .args(["classify", "--rules"])
        .arg(&rules)
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at most 100 levels deep"));
}

/// Issue 14 item 10: a huge `--threads` is capped, not a panic.
#[test]
fn huge_thread_count_is_capped() {
    let out = earful()
        .args(["classify", "--threads", "100000"])
        .arg(fixture("records/airline-mentions.jsonl"))
        .assert()
        .success();
    assert!(!json_lines(&out.get_output().stdout).is_empty());
}
