//! Issue 14, "done when": every command in the README's `sh` blocks runs as written on the
//! bundled data. The files a command names that are the user's own (`mentions.jsonl`,
//! `feeds.opml`, an X archive zip...) are made from the bundled examples in a scratch folder
//! first; commands that need the network or build the crate are listed in `NOT_RUN` with
//! the reason, and the test fails if the README and these lists drift apart.

use std::io::Write as _;
use std::path::Path;
use std::process::Command;

use crate::common::earful;

/// README commands not run here, and why.
const NOT_RUN: &[(&str, &str)] = &[
    ("cargo install --locked --path .", "installs the crate"),
    (
        "bash examples/quickstart.sh",
        "builds a release binary (tested by pipeline tests)",
    ),
    ("cargo test", "is this test suite"),
    (
        "earful fetch 'https://hnrss.org/newest?q=nimbus' 'https://www.reddit.com/r/nimbusmobile/new/.rss' > mentions.jsonl",
        "needs the internet",
    ),
];

/// The shell commands of a document, per `sh` block, `\` continuations joined.
pub fn doc_blocks(doc: &str) -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(doc)).unwrap();
    let mut blocks = Vec::new();
    let mut commands = Vec::new();
    let mut in_sh = false;
    let mut current = String::new();
    for line in readme.lines() {
        if line.starts_with("```") {
            in_sh = !in_sh && line.trim() == "```sh";
            if !commands.is_empty() {
                blocks.push(std::mem::take(&mut commands));
            }
            continue;
        }
        if !in_sh || line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(part) => current.push_str(part),
            None => {
                current.push_str(line);
                commands.push(std::mem::take(&mut current));
            }
        }
    }
    blocks
}

