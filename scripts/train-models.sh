#!/usr/bin/env bash
# Retrain every shipped model from PolNeAR, in dependency order: the taggers, a rebuild (the
# models are compiled in), the judge (it scores the rules' output, which uses the taggers),
# and a last rebuild. Deterministic: the same data gives byte-identical model files.
#
#   scripts/train-models.sh [POLNEAR_DIR]     (default ../shared/data/polnear)
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data/polnear}"
if [ ! -d "$data/train" ]; then
    echo "train-models: no PolNeAR train split at $data" >&2
    exit 1
fi
run() { cargo run --quiet --release -p onrecord -- "$@"; }
run train all --data "$data" --out models
run train judge --data "$data" --out models
cargo build --quiet --release -p onrecord
echo "models rebuilt:" >&2
ls -l models/*.bin >&2
