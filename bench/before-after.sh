#!/usr/bin/env bash
# A change against the binary from before it, side by side in one run (hyperfine runs the
# two commands of each pair in the same session): filter, classify, and fetch reading feed
# files, a twarc2 export and a CSV export. Used for issue 13 (docs/benchmarks.md).
#
#   cp target/release/earful /tmp/earful-before     # before the change
#   ...change, commit...
#   BEFORE=/tmp/earful-before SIZE_MB=256 RUNS=10 bash bench/before-after.sh
#
# Needs python3 and hyperfine (apt-get install -y hyperfine); ../shared/data for the
# mentions (see bench/gen_mentions.py). Results go to bench/out/before-after-*.md.
set -euo pipefail
cd "$(dirname "$0")/.."

BEFORE="${BEFORE:?BEFORE=path of the earful binary from before the change}"
SIZE_MB="${SIZE_MB:-256}"
RUNS="${RUNS:-10}"
TWEETS="${TWEETS:-../shared/data/airline-tweets/Tweets.csv}"
DATA="bench/data/mentions-${SIZE_MB}m.jsonl"
OUT=bench/out
mkdir -p bench/data "$OUT"
command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing" >&2; exit 1; }
[ -s "$DATA" ] || python3 bench/gen_mentions.py "$TWEETS" "$DATA" "$SIZE_MB"
[ -s bench/queries-50.toml ] || python3 bench/gen_queries.py bench/queries-50.toml
[ -s bench/data/twarc2-64mb.jsonl ] || python3 bench/gen_twarc2.py bench/data/twarc2-64mb.jsonl 64
[ -d bench/data/feeds-200 ] || python3 bench/gen_feeds.py bench/data/feeds-200 200 50
CLASSIFY_DATA=bench/data/mentions-${SIZE_MB}m-head.jsonl
[ -s "$CLASSIFY_DATA" ] || head -n 200000 "$DATA" > "$CLASSIFY_DATA"
cargo build --release --locked --quiet
AFTER="$PWD/target/release/earful"

pair() { # name, then the arguments given to both binaries (output to /dev/null)
    local name=$1
    shift
    hyperfine --warmup 1 --runs "$RUNS" --export-markdown "$OUT/before-after-$name.md" \
        -n "before $name" "$BEFORE $* > /dev/null" \
        -n "after $name" "$AFTER $* > /dev/null"
}

echo "== $(du -h "$DATA" | cut -f1) $(wc -l < "$DATA") lines, $(nproc) CPUs"
pair filter-selective filter "'luggage OR baggage'" "$DATA"
pair filter-broad filter "'united OR usairways'" "$DATA"
pair filter-queries-50 filter --queries bench/queries-50.toml "$DATA"
pair classify classify "$CLASSIFY_DATA"
pair fetch-feeds fetch -q "bench/data/feeds-200/*.xml"
pair fetch-twarc2 fetch -q bench/data/twarc2-64mb.jsonl
pair fetch-csv fetch -q "$TWEETS"
cat "$OUT"/before-after-*.md
