#!/bin/sh
# Builds the release binary and prints earful's sentiment accuracy next to Python
# vaderSentiment 3.3.2 (see bench/accuracy.py). Needs ../shared/data.
set -eu
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
exec python3 bench/accuracy.py "$@"
