#!/usr/bin/env bash
# Scale-out of `earful classify` (docs/scaling.md), in one hyperfine run: one earful process
# (1 thread, then 2), GNU parallel in 8M blocks, and Apache Spark in local mode with 1 and
# 2 cores (examples/spark/classify_spark.py: `RDD.pipe` of each partition through
# `earful classify --threads 1`). Then checks that every output, sorted, equals the lines of
# one process. The input is the airline corpus of bench/gen_mentions.py.
# Needs hyperfine, GNU parallel, pyspark (pip install pyspark) and Java 17 or later
# (apt-get install -y openjdk-17-jre-headless); none of them is part of `cargo test`.
#
# usage: bench/scaling.sh [SIZE_MB]     (default 128, about 240,000 mentions; files in bench/out/)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-128}
mkdir -p bench/out
in=bench/out/mentions-${size}mb.jsonl
out=bench/out/scaling
cargo build --release --locked --quiet
earful=target/release/earful
[ -s "$in" ] || python3 bench/gen_mentions.py ../shared/data/airline-tweets/Tweets.csv "$in" "$size"
echo "mentions: $(wc -l < "$in") ($(du -h "$in" | cut -f1)); $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$out" && mkdir -p "$out"

spark() { # spark CORES: the Spark job as hyperfine runs it
  echo "rm -rf $out/spark-$1 && python3 examples/spark/classify_spark.py --master 'local[$1]' --partitions 8 --earful $earful $in $out/spark-$1"
}
hyperfine --warmup 1 --runs "${RUNS:-3}" --export-markdown bench/out/scaling.md \
  -n "earful classify --threads 1" "$earful classify -q --threads 1 $in -o $out/one.jsonl" \
  -n "earful classify (2 threads)" "$earful classify -q $in -o $out/threads.jsonl" \
  -n "parallel --pipepart --block 8M, 2 jobs" \
     "parallel --pipepart -a $in --block 8M -j 2 $earful classify -q --threads 1 > $out/parallel.jsonl" \
  -n "spark local[1]" "$(spark 1)" \
  -n "spark local[2]" "$(spark 2)"
cat bench/out/scaling.md

# The same lines as one process, order aside (Spark writes part files, parallel whole blocks).
LC_ALL=C sort "$out/one.jsonl" > "$out/one.sorted"
for run in threads.jsonl parallel.jsonl "spark-1/part-*" "spark-2/part-*"; do
  # shellcheck disable=SC2086 # the part-* glob is meant to expand
  if cat $out/$run | LC_ALL=C sort | cmp -s - "$out/one.sorted"; then
    echo "same lines as one process: $run"
  else
    echo "DIFFERENT from one process: $run" >&2
    exit 1
  fi
done
