#!/usr/bin/env python3
"""Writes N synthetic RSS 2.0 feeds of M entries each (realistic sizes: HTML
descriptions with entities and links, categories, RFC 822 dates) into DIR.

Usage: bench/gen_feeds.py DIR [N=1000] [M=50]
"""
import os
import sys

WORDS = ("acme nimbus checkout sync battery support update login crash refund app phone "
         "review great slow broken love hate price release feature bug fix team fast").split()


def feed(i, m):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" '
           'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
           f'<title>Bench feed {i}</title><link>https://bench.example/{i}/</link>'
           '<description>Synthetic feed for benchmarks</description>']
    for j in range(m):
        words = " ".join(WORDS[(i * 7 + j * 3 + k) % len(WORDS)] for k in range(60))
        out.append(
            f"<item><title>Entry {j} of feed {i}: {WORDS[j % len(WORDS)]} &amp; more</title>"
            f"<link>https://bench.example/{i}/{j}</link>"
            f'<guid isPermaLink="false">bench-{i}-{j}</guid>'
            f"<pubDate>Fri, {1 + j % 28:02d} Mar 2024 {j % 24:02d}:00:00 +0000</pubDate>"
            f"<dc:creator>author{j % 13}</dc:creator>"
            f"<category>cat{j % 5}</category>"
            f"<description>&lt;p&gt;{words} &amp;mdash; &lt;a href=\"https://x.example/{j}\"&gt;link&lt;/a&gt;&lt;/p&gt;</description>"
            "</item>")
    out.append("</channel></rss>\n")
    return "".join(out)


def main():
    d = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    m = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    os.makedirs(d, exist_ok=True)
    for i in range(n):
        with open(os.path.join(d, f"feed{i:04d}.xml"), "w") as f:
            f.write(feed(i, m))


if __name__ == "__main__":
    main()
