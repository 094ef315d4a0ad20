#!/usr/bin/env python3
"""Writes a synthetic twarc2 JSONL file (raw API pages, 100 posts per page with
`includes.users` and `includes.tweets`), shaped like `twarc2 search` output.

usage: gen_twarc2.py OUT.jsonl [SIZE_MB]   (default 1024)
"""
import json
import random
import sys

out_path = sys.argv[1]
target = int(sys.argv[2] if len(sys.argv) > 2 else 1024) * 1024 * 1024
rng = random.Random(42)
WORDS = ("acme app checkout crash refund support great terrible love hate android ios "
         "update login slow fast price plan outage signal thanks why when help please "
         "delivery order late again never always best worst new old customer service").split()
base_id = 1394735776701816833
ts = 1621365896


def text(n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def user(uid):
    return {
        "id": str(uid), "username": f"user{uid % 100000}", "name": f"User {uid % 100000}",
        "created_at": "2021-04-07T20:50:54.000Z", "description": text(12),
        "location": "Somewhere", "verified": False, "protected": False,
        "profile_image_url": f"https://pbs.example/{uid}.jpg",
        "public_metrics": {"followers_count": uid % 5000, "following_count": 40,
                           "tweet_count": 200, "listed_count": 0},
    }


written = 0
page_no = 0
with open(out_path, "w") as out:
    while written < target:
        data, users, tweets = [], {}, []
        for i in range(100):
            tid = base_id + page_no * 100 + i
            uid = 1379899464345923590 + rng.randrange(50000)
            users[uid] = user(uid)
            t = {
                "id": str(tid),
                "text": text(rng.randrange(8, 40)) + " https://t.co/abc" + str(i),
                "created_at": "2021-05-18T19:24:56.000Z",
                "author_id": str(uid), "conversation_id": str(tid), "lang": "en",
                "source": "Twitter for Android", "possibly_sensitive": False,
                "reply_settings": "everyone", "edit_history_tweet_ids": [str(tid)],
                "public_metrics": {"retweet_count": rng.randrange(50), "reply_count": rng.randrange(9),
                                   "like_count": rng.randrange(300), "quote_count": 0,
                                   "impression_count": rng.randrange(10000)},
                "entities": {
                    "urls": [{"start": 0, "end": 23, "url": "https://t.co/abc" + str(i),
                              "expanded_url": "https://acme.example/p/" + str(i),
                              "display_url": "acme.example/p/" + str(i)}],
                    "hashtags": [{"start": 0, "end": 5, "tag": rng.choice(WORDS)}],
                    "mentions": [{"start": 0, "end": 5, "username": "acme", "id": "42"}],
                },
            }
            kind = rng.random()
            if kind < 0.3:
                rid = tid - 1000
                t["referenced_tweets"] = [{"type": "retweeted", "id": str(rid)}]
                t["text"] = "RT @acme: " + t["text"][:100] + "…"
                tweets.append({"id": str(rid), "text": text(30), "author_id": "42",
                               "created_at": "2021-05-10T08:50:41.000Z", "lang": "en"})
            elif kind < 0.5:
                t["referenced_tweets"] = [{"type": "replied_to", "id": str(tid - 7)}]
            data.append(t)
        users[42] = user(42)
        page = {
            "data": data,
            "includes": {"users": list(users.values()), "tweets": tweets},
            "meta": {"newest_id": data[0]["id"], "oldest_id": data[-1]["id"], "result_count": 100},
            "__twarc": {"url": "https://api.twitter.com/2/tweets/search/recent?query=acme",
                        "version": "2.14.0", "retrieved_at": "2021-05-18T19:30:00+00:00"},
        }
        line = json.dumps(page) + "\n"
        out.write(line)
        written += len(line)
        page_no += 1
print(f"{out_path}: {written / 1e6:.0f} MB, {page_no} pages, {page_no * 100} posts", file=sys.stderr)
