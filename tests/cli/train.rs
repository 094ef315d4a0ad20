//! `earful train`, `earful evaluate` and `earful classify --model` (issue 18).

use std::path::Path;

use crate::common::{earful, json_lines};

const TOPICS: [(&str, [&str; 4]); 3] = [
    (
        "billing",
        ["charged twice", "refund", "invoice", "payment failed"],
    ),
    (
        "delay",
        ["late again", "delayed", "still waiting", "two hours"],
    ),
    (
        "app",
        ["app crashes", "login broken", "update", "screen freezes"],
    ),
];
const NOISE: [&str; 6] = ["my", "flight", "today", "you", "the", "order"];

/// A labelled CSV as `export --format csv` writes it (id, title, text, then a label column
/// added in a spreadsheet): the topic is in the words.
fn labelled_csv(dir: &Path, name: &str, n: usize, offset: usize) -> std::path::PathBuf {
    let mut csv = String::from("id,title,text,topic\n");
    for i in offset..offset + n {
        let (topic, words) = TOPICS[i % 3];
        let text = format!(
            "{} {} {} {}",
            NOISE[i % 6],
            words[(i / 3) % 4],
            NOISE[(i / 2) % 6],
            NOISE[(i / 5) % 6]
        );
        csv.push_str(&format!("{i},,\"{text}\",{topic}\n"));
    }
    let path = dir.join(name);
    std::fs::write(&path, csv).unwrap();
    path
}

fn json_out(cmd: &mut assert_cmd::Command) -> serde_json::Value {
    let out = cmd.assert().success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

#[test]
fn learns_a_synthetic_set_and_classify_applies_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = labelled_csv(dir.path(), "topics.csv", 90, 0);
    let holdout = labelled_csv(dir.path(), "later.csv", 30, 90);
    let model = dir.path().join("topic.model");
    let v = json_out(
        earful()
            .args(["train", "--label-column", "topic", "--cv", "3", "--json"])
            .arg(&data)
            .arg("--holdout")
            .arg(&holdout)
            .arg("-o")
            .arg(&model),
    );
    assert_eq!(v["texts"], 90);
    assert_eq!(v["labels"], serde_json::json!(["app", "billing", "delay"]));
    assert!(
        v["cross-validation"]["macro_f1"].as_f64().unwrap() > 0.9,
        "{v}"
    );
    assert_eq!(v["holdout"]["accuracy"], 1.0, "{v}");
    assert_eq!(
        v["cross-validation"]["confusion"].as_array().unwrap().len(),
        3
    );

    // The same data and seed give the same bytes.
    let again = dir.path().join("again.model");
    earful()
        .args(["train", "-q", "--label-column", "topic"])
        .arg(&data)
        .arg("-o")
        .arg(&again)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&model).unwrap(),
        std::fs::read(&again).unwrap()
    );

    let input = "{\"id\":\"a\",\"lang\":\"en\",\"text\":\"the app crashes every time\",\"keep\":[1]}\n\
                 {\"id\":\"b\",\"lang\":\"en\",\"text\":\"I was charged twice for one order\"}\n";
    let out = earful()
        .args(["classify", "--model"])
        .arg(&model)
        .write_stdin(input)
        .assert()
        .success();
    let lines = json_lines(&out.get_output().stdout);
    let has =
        |v: &serde_json::Value, l: &str| v["labels"].as_array().unwrap().iter().any(|x| x == l);
    assert!(has(&lines[0], "app"), "{}", lines[0]);
    assert!(
        has(&lines[1], "billing") && has(&lines[1], "complaint"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[0]["keep"], serde_json::json!([1]));
    assert!(lines[0]["sentiment"]["label"].is_string());

    // Trained `--as topic`: classify sets that field instead.
    let as_topic = dir.path().join("as.model");
    earful()
        .args(["train", "-q", "--label-column", "topic", "--as", "topic"])
        .arg(&data)
        .arg("-o")
        .arg(&as_topic)
        .assert()
        .success();
    let out = earful()
        .args(["classify", "--model"])
        .arg(&as_topic)
        .write_stdin(input)
        .assert()
        .success();
    let lines = json_lines(&out.get_output().stdout);
    assert_eq!(lines[0]["topic"], "app");
    assert_eq!(lines[1]["topic"], "billing");
    assert!(!has(&lines[1], "billing"));

    // evaluate --model gives the holdout figures again.
    let e = json_out(
        earful()
            .args(["evaluate", "--label-column", "topic", "--json", "--model"])
            .arg(&model)
            .arg(&holdout),
    );
    assert_eq!(e["evaluation"], v["holdout"]);
}

