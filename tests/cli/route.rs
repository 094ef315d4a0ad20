//! `earful route`: teams from rules, --all, --default-team, --split, bad routes files.

use crate::common::{earful, fixture, json_lines};

fn route(args: &[&str]) -> (Vec<serde_json::Value>, String, Option<i32>) {
    let out = earful()
        .arg("route")
        .arg("--routes")
        .arg(fixture("route/teams.toml"))
        .args(args)
        .arg(fixture("route/mentions.jsonl"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (json_lines(&out.stdout), err, out.status.code())
}

fn teams(records: &[serde_json::Value], key: &str) -> Vec<String> {
    records.iter().map(|r| r[key].to_string()).collect()
}

#[test]
fn the_right_teams_priorities_and_due_times() {
    let (records, err, code) = route(&[]);
    // The malformed line is named, skipped and counted: exit 1.
    assert_eq!(code, Some(1));
    assert!(err.contains("mentions.jsonl:6"), "{err}");
    assert_eq!(
        teams(&records, "team"),
        [
            r#""network""#,
            r#""billing""#,
            r#""retention""#,
            r#""marketing""#,
            "null"
        ]
    );
    assert_eq!(
        teams(&records, "priority"),
        [r#""urgent""#, r#""high""#, r#""high""#, r#""low""#, "null"]
    );
    assert_eq!(records[0]["due"], "2026-03-06T10:00:00Z");
    assert_eq!(records[1]["due"], "2026-03-06T14:00:00Z");
    assert!(records[3].get("due").is_none(), "no sla, no due");
    // Fields it does not know pass through, in place.
    assert_eq!(records[1]["extra"]["crm"], "A-17");
    assert!(records.iter().all(|r| r.get("teams").is_none()));
}

#[test]
fn all_lists_every_team_and_the_default_takes_the_rest() {
    let (records, _, _) = route(&["--all", "--default-team", "care"]);
    assert_eq!(
        records[0]["teams"],
        serde_json::json!(["network", "billing"])
    );
    assert_eq!(records[0]["team"], "network");
    assert_eq!(records[4]["team"], "care");
    assert_eq!(records[4]["priority"], "normal");
}

#[test]
fn split_appends_one_file_per_team_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let split = dir.path().join("teams");
    for _ in 0..2 {
        let (records, _, _) = route(&["--split", split.to_str().unwrap()]);
        assert_eq!(records.len(), 5);
    }
    let mut files: Vec<String> = std::fs::read_dir(&split)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "billing.jsonl",
            "marketing.jsonl",
            "network.jsonl",
            "retention.jsonl"
        ]
    );
    let billing = std::fs::read(split.join("billing.jsonl")).unwrap();
    let lines = json_lines(&billing);
    assert_eq!(lines.len(), 2, "appended by the second run");
    assert!(
        lines
            .iter()
            .all(|l| l["id"] == "x:2" && l["team"] == "billing")
    );
}

#[test]
fn a_bad_routes_file_is_a_usage_error_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[[route]]\nteam = \"a\"\nquery = 'refund AND NOT refund'\n",
            "line 1",
            "can never match",
        ),
        (
            "[[route]]\nteam = \"a\"\nquery = 'refund'\n\n[[route]]\nteam = \"b\"\nquery = 'refund'\n",
            "line 5",
            "same query",
        ),
        (
            "[[route]]\nteam = \"a\"\nquery = 'sentiment:positive sentiment:negative'\n",
            "line 1",
            "one `sentiment`",
        ),
        (
            "[[route]]\nteam = \"a\"\nquery = '(refund'\n",
            "line 1",
            "query",
        ),
        (
            "[[route]]\nteam = \"../../etc\"\nquery = 'x'\n",
            "line 1",
            "letters",
        ),
        (
            "[[route]]\nteam = \"a\"\nquery = 'x'\nowner = \"me\"\n",
            "line 4",
            "unknown key `owner`",
        ),
        ("[[route]\n", "line 1", "invalid TOML"),
    ];
    for (src, line, why) in cases {
        let path = dir.path().join("routes.toml");
        std::fs::write(&path, src).unwrap();
        let out = earful()
            .args(["route", "--routes"])
            .arg(&path)
            .write_stdin("{\"id\":\"1\",\"text\":\"refund\"}\n")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{src}: {err}");
        assert!(err.contains(line) && err.contains(why), "{src}: {err}");
        assert!(out.stdout.is_empty());
    }
}
