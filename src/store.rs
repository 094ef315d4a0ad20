//! The mention store: a SQLite database that `earful export` upserts into by id and
//! `earful fetch` reads back. Schema and rules: `docs/store.md`.
//!
//! Writing streams in batched transactions (one transaction per [`DEFAULT_BATCH`] rows), so an
//! interrupted export leaves a database that opens and holds whole batches only. The database
//! is in WAL mode, so a reader (`fetch mentions.db`, `sqlite3`) can read while cron writes.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use crate::export::{RecordWriter, lookup};
use crate::jsonl::LineError;

/// The schema version this build writes; `schema_version` holds the version of a database.
pub const SCHEMA_VERSION: i64 = 1;

/// Rows per transaction unless `--batch` says otherwise.
pub const DEFAULT_BATCH: usize = 10_000;

/// The first 16 bytes of every SQLite database file.
pub const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Errors of the store, naming the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Sqlite {
        path: String,
        source: rusqlite::Error,
    },
    #[error("{path}: schema version {found} is newer than this earful reads ({SCHEMA_VERSION})")]
    TooNew { path: String, found: i64 },
    /// Writing what was read failed (a closed pipe stays recognisable as one).
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

const SCHEMA_V1: &str = "
CREATE TABLE mentions (
    id TEXT PRIMARY KEY NOT NULL,
    platform TEXT,
    kind TEXT,
    url TEXT,
    title TEXT,
    text TEXT,
    lang TEXT,
    published TEXT,
    collected TEXT,
    author_handle TEXT,
    author_name TEXT,
    source_type TEXT,
    source_uri TEXT,
    sentiment_score REAL,
    sentiment_label TEXT,
    likes INTEGER,
    reposts INTEGER,
    replies INTEGER,
    quotes INTEGER,
    views INTEGER,
    score INTEGER,
    comments INTEGER,
    json TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE labels (
    id TEXT NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    PRIMARY KEY (id, label)
);
CREATE TABLE matches (
    id TEXT NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    query TEXT NOT NULL,
    PRIMARY KEY (id, query)
);
CREATE INDEX mentions_published ON mentions(published);
CREATE INDEX mentions_platform ON mentions(platform);
CREATE INDEX mentions_sentiment_label ON mentions(sentiment_label);
CREATE INDEX labels_label ON labels(label);
CREATE INDEX matches_query ON matches(query);
";

/// The typed columns filled from the record, in the order of [`UPSERT`]'s `?2..`.
const TEXT_COLUMNS: [&str; 12] = [
    "platform",
    "kind",
    "url",
    "title",
    "text",
    "lang",
    "published",
    "collected",
    "author.handle",
    "author.name",
    "source.type",
    "source.uri",
];
const METRICS: [&str; 7] = [
    "likes", "reposts", "replies", "quotes", "views", "score", "comments",
];

/// Inserts a mention or updates its row when its JSON changed; `first_seen` is kept and
/// `updated` set only on a change (the `WHERE` makes an unchanged row a no-op).
const UPSERT: &str = "
INSERT INTO mentions (id, platform, kind, url, title, text, lang, published, collected,
    author_handle, author_name, source_type, source_uri, sentiment_score, sentiment_label,
    likes, reposts, replies, quotes, views, score, comments, json, first_seen, updated)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
    ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?24)
ON CONFLICT (id) DO UPDATE SET
    platform = excluded.platform, kind = excluded.kind, url = excluded.url,
    title = excluded.title, text = excluded.text, lang = excluded.lang,
    published = excluded.published, collected = excluded.collected,
    author_handle = excluded.author_handle, author_name = excluded.author_name,
    source_type = excluded.source_type, source_uri = excluded.source_uri,
    sentiment_score = excluded.sentiment_score, sentiment_label = excluded.sentiment_label,
    likes = excluded.likes, reposts = excluded.reposts, replies = excluded.replies,
    quotes = excluded.quotes, views = excluded.views, score = excluded.score,
    comments = excluded.comments, json = excluded.json, updated = excluded.updated
WHERE mentions.json IS NOT excluded.json";

/// Opens (creating if missing) and migrates the store at `path`.
pub fn open(path: &Path) -> Result<Connection, StoreError> {
    let name = path.display().to_string();
    let sql = |source| StoreError::Sqlite {
        path: name.clone(),
        source,
    };
    let mut conn = Connection::open(path).map_err(sql)?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(sql)?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(sql)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(sql)?;
    let tx = conn.transaction().map_err(sql)?;
    tx.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        .map_err(sql)?;
    let found: i64 = tx
        .query_row("SELECT max(version) FROM schema_version", [], |r| {
            r.get::<_, Option<i64>>(0)
        })
        .map_err(sql)?
        .unwrap_or(0);
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew { path: name, found });
    }
    if found < 1 {
        tx.execute_batch(SCHEMA_V1).map_err(sql)?;
        tx.execute("INSERT INTO schema_version (version) VALUES (1)", [])
            .map_err(sql)?;
    }
    tx.commit().map_err(sql)?;
    Ok(conn)
}

/// Writes mentions into the store, one transaction per batch.
pub struct StoreWriter {
    conn: Connection,
    batch: usize,
    pending: usize,
    now: String,
}

impl StoreWriter {
    /// A writer over an opened store committing every `batch` rows (at least 1).
    pub fn new(conn: Connection, batch: usize) -> StoreWriter {
        let now = jiff::Timestamp::now()
            .round(jiff::Unit::Second)
            .map_or_else(|_| jiff::Timestamp::now().to_string(), |t| t.to_string());
        StoreWriter {
            conn,
            batch: batch.max(1),
            pending: 0,
            now,
        }
    }

