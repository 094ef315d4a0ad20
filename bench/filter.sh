#!/usr/bin/env bash
# Benchmarks `earful filter` against jq and ripgrep on ~1 GB of realistic mentions.
#
#   bash bench/filter.sh            # generates bench/data/mentions-1g.jsonl if missing
#   SIZE_MB=256 RUNS=3 bash bench/filter.sh
#   BASE=/tmp/earful-old PEERS=0 bash bench/filter.sh   # this build against another one
#
# BASE names another earful binary (say, built before a change), timed in the same
# hyperfine run as this build; PEERS=0 leaves out jq and rg.
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

BASE="${BASE:-}"
PEERS="${PEERS:-1}"
tools=(python3 hyperfine)
[ "$PEERS" = 0 ] || tools+=(jq rg)
for tool in "${tools[@]}"; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
[ -s "$DATA" ] || python3 bench/gen_mentions.py "$TWEETS" "$DATA" "$SIZE_MB"
[ -s bench/queries-50.toml ] || python3 bench/gen_queries.py bench/queries-50.toml
cargo build --release --locked --quiet
earful="$PWD/target/release/earful"

echo "== $(du -h "$DATA" | cut -f1) $(wc -l < "$DATA") lines, $(nproc) CPUs"
# Output goes through a pipe: with stdout on /dev/null, rg stops at the first match.
common=(--warmup 1 --runs "$RUNS" --output=pipe)

cmds=()
# This build's command NAME with ARGS, and BASE's when given.
earful_cmd() {
    cmds+=(-n "$1" "$earful $2")
    [ -z "$BASE" ] || cmds+=(-n "$1 (base)" "$BASE $2")
}
# A peer's command NAME, unless PEERS=0.
peer_cmd() {
    [ "$PEERS" = 0 ] || cmds+=(-n "$1" "$2")
}
# Runs the commands gathered in `cmds` as one hyperfine group, exported as NAME.
bench() {
    hyperfine "${common[@]}" --export-markdown "$OUT/$1.md" --export-json "$OUT/$1.json" \
        "${cmds[@]}"
    cmds=()
}

# Selective: about 7% of the lines.
earful_cmd "earful filter" "filter 'luggage OR baggage' $DATA"
peer_cmd "rg -i -w" "rg -i -w 'luggage|baggage' $DATA"
peer_cmd "jq" "jq -c 'select(.text|test(\"\\\\b(luggage|baggage)\\\\b\";\"i\"))' $DATA"
bench selective

# Broad: about half of the lines.
earful_cmd "earful filter" "filter 'united OR usairways' $DATA"
peer_cmd "rg -i -w" "rg -i -w 'united|usairways' $DATA"
peer_cmd "jq" "jq -c 'select(.text|test(\"\\\\b(united|usairways)\\\\b\";\"i\"))' $DATA"
bench broad

# 50 named queries, tagging `matches`.
earful_cmd "earful filter --queries (50)" "filter --queries bench/queries-50.toml $DATA"
earful_cmd "earful filter --queries (50) --keep-all" \
    "filter --queries bench/queries-50.toml --keep-all $DATA"
bench queries-50

echo "== peak memory (max RSS)"
for q in "'luggage OR baggage'" "'united OR usairways'" "--queries bench/queries-50.toml" "--dedup=text ''"; do
    /usr/bin/time -f "%M KB  earful filter $q" bash -c "$earful filter $q $DATA > /dev/null"
done
[ "$PEERS" = 0 ] ||
    echo "== matches: earful $("$earful" filter --count 'luggage OR baggage' "$DATA"), rg $(rg -c -i -w 'luggage|baggage' "$DATA")"
