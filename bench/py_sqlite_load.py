#!/usr/bin/env python3
"""The baseline a user would script: load mentions (JSONL) into the earful store's schema with
Python's sqlite3 and executemany, the same upsert and child tables, 10,000 rows per
transaction, WAL. The database must exist with the schema (bench/store.sh creates it with
`earful export -o DB < /dev/null`).

Usage: python3 bench/py_sqlite_load.py MENTIONS.jsonl DB
"""
import json
import sqlite3
import sys
from datetime import datetime, timezone

UPSERT = """
INSERT INTO mentions (id, platform, kind, url, title, text, lang, published, collected,
    author_handle, author_name, source_type, source_uri, sentiment_score, sentiment_label,
    likes, reposts, replies, quotes, views, score, comments, json, first_seen, updated)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
WHERE mentions.json IS NOT excluded.json"""
METRICS = ("likes", "reposts", "replies", "quotes", "views", "score", "comments")
BATCH = 10_000


def main():
    path, db = sys.argv[1], sys.argv[2]
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    rows, labels, matches, ids = [], [], [], []

    def flush():
        conn.execute("BEGIN")
        conn.executemany(UPSERT, rows)
        conn.executemany("DELETE FROM labels WHERE id = ?", ids)
        conn.executemany("DELETE FROM matches WHERE id = ?", ids)
        conn.executemany("INSERT OR IGNORE INTO labels (id, label) VALUES (?, ?)", labels)
        conn.executemany("INSERT OR IGNORE INTO matches (id, query) VALUES (?, ?)", matches)
        conn.execute("COMMIT")
        for batch in (rows, labels, matches, ids):
            batch.clear()

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            m = json.loads(line)
            mid = m["id"]
            author, source = m.get("author") or {}, m.get("source") or {}
            sentiment, metrics = m.get("sentiment") or {}, m.get("metrics") or {}
            rows.append((
                mid, m.get("platform"), m.get("kind"), m.get("url"), m.get("title"),
                m.get("text"), m.get("lang"), m.get("published"), m.get("collected"),
                author.get("handle"), author.get("name"), source.get("type"), source.get("uri"),
                sentiment.get("score"), sentiment.get("label"),
                *(metrics.get(k) for k in METRICS), line, now, now,
            ))
            ids.append((mid,))
            labels.extend((mid, x) for x in m.get("labels") or ())
            matches.extend((mid, x) for x in m.get("matches") or ())
            if len(rows) >= BATCH:
                flush()
    flush()


main()
