#!/usr/bin/env python3
"""Scores the `text` of each JSONL mention with Python vaderSentiment 3.3.2; prints one
compound score per line. The baseline of bench/classify.sh.

Usage: python3 bench/vader_score.py MENTIONS.jsonl > scores.txt
"""
import json
import sys

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


def main():
    sia = SentimentIntensityAnalyzer()
    out = sys.stdout
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            text = json.loads(line).get("text") or ""
            out.write("%s\n" % sia.polarity_scores(text)["compound"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
