#!/usr/bin/env bash
# Benchmarks `earful classify` against Python vaderSentiment 3.3.2 (reading the JSONL, and
# scoring bare texts) and the Rust `vader_sentiment` crate (0.1.1), side by side in one run
# of this script, on mentions made from the airline tweets. RUNS is hyperfine's runs for
# earful and the crate, PY_RUNS for the slow Python commands (no warm-up for those).
#
#   bash bench/classify.sh                 # 200 MB corpus (bench/data/mentions-200m.jsonl)
#   SIZE_MB=1024 RUNS=3 PY_RUNS=2 bash bench/classify.sh
#
# Needs python3, hyperfine (apt-get install -y hyperfine) and vaderSentiment 3.3.2
# (pip install vaderSentiment==3.3.2). The Rust crate is scored by a throwaway binary built
# outside the repository, in $VADER_RS (default /tmp/vader-rs): it reads the same JSONL with
# serde_json and prints one compound score per line, as bench/vader_score.py does.
# Results go to bench/out/ and are summarised in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MB="${SIZE_MB:-200}"
RUNS="${RUNS:-3}"
TWEETS="${TWEETS:-../shared/data/airline-tweets/Tweets.csv}"
VADER_RS="${VADER_RS:-/tmp/vader-rs}"
DATA="bench/data/mentions-${SIZE_MB}m.jsonl"
NOLANG="bench/data/mentions-${SIZE_MB}m-nolang.jsonl"
TEXTS="bench/data/mentions-${SIZE_MB}m.txt"
OUT=bench/out
mkdir -p bench/data "$OUT"

for tool in python3 hyperfine cargo; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
python3 -c 'import vaderSentiment' 2>/dev/null || python3 -m pip install --quiet vaderSentiment==3.3.2
[ -s "$DATA" ] || python3 bench/gen_mentions.py "$TWEETS" "$DATA" "$SIZE_MB"
# The same mentions without `lang`, so classify detects the language of every line.
[ -s "$NOLANG" ] || sed 's/,"lang":"en"//' "$DATA" > "$NOLANG"
# The bare texts, one per line, for VADER's scoring rate without JSON.
[ -s "$TEXTS" ] || python3 -c '
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in f:
        out.write(" ".join((json.loads(line).get("text") or "").splitlines()) + "\n")
' "$DATA" "$TEXTS"

# The Rust crate, in a throwaway project outside the repository.
if [ ! -x "$VADER_RS/target/release/vader-rs" ]; then
    [ -d "$VADER_RS" ] || cargo new --quiet "$VADER_RS"
    (cd "$VADER_RS" && cargo add --quiet vader_sentiment@0.1.1 serde_json@1)
    cat > "$VADER_RS/src/main.rs" <<'RS'
use std::io::{BufRead, BufWriter, Write};

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).expect("usage: vader-rs FILE");
    let input = std::io::BufReader::new(std::fs::File::open(path)?);
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    let analyzer = vader_sentiment::SentimentIntensityAnalyzer::new();
    for line in input.lines() {
        let line = line?;
        let v: serde_json::Value = serde_json::from_str(&line)?;
        let text = v["text"].as_str().unwrap_or("");
        let scores = analyzer.polarity_scores(text);
        writeln!(out, "{}", scores["compound"])?;
    }
    out.flush()
}
RS
    (cd "$VADER_RS" && cargo build --release --quiet)
fi
cargo build --release --locked --quiet
earful="$PWD/target/release/earful"
vader_rs="$VADER_RS/target/release/vader-rs"

lines=$(wc -l < "$DATA")
echo "== $(du -h "$DATA" | cut -f1) $lines lines, $(nproc) CPUs"
# The Python runs take minutes each at 1 GB: no warm-up run for them (the file is in the
# page cache after the earful runs).
hyperfine --warmup 1 --runs "$RUNS" --output=pipe \
    --export-markdown "$OUT/classify.md" --export-json "$OUT/classify.json" \
    -n "earful classify (lang set, all cores)" "$earful classify $DATA" \
    -n "earful classify (lang set, --threads 1)" "$earful classify --threads 1 $DATA" \
    -n "earful classify (no lang, all cores)" "$earful classify $NOLANG" \
    -n "earful classify (no lang, --threads 1)" "$earful classify --threads 1 $NOLANG" \
    -n "vader_sentiment crate 0.1.1" "$vader_rs $DATA"
hyperfine --runs "${PY_RUNS:-2}" --output=pipe \
    --export-markdown "$OUT/classify-python.md" --export-json "$OUT/classify-python.json" \
    -n "Python vaderSentiment 3.3.2" "python3 bench/vader_score.py $DATA" \
    -n "Python vaderSentiment 3.3.2 (texts only, no JSON)" "python3 bench/vader_score.py --texts $TEXTS"

python3 - "$OUT/classify.json" "$OUT/classify-python.json" "$lines" <<'PY'
import json, sys
res = {}
for path in sys.argv[1:3]:
    for r in json.load(open(path))["results"]:
        res[r["command"]] = (r["mean"], min(r["times"]), r["user"] + r["system"])
n = int(sys.argv[3])
py = res["Python vaderSentiment 3.3.2"][0]
py_texts = res["Python vaderSentiment 3.3.2 (texts only, no JSON)"][0]
crate = res["vader_sentiment crate 0.1.1"][0]
print("%-50s %8s %8s %8s %11s %8s %8s %8s" % (
    "command", "mean s", "min s", "cpu s", "mentions/s", "x Python", "x texts", "x crate"))
for name, (mean, best, cpu) in res.items():
    print("%-50s %8.2f %8.2f %8.2f %11.0f %8.1f %8.1f %8.1f" % (
        name, mean, best, cpu, n / mean, py / mean, py_texts / mean, crate / mean))
PY
echo "== peak memory (max RSS)"
/usr/bin/time -f "%M KB  earful classify" "$earful" classify "$DATA" > /dev/null
