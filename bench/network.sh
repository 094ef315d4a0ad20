#!/usr/bin/env bash
# Speed and memory of `earful network` (the user network, written as GEXF) side by side with
# networkx building the same graph from the same JSONL in Python (bench/network_nx.py:
# json.loads per line, the same edge rules, networkx's Louvain, write_gexf), in one hyperfine
# run. The input is the 1 GB airline corpus of bench/gen_mentions.py (as in bench/stats.sh).
# Both print their node and edge counts first, so the bench shows they built the same graph.
# Needs hyperfine and networkx (pip install networkx).
#
# usage: bench/network.sh [SIZE_MB]      (default 1024; files go to bench/out/)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1024}
mkdir -p bench/out
in=bench/out/mentions-${size}mb.jsonl
cargo build --release --locked --quiet
earful=target/release/earful
[ -s "$in" ] || python3 bench/gen_mentions.py ../shared/data/airline-tweets/Tweets.csv "$in" "$size"
echo "mentions: $(wc -l < "$in") ($(du -h "$in" | cut -f1))"

# The same graph: node and edge counts, and the total weight (the CSV's Weight column).
"$earful" network -v "$in" -o bench/out/network-edges.csv 2>&1 | tail -1
echo "earful weight $(awk -F, 'NR > 1 { w += $4 } END { print w }' bench/out/network-edges.csv)"
python3 bench/network_nx.py "$in" bench/out/network-nx.gexf

hyperfine --warmup 1 --runs "${RUNS:-3}" --export-markdown bench/out/network.md \
  -n "earful network (${size} MB)" "$earful network -q $in -o bench/out/network.gexf" \
  -n "networkx (${size} MB)" "python3 bench/network_nx.py $in bench/out/network-nx.gexf"
cat bench/out/network.md

/usr/bin/time -f "earful network: max RSS %M KB, %e s" "$earful" network -q "$in" -o bench/out/network.gexf
/usr/bin/time -f "earful network --threads 1: max RSS %M KB, %e s" "$earful" network -q --threads 1 "$in" -o bench/out/network.gexf
/usr/bin/time -f "earful network --nodes hashtags: max RSS %M KB, %e s" "$earful" network -q --nodes hashtags "$in" -o bench/out/network-tags.gexf
/usr/bin/time -f "networkx: max RSS %M KB, %e s" python3 bench/network_nx.py "$in" bench/out/network-nx.gexf
