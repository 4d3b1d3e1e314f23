#!/usr/bin/env bash
# The corpus page in a real browser: Debian's headless Chromium, driven by playwright-core,
# against `onrecord serve` on loopback. It ingests made-up articles (one of them hostile:
# markup and scripts in its text), starts the server, loads the page, searches, opens an
# article and checks its highlighted quotes, the hover details, a speaker's timeline chart,
# a quote cluster, and that no script from an article ran.
#
#   scripts/browser-test.sh
#
# * Chromium: /usr/bin/chromium, installed with apt-get when missing (as root).
# * playwright-core: installed with npm into a cache directory when missing
#   (ONRECORD_BROWSER_CACHE, default ~/.cache/onrecord-browser-test); no browser download.
# * onrecord: ONRECORD_BIN, else `cargo build -p onrecord` (CARGO_TARGET_DIR honoured).
# * ONRECORD_SCREENSHOTS=DIR keeps screenshots of each page.
#
# When Chromium or playwright-core cannot be installed the test is skipped with a message
# and exits 0; any failure of the page itself exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

skip() {
  echo "browser test skipped: $*"
  exit 0
}

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "== installing Debian's chromium"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
      >/tmp/onrecord-browser-apt.log 2>&1 || true
  fi
  [ -x "$chromium" ] || skip "chromium is not installed and could not be (see /tmp/onrecord-browser-apt.log)"
fi
command -v node >/dev/null || skip "node is not installed"

cache=${ONRECORD_BROWSER_CACHE:-$HOME/.cache/onrecord-browser-test}
pw="$cache/node_modules/playwright-core"
if [ ! -f "$pw/package.json" ]; then
  echo "== installing playwright-core into $cache"
  mkdir -p "$cache"
  # playwright-core carries no browser: it drives the system's chromium.
  (cd "$cache" && npm install --no-audit --no-fund --silent playwright-core@1 \
    >/tmp/onrecord-browser-npm.log 2>&1) || true
  [ -f "$pw/package.json" ] || skip "playwright-core could not be installed (see /tmp/onrecord-browser-npm.log)"
fi

if [ -n "${ONRECORD_BIN:-}" ]; then
  bin=$ONRECORD_BIN
else
  echo "== cargo build -p onrecord"
  cargo build -q -p onrecord
  bin="${CARGO_TARGET_DIR:-$repo/target}/debug/onrecord"
fi

work=$(mktemp -d /tmp/onrecord-browser.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Made-up articles: one statement reported by three outlets, two speakers, and a hostile page.
mkdir -p "$work/news"
cat >"$work/news/ledger.jsonl" <<'EOF'
{"id": "ledger-1", "date": "2024-05-16", "outlet": "Lakeport Ledger", "title": "Mayor Pushes Harbor Bridge Plan", "text": "Mayor Pushes Harbor Bridge Plan\n\n\"They promised us a replacement ten years ago and we are still waiting for a bridge,\" said Elena Marsh, the mayor of Lakeport.\n\n\"The ferries will run every hour from Monday,\" said Tomas Oyelaran, who chairs the transport committee.\n"}
{"id": "ledger-2", "date": "2024-07-02", "outlet": "Lakeport Ledger", "title": "Bridge Money Found", "text": "Bridge Money Found\n\n\"The grant is signed and the work starts in August,\" Elena Marsh said on Tuesday.\n"}
EOF
cat >"$work/news/courier.json" <<'EOF'
{"id": "courier-1", "date": "2024-05-18", "outlet": "Harbor Courier", "title": "Bridge Closure Drags On", "text": "Bridge Closure Drags On\n\n\"They promised us a replacement ten years ago and we are still waiting for a bridge,\" Elena Marsh told reporters on Friday.\n"}
EOF
cat >"$work/news/hostile.txt" <<'EOF'
<script>window.__pwned = 1</script> Harbor <img src=x onerror="window.__pwned=2"> Report

"Nobody should <b>trust</b> a bridge built on promises & <script>window.__pwned=3</script>," said Ivo Brandt, an engineer.
EOF

echo "== ingest"
"$bin" ingest "$work/news" --db "$work/c.db"

echo "== serve"
"$bin" serve --db "$work/c.db" --addr 127.0.0.1:0 2>"$work/serve.log" &
server_pid=$!
url=
for _ in $(seq 1 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/serve.log" || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/serve.log"; echo "browser test: the server did not start"; exit 1; }
echo "serving at $url"

echo "== browser"
PLAYWRIGHT_CORE="$pw" CHROMIUM="$chromium" ONRECORD_URL="$url" \
  ONRECORD_PROFILE="$work/profile" node "$repo/scripts/browser-test.cjs"
