//! The mention store (issue 15): `export -o mentions.db` upserts by id in batched
//! transactions; `fetch mentions.db` reads it back.

use std::io::Write;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use predicates::prelude::PredicateBooleanExt;
use rusqlite::Connection;

use crate::common::earful;

/// A mention line in the schema's field order, as earful stages write it.
fn mention(n: u32, published: &str, label: &str) -> String {
    format!(
        "{{\"id\":\"x:{n}\",\"platform\":\"x\",\"kind\":\"post\",\"text\":\"late again {n}\",\
         \"published\":\"{published}\",\"author\":{{\"handle\":\"u{n}\"}},\
         \"metrics\":{{\"likes\":{n}}},\"sentiment\":{{\"score\":-0.4,\"label\":\"negative\"}},\
         \"labels\":[\"{label}\"],\"my_field\":{{\"keep\":[1,2]}}}}"
    )
}

fn export(db: &Path, lines: &[String]) {
    earful()
        .args(["export", "-o"])
        .arg(db)
        .write_stdin(lines.join("\n") + "\n")
        .assert()
        .success()
        .stdout("");
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn export_twice_keeps_one_row_per_id_and_updates_changed_mentions() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mentions.db");
    let first: Vec<String> = (1..=3)
        .map(|n| mention(n, "2024-01-10T10:00:00Z", "complaint"))
        .collect();
    export(&db, &first);
    // `updated` has whole seconds: let the clock move so a change is visible.
    std::thread::sleep(Duration::from_millis(1100));
    let mut second = first.clone();
    second[0] = second[0].replace("complaint", "urgent");
    export(&db, &second);

    let conn = Connection::open(&db).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM mentions"), 3);
    assert_eq!(
        count(&conn, "SELECT max(version) FROM schema_version"),
        earful::store::SCHEMA_VERSION
    );
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let (json, first_seen, updated, handle, score, likes): (
        String,
        String,
        String,
        String,
        f64,
        i64,
    ) = conn
        .query_row(
            "SELECT json, first_seen, updated, author_handle, sentiment_score, likes
             FROM mentions WHERE id = 'x:1'",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(json, second[0]);
    assert!(updated > first_seen, "{first_seen} {updated}");
    assert_eq!((handle.as_str(), score, likes), ("u1", -0.4, 1));
    let unchanged = count(
        &conn,
        "SELECT count(*) FROM mentions WHERE id != 'x:1' AND updated = first_seen",
    );
    assert_eq!(unchanged, 2);
    let labels: Vec<String> = conn
        .prepare("SELECT label FROM labels WHERE id = 'x:1'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(labels, ["urgent"]);
    assert_eq!(count(&conn, "SELECT count(*) FROM labels"), 3);
}

#[test]
fn a_line_without_id_is_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.sqlite");
    earful()
        .args(["export", "-o"])
        .arg(&db)
        .write_stdin(format!(
            "{{\"text\":\"no id\"}}\n{}\n",
            mention(1, "2024-01-10T10:00:00Z", "a")
        ))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("<stdin>:1: no \"id\" string"));
    let conn = Connection::open(&db).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM mentions"), 1);
}

#[test]
fn the_store_is_a_file_not_stdout() {
    earful()
        .args(["export", "--format", "sqlite"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("name it with -o mentions.db"));
}

/// An export killed between batches leaves a database that opens and holds whole batches.
#[test]
fn a_killed_export_keeps_whole_batches() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mentions.db");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("earful"))
        .args(["export", "--batch", "100", "-o"])
        .arg(&db)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for n in 0..250 {
        writeln!(stdin, "{}", mention(n, "2024-01-10T10:00:00Z", "a")).unwrap();
    }
    stdin.flush().unwrap();
    // The writer is slow on purpose: stdin stays open while two batches are committed.
    let deadline = Instant::now() + Duration::from_secs(30);
    let committed = loop {
        let seen = Connection::open(&db).ok().and_then(|c| {
            c.query_row("SELECT count(*) FROM mentions", [], |r| r.get::<_, i64>(0))
                .ok()
        });
        if seen == Some(200) || Instant::now() > deadline {
            break seen;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
    assert_eq!(committed, Some(200));
    let conn = Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert_eq!(count(&conn, "SELECT count(*) FROM mentions"), 200);
    assert_eq!(count(&conn, "SELECT count(*) FROM labels"), 200);
}

/// `fetch mentions.db --since` gives exactly the stored mentions of the period, in
/// `published` order, byte-identical to the lines exported.
#[test]
fn fetch_reads_the_store_back_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mentions.db");
    let lines = vec![
        mention(3, "2024-01-12T00:00:00Z", "a"),
        mention(1, "2024-01-10T10:00:00Z", "b"),
        mention(4, "2024-01-15T08:30:00Z", "c"),
        mention(2, "2024-01-11T23:59:59Z", "d"),
    ];
    export(&db, &lines);
    // Dates that text order alone gets wrong: an offset (23:00Z, before the period), a
    // fraction just before it and one just inside it; and a mention without a date.
    let more = vec![
        mention(5, "2024-01-12T01:00:00+02:00", "e"),
        mention(6, "2024-01-11T23:59:59.900Z", "f"),
        mention(7, "2024-01-12T00:00:00.500Z", "g"),
        "{\"id\":\"x:8\",\"text\":\"no date\"}".to_owned(),
    ];
    export(&db, &more);
    // A row before the period that is not a mention: read, it would be reported (exit 1);
    // the period is asked of SQLite, so it is never read.
    Connection::open(&db)
        .unwrap()
        .execute(
            "INSERT INTO mentions (id, published, json, first_seen, updated)
             VALUES ('x:0', '2023-01-01T00:00:00Z', 'not json', '', '')",
            [],
        )
        .unwrap();
    let out = earful()
        .args(["fetch", "--since", "2024-01-12T00:00:00Z"])
        .arg(&db)
        .assert()
        .success()
        .stderr(predicates::str::contains("stored mention").not())
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!("{}\n{}\n{}\n{}\n", lines[0], more[2], lines[2], more[3])
    );
    Connection::open(&db)
        .unwrap()
        .execute("DELETE FROM mentions WHERE id = 'x:0'", [])
        .unwrap();
    for line in &more {
        Connection::open(&db)
            .unwrap()
            .execute("DELETE FROM mentions WHERE json = ?1", [line])
            .unwrap();
    }
    let all = earful()
        .arg("fetch")
        .arg(&db)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(all).unwrap(),
        format!("{}\n{}\n{}\n{}\n", lines[1], lines[3], lines[0], lines[2])
    );
}

