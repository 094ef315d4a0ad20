#!/usr/bin/env bash
# Accuracy and speed of `earful train` / `classify --model` (issue 18), with the CLI itself.
#
#   bash bench/train.sh            # needs python3, hyperfine, ../shared/data
#
# 1. bench/train_data.py writes the labelled CSVs (text,label) of each split in SOURCE.md.
# 2. Accuracy: SemEval 2013-16 -> TweetEval validation (macro recall), airline train -> test
#    (macro-F1; settings picked by 5-fold CV on the train split only), airline complaint
#    reasons (macro-F1), suggestion mining train -> trial (F1 of `suggestion`); the default
#    engine (`evaluate --engine default`) on the same test sets, side by side.
# 3. Speed: training on 50,000 texts with --threads 1; classify with and without a model,
#    2 threads, one hyperfine run.
# Results go to bench/out/train.txt and are summarised in docs/benchmarks.md and docs/train.md.
set -euo pipefail
cd "$(dirname "$0")/.."

SHARED="${SHARED:-../shared/data}"
WORK="${WORK:-bench/data/train}"
OUT=bench/out
E=target/release/earful
mkdir -p "$WORK" "$OUT"
for tool in python3 hyperfine cargo; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
cargo build --release --quiet
python3 bench/train_data.py "$SHARED" "$WORK"
exec > >(tee "$OUT/train.txt") 2>&1

# One figure from a --json report: $1 = report key, $2 = python expression over r.
figure() {
    python3 -c "import json,sys; r=json.load(sys.stdin)['$1']; print($2)"
}

echo "== SemEval 2013-16 -> TweetEval validation (macro recall, macro-F1, accuracy)"
$E train -q "$WORK/semeval-train.csv" --label-column label --text-column text \
    --holdout "$WORK/tweeteval-val.csv" --json \
    | figure holdout 'round(r["macro_recall"], 4), round(r["macro_f1"], 4), round(r["accuracy"], 4)'
$E evaluate -q "$WORK/tweeteval-val.csv" --label-column label --text-column text --engine default --json \
    | figure evaluation '"engine default:", round(r["macro_recall"], 4), round(r["macro_f1"], 4), round(r["accuracy"], 4)'

echo "== airline sentiment: 5-fold CV on train (macro-F1, accuracy) per setting"
best=""; best_f1=0
for setting in "--cost 0.1" "--cost 0.1 --no-balance" "--cost 0.3" "--cost 0.3 --no-balance"; do
    # shellcheck disable=SC2086
    f1=$($E train -q "$WORK/airline-train.csv" --label-column label --text-column text --cv 5 $setting --json \
        | figure cross-validation 'round(r["macro_f1"], 4)')
    echo "$setting: $f1"
    if python3 -c "import sys; sys.exit(0 if $f1 > $best_f1 else 1)"; then best="$setting"; best_f1=$f1; fi
done
echo "== airline sentiment: train -> test with the default and with the CV pick ($best)"
for setting in "" "$best"; do
    # shellcheck disable=SC2086
    $E train -q "$WORK/airline-train.csv" --label-column label --text-column text $setting \
        --holdout "$WORK/airline-test.csv" --json -o "$WORK/airline.model" \
        | figure holdout "'${setting:-default}:', round(r['macro_f1'], 4), round(r['accuracy'], 4), round(r['kappa'], 4)"
done
$E evaluate -q "$WORK/airline-test.csv" --label-column label --text-column text --engine default --json \
    | figure evaluation '"engine default:", round(r["macro_f1"], 4), round(r["accuracy"], 4), round(r["kappa"], 4)'

echo "== airline complaint reasons (10 classes): train -> test (macro-F1, accuracy)"
$E train -q "$WORK/airline-train.csv" --label-column reason --text-column text \
    --holdout "$WORK/airline-test.csv" --json \
    | figure holdout 'round(r["macro_f1"], 4), round(r["accuracy"], 4)'

echo "== suggestion mining: train -> trial (F1, precision, recall of suggestion)"
$E train -q "$WORK/suggestion-train.csv" --label-column label --text-column text \
    --holdout "$WORK/suggestion-trial.csv" --json \
    | figure holdout '[(round(l["f1"], 4), round(l["precision"], 4), round(l["recall"], 4)) for l in r["labels"] if l["label"] == "suggestion"][0]'

echo "== training on 50,000 texts, one thread (wall s, peak KiB)"
python3 - "$WORK" <<'EOF'
import csv, sys, os
w = sys.argv[1]
rows = list(csv.reader(open(os.path.join(w, "semeval-train.csv"), encoding="utf-8")))[1:]
rows += [r[:2] for r in list(csv.reader(open(os.path.join(w, "airline-train.csv"), encoding="utf-8")))[1:]]
with open(os.path.join(w, "train-50k.csv"), "w", newline="", encoding="utf-8") as f:
    out = csv.writer(f)
    out.writerow(["text", "label"])
    out.writerows(rows[:50000])
EOF
/usr/bin/time -f "%e s, %M KiB" $E train -q "$WORK/train-50k.csv" --label-column label --text-column text \
    --threads 1 -o "$WORK/50k.model"

echo "== classify with and without a model (2 threads)"
MENTIONS=bench/data/mentions-100m.jsonl
[ -s "$MENTIONS" ] || python3 bench/gen_mentions.py "$SHARED/airline-tweets/Tweets.csv" "$MENTIONS" 100
$E train -q "$WORK/airline-train.csv" --label-column reason --text-column text -o "$WORK/reason.model" --as reason
echo "mentions: $(wc -l < "$MENTIONS")"
hyperfine --warmup 1 --runs "${RUNS:-5}" -N \
    -n classify "$E classify $MENTIONS -o /dev/null" \
    -n "classify --model (sentiment)" "$E classify --model $WORK/airline.model $MENTIONS -o /dev/null" \
    -n "classify --model (10 reasons)" "$E classify --model $WORK/reason.model $MENTIONS -o /dev/null"