#[test]
fn a_sentiment_model_sets_sentiment() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("text,feeling\n");
    let words = [
        ("negative", "awful"),
        ("neutral", "arrives"),
        ("positive", "lovely"),
    ];
    for i in 0..60 {
        let (label, word) = words[i % 3];
        csv.push_str(&format!(
            "the {} plane {word} {}\n",
            NOISE[i % 6],
            NOISE[(i / 3) % 6]
        ));
        csv.replace_range(csv.len() - 1.., &format!(",{label}\n"));
    }
    std::fs::write(dir.path().join("s.csv"), csv).unwrap();
    let model = dir.path().join("s.model");
    earful()
        .current_dir(dir.path())
        .args([
            "train",
            "-q",
            "s.csv",
            "--label-column",
            "feeling",
            "--text-column",
            "text",
            "-o",
        ])
        .arg(&model)
        .assert()
        .success();
    let out = earful()
        .args(["classify", "--model"])
        .arg(&model)
        .write_stdin("{\"lang\":\"en\",\"text\":\"my plane arrives\"}\n")
        .assert()
        .success();
    let v = &json_lines(&out.get_output().stdout)[0];
    assert_eq!(v["sentiment"]["label"], "neutral", "{v}");
    let score = v["sentiment"]["score"].as_f64().unwrap();
    assert!((-1.0..=1.0).contains(&score));
}

#[test]
fn reads_xlsx_and_jsonl_with_dotted_fields() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "comment").unwrap();
    sheet.write_string(0, 1, "team").unwrap();
    let mut jsonl = String::new();
    for i in 0..30u32 {
        let (topic, words) = TOPICS[i as usize % 3];
        let text = format!("{} {}", words[i as usize / 3 % 4], NOISE[i as usize % 6]);
        sheet.write_string(i + 1, 0, &text).unwrap();
        sheet.write_string(i + 1, 1, topic).unwrap();
        jsonl.push_str(
            &serde_json::json!({"id": i.to_string(), "text": text, "extra": {"team": topic}})
                .to_string(),
        );
        jsonl.push('\n');
    }
    book.save(&path).unwrap();
    std::fs::write(dir.path().join("labels.jsonl"), jsonl).unwrap();
    let v = json_out(
        earful()
            .args([
                "train",
                "--label-column",
                "team",
                "--text-column",
                "comment",
                "--cv",
                "3",
                "--json",
            ])
            .arg(&path),
    );
    assert_eq!(v["texts"], 30);
    let w = json_out(
        earful()
            .args([
                "train",
                "--label-field",
                "extra.team",
                "--cv",
                "3",
                "--json",
            ])
            .arg(dir.path().join("labels.jsonl")),
    );
    assert_eq!(w["texts"], 30);
    assert_eq!(v["labels"], w["labels"]);
}

#[test]
fn multi_label_cells_split_on_semicolons() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("text,tags\n");
    for i in 0..60 {
        let (topic, words) = TOPICS[i % 3];
        let urgent = i % 2 == 0;
        csv.push_str(&format!(
            "{} {}{},{topic}{}\n",
            words[(i / 3) % 4],
            NOISE[i % 6],
            if urgent { " asap" } else { "" },
            if urgent { "; urgent" } else { "" }
        ));
    }
    std::fs::write(dir.path().join("m.csv"), csv).unwrap();
    let model = dir.path().join("m.model");
    let v = json_out(
        earful()
            .current_dir(dir.path())
            .args([
                "train",
                "m.csv",
                "--label-column",
                "tags",
                "--multi-label",
                "--cv",
                "3",
                "--json",
                "-o",
            ])
            .arg(&model),
    );
    assert_eq!(
        v["labels"],
        serde_json::json!(["app", "billing", "delay", "urgent"])
    );
    assert!(
        v["cross-validation"]["micro_f1"].as_f64().unwrap() > 0.9,
        "{v}"
    );
    let out = earful()
        .args(["classify", "--model"])
        .arg(&model)
        .write_stdin("{\"lang\":\"en\",\"text\":\"refund asap\"}\n")
        .assert()
        .success();
    let labels = json_lines(&out.get_output().stdout)[0]["labels"].clone();
    for want in ["billing", "urgent"] {
        assert!(
            labels.as_array().unwrap().iter().any(|l| l == want),
            "{labels}"
        );
    }
}

