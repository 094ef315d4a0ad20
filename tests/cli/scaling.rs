//! Scale-out with GNU parallel, as docs/scaling.md shows it: `classify` and `filter` run on
//! blocks of the input give the lines of one process, order aside; `stats --partial` per block
//! then `stats --merge` gives the rows of one run.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{earful, json_lines, shared, shell_settings};

/// Whether GNU parallel is installed; else a SKIP line (moreutils ships another program under
/// the same name).
fn have_gnu_parallel() -> bool {
    let gnu = Command::new("parallel")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.starts_with(b"GNU parallel"));
    if !gnu {
        let _ = writeln!(
            std::io::stderr(),
            "SKIP: GNU parallel absent (apt-get install -y parallel); .ci/run installs it"
        );
    }
    gnu
}

/// About 4,000 airline mentions from `bench/gen_mentions.py` (2 MB, so blocks of 1 MB split
/// it in three); `None` after a SKIP line without the shared tweets or python3.
fn corpus(dir: &Path) -> Option<PathBuf> {
    let tweets = shared("data/airline-tweets/Tweets.csv")?;
    let out = dir.join("mentions.jsonl");
    let made = Command::new("python3")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("bench/gen_mentions.py")
        .arg(tweets)
        .arg(&out)
        .arg("2")
        .output();
    match made {
        Ok(o) if o.status.success() => Some(out),
        Ok(o) => panic!("bench/gen_mentions.py failed: {o:?}"),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "SKIP: python3 is missing: {e}");
            None
        }
    }
}

/// `parallel --pipe --block 1M earful ARGS... < input`, with the clean environment of
/// `earful()`: its stdout, after checking that it succeeded.
fn in_blocks(args: &[&str], input: &Path) -> Vec<u8> {
    let mut parallel = Command::new("parallel");
    for key in shell_settings() {
        parallel.env_remove(key);
    }
    let out = parallel
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--pipe", "--block", "1M"])
        .arg(assert_cmd::cargo::cargo_bin("earful"))
        .args(args)
        .stdin(std::fs::File::open(input).unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "parallel {args:?}: {out:?}");
    out.stdout
}

/// `earful ARGS... input` in one process: its stdout.
fn at_once(args: &[&str], input: &Path) -> Vec<u8> {
    let out = earful().args(args).arg(input).assert().success();
    out.get_output().stdout.clone()
}

fn sorted_lines(out: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = out.split(|b| *b == b'\n').collect();
    lines.sort_unstable();
    lines
}

#[test]
fn parallel_blocks_give_the_lines_and_rows_of_one_process() {
    if !have_gnu_parallel() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let Some(raw) = corpus(dir.path()) else {
        return;
    };
    assert!(std::fs::metadata(&raw).unwrap().len() > 2_000_000);

    let classified = at_once(&["classify"], &raw);
    assert!(json_lines(&classified).len() > 3_000);
    let blocks = in_blocks(&["classify"], &raw);
    assert!(
        sorted_lines(&blocks) == sorted_lines(&classified),
        "classify in blocks differs from one process"
    );

    let classified_file = dir.path().join("classified.jsonl");
    std::fs::write(&classified_file, &classified).unwrap();
    let filter = ["filter", "--queries", "bench/airlines.toml"];
    let matched = at_once(&filter, &classified_file);
    assert!(json_lines(&matched).len() > 2_000);
    let blocks = in_blocks(&filter, &classified_file);
    assert!(
        sorted_lines(&blocks) == sorted_lines(&matched),
        "filter in blocks differs from one process"
    );

    let matched_file = dir.path().join("matched.jsonl");
    std::fs::write(&matched_file, &matched).unwrap();
    for group in [
        &["--group", "match"][..],
        &["--by", "week", "--group", "match,label", "--terms", "5"],
    ] {
        let one = json_lines(&at_once(&[&["stats"][..], group].concat(), &matched_file));
        assert!(one.len() > 10, "{group:?}");
        let partials = in_blocks(
            &[&["stats", "--partial"][..], group].concat(),
            &matched_file,
        );
        // More than one part: the blocks were counted apart.
        let headers = json_lines(&partials)
            .iter()
            .filter(|l| l.get("header").is_some())
            .count();
        assert!(headers > 1, "{group:?}: {headers} partial header(s)");
        let merged = earful()
            .args(["stats", "--merge"])
            .args(group)
            .write_stdin(partials)
            .assert()
            .success();
        assert_eq!(json_lines(&merged.get_output().stdout), one, "{group:?}");
    }
}
