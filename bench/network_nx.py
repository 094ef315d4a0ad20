#!/usr/bin/env python3
"""The user network of a mentions JSONL in Python with networkx: what an analyst would write
instead of `earful network`, for bench/network.sh.

Usage: python3 bench/network_nx.py MENTIONS.jsonl OUT.gexf

The same graph as `earful network` (docs/network.md): users `platform:handle` (lowercased),
directed edges counted per type (reply through in_reply_to, else the first mention on X and
Mastodon; mention; repost from `RT @handle`, else the first mention; quote from the quoted
post's link), node attributes (name, mentions, first/last seen, mean sentiment, dominant
labels), degrees, Louvain communities (networkx's, seeded), written as GEXF. Prints
"nodes N edges M weight W" on stderr so the bench can check both built the same graph.
"""
import json
import re
import sys
from collections import Counter, defaultdict

import networkx as nx

QUOTED = re.compile(r"^https?://(?:www\.|mobile\.)?(?:x|twitter)\.com/([^/?#]+)/status/\d+")
RT = re.compile(r"^\s*RT @(\w+)")

src, out = sys.argv[1], sys.argv[2]
posts = {}  # post id or url -> author key
pending = []  # (author, parent, time, addressed, mentioned)
edges = defaultdict(lambda: {"reply": 0, "mention": 0, "repost": 0, "quote": 0, "first": None, "last": None})
nodes = {}


def node(key, platform):
    n = nodes.get(key)
    if n is None:
        n = nodes[key] = {"platform": platform, "name": None, "mentions": 0, "first": None,
                          "last": None, "scores": [], "labels": Counter()}
    return n


def edge(a, b, kind, t):
    if a == b:
        return
    e = edges[(a, b)]
    e[kind] += 1
    if t:
        e["first"] = t if e["first"] is None else min(e["first"], t)
        e["last"] = t if e["last"] is None else max(e["last"], t)


def user(platform, handle):
    key = f"{platform}:{handle.strip().lstrip('@').lower()}"
    node(key, platform)
    return key


with open(src, encoding="utf-8") as f:
    for line in f:
        m = json.loads(line)
        author = m.get("author") or {}
        handle = author.get("handle") or author.get("name")
        if not handle or not handle.strip().lstrip("@"):
            continue
        platform = (m.get("platform") or "").strip() or "unknown"
        t = m.get("published")
        me = user(platform, handle)
        n = nodes[me]
        n["mentions"] += 1
        if t:
            n["first"] = t if n["first"] is None else min(n["first"], t)
            n["last"] = t if n["last"] is None else max(n["last"], t)
        if author.get("name"):
            n["name"] = author["name"]
        if m.get("sentiment"):
            n["scores"].append(m["sentiment"]["score"])
        n["labels"].update(m.get("labels") or [])
        for k in (m.get("id"), m.get("url")):
            if k:
                posts[k] = me
        kind = m.get("kind") or ""
        handles = [h for h in (m.get("mentions") or []) if h.strip().lstrip("@")]
        if kind == "repost":
            rt = RT.match(m.get("text") or "")
            target = rt.group(1) if rt else (handles[0] if handles else None)
            if target:
                edge(me, user(platform, target), "repost", t)
            continue
        mentioned = list(dict.fromkeys(user(platform, h) for h in handles))
        addressee = None
        if kind == "quote":
            for link in m.get("links") or []:
                q = QUOTED.match(link)
                if q:
                    addressee = user("x", q.group(1))
                    edge(me, addressee, "quote", t)
                    break
        addressed = platform in ("x", "twitter", "mastodon")
        parent = m.get("in_reply_to")
        if parent:
            if parent in posts:
                addressee = posts[parent]
                edge(me, addressee, "reply", t)
            else:
                pending.append((me, parent, t, addressed, mentioned))
                continue
        elif kind == "reply" and addressed and mentioned:
            addressee = mentioned[0]
            edge(me, addressee, "reply", t)
        for to in mentioned:
            if to != addressee:
                edge(me, to, "mention", t)

for me, parent, t, addressed, mentioned in pending:
    addressee = posts.get(parent) or (mentioned[0] if addressed and mentioned else None)
    if addressee:
        edge(me, addressee, "reply", t)
    for to in mentioned:
        if to != addressee:
            edge(me, to, "mention", t)

g = nx.DiGraph()
for key, n in nodes.items():
    attrs = {"type": "user", "platform": n["platform"], "mentions": n["mentions"]}
    if n["name"]:
        attrs["name"] = n["name"]
    if n["first"]:
        attrs["first_seen"], attrs["last_seen"] = n["first"], n["last"]
    if n["scores"]:
        attrs["sentiment"] = sum(n["scores"]) / len(n["scores"])
    if n["labels"]:
        top = sorted(n["labels"].items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        attrs["labels"] = ", ".join(k for k, _ in top)
    g.add_node(key, **attrs)
total = 0
for (a, b), e in edges.items():
    w = e["reply"] + e["mention"] + e["repost"] + e["quote"]
    total += w
    attrs = {k: e[k] for k in ("reply", "mention", "repost", "quote")}
    if e["first"]:
        attrs["first_seen"], attrs["last_seen"] = e["first"], e["last"]
    g.add_edge(a, b, weight=w, **attrs)
for key in g.nodes:
    g.nodes[key]["degree"] = g.degree(key)
    g.nodes[key]["in_degree"] = g.in_degree(key)
    g.nodes[key]["out_degree"] = g.out_degree(key)
    g.nodes[key]["weighted_degree"] = g.degree(key, weight="weight")
for i, members in enumerate(nx.community.louvain_communities(g.to_undirected(), weight="weight", seed=1)):
    for key in members:
        g.nodes[key]["community"] = i
nx.write_gexf(g, out, version="1.2draft")
print(f"nodes {g.number_of_nodes()} edges {g.number_of_edges()} weight {total}", file=sys.stderr)
