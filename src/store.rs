//! The mention store: a SQLite database that `earful export` upserts into by id and
//! `earful fetch` reads back. Schema and rules: `docs/store.md`.
//!
//! Writing streams in batched transactions (one transaction per [`DEFAULT_BATCH`] rows), so an
//! interrupted export leaves a database that opens and holds whole batches only. The database
//! is in WAL mode, so a reader (`fetch mentions.db`, `sqlite3`) can read while cron writes.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use std::borrow::Cow;

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::export::RecordWriter;
use crate::jsonl::LineError;

/// The schema version this build writes; `schema_version` holds the version of a database.
pub const SCHEMA_VERSION: i64 = 2;

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

/// The tables of version 1 (without their indexes, see [`INDEXES`]).
const TABLES_V1: &str = "
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
";

/// Version 2: `labels` and `matches` are `WITHOUT ROWID` tables (one B-tree each, keyed by
/// their primary key), so only a new mention changes `last_insert_rowid()`.
const MIGRATE_V2: &str = "
CREATE TABLE labels_v2 (
    id TEXT NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    PRIMARY KEY (id, label)
) WITHOUT ROWID;
INSERT INTO labels_v2 (id, label) SELECT id, label FROM labels;
DROP TABLE labels;
ALTER TABLE labels_v2 RENAME TO labels;
CREATE TABLE matches_v2 (
    id TEXT NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    query TEXT NOT NULL,
    PRIMARY KEY (id, query)
) WITHOUT ROWID;
INSERT INTO matches_v2 (id, query) SELECT id, query FROM matches;
DROP TABLE matches;
ALTER TABLE matches_v2 RENAME TO matches;
";

/// The secondary indexes. An export into an empty store drops them and builds them at the
/// end (a sort is much faster than growing them row by row); every export opening the
/// store makes sure they exist, so an interrupted first export gets them back.
const INDEXES: &str = "
CREATE INDEX IF NOT EXISTS mentions_published ON mentions(published);
CREATE INDEX IF NOT EXISTS mentions_platform ON mentions(platform);
CREATE INDEX IF NOT EXISTS mentions_sentiment_label ON mentions(sentiment_label);
CREATE INDEX IF NOT EXISTS labels_label ON labels(label);
CREATE INDEX IF NOT EXISTS matches_query ON matches(query);
";
const DROP_INDEXES: &str = "
DROP INDEX IF EXISTS mentions_published;
DROP INDEX IF EXISTS mentions_platform;
DROP INDEX IF EXISTS mentions_sentiment_label;
DROP INDEX IF EXISTS labels_label;
DROP INDEX IF EXISTS matches_query;
";

/// The fields of a line the store's columns hold. They are read leniently, as with a
/// `serde_json::Value` but without building one: a field whose type is not the schema's is
/// `NULL` in its column (the `json` column keeps it as it is).
#[derive(Deserialize)]
struct Row<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    platform: Option<&'a RawValue>,
    #[serde(borrow, default)]
    kind: Option<&'a RawValue>,
    #[serde(borrow, default)]
    url: Option<&'a RawValue>,
    #[serde(borrow, default)]
    title: Option<&'a RawValue>,
    #[serde(borrow, default)]
    text: Option<&'a RawValue>,
    #[serde(borrow, default)]
    lang: Option<&'a RawValue>,
    #[serde(borrow, default)]
    published: Option<&'a RawValue>,
    #[serde(borrow, default)]
    collected: Option<&'a RawValue>,
    #[serde(borrow, default)]
    author: Option<&'a RawValue>,
    #[serde(borrow, default)]
    source: Option<&'a RawValue>,
    #[serde(borrow, default)]
    sentiment: Option<&'a RawValue>,
    #[serde(borrow, default)]
    metrics: Option<&'a RawValue>,
    #[serde(borrow, default)]
    labels: Option<&'a RawValue>,
    #[serde(borrow, default)]
    matches: Option<&'a RawValue>,
}

#[derive(Default, Deserialize)]
struct Author<'a> {
    #[serde(borrow, default)]
    handle: Option<&'a RawValue>,
    #[serde(borrow, default)]
    name: Option<&'a RawValue>,
}

#[derive(Default, Deserialize)]
struct Source<'a> {
    #[serde(borrow, default, rename = "type")]
    kind: Option<&'a RawValue>,
    #[serde(borrow, default)]
    uri: Option<&'a RawValue>,
}

#[derive(Default, Deserialize)]
struct SentimentRow<'a> {
    #[serde(borrow, default)]
    score: Option<&'a RawValue>,
    #[serde(borrow, default)]
    label: Option<&'a RawValue>,
}

#[derive(Default, Deserialize)]
struct MetricsRow<'a> {
    #[serde(borrow, default)]
    likes: Option<&'a RawValue>,
    #[serde(borrow, default)]
    reposts: Option<&'a RawValue>,
    #[serde(borrow, default)]
    replies: Option<&'a RawValue>,
    #[serde(borrow, default)]
    quotes: Option<&'a RawValue>,
    #[serde(borrow, default)]
    views: Option<&'a RawValue>,
    #[serde(borrow, default)]
    score: Option<&'a RawValue>,
    #[serde(borrow, default)]
    comments: Option<&'a RawValue>,
}

/// A JSON string's text (borrowed when it has no escapes); `None` for any other value.
fn text(raw: Option<&RawValue>) -> Option<Cow<'_, str>> {
    let json = raw?.get();
    if !json.starts_with('"') {
        return None;
    }
    match serde_json::from_str::<&str>(json) {
        Ok(s) => Some(Cow::Borrowed(s)),
        Err(_) => serde_json::from_str::<String>(json).ok().map(Cow::Owned),
    }
}

