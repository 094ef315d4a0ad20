#!/usr/bin/env bash
# Speed and memory of `earful report` over 1 million classified, matched mentions, side by
# side in one hyperfine run with `earful stats --by day --group match` (the same counting,
# one accumulator instead of the report's six) and with `earful report --format md`.
# The input is the first 1 000 000 lines of bench/stats.sh's matched corpus (from
# bench/gen_mentions.py, classify and filter --queries bench/airlines.toml).
# Peak memory: GNU time's maximum resident set size, one run each.
#
# usage: bench/report.sh [MATCHED_CORPUS]   (default bench/out/matched-1024mb.jsonl)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-bench/out/matched-1024mb.jsonl}
[ -s "$corpus" ] || bash bench/stats.sh
mkdir -p bench/out
in=bench/out/matched-1m.jsonl
[ -s "$in" ] || head -n 1000000 "$corpus" > "$in"
cargo build --release --locked --quiet
earful=target/release/earful
echo "mentions: $(wc -l < "$in") ($(du -h "$in" | cut -f1)); cores: $(nproc)"
report="$earful report -q --brand-handle @united --brand united --brand delta -o bench/out/report-1m.html $in"
hyperfine --warmup 1 --runs "${RUNS:-3}" --export-markdown bench/out/report.md \
  -n "earful report (html)" "$report" \
  -n "earful report --format md" "$earful report -q --format md -o bench/out/report-1m.md $in" \
  -n "earful stats --by day --group match" "$earful stats -q --by day --group match -o /dev/null $in"
for cmd in "$report" "$earful stats -q --by day --group match -o /dev/null $in"; do
  /usr/bin/time -f "%M KiB peak RSS, %e s: ${cmd%% -o*}" $cmd
done
