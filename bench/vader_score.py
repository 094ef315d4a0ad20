#!/usr/bin/env python3
"""Scores mentions with Python vaderSentiment 3.3.2; prints one compound score per line.
The baseline of bench/classify.sh.

Usage: python3 bench/vader_score.py MENTIONS.jsonl > scores.txt
       python3 bench/vader_score.py --texts TEXTS.txt > scores.txt

With --texts the input is one text per line (no JSON), which measures VADER's scoring
alone: the "texts/s before any JSON work" figure.
"""
import json
import sys

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


def main():
    texts_only = sys.argv[1] == "--texts"
    path = sys.argv[-1]
    sia = SentimentIntensityAnalyzer()
    out = sys.stdout
    with open(path, encoding="utf-8") as f:
        for line in f:
            text = line.rstrip("\n") if texts_only else json.loads(line).get("text") or ""
            out.write("%s\n" % sia.polarity_scores(text)["compound"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
