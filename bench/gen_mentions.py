#!/usr/bin/env python3
"""Generate a large JSONL of realistic mentions (earful schema v1) from the airline tweets.

Usage: python3 bench/gen_mentions.py [TWEETS_CSV] [OUT] [MEGABYTES]

Each pass over the 14,640 tweets writes one copy with distinct ids, shifted dates and
varied metrics, until the output reaches the requested size (default 1024 MB). The output
is deterministic: the same arguments give the same bytes.
"""
import csv
import json
import random
import re
import sys
from datetime import datetime, timedelta, timezone

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/airline-tweets/Tweets.csv"
out = sys.argv[2] if len(sys.argv) > 2 else "bench/data/mentions-1g.jsonl"
target = int(sys.argv[3] if len(sys.argv) > 3 else 1024) * 1024 * 1024

with open(src, newline="", encoding="utf-8") as f:
    tweets = list(csv.DictReader(f))

rng = random.Random(5)
handle_re = re.compile(r"@(\w+)")
tag_re = re.compile(r"#(\w+)")
written = 0
copy = 0
with open(out, "w", encoding="utf-8") as w:
    while written < target:
        for t in tweets:
            text = t["text"]
            created = datetime.strptime(t["tweet_created"], "%Y-%m-%d %H:%M:%S %z")
            published = (created + timedelta(days=7 * copy)).astimezone(timezone.utc)
            kind = "repost" if text.startswith("RT @") else ("reply" if text.startswith("@") else "post")
            m = {
                "id": f"x:{t['tweet_id']}{copy:04d}",
                "platform": "x",
                "kind": kind,
                "url": f"https://x.com/{t['name']}/status/{t['tweet_id']}{copy:04d}",
                "text": text,
                "lang": "en",
                "published": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "collected": "2026-01-01T00:00:00Z",
                "author": {"name": t["name"], "handle": t["name"], "followers": rng.randrange(20000)},
                "metrics": {"likes": rng.randrange(300), "reposts": int(t["retweet_count"] or 0), "replies": rng.randrange(20)},
            }
            handles = handle_re.findall(text)
            tags = tag_re.findall(text)
            if tags:
                m["tags"] = tags
            if handles:
                m["mentions"] = handles
            m["source"] = {"type": "csv", "uri": "Tweets.csv"}
            if t["user_timezone"]:
                m["user_timezone"] = t["user_timezone"]
            line = json.dumps(m, ensure_ascii=False, separators=(",", ":")) + "\n"
            w.write(line)
            written += len(line.encode("utf-8"))
            if written >= target:
                break
        copy += 1
print(f"{out}: {written / 1024 / 1024:.0f} MB, {copy} copies")
