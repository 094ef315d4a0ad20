#!/usr/bin/env python3
"""Sentiment accuracy of `earful classify` side by side with Python vaderSentiment 3.3.2.

Usage (from the repository root):

    cargo build --release
    python3 bench/accuracy.py            # or: bench/accuracy.sh

Data comes from ../shared/data (see each folder's SOURCE.md); the script skips with a
message when that folder is absent. vaderSentiment 3.3.2 is measured in the same run; it is
installed with pip if it is missing (`pip install vaderSentiment==3.3.2`).

earful is driven through its CLI: `earful classify` reads JSONL lines {"id", "text"} on stdin
and writes each line back with "sentiment": {"score", "label"} added. The airline tweets are
scored with the airline names masked (`--brand NAME`, once per name), as VADER reads
"@united" as the positive word "united".

Environment:
    EARFUL_BIN   the earful binary (default: target/release/earful)
    DATA_DIR     the data folder (default: ../shared/data)
"""

import csv
import io
import json
import math
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ.get("DATA_DIR", os.path.join(ROOT, "..", "shared", "data"))
EARFUL = os.environ.get("EARFUL_BIN", os.path.join(ROOT, "target", "release", "earful"))

# The names masked on the airline tweets (the --brand list).
AIRLINE_BRANDS = [
    "United", "United Airlines", "American", "American Airlines", "AmericanAir", "Delta",
    "Delta Airlines", "Southwest", "Southwest Airlines", "SouthwestAir", "US Airways",
    "USAirways", "Virgin America", "VirginAmerica", "JetBlue",
]
LABELS = ["negative", "neutral", "positive"]


def load_vader():
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        print("installing vaderSentiment==3.3.2 with pip ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "vaderSentiment==3.3.2"],
            check=True,
        )
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    return SentimentIntensityAnalyzer()


def vader_label(compound):
    # VADER's documented thresholds.
    if compound >= 0.05:
        return "positive"
    if compound <= -0.05:
        return "negative"
    return "neutral"


def airline_test():
    """Test split per airline-tweets/SOURCE.md: first row of each tweet_id, id % 5 == 0."""
    seen, rows = set(), []
    path = os.path.join(DATA, "airline-tweets", "Tweets.csv")
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            tid = int(r["tweet_id"])
            if tid in seen:
                continue
            seen.add(tid)
            if tid % 5 == 0:
                rows.append((r["text"], r["airline_sentiment"]))
    return rows


def tweeteval():
    d = os.path.join(DATA, "tweeteval-sentiment")
    with io.open(os.path.join(d, "val_text.txt"), encoding="utf-8") as f:
        texts = f.read().split("\n")
    with io.open(os.path.join(d, "val_labels.txt"), encoding="utf-8") as f:
        labels = [LABELS[int(x)] for x in f.read().split()]
    return list(zip(texts, labels))


def ground_truth(stem):
    path = os.path.join(DATA, "vader-groundtruth-other", stem + "_GroundTruth.txt")
    rows = []
    with io.open(path, encoding="utf-8-sig", newline="") as f:
        for line in f:
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) >= 3:
                rows.append((parts[2], float(parts[1])))
    return rows


def suggestion_trial():
    """The suggestion-mining dev set (SubtaskA_Trial_Test_Labeled.csv, see its SOURCE.md)."""
    path = os.path.join(DATA, "suggestion-mining-semeval2019", "SubtaskA_Trial_Test_Labeled.csv")
    rows = []
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        reader = csv.reader(f)
        next(reader)
        for r in reader:
            if len(r) >= 3:
                rows.append((r[1], r[2].strip() == "1"))
    return rows


def binary_f1(gold, pred):
    tp = sum(g and p for g, p in zip(gold, pred))
    fp = sum(p and not g for g, p in zip(gold, pred))
    fn = sum(g and not p for g, p in zip(gold, pred))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def earful_scores(texts, extra_args):
    """Runs `earful classify` once over all texts; returns [(score, label, labels)] in input
    order."""
    payload = "".join(
        json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)
    )
    proc = subprocess.run(
        [EARFUL, "classify", *extra_args],
        input=payload.encode("utf-8"),
        capture_output=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.decode("utf-8", "replace").strip() or "exit %d" % proc.returncode)
    out = {}
    for line in proc.stdout.decode("utf-8").splitlines():
        rec = json.loads(line)
        s = rec["sentiment"]
        out[int(rec["id"])] = (float(s["score"]), s["label"], rec.get("labels", []))
    return [out[i] for i in range(len(texts))]


