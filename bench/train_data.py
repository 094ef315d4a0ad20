"""Writes the accuracy bench's labelled CSVs (header: text,label) from ../shared/data.

Usage: python3 bench/train_data.py SHARED_DATA OUT_DIR
Splits are those of each SOURCE.md: airline test = tweet_id % 5 == 0 (first row of each
id), SemEval 2013-2016 rebuild -> TweetEval validation, suggestion mining train -> trial.
"""
import csv, os, sys

data, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)

def write(name, rows, header=("text", "label")):
    with open(os.path.join(out, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)

# Airline: sentiment and negativereason.
seen, train, test = set(), [], []
with open(os.path.join(data, "airline-tweets/Tweets.csv"), encoding="utf-8", newline="") as f:
    for r in csv.DictReader(f):
        if r["tweet_id"] in seen:
            continue
        seen.add(r["tweet_id"])
        row = (r["text"], r["airline_sentiment"], r["negativereason"])
        (test if int(r["tweet_id"]) % 5 == 0 else train).append(row)
write("airline-train.csv", train, ("text", "label", "reason"))
write("airline-test.csv", test, ("text", "label", "reason"))

# SemEval 2013-2016 (TweetEval style) -> TweetEval validation.
names = {"0": "negative", "1": "neutral", "2": "positive"}
rows = []
with open(os.path.join(data, "semeval2017-task4a-train/train_tweeteval_style.tsv"), encoding="utf-8") as f:
    for line in f:
        label, _, text = line.rstrip("\n").partition("\t")
        if label in names:
            rows.append((text, names[label]))
write("semeval-train.csv", rows)
d = os.path.join(data, "tweeteval-sentiment")
with open(os.path.join(d, "val_text.txt"), encoding="utf-8") as t, open(os.path.join(d, "val_labels.txt")) as l:
    write("tweeteval-val.csv", [(x.rstrip("\n"), names[y.strip()]) for x, y in zip(t, l)])

# Suggestion mining: 1 = suggestion.
d = os.path.join(data, "suggestion-mining-semeval2019")
sug = {"1": "suggestion", "0": "other"}
with open(os.path.join(d, "V1.4_Training.csv"), encoding="utf-8", errors="replace", newline="") as f:
    write("suggestion-train.csv", [(r[1], sug[r[2].strip()]) for r in csv.reader(f) if len(r) >= 3 and r[2].strip() in sug])
with open(os.path.join(d, "SubtaskA_Trial_Test_Labeled.csv"), encoding="utf-8", errors="replace", newline="") as f:
    write("suggestion-trial.csv", [(r["sentence"], sug[r["label"].strip()]) for r in csv.DictReader(f)])