/// `fetch mentions.db --since A --until B`: the mentions published in [A, B], both ends
/// included, exactly; rows after the period are never read (asked of SQLite).
#[test]
fn fetch_reads_a_period_of_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mentions.db");
    let lines = vec![
        mention(1, "2024-01-10T10:00:00Z", "before"),
        mention(2, "2024-01-11T00:00:00Z", "first second"),
        mention(3, "2024-01-12T12:00:00Z", "inside"),
        mention(4, "2024-01-13T00:00:00Z", "last second"),
        mention(5, "2024-01-13T00:00:01Z", "after"),
    ];
    export(&db, &lines);
    Connection::open(&db)
        .unwrap()
        .execute(
            "INSERT INTO mentions (id, published, json, first_seen, updated)
             VALUES ('x:0', '2025-01-01T00:00:00Z', 'not json', '', '')",
            [],
        )
        .unwrap();
    let out = earful()
        .args([
            "fetch",
            "--since",
            "2024-01-11",
            "--until",
            "2024-01-13T00:00:00Z",
        ])
        .arg(&db)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!("{}\n{}\n{}\n", lines[1], lines[2], lines[3])
    );
    earful()
        .args(["fetch", "--since", "2024-01-13", "--until", "2024-01-11"])
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is before --since"));
}