def class_metrics(gold, pred):
    """(accuracy, macro-F1, macro-recall) over the three labels."""
    acc = sum(g == p for g, p in zip(gold, pred)) / len(gold)
    f1s, recs = [], []
    for k in LABELS:
        tp = sum(g == k and p == k for g, p in zip(gold, pred))
        actual = sum(g == k for g in gold)
        predicted = sum(p == k for p in pred)
        r = tp / actual if actual else 0.0
        pr = tp / predicted if predicted else 0.0
        recs.append(r)
        f1s.append(2 * pr * r / (pr + r) if pr + r else 0.0)
    return acc, sum(f1s) / 3, sum(recs) / 3


def pearson(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else float("nan")


def main():
    if not os.path.isdir(DATA):
        print("skipping: %s is absent (see bench/accuracy.py)" % DATA)
        return 0
    vader = load_vader()
    earful_ok = os.path.exists(EARFUL)
    if not earful_ok:
        print("note: %s not found; run `cargo build --release` first" % EARFUL, file=sys.stderr)

    rows = []  # (dataset, metric, vader, earful, target)

    def run_earful(texts, args):
        nonlocal earful_ok
        if not earful_ok:
            return None
        try:
            return earful_scores(texts, args)
        except (RuntimeError, OSError, KeyError, ValueError) as e:
            print("note: earful classify failed: %s" % e, file=sys.stderr)
            earful_ok = False
            return None

    brand_args = [a for b in AIRLINE_BRANDS for a in ("--brand", b)]
    for name, data, args, metrics in [
        ("airline tweets (test split)", airline_test(), brand_args,
         [("accuracy", 0, None), ("macro-F1", 1, ">= 0.60")]),
        ("TweetEval sentiment (val)", tweeteval(), [],
         [("macro-recall", 2, ">= 0.63"), ("macro-F1", 1, None), ("accuracy", 0, None)]),
    ]:
        texts = [t for t, _ in data]
        gold = [g for _, g in data]
        v = class_metrics(gold, [vader_label(vader.polarity_scores(t)["compound"]) for t in texts])
        e = run_earful(texts, args)
        e = class_metrics(gold, [lab for _, lab, _ in e]) if e else None
        for metric, k, target in metrics:
            rows.append((name, metric, v[k], e[k] if e else None, target or ""))

    for stem, label in [
        ("movieReviewSnippets", "movie snippets"),
        ("amazonReviewSnippets", "Amazon snippets"),
        ("nytEditorialSnippets", "NYT snippets"),
    ]:
        data = ground_truth(stem)
        texts = [t for t, _ in data]
        human = [m for _, m in data]
        v = pearson([vader.polarity_scores(t)["compound"] for t in texts], human)
        e = run_earful(texts, [])
        e = pearson([s for s, _, _ in e], human) if e else None
        rows.append((label, "Pearson r", v, e, ">= VADER"))

    # The `suggestion` intent label (data/intents.toml). VADER has no such label: its column
    # is blank.
    data = suggestion_trial()
    e = run_earful([t for t, _ in data], ["--languages", "en", "--no-detect-lang"])
    e = binary_f1([g for _, g in data], ["suggestion" in labels for _, _, labels in e]) if e else None
    rows.append(("suggestion mining (trial)", "F1 suggestion", None, e, ">= 0.60"))

    print("%-28s %-13s %12s %12s  %s" % ("dataset", "metric", "VADER 3.3.2", "earful", "target"))
    print("-" * 80)
    for name, metric, v, e, target in rows:
        es = "%12.3f" % e if e is not None else "%12s" % "n/a"
        vs = "%12.3f" % v if v is not None else "%12s" % "-"
        print("%-28s %-13s %s %s  %s" % (name, metric, vs, es, target))
    if not earful_ok:
        print("\nearful column unavailable: build the binary with the `classify` subcommand.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
