#!/bin/sh
# Lighthouse (mobile preset: a mid-range phone on a slow 4G connection, simulated) per page type.
#
#   scripts/bench_lighthouse.sh SITE [BASELINE_SITE]
#
# Installs Lighthouse with npm into .cache/lighthouse on first use (LIGHTHOUSE_VERSION to change it),
# serves each site on 127.0.0.1 with gzip like nginx (scripts/bench_weight.py --serve) and runs
# Lighthouse with Debian's Chromium (CHROME_PATH). Prints the scores and timings per page type.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
LH_DIR=${LH_DIR:-$ROOT/.cache/lighthouse}
LIGHTHOUSE_VERSION=${LIGHTHOUSE_VERSION:-12.8.2}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
[ $# -ge 1 ] || { sed -n '2,9p' "$0"; exit 2; }

if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ]; then
  npm install --no-audit --no-fund --prefix "$LH_DIR" "lighthouse@$LIGHTHOUSE_VERSION"
fi
LIGHTHOUSE=$LH_DIR/node_modules/.bin/lighthouse
WORK=$(mktemp -d)
SERVER=
cleanup() { [ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

for site in "$@"; do
  "$PYTHON" "$ROOT/scripts/bench_weight.py" --serve "$site" > "$WORK/pages.tsv" &
  SERVER=$!
  while [ ! -s "$WORK/pages.tsv" ]; do sleep 0.2; done
  sleep 0.5  # the list is printed at once; let it finish
  echo
  echo "## $site"
  echo
  echo "| 页面类型 | 性能 | 无障碍 | 最佳实践 | FCP | LCP | TBT | CLS | 传输 |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  while IFS="$(printf '\t')" read -r kind url; do
    "$LIGHTHOUSE" "$url" --quiet --output=json --output-path="$WORK/report.json" \
      --only-categories=performance,accessibility,best-practices \
      --chrome-flags="--headless --no-sandbox --disable-gpu --no-first-run" >/dev/null 2>&1 || {
        echo "| $kind | Lighthouse 运行失败 | | | | | | | |"; continue; }
    "$PYTHON" - "$kind" "$WORK/report.json" <<'PY'
import json, sys
kind, path = sys.argv[1], sys.argv[2]
report = json.load(open(path, encoding="utf-8"))
score = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
audit = report["audits"]
value = lambda name: audit[name]["displayValue"].replace("\u00a0", " ")
print(f"| {kind} | {score['performance']} | {score['accessibility']} | {score['best-practices']} | "
      f"{value('first-contentful-paint')} | {value('largest-contentful-paint')} | {value('total-blocking-time')} | "
      f"{value('cumulative-layout-shift')} | {audit['total-byte-weight']['numericValue'] / 1024:.0f} KiB |")
PY
  done < "$WORK/pages.tsv"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
  : > "$WORK/pages.tsv"
done
