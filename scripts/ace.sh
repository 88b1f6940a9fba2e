#!/usr/bin/env bash
# DAISY Ace on EPUBs, when it is installed (README, "Release files"): prints each book's count of
# findings by impact and exits 1 if any has a critical or serious one. Without arguments it builds
# the sample book and, when it is there, ../shared/cronica, and checks those.
#   scripts/ace.sh [BOOK.epub...]
# Install (Ace is an npm package; its own `ace` command wants an Electron it downloads from
# outside the registries, so this script runs `ace-puppeteer` with Debian's chromium):
#   apt-get install -y chromium nodejs npm
#   ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm install -g @daisy/ace
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
ace=""
for c in ace-puppeteer ace; do
    if command -v "$c" >/dev/null 2>&1; then ace="$c"; break; fi
done
if [ -z "$ace" ]; then
    echo "ace.sh: DAISY Ace is not installed; skipped" >&2
    exit 0
fi
export PUPPETEER_EXECUTABLE_PATH="${PUPPETEER_EXECUTABLE_PATH:-/usr/bin/chromium}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

epubs=("$@")
if [ ${#epubs[@]} = 0 ]; then
    bin="${IMPRENTA:-$here/build/imprenta}"
    "$bin" build -q -o "$work/sample" "$here"
    books=("$work"/sample/*.epub)
    if [ -d "$here/../shared/cronica" ]; then
        "$bin" build -q -o "$work/cronica" "$here/../shared/cronica" 2>/dev/null
        books+=("$work"/cronica/*.epub)
    fi
    epubs=("${books[@]}")
fi

status=0
for epub in "${epubs[@]}"; do
    report="$work/report-$(basename "$epub" .epub)"
    "$ace" --silent --outdir "$report" "$epub" >/dev/null
    counts="$(python3 - "$report/report.json" <<'PY'
import json, sys
from collections import Counter
report = json.load(open(sys.argv[1]))
impacts = Counter(t["earl:test"].get("earl:impact", "?")
                  for doc in report.get("assertions", []) for t in doc.get("assertions", []))
print(" ".join(f"{impacts[k]} {k}," for k in ("critical", "serious", "moderate", "minor")).rstrip(","))
PY
)"
    echo "$(basename "$epub"): $counts"
    case "$counts" in
        "0 critical, 0 serious,"*) ;;
        *) status=1 ;;
    esac
done
exit $status
