#!/usr/bin/env bash
# Builds earful and runs the whole pipeline on the bundled sample data, offline:
#   fetch (three feeds and an X archive) | filter (named brand queries) | classify | export
# Writes the mentions as JSONL, CSV and a SQLite store, then the report (one HTML page),
# and prints where they are.
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

rm -f "$out/mentions.db"
"$earful" export -q -o "$out/mentions.db" "$out/mentions.jsonl"
"$earful" report -q --title "Nimbus Mobile: voice of the customer" --brand-handle @NimbusHelp \
    --brand "Nimbus Mobile" --brand Nimbus --brand Vireo --brand Kestrel \
    -o "$out/report.html" "$out/mentions.jsonl"

echo "$(wc -l < "$out/mentions.jsonl") mentions of the sample brands"
echo "mentions: $out/mentions.jsonl"
echo "csv:      $out/report.csv"
echo "store:    $out/mentions.db"
echo "report:   $out/report.html"
