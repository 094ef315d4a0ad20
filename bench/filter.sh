#!/usr/bin/env bash
# Benchmarks `earful filter` against jq and ripgrep on ~1 GB of realistic mentions.
#
#   bash bench/filter.sh            # generates bench/data/mentions-1g.jsonl if missing
#   SIZE_MB=256 RUNS=3 bash bench/filter.sh
#
# Needs python3, jq, hyperfine and rg (apt-get install -y hyperfine ripgrep jq). Results go
# to bench/out/ (hyperfine markdown and JSON) and are summarised in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MB="${SIZE_MB:-1024}"
RUNS="${RUNS:-5}"
TWEETS="${TWEETS:-../shared/data/airline-tweets/Tweets.csv}"
DATA="bench/data/mentions-${SIZE_MB}m.jsonl"
OUT=bench/out
mkdir -p bench/data "$OUT"

for tool in python3 jq hyperfine rg; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
[ -s "$DATA" ] || python3 bench/gen_mentions.py "$TWEETS" "$DATA" "$SIZE_MB"
[ -s bench/queries-50.toml ] || python3 bench/gen_queries.py bench/queries-50.toml
cargo build --release --locked --quiet
earful="$PWD/target/release/earful"

echo "== $(du -h "$DATA" | cut -f1) $(wc -l < "$DATA") lines, $(nproc) CPUs"
# Output goes through a pipe: with stdout on /dev/null, rg stops at the first match.
common=(--warmup 1 --runs "$RUNS" --output=pipe)

# Selective: about 7% of the lines.
hyperfine "${common[@]}" --export-markdown "$OUT/selective.md" --export-json "$OUT/selective.json" \
    -n "earful filter" "$earful filter 'luggage OR baggage' $DATA" \
    -n "rg -i -w" "rg -i -w 'luggage|baggage' $DATA" \
    -n "jq" "jq -c 'select(.text|test(\"\\\\b(luggage|baggage)\\\\b\";\"i\"))' $DATA"

# Broad: about half of the lines.
hyperfine "${common[@]}" --export-markdown "$OUT/broad.md" --export-json "$OUT/broad.json" \
    -n "earful filter" "$earful filter 'united OR usairways' $DATA" \
    -n "rg -i -w" "rg -i -w 'united|usairways' $DATA" \
    -n "jq" "jq -c 'select(.text|test(\"\\\\b(united|usairways)\\\\b\";\"i\"))' $DATA"

# 50 named queries, tagging `matches`.
hyperfine "${common[@]}" --export-markdown "$OUT/queries-50.md" --export-json "$OUT/queries-50.json" \
    -n "earful filter --queries (50)" "$earful filter --queries bench/queries-50.toml $DATA" \
    -n "earful filter --queries (50) --keep-all" "$earful filter --queries bench/queries-50.toml --keep-all $DATA"

echo "== peak memory (max RSS)"
for q in "'luggage OR baggage'" "'united OR usairways'" "--queries bench/queries-50.toml" "--dedup=text ''"; do
    /usr/bin/time -f "%M KB  earful filter $q" bash -c "$earful filter $q $DATA > /dev/null"
done
echo "== matches: earful $("$earful" filter --count 'luggage OR baggage' "$DATA"), rg $(rg -c -i -w 'luggage|baggage' "$DATA")"
