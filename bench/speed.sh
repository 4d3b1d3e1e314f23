#!/usr/bin/env bash
# Speed benchmark: onrecord vs the textacy peer, MB of text per CPU-second (see bench/speed.py).
#   bench/speed.sh                      # build, install the peer if missing, full run
#   bench/speed.sh --skip-peer          # onrecord only (seconds)
#   bench/speed.sh --peer-fast --markdown --json /tmp/speed.json
#   bench/speed.sh --stress             # synthetic 10 MB article, 1 MB line, ...: no quadratic blow-up
# CARGO_TARGET_DIR is honoured.
set -euo pipefail
exec python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/speed.py" "$@"