    fn upsert(&mut self, line: &str, record: &Value) -> Result<(), LineError> {
        let id = record.get("id").and_then(Value::as_str).ok_or_else(|| {
            LineError::Malformed("no \"id\" string: the store keys mentions by id".to_owned())
        })?;
        if self.pending == 0 {
            self.conn.execute_batch("BEGIN").map_err(io)?;
        }
        let text = |path: &str| lookup(record, path).and_then(Value::as_str);
        // Dates as RFC 3339 UTC whole seconds, so that text order is time order (the
        // `published` index answers `fetch --since`); the `json` column keeps them as read.
        let date = |path: &str| text(path).and_then(crate::time::export::normalise);
        let (published, collected) = (date("published"), date("collected"));
        let int = |name: &str| {
            record
                .get("metrics")
                .and_then(|m| m.get(name))
                .and_then(Value::as_i64)
        };
        let mut stmt = self.conn.prepare_cached(UPSERT).map_err(io)?;
        let [t0, t1, t2, t3, t4, t5, _, _, t8, t9, t10, t11] = TEXT_COLUMNS.map(text);
        let [m0, m1, m2, m3, m4, m5, m6] = METRICS.map(int);
        let changed = stmt
            .execute(params![
                id,
                t0,
                t1,
                t2,
                t3,
                t4,
                t5,
                published,
                collected,
                t8,
                t9,
                t10,
                t11,
                lookup(record, "sentiment.score").and_then(Value::as_f64),
                text("sentiment.label"),
                m0,
                m1,
                m2,
                m3,
                m4,
                m5,
                m6,
                line.trim(),
                self.now,
            ])
            .map_err(io)?;
        drop(stmt);
        if changed > 0 {
            self.children(id, record, "labels", "labels", "label")?;
            self.children(id, record, "matches", "matches", "query")?;
        }
        self.pending += 1;
        if self.pending >= self.batch {
            self.commit()?;
        }
        Ok(())
    }

    /// Replaces the rows of a child table (`labels`, `matches`) for one mention.
    fn children(
        &self,
        id: &str,
        record: &Value,
        field: &str,
        table: &str,
        column: &str,
    ) -> Result<(), LineError> {
        let mut delete = self
            .conn
            .prepare_cached(&format!("DELETE FROM {table} WHERE id = ?1"))
            .map_err(io)?;
        delete.execute([id]).map_err(io)?;
        let Some(items) = record.get(field).and_then(Value::as_array) else {
            return Ok(());
        };
        let mut insert = self
            .conn
            .prepare_cached(&format!(
                "INSERT OR IGNORE INTO {table} (id, {column}) VALUES (?1, ?2)"
            ))
            .map_err(io)?;
        for item in items.iter().filter_map(Value::as_str) {
            insert.execute([id, item]).map_err(io)?;
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<(), LineError> {
        if self.pending > 0 {
            self.conn.execute_batch("COMMIT").map_err(io)?;
            self.pending = 0;
        }
        Ok(())
    }
}

impl RecordWriter for StoreWriter {
    fn write(&mut self, line: &str, record: &Value) -> Result<(), LineError> {
        self.upsert(line, record)
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.commit().map_err(|e| match e {
            LineError::Fatal(e) => e,
            other => std::io::Error::other(other.to_string()),
        })
    }
}

/// A SQLite failure while writing stops the export: it is not the line's fault.
fn io(err: rusqlite::Error) -> LineError {
    LineError::Fatal(std::io::Error::other(err))
}

/// Calls `emit` with the stored JSON of each mention published in `[since, until)` or
/// without a (readable) date, in `published` order (mentions without a date last, then by
/// id). The bounds are asked of SQLite through the `published` index, widened by two
/// seconds (the column holds whole seconds): callers that need an exact bound, like
/// `fetch --since`, compare the mentions' own dates as well.
pub fn read<F>(
    path: &Path,
    since: Option<jiff::Timestamp>,
    until: Option<jiff::Timestamp>,
    mut emit: F,
) -> Result<u64, StoreError>
where
    F: FnMut(&str) -> std::io::Result<()>,
{
    let name = path.display().to_string();
    let sql = |source| StoreError::Sqlite {
        path: name.clone(),
        source,
    };
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(sql)?;
    let found: Option<i64> = conn
        .query_row("SELECT max(version) FROM schema_version", [], |r| r.get(0))
        .optional()
        .map_err(sql)?
        .flatten();
    if let Some(found) = found
        && found > SCHEMA_VERSION
    {
        return Err(StoreError::TooNew { path: name, found });
    }
    let margin = jiff::SignedDuration::from_secs(2);
    let bound = |t: Option<jiff::Timestamp>, add: bool| {
        t.map(|t| {
            let t = if add {
                t.saturating_add(margin)
            } else {
                t.saturating_sub(margin)
            };
            crate::mention::format_timestamp(t.expect("adding a 2 s duration to a timestamp"))
        })
    };
    let mut stmt = conn
        .prepare(
            "SELECT json FROM mentions
             WHERE published IS NULL
                OR ((?1 IS NULL OR published >= ?1) AND (?2 IS NULL OR published < ?2))
             ORDER BY published IS NULL, published, id",
        )
        .map_err(sql)?;
    let (since, until) = (bound(since, false), bound(until, true));
    let mut rows = stmt.query(params![since, until]).map_err(sql)?;
    let mut count = 0;
    while let Some(row) = rows.next().map_err(sql)? {
        let json = row.get_ref(0).map_err(sql)?;
        let json = json.as_str().map_err(|e| sql(e.into()))?;
        emit(json)?;
        count += 1;
    }
    Ok(count)
}