/// A scratch folder holding the files the README's and the cookbook's commands name, from
/// the bundled data.
fn workspace(dir: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::os::unix::fs::symlink(root.join("examples"), dir.join("examples")).unwrap();
    let run = |args: &[&str], stdin: Option<Vec<u8>>| -> Vec<u8> {
        let mut cmd = earful();
        cmd.args(args);
        if let Some(stdin) = stdin {
            cmd.write_stdin(stdin);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        out.stdout
    };
    let mentions = run(
        &["fetch", "-q", "examples/feeds", "examples/x-archive"],
        None,
    );
    let scored = run(&["classify"], Some(mentions.clone()));
    std::fs::write(dir.join("mentions.jsonl"), &mentions).unwrap();
    std::fs::write(dir.join("scored.jsonl"), scored).unwrap();
    let routed = run(
        &[
            "route",
            "--routes",
            "examples/cron/teams.toml",
            "--default-team",
            "care",
        ],
        Some(std::fs::read(dir.join("scored.jsonl")).unwrap()),
    );
    std::fs::write(dir.join("routed.jsonl"), routed).unwrap();
    let (db, scored) = (dir.join("mentions.db"), dir.join("scored.jsonl"));
    run(
        &[
            "export",
            "-q",
            "-o",
            db.to_str().unwrap(),
            scored.to_str().unwrap(),
        ],
        None,
    );
    std::fs::write(
        dir.join("search.jsonl"),
        std::fs::read(root.join("tests/fixtures/social/twarc2-flat.jsonl")).unwrap(),
    )
    .unwrap();
    std::fs::copy(
        root.join("tests/fixtures/social/twitwi.csv"),
        dir.join("Tweets.csv"),
    )
    .unwrap();
    std::fs::copy(
        root.join("data/intents.toml"),
        dir.join("our-taxonomy.toml"),
    )
    .unwrap();
    // `train`'s examples: a labelled spreadsheet, and a model trained on it.
    let mut labelled = String::from("id,title,text,topic\n");
    let topics = [
        ("billing", ["charged twice", "refund", "invoice wrong"]),
        ("app", ["app crashes", "login broken", "sync fails"]),
    ];
    for i in 0..40 {
        let (topic, words) = topics[i % 2];
        let text = format!(
            "{} again on my {} account",
            words[(i / 2) % 3],
            ["pro", "team"][i % 3 % 2]
        );
        labelled.push_str(&format!("{i},,{text},{topic}\n"));
    }
    let (csv, model) = (dir.join("labelled.csv"), dir.join("topic.model"));
    std::fs::write(&csv, labelled).unwrap();
    let train = [
        "train",
        "-q",
        "--label-column",
        "topic",
        csv.to_str().unwrap(),
        "-o",
        model.to_str().unwrap(),
    ];
    run(&train, None);
    let mut opml = String::from(r#"<opml version="2.0"><body><outline text="nimbus">"#);
    for feed in [
        "nimbus-newsroom.rss.xml",
        "r-nimbus.atom.xml",
        "community.feed.json",
    ] {
        opml.push_str(&format!(
            r#"<outline type="rss" xmlUrl="examples/feeds/{feed}"/>"#
        ));
    }
    opml.push_str("</outline></body></opml>");
    std::fs::write(dir.join("feeds.opml"), opml).unwrap();
    let mut zip =
        zip::ZipWriter::new(std::fs::File::create(dir.join("twitter-2026-03-01.zip")).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for file in ["account.js", "tweets.js"] {
        zip.start_file(format!("data/{file}"), opts).unwrap();
        zip.write_all(&std::fs::read(root.join("examples/x-archive/data").join(file)).unwrap())
            .unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn readme_examples_run_as_written() {
    let wrote = [
        "report.csv",
        "scored.json",
        "mentions.jsonl",
        "mentions.db",
        "last-week.csv",
        "report.html",
        "report.md",
        "routed.jsonl",
        "urgent.json",
        "to-label.csv",
        "completions/earful",
    ];
    run_doc("README.md", NOT_RUN, &wrote);
}

/// Runs every command of `doc` but those of `not_run` (which must all be in it), block by
/// block, each block in a fresh workspace, with the earful under test first on the PATH;
/// each must exit 0 and write something (to stdout, or one of the files `wrote`).
pub fn run_doc(doc: &str, not_run: &[(&str, &str)], wrote: &[&str]) {
    let blocks = doc_blocks(doc);
    let commands: Vec<&String> = blocks.iter().flatten().collect();
    for (skipped, _) in not_run {
        assert!(
            commands.iter().any(|c| *c == skipped),
            "NOT_RUN lists {skipped:?}, which {doc} no longer has"
        );
    }
    let runs = |c: &str| !not_run.iter().any(|(s, _)| *s == c);
    assert!(
        commands.iter().filter(|c| runs(c)).count() >= 8,
        "{commands:#?}"
    );
    // The webhook of the notify examples.
    let server = crate::common::server::Server::start();
    let hook = server.route("/hook", crate::common::server::Reply::status("200 OK"));
    let bin = assert_cmd::cargo::cargo_bin("earful");
    for block in &blocks {
        let dir = tempfile::tempdir().unwrap();
        workspace(dir.path());
        // `mail` is the user's mail system: here it keeps the message in mail.txt.
        let tools = dir.path().join("bin");
        std::fs::create_dir(&tools).unwrap();
        let mail = tools.join("mail");
        std::fs::write(&mail, "#!/bin/sh\n{ echo \"to: $*\"; cat; } >> mail.txt\n").unwrap();
        std::fs::set_permissions(&mail, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let path = format!(
            "{}:{}:{}",
            bin.parent().unwrap().display(),
            tools.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        for command in block.iter().filter(|c| runs(c)) {
            let tools = ["jq", "mlr", "duckdb", "sqlite3"];
            if let Some(tool) = tools.iter().find(|t| {
                command.contains(&format!("{t} "))
                    && Command::new(t).arg("--version").output().is_err()
            }) {
                let _ = writeln!(std::io::stderr(), "SKIP: {command} (needs {tool})");
                continue;
            }
            let out = Command::new("bash")
                .args(["-c", &format!("set -o pipefail; {command}")])
                .current_dir(dir.path())
                .env("PATH", &path)
                .env("HOME", dir.path())
                .env("SLACK_URL", &hook)
                .env_remove("NO_COLOR")
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{command}\nstderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let wrote = !out.stdout.is_empty() || wrote.iter().any(|f| command.contains(f));
            assert!(wrote, "{command} wrote nothing");
        }
    }
}
