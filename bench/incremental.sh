#!/usr/bin/env bash
# Times a rebuild after a one-essay edit under `imprenta watch` (which reuses the unchanged
# chapters' EPUB pages and PDF layouts and pages) against a full build of the same book, and
# checks that the watched outputs equal a full build's byte for byte.
#
#   bench/incremental.sh [N_EPUB=200] [N_PDF=40] [EDITS=5]
#
# Cases: the EPUB of N_EPUB essays, the PDF of N_PDF essays, and both formats of N_EPUB essays
# (the issue's case). Full build: `imprenta build` with a warm image cache (what a save costs
# without watch), median of EDITS runs. Rebuild: the "rebuilt in X s" lines of `imprenta watch`
# after EDITS saves of one essay (a paragraph added each time), median. Environment as
# bench/run.sh: IMPRENTA, BENCH_WORK.
set -euo pipefail

N_EPUB=${1:-200}
N_PDF=${2:-40}
EDITS=${3:-5}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=$ROOT/build-bench
IMPRENTA=${IMPRENTA:-$BUILD/imprenta}
WORK=${BENCH_WORK:-$BUILD/bench-work}/incremental
[[ -x $IMPRENTA ]] || { echo "incremental.sh: no binary at $IMPRENTA (run bench/run.sh first or set IMPRENTA)" >&2; exit 2; }
mkdir -p "$WORK"

median() { sort -n | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# case NAME N FORMAT: prints one row.
case_() {
    local name=$1 n=$2 fmt=$3 book=$WORK/book-$1 out=$WORK/out-$1 cache=$WORK/cache-$1 k
    rm -rf "$book" "$out" "$cache" "$WORK/full-$name"
    python3 "$HERE/gen_book.py" "$n" "$book" 2>/dev/null
    local essay
    essay=$(find "$book/content" -name '*.md' | sort | sed -n "$((n / 2))p")
    "$IMPRENTA" build "$book" -o "$out" --format "$fmt" -q --cache-dir "$cache" 2>/dev/null # fills the image cache
    local fulls=()
    for ((k = 0; k < EDITS; k++)); do
        local t0 t1
        t0=$(date +%s%N)
        "$IMPRENTA" build "$book" -o "$out" --format "$fmt" -q --cache-dir "$cache" 2>/dev/null
        t1=$(date +%s%N)
        fulls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b - a) / 1e9}')")
    done
    local full
    full=$(printf '%s\n' "${fulls[@]}" | median)

    local log=$WORK/watch-$name.log
    "$IMPRENTA" watch "$book" -o "$out" --format "$fmt" --cache-dir "$cache" >"$log" 2>&1 &
    local pid=$!
    wait_lines() { # wait_lines PATTERN COUNT: up to 10 minutes
        local i
        for ((i = 0; i < 3000; i++)); do
            (($(grep -c "$1" "$log" || true) >= $2)) && return 0
            kill -0 "$pid" 2>/dev/null || { echo "incremental.sh: watch ended:" >&2; cat "$log" >&2; exit 1; }
            sleep 0.2
        done
        echo "incremental.sh: timed out waiting for '$1' in $log" >&2
        kill "$pid"
        exit 1
    }
    wait_lines '^watching ' 1
    for ((k = 1; k <= EDITS; k++)); do
        python3 - "$essay" "$k" <<'PY'
import sys
path, k = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
head, sep, body = text.partition("\n---\n")  # after the front matter
open(path, "w", encoding="utf-8").write(
    head + sep + "\nUn párrafo añadido en la corrección número " + k + ".\n" + body)
PY
        wait_lines '^rebuilt in ' "$k"
    done
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    local inc reused
    inc=$(grep '^rebuilt in ' "$log" | awk '{print $3}' | median)
    reused=$(grep '^rebuilt in ' "$log" | tail -1 | sed -n 's/.*(\(.*\))$/\1/p')

    # The watched outputs against a full build without any cache.
    "$IMPRENTA" build "$book" -o "$WORK/full-$name" --format "$fmt" -q --no-cache 2>/dev/null
    local same=identical f
    for f in "$WORK/full-$name"/*; do
        cmp -s "$f" "$out/$(basename "$f")" || same="DIFFERENT ($(basename "$f"))"
    done
    local ratio verdict
    ratio=$(awk -v a="$inc" -v b="$full" 'BEGIN {printf "%.3f", a / b}')
    verdict=$(awk -v a="$inc" -v b="$full" 'BEGIN {print (a / b < 0.2) ? "met" : "MISSED"}')
    printf '| %-28s | %7s | %7s | %5s (%s) | %s; %s\n' "$fmt, $n essays" "$full" "$inc" "$ratio" \
        "$verdict" "outputs $same to a --no-cache build" "$reused"
}

echo "incremental rebuilds: one essay edited $EDITS times; median wall seconds; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-28s | %7s | %7s | %s\n' "book" "full s" "rebuild" "rebuild/full (< 0.2)"
printf '| %-28s | %7s | %7s | %s\n' "----------------------------" "-------" "-------" "--------------------"
case_ epub "$N_EPUB" epub
case_ pdf "$N_PDF" pdf
case_ both "$N_EPUB" epub,pdf
