#!/usr/bin/env bash
# Speed and memory of `earful stats --by day --group match` side by side with DuckDB
# (read_json_auto + GROUP BY, what an analyst would write instead) and jq (group_by), in
# one hyperfine run. The input is the 1 GB airline corpus of bench/gen_mentions.py, run
# through classify and `filter --queries bench/airlines.toml` (so every mention has its
# `matches` and a sentiment). jq holds its whole input in memory (group_by needs -s), so it
# runs on a 64 MB slice of the same file, next to earful on that slice.
# Needs hyperfine, duckdb (pip install duckdb-cli) and jq.
#
# usage: bench/stats.sh [SIZE_MB]      (default 1024; files go to bench/out/)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1024}
mkdir -p bench/out
raw=bench/out/mentions-${size}mb.jsonl
classified=bench/out/classified-${size}mb.jsonl
in=bench/out/matched-${size}mb.jsonl
slice=bench/out/matched-64mb.jsonl
cargo build --release --locked --quiet
earful=target/release/earful
[ -s "$raw" ] || python3 bench/gen_mentions.py ../shared/data/airline-tweets/Tweets.csv "$raw" "$size"
[ -s "$classified" ] || "$earful" classify -q "$raw" -o "$classified"
[ -s "$in" ] || "$earful" filter -q --queries bench/airlines.toml "$classified" -o "$in"
[ -s "$slice" ] || head -c $((64 * 1024 * 1024)) "$in" | sed '$d' > "$slice"
echo "mentions: $(wc -l < "$in") ($(du -h "$in" | cut -f1)); slice: $(wc -l < "$slice")"

duck() {
  echo "SELECT date_trunc('day', CAST(published AS TIMESTAMP)) AS period, m AS match, count(*) AS count,
    count(*) FILTER (WHERE sentiment.label = 'negative') AS negative,
    count(*) FILTER (WHERE sentiment.label = 'positive') AS positive,
    avg(sentiment.score) AS mean_score, sum(author.followers) AS reach
  FROM (SELECT published, sentiment, author, unnest(matches) AS m FROM read_json_auto('$1'))
  GROUP BY ALL ORDER BY ALL"
}
jqprog='map(. as $m | .matches[] | {period: ($m.published[:10]), match: ., s: $m.sentiment.label, f: ($m.author.followers // 0), score: $m.sentiment.score})
  | group_by([.period, .match]) | map({period: .[0].period, match: .[0].match, count: length,
    negative: map(select(.s == "negative")) | length, positive: map(select(.s == "positive")) | length,
    mean_score: (map(.score) | add / length), reach: (map(.f) | add)}) | .[]'

hyperfine --warmup 1 --runs "${RUNS:-5}" --export-markdown bench/out/stats.md \
  -n "earful stats (1 GB)" "$earful stats -q --by day --group match $in -o /dev/null" \
  -n "duckdb (1 GB)" "duckdb -c \"$(duck "$in")\" > /dev/null"
hyperfine --warmup 1 --runs "${RUNS:-3}" --export-markdown bench/out/stats-jq.md \
  -n "earful stats (64 MB)" "$earful stats -q --by day --group match $slice -o /dev/null" \
  -n "jq group_by (64 MB)" "jq -s '$jqprog' $slice > /dev/null"
cat bench/out/stats.md bench/out/stats-jq.md

/usr/bin/time -f "earful stats: max RSS %M KB, %e s" "$earful" stats -q --by day --group match "$in" -o /dev/null
/usr/bin/time -f "duckdb: max RSS %M KB, %e s" duckdb -c "$(duck "$in")" > /dev/null
/usr/bin/time -f "earful stats --spikes: max RSS %M KB, %e s" "$earful" stats -q --by day --group match --spikes "$in" -o /dev/null
/usr/bin/time -f "earful stats --terms 20 --group match: max RSS %M KB, %e s" "$earful" stats -q --terms 20 --group match "$in" -o /dev/null
