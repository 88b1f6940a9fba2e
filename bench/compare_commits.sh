#!/usr/bin/env bash
# Times the PDF of a generated book with an old commit's binary and the current one, in one run.
#
#   bench/compare_commits.sh OLD_COMMIT [N_ESSAYS=40] [FORMAT=pdf]
#
# OLD_COMMIT is built (Release, ccache when installed) in a temporary git worktree whose build
# folder is kept in build-bench/compare/ for the next run; the current tree is built in
# build-bench/compare/current (or NEW_BIN=path times that binary instead). Both binaries then run
# alternately, old, new, old, new..., RUNS times each (default 7), on the same book from
# `bench/gen_book.py N`, with --no-cache and SOURCE_DATE_EPOCH, so that load on the machine
# falls on both alike. Prints the median wall time, CPU (user+sys) and peak RSS of each and the
# new/old ratios (INSTRUCTIONS=1 adds callgrind's instruction counts, which load does not
# change). Not a test: nothing here is run by ctest.
set -euo pipefail

OLD=${1:?usage: bench/compare_commits.sh OLD_COMMIT [N_ESSAYS] [FORMAT]}
N=${2:-40}
FORMAT=${3:-pdf}
RUNS=${RUNS:-7}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
WORK=${BENCH_WORK:-$ROOT/build-bench/compare}
TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "compare_commits.sh: /usr/bin/time is missing: apt-get install -y time" >&2; exit 2; }
mkdir -p "$WORK"

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
build() { # build SRC BUILD_DIR LOG
    { cmake -S "$1" -B "$2" -DCMAKE_BUILD_TYPE=Release -DIMPRENTA_TESTS=OFF "${launcher[@]}" &&
        cmake --build "$2" -j"$(nproc)" --target imprenta; } >"$3" 2>&1 ||
        { echo "compare_commits.sh: build failed, see $3" >&2; exit 1; }
}

old_sha=$(git -C "$ROOT" rev-parse --verify "$OLD^{commit}")
old_build=$WORK/build-${old_sha:0:12}
if [[ ! -x $old_build/imprenta ]]; then
    tree=$(mktemp -d "$WORK/tree.XXXXXX")
    echo "building $OLD (${old_sha:0:12}) in a temporary worktree..." >&2
    git -C "$ROOT" worktree add -q --detach "$tree" "$old_sha"
    # Tests and fixtures may look for ../shared beside the tree; the build itself does not.
    build "$tree" "$old_build" "$WORK/build-old.log"
    git -C "$ROOT" worktree remove --force "$tree"
fi
OLD_BIN=$old_build/imprenta
if [[ -z ${NEW_BIN:-} ]]; then
    echo "building the current tree..." >&2
    build "$ROOT" "$WORK/current" "$WORK/build-new.log"
    NEW_BIN=$WORK/current/imprenta
fi

GEN_SUM=$(sha256sum "$HERE/gen_book.py" | cut -c1-16)
BOOK=$WORK/book-$N
if [[ $(cat "$BOOK/.generated-by" 2>/dev/null) != "$GEN_SUM" ]]; then
    rm -rf "$BOOK"
    python3 "$HERE/gen_book.py" "$N" "$BOOK" 2>"$WORK/gen.log"
    echo "$GEN_SUM" >"$BOOK/.generated-by"
fi

LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
export SOURCE_DATE_EPOCH=1700000000
run_once() { # run_once BIN OUT RESULT_FILE: appends "wall cpu rss_kb"
    local t0 t1 u s m
    rm -rf "$2"
    t0=$(date +%s%N)
    "$TIME" -f '%M %U %S' -o "$2.time" "$1" build "$BOOK" -o "$2" --format "$FORMAT" -q --no-cache \
        >"$2.log" 2>&1 || { echo "compare_commits.sh: $1 failed, see $2.log" >&2; exit 1; }
    t1=$(date +%s%N)
    read -r m u s <"$2.time"
    awk -v a="$t0" -v b="$t1" -v u="$u" -v s="$s" -v m="$m" \
        'BEGIN {printf "%.3f %.2f %d\n", (b - a) / 1e9, u + s, m}' >>"$3"
}
: >"$WORK/old.runs"
: >"$WORK/new.runs"
# One untimed run each: page cache, dynamic loader, fontconfig's cache.
run_once "$OLD_BIN" "$WORK/out-old" /dev/null
run_once "$NEW_BIN" "$WORK/out-new" /dev/null
for ((k = 0; k < RUNS; k++)); do
    run_once "$OLD_BIN" "$WORK/out-old" "$WORK/old.runs"
    run_once "$NEW_BIN" "$WORK/out-new" "$WORK/new.runs"
done

median() { # median FILE COLUMN
    cut -d' ' -f"$2" "$1" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
ow=$(median "$WORK/old.runs" 1) oc=$(median "$WORK/old.runs" 2) om=$(median "$WORK/old.runs" 3)
nw=$(median "$WORK/new.runs" 1) nc=$(median "$WORK/new.runs" 2) nm=$(median "$WORK/new.runs" 3)
pages() { pdfinfo "$1"/*.pdf 2>/dev/null | awk '/^Pages:/ {print $2}' || true; }

echo "command:  bench/compare_commits.sh $OLD $N $FORMAT (RUNS=$RUNS, alternating, median of each)"
echo "date:     $(date -u +%Y-%m-%dT%H:%MZ), nproc=$(nproc), load before: $LOAD_BEFORE"
echo "old:      ${old_sha:0:12} $(git -C "$ROOT" log -1 --format=%s "$old_sha" | cut -c1-70)"
echo "new:      $(git -C "$ROOT" describe --always --dirty) ($NEW_BIN)"
echo "book:     $N essays from bench/gen_book.py, --format $FORMAT --no-cache," \
    "pages old/new: $(pages "$WORK/out-old")/$(pages "$WORK/out-new")"
printf '| %-4s | %8s | %7s | %8s |\n' "" "wall s" "CPU s" "peak RSS"
printf '| %-4s | %8s | %7s | %5d MB |\n' old "$ow" "$oc" $((om / 1024))
printf '| %-4s | %8s | %7s | %5d MB |\n' new "$nw" "$nc" $((nm / 1024))
printf '| %-4s | %7sx | %6sx | %7sx |\n' new/old "$(ratio "$nw" "$ow")" "$(ratio "$nc" "$oc")" "$(ratio "$nm" "$om")"
echo "runs (wall cpu rss_kb): old: $(paste -sd, "$WORK/old.runs")"
echo "                        new: $(paste -sd, "$WORK/new.runs")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Instructions do not depend on the machine's load: with INSTRUCTIONS=1, one more run of each
# under callgrind, on one thread.
if [[ -n ${INSTRUCTIONS:-} ]] && command -v valgrind >/dev/null; then
    irefs() { # irefs BIN OUT
        rm -rf "$2"
        IMPRENTA_THREADS=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" build "$BOOK" \
            -o "$2" --format "$FORMAT" -q --no-cache 2>&1 >/dev/null |
            awk '/Collected :/ {printf "%.3f", $NF / 1e9}'
    }
    oi=$(irefs "$OLD_BIN" "$WORK/out-old") ni=$(irefs "$NEW_BIN" "$WORK/out-new")
    echo "instructions (callgrind, 1 thread): old ${oi} G, new ${ni} G, new/old $(ratio "$ni" "$oi")x"
fi
