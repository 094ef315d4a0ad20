//! `earful init` and the project file (`earful.toml`): the starter files, listen.sh on the
//! sample data, defaults from the file, flags winning, errors with their line.

use std::path::Path;
use std::process::Command;

use crate::common::earful;

fn init(dir: &Path, sources: bool) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cmd = earful();
    cmd.args(["init", "--brand", "Nimbus Mobile", "--brand", "Nimbus"])
        .args([
            "--competitor",
            "Vireo",
            "--competitor",
            "Kestrel",
            "--handle",
            "@NimbusHelp",
        ]);
    if sources {
        cmd.arg("--source")
            .arg(root.join("examples/feeds"))
            .arg("--source")
            .arg(root.join("examples/x-archive"));
    }
    let out = cmd.arg(dir).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).unwrap() + &String::from_utf8_lossy(&out.stderr)
}

fn listen(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(dir.join("listen.sh"))
        .args(args)
        .env("EARFUL", assert_cmd::cargo::cargo_bin("earful"))
        .env("SINCE", "2026-01-01")
        .env_remove("EARFUL_CONFIG")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn init_writes_the_starter_files_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), false);
    for feed in [
        "https://www.reddit.com/search.rss?q=%22Nimbus+Mobile%22&sort=new",
        "https://hnrss.org/newest?q=%22Vireo%22",
        "https://news.google.com/rss/search?q=%22Kestrel%22",
        "https://mastodon.social/tags/nimbusmobile.rss",
        "Google Alerts",
        "youtube.com/feeds/videos.xml",
        "crontab",
    ] {
        assert!(out.contains(feed), "{feed} in {out}");
    }
    let files = [
        "earful.toml",
        "queries.toml",
        "teams.toml",
        "feeds.opml",
        "listen.sh",
    ];
    for f in files {
        assert!(dir.path().join(f).is_file(), "{f}");
    }
    std::fs::write(dir.path().join("earful.toml"), "# mine\n").unwrap();
    let again = init(dir.path(), false);
    assert!(
        again.contains("kept") && again.contains("earful.toml (it exists)"),
        "{again}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("earful.toml")).unwrap(),
        "# mine\n"
    );
    // The OPML lists the feeds of every name, and fetch reads it as a list of sources.
    let opml = std::fs::read_to_string(dir.path().join("feeds.opml")).unwrap();
    assert_eq!(opml.matches("type=\"rss\"").count(), 4 * 4);
}

#[test]
fn listen_sh_on_the_sample_data_stores_reports_and_adds_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), true);
    let (code, out) = listen(dir.path(), &[]);
    assert_eq!(code, 0, "{out}");
    let stored = |out: &str| -> u64 {
        let line = out
            .lines()
            .find(|l| l.starts_with("export: wrote "))
            .unwrap();
        line["export: wrote ".len()..]
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let first = stored(&out);
    assert!(first > 30, "{out}");
    for stage in [
        "fetch: ",
        "filter: kept ",
        "classify: read ",
        "route: routed: ",
        "export: wrote ",
    ] {
        assert!(out.contains(stage), "{stage} in {out}");
    }
    assert!(dir.path().join("data/teams/support.jsonl").is_file());
    let (code, out) = listen(dir.path(), &[]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(stored(&out), 0, "{out}");
    assert!(out.contains("0 new mentions"), "{out}");
    let (code, out) = listen(dir.path(), &["report"]);
    assert_eq!(code, 0, "{out}");
    let report = out
        .lines()
        .find_map(|l| l.strip_prefix("report: "))
        .unwrap();
    let html = std::fs::read_to_string(dir.path().join(report)).unwrap();
    assert!(html.contains("<title>Nimbus Mobile: voice of the customer</title>"));
    assert!(
        html.contains(&format!("<b>{first}</b>Mentions")),
        "the store holds every mention once"
    );
}

#[test]
fn a_broken_stage_fails_the_job() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), true);
    std::fs::write(dir.path().join("teams.toml"), "[[route]]\nteam = \"a\"\n").unwrap();
    let (code, out) = listen(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("route failed (exit 2)"), "{out}");
}

#[test]
fn the_project_file_sets_defaults_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("proj");
    std::fs::create_dir(&project).unwrap();
    std::fs::write(
        project.join("earful.toml"),
        "[project]\nname = \"Acme\"\nqueries = \"q.toml\"\n\n[filter]\nkeep-all = true\n",
    )
    .unwrap();
    std::fs::write(project.join("q.toml"), "acme = 'acme'\n").unwrap();
    let input = "{\"id\":\"1\",\"text\":\"acme rocks\"}\n{\"id\":\"2\",\"text\":\"other\"}\n";
    let run = |args: &[&str], cwd: &Path| {
        let out = earful()
            .current_dir(cwd)
            .args(args)
            .write_stdin(input)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // ./earful.toml, its relative path resolved from its folder.
    let (code, out, err) = run(&["filter"], &project);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.lines().count(), 2, "keep-all from [filter]");
    assert!(
        out.contains("\"matches\":[\"acme\"]"),
        "queries from [project]"
    );
    // --config from elsewhere, and EARFUL_CONFIG; a flag wins.
    let config = project.join("earful.toml");
    let (_, out, _) = run(
        &["--config", config.to_str().unwrap(), "filter"],
        dir.path(),
    );
    assert_eq!(out.lines().count(), 2);
    let out = earful()
        .current_dir(dir.path())
        .env("EARFUL_CONFIG", &config)
        .args(["filter", "--queries"])
        .arg(project.join("q.toml"))
        .args(["--keep-all=false"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().lines().count(),
        1,
        "flags win"
    );
    // With the project's queries, the first argument is still the query.
    let (code, out, err) = run(&["filter", "acme OR other"], &project);
    assert_eq!((code, out.lines().count()), (Some(0), 2), "{err}");
    // --no-config: none.
    let (code, out, err) = run(&["--no-config", "filter"], &project);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        !out.contains("matches"),
        "no named queries without the file: {out}"
    );
}

#[test]
fn a_bad_project_file_is_a_usage_error_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    for (src, want) in [
        (
            "[project]\nname = \"a\"\ncolour = 1\n",
            "earful.toml:3: unknown key `colour`",
        ),
        (
            "[reprot]\ntop = 3\n",
            "earful.toml:1: [reprot] is not a stage",
        ),
        (
            "[report]\n\ntopp = 3\n",
            "earful.toml:3: [report] has no option --topp",
        ),
        ("[report\n", "earful.toml:1: invalid TOML"),
    ] {
        std::fs::write(dir.path().join("earful.toml"), src).unwrap();
        let out = earful()
            .current_dir(dir.path())
            .args(["stats"])
            .write_stdin("")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{src}");
        assert!(err.contains(want), "{src}: {err}");
    }
}
