#!/usr/bin/env bash
# Benchmarks for `earful fetch` (figures go in docs/benchmarks.md).
#
# 1. Network: 1,000 feeds x 50 entries from a local server (127.0.0.1 only) that adds
#    100 ms to every response; `--concurrency 64`, then a second run with `--state`
#    (all 304s). The physical bound is 1000 x 0.1 s / 64 = 1.56 s.
# 2. Parsing: earful vs Python feedparser on the same files, side by side (hyperfine).
#
# Needs: python3 with feedparser (pip install feedparser), hyperfine (apt-get install -y
# hyperfine). Usage: bench/fetch.sh [N_FEEDS=1000] [ENTRIES=50]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
M=${2:-50}
PORT=${PORT:-18931}
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

cargo build --release --quiet
EARFUL=$PWD/target/release/earful
python3 bench/gen_feeds.py "$WORK/feeds" "$N" "$M"
python3 bench/latency_server.py "$WORK/feeds" "$PORT" 0.1 &
SERVER=$!
for _ in $(seq 50); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/feed0000.xml" && break
  sleep 0.1
done
ls "$WORK/feeds" | sed "s|^|http://127.0.0.1:$PORT/|" > "$WORK/list.txt"

echo "== network: $N feeds x $M entries, 100 ms latency, --concurrency 64 --per-host 64"
echo "   physical bound: $(python3 -c "print(round($N * 0.1 / 64, 2))") s"
hyperfine --warmup 1 --runs 5 \
  -n "cold (no state)" "$EARFUL fetch -q --concurrency 64 --per-host 64 --list $WORK/list.txt -o /dev/null"
"$EARFUL" fetch -q --concurrency 64 --per-host 64 --list "$WORK/list.txt" --state "$WORK/state.json" -o /dev/null
hyperfine --runs 5 \
  -n "second run with --state (all 304)" "$EARFUL fetch --concurrency 64 --per-host 64 --list $WORK/list.txt --state $WORK/state.json -o /dev/null"
"$EARFUL" fetch --concurrency 64 --per-host 64 --list "$WORK/list.txt" --state "$WORK/state.json" -o /dev/null
echo "   mentions in a cold run: $("$EARFUL" fetch -q --concurrency 64 --per-host 64 --list "$WORK/list.txt" | wc -l)"
if command -v /usr/bin/time >/dev/null; then
  /usr/bin/time -f "   peak RSS, cold run: %M KiB" "$EARFUL" fetch -q --concurrency 64 --per-host 64 --list "$WORK/list.txt" -o /dev/null
fi

echo "== parsing: the same $N files, earful vs feedparser $(python3 -c 'import feedparser; print(feedparser.__version__)')"
hyperfine --warmup 1 --runs 3 \
  -n earful "$EARFUL fetch -q $WORK/feeds/*.xml -o /dev/null" \
  -n feedparser "python3 bench/parse_feedparser.py $WORK/feeds/*.xml"
