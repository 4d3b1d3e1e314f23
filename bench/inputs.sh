#!/usr/bin/env bash
# Input throughput per kind (txt, JSON Lines plain/gz/zst, HTML, WARC.gz, WET.gz), 1 and 2
# cores: builds onrecord (release), then runs bench/inputs.py (see its docstring).
#   bench/inputs.sh                      # 3000 articles, best of 3
#   bench/inputs.sh --articles 500 --repeat 1
#   bench/inputs.sh --markdown           # the table in docs/PERFORMANCE.md, "Inputs"
# CARGO_TARGET_DIR is honoured.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release -q -p onrecord
exec python3 bench/inputs.py --binary "$CARGO_TARGET_DIR/release/onrecord" "$@"
