#!/usr/bin/env python3
"""Writes Python vaderSentiment 3.3.2 scores for the shared data sets as JSONL
({"text", "compound", "pos", "neg", "neu"}), for the Rust parity check of
`AnalyzerBuilder::vader_compat`:

    python3 bench/vader_parity.py > /tmp/parity.jsonl
    cargo run --release --example accuracy -- parity /tmp/parity.jsonl
"""

import csv
import io
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ.get("DATA_DIR", os.path.join(ROOT, "..", "shared", "data"))


def main():
    if not os.path.isdir(DATA):
        print("skipping: %s is absent" % DATA, file=sys.stderr)
        return 0
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    texts = []
    with open(os.path.join(DATA, "airline-tweets", "Tweets.csv"), newline="", encoding="utf-8") as f:
        texts += [r["text"] for r in csv.DictReader(f)]
    with io.open(os.path.join(DATA, "tweeteval-sentiment", "val_text.txt"), encoding="utf-8") as f:
        texts += f.read().split("\n")
    for stem in ["movieReviewSnippets", "amazonReviewSnippets", "nytEditorialSnippets"]:
        path = os.path.join(DATA, "vader-groundtruth-other", stem + "_GroundTruth.txt")
        with io.open(path, encoding="utf-8-sig", newline="") as f:
            for line in f:
                parts = line.rstrip("\r\n").split("\t")
                if len(parts) >= 3:
                    texts.append(parts[2])
    out = sys.stdout
    for t in texts:
        out.write(json.dumps({"text": t, **analyzer.polarity_scores(t)}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
