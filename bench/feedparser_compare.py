#!/usr/bin/env python3
"""Compare earful's feed reader with Python feedparser on a corpus of feed files.

For every file, both parse it; a feed *agrees* when both find the same number of entries
and, entry by entry, the same title, link and date. Titles are compared as plain text
(tags stripped, entities decoded, whitespace collapsed), dates to the second in UTC.
Links are compared as given, except that Google Alerts redirect links are unwrapped on
the feedparser side too (earful unwraps them on purpose), and a "link" with a scheme
other than http(s) counts as no link (feedparser copies an Atom <id> such as `yt:video:...`
into `link` when the entry has no link of its own; earful does that only for URLs).

Usage: bench/feedparser_compare.py [--earful PATH] [--variants N] [-v] DIR_OR_FILE...
Default corpus: ../shared/data/real-feeds and tests/fixtures/feeds.

--variants N adds, for every XML file, N copies truncated at evenly spaced points, a
UTF-16 copy and a copy with every `&amp;` turned into a bare `&` (a stress test of the
recovery paths: feedparser itself is not always right on these).
Needs: pip install feedparser
"""
import argparse
import calendar
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

import feedparser

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def plain(s):
    if s is None:
        return None
    s = re.sub(r"<[^>]*>", " ", s)
    s = html.unescape(s)
    s = " ".join(s.split())
    return s or None


def unwrap_google(link):
    if not link:
        return None
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", link) and not link.startswith(("http://", "https://")):
        return None
    u = urllib.parse.urlparse(link)
    if ".google." in (u.hostname or "") + "." and u.path == "/url":
        q = urllib.parse.parse_qs(u.query)
        for key in ("url", "q"):
            if key in q and q[key][0].startswith("http"):
                return q[key][0]
    return link


def fp_entries(path):
    d = feedparser.parse(path)
    out = []
    for e in d.entries:
        t = e.get("published_parsed") or e.get("updated_parsed")
        date = None
        if t:
            date = "%04d-%02d-%02dT%02d:%02d:%02dZ" % tuple(t[:6])
        out.append((plain(e.get("title")), unwrap_google(e.get("link")) or None, date))
    return out


def earful_entries(exe, path):
    p = subprocess.run([exe, "fetch", "-q", path], capture_output=True)
    out = []
    for line in p.stdout.decode("utf-8").splitlines():
        m = json.loads(line)
        out.append((plain(m.get("title")), m.get("url"), m.get("published")))
    return out, p.returncode


def corpus(args):
    for a in args:
        if os.path.isdir(a):
            for root, dirs, files in os.walk(a):
                dirs.sort()
                for name in sorted(files):
                    if name.endswith((".xml", ".rss", ".atom", ".rdf")):
                        yield os.path.join(root, name)
        elif os.path.exists(a):
            yield a


def variants(paths, n, tmp):
    for path in paths:
        yield path
        if n <= 0:
            continue
        data = open(path, "rb").read()
        base = os.path.join(tmp, os.path.basename(path))
        for k in range(1, n + 1):
            cut = len(data) * k // (n + 1)
            name = "%s.cut%d.xml" % (base, k)
            open(name, "wb").write(data[:cut])
            yield name
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        text16 = re.sub(r'encoding=["\'][^"\']*["\']', 'encoding="UTF-16"', text, count=1)
        name = base + ".utf16.xml"
        open(name, "wb").write(b"\xff\xfe" + text16.encode("utf-16-le"))
        yield name
        name = base + ".bareamp.xml"
        open(name, "wb").write(text.replace("&amp;", "&").encode("utf-8"))
        yield name


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--earful", default=os.path.join(ROOT, "target/release/earful"))
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--variants", type=int, default=0)
    ap.add_argument("paths", nargs="*")
    a = ap.parse_args()
    paths = a.paths or [
        os.path.join(ROOT, "../shared/data/real-feeds"),
        os.path.join(ROOT, "tests/fixtures/feeds"),
    ]
    feeds = agree = 0
    fields = {"count": [0, 0], "title": [0, 0], "link": [0, 0], "date": [0, 0]}
    crashes = 0
    tmp = tempfile.mkdtemp()
    for path in variants(list(corpus(paths)), a.variants, tmp):
        feeds += 1
        fp = fp_entries(path)
        ea, code = earful_entries(a.earful, path)
        if code not in (0, 1):
            crashes += 1
        fields["count"][1] += 1
        same_count = len(fp) == len(ea)
        fields["count"][0] += same_count
        diffs = []
        for i, (f, e) in enumerate(zip(fp, ea)):
            for k, name in enumerate(["title", "link", "date"]):
                fields[name][1] += 1
                if f[k] == e[k]:
                    fields[name][0] += 1
                else:
                    diffs.append("  entry %d %s: feedparser %r, earful %r" % (i, name, f[k], e[k]))
        ok = same_count and not diffs
        agree += ok
        if a.verbose or not ok:
            print("%s %s (feedparser %d entries, earful %d)" % ("ok  " if ok else "DIFF", os.path.relpath(path), len(fp), len(ea)))
            for d in diffs[:5]:
                print(d)
    print()
    print("feeds: %d, agreeing on every field: %d (%.1f%%), earful crashes: %d" % (feeds, agree, 100.0 * agree / max(feeds, 1), crashes))
    for name, (good, total) in fields.items():
        print("  %-5s %d/%d (%.1f%%)" % (name, good, total, 100.0 * good / max(total, 1)))


if __name__ == "__main__":
    main()