/// The `sh` blocks of docs/store.md that run sqlite3 or DuckDB: their text.
fn doc_queries() -> Vec<String> {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/store.md"))
        .unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in doc.lines() {
        match (&mut current, line.trim()) {
            (None, "```sh") => current = Some(String::new()),
            (Some(block), "```") => {
                if block.contains("sqlite3 ") || block.contains("duckdb ") {
                    blocks.push(std::mem::take(block));
                }
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

/// Whether `tool` runs here; DuckDB's blocks that attach the store also need its `sqlite`
/// extension, which `INSTALL` downloads.
fn missing(block: &str) -> Option<String> {
    let runs = |args: &[&str]| {
        std::process::Command::new(args[0])
            .args(&args[1..])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if block.contains("sqlite3 ") && !runs(&["sqlite3", "--version"]) {
        return Some("sqlite3 is not installed".to_owned());
    }
    if block.contains("duckdb ") && !runs(&["duckdb", "--version"]) {
        return Some("duckdb is not installed (pip install duckdb-cli)".to_owned());
    }
    if block.contains("LOAD sqlite") && !runs(&["duckdb", "-c", "INSTALL sqlite; LOAD sqlite"]) {
        return Some("DuckDB's sqlite extension cannot be installed (offline?)".to_owned());
    }
    None
}

/// Issue 15: the sqlite3 and DuckDB one-liners of docs/store.md run on a real store and
/// answer the questions they are shown for.
#[test]
fn docs_one_liners_run() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mentions.db");
    let line =
        |id: &str, published: &str, label: &str, sentiment: &str, likes: u32, airline: &str| {
            format!(
                "{{\"id\":\"{id}\",\"text\":\"{label} {id}\",\"published\":\"{published}\",\
             \"author\":{{\"handle\":\"u_{id}\"}},\"metrics\":{{\"likes\":{likes},\"reposts\":1}},\
             \"sentiment\":{{\"score\":0.1,\"label\":\"{sentiment}\"}},\"labels\":[\"{label}\"],\
             \"airline\":\"{airline}\"}}"
            )
        };
    export(
        &db,
        &[
            line(
                "x:1",
                "2024-03-01T09:00:00Z",
                "complaint",
                "negative",
                5,
                "united",
            ),
            line(
                "x:2",
                "2024-03-01T10:00:00Z",
                "complaint",
                "negative",
                50,
                "united",
            ),
            line(
                "x:3",
                "2024-03-02T11:00:00Z",
                "praise",
                "positive",
                1,
                "delta",
            ),
        ],
    );
    let earful_dir = assert_cmd::cargo::cargo_bin("earful")
        .parent()
        .unwrap()
        .to_owned();
    let path = format!(
        "{}:{}",
        earful_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // What each block must print, in the order of the page.
    let wants: &[&[&str]] = &[
        &[
            "day,sentiment_label,mentions",
            "2024-03-01,negative,2",
            "2024-03-02,positive,1",
        ],
        &[
            "2024-03-01T10:00:00Z|u_x:2|51|complaint x:2\n2024-03-01T09:00:00Z|u_x:1|6|complaint x:1",
        ],
        &["complaint|2\npraise|1", "united|2\n", "delta|1"],
        &["2024-03-01", "negative", "complaint x:2"],
        &["negative", "positive"],
    ];
    let blocks = doc_queries();
    assert_eq!(
        blocks.len(),
        wants.len(),
        "docs/store.md blocks changed: {blocks:#?}"
    );
    for (block, want) in blocks.iter().zip(wants) {
        if let Some(why) = missing(block) {
            println!("SKIP: {why}: {block}");
            continue;
        }
        let out = std::process::Command::new("bash")
            .args(["-euo", "pipefail", "-c", block])
            .current_dir(dir.path())
            .env("PATH", &path)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{block}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for w in *want {
            assert!(stdout.contains(w), "{block}\nwanted {w:?} in:\n{stdout}");
        }
    }
}

/// A version 1 store (rowid child tables) is migrated to version 2 by the next export,
/// keeping its rows, and then updated correctly.
#[test]
fn a_version_1_store_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mentions.db");
    let old = mention(1, "2024-01-10T10:00:00Z", "complaint");
    {
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_version (version INTEGER NOT NULL);
             INSERT INTO schema_version VALUES (1);
             CREATE TABLE mentions (id TEXT PRIMARY KEY NOT NULL, platform TEXT, kind TEXT,
                 url TEXT, title TEXT, text TEXT, lang TEXT, published TEXT, collected TEXT,
                 author_handle TEXT, author_name TEXT, source_type TEXT, source_uri TEXT,
                 sentiment_score REAL, sentiment_label TEXT, likes INTEGER, reposts INTEGER,
                 replies INTEGER, quotes INTEGER, views INTEGER, score INTEGER,
                 comments INTEGER, json TEXT NOT NULL, first_seen TEXT NOT NULL,
                 updated TEXT NOT NULL);
             CREATE TABLE labels (id TEXT NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
                 label TEXT NOT NULL, PRIMARY KEY (id, label));
             CREATE TABLE matches (id TEXT NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
                 query TEXT NOT NULL, PRIMARY KEY (id, query));
             CREATE INDEX labels_label ON labels(label);",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO mentions (id, json, first_seen, updated)
             VALUES ('x:1', ?1, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
            [&old],
        )
        .unwrap();
        conn.execute("INSERT INTO labels VALUES ('x:1', 'complaint')", [])
            .unwrap();
    }
    export(
        &db,
        &[
            mention(2, "2024-01-11T10:00:00Z", "praise"),
            old.replace("complaint", "urgent"),
        ],
    );
    let conn = Connection::open(&db).unwrap();
    assert_eq!(count(&conn, "SELECT max(version) FROM schema_version"), 2);
    let sql: String = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'labels'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(sql.contains("WITHOUT ROWID"), "{sql}");
    let labels: Vec<(String, String)> = conn
        .prepare("SELECT id, label FROM labels ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        labels,
        [
            ("x:1".into(), "urgent".into()),
            ("x:2".into(), "praise".into())
        ]
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'"
        ),
        5
    );
}

/// The first export into an empty store (indexes built at the end, no child deletes for new
/// mentions) still replaces the labels of an id that comes twice with different lines.
#[test]
fn an_id_twice_in_the_first_export_keeps_its_last_labels() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mentions.db");
    let first = mention(1, "2024-01-10T10:00:00Z", "complaint");
    export(
        &db,
        &[
            first.clone(),
            mention(2, "2024-01-10T10:00:00Z", "praise"),
            first.replace("complaint", "urgent"),
        ],
    );
    let conn = Connection::open(&db).unwrap();
    assert_eq!(
        count(&conn, "SELECT count(*) FROM labels WHERE id = 'x:1'"),
        1
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM labels WHERE id = 'x:1' AND label = 'urgent'"
        ),
        1
    );
    let plan: String = conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT json FROM mentions WHERE published >= '2024'",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("mentions_published"), "{plan}");
}
