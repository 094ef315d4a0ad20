//! Whole-pipeline behaviour: pass-through of unknown fields and a reader that closes early.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

use crate::common::earful;

/// Runs `earful ARGS` on `lines` copies of `line`, reads one line of its output and closes
/// the pipe; returns (exit code, stderr).
pub fn close_after_one_line(args: &[&str], line: &str, lines: usize) -> (Option<i32>, String) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("earful"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let line = format!("{line}\n");
    let writer = std::thread::spawn(move || {
        for _ in 0..lines {
            if stdin.write_all(line.as_bytes()).is_err() {
                break;
            }
        }
    });
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(!first.is_empty(), "no output before the pipe closed");
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn export_ends_quietly_when_the_reader_closes() {
    for format in ["jsonl", "csv", "json"] {
        let (code, stderr) = close_after_one_line(
            &["export", "--format", format],
            r#"{"id":"x:1","text":"hello"}"#,
            200_000,
        );
        assert_eq!((code, stderr.as_str()), (Some(0), ""), "format {format}");
    }
}

#[test]
fn fetch_ends_quietly_when_the_reader_closes() {
    // A feed with enough items to fill the pipe.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.xml");
    let mut feed = String::from(r#"<rss version="2.0"><channel><title>t</title>"#);
    for i in 0..20_000 {
        feed.push_str(&format!(
            "<item><title>Item {i}</title><link>https://e.example/{i}</link><description>Some text about item {i}</description></item>"
        ));
    }
    feed.push_str("</channel></rss>");
    std::fs::write(&path, feed).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("earful"))
        .arg("fetch")
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn help_lists_examples_and_exit_codes() {
    let out = earful().arg("--help").assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    for want in ["Examples:", "Exit codes:", "fetch", "export"] {
        assert!(help.contains(want), "--help lacks {want:?}");
    }
}

/// The subcommands `earful --help` lists, `help` aside.
fn listed_subcommands() -> Vec<String> {
    let out = earful().arg("--help").assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    help.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        // A wrapped description continues with a deeper indent.
        .filter_map(|l| l.strip_prefix("  ").filter(|l| !l.starts_with(' ')))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// Issue 21: `earful generate` is listed in `--help`; it writes a man page per subcommand,
/// and the completion scripts of bash, zsh and fish offer every subcommand.
#[test]
fn generates_man_pages_and_completions_for_every_subcommand() {
    let subcommands = listed_subcommands();
    assert!(
        subcommands.len() >= 10 && subcommands.iter().any(|s| s == "generate"),
        "{subcommands:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let man1 = dir.path().join("share/man/man1");
    earful()
        .args(["generate", "man"])
        .arg(&man1)
        .assert()
        .success();
    let names = std::iter::once("earful".to_owned())
        .chain(subcommands.iter().map(|s| format!("earful-{s}")));
    for name in names {
        let text = std::fs::read_to_string(man1.join(format!("{name}.1")))
            .unwrap_or_else(|e| panic!("{name}.1: {e}"));
        let title = format!(".TH {name} 1 ");
        assert!(
            text.lines().any(|l| l.starts_with(&title)),
            "{name}.1 lacks {title:?}"
        );
    }
    for (shell, offers) in [
        ("bash", "earful,{})"),
        ("zsh", "({})"),
        ("fish", "-a \"{}\""),
    ] {
        let out = earful()
            .args(["generate", "completions", shell])
            .assert()
            .success();
        let script = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        for sub in &subcommands {
            let want = offers.replace("{}", sub);
            assert!(script.contains(&want), "{shell} completion lacks {want:?}");
        }
    }
}

#[test]
fn classify_and_filter_end_quietly_when_the_reader_closes() {
    let line = r#"{"id":"x:1","text":"nimbus dropped my calls again"}"#;
    for args in [
        &["classify"][..],
        &["classify", "--threads", "2"],
        &["filter", "nimbus"],
    ] {
        let (code, stderr) = close_after_one_line(args, line, 200_000);
        assert_eq!((code, stderr.as_str()), (Some(0), ""), "{args:?}");
    }
}

#[test]
fn unknown_fields_survive_filter_classify_and_export() {
    let input = r#"{"id":"x:1","text":"Nimbus support kept me on hold for hours","my":{"team":"support","n":[1,2]},"z":null}
{"id":"x:2","text":"unrelated","my":{"team":"none"}}
"#;
    let filtered = earful()
        .args(["filter", "nimbus"])
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let classified = earful()
        .arg("classify")
        .write_stdin(filtered)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(classified.clone()).unwrap();
    assert!(text.starts_with(
        r#"{"id":"x:1","text":"Nimbus support kept me on hold for hours","my":{"team":"support","n":[1,2]},"z":null,"sentiment":"#
    ), "{text}");
    earful()
        .args(["export", "--columns", "id,my.team,my.n,sentiment.label"])
        .write_stdin(classified.clone())
        .assert()
        .success()
        .stdout("id,my.team,my.n,sentiment.label\nx:1,support,1 | 2,negative\n");
    let json = earful()
        .args(["export", "--format", "json"])
        .write_stdin(classified)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(
        v[0]["my"],
        serde_json::json!({"team": "support", "n": [1, 2]})
    );
}

/// Runs `earful ARGS` with `stdin` and returns its stdout, asserting exit 0.
fn stage(args: &[&str], stdin: Vec<u8>) -> Vec<u8> {
    earful()
        .args(args)
        .write_stdin(stdin)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone()
}

#[test]
fn airline_csv_through_the_whole_pipeline_with_no_flags() {
    let Some(csv) = crate::common::shared("data/airline-tweets/Tweets.csv") else {
        return;
    };
    let fetched = earful()
        .arg("fetch")
        .arg(&csv)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let filtered = stage(&["filter", "united"], fetched);
    let classified = stage(&["classify"], filtered);
    let lines = crate::common::json_lines(&classified);
    assert!(lines.len() > 3_000, "{} mentions of united", lines.len());
    assert!(lines.iter().all(|l| l["sentiment"]["label"].is_string()));
    // The CSV's own columns (fields earful does not know) survive fetch, filter and classify.
    assert!(lines.iter().all(|l| l["airline_sentiment"].is_string()));
    let count = |label: &str| {
        lines
            .iter()
            .filter(|l| l["sentiment"]["label"] == label)
            .count()
    };
    assert!(
        count("negative") > count("neutral") + 500 && count("negative") > count("positive") + 500,
        "tweets to @united are mostly complaints"
    );
    let report = stage(
        &[
            "export",
            "--columns",
            "id,airline_sentiment,sentiment.label",
        ],
        classified,
    );
    let mut reader = csv::Reader::from_reader(&report[..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), lines.len());
    assert!(
        rows.iter()
            .all(|r| ["negative", "neutral", "positive"].contains(&&r[1]))
    );
}

#[test]
fn the_bundled_examples_run_through_the_whole_pipeline() {
    let fetched = earful()
        .args([
            "fetch",
            "examples/feeds/nimbus-newsroom.rss.xml",
            "examples/feeds/r-nimbus.atom.xml",
            "examples/feeds/community.feed.json",
            "examples/x-archive",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(crate::common::json_lines(&fetched).len(), 48);
    let filtered = stage(&["filter", "--queries", "examples/queries.toml"], fetched);
    let classified = stage(
        &["classify", "--queries", "examples/queries.toml"],
        filtered,
    );
    let lines = crate::common::json_lines(&classified);
    assert_eq!(lines.len(), 44, "the four posts about no brand are dropped");
    assert!(lines.iter().all(|l| l["matches"].is_array()));
    for label in ["complaint", "question", "praise", "urgent"] {
        assert!(
            lines.iter().any(|l| l["labels"]
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x == label))),
            "no mention labelled {label}"
        );
    }
    let report = stage(&["export", "--format", "csv"], classified);
    assert_eq!(csv::Reader::from_reader(&report[..]).records().count(), 44);
}

/// On Linux a stage asks for a 1 MiB buffer for the pipe it writes to, so that it does not
/// wait for its reader every 64 KiB (the default).
#[cfg(target_os = "linux")]
#[test]
fn the_output_pipe_is_grown_to_one_mebibyte() {
    use std::os::fd::AsFd;

    let max: usize = std::fs::read_to_string("/proc/sys/fs/pipe-max-size")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    if max < 1 << 20 {
        eprintln!("skipped: this system allows pipes of {max} bytes at most");
        return;
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("earful"))
        .args(["classify", "-q"])
        .arg(crate::common::fixture("records/mixed.jsonl"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    // The stage has finished once its output ends; our end of the pipe is still open.
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut stdout, &mut out).unwrap();
    child.wait().unwrap();
    assert!(!out.is_empty());
    assert_eq!(
        rustix::pipe::fcntl_getpipe_size(stdout.as_fd()).unwrap(),
        1 << 20
    );
}

/// Issue 13: every stage that writes records takes the same `-o/--output FILE`: the records
/// go to the file and nothing to stdout; a usage error leaves an existing file untouched.
#[test]
fn every_stage_writes_to_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let feed = crate::common::fixture("feeds/rss-dates.xml");
    let mentions = dir.path().join("mentions.jsonl");
    // Each stage, its arguments, and an argument it rejects (exit 2) before opening -o.
    let stages: [(&str, Vec<std::ffi::OsString>, [&str; 2]); 4] = [
        ("fetch", vec![feed.into()], ["--list", "no/such/list.txt"]),
        (
            "filter",
            vec!["".into(), mentions.clone().into()],
            ["--sample", "2"],
        ),
        (
            "classify",
            vec![mentions.clone().into()],
            ["--lexicon", "no/such/lexicon"],
        ),
        // The format follows the extension of -o.
        ("export", vec![mentions.clone().into()], ["--format", "pdf"]),
    ];
    for (stage, args, bad) in stages {
        let file = dir.path().join(format!("{stage}.jsonl"));
        let out = earful()
            .arg(stage)
            .args(&args)
            .arg("-o")
            .arg(&file)
            .assert()
            .success();
        assert!(out.get_output().stdout.is_empty(), "{stage}");
        let written = std::fs::read(&file).unwrap();
        let lines = crate::common::json_lines(&written);
        assert!(!lines.is_empty(), "{stage} wrote nothing");
        assert!(lines.iter().all(|l| l["id"].is_string()), "{stage}");
        if stage == "fetch" {
            std::fs::copy(&file, &mentions).unwrap();
        }
        // A usage error is found before the output is opened.
        std::fs::write(&file, "keep").unwrap();
        earful()
            .arg(stage)
            .args(&args)
            .args(bad)
            .arg("-o")
            .arg(&file)
            .assert()
            .code(2);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep", "{stage}");
    }
}

/// Issue 14, item 4 (decided): every input file of filter, classify and export is opened
/// before anything is written. A missing one is a usage error (exit 2) that names it once;
/// nothing goes to stdout and an existing `-o` file is left as it was.
#[test]
fn missing_input_is_a_usage_error_before_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let good = crate::common::fixture("records/airline-mentions.jsonl");
    let missing = dir.path().join("nosuch.jsonl");
    let report = dir.path().join("report.csv");
    for stage in [&["filter", ""][..], &["classify"], &["export"]] {
        std::fs::write(&report, "kept\n").unwrap();
        let out = earful()
            .args(stage)
            .arg(&good)
            .arg(&missing)
            .arg(&good)
            .arg("-o")
            .arg(&report)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert_eq!(
            stderr.matches("No such file or directory").count(),
            1,
            "{stage:?}: {stderr}"
        );
        assert!(stderr.contains(&missing.display().to_string()), "{stderr}");
        assert!(out.get_output().stdout.is_empty(), "{stage:?}");
        assert_eq!(
            std::fs::read_to_string(&report).unwrap(),
            "kept\n",
            "{stage:?}"
        );
    }
}

/// Issue 14 item 6: on SIGINT or SIGTERM a line stage finishes the current line, flushes and
/// exits 130; the output ends on a whole line (and an export's JSON array is closed).
#[test]
fn line_stages_stop_on_a_whole_line_on_sigint() {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let line = br#"{"id":"x:1","text":"the flight was late again, thanks a lot","platform":"x"}"#;
    for (args, signal) in [
        (vec!["filter", ""], "-INT"),
        (vec!["classify", "--threads", "2"], "-TERM"),
        (vec!["export", "-f", "json"], "-INT"),
    ] {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("earful"))
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || {
            // Writes until the stage stops reading.
            let mut block = Vec::new();
            for _ in 0..200 {
                block.extend_from_slice(line);
                block.push(b'\n');
            }
            while stdin.write_all(&block).is_ok() {}
        });
        let mut stdout = child.stdout.take().unwrap();
        // The first output byte: the stage is running, its signal handler installed.
        let mut first = [0u8; 1];
        std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
        let reader = std::thread::spawn(move || {
            let mut out = first.to_vec();
            std::io::Read::read_to_end(&mut stdout, &mut out).unwrap();
            out
        });
        let pid = child.id().to_string();
        assert!(
            Command::new("kill")
                .args([signal, &pid])
                .status()
                .unwrap()
                .success()
        );
        let status = child.wait().unwrap();
        let out = reader.join().unwrap();
        writer.join().unwrap();
        assert_eq!(status.code(), Some(130), "{args:?}");
        assert!(!out.is_empty(), "{args:?}");
        if args[0] == "export" {
            let records: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
            assert!(!records.is_empty());
        } else {
            assert_eq!(out.last(), Some(&b'\n'), "{args:?}");
            let text = String::from_utf8(out).unwrap();
            for l in text.lines() {
                serde_json::from_str::<serde_json::Value>(l).unwrap();
            }
        }
    }
}

/// Issue 14 item 7: a line longer than --max-record-size is a bad line (reported with its
/// length, counted, skipped) in every line stage, the block scan of a filter query included.
#[test]
fn over_long_lines_are_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.jsonl");
    let long = |id: &str| format!(r#"{{"id":"{id}","text":"first {}"}}"#, "x".repeat(3 << 20));
    std::fs::write(
        &path,
        format!(
            "{}\n{}\n{}\n{}",
            r#"{"id":"a","text":"first"}"#,
            long("b"),
            r#"{"id":"c","text":"first again"}"#,
            long("d")
        ),
    )
    .unwrap();
    for args in [
        vec!["filter", "first"],
        vec!["filter", ""],
        vec!["classify"],
        vec!["export", "-f", "jsonl"],
    ] {
        let out = crate::common::earful()
            .args(&args)
            .args(["--max-record-size", "1MiB"])
            .arg(&path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        let ids: Vec<_> = crate::common::json_lines(&out.stdout)
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids, ["a", "c"], "{args:?}");
        assert!(
            stderr.contains(&format!(
                "long.jsonl:2: line of {} bytes, longer than --max-record-size (1048576 bytes)",
                long("b").len()
            )),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("long.jsonl:4: "), "{args:?}: {stderr}");
        assert!(
            stderr.contains("skipped 2 malformed lines of 4"),
            "{args:?}: {stderr}"
        );
    }
}
