#!/usr/bin/env bash
# Speed of `earful export -o mentions.db` (the SQLite store) side by side with the same rows
# loaded by Python's sqlite3 with executemany (bench/py_sqlite_load.py), into the same schema,
# in the same run. The input is the airline corpus of bench/gen_mentions.py run through
# `earful classify` (so labels rows are written too). Needs hyperfine and python3.
#
# usage: bench/store.sh [SIZE_MB]      (default 1024; files go to bench/out/)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1024}
mkdir -p bench/out
raw=bench/out/mentions-${size}mb.jsonl
in=bench/out/classified-${size}mb.jsonl
cargo build --release --locked --quiet
earful=target/release/earful
[ -s "$raw" ] || python3 bench/gen_mentions.py ../shared/data/airline-tweets/Tweets.csv "$raw" "$size"
[ -s "$in" ] || "$earful" classify -q "$raw" -o "$in"
echo "rows: $(wc -l < "$in")"

# Each run starts from an empty store; the Python one gets its schema from earful.
prep='rm -f bench/out/store.db*; '"$earful"' export -o bench/out/store.db < /dev/null'
hyperfine --warmup 0 --runs "${RUNS:-3}" --export-markdown bench/out/store.md \
  --prepare "$prep" \
  -n "earful export -o store.db" "$earful export -q -o bench/out/store.db $in" \
  -n "python sqlite3 executemany" "python3 bench/py_sqlite_load.py $in bench/out/store.db"
cat bench/out/store.md

# Peak memory, and the second (all unchanged) run of the hourly cron case.
eval "$prep"
/usr/bin/time -f "earful export: max RSS %M KB, %e s" "$earful" export -q -o bench/out/store.db "$in"
/usr/bin/time -f "earful export again (all unchanged): max RSS %M KB, %e s" "$earful" export -q -o bench/out/store.db "$in"
eval "$prep"
/usr/bin/time -f "python executemany: max RSS %M KB, %e s" python3 bench/py_sqlite_load.py "$in" bench/out/store.db
