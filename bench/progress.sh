#!/usr/bin/env bash
# The cost of the progress bar (issue 14, item 17): filter over 64 MB of generated mentions
# under a pseudo-terminal (`script`), with the bar (bytes of a file, lines of a pipe) and
# without it (-q), side by side in one hyperfine run. Results: bench/out/progress.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing" >&2; exit 1; }
command -v script >/dev/null || { echo "bench: script (util-linux) is missing" >&2; exit 1; }
DATA=bench/data/mentions-64m.jsonl
mkdir -p bench/data bench/out
[ -s "$DATA" ] || python3 bench/gen_mentions.py ../shared/data/airline-tweets/Tweets.csv "$DATA" 64
cargo build --release --locked --quiet
B="$PWD/target/release/earful"
tty() { echo "script -qec '$1' /dev/null"; }
hyperfine -N -w 2 -r "${RUNS:-10}" --export-markdown bench/out/progress.md \
  "$B filter battery $DATA -o /dev/null" \
  "$(tty "$B filter -q battery $DATA -o /dev/null")" \
  "$(tty "$B filter battery $DATA -o /dev/null")" \
  "$(tty "cat $DATA | $B filter -q battery -o /dev/null")" \
  "$(tty "cat $DATA | $B filter battery -o /dev/null")"
