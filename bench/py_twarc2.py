#!/usr/bin/env python3
"""Baseline: the plainest Python that does what `earful fetch` does for twarc2 pages:
explode each page, join authors and retweeted texts from `includes`, expand t.co links,
and write one normalised JSON object per post. usage: py_twarc2.py IN.jsonl > OUT.jsonl
"""
import json
import sys

out = sys.stdout
with open(sys.argv[1]) as f:
    for line in f:
        page = json.loads(line)
        inc = page.get("includes", {})
        users = {u["id"]: u for u in inc.get("users", [])}
        tweets = {t["id"]: t for t in inc.get("tweets", [])}
        data = page.get("data", [])
        if isinstance(data, dict):
            data = [data]
        for t in data:
            text = t.get("text", "")
            kind, reply_to = "post", None
            for ref in t.get("referenced_tweets", []):
                if ref["type"] == "retweeted" and ref["id"] in tweets:
                    kind = "repost"
                    rt = tweets[ref["id"]]
                    rta = users.get(rt.get("author_id"), {})
                    text = f"RT @{rta.get('username', '')}: {rt['text']}"
                elif ref["type"] == "replied_to":
                    kind, reply_to = "reply", "x:" + ref["id"]
            ents = t.get("entities", {})
            for u in ents.get("urls", []):
                text = text.replace(u["url"], u.get("expanded_url", u["url"]))
            a = users.get(t.get("author_id"), {})
            pm = t.get("public_metrics", {})
            m = {
                "id": "x:" + t["id"], "platform": "x", "kind": kind,
                "url": f"https://x.com/{a.get('username')}/status/{t['id']}",
                "text": " ".join(text.split()), "lang": t.get("lang"),
                "published": t.get("created_at"),
                "author": {"name": a.get("name"), "handle": a.get("username"),
                           "followers": a.get("public_metrics", {}).get("followers_count")},
                "metrics": {"likes": pm.get("like_count"), "reposts": pm.get("retweet_count"),
                            "replies": pm.get("reply_count"), "quotes": pm.get("quote_count")},
                "in_reply_to": reply_to,
                "links": [u.get("expanded_url") for u in ents.get("urls", [])],
                "tags": [h["tag"] for h in ents.get("hashtags", [])],
                "mentions": [h["username"] for h in ents.get("mentions", [])],
                "source": {"type": "twarc2", "uri": sys.argv[1]},
            }
            out.write(json.dumps(m, ensure_ascii=False))
            out.write("\n")