/// A JSON integer; `None` for any other value (`1.5`, `"12"`).
fn int(raw: Option<&RawValue>) -> Option<i64> {
    raw?.get().parse().ok()
}

/// An object's fields; all `None` when the value is not an object.
fn object<'a, T: Deserialize<'a> + Default>(raw: Option<&'a RawValue>) -> T {
    raw.and_then(|r| serde_json::from_str(r.get()).ok())
        .unwrap_or_default()
}

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
        tx.execute_batch(TABLES_V1).map_err(sql)?;
    }
    if found < 2 {
        tx.execute_batch(MIGRATE_V2).map_err(sql)?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES (?1)",
            [SCHEMA_VERSION],
        )
        .map_err(sql)?;
    }
    tx.execute_batch(INDEXES).map_err(sql)?;
    tx.commit().map_err(sql)?;
    Ok(conn)
}

/// Writes mentions into the store, one transaction per batch.
pub struct StoreWriter {
    conn: Connection,
    batch: usize,
    pending: usize,
    now: String,
    /// The store was empty: its secondary indexes were dropped, to be built at the end.
    bulk: bool,
}

/// The page cache of an export, in KiB (SQLite's default is 2 MiB): the B-trees of the
/// primary keys stay in memory instead of being read back from the file.
const CACHE_KIB: i64 = 64 * 1024;

/// WAL pages between checkpoints during an export (SQLite's default is 1,000): fewer
/// checkpoints write each hot page fewer times.
const WAL_PAGES: i64 = 16_384;

impl StoreWriter {
    /// A writer over an opened store committing every `batch` rows (at least 1).
    pub fn new(conn: Connection, batch: usize) -> rusqlite::Result<StoreWriter> {
        let now = jiff::Timestamp::now()
            .round(jiff::Unit::Second)
            .map_or_else(|_| jiff::Timestamp::now().to_string(), |t| t.to_string());
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        conn.pragma_update(None, "wal_autocheckpoint", WAL_PAGES)?;
        let empty: bool =
            conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM mentions)", [], |r| {
                r.get(0)
            })?;
        if empty {
            conn.execute_batch(DROP_INDEXES)?;
        }
        Ok(StoreWriter {
            conn,
            batch: batch.max(1),
            pending: 0,
            now,
            bulk: empty,
        })
    }

    fn upsert(&mut self, line: &str) -> Result<(), LineError> {
        let line = line.trim();
        let row: Row<'_> = serde_json::from_str(line).map_err(|e| LineError::from_json(&e))?;
        let id = text(row.id).ok_or_else(|| {
            LineError::Malformed("no \"id\" string: the store keys mentions by id".to_owned())
        })?;
        if self.pending == 0 {
            self.conn.execute_batch("BEGIN").map_err(io)?;
        }
        // Dates as RFC 3339 UTC whole seconds, so that text order is time order (the
        // `published` index answers `fetch --since`); the `json` column keeps them as read.
        let date = |raw| text(raw).and_then(|d| crate::time::export::normalise(&d));
        let author: Author<'_> = object(row.author);
        let source: Source<'_> = object(row.source);
        let sentiment: SentimentRow<'_> = object(row.sentiment);
        let metrics: MetricsRow<'_> = object(row.metrics);
        let mut stmt = self.conn.prepare_cached(UPSERT).map_err(io)?;
        let last_rowid = self.conn.last_insert_rowid();
        let changed = stmt
            .execute(params![
                id,
                text(row.platform),
                text(row.kind),
                text(row.url),
                text(row.title),
                text(row.text),
                text(row.lang),
                date(row.published),
                date(row.collected),
                text(author.handle),
                text(author.name),
                text(source.kind),
                text(source.uri),
                sentiment.score.and_then(|r| r.get().parse::<f64>().ok()),
                text(sentiment.label),
                int(metrics.likes),
                int(metrics.reposts),
                int(metrics.replies),
                int(metrics.quotes),
                int(metrics.views),
                int(metrics.score),
                int(metrics.comments),
                line,
                self.now,
            ])
            .map_err(io)?;
        drop(stmt);
        if changed > 0 {
            // Only an insert into `mentions` moves last_insert_rowid (the child tables have
            // no rowid): a new mention has no child rows to delete.
            let new = self.conn.last_insert_rowid() != last_rowid;
            self.children(&id, row.labels, "labels", "label", new)?;
            self.children(&id, row.matches, "matches", "query", new)?;
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
        items: Option<&RawValue>,
        table: &str,
        column: &str,
        new: bool,
    ) -> Result<(), LineError> {
        if !new {
            let mut delete = self
                .conn
                .prepare_cached(&format!("DELETE FROM {table} WHERE id = ?1"))
                .map_err(io)?;
            delete.execute([id]).map_err(io)?;
        }
        let Some(items) = items.and_then(|r| serde_json::from_str::<Vec<&RawValue>>(r.get()).ok())
        else {
            return Ok(());
        };
        let mut insert = self
            .conn
            .prepare_cached(&format!(
                "INSERT OR IGNORE INTO {table} (id, {column}) VALUES (?1, ?2)"
            ))
            .map_err(io)?;
        for item in items.into_iter().filter_map(|i| text(Some(i))) {
            insert.execute([id, &*item]).map_err(io)?;
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
    fn write(&mut self, line: &str, _record: &Value) -> Result<(), LineError> {
        self.upsert(line)
    }

    fn reads_record(&self) -> bool {
        false
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.commit().map_err(|e| match e {
            LineError::Fatal(e) => e,
            other => std::io::Error::other(other.to_string()),
        })?;
        if self.bulk {
            self.conn
                .execute_batch(INDEXES)
                .map_err(std::io::Error::other)?;
        }
        Ok(())
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
