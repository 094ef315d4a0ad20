#!/usr/bin/env bash
# Builds earful and runs the whole pipeline on the bundled sample data, offline:
#   fetch (three feeds and an X archive) | filter (named brand queries) | classify | export
# Writes the mentions as JSONL and a CSV report, and prints where they are.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-target/quickstart}"
cargo build --release --locked --quiet
earful=target/release/earful
mkdir -p "$out"

"$earful" fetch examples/feeds/nimbus-newsroom.rss.xml examples/feeds/r-nimbus.atom.xml \
        examples/feeds/community.feed.json examples/x-archive \
    | "$earful" filter --queries examples/queries.toml \
    | "$earful" classify --brand "Nimbus Mobile" --brand Nimbus --brand Vireo --brand Kestrel \
    | tee "$out/mentions.jsonl" \
    | "$earful" export --format csv -o "$out/report.csv"

echo "$(wc -l < "$out/mentions.jsonl") mentions of the sample brands"
echo "mentions: $out/mentions.jsonl"
echo "report:   $out/report.csv"
