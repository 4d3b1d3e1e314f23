#!/usr/bin/env bash
# The corpus's performance targets (docs/PERFORMANCE.md, "Corpus"), measured:
#
#   1. ingest of PolNeAR train + dev (924 articles) into a new database: wall seconds
#   2. search latency on that corpus: p50/p95/p99 of 1,000 queries (`onrecord bench-search`)
#   3. the same on a synthetic corpus of about 1 million quotes (`onrecord gen-corpus`)
#   4. peak memory (VmHWM) of `onrecord serve` on the synthetic corpus while it answers
#      500 HTTP requests (searches, speakers, articles, clusters) over loopback
#
#   scripts/corpus-bench.sh                  # everything (~10 min; the 1M corpus takes ~1 GB in /tmp)
#   scripts/corpus-bench.sh --polnear-only   # 1 and 2 (seconds)
#
# ONRECORD_BIN names a binary; otherwise `cargo build --release -p onrecord` (CARGO_TARGET_DIR
# honoured). BENCH_DIR (default /tmp/onrecord-corpus-bench) keeps the databases: the 1M
# corpus is generated and ingested once and reused by later runs (delete it to redo).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
polnear_only=false
[ "${1:-}" = "--polnear-only" ] && polnear_only=true

if [ -n "${ONRECORD_BIN:-}" ]; then
  bin=$ONRECORD_BIN
else
  cargo build -q --release -p onrecord
  bin="${CARGO_TARGET_DIR:-$repo/target}/release/onrecord"
fi
dir=${BENCH_DIR:-/tmp/onrecord-corpus-bench}
mkdir -p "$dir"
data="$repo/../shared/data/polnear"
now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
declare -a rows

if [ -d "$data/train/text" ]; then
  rm -f "$dir/polnear.db" "$dir/polnear.db-wal" "$dir/polnear.db-shm"
  t=$(now)
  "$bin" ingest --name-meta -q "$data/train/text" "$data/dev/text" --db "$dir/polnear.db"
  secs=$(since "$t")
  echo "ingest PolNeAR train+dev: ${secs} s"
  rows+=("| ingest PolNeAR train+dev (924 files, 4.3 MB) | ${secs} s wall | < 10 s |")
  line=$("$bin" bench-search --db "$dir/polnear.db" --queries 1000)
  echo "search PolNeAR: $line"
  p95=$(sed -E 's/.*p95 ([0-9.]+) ms.*/\1/' <<<"$line")
  rows+=("| search p95, PolNeAR ($(sed -E 's/.* over ([0-9]+) quotes.*/\1/' <<<"$line") quotes, 1,000 queries) | ${p95} ms | < 20 ms |")
else
  echo "skipped PolNeAR: $data is absent"
fi

if ! $polnear_only; then
  synth="$dir/synth-1m.db"
  if [ ! -s "$synth" ]; then
    echo "generating and ingesting the synthetic corpus (once; kept in $synth)"
    t=$(now)
    "$bin" gen-corpus --quotes 1000000 | "$bin" ingest - -q --db "$synth"
    echo "synthetic ingest: $(since "$t") s"
  fi
  line=$("$bin" bench-search --db "$synth" --queries 1000)
  echo "search synthetic: $line"
  p95=$(sed -E 's/.*p95 ([0-9.]+) ms.*/\1/' <<<"$line")
  quotes=$(sed -E 's/.* over ([0-9]+) quotes.*/\1/' <<<"$line")
  rows+=("| search p95, synthetic ($quotes quotes, 1,000 queries) | ${p95} ms | < 100 ms |")

  # serve: peak resident memory while it answers a mixed load.
  "$bin" serve --db "$synth" --addr 127.0.0.1:0 2>"$dir/serve.log" &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  url=
  for _ in $(seq 1 100); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$dir/serve.log" || true)
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { cat "$dir/serve.log"; exit 1; }
  words=(gatur odortur imzer loquavelte council ulsuzer susuquaro "\"our dorqua\"" wami listhi)
  ok=0
  bad=0
  : >"$dir/http-times"
  get() {
    local code out
    out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$1" || echo "000 0")
    code=${out% *}
    case $1 in *api/search*) echo "${out#* }" >>"$dir/http-times" ;; esac
    # 404: an id the sampling picked that does not exist; anything else but 200 is a failure.
    case $code in 200|404) ok=$((ok + 1)) ;; *) bad=$((bad + 1)); echo "HTTP $code: $1" ;; esac
  }
  t=$(now)
  for i in $(seq 0 99); do
    w=${words[$((i % ${#words[@]}))]}
    get "${url}api/search?q=$(printf %s "$w" | sed 's/ /%20/g; s/"/%22/g')&limit=50"
    get "${url}api/search?q=$(printf %s "$w" | sed 's/ /%20/g; s/"/%22/g')&since=2018-01-01&until=2019-12-31"
    get "${url}api/articles/$((1 + i * 397))"
    get "${url}api/quotes/$((1 + i * 9973))"
    get "${url}api/speakers/$((1 + i * 37))?limit=500"
  done
  get "${url}api/speakers?top=200"
  secs=$(since "$t")
  hwm=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
  kill $pid 2>/dev/null || true
  http95=$(sort -g "$dir/http-times" | awk '{ t[NR] = $1 } END { i = int(NR * 0.95 + 0.999); printf "%.2f", t[i] * 1000 }')
  echo "serve: $((ok + bad)) requests ($bad failed) in ${secs} s, peak RSS ${hwm} MB, search p95 over HTTP ${http95} ms (curl, connection included)"
  rows+=("| search p95 over HTTP (curl, 200 searches), synthetic corpus | ${http95} ms | |")
  [ "$bad" = 0 ] || exit 1
  rows+=("| serve peak RSS (VmHWM), synthetic corpus, 501 requests | ${hwm} MB | < 300 MB |")
fi

echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at end"
echo
echo "| measure | result | target |"
echo "|---|---:|---|"
printf '%s\n' "${rows[@]}"
