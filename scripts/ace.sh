#!/usr/bin/env bash
# DAISY Ace on EPUBs, when it is installed (README, "Release files"): exits 1 if any report has
# critical or serious violations. Install: apt-get install -y chromium nodejs npm &&
# npm install -g @daisy/ace   (Ace drives the browser through puppeteer; with Debian's chromium
# set PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium).
#   scripts/ace.sh BOOK.epub...
set -euo pipefail
if ! command -v ace >/dev/null 2>&1; then
    echo "ace.sh: DAISY Ace is not installed; skipped" >&2
    exit 0
fi
export PUPPETEER_EXECUTABLE_PATH="${PUPPETEER_EXECUTABLE_PATH:-/usr/bin/chromium}"
status=0
for epub in "$@"; do
    report="$(mktemp -d)"
    ace --silent --outdir "$report" "$epub"
    counts="$(grep -o '"earl:impact": *"\(critical\|serious\)"' "$report/report.json" | sort | uniq -c || true)"
    if [ -n "$counts" ]; then
        echo "$epub:"; echo "$counts"; status=1
    else
        echo "$epub: 0 critical, 0 serious"
    fi
    rm -rf "$report"
done
exit $status