/// The hand-computed example of `train::metrics`: two annotators, 10 texts,
/// accuracy 0.7, kappa 0.4.
#[test]
fn evaluate_compares_two_annotators() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("text,anna,ben\n");
    let pairs = [("yes", "yes"); 4]
        .into_iter()
        .chain([("yes", "no"); 2])
        .chain([("no", "yes")])
        .chain([("no", "no"); 3]);
    for (i, (a, b)) in pairs.enumerate() {
        csv.push_str(&format!("text {i},{a},{b}\n"));
    }
    csv.push_str("text 11,,no\n");
    std::fs::write(dir.path().join("two.csv"), csv).unwrap();
    let evaluate = |json: bool| {
        let args = [
            "evaluate",
            "two.csv",
            "--label-column",
            "anna",
            "--against",
            "ben",
        ];
        let mut cmd = earful();
        cmd.current_dir(dir.path()).args(args);
        if json {
            cmd.arg("--json");
        }
        cmd.assert().success()
    };
    let out = evaluate(true);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("skipped rows: 1 with an empty label"),
        "{stderr}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let r = &v["evaluation"];
    assert_eq!(r["texts"], 10);
    assert!((r["accuracy"].as_f64().unwrap() - 0.7).abs() < 1e-9);
    assert!((r["kappa"].as_f64().unwrap() - 0.4).abs() < 1e-9, "{r}");
    assert_eq!(r["confusion"], serde_json::json!([[3, 1], [2, 4]]));
    // The table for people.
    let out = evaluate(false);
    let table = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        table.contains("kappa 0.400") && table.contains("confusion matrix"),
        "{table}"
    );
}

#[test]
fn evaluate_the_default_engine() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("g.csv"),
        "text,gold\nI love this airline,positive\nworst delay ever,negative\nthe gate is B4,neutral\n",
    )
    .unwrap();
    let v = json_out(earful().current_dir(dir.path()).args([
        "evaluate",
        "g.csv",
        "--label-column",
        "gold",
        "--engine",
        "default",
        "--json",
    ]));
    assert_eq!(v["evaluation"]["accuracy"], 1.0, "{v}");
    assert_eq!(v["against"], "engine default");
}

#[test]
fn bad_input_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = labelled_csv(dir.path(), "topics.csv", 30, 0);
    let fails = |args: &[&str], code: i32, want: &str| {
        let out = earful()
            .current_dir(dir.path())
            .args(args)
            .assert()
            .code(code);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(stderr.contains(want), "{args:?}: {stderr}");
    };
    let file = data.to_str().unwrap();
    fails(
        &["train", file, "--label-column", "team", "--cv", "3"],
        2,
        "no column \"team\"; the columns are: id, title, text, topic",
    );
    fails(
        &["train", file, "--label-column", "topic"],
        2,
        "nothing to do",
    );
    fails(
        &[
            "train",
            "missing.csv",
            "--label-column",
            "topic",
            "--cv",
            "3",
        ],
        2,
        "missing.csv",
    );
    fails(
        &[
            "train",
            file,
            "--label-column",
            "topic",
            "--cv",
            "3",
            "--as",
            "labels",
        ],
        2,
        "--as",
    );
    std::fs::write(dir.path().join("one.csv"), "text,l\na,x\nb,x\n,x\n").unwrap();
    fails(
        &["train", "one.csv", "--label-column", "l", "-o", "m"],
        2,
        "only one class (\"x\")",
    );
    fails(
        &["train", "one.csv", "--label-column", "l", "-o", "m"],
        2,
        "skipped rows: 1 with an empty text",
    );
    assert!(!dir.path().join("m").exists());

    let model = dir.path().join("topic.model");
    earful()
        .args(["train", "-q", "--label-column", "topic", file, "-o"])
        .arg(&model)
        .assert()
        .success();
    let bytes = std::fs::read(&model).unwrap();
    std::fs::write(dir.path().join("cut.model"), &bytes[..bytes.len() / 2]).unwrap();
    fails(
        &["classify", "--model", "cut.model"],
        2,
        "cut.model: model file is truncated",
    );
    let mut v2 = bytes.clone();
    v2[12] = 9;
    std::fs::write(dir.path().join("v9.model"), v2).unwrap();
    fails(
        &[
            "evaluate",
            file,
            "--label-column",
            "topic",
            "--model",
            "v9.model",
        ],
        2,
        "model file format version 9, this earful reads version 1",
    );
    fails(
        &["classify", "--model", "topics.csv"],
        2,
        "not an earful model file",
    );
}
