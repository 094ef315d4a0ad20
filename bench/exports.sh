#!/usr/bin/env bash
# Speed of `earful fetch` on a ~1 GB twarc2 file (raw API pages), side by side with
# `twarc2 flatten` and with a plain Python json loop doing the same normalisation
# (bench/py_twarc2.py). Needs hyperfine, python3 and twarc (pip install twarc).
#
# usage: bench/exports.sh [SIZE_MB]      (default 1024; files go to bench/out/)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1024}
mkdir -p bench/out
in=bench/out/twarc2-${size}mb.jsonl
[ -s "$in" ] || python3 bench/gen_twarc2.py "$in" "$size"
cargo build --release --locked --quiet
earful=target/release/earful
command -v twarc2 >/dev/null || { echo "twarc2 not found: pip install twarc" >&2; exit 1; }
# flatten makes no requests, but twarc2 asks for credentials unless some are set. It also
# writes twarc.log into its working directory, so it runs inside bench/out.
export BEARER_TOKEN=${BEARER_TOKEN:-unused}

# Same output count from all three (one line per post).
echo "posts: $("$earful" fetch "$in" | wc -l) earful, $(python3 bench/py_twarc2.py "$in" | wc -l) python"

# Output goes to /dev/null: this measures reading and normalising, not the disk (a fast
# writer is throttled to the disk's write-back speed on a busy machine).
hyperfine --warmup "${WARMUP:-0}" --runs "${RUNS:-3}" --export-markdown bench/out/exports.md \
  -n "earful fetch" "$earful fetch $in > /dev/null" \
  -n "python json loop" "python3 bench/py_twarc2.py $in > /dev/null" \
  -n "twarc2 flatten" "cd bench/out && twarc2 flatten --hide-progress ${in#bench/out/} /dev/null"
cat bench/out/exports.md
