#!/bin/sh
# Builds the release binary and prints earful's sentiment accuracy next to Python
# vaderSentiment 3.3.2 (see bench/accuracy.py), then the same figures from the library
# harness, which scores without the CLI and its language detection (bench/accuracy.rs:
# `cargo run --release --example accuracy -- help` lists its other tools). Needs
# ../shared/data.
set -eu
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet --bin earful --example accuracy
python3 bench/accuracy.py "$@"
echo
echo "library harness (cargo run --release --example accuracy -- accuracy):"
exec target/release/examples/accuracy accuracy
